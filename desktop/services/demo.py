"""The demo library: a few real model cases and pilots, written up from public reports.

Every demo record is marked 示例 (``is_demo`` and the title), has a UUID derived from its
key so adding the demo twice adds nothing the second time, and keeps its source. Milestone
dates are given relative to the day of loading, so the demo always has overdue and
upcoming milestones to show.
"""

from __future__ import annotations

import json
import uuid as _uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.enums import AdoptionExtent, ExperimentStatus, PilotKind, PilotStatus, ReviewStatus
from desktop.domain.i18n import _
from desktop.domain.records import (
    Adoption,
    Experiment,
    Figure,
    Milestone,
    ModelCase,
    PilotSite,
    ProgressNote,
    Ref,
)
from desktop.domain.validation import DomainError
from desktop.paths import resources_dir
from desktop.services.adoptions import AdoptionService
from desktop.services.cases import CaseService
from desktop.services.catalog import ensure_region_path
from desktop.services.context import ServiceContext, UndoHistory
from desktop.services.pilots import PilotService
from desktop.services.reference import reference_uuid
from desktop.store.schema import AdoptionRow, CaseRow, ExperimentRow, ModelTypeRow, PilotRow, RegionRow, ThemeRow

_NAMESPACE = _uuid.UUID("0d4c8b7e-5f39-4e8e-8a4b-8f3f8b1c6a20")


def demo_uuid(key: str) -> str:
    """The UUID of a demo record, the same in every library."""
    return str(_uuid.uuid5(_NAMESPACE, key))


