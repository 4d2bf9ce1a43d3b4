"""Pilot sites, their experiments (milestones, progress notes) and the 督办 list of due milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.domain.changes import RecordKind
from desktop.domain.i18n import _
from desktop.domain.records import Experiment, Milestone, PilotSite, ProgressNote
from desktop.domain.validation import validate_experiment, validate_pilot
from desktop.services.context import Op, ServiceContext, get_row, stamp, sync_children
from desktop.services.writing import write
from desktop.store.mapping import to_experiment, to_pilot
from desktop.store.schema import (
    ExperimentRow,
    MilestoneRow,
    PilotPlace,
    PilotRow,
    ProgressNoteRow,
    RegionRow,
    utcnow,
)


@dataclass(frozen=True)
class DueMilestone:
    """A milestone that is overdue or due soon, with where it belongs."""

    milestone_uuid: str
    title: str
    due_date: date
    overdue: bool
    responsible_unit: str
    experiment_uuid: str
    experiment_title: str
    pilot_uuid: str
    pilot_name: str


def apply_pilot(s: Session, row: PilotRow, pilot: PilotSite) -> None:
    """Set a pilot row's fields and places from a record (the caller stamps and validates)."""
    row.name, row.kind, row.batch = pilot.name.strip(), pilot.kind.value, pilot.batch
    row.lead_unit, row.status, row.description = pilot.lead_unit, pilot.status.value, pilot.description
    row.period_start, row.period_end, row.is_demo = pilot.period_start, pilot.period_end, pilot.is_demo
    regions = [get_row(s, RegionRow, p.uuid, what=_("地区")) for p in dict.fromkeys(pilot.places)]
    row.places = [PilotPlace(region=r, position=i) for i, r in enumerate(regions)]


def apply_experiment(s: Session, row: ExperimentRow, exp: Experiment, author: str) -> None:
    """Set an experiment row's fields, milestones and progress notes from a record; a note
    without an author is signed ``author`` (the caller stamps and validates)."""
    row.pilot = get_row(s, PilotRow, exp.pilot_uuid, what=_("试点"))
    row.title, row.objective, row.measures = exp.title.strip(), exp.objective, exp.measures
    row.status, row.responsible_unit, row.findings = exp.status.value, exp.responsible_unit, exp.findings

    def set_milestone(m: MilestoneRow, item: Milestone, position: int) -> None:
        m.position, m.title, m.due_date, m.done_on = position, item.title.strip(), item.due_date, item.done_on
        m.responsible_unit, m.note = item.responsible_unit, item.note

    def set_note(n: ProgressNoteRow, item: ProgressNote, _position: int) -> None:
        n.noted_on, n.text, n.author = item.noted_on, item.text, item.author or n.author or author

    row.milestones = sync_children(row.milestones, exp.milestones, set_milestone, MilestoneRow)
    row.progress_notes = sync_children(row.progress_notes, exp.progress_notes, set_note, ProgressNoteRow)


