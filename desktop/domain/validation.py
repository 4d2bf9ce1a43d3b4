"""Validation rules of the records; every problem names the field at fault, in the current language.

``validate_*`` functions return nothing and raise ``ValidationError`` listing every problem
found at once, so a form or an import report can show them all.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from .enums import REVIEW_TRANSITIONS, ReviewStatus
from .i18n import _
from .merge import case_fields
from .records import (
    Adoption,
    Experiment,
    Indicator,
    ModelCase,
    ModelType,
    Observation,
    PilotSite,
    Region,
    RegionDesignation,
    Theme,
)

TITLE_MAX = 200
#: Characters no text of a record may hold: C0 controls but tab and line breaks, DEL and C1 controls.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class FieldError:
    """One problem: the field's path (e.g. ``figures[2].unit``), its label and the message."""

    field: str
    label: str
    message: str

    def __str__(self) -> str:
        # Translators: a field's label and what is wrong with it
        return _("{label}：{message}").format(label=self.label, message=self.message)


class DomainError(Exception):
    """A user-level problem, with a message meant for the user (Chinese by default).

    Every subclass travels between processes as it is (its message and its attributes), whatever
    its constructor takes: a refusal met in a helper process reaches the window unchanged.
    """

    def __reduce__(self) -> tuple[object, ...]:
        return (_restore_error, (type(self), self.args, self.__dict__))


