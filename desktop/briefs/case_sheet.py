"""The one-case sheet (案例单页): a case on one or two pages for quick sharing.

A red label line at the top (典型案例, the compiling unit and date), the title and subtitle, a line
with place, model type and themes, the four sections in a compact body size, the figures table and
chart, photos, and the source; "— N —" centred at the foot. Several cases each start a new page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Frame, PageBreak, PageTemplate, Spacer

from desktop.briefs.blocks import figures_table, photo_flowables, section_flowables, series_charts, source_flowables
from desktop.briefs.document import GREY, RED, Anchor, CasebookDoc, Registry
from desktop.briefs.styles import Setter
from desktop.domain.brief import BriefSpec
from desktop.domain.records import ModelCase
from desktop.domain.wording import cn_date, meta_line

PAGE_W, PAGE_H = A4
TOP, BOTTOM, LEFT, RIGHT = 28 * mm, 22 * mm, 24 * mm, 22 * mm
TEXT_W = PAGE_W - LEFT - RIGHT
TEXT_H = PAGE_H - TOP - BOTTOM
BODY = 11.0
PITCH = 18.5


def styles(setter: Setter) -> None:
    """The sheet's styles."""
    setter.add("case_title", "title", 18, 25, align="center", weight=0.03)
    setter.add("case_subtitle", "kai", 12, 18, align="center")
    setter.add("meta", "body", 9.5, 14, align="center", before=3, after=6, color=GREY)
    setter.add("h2", "heading", 12, PITCH, before=4, weight=0.015)
    setter.add("body", "body", BODY, PITCH, indent=2 * BODY)
    setter.add("table_title", "heading", 10, 15, align="center", before=6, after=2)
    setter.add("cell_head", "heading", 9, 12, align="center")
    setter.add("cell", "body", 9, 12, align="left")
    setter.add("cell_mid", "body", 9, 12, align="center")
    setter.add("cell_num", "body", 9, 12, align="right")
    setter.add("caption", "kai", 9.5, 14, align="center", before=2)
    setter.add("source", "body", 9, 14, align="left", before=8, color=GREY)


def _decorations(spec: BriefSpec, setter: Setter) -> Callable[[Any, Any], None]:
    """The page callback: the red label line at the top and the page number at the foot."""
    fonts = setter.fonts
    label_font = fonts.name("heading")
    right = "　".join(x for x in (spec.unit.strip(), cn_date(spec.issued_on)) if x)
    bad = fonts.unsettable(right)
    setter.unset |= bad
    right = "".join("〓" if ch in bad else ch for ch in right)
    right_font = fonts.face_for(right, "body")
    number_font = fonts.name("song")

    def draw(canv: Any, doc: Any) -> None:
        y = PAGE_H - TOP + 9 * mm
        canv.saveState()
        canv.setFillColor(RED)
        canv.setFont(label_font, 12)
        canv.drawString(LEFT, y, "典型案例")
        canv.setFillColor(GREY)
        canv.setFont(right_font, 9)
        canv.drawRightString(PAGE_W - RIGHT, y, right)
        canv.setStrokeColor(RED)
        canv.setLineWidth(1.2)
        canv.line(LEFT, y - 3 * mm, PAGE_W - RIGHT, y - 3 * mm)
        canv.setFillColor((0, 0, 0))
        canv.setFont(number_font, 10.5)
        canv.drawCentredString(PAGE_W / 2, BOTTOM - 9 * mm, f"— {canv.getPageNumber()} —")
        canv.restoreState()

    return draw


def build(
    spec: BriefSpec,
    cases: Sequence[ModelCase],
    setter: Setter,
    registry: Registry,
    out: str,
    meta: dict[str, str],
    photo_dir: Path | None,
) -> CasebookDoc:
    """Lay out the sheet(s) into ``out``; returns the finished document."""
    styles(setter)
    doc = CasebookDoc(
        out,
        registry,
        setter.fonts.name("song"),
        10.5,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        **meta,
    )
    frame = Frame(LEFT, BOTTOM, TEXT_W, TEXT_H, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="sheet", frames=[frame], onPage=_decorations(spec, setter))])
    doc.build(story(cases, setter, registry, photo_dir))
    return doc


def story(cases: Sequence[ModelCase], setter: Setter, registry: Registry, photo_dir: Path | None) -> list[Flowable]:
    """The flowables of the sheet(s)."""
    out: list[Flowable] = []
    for n, case in enumerate(cases, start=1):
        if n > 1:
            out.append(PageBreak())
        out.append(Anchor(registry, f"k{n}", case.title, 0, counts=True))
        out.append(setter.para(case.title, "case_title"))
        if case.subtitle.strip():
            out.append(setter.para(case.subtitle, "case_subtitle"))
        meta = meta_line(case)
        out.append(setter.para(meta, "meta") if meta else Spacer(1, 6))
        out.extend(section_flowables(case, setter))
        out.extend(figures_table(case, setter, TEXT_W))
        out.extend(series_charts(case, setter, TEXT_W))
        out.extend(photo_flowables(case, setter, photo_dir, TEXT_W * 0.7, TEXT_H * 0.3))
        out.extend(source_flowables(case, setter))
    if not cases:
        out.append(Spacer(1, 1))
    return out
