"""What an export asks for: a work brief (工作简报), a case collection (典型案例汇编) or a
one-case sheet (案例单页), with its title, issue number, compiling unit, date and recipients."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Template(StrEnum):
    """The kinds of PDF the casebook sets."""

    BRIEF = "brief"  # 工作简报, after GB/T 9704-2012
    COLLECTION = "collection"  # 典型案例汇编
    CASE = "case"  # 案例单页


class GroupBy(StrEnum):
    """How a collection groups its cases into chapters."""

    THEME = "theme"
    REGION = "region"
    MODEL_TYPE = "model-type"
    NONE = "none"


@dataclass(frozen=True)
class Recipients:
    """The 报尾 of a brief: who it is reported to, sent to and issued to, and copies printed."""

    report_to: str = ""  # 报
    send_to: str = ""  # 送
    issue_to: str = ""  # 发
    copies: int | None = None  # 共印 N 份


@dataclass(frozen=True)
class BriefSpec:
    """Everything about an export except the cases themselves (given in order alongside)."""

    template: Template = Template.BRIEF
    title: str = ""
    masthead: str = "千万工程试点工作简报"  # the brief's name, large and red on page 1
    issue_no: int | None = None  # 第 N 期, counted per year
    year: int = field(default_factory=lambda: date.today().year)
    unit: str = ""  # 编印单位 / author of the PDF
    issued_on: date = field(default_factory=date.today)
    editor_note: str = ""  # 编者按
    recipients: Recipients = Recipients()
    group_by: GroupBy = GroupBy.THEME
    keywords: tuple[str, ...] = ()