@dataclass(frozen=True)
class DemoReport:
    """How many demo records were added (0 when the demo was already there)."""

    cases: int
    pilots: int
    experiments: int


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class DemoLoader:
    """Adds the demo cases and pilots that the library does not have yet."""

    def __init__(self, ctx: ServiceContext) -> None:
        # Adding the demo is not a step the user undoes one case at a time: its writes keep no history.
        self.ctx = replace(ctx, history=UndoHistory())

    def load(self, today: date | None = None) -> DemoReport:
        """Add what is missing of the demo; returns counts of what was added."""
        today = today or date.today()
        with (resources_dir() / "demo" / "demo.json").open(encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
        self._check_vocabulary(data)
        pilots = experiments = cases = 0
        for p in data.get("pilots", []):
            added_pilot, added_exps = self._pilot(p, today)
            pilots += added_pilot
            experiments += added_exps
        for c in data.get("cases", []):
            cases += self._case(c)
        return DemoReport(cases=cases, pilots=pilots, experiments=experiments)

    def _check_vocabulary(self, data: dict[str, Any]) -> None:
        """Refuse before writing anything if a theme, model type or county the demo needs is missing."""
        missing: list[str] = []
        with self.ctx.library.reading() as s:
            for c in data.get("cases", []):
                for key in c.get("themes", []):
                    row = s.execute(
                        select(ThemeRow.id).where(
                            ThemeRow.uuid == reference_uuid("themes", key), ThemeRow.deleted_at.is_(None)
                        )
                    ).first()
                    if row is None:
                        missing.append(_("主题 {k}").format(k=key))
                if self._model_type(s, c["model_type"]) is None:
                    missing.append(_("模式类型 {k}").format(k=c["model_type"]))
            paths = [p for c in data.get("cases", []) for p in c.get("places", [])]
            paths += [p for c in data.get("pilots", []) for p in c.get("places", [])]
            for path in paths:
                city, county = path[0], path[1] if len(path) > 1 else None
                key = "浙江省/" + city + (f"/{county}" if county else "")
                row = s.execute(
                    select(RegionRow.id).where(
                        RegionRow.uuid == reference_uuid("regions", key), RegionRow.deleted_at.is_(None)
                    )
                ).first()
                if row is None:
                    missing.append(_("地区 {k}").format(k=key))
        if missing:
            raise DomainError(
                _("示例数据需要的参考数据缺失或在回收站中，未加入任何示例：{m}").format(
                    m=_("、").join(dict.fromkeys(missing))
                )
            )

    @staticmethod
    def _model_type(s: Session, name: str) -> ModelTypeRow | None:
        row = s.execute(
            select(ModelTypeRow).where(ModelTypeRow.name == name, ModelTypeRow.deleted_at.is_(None))
        ).scalar_one_or_none()
        if row is None:
            row = s.execute(
                select(ModelTypeRow).where(
                    ModelTypeRow.uuid == reference_uuid("model_types", name), ModelTypeRow.deleted_at.is_(None)
                )
            ).scalar_one_or_none()
        return row

    def _places(self, paths: list[list[str]]) -> list[Ref]:
        with self.ctx.library.unit_of_work() as s:
            return [Ref(r.uuid, r.full_name) for r in (ensure_region_path(s, self.ctx, p) for p in paths)]

    def _exists(self, cls: type[CaseRow] | type[PilotRow] | type[ExperimentRow], uuid: str) -> bool:
        with self.ctx.library.reading() as s:
            return s.execute(select(cls.id).where(cls.uuid == uuid)).first() is not None

    def _case(self, c: dict[str, Any]) -> int:
        uuid = demo_uuid(c["key"])
        if self._exists(CaseRow, uuid):
            self._adoptions(c, uuid)  # a run stopped half-way left them out
            return 0
        with self.ctx.library.reading() as s:
            mt = self._model_type(s, c["model_type"])
        case = ModelCase(
            uuid=uuid,
            title=c["title"],
            subtitle=c.get("subtitle") or "",
            model_type=Ref(mt.uuid, mt.name) if mt else None,
            places=self._places(c["places"]),
            themes=[Ref(reference_uuid("themes", k)) for k in c.get("themes", [])],
            tags=list(c.get("tags", [])),
            basic_situation=c.get("basic_situation", ""),
            practices=c.get("practices", ""),
            outcomes=c.get("outcomes", ""),
            lessons=c.get("lessons", ""),
            figures=[
                Figure(
                    uuid=demo_uuid(f"{c['key']}/figure/{i}"),  # the same demo case is the same everywhere
                    label=f["label"],
                    value=float(f["value"]),
                    unit=f["unit"],
                    period=f["period"],
                    qualifier=f.get("qualifier") or "",
                    source=f.get("source") or "",
                )
                for i, f in enumerate(c.get("figures", []))
            ],
            source=c.get("source") or "",
            source_url=c.get("source_url") or "",
            reported_on=_date(c.get("reported_on")),
            review_status=ReviewStatus(c.get("review_status", ReviewStatus.DRAFT.value)),
            is_demo=True,
        )
        CaseService(self.ctx).create(case)
        self._adoptions(c, uuid)
        return 1

    def _adoptions(self, c: dict[str, Any], case_uuid: str) -> None:
        adoptions = AdoptionService(self.ctx)
        for i, a in enumerate(c.get("adoptions", [])):
            adoption_uuid = demo_uuid(f"{c['key']}/adoption/{i}")
            with self.ctx.library.reading() as s:
                if s.execute(select(AdoptionRow.id).where(AdoptionRow.uuid == adoption_uuid)).first() is not None:
                    continue
            region = self._places([a["place"]])[0]
            adoptions.save(
                Adoption(
                    uuid=adoption_uuid,
                    case_uuid=case_uuid,
                    region=region,
                    adopted_on=_date(a.get("adopted_on")),
                    extent=AdoptionExtent(a["extent"]),
                    note=a.get("note") or "",
                )
            )

    def _pilot(self, p: dict[str, Any], today: date) -> tuple[int, int]:
        service = PilotService(self.ctx)
        uuid = demo_uuid(p["key"])
        added = 0
        if not self._exists(PilotRow, uuid):
            service.save(
                PilotSite(
                    uuid=uuid,
                    name=p["name"],
                    kind=PilotKind(p["kind"]),
                    batch=p.get("batch") or "",
                    lead_unit=p.get("lead_unit") or "",
                    places=self._places(p.get("places", [])),
                    period_start=_date(p.get("period_start")),
                    period_end=_date(p.get("period_end")),
                    status=PilotStatus(p.get("status", PilotStatus.RUNNING.value)),
                    description=p.get("description") or "",
                    is_demo=True,
                )
            )
            added = 1
        experiments = 0
        for i, e in enumerate(p.get("experiments", [])):
            exp_uuid = demo_uuid(f"{p['key']}/experiment/{i}")
            if self._exists(ExperimentRow, exp_uuid):
                continue
            milestones = []
            for j, m in enumerate(e.get("milestones", [])):
                due = today + timedelta(days=int(m["due_offset_days"]))
                milestones.append(
                    Milestone(
                        uuid=demo_uuid(f"{p['key']}/experiment/{i}/milestone/{j}"),
                        title=m["title"],
                        due_date=due,
                        done_on=min(due, today) if m.get("done") else None,
                        responsible_unit=m.get("responsible_unit") or "",
                    )
                )
            notes = [
                ProgressNote(
                    uuid=demo_uuid(f"{p['key']}/experiment/{i}/note/{j}"),
                    noted_on=today + timedelta(days=int(n["offset_days"])),
                    text=n["text"],
                )
                for j, n in enumerate(e.get("progress_notes", []))
            ]
            service.save_experiment(
                Experiment(
                    uuid=exp_uuid,
                    pilot_uuid=uuid,
                    title=e["title"],
                    objective=e.get("objective") or "",
                    measures=e.get("measures") or "",
                    status=ExperimentStatus(e.get("status", "进行中")),
                    responsible_unit=e.get("responsible_unit") or "",
                    findings=e.get("findings") or "",
                    milestones=milestones,
                    progress_notes=notes,
                )
            )
            experiments += 1
        return added, experiments
