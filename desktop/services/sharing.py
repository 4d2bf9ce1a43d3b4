"""Share bundles between libraries (一地创新、全省共享): export a selection, preview an import,
merge it in one transaction.

Export writes the chosen cases with everything they refer to — pilots and their experiments,
places (with the tree above them), themes, model types, tags, indicators — and their photos,
and remembers the content digest each record was sent with.

Import first previews: every member is checked (see ``desktop.exchange.bundle``), every record
is matched by UUID and classified:

- **new**: not in this library;
- **unchanged**: the same content, or content this library already had or merged before;
- **updated**: this library's content is one the sender had before (changed only over there);
- **conflict**: changed on both sides; the user keeps mine, takes theirs or keeps both.

Places, themes, model types and indicators the library lacks are added (matched by UUID, else
by name under the same parent, so never duplicated); existing ones are never overwritten.
Applying re-checks every record inside the one transaction and refuses if the library changed
since the preview; where each record came from (library, unit, editor, time) is kept.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from desktop import __version__
from desktop.domain.changes import RecordKind
from desktop.domain.enums import RegionLevel
from desktop.domain.i18n import _
from desktop.domain.records import Adoption, Experiment, ModelCase, new_uuid
from desktop.domain.validation import (
    DomainError,
    ValidationError,
    validate_case,
    validate_experiment,
    validate_pilot,
)
from desktop.exchange import records as rec
from desktop.exchange.bundle import (
    BundleError,
    BundleReader,
    BundleWriter,
    Limits,
    Manifest,
    kind_label,
    photo_file_problem,
)
from desktop.services.cases import (
    PHOTO_SUFFIXES,
    CaseService,
    RowLookup,
    Stamp,
    insert_new_cases,
    reindexing,
)
from desktop.services.catalog import insert_region
from desktop.services.context import NotFoundError, Op, ServiceContext, stamp
from desktop.services.pilots import apply_experiment, apply_pilot
from desktop.services.writing import Writing, write
from desktop.store.changelog import KIND_OF
from desktop.store.mapping import (
    CASE_LOAD,
    load_case_rows,
    to_adoption,
    to_case,
    to_experiment,
    to_indicator,
    to_model_type,
    to_pilot,
    to_region,
    to_tag,
)
from desktop.store.media import PhotoJournal
from desktop.store.schema import (
    AdoptionRow,
    CaseRow,
    ExchangeLogRow,
    ExperimentRow,
    IndicatorRow,
    ModelTypeRow,
    PhotoRow,
    PilotPlace,
    PilotRow,
    RecordOriginRow,
    RegionRow,
    SyncStateRow,
    TagRow,
    ThemeRow,
    utcnow,
)

CHUNK = 500
MERGED_KINDS = ("pilots", "experiments", "cases")
Progress = Callable[[int, int, str], None]


class Outcome(StrEnum):
    """What an import does to one record."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


def outcome_label(outcome: Outcome) -> str:
    """What an import does to a record, as shown to the user."""
    return {
        Outcome.NEW: _("新增"),
        Outcome.UPDATED: _("更新"),
        Outcome.UNCHANGED: _("无变化"),
        Outcome.CONFLICT: _("冲突"),
    }[outcome]


class Resolution(StrEnum):
    """How a conflict is settled."""

    MINE = "mine"  # 保留本机
    THEIRS = "theirs"  # 采用对方
    BOTH = "both"  # 两者都保留


class ImportConflictError(DomainError):
    """An import with conflicts nobody decided."""

    def __init__(self, conflicts: Sequence[PlannedRecord]) -> None:
        lines = [
            "  " + _("{what}“{title}”（{uuid}）").format(what=kind_label(c.kind), title=c.title, uuid=c.uuid)
            for c in conflicts
        ]
        super().__init__(
            _("有 {n} 条记录两边都改过，需逐条决定保留本机、采用对方或两者都保留：\n{lines}").format(
                n=len(conflicts), lines="\n".join(lines)
            )
        )
        self.conflicts = list(conflicts)


class LibraryChangedError(DomainError):
    """The library changed between the preview and the import."""


@dataclass(frozen=True)
class PlannedRecord:
    """One record of a bundle and what an import would do to it."""

    kind: str
    uuid: str
    title: str
    outcome: Outcome
    note: str = ""
    theirs_at: datetime | None = None
    theirs_by: str = ""
    mine_at: datetime | None = None
    mine_by: str = ""
    origin: rec.Origin | None = None


@dataclass
class ImportPlan:
    """The preview of an import: who sent it, and what happens to each record."""

    path: Path
    manifest: Manifest
    records: list[PlannedRecord]
    added: dict[str, int] = field(default_factory=dict)  # vocabulary kind → how many are new here
    photos: int = 0

    def count(self, outcome: Outcome) -> int:
        """How many records have ``outcome``."""
        return sum(1 for r in self.records if r.outcome == outcome)

    @property
    def conflicts(self) -> list[PlannedRecord]:
        """The records changed on both sides."""
        return [r for r in self.records if r.outcome == Outcome.CONFLICT]

    def summary(self) -> str:
        """One line: N new, N updated, N unchanged, N conflicts (and vocabulary added)."""
        text = _("新增 {new} 条，更新 {updated} 条，无变化 {same} 条，冲突 {conflicts} 条").format(
            new=self.count(Outcome.NEW),
            updated=self.count(Outcome.UPDATED),
            same=self.count(Outcome.UNCHANGED),
            conflicts=self.count(Outcome.CONFLICT),
        )
        added = [_("{what} {n} 个").format(what=kind_label(k), n=n) for k, n in self.added.items() if n]
        if added:
            text += _("；将补充{items}").format(items=_("、").join(added))
        return text

    def sender(self) -> str:
        """The sending library as shown to the user: unit, editor, time."""
        m = self.manifest
        return _("{unit}（{editor}）于 {at} 导出").format(
            unit=m.unit or _("未署名单位"), editor=m.editor or _("未署名"), at=_local_time(m.exported_at)
        )


@dataclass(frozen=True)
class WrittenBundle:
    """A bundle written, not yet logged: its report, the digest of each record sent, the counts."""

    report: ExportReport
    sent: Mapping[str, str]
    counts: Mapping[str, int]


