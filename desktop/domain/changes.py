"""Change sets: what one operation changed, said as plain data every view can read.

A ``ChangeSet`` lists, per kind of record, the UUIDs created, updated, moved to the trash,
restored from it and deleted for good; for updates it also says which fields changed when that
is known (a change another writer made is known only by record). A kind may also be marked as
changed *wholesale* — too many records to list, or records the writer did not name — and a view
then treats every record of that kind as possibly changed.

Record kinds are stored and exchanged by their code (``case``, ``theme`` …) and shown by the
label ``kind_label`` gives, in the user's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .i18n import _


class RecordKind(StrEnum):
    """The kinds of stored record a change can touch (codes, never shown as they are)."""

    CASE = "case"
    PILOT = "pilot"
    EXPERIMENT = "experiment"
    ADOPTION = "adoption"
    REGION = "region"
    DESIGNATION = "designation"
    THEME = "theme"
    MODEL_TYPE = "model_type"
    TAG = "tag"
    INDICATOR = "indicator"
    OBSERVATION = "observation"
    SAVED_SEARCH = "saved_search"
    BRIEF_EXPORT = "brief_export"


#: Kinds the navigation, filters and pickers are built from: a change to one of them may change
#: what those show, beyond the counts of cases.
VOCABULARY: frozenset[RecordKind] = frozenset(
    {
        RecordKind.THEME,
        RecordKind.REGION,
        RecordKind.DESIGNATION,
        RecordKind.TAG,
        RecordKind.MODEL_TYPE,
        RecordKind.PILOT,
        RecordKind.EXPERIMENT,
        RecordKind.SAVED_SEARCH,
        RecordKind.INDICATOR,
    }
)


def kind_label(kind: RecordKind) -> str:
    """The word for a kind of record, in the user's language (案例, 主题 …)."""
    labels = {
        RecordKind.CASE: _("案例"),
        RecordKind.PILOT: _("试点"),
        RecordKind.EXPERIMENT: _("探索事项"),
        RecordKind.ADOPTION: _("推广记录"),
        RecordKind.REGION: _("地区"),
        RecordKind.DESIGNATION: _("地区标识"),
        RecordKind.THEME: _("主题"),
        RecordKind.MODEL_TYPE: _("模式类型"),
        RecordKind.TAG: _("标签"),
        RecordKind.INDICATOR: _("指标"),
        RecordKind.OBSERVATION: _("指标数值"),
        RecordKind.SAVED_SEARCH: _("智能分类"),
        RecordKind.BRIEF_EXPORT: _("导出记录"),
    }
    return labels[kind]


class Action(StrEnum):
    """What happened to a record."""

    CREATED = "created"
    UPDATED = "updated"
    TRASHED = "trashed"
    RESTORED = "restored"
    PURGED = "purged"


#: Actions that may add a record to a list or take it out (an update only may, by its fields).
MEMBERSHIP_ACTIONS = frozenset({Action.CREATED, Action.TRASHED, Action.RESTORED, Action.PURGED})

_Key = tuple[RecordKind, Action]


@dataclass(frozen=True)
class ChangeSet:
    """What an operation (or another writer) changed. Empty when nothing was."""

    records: Mapping[_Key, frozenset[str]] = field(default_factory=dict)
    #: Kinds changed beyond listing: every record of the kind may have changed.
    wholesale: frozenset[RecordKind] = frozenset()
    #: Fields known to have changed, per kind, for its updated records; a kind updated but missing
    #: here changed in fields nobody named.
    fields: Mapping[RecordKind, frozenset[str]] = field(default_factory=dict)
    #: Whether the change came from another writer (another window, the command line, a server peer).
    external: bool = False

    # building ----------------------------------------------------------------------------------
    @classmethod
    def of(
        cls,
        entries: Iterable[tuple[RecordKind, str, Action]] = (),
        *,
        wholesale: Iterable[RecordKind] = (),
        fields: Mapping[RecordKind, Iterable[str]] | None = None,
        external: bool = False,
    ) -> ChangeSet:
        """A change set from (kind, uuid, action) entries."""
        records: dict[_Key, set[str]] = {}
        for kind, uuid, action in entries:
            records.setdefault((kind, action), set()).add(uuid)
        return cls(
            {k: frozenset(v) for k, v in records.items() if v},
            frozenset(wholesale),
            {k: frozenset(v) for k, v in (fields or {}).items()},
            external,
        )

    @classmethod
    def everything(cls, *, external: bool = True) -> ChangeSet:
        """A change set saying that anything may have changed (a library replaced, a log gap)."""
        return cls(wholesale=frozenset(RecordKind), external=external)

    def __or__(self, other: ChangeSet) -> ChangeSet:
        records: dict[_Key, frozenset[str]] = dict(self.records)
        for key, uuids in other.records.items():
            records[key] = records.get(key, frozenset()) | uuids
        updated = {k for (k, a) in records if a == Action.UPDATED}
        fields: dict[RecordKind, frozenset[str]] = {}
        for kind in updated:
            mine = self.fields.get(kind) if (kind, Action.UPDATED) in self.records else frozenset()
            theirs = other.fields.get(kind) if (kind, Action.UPDATED) in other.records else frozenset()
            if mine is not None and theirs is not None:
                fields[kind] = mine | theirs
        return ChangeSet(records, self.wholesale | other.wholesale, fields, self.external or other.external)

    # reading -----------------------------------------------------------------------------------
    @property
    def empty(self) -> bool:
        """Whether nothing changed."""
        return not self.records and not self.wholesale

    def uuids(self, kind: RecordKind, *actions: Action) -> frozenset[str]:
        """UUIDs of ``kind`` that underwent any of ``actions`` (every action when none is given)."""
        wanted = actions or tuple(Action)
        out: frozenset[str] = frozenset()
        for action in wanted:
            out |= self.records.get((kind, action), frozenset())
        return out

    def touches(self, kind: RecordKind, uuid: str | None = None) -> bool:
        """Whether records of ``kind`` (or the one with ``uuid``) may have changed."""
        if kind in self.wholesale:
            return True
        if uuid is None:
            return any(k == kind for k, _a in self.records)
        return uuid in self.uuids(kind)

    def kinds(self) -> frozenset[RecordKind]:
        """Every kind with a change."""
        return frozenset(k for k, _a in self.records) | self.wholesale

    @property
    def vocabulary(self) -> frozenset[RecordKind]:
        """The vocabulary kinds touched (themes, regions, tags, model types, pilots …)."""
        return self.kinds() & VOCABULARY

    def membership_may_change(self, kind: RecordKind) -> bool:
        """Whether records of ``kind`` were added, trashed, restored or deleted (or changed wholesale)."""
        return kind in self.wholesale or any((kind, a) in self.records for a in MEMBERSHIP_ACTIONS)

    def changed_fields(self, kind: RecordKind) -> frozenset[str] | None:
        """Fields changed in updated records of ``kind``; None when they are not known."""
        if kind in self.wholesale:
            return None
        if (kind, Action.UPDATED) not in self.records:
            return frozenset()
        return self.fields.get(kind)

    def describe(self) -> str:
        """A short account for logs, e.g. ``case updated 1; tag created 2``."""
        parts = [f"{k.value} {a.value} {len(v)}" for (k, a), v in sorted(self.records.items())]
        parts += [f"{k.value} wholesale" for k in sorted(self.wholesale)]
        return "; ".join(parts) or "nothing"
