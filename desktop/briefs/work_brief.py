"""The work brief (工作简报) after GB/T 9704-2012: masthead, title, editor's note, items, 报尾, page numbers.

Layout: A4; margins top 37, bottom 35, left 28, right 26 mm (a 156 × 225 mm text block); body 三号
(16 pt) 仿宋 on a fixed 28.9 pt pitch, 22 lines a page; title 二号 (22 pt) 小标宋 centred; headings
"一、" 黑体 and "（一）" 楷体; page numbers 四号 (14 pt) 宋体 "— N —", odd pages right and even pages
left, one character in, 7 mm below the text block. The masthead (page 1 only) has the brief's name
large in red, 第 N 期, the compiling unit and date on one line, and a red rule across the text block.
The 版记 (报/送/发, 共印 N 份, and the 印发 line: unit and date) sits at the foot of the last page between
rules (thick outside, thin inside).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Frame, PageTemplate, Spacer, Table, TableStyle

from desktop.briefs.document import RED, Anchor, CasebookDoc, FootBlock, HRule, Registry
from desktop.briefs.styles import Setter
from desktop.domain.brief import BriefSpec
from desktop.domain.records import ModelCase
from desktop.domain.wording import brief_heading, brief_tail, cn_date, cn_number, paragraphs, sections, source_line

PAGE_W, PAGE_H = A4
TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
TEXT_W = PAGE_W - LEFT - RIGHT
TEXT_H = PAGE_H - TOP - BOTTOM
BODY = 16.0
PITCH = 28.9  # 22 lines in the 225 mm text block
NUMBER_SIZE = 14.0


def styles(setter: Setter, masthead: str) -> None:
    """The brief's styles."""
    fonts = setter.fonts
    # The masthead fills most of the measure without exceeding it.
    width = stringWidth(masthead or "简报", fonts.face_for(masthead, "title"), 10) / 10 or 1.0
    size = max(26.0, min(46.0, TEXT_W * 0.92 / width))
    setter.add("masthead", "title", size, size * 1.25, align="center", color=RED, weight=0.035)
    setter.add("issue", "body", BODY, PITCH, align="center", before=6)
    setter.add("unit", "body", 14, 22, align="left")
    setter.add("date", "body", 14, 22, align="right")
    setter.add("title", "title", 22, 33, align="center", before=PITCH, after=PITCH * 0.6, weight=0.03)
    setter.add("subtitle", "kai", BODY, PITCH, align="center", after=PITCH * 0.3)
    setter.add("note", "kai", BODY, PITCH, indent=2 * BODY)
    setter.add("h1", "heading", BODY, PITCH, indent=2 * BODY, weight=0.02)
    setter.add("item", "heading", BODY, PITCH, indent=2 * BODY, before=PITCH * 0.5, weight=0.02)
    setter.add("h2", "kai", BODY, PITCH, indent=2 * BODY)
    setter.add("item_subtitle", "kai", BODY, PITCH, indent=2 * BODY)
    setter.add("body", "body", BODY, PITCH, indent=2 * BODY)
    setter.add("source", "kai", 14, PITCH, indent=2 * BODY)
    setter.add("tail", "body", 14, 21, left=NUMBER_SIZE + 28, indent=-28, right=NUMBER_SIZE)
    setter.add("tail_copies", "body", 14, 21, align="right", right=NUMBER_SIZE)
    setter.add("tail_unit", "body", 14, 21, align="left", left=NUMBER_SIZE)


def _page_number(number_font: str) -> Callable[[Any, Any], None]:
    """The page callback that prints "— N —": odd pages at the right, even pages at the left."""

    def draw(canv: Any, doc: Any) -> None:
        page = canv.getPageNumber()
        text = f"— {page} —"
        y = BOTTOM - 7 * mm - NUMBER_SIZE * 0.8
        canv.saveState()
        canv.setFont(number_font, NUMBER_SIZE)
        if page % 2:
            canv.drawRightString(PAGE_W - RIGHT - NUMBER_SIZE, y, text)
        else:
            canv.drawString(LEFT + NUMBER_SIZE, y, text)
        canv.restoreState()

    return draw


