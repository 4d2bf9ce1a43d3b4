"""The case collection (典型案例汇编): cover, contents, overview charts, chapters of cases.

Cover (title, compiling unit, date) and front matter carry no page number; the body is numbered
from 1 in the footer ("— N —", centred) and every page but the cover has the collection's title as
a running header. Chapters follow the spec's grouping (theme, region or model type) in order of first
appearance; each case starts on a new page with its title and subtitle, a line with place, model type
and themes, the four sections, its figures as a table (and as a chart where a figure has a series),
photos with captions and credits, and its source.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Frame, NextPageTemplate, PageBreak, PageTemplate, Spacer

from desktop.briefs.blocks import figures_table, photo_flowables, section_flowables, series_charts, source_flowables
from desktop.briefs.charts import overview_charts
from desktop.briefs.document import GREY, RED, Anchor, CasebookDoc, ContentsEntry, HRule, Registry
from desktop.briefs.styles import Setter
from desktop.domain.brief import BriefSpec, GroupBy
from desktop.domain.records import ModelCase
from desktop.domain.wording import cn_date, cn_number, group, meta_line

PAGE_W, PAGE_H = A4
TOP, BOTTOM, LEFT, RIGHT = 30 * mm, 25 * mm, 28 * mm, 26 * mm
TEXT_W = PAGE_W - LEFT - RIGHT
TEXT_H = PAGE_H - TOP - BOTTOM
BODY = 12.0
PITCH = 21.0
NUMBER_SIZE = 10.5


def styles(setter: Setter) -> None:
    """The collection's styles."""
    setter.add("cover_title", "title", 28, 42, align="center", weight=0.03)
    setter.add("cover_unit", "kai", 16, 26, align="center")
    setter.add("cover_date", "body", 16, 26, align="center")
    setter.add("contents_title", "heading", 20, 30, align="center", after=18, weight=0.02)
    setter.add("toc0", "heading", 13, 22, align="left", right=3.5 * 12, before=6, dots=True, weight=0.015)
    setter.add("toc1", "body", 12, 20, align="left", left=2 * 12, right=3.5 * 12, dots=True)
    setter.add("overview_title", "heading", 20, 30, align="center", after=12, weight=0.02)
    setter.add("chapter", "heading", 18, 28, align="center", after=14, weight=0.02)
    setter.add("case_title", "title", 18, 26, align="center", weight=0.03)
    setter.add("case_subtitle", "kai", 13, 20, align="center")
    setter.add("meta", "body", 10, 15, align="center", before=4, after=8, color=GREY)
    setter.add("h2", "heading", 13, PITCH, before=6, weight=0.015)
    setter.add("body", "body", BODY, PITCH, indent=2 * BODY)
    setter.add("table_title", "heading", 10.5, 16, align="center", before=8, after=3)
    setter.add("cell_head", "heading", 9.5, 13, align="center")
    setter.add("cell", "body", 9.5, 13, align="left")
    setter.add("cell_mid", "body", 9.5, 13, align="center")
    setter.add("cell_num", "body", 9.5, 13, align="right")
    setter.add("caption", "kai", 10, 15, align="center", before=2)
    setter.add("source", "body", 9.5, 15, align="left", before=10, color=GREY)