def _exchange_row(
    direction: str, path: Path, counts: Mapping[str, int], by: str, peer: tuple[str, str, str] = ("", "", "")
) -> ExchangeLogRow:
    """The log entry of a bundle written or read (``peer``: the sending library, unit and editor)."""
    return ExchangeLogRow(
        direction=direction,
        file_name=str(path),
        peer_library=peer[0],
        peer_unit=peer[1],
        peer_editor=peer[2],
        counts_json=json.dumps(dict(counts), ensure_ascii=False),
        at=utcnow(),
        by=by,
    )


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    added: int
    updated: int
    unchanged: int
    kept_mine: int
    copies: int
    vocabulary: Mapping[str, int]
    photos: int
    case_uuids: tuple[str, ...]

    def summary(self) -> str:
        """One line in Chinese."""
        return _(
            "已导入：新增 {added} 条，更新 {updated} 条，无变化 {same} 条，"
            "保留本机 {mine} 条，另存副本 {copies} 条，照片 {photos} 张"
        ).format(
            added=self.added,
            updated=self.updated,
            same=self.unchanged,
            mine=self.kept_mine,
            copies=self.copies,
            photos=self.photos,
        )


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    path: Path
    counts: Mapping[str, int]
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line in Chinese."""
        parts = [_("{what} {n}").format(what=kind_label(k), n=n) for k, n in self.counts.items() if n]
        return _("已导出到 {path}：{parts}").format(path=self.path, parts=_("，").join(parts) or _("无内容"))


@dataclass(frozen=True)
class Provenance:
    """Where a record came from: the library that first wrote it and the bundle it came in."""

    origin_unit: str
    origin_editor: str
    origin_library: str
    origin_at: datetime | None
    via_unit: str
    via_editor: str
    via_library: str
    via_at: datetime | None
    bundle_name: str
    imported_at: datetime
    imported_by: str
    copy_of: str

    def summary(self) -> str:
        """One line in Chinese, e.g. 来自 淳安县农业农村局（张三），2026-11-20 创建；经 杭州市… 于 … 导入."""
        first = _("来自{unit}（{editor}）").format(
            unit=self.origin_unit or _("未署名单位"), editor=self.origin_editor or _("未署名")
        )
        if self.origin_at:
            first += _("，{at} 创建").format(at=f"{self.origin_at.astimezone():%Y-%m-%d}")
        via = ""
        if self.via_library and self.via_library != self.origin_library:
            via = _("；经{unit}转来").format(unit=self.via_unit or _("未署名单位"))
        at = f"{self.imported_at.astimezone():%Y-%m-%d %H:%M}"
        text = (
            first + via + _("；{at} 由 {by} 从“{file}”导入").format(at=at, by=self.imported_by, file=self.bundle_name)
        )
        if self.copy_of:
            text += _("（两者都保留时另存的副本）")
        return text


def _local_time(iso: str) -> str:
    parsed = rec._parse_dt(iso)
    return f"{parsed.astimezone():%Y-%m-%d %H:%M}" if parsed else iso


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 16):
            sha.update(chunk)
    return sha.hexdigest()


#: A photo member's file name as an export writes it (the photo's UUID and an image suffix): kept
#: in the media folder, so the same photo is stored once however often it comes.
_OWN_PHOTO_NAME = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\.(jpe?g|png|bmp|gif|webp|tiff?|img)"
)


def _photo_suffix(file_name: str) -> str:
    suffix = PurePosixPath(file_name).suffix.lower()
    return suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ".img"


# what a library knows of its own records -------------------------------------------------------
@dataclass(frozen=True)
class _Local:
    digest: str
    title: str
    updated_at: datetime | None
    updated_by: str
    trashed: bool


def _histories(s: Session, uuids: Sequence[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for part in _chunks(list(uuids)):
        for u, d in s.execute(
            select(SyncStateRow.record_uuid, SyncStateRow.digest).where(SyncStateRow.record_uuid.in_(part))
        ):
            out.setdefault(u, set()).add(d)
    return out


def _origins(s: Session, uuids: Sequence[str]) -> dict[str, rec.Origin]:
    out: dict[str, rec.Origin] = {}
    for part in _chunks(list(uuids)):
        for row in s.execute(select(RecordOriginRow).where(RecordOriginRow.record_uuid.in_(part))).scalars():
            out[row.record_uuid] = rec.Origin(row.origin_library, row.origin_unit, row.origin_editor, row.origin_at)
    return out


def _adoptions(s: Session, case_ids: Sequence[int]) -> dict[int, list[Adoption]]:
    out: dict[int, list[Adoption]] = {}
    rows = s.execute(
        select(AdoptionRow)
        .where(AdoptionRow.case_id.in_(case_ids), AdoptionRow.deleted_at.is_(None))
        .options(selectinload(AdoptionRow.region), selectinload(AdoptionRow.case))
    ).scalars()
    for row in rows:
        out.setdefault(row.case_id, []).append(to_adoption(row))
    return out


def _case_json(case: ModelCase, adoptions: Sequence[Adoption]) -> rec.Json:
    return rec.case_to_json(case, adoptions, {})


def _local_cases(s: Session, uuids: Sequence[str]) -> dict[str, _Local]:
    ids = dict(s.execute(select(CaseRow.uuid, CaseRow.id).where(CaseRow.uuid.in_(uuids))).all())
    rows = load_case_rows(s, list(ids.values()))
    adoptions = _adoptions(s, [r.id for r in rows])
    return {
        r.uuid: _Local(
            rec.digest(_case_json(to_case(r), adoptions.get(r.id, []))),
            r.title,
            r.updated_at,
            r.updated_by,
            r.deleted_at is not None,
        )
        for r in rows
    }


def _pilot_rows(s: Session, uuids: Sequence[str]) -> list[PilotRow]:
    q = select(PilotRow).where(PilotRow.uuid.in_(uuids))
    return list(s.execute(q.options(selectinload(PilotRow.places).selectinload(PilotPlace.region))).scalars())


def _experiment_rows(s: Session, where: Any) -> list[ExperimentRow]:
    q = select(ExperimentRow).where(where).order_by(ExperimentRow.id)
    q = q.options(
        selectinload(ExperimentRow.milestones),
        selectinload(ExperimentRow.progress_notes),
        selectinload(ExperimentRow.pilot),
    )
    return list(s.execute(q).scalars())


def _local_pilots(s: Session, uuids: Sequence[str]) -> dict[str, _Local]:
    return {
        r.uuid: _Local(
            rec.digest(rec.pilot_to_json(to_pilot(r))), r.name, r.updated_at, r.updated_by, r.deleted_at is not None
        )
        for r in _pilot_rows(s, uuids)
    }


def _local_experiments(s: Session, uuids: Sequence[str]) -> dict[str, _Local]:
    return {
        r.uuid: _Local(
            rec.digest(rec.experiment_to_json(to_experiment(r))),
            r.title,
            r.updated_at,
            r.updated_by,
            r.deleted_at is not None,
        )
        for r in _experiment_rows(s, ExperimentRow.uuid.in_(uuids))
    }


_LOCAL = {"cases": _local_cases, "pilots": _local_pilots, "experiments": _local_experiments}
_TITLE_KEY = {"cases": "title", "pilots": "name", "experiments": "title"}


def classify(
    mine: str | None, mine_history: set[str], theirs: Iterable[str], theirs_history: frozenset[str]
) -> Outcome:
    """What an import does to a record: ``mine`` is this library's digest (None when absent),
    ``theirs`` the incoming record's digests (as sent, and with references matched here)."""
    theirs = set(theirs)
    if mine is None:
        return Outcome.NEW
    if mine in theirs or theirs & mine_history:
        return Outcome.UNCHANGED
    if mine in theirs_history:
        return Outcome.UPDATED
    return Outcome.CONFLICT


