"""The whole state of a stored record of any kind, read as its plain domain record.

Undo, redo and conflict handling work on these states: an operation remembers the state each
record had before it, and undoing writes that state back (see ``desktop.services.undo``). A state
is the record as ``desktop.store.mapping`` makes it, including its version and whether it sits in
the trash; reading many at once costs a few queries per kind, not one per record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.domain.changes import RecordKind
from desktop.domain.records import Record
from desktop.store import mapping as m
from desktop.store.changelog import ROW_OF
from desktop.store.schema import (
    AdoptionRow,
    DesignationRow,
    ExperimentRow,
    ObservationRow,
    PilotPlace,
    PilotRow,
    RegionRow,
    ThemeRow,
)

_BATCH = 500


def _theme_records(session: Session, rows: Sequence[ThemeRow]) -> list[Record]:
    parents = {r.parent_id for r in rows if r.parent_id}
    uuids = dict(session.execute(select(ThemeRow.id, ThemeRow.uuid).where(ThemeRow.id.in_(parents))).all())
    return [m.to_theme(r, uuids.get(r.parent_id) if r.parent_id else None) for r in rows]


def _simple(convert: Callable[[Any], Record]) -> Callable[[Session, Sequence[Any]], list[Record]]:
    return lambda _s, rows: [convert(r) for r in rows]


#: Per kind: the loader options a record needs, and how rows become records.
_READERS: dict[RecordKind, tuple[tuple[Any, ...], Callable[[Session, Sequence[Any]], list[Record]]]] = {
    RecordKind.CASE: (m.CASE_LOAD, _simple(m.to_case)),
    RecordKind.PILOT: ((selectinload(PilotRow.places).selectinload(PilotPlace.region),), _simple(m.to_pilot)),
    RecordKind.EXPERIMENT: (
        (
            selectinload(ExperimentRow.milestones),
            selectinload(ExperimentRow.progress_notes),
            selectinload(ExperimentRow.pilot),
        ),
        _simple(m.to_experiment),
    ),
    RecordKind.ADOPTION: (
        (selectinload(AdoptionRow.region), selectinload(AdoptionRow.case)),
        _simple(m.to_adoption),
    ),
    RecordKind.REGION: ((selectinload(RegionRow.parent),), _simple(m.to_region)),
    RecordKind.DESIGNATION: ((selectinload(DesignationRow.region),), _simple(m.to_designation)),
    RecordKind.THEME: ((), _theme_records),
    RecordKind.MODEL_TYPE: ((), _simple(m.to_model_type)),
    RecordKind.TAG: ((), _simple(m.to_tag)),
    RecordKind.INDICATOR: ((), _simple(m.to_indicator)),
    RecordKind.OBSERVATION: (
        (selectinload(ObservationRow.indicator), selectinload(ObservationRow.region)),
        _simple(m.to_observation),
    ),
    RecordKind.SAVED_SEARCH: ((), _simple(m.to_saved_search)),
}

#: Kinds whose states can be read (and so undone).
STATEFUL: frozenset[RecordKind] = frozenset(_READERS)


def _parts(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def read_states(session: Session, kind: RecordKind, uuids: Sequence[str]) -> dict[str, Record]:
    """The stored states of the records ``uuids`` of ``kind`` (trashed ones too; missing ones left out)."""
    options, convert = _READERS[kind]
    cls = ROW_OF[kind]
    out: dict[str, Record] = {}
    for part in _parts(list(dict.fromkeys(uuids))):
        rows = session.execute(select(cls).where(cls.uuid.in_(part)).options(*options)).scalars().all()
        out.update((r.uuid, r) for r in convert(session, rows))
    return out


def read_state(session: Session, kind: RecordKind, uuid: str) -> Record | None:
    """The stored state of one record, or None when there is none."""
    return read_states(session, kind, [uuid]).get(uuid)


def versions(session: Session, kind: RecordKind, uuids: Sequence[str]) -> dict[str, int]:
    """The stored versions of records (missing ones left out)."""
    cls = ROW_OF[kind]
    out: dict[str, int] = {}
    for part in _parts(list(dict.fromkeys(uuids))):
        out.update((u, v) for u, v in session.execute(select(cls.uuid, cls.version).where(cls.uuid.in_(part))))
    return out


def record_name(state: Record) -> str:
    """What a record is called, for messages (a case's title, a place's full name …)."""
    for attr in ("title", "full_name", "name", "label", "period", "note"):
        value = getattr(state, attr, "")
        if isinstance(value, str) and value:
            return value
    return ""