def build(spec: BriefSpec, cases: Sequence[ModelCase], setter: Setter, registry: Registry, out: str,
          meta: dict[str, str]) -> CasebookDoc:
    """Lay out the brief into ``out``; returns the finished document."""
    fonts = setter.fonts
    styles(setter, spec.masthead)
    number_font = fonts.name("song")
    doc = CasebookDoc(
        out,
        registry,
        number_font,
        NUMBER_SIZE,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        **meta,
    )
    frame = Frame(LEFT, BOTTOM, TEXT_W, TEXT_H, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")
    doc.addPageTemplates([PageTemplate(id="brief", frames=[frame], onPage=_page_number(number_font))])
    doc.build(story(spec, cases, setter, registry))
    return doc


def story(spec: BriefSpec, cases: Sequence[ModelCase], setter: Setter, registry: Registry) -> list[Flowable]:
    """The flowables of the brief."""
    out: list[Flowable] = []
    out.append(setter.para(spec.masthead or "工作简报", "masthead"))
    if spec.issue_no is not None:
        out.append(setter.para(f"第{spec.issue_no}期", "issue"))
    else:
        out.append(Spacer(1, PITCH * 0.5))
    line = _two_sided(setter, (spec.unit, "unit"), (cn_date(spec.issued_on), "date"), 0.6)
    out.append(line)
    out.append(HRule(2.0, RED, space_before=4, space_after=0))

    single = len(cases) == 1 and (not spec.title.strip() or spec.title.strip() == cases[0].title.strip())
    title = brief_heading(spec, cases)
    if title:
        out.append(setter.para(title, "title"))
    else:
        out.append(Spacer(1, PITCH * 0.6))
    if single and cases[0].subtitle.strip():
        out.append(setter.para(cases[0].subtitle, "subtitle"))

    note = paragraphs(spec.editor_note)
    for i, text in enumerate(note):
        prefix = setter.run("编者按：", "heading") if i == 0 else ""
        out.append(setter.para(text, "note", prefix=prefix))
    if note:
        out.append(Spacer(1, PITCH * 0.5))

    follow = 2 * PITCH
    for n, case in enumerate(cases, start=1):
        anchor = Anchor(registry, f"k{n}", case.title, 0, counts=True)
        if single:
            out.append(anchor)
            for s, (label, paras) in enumerate(sections(case), start=1):
                out.extend(setter.heading(f"{cn_number(s)}、{label}", "h1", follow=follow))
                out.extend(setter.para(p, "body") for p in paras)
        else:
            out.extend(setter.heading(f"{cn_number(n)}、{case.title}", "item", follow=follow + PITCH, anchor=anchor))
            if case.subtitle.strip():
                out.append(setter.para(case.subtitle, "item_subtitle"))
            for s, (label, paras) in enumerate(sections(case), start=1):
                out.extend(setter.heading(f"（{cn_number(s)}）{label}", "h2", follow=follow))
                out.extend(setter.para(p, "body") for p in paras)
        src = source_line(case)
        if src:
            out.append(setter.para(f"（{src}）", "source"))

    tail = _tail(spec, setter)
    if tail:
        out.append(FootBlock(tail))
    return out


def _tail(spec: BriefSpec, setter: Setter) -> list[Flowable]:
    """The 版记: its rows between rules, thick above and below, thin between (GB/T 9704)."""
    content: list[Flowable] = [Spacer(1, PITCH * 0.5), HRule(1.0, (0, 0, 0), space_before=0, space_after=3)]
    for i, (left, right) in enumerate(brief_tail(spec)):
        if i:
            content.append(HRule(0.7, (0, 0, 0), space_before=3, space_after=3))
        if left and right:
            content.append(_two_sided(setter, (left, "tail_unit"), (right, "tail_copies"), 0.55))
        elif right:
            content.append(setter.para(right, "tail_copies"))
        else:
            label, text = left[:2], left[2:]
            content.append(setter.para(text, "tail", prefix=setter.markup(label, "body")))
    content.append(HRule(1.0, (0, 0, 0), space_before=3, space_after=0))
    return content


def _two_sided(setter: Setter, left: tuple[str, str], right: tuple[str, str], share: float) -> Table:
    """One line with (text, style) at the left and at the right: the unit and date under the masthead,
    the 印发 line of the 版记. ``share`` is the left part's part of the measure."""
    row = Table(
        [[setter.para(*left), setter.para(*right)]],
        colWidths=[TEXT_W * share, TEXT_W * (1 - share)],
    )
    row.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), setter.fonts.name("body")),  # never the base-14 default
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    return row
