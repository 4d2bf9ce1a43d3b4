"""What every write changed: captured in the unit of work, written to the change log, read back.

Every session a ``Library`` opens for writing carries a ``ChangeRecorder``. After each flush it
notes the tracked records (cases, pilots, themes …) that were added, updated, moved to the trash,
restored or deleted, and which fields of them changed; statements that bypass the ORM (bulk
inserts and deletes) say what they touched with ``note``. When the unit of work commits, the
recorder's entries go into the ``change_log`` table in the same transaction, so the log names
exactly what was committed. Another window or program on the same library reads the entries
written by other writers since the last one it saw (``read_since``) and turns them into the same
change set a local operation returns.

On SQLite one writer commits at a time, so log numbers grow in commit order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, insert, inspect, select
from sqlalchemy.orm import Session

from desktop.domain.changes import Action, ChangeSet, RecordKind
from desktop.store.schema import (
    AdoptionRow,
    BriefExportRow,
    CasePlace,
    CaseRow,
    CaseTag,
    CaseTheme,
    ChangeLogRow,
    DesignationRow,
    ExperimentRow,
    FigureRow,
    IndicatorRow,
    MilestoneRow,
    ModelTypeRow,
    ObservationRow,
    PhotoRow,
    PilotPlace,
    PilotRow,
    ProgressNoteRow,
    RegionRow,
    SavedSearchRow,
    TagRow,
    ThemeRow,
    Tracked,
    utcnow,
)

#: The kind of each tracked row class.
KIND_OF: dict[type[Tracked], RecordKind] = {
    CaseRow: RecordKind.CASE,
    PilotRow: RecordKind.PILOT,
    ExperimentRow: RecordKind.EXPERIMENT,
    AdoptionRow: RecordKind.ADOPTION,
    RegionRow: RecordKind.REGION,
    DesignationRow: RecordKind.DESIGNATION,
    ThemeRow: RecordKind.THEME,
    ModelTypeRow: RecordKind.MODEL_TYPE,
    TagRow: RecordKind.TAG,
    IndicatorRow: RecordKind.INDICATOR,
    ObservationRow: RecordKind.OBSERVATION,
    SavedSearchRow: RecordKind.SAVED_SEARCH,
}
#: Rows whose creation is a change too, though they are not tracked records (the export history).
_NEW_KIND_OF: dict[type[Any], RecordKind] = {**KIND_OF, BriefExportRow: RecordKind.BRIEF_EXPORT}
#: The row class of each tracked kind.
ROW_OF: dict[RecordKind, type[Tracked]] = {kind: cls for cls, kind in KIND_OF.items()}

#: Rows that are parts of a record: a change to one is a change of this field of its owner.
_PARTS: dict[type[Any], tuple[RecordKind, str]] = {
    CasePlace: (RecordKind.CASE, "places"),
    CaseTheme: (RecordKind.CASE, "themes"),
    CaseTag: (RecordKind.CASE, "tags"),
    FigureRow: (RecordKind.CASE, "figures"),
    PhotoRow: (RecordKind.CASE, "photos"),
    PilotPlace: (RecordKind.PILOT, "places"),
    MilestoneRow: (RecordKind.EXPERIMENT, "milestones"),
    ProgressNoteRow: (RecordKind.EXPERIMENT, "progress_notes"),
}
#: Columns that are bookkeeping, not content: never reported as a changed field.
_BOOKKEEPING = frozenset({"id", "uuid", "created_at", "updated_at", "updated_by", "version", "deleted_at", "path"})
#: Foreign-key columns reported under the name of the record they point to.
_FIELD_NAMES = {"model_type_id": "model_type", "pilot_id": "pilot", "parent_id": "parent", "region_id": "region"}

#: A kind with more entries than this in one commit is logged as one "many" entry.
MANY = 2000
ANY_UUID = "*"
#: Log entries older than this are removed now and then.
KEEP = timedelta(days=30)
_PRUNE_EVERY = 1000

RECORDER_KEY = "casebook.changes"


class ChangeRecorder:
    """The changes of one unit of work, as they are flushed."""

    def __init__(self) -> None:
        self._entries: dict[tuple[RecordKind, Action], set[str]] = {}
        self._fields: dict[RecordKind, set[str]] = {}
        self._unnamed_fields: set[RecordKind] = set()
        self._wholesale: set[RecordKind] = set()

    # noting ------------------------------------------------------------------------------------
    def note(self, kind: RecordKind, uuids: Iterable[str], action: Action, fields: Iterable[str] | None = ()) -> None:
        """Record ``action`` on the records ``uuids`` of ``kind`` (for updates, the fields changed;
        None when they are not known)."""
        found = set(uuids)
        if not found:
            return
        self._entries.setdefault((kind, action), set()).update(found)
        if action == Action.UPDATED:
            if fields is None:
                self._unnamed_fields.add(kind)
            else:
                self._fields.setdefault(kind, set()).update(fields)

    def note_wholesale(self, kind: RecordKind) -> None:
        """Record that records of ``kind`` changed that are not named one by one."""
        self._wholesale.add(kind)

    def note_part(self, kind: RecordKind, name: str) -> None:
        """Record that a part of records of ``kind`` changed (their figures, places …): a field of theirs."""
        self._fields.setdefault(kind, set()).add(name)

    def clear(self) -> None:
        """Forget everything (the transaction was rolled back)."""
        self._entries.clear()
        self._fields.clear()
        self._unnamed_fields.clear()
        self._wholesale.clear()

    # reading -----------------------------------------------------------------------------------
    def change_set(self) -> ChangeSet:
        """What was recorded, as a change set (a record added in this unit of work is only "created")."""
        created = {kind: uuids for (kind, action), uuids in self._entries.items() if action == Action.CREATED}
        entries: list[tuple[RecordKind, str, Action]] = []
        for (kind, action), uuids in self._entries.items():
            keep = uuids if action == Action.CREATED else uuids - created.get(kind, set())
            entries.extend((kind, u, action) for u in keep)
        fields = {k: v for k, v in self._fields.items() if k not in self._unnamed_fields}
        return ChangeSet.of(entries, wholesale=self._wholesale, fields=fields)

    def log_rows(self, writer: str) -> list[dict[str, Any]]:
        """The change log entries of what was recorded."""
        now = utcnow()
        rows: list[dict[str, Any]] = []
        changes = self.change_set()
        for (kind, action), uuids in changes.records.items():
            named = [ANY_UUID] if len(uuids) > MANY else sorted(uuids)
            rows.extend(
                {"writer": writer, "kind": kind.value, "uuid": u, "action": action.value, "at": now} for u in named
            )
        for kind in changes.wholesale:
            rows.append(
                {"writer": writer, "kind": kind.value, "uuid": ANY_UUID, "action": Action.UPDATED.value, "at": now}
            )
        return rows


def recorder(session: Session) -> ChangeRecorder:
    """The change recorder of a session the library opened for writing."""
    found = session.info.get(RECORDER_KEY)
    if found is None:
        found = session.info[RECORDER_KEY] = ChangeRecorder()
    assert isinstance(found, ChangeRecorder)
    return found


# session hooks -------------------------------------------------------------------------------------


def _content_fields(obj: Any) -> set[str] | None:
    """The content fields of a dirty row whose values changed."""
    state = inspect(obj)
    changed: set[str] = set()
    for attr in state.mapper.attrs:
        if attr.key in _BOOKKEEPING:
            continue
        if state.attrs[attr.key].history.has_changes():
            changed.add(_FIELD_NAMES.get(attr.key, attr.key))
    return changed


def capture_flush(session: Session, _flush_context: Any) -> None:
    """After a flush: note the tracked rows it added, changed, trashed, restored or deleted."""
    rec = recorder(session)
    part_fields: dict[RecordKind, set[str]] = {}
    for obj in session.new:
        kind = _NEW_KIND_OF.get(type(obj))
        if kind is not None:
            rec.note(kind, [obj.uuid], Action.CREATED)
        elif type(obj) in _PARTS:
            owner, name = _PARTS[type(obj)]
            part_fields.setdefault(owner, set()).add(name)
    for obj in session.deleted:
        kind = KIND_OF.get(type(obj))
        if kind is not None:
            rec.note(kind, [obj.uuid], Action.PURGED)
        elif type(obj) in _PARTS:
            owner, name = _PARTS[type(obj)]
            part_fields.setdefault(owner, set()).add(name)
    for obj in session.dirty:
        kind = KIND_OF.get(type(obj))
        if kind is None:
            if type(obj) in _PARTS and session.is_modified(obj):
                owner, name = _PARTS[type(obj)]
                part_fields.setdefault(owner, set()).add(name)
            continue
        if not session.is_modified(obj):
            continue
        trash = inspect(obj).attrs["deleted_at"].history
        if trash.has_changes():
            was = next(iter(trash.deleted), None) if trash.deleted else None
            now = obj.deleted_at
            if was is None and now is not None:
                rec.note(kind, [obj.uuid], Action.TRASHED)
                continue
            if was is not None and now is None:
                rec.note(kind, [obj.uuid], Action.RESTORED)
                continue
        rec.note(kind, [obj.uuid], Action.UPDATED, _content_fields(obj))
    for owner, names in part_fields.items():
        for name in names:  # a part changes only together with its owner, which the same write stamps
            rec.note_part(owner, name)


def write_log(session: Session, writer: str) -> None:
    """Before a commit: flush, then log what the unit of work changed (in the same transaction)."""
    session.flush()
    rows = recorder(session).log_rows(writer)
    if not rows:
        return
    conn = session.connection()
    for start in range(0, len(rows), 500):
        conn.execute(insert(ChangeLogRow), rows[start : start + 500])
    last = conn.execute(select(func.max(ChangeLogRow.seq))).scalar() or 0
    if last // _PRUNE_EVERY != (last - len(rows)) // _PRUNE_EVERY:
        conn.execute(delete(ChangeLogRow).where(ChangeLogRow.at < utcnow() - KEEP))


def log_wholesale(conn: Any, writer: str, kinds: Iterable[RecordKind], action: Action = Action.CREATED) -> None:
    """Log, inside the caller's transaction on ``conn``, that many records of ``kinds`` changed
    (for bulk writes made outside a unit of work)."""
    now = utcnow()
    rows = [{"writer": writer, "kind": k.value, "uuid": ANY_UUID, "action": action.value, "at": now} for k in kinds]
    if rows:
        conn.execute(insert(ChangeLogRow), rows)


# reading the log -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogPosition:
    """Where a reader of the change log stands: the last entry seen."""

    seq: int


def log_position(session: Session) -> LogPosition:
    """The newest entry of the change log now."""
    return LogPosition(int(session.execute(select(func.max(ChangeLogRow.seq))).scalar() or 0))


def read_since(
    session: Session, since: LogPosition, writer: str, *, limit: int = 20_000
) -> tuple[LogPosition, ChangeSet]:
    """What writers other than ``writer`` committed after ``since``, and the new position.

    When entries were pruned past ``since``, or there are more than ``limit`` of them, every kind
    they touch (or every kind, after a gap) is reported as changed wholesale.
    """
    newest = log_position(session)
    if newest.seq <= since.seq:
        return since, ChangeSet()
    if since.seq:
        oldest = session.execute(select(func.min(ChangeLogRow.seq))).scalar() or 0
        if oldest > since.seq + 1:
            return newest, ChangeSet.everything()
    after = (ChangeLogRow.seq > since.seq, ChangeLogRow.seq <= newest.seq, ChangeLogRow.writer != writer)
    count = session.execute(select(func.count()).select_from(ChangeLogRow).where(*after)).scalar_one()
    if count > limit:
        codes = session.execute(select(ChangeLogRow.kind).where(*after).distinct()).scalars()
        return newest, ChangeSet(wholesale=frozenset(_kinds(codes)), external=True)
    entries: list[tuple[RecordKind, str, Action]] = []
    wholesale: set[RecordKind] = set()
    for kind_code, uuid, action_code in session.execute(
        select(ChangeLogRow.kind, ChangeLogRow.uuid, ChangeLogRow.action).where(*after)
    ):
        known = _kinds([kind_code])
        if not known:
            continue
        if uuid == ANY_UUID:
            wholesale.update(known)
            continue
        try:
            action = Action(action_code)
        except ValueError:
            wholesale.update(known)
            continue
        entries.append((known[0], uuid, action))
    return newest, ChangeSet.of(entries, wholesale=wholesale, external=True)


def _kinds(codes: Iterable[str]) -> list[RecordKind]:
    """Known kinds among ``codes`` (a newer version may log kinds this one does not know)."""
    out = []
    for code in codes:
        try:
            out.append(RecordKind(code))
        except ValueError:
            continue
    return out


__all__ = [
    "KIND_OF",
    "ROW_OF",
    "ChangeRecorder",
    "LogPosition",
    "capture_flush",
    "log_position",
    "read_since",
    "recorder",
    "write_log",
]
