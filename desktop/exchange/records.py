"""The records of a share bundle as JSON objects, and back, plus each record's content digest.

One function pair per kind turns a domain record into the plain JSON object written as one
line of ``records/<kind>.jsonl`` and back. References to other records are by UUID only (the
bundle carries the referred records too); bookkeeping — times, editor, the digests the record
had when it was exchanged before (``history``) and where it was first written (``origin``) —
travels beside the content.

``digest`` hashes the content alone (no times, no editor, no file names), so the same case
has the same digest in every library; an import compares digests to tell new, unchanged,
changed-over-there and changed-on-both-sides records apart.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from desktop.domain.enums import (
    AdoptionExtent,
    ExperimentStatus,
    PilotKind,
    PilotStatus,
    RegionLevel,
    ReviewStatus,
)
from desktop.domain.records import (
    Adoption,
    Experiment,
    Figure,
    Indicator,
    Milestone,
    ModelCase,
    ModelType,
    Photo,
    PilotSite,
    ProgressNote,
    Record,
    Ref,
    Region,
    Tag,
    Theme,
)

Json = dict[str, Any]
R = TypeVar("R", bound=Record)

#: Keys that are bookkeeping, not content: left out of the digest.
_NOT_CONTENT = frozenset({"created_at", "updated_at", "updated_by", "history", "origin"})
#: Keys of a photo that name its file in one library or another: left out of the digest.
_PHOTO_FILE = frozenset({"file"})


@dataclass(frozen=True)
class Origin:
    """The library a record was first written in: its id, unit, editor and time."""

    library: str = ""
    unit: str = ""
    editor: str = ""
    at: datetime | None = None

    def to_json(self) -> Json:
        """The origin as a JSON object."""
        return {"library": self.library, "unit": self.unit, "editor": self.editor, "at": _dt(self.at)}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any] | None) -> Origin | None:
        """The origin of a JSON object (None when absent)."""
        if not obj:
            return None
        return cls(
            library=obj.get("library", ""),
            unit=obj.get("unit", ""),
            editor=obj.get("editor", ""),
            at=_parse_dt(obj.get("at")),
        )


def _dt(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _parse_dt(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _parse_d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _bookkeeping(record: Any, history: Sequence[str], origin: Origin | None) -> Json:
    return {
        "uuid": record.uuid,
        "created_at": _dt(record.created_at),
        "updated_at": _dt(record.updated_at),
        "updated_by": record.updated_by,
        "history": sorted(set(history)),
        "origin": origin.to_json() if origin else None,
    }


def _keep_bookkeeping(record: R, obj: Mapping[str, Any]) -> R:
    record.created_at = _parse_dt(obj.get("created_at"))
    record.updated_at = _parse_dt(obj.get("updated_at"))
    record.updated_by = obj.get("updated_by", "")
    return record


def digest(obj: Mapping[str, Any]) -> str:
    """The SHA-256 of a record's content: the same content gives the same digest everywhere."""
    content: Json = {k: v for k, v in obj.items() if k not in _NOT_CONTENT}
    if "photos" in content:
        content["photos"] = [{k: v for k, v in p.items() if k not in _PHOTO_FILE} for p in content["photos"]]
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def history_of(obj: Mapping[str, Any]) -> frozenset[str]:
    """The digests the sending library knew the record by in earlier exchanges."""
    return frozenset(obj.get("history") or ())


def origin_of(obj: Mapping[str, Any]) -> Origin | None:
    """Where the record was first written, as the bundle says."""
    return Origin.from_json(obj.get("origin"))


# vocabulary -------------------------------------------------------------------------------
def region_to_json(region: Region) -> Json:
    """A region (with its parent by UUID) as JSON."""
    return {
        "uuid": region.uuid,
        "name": region.name,
        "level": region.level.value,
        "parent": region.parent_uuid,
        "category": region.category,
        "code": region.code,
    }


def region_from_json(obj: Mapping[str, Any]) -> Region:
    """A region from JSON."""
    return Region(
        uuid=obj["uuid"],
        name=obj["name"],
        level=RegionLevel(obj["level"]),
        parent_uuid=obj.get("parent"),
        category=obj.get("category", ""),
        code=obj.get("code", ""),
    )


def theme_to_json(theme: Theme) -> Json:
    """A theme (with its parent by UUID) as JSON."""
    return {
        "uuid": theme.uuid,
        "name": theme.name,
        "code": theme.code,
        "parent": theme.parent_uuid,
        "description": theme.description,
        "sort_order": theme.sort_order,
    }


def theme_from_json(obj: Mapping[str, Any]) -> Theme:
    """A theme from JSON."""
    return Theme(
        uuid=obj["uuid"],
        name=obj["name"],
        code=obj.get("code", ""),
        parent_uuid=obj.get("parent"),
        description=obj.get("description", ""),
        sort_order=obj.get("sort_order", 0),
    )


