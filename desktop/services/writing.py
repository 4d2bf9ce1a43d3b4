"""One write as one operation: a unit of work that knows what it changed and how to undo it.

``write(ctx, label)`` opens a unit of work for a service operation. Inside, the operation names the
records it is about to change (``track``, ``track_new``); their states before are read in the same
transaction. When the block ends the unit of work commits, the change set it recorded is
available as ``Writing.changes``, and — when the operation has a label — one step is pushed on the
library's undo history, holding each record's state before and its version after::

    with write(self.ctx, _("编辑案例")) as w:
        w.track(RecordKind.CASE, [case.uuid])
        ...change rows in w.session...
    return Op(value, w.changes)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.changes import Action, ChangeSet, RecordKind, kind_label
from desktop.domain.i18n import _
from desktop.domain.records import Record
from desktop.services import states
from desktop.services.context import NotFoundError, ServiceContext, StateChange, UndoStep, check_version
from desktop.store.changelog import ROW_OF, recorder
from desktop.store.schema import utcnow


class Writing:
    """The operation in progress: its session, the records it tracks, and afterwards its changes."""

    def __init__(self, ctx: ServiceContext, session: Session, label: str | None) -> None:
        self.ctx = ctx
        self.session = session
        self.label = label
        self._before: dict[tuple[RecordKind, str], Record | None] = {}
        self._order: list[tuple[RecordKind, str]] = []
        self._after: dict[tuple[RecordKind, str], int] = {}
        self._changes: ChangeSet | None = None

    # during the operation ------------------------------------------------------------------------
    def track(self, kind: RecordKind, uuids: Iterable[str]) -> None:
        """Remember the current state of records about to change (ones not stored yet count as new)."""
        wanted = [u for u in dict.fromkeys(uuids) if (kind, u) not in self._before]
        if not wanted or self.label is None:
            return
        found = states.read_states(self.session, kind, wanted)
        for uuid in wanted:
            self._before[(kind, uuid)] = found.get(uuid)
            self._order.append((kind, uuid))

    def track_new(self, kind: RecordKind, uuids: Iterable[str]) -> None:
        """Remember records this operation adds (undoing it moves them to the trash)."""
        if self.label is None:
            return
        for uuid in dict.fromkeys(uuids):
            if (kind, uuid) not in self._before:
                self._before[(kind, uuid)] = None
                self._order.append((kind, uuid))

    def checked(self, kind: RecordKind, uuid: str, version: int) -> Any:
        """The stored row of a record about to be changed, refused with ``ConcurrentEditError`` (carrying
        the record as stored now) unless it is still at ``version``; tracked for undo."""
        cls = ROW_OF[kind]
        row = self.session.execute(select(cls).where(cls.uuid == uuid)).scalar_one_or_none()
        if row is None or row.deleted_at is not None:
            raise NotFoundError(_("找不到{what}（{uuid}）").format(what=kind_label(kind), uuid=uuid))
        if row.version != version:
            stored = states.read_state(self.session, kind, uuid)
            assert stored is not None
            name = states.record_name(stored)
            what = _("{kind}“{name}”").format(kind=kind_label(kind), name=name) if name else kind_label(kind)
            check_version(row, version, what=what, kind=kind, current=lambda: stored)
        self.track(kind, [uuid])
        return row

    def saving(self, kind: RecordKind, record: Record) -> tuple[Any, bool]:
        """The row to save ``record`` into: the stored one (see ``checked``) or a new one, added to the
        session; and whether it is new."""
        cls = ROW_OF[kind]
        exists = self.session.execute(select(cls.id).where(cls.uuid == record.uuid)).first() is not None
        if exists:
            return self.checked(kind, record.uuid, record.version), False
        self.track_new(kind, [record.uuid])
        row = cls()
        row.uuid = record.uuid
        self.session.add(row)
        return row, True

    def _finish(self) -> None:
        """Inside the transaction, after the last change: the records it added count as tracked (undo
        moves them to the trash), and the versions of every tracked record are read."""
        self.session.flush()
        if self.label is not None:
            added = recorder(self.session).change_set()
            for kind in states.STATEFUL:
                self.track_new(kind, sorted(added.uuids(kind, Action.CREATED)))
        by_kind: dict[RecordKind, list[str]] = {}
        for kind, uuid in self._order:
            by_kind.setdefault(kind, []).append(uuid)
        for kind, uuids in by_kind.items():
            for uuid, version in states.versions(self.session, kind, uuids).items():
                self._after[(kind, uuid)] = version

    # afterwards ----------------------------------------------------------------------------------
    @property
    def changes(self) -> ChangeSet:
        """What the operation changed (after the block)."""
        assert self._changes is not None, "the changes are known once the write has committed"
        return self._changes

    def undo_step(self) -> UndoStep | None:
        """The step that undoes this operation, if it has a label and changed a tracked record."""
        if self.label is None:
            return None
        entries = []
        for key in self._order:
            before, after = self._before[key], self._after.get(key)
            if after is None:
                continue  # tracked but never written (or gone)
            if before is not None and before.version == after:
                continue  # tracked, but left as it was
            entries.append(StateChange(key[0], key[1], before, after))
        if not entries:
            return None
        return UndoStep(self.label, tuple(entries), utcnow(), self.ctx.editor.label)


@contextmanager
def write(ctx: ServiceContext, label: str | None = None) -> Iterator[Writing]:
    """A unit of work for one operation; with ``label``, an undoable one (see the module's text)."""
    with ctx.library.unit_of_work() as session:
        w = Writing(ctx, session, label)
        yield w
        w._finish()
        rec = recorder(session)
    w._changes = rec.change_set()
    step = w.undo_step()
    if step is not None:
        ctx.history.push(step)