def _decorations(title: str, setter: Setter, registry: Registry, *, numbered: bool) -> Callable[[Any, Any], None]:
    """The page callback: the running header (title and a thin rule) and, on body pages, "— N —"."""
    fonts = setter.fonts
    header_font = fonts.face_for(title, "body")
    number_font = fonts.name("song")

    def draw(canv: Any, doc: Any) -> None:
        page = canv.getPageNumber()
        canv.saveState()
        canv.setFont(header_font, 9)
        canv.setFillColor(GREY)
        y = PAGE_H - TOP + 8 * mm
        canv.drawCentredString(PAGE_W / 2, y, title)
        canv.setStrokeColor(GREY)
        canv.setLineWidth(0.5)
        canv.line(LEFT, y - 2.5 * mm, PAGE_W - RIGHT, y - 2.5 * mm)
        if numbered:
            if registry.first_numbered is None:
                registry.first_numbered = page
            canv.setFillColor((0, 0, 0))
            canv.setFont(number_font, NUMBER_SIZE)
            canv.drawCentredString(PAGE_W / 2, BOTTOM - 10 * mm, f"— {registry.printed(page)} —")
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
    """Lay out the collection into ``out``; returns the finished document."""
    styles(setter)
    title = meta["title"]
    doc = CasebookDoc(
        out,
        registry,
        setter.fonts.name("song"),
        12,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        **meta,
    )

    def frame() -> Frame:
        return Frame(LEFT, BOTTOM, TEXT_W, TEXT_H, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    header_title = _safe_header(title, setter)
    doc.addPageTemplates(
        [
            PageTemplate(id="cover", frames=[frame()]),
            PageTemplate(id="front", frames=[frame()], onPage=_decorations(header_title, setter, registry,
                                                                              numbered=False)),
            PageTemplate(id="body", frames=[frame()], onPage=_decorations(header_title, setter, registry,
                                                                             numbered=True)),
        ]
    )
    flowables = story(spec, cases, setter, registry, doc, title, photo_dir)
    doc.build(flowables)
    return doc


def _safe_header(title: str, setter: Setter) -> str:
    """The header text: the title with characters no face has replaced (a header cannot mix faces)."""
    bad = setter.fonts.unsettable(title)
    setter.unset |= bad
    return "".join("〓" if ch in bad else ch for ch in title)


def story(
    spec: BriefSpec,
    cases: Sequence[ModelCase],
    setter: Setter,
    registry: Registry,
    doc: CasebookDoc,
    title: str,
    photo_dir: Path | None,
) -> list[Flowable]:
    """The flowables of the collection."""
    out: list[Flowable] = [NextPageTemplate("front")]
    # Cover
    out.append(Spacer(1, TEXT_H * 0.22))
    out.append(HRule(1.5, RED, space_after=18))
    out.append(setter.para(title, "cover_title"))
    out.append(HRule(1.5, RED, space_before=18))
    out.append(Spacer(1, TEXT_H * 0.30))
    if spec.unit.strip():
        out.append(setter.para(spec.unit, "cover_unit"))
    out.append(setter.para(cn_date(spec.issued_on), "cover_date"))
    out.append(PageBreak())

    chapters = group(cases, GroupBy(spec.group_by))
    with_chapters = GroupBy(spec.group_by) != GroupBy.NONE
    numbered: list[tuple[str, str, int, ModelCase | None]] = []  # (key, heading, level, case)
    k = 0
    for ci, (name, members) in enumerate(chapters, start=1):
        if with_chapters:
            k += 1
            numbered.append((f"k{k}", f"{cn_number(ci)}、{name}", 0, None))
        for case in members:
            k += 1
            numbered.append((f"k{k}", case.title, 1 if with_chapters else 0, case))

    # Contents
    out.append(setter.para("目　录", "contents_title"))
    for key, heading, level, _case in numbered:
        style = "toc0" if (with_chapters and level == 0) else "toc1"
        para = setter.para(heading, style)
        out.append(ContentsEntry(para, key))
        doc.contents_keys.append(key)
    out.append(PageBreak())

    # Overview
    if cases:
        out.append(setter.para("案例概览", "overview_title"))
        out.append(setter.para(f"共收录案例{len(cases)}个。", "body"))
        for drawing in overview_charts(cases, setter.fonts, TEXT_W):
            drawing.hAlign = "CENTER"
            out.extend([Spacer(1, 10), drawing])
    out.append(NextPageTemplate("body"))
    out.append(PageBreak())

    first = True
    chapter_open = False
    for key, heading, level, member in numbered:
        if member is None:
            if not first:
                out.append(PageBreak())
            first = False
            out.append(Anchor(registry, key, heading, level))
            out.append(setter.para(heading, "chapter"))
            chapter_open = True
            continue
        if not first and not chapter_open:
            out.append(PageBreak())
        first = False
        chapter_open = False
        out.append(Anchor(registry, key, member.title, level, counts=True))
        out.extend(case_flowables(member, setter, photo_dir))
    return out


def case_flowables(case: ModelCase, setter: Setter, photo_dir: Path | None) -> list[Flowable]:
    """One case as it appears in the collection."""
    out: list[Flowable] = [setter.para(case.title, "case_title")]
    if case.subtitle.strip():
        out.append(setter.para(case.subtitle, "case_subtitle"))
    meta = meta_line(case)
    if meta:
        out.append(setter.para(meta, "meta"))
    else:
        out.append(Spacer(1, 8))
    out.extend(section_flowables(case, setter))
    out.extend(figures_table(case, setter, TEXT_W))
    out.extend(series_charts(case, setter, TEXT_W))
    out.extend(photo_flowables(case, setter, photo_dir, TEXT_W, TEXT_H * 0.4))
    out.extend(source_flowables(case, setter))
    return out