class PilotService:
    """Everything done to pilots and experiments."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def all(self, *, include_trashed: bool = False) -> list[PilotSite]:
        """All pilots, newest first."""
        with self.ctx.library.reading() as s:
            q = select(PilotRow).options(selectinload(PilotRow.places).selectinload(PilotPlace.region))
            if not include_trashed:
                q = q.where(PilotRow.deleted_at.is_(None))
            return [to_pilot(r) for r in s.execute(q.order_by(PilotRow.id.desc())).scalars()]

    def get(self, uuid: str) -> PilotSite:
        """The pilot with ``uuid``."""
        with self.ctx.library.reading() as s:
            return to_pilot(get_row(s, PilotRow, uuid, what=_("试点"), include_trashed=True))

    def save(self, pilot: PilotSite) -> Op[PilotSite]:
        """Add a pilot, or save changes to one read at ``pilot.version`` (undoable; a stale save is
        refused with ``ConcurrentEditError`` carrying the pilot as stored now)."""
        validate_pilot(pilot)
        with write(self.ctx, _("编辑试点")) as w:
            s = w.session
            row, _new = w.saving(RecordKind.PILOT, pilot)
            apply_pilot(s, row, pilot)
            stamp(row, self.ctx.editor)
            s.flush()
            saved = to_pilot(row)
        return Op(saved, w.changes)

    def trash(self, uuid: str) -> Op[None]:
        """Move a pilot (and with it its experiments) to the trash (undoable)."""
        with write(self.ctx, _("删除试点")) as w:
            row = get_row(w.session, PilotRow, uuid, what=_("试点"))
            w.track(RecordKind.PILOT, [uuid])
            row.deleted_at = utcnow()
            stamp(row, self.ctx.editor)
        return Op(None, w.changes)

    def restore(self, uuid: str) -> Op[None]:
        """Bring a pilot back from the trash (undoable)."""
        with write(self.ctx, _("恢复试点")) as w:
            row = get_row(w.session, PilotRow, uuid, what=_("试点"), include_trashed=True)
            w.track(RecordKind.PILOT, [uuid])
            row.deleted_at = None
            stamp(row, self.ctx.editor)
        return Op(None, w.changes)

    def write_state(self, s: Session, state: PilotSite) -> None:
        """Make a stored pilot exactly what ``state`` says, trash included (undo and redo)."""
        row = s.execute(select(PilotRow).where(PilotRow.uuid == state.uuid)).scalar_one()
        apply_pilot(s, row, state)
        row.deleted_at = state.deleted_at
        stamp(row, self.ctx.editor)

    # experiments ---------------------------------------------------------------------
    def experiments(self, pilot_uuid: str) -> list[Experiment]:
        """A pilot's live experiments."""
        with self.ctx.library.reading() as s:
            pilot = get_row(s, PilotRow, pilot_uuid, what=_("试点"), include_trashed=True)
            rows = s.execute(
                select(ExperimentRow)
                .where(ExperimentRow.pilot_id == pilot.id, ExperimentRow.deleted_at.is_(None))
                .options(
                    selectinload(ExperimentRow.milestones),
                    selectinload(ExperimentRow.progress_notes),
                    selectinload(ExperimentRow.pilot),
                )
                .order_by(ExperimentRow.id)
            ).scalars()
            return [to_experiment(r) for r in rows]

    def get_experiment(self, uuid: str) -> Experiment:
        """The experiment with ``uuid``."""
        with self.ctx.library.reading() as s:
            return to_experiment(get_row(s, ExperimentRow, uuid, what=_("探索事项"), include_trashed=True))

    def save_experiment(self, exp: Experiment) -> Op[Experiment]:
        """Add an experiment, or save one read at ``exp.version`` — milestones and progress notes
        included (undoable; a stale save is refused with the experiment as stored now)."""
        validate_experiment(exp)
        with write(self.ctx, _("编辑探索事项")) as w:
            s = w.session
            row, _new = w.saving(RecordKind.EXPERIMENT, exp)
            apply_experiment(s, row, exp, self.ctx.editor.label)
            stamp(row, self.ctx.editor)
            s.flush()
            saved = to_experiment(row)
        return Op(saved, w.changes)

    def trash_experiment(self, uuid: str) -> Op[None]:
        """Move an experiment to the trash (undoable)."""
        with write(self.ctx, _("删除探索事项")) as w:
            row = get_row(w.session, ExperimentRow, uuid, what=_("探索事项"))
            w.track(RecordKind.EXPERIMENT, [uuid])
            row.deleted_at = utcnow()
            stamp(row, self.ctx.editor)
        return Op(None, w.changes)

    def write_experiment_state(self, s: Session, state: Experiment) -> None:
        """Make a stored experiment exactly what ``state`` says, trash included (undo and redo)."""
        row = s.execute(select(ExperimentRow).where(ExperimentRow.uuid == state.uuid)).scalar_one()
        apply_experiment(s, row, state, self.ctx.editor.label)
        row.deleted_at = state.deleted_at
        stamp(row, self.ctx.editor)

    def due_milestones(self, today: date | None = None, within_days: int = 14) -> list[DueMilestone]:
        """Every open milestone of live pilots that is overdue or due within ``within_days``."""
        today = today or date.today()
        with self.ctx.library.reading() as s:
            rows = s.execute(
                select(MilestoneRow, ExperimentRow, PilotRow)
                .join(ExperimentRow, ExperimentRow.id == MilestoneRow.experiment_id)
                .join(PilotRow, PilotRow.id == ExperimentRow.pilot_id)
                .where(
                    MilestoneRow.done_on.is_(None),
                    MilestoneRow.due_date <= today + timedelta(days=within_days),
                    ExperimentRow.deleted_at.is_(None),
                    PilotRow.deleted_at.is_(None),
                )
                .order_by(MilestoneRow.due_date, MilestoneRow.id)
            )
            return [
                DueMilestone(
                    milestone_uuid=m.uuid,
                    title=m.title,
                    due_date=m.due_date,
                    overdue=m.due_date < today,
                    responsible_unit=m.responsible_unit or e.responsible_unit or p.lead_unit,
                    experiment_uuid=e.uuid,
                    experiment_title=e.title,
                    pilot_uuid=p.uuid,
                    pilot_name=p.name,
                )
                for m, e, p in rows
            ]
