"""Two editors, one record: what each side changed since the version both started from, field by field.

When a save is refused because someone else saved first, the editor has three versions of the
record: the one it loaded (the *base*), the user's (*mine*) and the one stored now (*theirs*). A
field only one side changed goes to that side; a field both changed differently is a conflict the
user settles — keep mine or take theirs — or edits by hand. ``compare`` lists the fields that differ,
``merge`` makes the record to save from the user's choices (on top of *theirs*, so it carries the
stored version). Plain dataclass records in, plain records out: the same for cases and pilots.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any, Generic, TypeVar

from .i18n import _
from .records import Figure, Milestone, Photo, ProgressNote, Record, Ref

R = TypeVar("R", bound=Record)


class Side(StrEnum):
    """Whose value of a field to keep."""

    MINE = "mine"
    THEIRS = "theirs"


@dataclass(frozen=True)
class FieldDiff:
    """One field whose value differs between the user's record and the stored one."""

    name: str
    label: str
    base: Any
    mine: Any
    theirs: Any

    @property
    def conflict(self) -> bool:
        """Both sides changed it, differently: the user must choose (or edit by hand)."""
        return bool(self.mine != self.base and self.theirs != self.base)

    @property
    def suggested(self) -> Side:
        """The side a merge takes without asking: whoever changed it (mine for a conflict)."""
        return Side.THEIRS if self.mine == self.base else Side.MINE


@dataclass
class Conflict(Generic[R]):
    """A save refused because the record was saved elsewhere first: both sides, what differs, and
    the side the user chose for each field so far."""

    mine: R
    theirs: R
    diffs: list[FieldDiff]
    choices: dict[str, Side]

    @classmethod
    def of(cls, base: R, mine: R, theirs: R, fields: Sequence[tuple[str, str]]) -> Conflict[R]:
        """The conflict between the user's record and the stored one, both edits of ``base``."""
        return cls(mine, theirs, compare(base, mine, theirs, fields), {})

    def choose(self, name: str, side: Side) -> R:
        """Keep ``side``'s value of a field; returns the record to show now."""
        self.choices[name] = side
        return self.merged()

    def merged(self) -> R:
        """The record the choices make (see ``merge``)."""
        return merge(self.mine, self.theirs, self.diffs, self.choices)


def case_fields() -> list[tuple[str, str]]:
    """The fields of a case a user edits, with their labels, in the editor's order."""
    return [
        ("title", _("标题")),
        ("subtitle", _("副标题")),
        ("model_type", _("模式类型")),
        ("places", _("地区")),
        ("themes", _("主题")),
        ("tags", _("标签")),
        ("basic_situation", _("基本情况")),
        ("practices", _("主要做法")),
        ("outcomes", _("取得成效")),
        ("lessons", _("经验启示")),
        ("figures", _("数据")),
        ("photos", _("照片")),
        ("source", _("来源")),
        ("source_url", _("来源链接")),
        ("reported_on", _("报送日期")),
        ("review_status", _("审核状态")),
        ("return_reason", _("退回原因")),
        ("pilot", _("试点")),
    ]


def pilot_fields() -> list[tuple[str, str]]:
    """The fields of a pilot a user edits, with their labels."""
    return [
        ("name", _("名称")),
        ("kind", _("类型")),
        ("batch", _("批次")),
        ("lead_unit", _("牵头单位")),
        ("places", _("地区")),
        ("period_start", _("开始日期")),
        ("period_end", _("结束日期")),
        ("status", _("状态")),
        ("description", _("说明")),
    ]


def experiment_fields() -> list[tuple[str, str]]:
    """The fields of an experiment a user edits, with their labels."""
    return [
        ("title", _("标题")),
        ("status", _("状态")),
        ("responsible_unit", _("责任单位")),
        ("objective", _("目标")),
        ("measures", _("举措")),
        ("findings", _("压力测试发现")),
        ("milestones", _("时间节点")),
        ("progress_notes", _("进展")),
    ]


def compare(base: R, mine: R, theirs: R, fields: Sequence[tuple[str, str]]) -> list[FieldDiff]:
    """The fields (of ``fields``) where the user's record and the stored one differ."""
    out = []
    for name, label in fields:
        b, m, t = getattr(base, name), getattr(mine, name), getattr(theirs, name)
        if m != t:
            out.append(FieldDiff(name, label, b, m, t))
    return out


def merge(mine: R, theirs: R, diffs: Sequence[FieldDiff], choices: Mapping[str, Side] | None = None) -> R:
    """The record to save: the stored one (its version and bookkeeping) with each differing field taken
    from the side chosen, else the side ``FieldDiff.suggested`` names."""
    chosen = choices or {}
    values = {d.name: (d.mine if chosen.get(d.name, d.suggested) == Side.MINE else d.theirs) for d in diffs}
    return replace(theirs, **values)


def shown(value: Any) -> str:
    """A field's value as the conflict view shows it, on one or a few lines."""
    if value is None:
        return _("（空）")
    if isinstance(value, str):
        return value or _("（空）")
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Ref):
        return value.name or value.uuid
    if isinstance(value, list):
        if not value:
            return _("（空）")
        return "\n".join(_item(v) for v in value)
    return str(value)


def _item(value: Any) -> str:
    if isinstance(value, Ref):
        return value.name or value.uuid
    if isinstance(value, Figure):
        return f"{value.label}：{value.qualifier}{value.value:g}{value.unit}（{value.period}）"
    if isinstance(value, Photo):
        return value.caption or value.file_name
    if isinstance(value, Milestone):
        return f"{value.due_date.isoformat()} {value.title}" + (
            f" ✓{value.done_on.isoformat()}" if value.done_on else ""
        )
    if isinstance(value, ProgressNote):
        return f"{value.noted_on.isoformat()} {value.text}"
    return str(value)
