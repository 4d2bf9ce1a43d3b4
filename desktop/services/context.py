"""What every service needs: the open library, the editor's identity, the search index and the
library's undo history; what every write returns (``Op``: its value and its change set).

Also the user-level errors services raise (not found, edited elsewhere, still in use), and
small helpers to load a row by UUID and stamp a change with who and when.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.changes import ChangeSet, RecordKind
from desktop.domain.i18n import _
from desktop.domain.records import Record
from desktop.domain.validation import DomainError
from desktop.search.index import SqliteSearchIndex
from desktop.store.db import Library
from desktop.store.schema import Tracked, utcnow

T = TypeVar("T", bound=Tracked)
V = TypeVar("V")


class NotFoundError(DomainError):
    """No record with that UUID (or name)."""


class ConcurrentEditError(DomainError):
    """The record was changed by someone else since it was read: the write was refused.

    ``current`` is the record as it is stored now (when the service could read it), so that the
    editor can show what changed on the other side.
    """

    def __init__(self, message: str, *, kind: RecordKind | None = None, current: Record | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.current = current


@dataclass(frozen=True)
class Op(Generic[V]):
    """What a write returns: its value and what it changed."""

    value: V
    changes: ChangeSet


@dataclass(frozen=True)
class StateChange:
    """One record an operation changed: its state before (None: it did not exist) and its version after."""

    kind: RecordKind
    uuid: str
    before: Record | None
    after_version: int


@dataclass(frozen=True)
class UndoStep:
    """One user operation that can be undone: its name and the records it changed, in order."""

    label: str
    changes: tuple[StateChange, ...]
    at: datetime
    by: str


def _remapped(step: UndoStep, versions: Mapping[tuple[RecordKind, str], tuple[int, int]]) -> UndoStep:
    changes = []
    for c in step.changes:
        old_new = versions.get((c.kind, c.uuid))
        if old_new is not None and c.after_version == old_new[0]:
            c = replace(c, after_version=old_new[1])
        changes.append(c)
    return replace(step, changes=tuple(changes))


class UndoHistory:
    """The undo and redo stacks of one open library (shared by every service acting on it).

    Safe to use from several threads: writes push steps on the write lane, the window reads labels.
    """

    def __init__(self, limit: int = 100) -> None:
        self.limit = limit
        self._undo: list[UndoStep] = []
        self._redo: list[UndoStep] = []
        self._lock = threading.Lock()

    def push(self, step: UndoStep) -> None:
        """A new operation: it can be undone; what was undone before can no longer be redone."""
        with self._lock:
            self._undo.append(step)
            del self._undo[: -self.limit]
            self._redo.clear()

    def peek(self, *, redo: bool = False) -> UndoStep | None:
        """The step Ctrl+Z (or, with ``redo``, Ctrl+Shift+Z) would take, if any."""
        with self._lock:
            stack = self._redo if redo else self._undo
            return stack[-1] if stack else None

    def moved(
        self,
        step: UndoStep,
        inverse: UndoStep,
        *,
        redo: bool = False,
        versions: Mapping[tuple[RecordKind, str], tuple[int, int]] | None = None,
    ) -> None:
        """``step`` was undone (or redone): take it off its stack and put ``inverse`` on the other.

        ``versions`` maps each record written back to (the version of the state written, its version
        now): the steps left below that expect the first now expect the second, since the record has
        the very content they left (so Ctrl+Z several times in a row is not taken for someone else's change).
        """
        with self._lock:
            source, target = (self._redo, self._undo) if redo else (self._undo, self._redo)
            if source and source[-1] is step:
                source.pop()
            target.append(inverse)
            del target[: -self.limit]
            if versions:
                source[:] = [_remapped(s, versions) for s in source]

    def labels(self) -> tuple[str | None, str | None]:
        """The names of the next undo and redo steps (None where there is none)."""
        with self._lock:
            return (
                self._undo[-1].label if self._undo else None,
                self._redo[-1].label if self._redo else None,
            )

    def clear(self) -> None:
        """Forget every step (records they name may be gone for good)."""
        with self._lock:
            self._undo.clear()
            self._redo.clear()


class InUseError(DomainError):
    """The record cannot be removed while other records refer to it."""


@dataclass(frozen=True)
class Editor:
    """The coordinator making changes: recorded on every record they touch."""

    name: str = ""
    unit: str = ""

    @property
    def label(self) -> str:
        """How the editor is written on records, e.g. ``张三（淳安县农业农村局）``.

        Record data, the same in every language of the window: not marked for translation.
        """
        if self.name and self.unit:
            return f"{self.name}（{self.unit}）"
        return self.name or self.unit or "本机用户"


@dataclass(frozen=True)
class ServiceContext:
    """The library, the editor, the index and the undo history of the services of one window or
    command. Frozen: a write made for another editor uses ``acting_as``, never a changed context."""

    library: Library
    editor: Editor = field(default_factory=Editor)
    index: SqliteSearchIndex = field(default_factory=SqliteSearchIndex)
    history: UndoHistory = field(default_factory=UndoHistory)

    def acting_as(self, editor: Editor) -> ServiceContext:
        """The same library, index and history, acting for ``editor``."""
        return replace(self, editor=editor)


def stamp(row: Tracked, editor: Editor) -> None:
    """Record who changed ``row`` and when (creation time too, for a new row)."""
    now = utcnow()
    if row.created_at is None:
        row.created_at = now
    row.updated_at = now
    row.updated_by = editor.label


def get_row(session: Session, cls: type[T], uuid: str, *, what: str, include_trashed: bool = False) -> T:
    """The row of ``cls`` with ``uuid``; ``NotFoundError`` naming ``what`` otherwise."""
    row = session.execute(select(cls).where(cls.uuid == uuid)).scalar_one_or_none()
    if row is None or (row.deleted_at is not None and not include_trashed):
        raise NotFoundError(_("找不到{what}（{uuid}）").format(what=what, uuid=uuid))
    return row


def check_version(
    row: Tracked,
    expected: int,
    *,
    what: str,
    current: Callable[[], Record] | None = None,
    kind: RecordKind | None = None,
) -> None:
    """Refuse to overwrite a record changed (or trashed) since the caller read it at version ``expected``.

    ``current`` makes the record as stored now, handed to the caller with the refusal.
    """
    if row.version != expected:
        raise ConcurrentEditError(
            _("{what}已被{who}于 {at} 修改，请重新打开后再编辑").format(
                what=what, who=row.updated_by or _("其他用户"), at=local_minute(row.updated_at)
            ),
            kind=kind,
            current=current() if current is not None else None,
        )


def local_minute(moment: datetime | None) -> str:
    """A stored (UTC) time as the local wall-clock time, to the minute."""
    if moment is None:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class _HasUuid(Protocol):
    uuid: str


C = TypeVar("C", bound=_HasUuid)
W = TypeVar("W", bound=_HasUuid)


def sync_children(
    existing: Sequence[C], wanted: Sequence[W], update: Callable[[C, W, int], None], make: Callable[[], C]
) -> list[C]:
    """The child rows for ``wanted`` items, matched by UUID: kept rows are updated in place (so
    their UUIDs never clash), new ones made; rows left out are dropped by the caller's cascade."""
    by_uuid = {row.uuid: row for row in existing}
    out: list[C] = []
    for position, item in enumerate(wanted):
        row = by_uuid.pop(item.uuid, None)
        if row is None:
            row = make()
            row.uuid = item.uuid
        update(row, item, position)
        out.append(row)
    return out