def _restore_error(cls: type[DomainError], args: tuple[object, ...], state: dict[str, object]) -> DomainError:
    """A domain error rebuilt from its class, message and attributes (see ``DomainError.__reduce__``)."""
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class ValidationError(DomainError):
    """A record failed validation; ``errors`` lists every field at fault."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        # Translators: between the problems of one record
        super().__init__(_("；").join(str(e) for e in errors))

    def fields(self) -> list[str]:
        """The paths of the fields at fault."""
        return [e.field for e in self.errors]


class _Collector:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, label: str, message: str) -> None:
        self.errors.append(FieldError(field, label, message))

    def required(self, value: str | None, field: str, label: str) -> None:
        if value is None or not str(value).strip():
            self.add(field, label, _("不能为空"))

    def max_length(self, value: str, limit: int, field: str, label: str) -> None:
        if len(value) > limit:
            self.add(field, label, _("不能超过 {n} 个字").format(n=limit))

    def plain(self, value: str, field: str, label: str) -> None:
        """Text with no control characters (NUL, a terminal escape sequence …); line breaks and tabs pass."""
        if CONTROL_CHARACTERS.search(value):
            self.add(field, label, _("含有控制字符（如 NUL 或终端转义序列）"))

    def period(self, start: date | None, end: date | None, field: str, label: str) -> None:
        if start is not None and end is not None and end < start:
            self.add(field, label, _("结束日期早于开始日期"))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def validate_case(case: ModelCase) -> None:
    """Check a model case: title, review status, figures and photos."""
    c = _Collector()
    c.required(case.title, "title", _("标题"))
    c.max_length(case.title, TITLE_MAX, "title", _("标题"))
    c.max_length(case.subtitle, TITLE_MAX, "subtitle", _("副标题"))
    for name, label in case_fields():
        value = getattr(case, name)
        if isinstance(value, str):
            c.plain(value, name, label)
    for i, tag in enumerate(case.tags):
        c.plain(tag, f"tags[{i}]", _("标签"))
    if case.review_status == ReviewStatus.RETURNED and not case.return_reason.strip():
        c.add("return_reason", _("退回原因"), _("退回时须写明原因"))
    for i, fig in enumerate(case.figures):
        row = _("数据第 {n} 行").format(n=i + 1)
        c.required(fig.label, f"figures[{i}].label", f"{row} · " + _("指标"))
        c.required(fig.unit, f"figures[{i}].unit", f"{row} · " + _("单位"))
        c.required(fig.period, f"figures[{i}].period", f"{row} · " + _("时期"))
        for name, label in (("label", _("指标")), ("unit", _("单位")), ("period", _("时期"))):
            c.plain(getattr(fig, name), f"figures[{i}].{name}", f"{row} · " + label)
        if not math.isfinite(fig.value):
            c.add(f"figures[{i}].value", f"{row} · " + _("数值"), _("不是有效数字"))
    for i, photo in enumerate(case.photos):
        c.required(photo.file_name, f"photos[{i}].file_name", _("照片第 {n} 张").format(n=i + 1))
        c.plain(photo.caption, f"photos[{i}].caption", _("照片第 {n} 张").format(n=i + 1))
        c.plain(photo.credit, f"photos[{i}].credit", _("照片第 {n} 张").format(n=i + 1))
    c.raise_if_any()


def check_review_transition(old: ReviewStatus, new: ReviewStatus, reason: str) -> None:
    """Refuse a move of the review chain that the chain does not allow."""
    if old == new:
        return
    if new not in REVIEW_TRANSITIONS[old]:
        raise ValidationError(
            [FieldError("review_status", _("审核状态"), _("不能从“{a}”改为“{b}”").format(a=old.value, b=new.value))]
        )
    if new == ReviewStatus.RETURNED and not reason.strip():
        raise ValidationError([FieldError("return_reason", _("退回原因"), _("退回时须写明原因"))])


def validate_pilot(pilot: PilotSite) -> None:
    """Check a pilot site: name and period."""
    c = _Collector()
    c.required(pilot.name, "name", _("试点名称"))
    c.plain(pilot.name, "name", _("试点名称"))
    c.max_length(pilot.name, TITLE_MAX, "name", _("试点名称"))
    c.period(pilot.period_start, pilot.period_end, "period_end", _("试点期限"))
    c.raise_if_any()


def validate_experiment(exp: Experiment) -> None:
    """Check an experiment, its milestones and progress notes."""
    c = _Collector()
    c.required(exp.title, "title", _("探索事项"))
    c.max_length(exp.title, TITLE_MAX, "title", _("探索事项"))
    for i, ms in enumerate(exp.milestones):
        c.required(ms.title, f"milestones[{i}].title", _("节点第 {n} 行 · 内容").format(n=i + 1))
        if ms.done_on is not None and ms.done_on > date.today():
            c.add(f"milestones[{i}].done_on", _("节点第 {n} 行 · 完成日期").format(n=i + 1), _("完成日期不能晚于今天"))
    for i, note in enumerate(exp.progress_notes):
        c.required(note.text, f"progress_notes[{i}].text", _("进展第 {n} 条").format(n=i + 1))
    c.raise_if_any()


def validate_region(region: Region) -> None:
    """Check a region's name."""
    c = _Collector()
    c.required(region.name, "name", _("地区名称"))
    c.max_length(region.name, 60, "name", _("地区名称"))
    c.raise_if_any()


def validate_designation(d: RegionDesignation) -> None:
    """Check a dated designation: kind and validity period."""
    c = _Collector()
    c.required(d.kind, "kind", _("标识类型"))
    if d.valid_to is not None and d.valid_to <= d.valid_from:
        c.add("valid_to", _("有效期"), _("结束日期须晚于开始日期"))
    c.raise_if_any()


def validate_named(record: Theme | ModelType, label: str) -> None:
    """Check a record whose only rule is a non-empty name (theme, model type)."""
    c = _Collector()
    c.required(record.name, "name", label)
    c.max_length(record.name, 100, "name", label)
    c.raise_if_any()


def validate_indicator(ind: Indicator) -> None:
    """Check an indicator: name required."""
    c = _Collector()
    c.required(ind.name, "name", _("指标名称"))
    c.raise_if_any()


def validate_observation(obs: Observation) -> None:
    """Check an indicator value: period and a finite value."""
    c = _Collector()
    c.required(obs.period, "period", _("时期"))
    if not math.isfinite(obs.value):
        c.add("value", _("数值"), _("不是有效数字"))
    c.raise_if_any()


def validate_adoption(a: Adoption) -> None:
    """Check an adoption: the place that took the model up."""
    c = _Collector()
    c.required(a.region.uuid, "region", _("推广地区"))
    c.raise_if_any()