# the vocabulary of a bundle matched against this library ------------------------------------------
@dataclass
class _Vocabulary:
    """Bundle UUID → this library's UUID for places, themes, model types and indicators, and
    the records to add (by bundle UUID, parents before children)."""

    uuids: dict[str, str] = field(default_factory=dict)
    new: dict[str, list[rec.Json]] = field(default_factory=dict)
    revive: list[tuple[type[Any], str]] = field(default_factory=list)

    def added(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.new.items()}


def _tree_order(items: Mapping[str, rec.Json], refuse: Callable[[rec.Json], Exception]) -> list[rec.Json]:
    """Records of a tree, parents before children (a parent outside ``items`` is fine); a record
    that is its own ancestor is refused with ``refuse(record)``."""
    out: list[rec.Json] = []
    placed: set[str] = set()
    for u in items:
        chain: list[str] = []  # u and its ancestors not yet placed, child first
        on_chain: set[str] = set()
        v: Any = u
        while isinstance(v, str) and v in items and v not in placed:
            if v in on_chain:
                raise refuse(items[v])
            chain.append(v)
            on_chain.add(v)
            v = items[v].get("parent")
        for w in reversed(chain):
            placed.add(w)
            out.append(items[w])
    return out


def _in_a_loop(reader: BundleReader, kind: str, obj: rec.Json) -> Exception:
    return reader.error(
        _("{what}“{name}”的上级是它自己或它的下级").format(what=kind_label(kind), name=obj["name"]),
        f"records/{kind}.jsonl",
    )


def _match_vocabulary(s: Session, reader: BundleReader) -> _Vocabulary:
    voc = _Vocabulary()
    member = "records/{kind}.jsonl"

    def load(kind: str) -> dict[str, rec.Json]:
        name = member.format(kind=kind)
        size = reader.manifest.members.get(name, {}).get("size", 0)
        if size > reader.limits.max_vocabulary_bytes:  # held in memory whole: a sane library's are a few MB
            raise reader.error(
                _("条目过大：{name}（{mb:.0f} MB）").format(name=name, mb=size / (1 << 20)),
            )
        return {obj["uuid"]: obj for _n, obj in reader.records(kind)}

    trees: tuple[tuple[str, Any], ...] = (("regions", RegionRow), ("themes", ThemeRow))
    for kind, cls in trees:
        items = load(kind)
        voc.new[kind] = []
        for obj in _tree_order(items, partial(_in_a_loop, reader, kind)):
            row = s.execute(select(cls).where(cls.uuid == obj["uuid"])).scalar_one_or_none()
            parent = obj.get("parent")
            local_parent = voc.uuids.get(parent, parent) if parent else None
            if row is None:
                parent_id = None
                if local_parent:
                    parent_row = s.execute(select(cls.id).where(cls.uuid == local_parent)).scalar_one_or_none()
                    if parent_row is None and parent not in items:
                        raise reader.error(
                            _("{what}“{name}”的上级不在包中，也不在本库中").format(
                                what=kind_label(kind), name=obj["name"]
                            ),
                            member.format(kind=kind),
                        )
                    parent_id = parent_row
                if parent_id is not None or local_parent is None:
                    q = select(cls).where(cls.name == obj["name"].strip())
                    q = (
                        q.where(cls.parent_id == parent_id)
                        if parent_id is not None
                        else q.where(cls.parent_id.is_(None))
                    )
                    row = s.execute(q.order_by(cls.deleted_at.is_not(None), cls.id)).scalars().first()
            if row is None:
                if kind == "regions" and obj["level"] == RegionLevel.PROVINCE.value:
                    raise reader.error(_("不能新增省级地区“{name}”").format(name=obj["name"]), member.format(kind=kind))
                voc.new[kind].append(obj)
                continue
            voc.uuids[obj["uuid"]] = row.uuid
            if row.deleted_at is not None:
                voc.revive.append((cls, row.uuid))
    named: tuple[tuple[str, Any], ...] = (
        ("model_types", ModelTypeRow),
        ("tags", TagRow),
        ("indicators", IndicatorRow),
    )
    for kind, cls in named:
        voc.new[kind] = []
        for obj in load(kind).values():
            row = s.execute(select(cls).where(cls.uuid == obj["uuid"])).scalar_one_or_none()
            if row is None:
                row = s.execute(select(cls).where(cls.name == obj["name"].strip())).scalar_one_or_none()
            if row is None:
                voc.new[kind].append(obj)
                continue
            voc.uuids[obj["uuid"]] = row.uuid
            if row.deleted_at is not None:
                voc.revive.append((cls, row.uuid))
    return voc


def _check_refs(
    s: Session,
    reader: BundleReader,
    kind: str,
    chunk: Sequence[tuple[int, rec.Json]],
    voc: _Vocabulary,
    pilots: set[str],
) -> None:
    """Every place, theme, model type, indicator and pilot a record names must be in the bundle or here."""
    bundle_new = {k: {o["uuid"] for o in v} for k, v in voc.new.items()}
    wanted: dict[str, tuple[type[Any], str]] = {
        "places": (RegionRow, "regions"),
        "themes": (ThemeRow, "themes"),
        "model_type": (ModelTypeRow, "model_types"),
        "indicator": (IndicatorRow, "indicators"),
        "pilot": (PilotRow, "pilots"),
        "region": (RegionRow, "regions"),
    }
    refs: dict[str, set[str]] = {}

    def note(key: str, value: Any) -> None:
        if isinstance(value, str):
            refs.setdefault(key, set()).add(value)
        elif isinstance(value, list):
            refs.setdefault(key, set()).update(value)

    for _n, obj in chunk:
        for key in ("places", "themes", "model_type", "pilot"):
            note(key, obj.get(key))
        for f in obj.get("figures", []):
            note("indicator", f.get("indicator"))
        for a in obj.get("adoptions", []):
            note("region", a.get("region"))
    for key, values in refs.items():
        cls, vocab_kind = wanted[key]
        known = set(pilots) if key == "pilot" else set(bundle_new.get(vocab_kind, set()))
        local_values = {voc.uuids.get(v, v) for v in values if v not in known}
        found = set(s.execute(select(cls.uuid).where(cls.uuid.in_(local_values))).scalars()) if local_values else set()
        for number, obj in chunk:
            mine: list[str] = []
            value = obj.get(key)
            if key == "indicator":
                mine = [f["indicator"] for f in obj.get("figures", []) if f.get("indicator")]
            elif key == "region":
                mine = [a["region"] for a in obj.get("adoptions", [])]
            elif isinstance(value, list):
                mine = value
            elif value:
                mine = [value]
            for v in mine:
                if v not in known and voc.uuids.get(v, v) not in found:
                    label = kind_label("pilots" if key == "pilot" else vocab_kind)
                    raise reader.error(
                        _("引用的{what}（{uuid}）不在包中，也不在本库中").format(what=label, uuid=v),
                        f"records/{kind}.jsonl",
                        number,
                    )