def model_type_to_json(mt: ModelType) -> Json:
    """A model type as JSON."""
    return {"uuid": mt.uuid, "name": mt.name, "description": mt.description, "sort_order": mt.sort_order}


def model_type_from_json(obj: Mapping[str, Any]) -> ModelType:
    """A model type from JSON."""
    return ModelType(
        uuid=obj["uuid"], name=obj["name"], description=obj.get("description", ""), sort_order=obj.get("sort_order", 0)
    )


def tag_to_json(tag: Tag) -> Json:
    """A tag as JSON (cases name their tags; the tag records let a receiver match them by UUID too)."""
    return {"uuid": tag.uuid, "name": tag.name}


def indicator_to_json(ind: Indicator) -> Json:
    """An indicator as JSON."""
    return {"uuid": ind.uuid, "name": ind.name, "unit": ind.unit, "description": ind.description}


def indicator_from_json(obj: Mapping[str, Any]) -> Indicator:
    """An indicator from JSON."""
    return Indicator(
        uuid=obj["uuid"], name=obj["name"], unit=obj.get("unit", ""), description=obj.get("description", "")
    )


# pilots and experiments ------------------------------------------------------------------
def pilot_to_json(pilot: PilotSite, history: Sequence[str] = (), origin: Origin | None = None) -> Json:
    """A pilot as JSON (places by UUID)."""
    return _bookkeeping(pilot, history, origin) | {
        "name": pilot.name,
        "kind": pilot.kind.value,
        "batch": pilot.batch,
        "lead_unit": pilot.lead_unit,
        "places": [p.uuid for p in pilot.places],
        "period_start": _d(pilot.period_start),
        "period_end": _d(pilot.period_end),
        "status": pilot.status.value,
        "description": pilot.description,
        "is_demo": pilot.is_demo,
    }


def pilot_from_json(obj: Mapping[str, Any]) -> PilotSite:
    """A pilot from JSON."""
    return _keep_bookkeeping(
        PilotSite(
            uuid=obj["uuid"],
            name=obj["name"],
            kind=PilotKind(obj["kind"]),
            batch=obj.get("batch", ""),
            lead_unit=obj.get("lead_unit", ""),
            places=[Ref(u) for u in obj.get("places", [])],
            period_start=_parse_d(obj.get("period_start")),
            period_end=_parse_d(obj.get("period_end")),
            status=PilotStatus(obj["status"]),
            description=obj.get("description", ""),
            is_demo=obj.get("is_demo", False),
        ),
        obj,
    )


def experiment_to_json(exp: Experiment, history: Sequence[str] = (), origin: Origin | None = None) -> Json:
    """An experiment, with its milestones and progress notes, as JSON."""
    return _bookkeeping(exp, history, origin) | {
        "pilot": exp.pilot_uuid,
        "title": exp.title,
        "objective": exp.objective,
        "measures": exp.measures,
        "status": exp.status.value,
        "responsible_unit": exp.responsible_unit,
        "findings": exp.findings,
        "milestones": [
            {
                "uuid": m.uuid,
                "title": m.title,
                "due_date": _d(m.due_date),
                "done_on": _d(m.done_on),
                "responsible_unit": m.responsible_unit,
                "note": m.note,
            }
            for m in exp.milestones
        ],
        "progress_notes": [
            {"uuid": n.uuid, "noted_on": _d(n.noted_on), "text": n.text, "author": n.author} for n in exp.progress_notes
        ],
    }


def experiment_from_json(obj: Mapping[str, Any]) -> Experiment:
    """An experiment from JSON."""
    return _keep_bookkeeping(
        Experiment(
            uuid=obj["uuid"],
            pilot_uuid=obj["pilot"],
            title=obj["title"],
            objective=obj.get("objective", ""),
            measures=obj.get("measures", ""),
            status=ExperimentStatus(obj["status"]),
            responsible_unit=obj.get("responsible_unit", ""),
            findings=obj.get("findings", ""),
            milestones=[
                Milestone(
                    uuid=m["uuid"],
                    title=m["title"],
                    due_date=date.fromisoformat(m["due_date"]),
                    done_on=_parse_d(m.get("done_on")),
                    responsible_unit=m.get("responsible_unit", ""),
                    note=m.get("note", ""),
                )
                for m in obj.get("milestones", [])
            ],
            progress_notes=[
                ProgressNote(
                    uuid=n["uuid"],
                    noted_on=date.fromisoformat(n["noted_on"]),
                    text=n["text"],
                    author=n.get("author", ""),
                )
                for n in obj.get("progress_notes", [])
            ],
        ),
        obj,
    )


