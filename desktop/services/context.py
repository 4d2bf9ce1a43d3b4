"""What every service needs: the open library, the editor's identity, the search index.

Also the user-level errors services raise (not found, edited elsewhere, still in use), and
small helpers to load a row by UUID and stamp a change with who and when.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.i18n import _
from desktop.domain.validation import DomainError
from desktop.search.index import SqliteSearchIndex
from desktop.store.db import Library
from desktop.store.schema import Tracked, utcnow

T = TypeVar("T", bound=Tracked)


class NotFoundError(DomainError):
    """No record with that UUID (or name)."""


class ConcurrentEditError(DomainError):
    """The record was changed by someone else since it was read."""


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


@dataclass
class ServiceContext:
    """The library, the editor and the index, shared by the services of one window or command."""

    library: Library
    editor: Editor = field(default_factory=Editor)
    index: SqliteSearchIndex = field(default_factory=SqliteSearchIndex)


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


def check_version(row: Tracked, expected: int, *, what: str) -> None:
    """Refuse to overwrite a record changed since the caller read it (``expected`` 0: new)."""
    if expected and row.version != expected:
        raise ConcurrentEditError(
            _("{what}已被{who}于 {at} 修改，请重新打开后再编辑").format(
                what=what, who=row.updated_by or _("其他用户"), at=f"{row.updated_at:%Y-%m-%d %H:%M}"
            )
        )


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