def _validate(reader: BundleReader, kind: str, number: int, obj: rec.Json) -> None:
    member = f"records/{kind}.jsonl"
    for photo in obj.get("photos", []):
        if photo.get("file") and photo["file"] not in reader.manifest.members:
            raise reader.error(_("照片文件 {file} 不在包中").format(file=photo["file"]), member, number)
    try:
        rec.origin_of(obj)
        if kind == "cases":
            case = rec.case_from_json(obj)[0]
            # a photo whose file the sender had lost travels without one (the export warned of it)
            validate_case(replace(case, photos=[p for p in case.photos if p.file_name]))
        elif kind == "pilots":
            validate_pilot(rec.pilot_from_json(obj))
        else:
            validate_experiment(rec.experiment_from_json(obj))
    except ValidationError as exc:
        raise reader.error(str(exc), member, number) from exc
    except ValueError as exc:  # a date that matches the pattern but does not exist, e.g. 2025-02-30
        raise reader.error(_("日期无效：{reason}").format(reason=exc), member, number) from exc


@dataclass
class _Scan:
    """One pass over a bundle's merged records, chunk by chunk, classified against this library."""

    kind: str
    lines: list[tuple[int, rec.Json]]
    planned: list[PlannedRecord]
    remapped: list[rec.Json]
    digests: list[set[str]]


def _scan(
    s: Session, reader: BundleReader, voc: _Vocabulary, progress: Progress | None = None, *, checked: bool = False
) -> Iterator[_Scan]:
    """The merged records of a bundle chunk by chunk, classified; ``checked``: the preview already
    checked every line against the schema and the rules (the checksums still are, at the end)."""
    pilots_in_bundle: set[str] = set()
    seen: set[tuple[str, str]] = set()  # (kind, UUID): one record per UUID, or the import would fail halfway
    total = sum(reader.manifest.counts.get(k, 0) for k in MERGED_KINDS)
    done = 0
    for kind in MERGED_KINDS:
        lines = reader.records(kind, validate=not checked)
        while True:
            chunk: list[tuple[int, rec.Json]] = []
            for item in lines:
                chunk.append(item)
                if len(chunk) >= CHUNK:
                    break
            if not chunk:
                break
            if kind == "pilots":
                pilots_in_bundle.update(o["uuid"] for _n, o in chunk)
            for number, obj in chunk:
                if not checked:
                    if (kind, obj["uuid"]) in seen:
                        raise reader.error(
                            _("与前面的记录 UUID 相同：{uuid}").format(uuid=obj["uuid"]),
                            f"records/{kind}.jsonl",
                            number,
                        )
                    seen.add((kind, obj["uuid"]))
                    _validate(reader, kind, number, obj)
            _check_refs(s, reader, kind, chunk, voc, pilots_in_bundle)
            uuids = [o["uuid"] for _n, o in chunk]
            local = _LOCAL[kind](s, uuids)
            history = _histories(s, uuids)
            planned: list[PlannedRecord] = []
            remapped: list[rec.Json] = []
            digests: list[set[str]] = []
            for _n, obj in chunk:
                mapped = rec.remap(obj, kind, voc.uuids)
                theirs = {rec.digest(obj), rec.digest(mapped)}
                mine = local.get(obj["uuid"])
                outcome = classify(
                    mine.digest if mine else None, history.get(obj["uuid"], set()), theirs, rec.history_of(obj)
                )
                note = ""
                if mine is not None and mine.trashed:
                    note = _("本机已移入回收站")
                elif outcome == Outcome.UNCHANGED and mine is not None and mine.digest not in theirs:
                    note = _("本机版本较新")
                planned.append(
                    PlannedRecord(
                        kind=kind,
                        uuid=obj["uuid"],
                        title=obj[_TITLE_KEY[kind]],
                        outcome=outcome,
                        note=note,
                        theirs_at=rec._parse_dt(obj.get("updated_at")),
                        theirs_by=obj.get("updated_by", ""),
                        mine_at=mine.updated_at if mine else None,
                        mine_by=mine.updated_by if mine else "",
                        origin=rec.origin_of(obj),
                    )
                )
                remapped.append(mapped)
                digests.append(theirs)
            done += len(chunk)
            if progress:
                progress(done, total, _("正在比对记录"))
            yield _Scan(kind, chunk, planned, remapped, digests)


