"""Words and numbers printed around cases (briefs, Word): Chinese numerals, dates, figures, chapters.

Everything here is document content: a brief or collection is a Chinese official document and reads
the same whatever language the window is in, so none of these words is marked for translation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from .brief import BriefSpec, GroupBy, Template
from .records import Figure, ModelCase

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """``n`` in Chinese numerals as used in headings: 1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五."""
    if n < 0:
        return "负" + cn_number(-n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        return head + ("零" + _DIGITS[rest] if rest < 10 else _DIGITS[rest // 10] + "十" + _tail(rest))
    return str(n)


def _tail(n: int) -> str:
    return _DIGITS[n % 10] if n % 10 else ""


def cn_date(day: date) -> str:
    """A date as printed on Chinese official documents: 2025年11月28日."""
    return f"{day.year}年{day.month}月{day.day}日"


SECTIONS: tuple[tuple[str, Callable[[ModelCase], str]], ...] = (
    ("基本情况", lambda c: c.basic_situation),
    ("主要做法", lambda c: c.practices),
    ("取得成效", lambda c: c.outcomes),
    ("经验启示", lambda c: c.lessons),
)


def sections(case: ModelCase) -> list[tuple[str, list[str]]]:
    """The case's non-empty sections: heading and its paragraphs (split at line ends)."""
    out: list[tuple[str, list[str]]] = []
    for label, get in SECTIONS:
        paras = paragraphs(get(case))
        if paras:
            out.append((label, paras))
    return out


def paragraphs(text: str) -> list[str]:
    """The non-empty paragraphs of ``text`` (one per line)."""
    return [p.strip() for p in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n") if p.strip()]


def format_value(value: float) -> str:
    """A figure's value without needless decimals: 1000.0 → 1000, 55.2 → 55.2, 3.456 → 3.46."""
    if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def figure_value(fig: Figure) -> str:
    """The printed value of a figure with its qualifier: 超过1000."""
    return f"{fig.qualifier or ''}{format_value(fig.value)}"


def period_key(period: str) -> tuple[float, ...]:
    """A sort key for period labels such as 2019年1-10月, 2023年9月, 截至2025年8月."""
    nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", period)]
    return tuple(nums) if nums else (float("inf"),)


def series(figures: Sequence[Figure]) -> list[tuple[str, str, list[Figure]]]:
    """Figures sharing a label over two or more periods: (label, unit, figures in period order)."""
    groups: dict[tuple[str, str], list[Figure]] = {}
    for fig in figures:
        groups.setdefault((fig.label.strip(), fig.unit.strip()), []).append(fig)
    out: list[tuple[str, str, list[Figure]]] = []
    for (label, unit), figs in groups.items():
        by_period: dict[str, Figure] = {}
        for fig in figs:
            by_period.setdefault(fig.period.strip(), fig)
        if len(by_period) >= 2:
            ordered = sorted(by_period.values(), key=lambda f: period_key(f.period))
            out.append((label, unit, ordered))
    return out


def city_of(place: str) -> str:
    """The city part of a place name: 杭州市淳安县枫树岭镇下姜村 → 杭州市; 淳安县 → 淳安县."""
    place = place.strip()
    if place.startswith("浙江省"):
        place = place[3:]
    i = place.find("市")
    if 0 < i <= 4:
        return place[: i + 1]
    return place


def chapter_of(case: ModelCase, group_by: GroupBy) -> str:
    """The chapter a case falls in when a collection is grouped by ``group_by``."""
    if group_by == GroupBy.THEME:
        return case.themes[0].name.strip() if case.themes and case.themes[0].name.strip() else "其他"
    if group_by == GroupBy.REGION:
        return city_of(case.places[0].name) if case.places and case.places[0].name.strip() else "其他"
    if group_by == GroupBy.MODEL_TYPE:
        name = case.model_type.name.strip() if case.model_type else ""
        return name or "其他"
    return ""


def group(cases: Sequence[ModelCase], group_by: GroupBy) -> list[tuple[str, list[ModelCase]]]:
    """Cases in chapters, chapters in order of first appearance, cases in the given order."""
    if group_by == GroupBy.NONE:
        return [("", list(cases))]
    chapters: dict[str, list[ModelCase]] = {}
    for case in cases:
        chapters.setdefault(chapter_of(case, group_by), []).append(case)
    return list(chapters.items())


def meta_line(case: ModelCase) -> str:
    """地点、模式类型、主题 of a case on one line."""
    parts: list[str] = []
    places = "、".join(p.name for p in case.places if p.name)
    if places:
        parts.append(f"地点：{places}")
    if case.model_type and case.model_type.name:
        parts.append(f"模式类型：{case.model_type.name}")
    themes = "、".join(t.name for t in case.themes if t.name)
    if themes:
        parts.append(f"主题：{themes}")
    return " · ".join(parts)


def source_line(case: ModelCase) -> str:
    """来源 of a case, with its web address when there is one."""
    bits = [b for b in (case.source.strip(), case.source_url.strip()) if b]
    return "来源：" + "　".join(bits) if bits else ""


def template_name(template: Template) -> str:
    """The template's name as shown to the user (and written as the document's subject)."""
    return {
        Template.BRIEF: "工作简报",
        Template.COLLECTION: "典型案例汇编",
        Template.CASE: "案例单页",
    }[Template(template)]


def document_title(spec: BriefSpec, cases: Sequence[ModelCase]) -> str:
    """The document's title: the spec's, else one made from the template and the cases."""
    if spec.title.strip():
        return spec.title.strip()
    template = Template(spec.template)
    if template == Template.COLLECTION:
        return "典型案例汇编"
    if len(cases) == 1:
        return cases[0].title.strip()
    return spec.masthead.strip() if template == Template.BRIEF and spec.masthead.strip() else template_name(template)


def document_keywords(spec: BriefSpec, cases: Sequence[ModelCase]) -> list[str]:
    """The document's keywords: the spec's, else the cases' themes in order of first appearance."""
    if spec.keywords:
        return [k.strip() for k in spec.keywords if k.strip()]
    return list(dict.fromkeys(t.name.strip() for c in cases for t in c.themes if t.name.strip()))


def brief_heading(spec: BriefSpec, cases: Sequence[ModelCase]) -> str:
    """The title printed under a work brief's masthead: the spec's, else the one case's; empty for
    several cases without a title (the masthead already names the brief, it is not printed twice)."""
    if spec.title.strip():
        return spec.title.strip()
    return cases[0].title.strip() if len(cases) == 1 else ""


def brief_tail(spec: BriefSpec) -> list[tuple[str, str]]:
    """The 版记 of a work brief, top to bottom, as (left, right) text: 报/送/发 (right empty),
    共印 N 份 (left empty), and the 印发 line last: the compiling unit and "YYYY年M月D日印发", as
    GB/T 9704 lays out 印发机关和印发日期."""
    r = spec.recipients
    rows = [
        (label + text.strip(), "")
        for label, text in (("报：", r.report_to), ("送：", r.send_to), ("发：", r.issue_to))
        if text.strip()
    ]
    if r.copies is not None:
        rows.append(("", f"共印{r.copies}份"))
    rows.append((spec.unit.strip(), cn_date(spec.issued_on) + "印发"))
    return rows
