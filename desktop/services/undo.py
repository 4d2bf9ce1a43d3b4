"""Undo and redo of the user's operations, as version-checked operations of their own.

Each undoable operation left a step on the library's ``UndoHistory``: every record it changed, with
its state before and its version after. Undoing a step writes the states before back — but only
where the record still has the version the operation left. A record changed since by someone else
(another window, the command line, an import) makes the undo stop with ``UndoConflictError``
naming who changed what and when; the caller asks the user and may undo anyway (``force``). A
record deleted for good since cannot be brought back and is skipped when forced. Undoing is itself
recorded: the step moves to the redo stack holding the states the undo replaced, so redo is the
same operation in the other direction, with the same checks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from desktop.domain.changes import RecordKind, kind_label
from desktop.domain.i18n import _
from desktop.domain.records import Record
from desktop.domain.validation import DomainError
from desktop.services import states
from desktop.services.adoptions import AdoptionService
from desktop.services.cases import CaseService
from desktop.services.catalog import CatalogService, RegionService
from desktop.services.context import Op, ServiceContext, StateChange, UndoStep, local_minute
from desktop.services.overview import OverviewService
from desktop.services.pilots import PilotService
from desktop.services.writing import write
from desktop.store.schema import utcnow

#: The order states are written back in when records come back or change: what others refer to
#: first. Records going to the trash go in the reverse order: what refers to others first.
_ORDER = (
    RecordKind.REGION,
    RecordKind.THEME,
    RecordKind.MODEL_TYPE,
    RecordKind.TAG,
    RecordKind.INDICATOR,
    RecordKind.DESIGNATION,
    RecordKind.OBSERVATION,
    RecordKind.PILOT,
    RecordKind.EXPERIMENT,
    RecordKind.CASE,
    RecordKind.ADOPTION,
    RecordKind.SAVED_SEARCH,
)


class NothingToUndoError(DomainError):
    """There is no step to undo (or redo)."""


@dataclass(frozen=True)
class UndoConflict:
    """A record changed (or deleted for good) by someone else since the operation being undone."""

    kind: RecordKind
    uuid: str
    name: str
    changed_by: str
    changed_at: str
    gone: bool

    def __str__(self) -> str:
        what = kind_label(self.kind) + (f"“{self.name}”" if self.name else "")
        if self.gone:
            return _("{what}已被彻底删除，无法恢复").format(what=what)
        return _("{what}已被{who}于 {at} 修改").format(
            what=what, who=self.changed_by or _("其他用户"), at=self.changed_at
        )


class UndoConflictError(DomainError):
    """Undoing (or redoing) would overwrite changes made since by someone else; nothing was written."""

    def __init__(self, label: str, conflicts: list[UndoConflict], *, redo: bool) -> None:
        self.label = label
        self.conflicts = conflicts
        self.redo = redo
        lines = "\n".join(str(c) for c in conflicts[:10])
        if len(conflicts) > 10:
            lines += "\n" + _("……另有 {n} 条").format(n=len(conflicts) - 10)
        text = _("重做“{label}”会覆盖之后的修改：") if redo else _("撤销“{label}”会覆盖之后的修改：")
        super().__init__(text.format(label=label) + "\n" + lines)


class UndoService:
    """Undo and redo the steps of the library's history."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def labels(self) -> tuple[str | None, str | None]:
        """The names of the next undo and redo steps (None where there is none)."""
        return self.ctx.history.labels()

    def undo(self, *, force: bool = False) -> Op[str]:
        """Undo the last step; returns its name. ``force`` writes over later changes by others."""
        return self._move(redo=False, force=force)

    def redo(self, *, force: bool = False) -> Op[str]:
        """Redo the last undone step; returns its name."""
        return self._move(redo=True, force=force)

    def _move(self, *, redo: bool, force: bool) -> Op[str]:
        step = self.ctx.history.peek(redo=redo)
        if step is None:
            raise NothingToUndoError(_("没有可重做的操作") if redo else _("没有可撤销的操作"))
        with write(self.ctx) as w:
            s = w.session
            current = self._current(s, step)
            conflicts = self._conflicts(step, current)
            if conflicts and not force:
                raise UndoConflictError(step.label, conflicts, redo=redo)
            targets: list[tuple[StateChange, Record, Record]] = []
            now = utcnow()
            for change in step.changes:
                found = current.get((change.kind, change.uuid))
                if found is None:
                    continue  # deleted for good since: nothing to bring back
                target = (
                    change.before if change.before is not None else replace(found, deleted_at=found.deleted_at or now)
                )
                targets.append((change, found, target))
            rank = {kind: i for i, kind in enumerate(_ORDER)}
            alive = [t for t in targets if t[2].deleted_at is None]
            leaving = [t for t in targets if t[2].deleted_at is not None]
            alive.sort(key=lambda t: (rank[t[0].kind], _depth(t[2])))
            leaving.sort(key=lambda t: (-rank[t[0].kind], -_depth(t[2])))
            for change, _found, target in alive + leaving:
                self._write(s, change.kind, target)
            s.flush()
            after = {
                (kind, uuid): version
                for kind in {c.kind for c, _f, _t in targets}
                for uuid, version in states.versions(
                    s, kind, [c.uuid for c, _f, _t in targets if c.kind == kind]
                ).items()
            }
        inverse = UndoStep(
            step.label,
            tuple(
                StateChange(c.kind, c.uuid, found, after[(c.kind, c.uuid)])
                for c, found, _t in targets
                if (c.kind, c.uuid) in after
            ),
            utcnow(),
            self.ctx.editor.label,
        )
        written = {
            (c.kind, c.uuid): (c.before.version, after[(c.kind, c.uuid)])
            for c, _found, _t in targets
            if c.before is not None and (c.kind, c.uuid) in after
        }
        self.ctx.history.moved(step, inverse, redo=redo, versions=written)
        return Op(step.label, w.changes)

    @staticmethod
    def _current(s: Session, step: UndoStep) -> dict[tuple[RecordKind, str], Record]:
        out: dict[tuple[RecordKind, str], Record] = {}
        for kind in {c.kind for c in step.changes}:
            uuids = [c.uuid for c in step.changes if c.kind == kind]
            out.update(((kind, u), r) for u, r in states.read_states(s, kind, uuids).items())
        return out

    @staticmethod
    def _conflicts(step: UndoStep, current: dict[tuple[RecordKind, str], Record]) -> list[UndoConflict]:
        conflicts = []
        for change in step.changes:
            found = current.get((change.kind, change.uuid))
            if found is None:
                name = states.record_name(change.before) if change.before is not None else ""
                conflicts.append(UndoConflict(change.kind, change.uuid, name, "", "", gone=True))
            elif found.version != change.after_version:
                conflicts.append(
                    UndoConflict(
                        change.kind,
                        change.uuid,
                        states.record_name(found),
                        found.updated_by,
                        local_minute(found.updated_at),
                        gone=False,
                    )
                )
        return conflicts

    def _write(self, s: Session, kind: RecordKind, state: Any) -> None:
        ctx = self.ctx
        if kind == RecordKind.CASE:
            CaseService(ctx).write_state(s, state)
        elif kind == RecordKind.PILOT:
            PilotService(ctx).write_state(s, state)
        elif kind == RecordKind.EXPERIMENT:
            PilotService(ctx).write_experiment_state(s, state)
        elif kind == RecordKind.ADOPTION:
            AdoptionService(ctx).write_state(s, state)
        elif kind == RecordKind.REGION:
            RegionService(ctx).write_state(s, state)
        elif kind == RecordKind.DESIGNATION:
            RegionService(ctx).write_designation_state(s, state)
        elif kind == RecordKind.SAVED_SEARCH:
            OverviewService(ctx).write_state(s, state)
        else:
            CatalogService(ctx).write_state(s, kind, state)


def _depth(state: Record) -> int:
    """How deep a place lies in the region tree (by its full name: a town's is longer than its county's)."""
    return len(getattr(state, "full_name", "") or "")