class ShareService:
    """Share bundles: export, preview, import, and where imported records came from."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # export ------------------------------------------------------------------------------------
    def export(
        self, out: Path, case_uuids: Sequence[str], *, selection: str = "", progress: Progress | None = None
    ) -> Op[ExportReport]:
        """Write the cases (in order) and everything they refer to into a bundle at ``out``, and remember
        what was sent (``write_bundle`` then ``remember_export``)."""
        return self.remember_export(self.write_bundle(out, case_uuids, selection=selection, progress=progress))

    def remember_export(self, written: WrittenBundle) -> Op[ExportReport]:
        """Log a bundle written, with the digest of every record sent (how a later import of the
        receiver's changes tells them from conflicts)."""
        report = written.report
        with write(self.ctx) as w:
            _add_digests(w.session, ((u, [d]) for u, d in written.sent.items()))
            w.session.add(_exchange_row("export", report.path, written.counts, self.ctx.editor.label))
        return Op(report, w.changes)

    def write_bundle(
        self, out: Path, case_uuids: Sequence[str], *, selection: str = "", progress: Progress | None = None
    ) -> WrittenBundle:
        """Write the cases (in order) and everything they refer to into a bundle at ``out`` (reads only;
        ``remember_export`` logs it)."""
        uuids = list(dict.fromkeys(case_uuids))
        editor = self.ctx.editor
        manifest = {
            "app_version": __version__,
            "library": self.ctx.library.library_id,
            "unit": editor.unit,
            "editor": editor.name or editor.label,
            "exported_at": rec._dt(utcnow()),
            "selection": selection[:500],
        }
        warnings: list[str] = []
        sent: dict[str, str] = {}  # record UUID → digest as sent
        media = self.ctx.library.media_dir
        photo_files: list[tuple[str, Path]] = []
        with BundleWriter(out, manifest) as writer, self.ctx.library.reading() as s:
            ids = (
                dict(s.execute(select(CaseRow.uuid, CaseRow.id).where(CaseRow.uuid.in_(uuids))).all()) if uuids else {}
            )
            missing = [u for u in uuids if u not in ids]
            if missing:
                raise NotFoundError(_("找不到案例：{ids}").format(ids=_("，").join(missing[:10])))
            region_ids: set[int] = set()
            tag_ids: set[int] = set()
            theme_ids: set[int] = set()
            model_type_ids: set[int] = set()
            indicator_ids: set[int] = set()
            pilot_ids: set[int] = set()
            with writer.records("cases") as put:
                for part in _chunks([ids[u] for u in uuids]):
                    rows = load_case_rows(s, part)
                    adoptions = _adoptions(s, part)
                    part_uuids = [r.uuid for r in rows]
                    history, origins = _histories(s, part_uuids), _origins(s, part_uuids)
                    for row in rows:
                        case = to_case(row)
                        files: dict[str, str] = {}
                        for p in case.photos:
                            source = media / p.file_name if p.file_name else None
                            if source is None or not source.is_file():
                                warnings.append(
                                    _("案例“{t}”的照片文件缺失，未打包：{f}").format(t=case.title, f=p.file_name)
                                )
                                continue
                            problem = photo_file_problem(source)
                            if problem:  # a receiver would refuse the whole bundle for it
                                warnings.append(
                                    _("案例“{t}”的照片 {f} 不能分享，未打包：{problem}").format(
                                        t=case.title, f=p.file_name, problem=problem
                                    )
                                )
                                continue
                            member = f"photos/{p.uuid}{_photo_suffix(p.file_name)}"
                            files[p.uuid] = member
                            photo_files.append((member, source))
                        obj = rec.case_to_json(
                            case,
                            adoptions.get(row.id, []),
                            files,
                            sorted(history.get(row.uuid, ())),
                            origins.get(row.uuid),
                        )
                        put(obj)
                        sent[row.uuid] = rec.digest(obj)
                        region_ids.update(p.region_id for p in row.places)
                        theme_ids.update(t.theme_id for t in row.themes)
                        tag_ids.update(t.tag_id for t in row.tags)
                        indicator_ids.update(f.indicator_id for f in row.figures if f.indicator_id)
                        if row.model_type_id:
                            model_type_ids.add(row.model_type_id)
                        if row.pilot_id:
                            pilot_ids.add(row.pilot_id)
                    for adopted in s.execute(
                        select(AdoptionRow.region_id).where(
                            AdoptionRow.case_id.in_(part), AdoptionRow.deleted_at.is_(None)
                        )
                    ).scalars():
                        region_ids.add(adopted)
                    if progress:
                        progress(len(sent), len(uuids), _("正在导出案例"))
            for i, (member, source) in enumerate(photo_files, 1):
                writer.photo(member, source)
                if progress and i % 50 == 0:
                    progress(i, len(photo_files), _("正在打包照片"))
            pilot_rows = list(
                s.execute(
                    select(PilotRow)
                    .where(PilotRow.id.in_(pilot_ids))
                    .options(selectinload(PilotRow.places).selectinload(PilotPlace.region))
                    .order_by(PilotRow.id)
                ).scalars()
            )
            experiment_rows = _experiment_rows(
                s, ExperimentRow.pilot_id.in_(pilot_ids) & ExperimentRow.deleted_at.is_(None)
            )
            tracked = [r.uuid for r in pilot_rows] + [r.uuid for r in experiment_rows]
            history, origins = _histories(s, tracked), _origins(s, tracked)
            with writer.records("pilots") as put:
                for prow in pilot_rows:
                    region_ids.update(p.region_id for p in prow.places)
                    obj = rec.pilot_to_json(to_pilot(prow), sorted(history.get(prow.uuid, ())), origins.get(prow.uuid))
                    put(obj)
                    sent[prow.uuid] = rec.digest(obj)
            with writer.records("experiments") as put:
                for erow in experiment_rows:
                    obj = rec.experiment_to_json(
                        to_experiment(erow), sorted(history.get(erow.uuid, ())), origins.get(erow.uuid)
                    )
                    put(obj)
                    sent[erow.uuid] = rec.digest(obj)
            self._write_vocabulary(s, writer, region_ids, theme_ids, model_type_ids, tag_ids, indicator_ids)
            writer.finish()
            counts = dict(writer.counts)
        return WrittenBundle(ExportReport(out, counts, tuple(warnings)), sent, counts)

    def _write_vocabulary(
        self,
        s: Session,
        writer: BundleWriter,
        region_ids: set[int],
        theme_ids: set[int],
        model_type_ids: set[int],
        tag_ids: set[int],
        indicator_ids: set[int],
    ) -> None:
        def with_ancestors(cls: Any, ids: set[int]) -> list[Any]:
            paths = s.execute(select(cls.path).where(cls.id.in_(ids))).scalars().all() if ids else []
            every = {int(x) for p in paths for x in p.strip("/").split("/") if x} | ids
            rows = s.execute(select(cls).where(cls.id.in_(every))).scalars().all() if every else []
            return sorted(rows, key=lambda r: (len(r.path), r.id))

        regions = with_ancestors(RegionRow, region_ids)
        themes = with_ancestors(ThemeRow, theme_ids)
        theme_uuids = {t.id: t.uuid for t in themes}
        with writer.records("regions") as put:
            for r in regions:
                put(rec.region_to_json(to_region(r)))
        with writer.records("themes") as put:
            for t in themes:
                put(
                    {
                        "uuid": t.uuid,
                        "name": t.name,
                        "code": t.code,
                        "parent": theme_uuids.get(t.parent_id) if t.parent_id else None,
                        "description": t.description,
                        "sort_order": t.sort_order,
                    }
                )
        with writer.records("model_types") as put:
            if model_type_ids:
                for m in s.execute(select(ModelTypeRow).where(ModelTypeRow.id.in_(model_type_ids))).scalars():
                    put(rec.model_type_to_json(to_model_type(m)))
        with writer.records("tags") as put:
            if tag_ids:
                for tag in s.execute(select(TagRow).where(TagRow.id.in_(tag_ids)).order_by(TagRow.id)).scalars():
                    put(rec.tag_to_json(to_tag(tag)))
        with writer.records("indicators") as put:
            if indicator_ids:
                for i in s.execute(select(IndicatorRow).where(IndicatorRow.id.in_(indicator_ids))).scalars():
                    put(rec.indicator_to_json(to_indicator(i)))

    # import ------------------------------------------------------------------------------------
    def preview(self, path: Path, *, limits: Limits | None = None, progress: Progress | None = None) -> ImportPlan:
        """Check a bundle through and tell what importing it would do; nothing is written."""
        with BundleReader(path, limits) as reader, self.ctx.library.reading() as s:
            voc = _match_vocabulary(s, reader)
            planned = [p for scan in _scan(s, reader, voc, progress) for p in scan.planned]
            photos = reader.photo_members()
            for i, member in enumerate(photos, 1):
                reader.check_photo(member)
                if progress and i % 50 == 0:
                    progress(i, len(photos), _("正在检查照片"))
            return ImportPlan(path, reader.manifest, planned, voc.added(), len(photos))

    def apply(
        self,
        plan: ImportPlan,
        decisions: Mapping[str, Resolution] | None = None,
        *,
        default: Resolution | None = None,
        limits: Limits | None = None,
        progress: Progress | None = None,
    ) -> Op[ImportReport]:
        """Import a previewed bundle in one transaction, undoable as one step. Each conflict is settled
        by ``decisions[uuid]``, else ``default``; an undecided conflict refuses the whole import."""
        decisions = dict(decisions or {})
        undecided = [c for c in plan.conflicts if c.uuid not in decisions and default is None]
        if undecided:
            raise ImportConflictError(undecided)
        expected = {(p.kind, p.uuid): p.outcome for p in plan.records}
        counts = {"added": 0, "updated": 0, "unchanged": 0, "kept_mine": 0, "copies": 0, "photos": 0}
        journal = PhotoJournal(self.ctx.library.media_dir)  # photo files written before the commit
        case_uuids: list[str] = []
        try:
            with BundleReader(plan.path, limits) as reader, write(self.ctx, _("导入案例包")) as w:
                s = w.session
                if reader.manifest != plan.manifest:
                    raise LibraryChangedError(_("案例包在预览之后被替换，请重新预览"))
                voc = _match_vocabulary(s, reader)
                if voc.added() != plan.added:
                    raise LibraryChangedError(_("预览之后案例库已有改动，请重新预览"))
                self._add_vocabulary(w, voc)
                writer = _Writer(self.ctx, w, reader, plan, voc, journal)
                total, written = sum(plan.manifest.counts.get(k, 0) for k in MERGED_KINDS), 0
                for scan in _scan(s, reader, voc, progress, checked=True):
                    for planned in scan.planned:
                        if expected.get((planned.kind, planned.uuid)) != planned.outcome:
                            raise LibraryChangedError(
                                _("预览之后案例库已有改动（{what}“{title}”），请重新预览").format(
                                    what=kind_label(planned.kind), title=planned.title
                                )
                            )
                    writer.write(scan, decisions, default, counts, case_uuids)
                    written += len(scan.planned)
                    if progress:  # a cancel asked for while this chunk was written stops before the commit
                        progress(written, total, "")  # no text of its own: the job's title (正在导入…) shows
                counts["photos"] = len(journal.names)
                journal.make_durable()  # before the commit that refers to them
                nothing = counts["unchanged"] == sum(counts.values()) and not any(voc.added().values())
                if not nothing:  # something was written: the exchange is logged
                    m = plan.manifest
                    s.add(
                        _exchange_row("import", plan.path, counts, self.ctx.editor.label, (m.library, m.unit, m.editor))
                    )
        except BaseException as exc:
            journal.rolled_back()
            if isinstance(exc, IntegrityError):  # a UUID or name the bundle repeats or this library already uses
                raise BundleError(
                    plan.path, _("记录与本库或包内其他记录重复（编号或名称相同），未导入任何内容")
                ) from exc
            raise
        journal.committed()
        if nothing:
            return Op(ImportReport(0, 0, counts["unchanged"], 0, 0, {}, 0, ()), w.changes)
        report = ImportReport(
            added=counts["added"],
            updated=counts["updated"],
            unchanged=counts["unchanged"],
            kept_mine=counts["kept_mine"],
            copies=counts["copies"],
            vocabulary=plan.added,
            photos=counts["photos"],
            case_uuids=tuple(case_uuids),
        )
        return Op(report, w.changes)

    def _add_vocabulary(self, w: Writing, voc: _Vocabulary) -> None:
        s, editor = w.session, self.ctx.editor
        for cls, u in voc.revive:
            w.track(KIND_OF[cls], [u])
            row = s.execute(select(cls).where(cls.uuid == u)).scalar_one()
            row.deleted_at = None
            stamp(row, editor)
        for obj in voc.new.get("regions", []):
            parent = obj.get("parent")
            parent_row = None
            if parent:
                parent_row = s.execute(
                    select(RegionRow).where(RegionRow.uuid == voc.uuids.get(parent, parent))
                ).scalar_one()
            region = rec.region_from_json(obj)
            w.track_new(RecordKind.REGION, [region.uuid])
            insert_region(
                s, self.ctx, parent_row, region.name, region.level, category=region.category, uuid=region.uuid
            )
        for obj in voc.new.get("themes", []):
            parent = obj.get("parent")
            parent_theme = None
            if parent:
                parent_theme = s.execute(
                    select(ThemeRow).where(ThemeRow.uuid == voc.uuids.get(parent, parent))
                ).scalar_one()
            theme = rec.theme_from_json(obj)
            w.track_new(RecordKind.THEME, [theme.uuid])
            trow = ThemeRow(
                uuid=theme.uuid,
                parent_id=parent_theme.id if parent_theme else None,
                name=theme.name.strip(),
                code=theme.code,
                description=theme.description,
                sort_order=theme.sort_order,
            )
            stamp(trow, editor)
            s.add(trow)
            s.flush()
            trow.path = (parent_theme.path if parent_theme else "/") + f"{trow.id}/"
        for obj in voc.new.get("model_types", []):
            mt = rec.model_type_from_json(obj)
            w.track_new(RecordKind.MODEL_TYPE, [mt.uuid])
            mrow = ModelTypeRow(
                uuid=mt.uuid, name=mt.name.strip(), description=mt.description, sort_order=mt.sort_order
            )
            stamp(mrow, editor)
            s.add(mrow)
        for obj in voc.new.get("tags", []):
            w.track_new(RecordKind.TAG, [obj["uuid"]])
            tag_row = TagRow(uuid=obj["uuid"], name=obj["name"].strip())
            stamp(tag_row, editor)
            s.add(tag_row)
        for obj in voc.new.get("indicators", []):
            ind = rec.indicator_from_json(obj)
            w.track_new(RecordKind.INDICATOR, [ind.uuid])
            irow = IndicatorRow(
                uuid=ind.uuid, name=ind.name.strip(), unit=ind.unit.strip(), description=ind.description
            )
            stamp(irow, editor)
            s.add(irow)
        s.flush()

    # provenance --------------------------------------------------------------------------------
    def provenance(self, uuid: str) -> Provenance | None:
        """Where a record came from, if it was imported."""
        with self.ctx.library.reading() as s:
            row = s.get(RecordOriginRow, uuid)
            if row is None:
                return None
            return Provenance(
                origin_unit=row.origin_unit,
                origin_editor=row.origin_editor,
                origin_library=row.origin_library,
                origin_at=row.origin_at,
                via_unit=row.via_unit,
                via_editor=row.via_editor,
                via_library=row.via_library,
                via_at=row.via_at,
                bundle_name=row.bundle_name,
                imported_at=row.imported_at,
                imported_by=row.imported_by,
                copy_of=row.copy_of,
            )

    def imported_count(self) -> int:
        """How many records carry an origin (were imported)."""
        with self.ctx.library.reading() as s:
            return int(s.execute(select(func.count()).select_from(RecordOriginRow)).scalar_one())


def _add_digests(s: Session, items: Iterable[tuple[str, Iterable[str]]]) -> None:
    pairs = {(u, d) for u, ds in items for d in ds}
    if not pairs:
        return
    uuids = sorted({u for u, _d in pairs})
    have: set[tuple[str, str]] = set()
    for part in _chunks(uuids):
        have.update(
            (u, d)
            for u, d in s.execute(
                select(SyncStateRow.record_uuid, SyncStateRow.digest).where(SyncStateRow.record_uuid.in_(part))
            ).all()
        )
    s.add_all(SyncStateRow(record_uuid=u, digest=d) for u, d in sorted(pairs - have))


class _Writer:
    """Writes one scanned chunk after another into the open transaction of an import."""

    def __init__(
        self,
        ctx: ServiceContext,
        w: Writing,
        reader: BundleReader,
        plan: ImportPlan,
        voc: _Vocabulary,
        journal: PhotoJournal,
    ) -> None:
        self.ctx, self.w, self.s, self.reader, self.plan, self.voc = ctx, w, w.session, reader, plan, voc
        self.journal = journal
        self.cases = CaseService(ctx)
        self.now = utcnow()
        self.media = ctx.library.media_dir
        self.files: dict[str, str] = {}  # bundle member → file name in this library's media folder

    def write(
        self,
        scan: _Scan,
        decisions: Mapping[str, Resolution],
        default: Resolution | None,
        counts: dict[str, int],
        case_uuids: list[str],
    ) -> None:
        s = self.s
        digests: list[tuple[str, Iterable[str]]] = []
        to_write: list[rec.Json] = []
        for planned, mapped, theirs in zip(scan.planned, scan.remapped, scan.digests, strict=True):
            outcome = planned.outcome
            if outcome == Outcome.UNCHANGED:
                counts["unchanged"] += 1
                continue
            choice = decisions.get(planned.uuid, default) if outcome == Outcome.CONFLICT else Resolution.THEIRS
            # what they sent and every version it came from: passed on when this library exports it
            digests.append((planned.uuid, theirs | rec.history_of(mapped)))
            if choice == Resolution.MINE:
                counts["kept_mine"] += 1
            elif choice == Resolution.BOTH:
                to_write.append(self._copy(scan.kind, mapped))
                counts["copies"] += 1
            else:
                to_write.append(mapped)
                counts["added" if outcome == Outcome.NEW else "updated"] += 1
        if to_write:
            if scan.kind == "cases":
                self._write_cases(to_write)
                case_uuids.extend(o["uuid"] for o in to_write)
            elif scan.kind == "pilots":
                self._write_pilots(to_write)
            else:
                self._write_experiments(to_write)
        _add_digests(s, digests)
        s.flush()
        s.expunge_all()

    # records -----------------------------------------------------------------------------------
    def _copy(self, kind: str, obj: rec.Json) -> rec.Json:
        """A 两者都保留 copy: new UUIDs for the record and its parts, the sender named in its title."""
        copy = dict(obj)
        copy["uuid"] = new_uuid()
        copy["copy_of"] = obj["uuid"]
        # the title is record data, the same in every language of the window
        unit = self.plan.manifest.unit or "对方"
        key = _TITLE_KEY[kind]
        suffix = f"（{unit}版）"
        copy[key] = obj[key][: 200 - len(suffix)] + suffix
        for part in ("figures", "photos", "adoptions", "milestones", "progress_notes"):
            if part in obj:
                copy[part] = [item | {"uuid": new_uuid()} for item in obj[part]]
        return copy

    def _stamp_of(self, obj: rec.Json) -> Stamp:
        """Who wrote a record and when, as the sending library recorded it."""
        return Stamp(
            created_at=rec._parse_dt(obj.get("created_at")) or self.now,
            updated_at=rec._parse_dt(obj.get("updated_at")) or self.now,
            updated_by=obj.get("updated_by") or self.ctx.editor.label,
        )

    def _stamp_from(self, row: Any, obj: rec.Json) -> None:
        st = self._stamp_of(obj)
        row.created_at = row.created_at or st.created_at
        row.updated_at, row.updated_by = st.updated_at, st.updated_by

    def _origins(self, kind: str, objs: Sequence[rec.Json]) -> None:
        """Record where each record came from: its first library (as the bundle says) and this bundle."""
        m = self.plan.manifest
        have = {
            r.record_uuid: r
            for r in self.s.execute(
                select(RecordOriginRow).where(RecordOriginRow.record_uuid.in_([o["uuid"] for o in objs]))
            ).scalars()
        }
        for obj in objs:
            origin = rec.origin_of(obj) or rec.Origin(m.library, m.unit, m.editor, rec._parse_dt(obj.get("created_at")))
            row = have.get(obj["uuid"]) or RecordOriginRow(record_uuid=obj["uuid"])
            row.kind = kind
            row.origin_library, row.origin_unit, row.origin_editor = origin.library, origin.unit, origin.editor
            row.origin_at = origin.at
            row.via_library, row.via_unit, row.via_editor = m.library, m.unit, m.editor
            row.via_at = rec._parse_dt(m.exported_at)
            row.bundle_name = self.plan.path.name[:300]
            row.imported_at = self.now
            row.imported_by = self.ctx.editor.label
            row.copy_of = obj.get("copy_of", "")
            self.s.add(row)

    def _photo_file(self, member: str, sha256: str) -> str:
        if member in self.files:
            return self.files[member]
        self.media.mkdir(parents=True, exist_ok=True)
        name = PurePosixPath(member).name
        suffix = PurePosixPath(name).suffix.lower()
        if suffix not in (*PHOTO_SUFFIXES, ".img"):
            suffix = ".img"
        if not _OWN_PHOTO_NAME.fullmatch(name):  # not as an export names it: never desktop.ini, CON.jpg, x.hta …
            name = f"{new_uuid()}{suffix}"
        target = self.media / name
        if target.exists():
            if _sha256(target) == sha256:
                self.files[member] = name
                return name
            name = f"{new_uuid()}{suffix}"
        self.reader.extract_photo(member, self.journal.add(name))
        self.files[member] = name
        return name

    def _write_cases(self, items: Sequence[rec.Json]) -> None:
        s = self.s
        members = self.reader.manifest.members
        records: list[tuple[ModelCase, list[Adoption], rec.Json]] = []
        here = self._photo_files_here([obj["uuid"] for obj in items])
        for obj in items:
            case, adoptions = rec.case_from_json(obj)
            photos = []
            for p in case.photos:
                if p.file_name:
                    photos.append(replace(p, file_name=self._photo_file(p.file_name, members[p.file_name]["sha256"])))
                elif p.uuid in here:  # sent without its file (the sender had lost it): this library's file stays
                    photos.append(replace(p, file_name=here[p.uuid]))
            records.append((replace(case, photos=photos), adoptions, obj))
        self._revive_pilots(c.pilot.uuid for c, _a, _o in records if c.pilot)
        uuids = [c.uuid for c, _a, _o in records]
        existing = {
            r.uuid: r for r in s.execute(select(CaseRow).where(CaseRow.uuid.in_(uuids)).options(*CASE_LOAD)).scalars()
        }
        self.w.track(RecordKind.CASE, list(existing))
        lookup = RowLookup(s, self.ctx)
        lookup.load([c for c, _a, _o in records])
        fresh = [(c, o) for c, _a, o in records if c.uuid not in existing]
        self.w.track_new(RecordKind.CASE, [c.uuid for c, _o in fresh])
        insert_new_cases(self.ctx, s, [c for c, _o in fresh], [self._stamp_of(o) for _c, o in fresh], lookup)

        def change() -> None:
            for case, _adoptions, obj in records:
                row = existing.get(case.uuid)
                if row is not None:
                    self.cases.apply_to_row(s, row, case, lookup)
                    self._stamp_from(row, obj)
            s.flush()

        if existing:
            reindexing(self.ctx, s, [r.id for r in existing.values()], change)
        ids = dict(s.execute(select(CaseRow.uuid, CaseRow.id).where(CaseRow.uuid.in_(uuids))).all())
        self._sync_adoptions([(ids[c.uuid], a) for c, a, _o in records], lookup)
        self._origins("cases", [o for _c, _a, o in records])

    def _photo_files_here(self, case_uuids: Sequence[str]) -> dict[str, str]:
        """Photo UUID → file name in this library, for the photos of these cases."""
        query = select(PhotoRow.uuid, PhotoRow.file_name).join(CaseRow, PhotoRow.case_id == CaseRow.id)
        return {u: f for u, f in self.s.execute(query.where(CaseRow.uuid.in_(case_uuids))).all() if f}

    def _revive_pilots(self, uuids: Iterable[str]) -> None:
        """Bring back from the trash the pilots that records being written refer to (as places and
        themes are): a case or experiment of a pilot in the trash could not be written otherwise."""
        wanted = sorted(set(uuids))
        for part in _chunks(wanted):
            trashed = select(PilotRow).where(PilotRow.uuid.in_(part), PilotRow.deleted_at.is_not(None))
            rows = list(self.s.execute(trashed).scalars())
            self.w.track(RecordKind.PILOT, [r.uuid for r in rows])
            for row in rows:
                row.deleted_at = None
                stamp(row, self.ctx.editor)
        self.s.flush()

    def _sync_adoptions(self, items: Sequence[tuple[int, Sequence[Adoption]]], lookup: RowLookup) -> None:
        """Make each case's adoptions those of the bundle (matched by UUID; others to the trash)."""
        s = self.s
        current: dict[int, dict[str, AdoptionRow]] = {}
        query = select(AdoptionRow).where(AdoptionRow.case_id.in_([case_id for case_id, _a in items]))
        for found in s.execute(query).scalars():
            current.setdefault(found.case_id, {})[found.uuid] = found
        self.w.track(RecordKind.ADOPTION, [u for mine in current.values() for u in mine])
        for case_id, adoptions in items:
            mine = current.get(case_id, {})
            for a in adoptions:
                arow = mine.pop(a.uuid, None)
                if arow is None:
                    self.w.track_new(RecordKind.ADOPTION, [a.uuid])
                    arow = AdoptionRow(uuid=a.uuid, case_id=case_id)
                    stamp(arow, self.ctx.editor)
                    s.add(arow)
                arow.region_id = lookup.row(RegionRow, a.region.uuid, _("地区")).id
                arow.adopted_on, arow.extent, arow.note = a.adopted_on, a.extent.value, a.note
                arow.deleted_at = None
            for arow in mine.values():
                if arow.deleted_at is None:
                    arow.deleted_at = self.now

    def _write_pilots(self, items: Sequence[rec.Json]) -> None:
        s = self.s
        for obj in items:
            pilot = rec.pilot_from_json(obj)
            self.w.track(RecordKind.PILOT, [pilot.uuid])
            row = s.execute(select(PilotRow).where(PilotRow.uuid == pilot.uuid)).scalar_one_or_none()
            if row is None:
                row = PilotRow(uuid=pilot.uuid)
                s.add(row)
            apply_pilot(s, row, pilot)
            self._stamp_from(row, obj)
            s.flush()
        self._origins("pilots", list(items))

    def _write_experiments(self, items: Sequence[rec.Json]) -> None:
        s = self.s
        self._revive_pilots(obj["pilot"] for obj in items)
        for obj in items:
            exp: Experiment = rec.experiment_from_json(obj)
            self.w.track(RecordKind.EXPERIMENT, [exp.uuid])
            row = s.execute(select(ExperimentRow).where(ExperimentRow.uuid == exp.uuid)).scalar_one_or_none()
            if row is None:
                row = ExperimentRow(uuid=exp.uuid)
                s.add(row)
            apply_experiment(s, row, exp, obj.get("updated_by", ""))
            self._stamp_from(row, obj)
            s.flush()
        self._origins("experiments", list(items))