# cases -------------------------------------------------------------------------------------
def case_to_json(
    case: ModelCase,
    adoptions: Sequence[Adoption],
    photo_members: Mapping[str, str],
    history: Sequence[str] = (),
    origin: Origin | None = None,
) -> Json:
    """A case as JSON: references by UUID, its adoptions inside, each photo with its bundle member."""
    photos: list[Json] = []
    for p in case.photos:
        item: Json = {"uuid": p.uuid, "caption": p.caption, "credit": p.credit}
        if p.uuid in photo_members:
            item["file"] = photo_members[p.uuid]
        photos.append(item)
    return _bookkeeping(case, history, origin) | {
        "title": case.title,
        "subtitle": case.subtitle,
        "model_type": case.model_type.uuid if case.model_type else None,
        "places": [p.uuid for p in case.places],
        "themes": [t.uuid for t in case.themes],
        "tags": list(case.tags),
        "basic_situation": case.basic_situation,
        "practices": case.practices,
        "outcomes": case.outcomes,
        "lessons": case.lessons,
        "figures": [
            {
                "uuid": f.uuid,
                "label": f.label,
                "value": float(f.value),
                "unit": f.unit,
                "period": f.period,
                "qualifier": f.qualifier,
                "source": f.source,
                "indicator": f.indicator.uuid if f.indicator else None,
            }
            for f in case.figures
        ],
        "photos": photos,
        "source": case.source,
        "source_url": case.source_url,
        "reported_on": _d(case.reported_on),
        "review_status": case.review_status.value,
        "return_reason": case.return_reason,
        "pilot": case.pilot.uuid if case.pilot else None,
        "is_demo": case.is_demo,
        "adoptions": [
            {
                "uuid": a.uuid,
                "region": a.region.uuid,
                "adopted_on": _d(a.adopted_on),
                "extent": a.extent.value,
                "note": a.note,
            }
            for a in sorted(adoptions, key=lambda a: a.uuid)
        ],
    }


def case_from_json(obj: Mapping[str, Any]) -> tuple[ModelCase, list[Adoption]]:
    """A case and its adoptions from JSON; photos keep their bundle member as file name."""
    case = ModelCase(
        uuid=obj["uuid"],
        title=obj["title"],
        subtitle=obj.get("subtitle", ""),
        model_type=Ref(obj["model_type"]) if obj.get("model_type") else None,
        places=[Ref(u) for u in obj.get("places", [])],
        themes=[Ref(u) for u in obj.get("themes", [])],
        tags=list(obj.get("tags", [])),
        basic_situation=obj.get("basic_situation", ""),
        practices=obj.get("practices", ""),
        outcomes=obj.get("outcomes", ""),
        lessons=obj.get("lessons", ""),
        figures=[
            Figure(
                uuid=f["uuid"],
                label=f["label"],
                value=float(f["value"]),
                unit=f["unit"],
                period=f["period"],
                qualifier=f.get("qualifier", ""),
                source=f.get("source", ""),
                indicator=Ref(f["indicator"]) if f.get("indicator") else None,
            )
            for f in obj.get("figures", [])
        ],
        photos=[
            Photo(
                uuid=p["uuid"], file_name=p.get("file") or "", caption=p.get("caption", ""), credit=p.get("credit", "")
            )
            for p in obj.get("photos", [])
        ],
        source=obj.get("source", ""),
        source_url=obj.get("source_url", ""),
        reported_on=_parse_d(obj.get("reported_on")),
        review_status=ReviewStatus(obj["review_status"]),
        return_reason=obj.get("return_reason", ""),
        pilot=Ref(obj["pilot"]) if obj.get("pilot") else None,
        is_demo=obj.get("is_demo", False),
    )
    adoptions = [
        Adoption(
            uuid=a["uuid"],
            case_uuid=case.uuid,
            region=Ref(a["region"]),
            adopted_on=_parse_d(a.get("adopted_on")),
            extent=AdoptionExtent(a["extent"]),
            note=a.get("note", ""),
        )
        for a in obj.get("adoptions", [])
    ]
    return _keep_bookkeeping(case, obj), adoptions


def remap(obj: Mapping[str, Any], kind: str, uuids: Mapping[str, str]) -> Json:
    """A copy of a record's JSON with references to vocabulary replaced by this library's UUIDs
    (a place or theme matched by name under the same parent may have another UUID here)."""
    if not uuids:
        return dict(obj)

    def one(u: str | None) -> str | None:
        return uuids.get(u, u) if u else u

    out = dict(obj)
    if kind in ("cases", "pilots"):
        out["places"] = [one(u) for u in obj.get("places", [])]
    if kind == "cases":
        out["themes"] = [one(u) for u in obj.get("themes", [])]
        out["model_type"] = one(obj.get("model_type"))
        out["figures"] = [f | {"indicator": one(f.get("indicator"))} for f in obj.get("figures", [])]
        out["adoptions"] = [a | {"region": one(a.get("region"))} for a in obj.get("adoptions", [])]
    return out
