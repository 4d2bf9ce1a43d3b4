"""Word exports (.docx) of model cases — a one-case sheet, a case collection or a work brief — for
offices that edit a document before they send it.

The documents follow the PDF briefs (desktop/briefs/) part for part and level for level, in Word's own
heading styles, so that the navigation pane, the contents field and later edits work as usual:

* 案例单页 (``Template.CASE``): a page header with 典型案例, the compiling unit and the date over a red
  rule; each case (a new page after the first) with its title (Heading 1), subtitle, a line with place,
  model type and themes, the sections "一、基本情况" … (Heading 2) and their paragraphs, the figures
  table, photos with caption and credit, and the source; "— N —" in the footer.
* 典型案例汇编 (``Template.COLLECTION``): a cover (title between red rules, compiling unit, date); a
  contents page holding a Word TOC field, filled in with the entries and refreshed when Word opens the
  file; an overview (number of cases, cases per theme and per city as tables); then the chapters of
  ``wording.group`` ("一、主题", Heading 1), each case (Heading 2) on a new page and its sections
  (Heading 3). Without grouping a case is Heading 1 and its sections Heading 2, as in the PDF's outline.
  The title runs in the page header; body pages are numbered from 1.
* 工作简报 (``Template.BRIEF``) after GB/T 9704: the masthead in red, 第 N 期, unit and date over a red
  rule, the title, 编者按 in 楷体, then one case's sections (Heading 1, "一、") or several items (Heading 1
  "一、案例标题", their sections Heading 2 "（一）"), each with its source; the 报尾 (报/送/发, 共印 N 份)
  as a table held at the foot of the last page; "— N —" right on odd pages and left on even pages.

Page sizes, margins, type sizes and line pitches are those of the PDF templates. Every style names its
faces per script: Times New Roman for Latin text and, through ``w:eastAsia``, 方正小标宋简体 for titles,
黑体 for headings, 楷体 for notes and captions, 仿宋 for the body. User text goes in literally (only
characters XML cannot hold are dropped). The file appears whole or not at all: it is written under a
temporary name in the target folder and then moved into place.

The document's own words (headings, 编者按, 报/送/发 …) are Chinese whatever language the window is in, as
in the PDFs, and are not marked for translation; only the messages to the user (errors, warnings) are.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, cast

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENTATION, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from PIL import Image

from desktop.domain.brief import BriefSpec, GroupBy, Template
from desktop.domain.i18n import _
from desktop.domain.records import ModelCase, Photo
from desktop.domain.validation import DomainError
from desktop.domain.wording import (
    brief_heading,
    brief_tail,
    city_of,
    cn_date,
    cn_number,
    document_keywords,
    document_title,
    figure_value,
    group,
    meta_line,
    paragraphs,
    sections,
    source_line,
    template_name,
)
from desktop.files import atomic_write, explain_os_error

#: The Chinese face of each role (set as ``w:eastAsia``); Word substitutes a face a machine lacks.
FACES = {"title": "方正小标宋简体", "heading": "黑体", "kai": "楷体", "body": "仿宋", "song": "宋体"}
#: The face of Latin letters and digits.
LATIN = "Times New Roman"

RED = RGBColor(0xED, 0x1C, 0x24)  # C0 M100 Y100 K0, as the PDF's red shows on screen
GREY = RGBColor(0x59, 0x59, 0x59)
BLACK = RGBColor(0, 0, 0)
_PT_PER_MM = 72 / 25.4

# Paragraph styles of our own (Word's built-in ones are used where one fits).
META = "案例信息"
SOURCE = "案例来源"
TABLE_TITLE = "表题"
CELL_HEAD = "表头"
CELL = "表格文字"
PICTURE = "图片"
COVER_UNIT = "封面单位"
COVER_DATE = "封面日期"
OVERVIEW = "概览标题"
MASTHEAD = "报头"
ISSUE = "期号"
UNIT_LINE = "编印单位"
NOTE = "编者按"
ITEM_SUBTITLE = "条目副标题"
TAIL = "报尾"
#: ASCII style ids for the styles named in Chinese (Word refers to styles by id inside the file).
_STYLE_IDS = {
    META: "CaseMeta",
    SOURCE: "CaseSource",
    TABLE_TITLE: "TableTitle",
    CELL_HEAD: "TableHead",
    CELL: "TableText",
    PICTURE: "Picture",
    COVER_UNIT: "CoverUnit",
    COVER_DATE: "CoverDate",
    OVERVIEW: "OverviewTitle",
    MASTHEAD: "Masthead",
    ISSUE: "IssueNumber",
    UNIT_LINE: "UnitLine",
    NOTE: "EditorNote",
    ITEM_SUBTITLE: "ItemSubtitle",
    TAIL: "BriefTail",
    "toc 1": "TOC1",
    "toc 2": "TOC2",
}

# Column shares of the figures table (指标 / 数值 / 单位 / 时期 / 来源), as in the PDF.
_COLUMNS = (0.27, 0.12, 0.09, 0.18, 0.34)
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
# Image formats Word shows as they are; others are converted to PNG.
_WORD_FORMATS = {"PNG", "JPEG", "GIF", "BMP", "TIFF"}
# Characters XML 1.0 cannot hold.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CORE_MAX = 255  # longest text a core property may hold

# Child order of the WordprocessingML elements extended here (ECMA-376 part 1).
_PPR = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_TBLPR = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize", "w:tblStyleColBandSize",
    "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
    "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)  # fmt: skip
_TCPR = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap", "w:tcMar",
    "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
)  # fmt: skip
_SECTPR = (
    "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz", "w:pgMar",
    "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt", "w:vAlign", "w:noEndnote",
    "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip
_SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip


class WordExportError(DomainError):
    """The Word file could not be written where asked (the message names the path)."""


@dataclass(frozen=True)
class WordReport:
    """What a Word export wrote: the file, how many cases and embedded photos, and what went amiss
    (photos missing or unreadable, named in Chinese)."""

    path: Path
    cases: int
    photos: int
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Look:
    """A paragraph style: its face's role, size and exact line pitch (None: single spacing), in points;
    alignment; first-line indent (negative: hanging), left and right indents and spacing, in points;
    colour; and whether it stays on the page of the paragraph after it."""

    role: str
    size: float
    pitch: float | None = None
    align: str = "justify"
    indent: float = 0.0
    left: float = 0.0
    right: float = 0.0
    before: float = 0.0
    after: float = 0.0
    color: RGBColor | None = None
    keep_next: bool = False


@dataclass(frozen=True)
class Page:
    """An A4 page's margins and the distances of header and footer from its edges, in millimetres."""

    top: float
    bottom: float
    left: float
    right: float
    header: float
    footer: float

    @property
    def width(self) -> float:
        """The width of the text block in points."""
        return (210 - self.left - self.right) * _PT_PER_MM

    @property
    def height(self) -> float:
        """The height of the text block in points."""
        return (297 - self.top - self.bottom) * _PT_PER_MM


# The pages of the PDF templates (desktop/briefs/case_sheet.py, collection.py, work_brief.py).
SHEET_PAGE = Page(28, 22, 24, 22, header=15, footer=12)
COLLECTION_PAGE = Page(30, 25, 28, 26, header=19, footer=14)
BRIEF_PAGE = Page(37, 35, 28, 26, header=15, footer=23)
BRIEF_PITCH = 28.9  # 22 lines of 三号 in the 225 mm text block


def write_docx(spec: BriefSpec, cases: Sequence[ModelCase], out: Path, *, photo_dir: Path | None = None) -> WordReport:
    """Write ``cases`` in ``spec``'s template as a Word document to ``out`` (replacing any file there only
    once the new one is complete). Photos are read from ``photo_dir``; a missing or unreadable one is
    named in the report's warnings. ``WordExportError`` when ``out`` cannot be written."""
    out = Path(out)
    if out.is_dir():
        raise WordExportError(_("无法写入Word文件：{path}（这是一个文件夹，请给出文件名）").format(path=out))
    if not out.parent.is_dir():
        raise WordExportError(_("无法写入Word文件：{path}（所在文件夹不存在）").format(path=out))
    writer = _Writer(spec, cases, photo_dir)
    writer.build()
    _save(writer.doc, out)
    return WordReport(out, len(cases), writer.photos, tuple(writer.warnings))


def _save(doc: DocxDocument, out: Path) -> None:
    """Save under a temporary name beside ``out``, then move into place; nothing is left on failure."""
    try:
        with atomic_write(out) as tmp, tmp.open("xb") as fh:
            doc.save(cast(BinaryIO, _QuietAfterFailure(fh)))
    except OSError as exc:
        raise WordExportError(_cannot_write(out, exc)) from exc


class _QuietAfterFailure(io.RawIOBase):
    """The file a document is saved into; once a write has failed (a full disk) it takes everything
    without a word. python-docx leaves its zip writer unclosed when a write fails: collected later, the
    writer would try to finish the file and print a second error on top of the one the user was given."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.failed = False
        self.position = 0

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if not self.failed:
            try:
                self.fh.write(data)
            except OSError:
                self.failed = True
                raise
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.fh.tell() if not self.failed else self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        if self.failed:
            return self.position
        self.position = self.fh.seek(offset, whence)
        return self.position

    def flush(self) -> None:
        if not self.failed and not self.fh.closed:
            self.fh.flush()


def _cannot_write(out: Path, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        reason = _("所在文件夹不存在")
    elif isinstance(exc, IsADirectoryError):
        reason = _("这是一个文件夹，请给出文件名")
    elif isinstance(exc, PermissionError):
        reason = _("没有写入权限，或文件正被其他程序打开")
    elif exc.errno == 28:  # ENOSPC
        reason = _("磁盘空间不足")
    else:
        reason = explain_os_error(exc)
    return _("无法写入Word文件：{path}（{reason}）").format(path=out, reason=reason)


def _clean(text: str) -> str:
    """``text`` without the characters XML cannot hold."""
    return _NOT_XML.sub("", text or "")


# -- low-level WordprocessingML ---------------------------------------------------------------------


def _el(tag: str, **attrs: str) -> Any:
    """A new element ``tag`` (e.g. "w:tab") with ``w:``-prefixed attributes."""
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _place(parent: Any, child: Any, order: Sequence[str]) -> Any:
    """Put ``child`` into ``parent`` where ``order`` says, replacing an element of the same tag."""
    names = [qn(t) for t in order]
    for old in parent.findall(child.tag):
        parent.remove(old)
    for successor in names[names.index(child.tag) + 1 :]:
        found = parent.find(successor)
        if found is not None:
            found.addprevious(child)
            return child
    parent.append(child)
    return child


def _line(width: float, color: RGBColor, tag: str, space: float = 0.0) -> Any:
    """A single border line ``width`` points thick (``w:sz`` counts eighths of a point)."""
    sz = max(2, min(96, round(width * 8)))
    return _el(tag, val="single", sz=str(sz), space=str(round(space)), color=str(color))


def _no_line(tag: str) -> Any:
    return _el(tag, val="nil")


def _paragraph_borders(p_pr: Any, **sides: tuple[float, RGBColor, float]) -> None:
    """Borders on a paragraph (or paragraph style): side → (width, colour, space in points)."""
    borders = _el("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        if side in sides:
            width, color, space = sides[side]
            borders.append(_line(width, color, f"w:{side}", space))
    _place(p_pr, borders, _PPR)


def _faces(r_pr: Any, role: str) -> None:
    """Set the faces of a run or style: Latin, complex script and (``w:eastAsia``) Chinese."""
    fonts = r_pr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:cs"), LATIN)
    fonts.set(qn("w:eastAsia"), FACES[role])
    fonts.set(qn("w:hint"), "eastAsia")


def _field(paragraph: Paragraph, instruction: str, result: str) -> None:
    """A complex field (e.g. PAGE) with its last ``result`` at the end of ``paragraph``."""
    _field_char(paragraph, "begin")
    _instruction(paragraph, instruction)
    _field_char(paragraph, "separate")
    paragraph.add_run(result)
    _field_char(paragraph, "end")


def _field_char(paragraph: Paragraph, kind: str) -> None:
    paragraph.add_run()._r.append(_el("w:fldChar", fldCharType=kind))


def _instruction(paragraph: Paragraph, instruction: str) -> None:
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    paragraph.add_run()._r.append(text)


# -- the writer ----------------------------------------------------------------------------------------


class _Writer:
    """Builds one document from a spec and its cases."""

    def __init__(self, spec: BriefSpec, cases: Sequence[ModelCase], photo_dir: Path | None) -> None:
        self.spec = spec
        self.cases = list(cases)
        self.photo_dir = photo_dir
        self.template = Template(spec.template)
        self.doc: DocxDocument = Document()
        self.warnings: list[str] = []
        self.photos = 0
        self.page = {Template.CASE: SHEET_PAGE, Template.COLLECTION: COLLECTION_PAGE}.get(self.template, BRIEF_PAGE)

    def build(self) -> None:
        """Lay out the whole document."""
        self._package()
        self._defaults()
        self._page_setup(self.doc.sections[0])
        if self.template == Template.BRIEF:
            self._brief()
        elif self.template == Template.COLLECTION:
            self._collection()
        else:
            self._sheet()

    # document-wide settings ----------------------------------------------------------------------------
    def _package(self) -> None:
        """Core properties; no thumbnail of the empty template."""
        package = self.doc.part.package
        for r_id, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                package.rels.pop(r_id)
        props = self.doc.core_properties
        now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        unit = _clean(self.spec.unit.strip())[:_CORE_MAX]
        props.title = _clean(document_title(self.spec, self.cases))[:_CORE_MAX]
        props.author = unit
        props.last_modified_by = unit
        props.subject = template_name(self.template)
        props.keywords = _clean("; ".join(document_keywords(self.spec, self.cases)))[:_CORE_MAX]
        props.category = template_name(self.template)
        props.comments = ""
        props.language = "zh-CN"
        props.created = now
        props.modified = now
        props.revision = 1

    def _defaults(self) -> None:
        """Document defaults: body faces, Chinese as the East Asian language, no extra spacing."""
        styles = self.doc.styles.element
        r_pr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _faces(r_pr, "body")
        lang = r_pr.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
        spacing = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
        if spacing is not None:
            spacing.set(qn("w:after"), "0")
            spacing.set(qn("w:line"), "240")

    def _page_setup(self, section: Section) -> None:
        page = self.page
        section.orientation = WD_ORIENTATION.PORTRAIT
        section.page_width = Mm(210)
        section.page_height = Mm(297)
        section.top_margin = Mm(page.top)
        section.bottom_margin = Mm(page.bottom)
        section.left_margin = Mm(page.left)
        section.right_margin = Mm(page.right)
        section.header_distance = Mm(page.header)
        section.footer_distance = Mm(page.footer)
        section.gutter = Mm(0)

    def _new_section(self) -> Section:
        """Start a new section on a new page. The section break goes into the last paragraph when there
        is one (rather than into an empty paragraph of its own, which would take a line)."""
        section: Section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        carrier = self.doc.element.body.findall(qn("w:p"))[-1]
        previous = carrier.getprevious()
        if previous is not None and previous.tag == qn("w:p"):
            _place(previous.get_or_add_pPr(), carrier.pPr.sectPr, _PPR)
            carrier.getparent().remove(carrier)
        return section

    def _styles(self, looks: dict[str, Look]) -> None:
        for name, look in looks.items():
            self._style(name, look)

    def _style(self, name: str, look: Look) -> ParagraphStyle:
        """Define (or redefine) paragraph style ``name`` to look like ``look``."""
        styles = self.doc.styles
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=name.startswith("toc "))
            style.style_id = _STYLE_IDS.get(name, style.style_id)
            style.base_style = styles["Normal"]
            style.quick_style = True
        assert isinstance(style, ParagraphStyle)
        element = style.element
        p_pr = element.get_or_add_pPr()
        for tag in ("w:numPr", "w:pBdr", "w:tabs", "w:contextualSpacing"):
            for old in p_pr.findall(qn(tag)):
                p_pr.remove(old)
        r_pr = element.get_or_add_rPr()
        for tag in ("w:b", "w:bCs", "w:i", "w:iCs", "w:spacing", "w:kern", "w:color", "w:szCs"):
            for old in r_pr.findall(qn(tag)):
                r_pr.remove(old)
        _faces(r_pr, look.role)
        font = style.font
        font.size = Pt(look.size)
        font.bold = False
        font.italic = False
        font.color.rgb = look.color or BLACK
        fmt = style.paragraph_format
        fmt.alignment = _ALIGN[look.align]
        if look.pitch is None:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            fmt.line_spacing = Pt(look.pitch)
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.first_line_indent = Pt(look.indent)
        fmt.left_indent = Pt(look.left)
        fmt.right_indent = Pt(look.right)
        fmt.space_before = Pt(look.before)
        fmt.space_after = Pt(look.after)
        fmt.keep_with_next = look.keep_next
        fmt.widow_control = True
        return style

    # paragraphs ------------------------------------------------------------------------------------------
    def _para(self, text: str, style: str, *, page_break: bool = False) -> Paragraph:
        """A paragraph of user ``text`` (taken literally) in ``style``."""
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            paragraph.add_run(_clean(text))
        if page_break:
            paragraph.paragraph_format.page_break_before = True
        return paragraph

    def _run(
        self, paragraph: Paragraph, text: str, role: str, *, size: float | None = None, color: RGBColor | None = None
    ) -> Run:
        """A run of ``text`` in ``role``'s faces inside a paragraph of another style."""
        run = paragraph.add_run(_clean(text))
        _faces(run._r.get_or_add_rPr(), role)
        if size is not None:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
        return run

    def _page_number(self, paragraph: Paragraph) -> None:
        """ "— N —" with N a PAGE field."""
        paragraph.add_run("— ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(" —")

    def _plain_footer(self, style: Look) -> None:
        self._style("Footer", style).paragraph_format.tab_stops.clear_all()

    # the parts of a case (sheet and collection) ---------------------------------------------------------
    def _case(
        self, case: ModelCase, *, title_level: int, page_break: bool, photo_width: float, photo_height: float
    ) -> None:
        """Title, subtitle, meta line, sections, figures, photos and source of one case."""
        self._para(case.title, f"Heading {title_level}", page_break=page_break)
        if case.subtitle.strip():
            self._para(case.subtitle, "Subtitle")
        meta = meta_line(case)
        if meta:
            self._para(meta, META)
        for i, (label, paras) in enumerate(sections(case), start=1):
            self._para(f"{cn_number(i)}、{label}", f"Heading {title_level + 1}")
            for text in paras:
                self._para(text, "Normal")
        self._figures(case)
        self._photos(case, photo_width, photo_height)
        source = source_line(case)
        if source:
            self._para(source, SOURCE)

    def _figures(self, case: ModelCase) -> None:
        """The figures as a three-line table under the title 主要指标."""
        if not case.figures:
            return
        self._para("主要指标", TABLE_TITLE)
        heads = ["指标", "数值", "单位", "时期", "来源"]
        rows = [[f.label, figure_value(f), f.unit, f.period, f.source] for f in case.figures]
        self._table(heads, rows, ("left", "right", "center", "center", "left"), _COLUMNS)

    def _table(self, heads: list[str], rows: list[list[str]], aligns: Sequence[str], shares: Sequence[float]) -> None:
        """A three-line table across the text block: thick rules above and below, a thin one under the
        header row, which repeats on every page; rows never split."""
        table = self.doc.add_table(rows=1 + len(rows), cols=len(heads))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        width = self.page.width
        _place(tbl_pr, _el("w:tblW", w=str(round(width * 20)), type="dxa"), _TBLPR)
        borders = _el("w:tblBorders")
        borders.append(_line(1.0, BLACK, "w:top"))
        for side in ("left", "bottom", "right", "insideH", "insideV"):
            borders.append(_line(1.0, BLACK, "w:bottom") if side == "bottom" else _no_line(f"w:{side}"))
        _place(tbl_pr, borders, _TBLPR)
        for column, share in zip(table.columns, shares, strict=True):
            column.width = Pt(width * share)
            for cell in column.cells:
                cell.width = Pt(width * share)
        for r, values in enumerate([heads, *rows]):
            row = table.rows[r]
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(_el("w:cantSplit"))
            if r == 0:
                tr_pr.append(_el("w:tblHeader"))
            for cell, text, align in zip(row.cells, values, aligns, strict=True):
                paragraph = cell.paragraphs[0]
                paragraph.style = self.doc.styles[CELL_HEAD if r == 0 else CELL]
                if r:
                    paragraph.alignment = _ALIGN[align]
                if text:
                    paragraph.add_run(_clean(text))
                if r == 0:
                    tc_borders = _el("w:tcBorders")
                    tc_borders.append(_line(0.5, BLACK, "w:bottom"))
                    _place(cell._tc.get_or_add_tcPr(), tc_borders, _TCPR)

    def _photos(self, case: ModelCase, max_width: float, max_height: float) -> None:
        """Each photo scaled to fit, with "图N　caption（图片来源：credit）" below it."""
        for n, photo in enumerate(case.photos, start=1):
            picture = self._picture(photo, case)
            if picture is None:
                self._para(f"（照片文件缺失：{photo.file_name}）", "Caption")
            else:
                data, w, h = picture
                scale = min(max_width * 0.85 / w, max_height / h)
                paragraph = self._para("", PICTURE)
                paragraph.add_run().add_picture(io.BytesIO(data), width=Pt(w * scale), height=Pt(h * scale))
                self.photos += 1
            text = f"图{n}" + "　" + (photo.caption or "")
            if photo.credit:
                text += f"（图片来源：{photo.credit}）"
            self._para(text.strip(), "Caption")

    def _picture(self, photo: Photo, case: ModelCase) -> tuple[bytes, int, int] | None:
        """The photo's bytes in a format Word shows, and its size in pixels; None (and a warning) when the
        file is missing or cannot be read as an image."""
        path = self.photo_dir / photo.file_name if self.photo_dir is not None and photo.file_name else None
        if path is None or not path.is_file():
            self.warnings.append(
                _("照片文件缺失：{name}（案例“{title}”）").format(name=photo.file_name, title=case.title)
            )
            return None
        try:
            data = path.read_bytes()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                w, h = image.size
                if image.format not in _WORD_FORMATS or not _word_reads(data):
                    converted = io.BytesIO()
                    image.save(converted, "PNG")
                    data = converted.getvalue()
        except Exception:  # any unreadable or unsupported file is named rather than failing the export
            self.warnings.append(
                _("照片无法读取：{name}（案例“{title}”）").format(name=photo.file_name, title=case.title)
            )
            return None
        if w <= 0 or h <= 0:
            return None
        return data, w, h

    # 案例单页 --------------------------------------------------------------------------------------------
    def _sheet(self) -> None:
        """The one-case sheet: label header, cases one after another on new pages, page numbers."""
        body, pitch = 11.0, 18.5
        self._styles(
            {
                "Normal": Look("body", body, pitch, indent=2 * body),
                "Heading 1": Look("title", 18, 25, "center", keep_next=True),
                "Heading 2": Look("heading", 12, pitch, "left", before=4, keep_next=True),
                "Subtitle": Look("kai", 12, 18, "center", keep_next=True),
                META: Look("body", 9.5, 14, "center", before=3, after=6, color=GREY),
                TABLE_TITLE: Look("heading", 10, 15, "center", before=6, after=2, keep_next=True),
                CELL_HEAD: Look("heading", 9, 12, "center"),
                CELL: Look("body", 9, 12, "left"),
                PICTURE: Look("body", body, None, "center", before=6, keep_next=True),
                "Caption": Look("kai", 9.5, 14, "center", before=2),
                SOURCE: Look("body", 9, 14, "left", before=8, color=GREY),
            }
        )
        section = self.doc.sections[0]
        header_style = self._style("Header", Look("heading", 12, None, "left", color=RED))
        header_style.paragraph_format.tab_stops.clear_all()
        header_style.paragraph_format.tab_stops.add_tab_stop(Pt(self.page.width), WD_TAB_ALIGNMENT.RIGHT)
        _paragraph_borders(header_style.element.get_or_add_pPr(), bottom=(1.2, RED, 3 * _PT_PER_MM))
        header = section.header.paragraphs[0]
        header.add_run("典型案例")
        right = "　".join(x for x in (self.spec.unit.strip(), cn_date(self.spec.issued_on)) if x)
        header.add_run("\t")
        self._run(header, right, "body", size=9, color=GREY)
        self._plain_footer(Look("song", 10.5, None, "center"))
        self._page_number(section.footer.paragraphs[0])
        for n, case in enumerate(self.cases):
            self._case(
                case,
                title_level=1,
                page_break=n > 0,
                photo_width=self.page.width * 0.7,
                photo_height=self.page.height * 0.3,
            )

    # 典型案例汇编 ----------------------------------------------------------------------------------------
    def _collection(self) -> None:
        """Cover, contents, overview and the chapters of cases."""
        body, pitch = 12.0, 21.0
        grouped = GroupBy(self.spec.group_by) != GroupBy.NONE
        case_level = 2 if grouped else 1
        page = self.page
        looks = {
            "Normal": Look("body", body, pitch, indent=2 * body),
            "Title": Look("title", 28, 42, "center", before=page.height * 0.22),
            COVER_UNIT: Look("kai", 16, 26, "center", before=page.height * 0.30),
            COVER_DATE: Look("body", 16, 26, "center"),
            "TOC Heading": Look("heading", 20, 30, "center", after=18),
            OVERVIEW: Look("heading", 20, 30, "center", after=12),
            f"Heading {case_level}": Look("title", 18, 26, "center", keep_next=True),
            f"Heading {case_level + 1}": Look("heading", 13, pitch, "left", before=6, keep_next=True),
            "Subtitle": Look("kai", 13, 20, "center", keep_next=True),
            META: Look("body", 10, 15, "center", before=4, after=8, color=GREY),
            TABLE_TITLE: Look("heading", 10.5, 16, "center", before=8, after=3, keep_next=True),
            CELL_HEAD: Look("heading", 9.5, 13, "center"),
            CELL: Look("body", 9.5, 13, "left"),
            PICTURE: Look("body", body, None, "center", before=6, keep_next=True),
            "Caption": Look("kai", 10, 15, "center", before=2),
            SOURCE: Look("body", 9.5, 15, "left", before=10, color=GREY),
            f"toc {case_level}": Look("body", 12, 20, "left", left=2 * 12),
        }
        if grouped:
            looks["Heading 1"] = Look("heading", 18, 28, "center", after=14, keep_next=True)
            looks["toc 1"] = Look("heading", 13, 22, "left", before=6)
        self._styles(looks)
        for level in range(1, case_level + 1):
            tabs = self.doc.styles[f"toc {level}"].paragraph_format.tab_stops
            tabs.clear_all()
            tabs.add_tab_stop(Pt(page.width), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        title = document_title(self.spec, self.cases)

        # Cover: a section without header or page number.
        cover = self._para(title, "Title")
        _paragraph_borders(cover._p.get_or_add_pPr(), top=(1.5, RED, 18), bottom=(1.5, RED, 18))
        if self.spec.unit.strip():
            self._para(self.spec.unit, COVER_UNIT)
        date_line = self._para(cn_date(self.spec.issued_on), COVER_DATE)
        if not self.spec.unit.strip():
            date_line.paragraph_format.space_before = Pt(page.height * 0.30)

        # Front matter: running header, no page number.
        front = self._new_section()
        front.header.is_linked_to_previous = False
        header_style = self._style("Header", Look("body", 9, None, "center", color=GREY))
        header_style.paragraph_format.tab_stops.clear_all()
        _paragraph_borders(header_style.element.get_or_add_pPr(), bottom=(0.5, GREY, 4))
        front.header.paragraphs[0].add_run(_clean(title))

        chapters = group(self.cases, GroupBy(self.spec.group_by))
        entries: list[tuple[int, str]] = []
        for ci, (name, members) in enumerate(chapters, start=1):
            if grouped:
                entries.append((1, f"{cn_number(ci)}、{name}"))
            entries.extend((case_level, case.title) for case in members)
        self._para("目　录", "TOC Heading")
        self._contents(entries, case_level)
        self._overview(page_break=True)

        # Body: numbered from 1.
        body_section = self._new_section()
        body_section.footer.is_linked_to_previous = False
        self._plain_footer(Look("song", 10.5, None, "center"))
        self._page_number(body_section.footer.paragraphs[0])
        _place(body_section._sectPr, _el("w:pgNumType", start="1"), _SECTPR)

        first = True
        for ci, (name, members) in enumerate(chapters, start=1):
            if grouped:
                self._para(f"{cn_number(ci)}、{name}", "Heading 1", page_break=not first)
                first = False
            for n, case in enumerate(members):
                self._case(
                    case,
                    title_level=case_level,
                    page_break=not first and not (grouped and n == 0),
                    photo_width=page.width,
                    photo_height=page.height * 0.4,
                )
                first = False

    def _contents(self, entries: list[tuple[int, str]], depth: int) -> None:
        """A TOC field over headings 1 to ``depth``, its result filled with the entries (without page
        numbers) until Word updates it, which it is asked to do on opening the document."""
        first = self.doc.add_paragraph(style=f"toc {entries[0][0]}" if entries else "toc 1")
        _field_char(first, "begin")
        _instruction(first, f'TOC \\o "1-{depth}" \\h \\z \\u')
        _field_char(first, "separate")
        last = first
        for i, (level, text) in enumerate(entries):
            paragraph = first if i == 0 else self.doc.add_paragraph(style=f"toc {level}")
            paragraph.add_run(_clean(text))
            last = paragraph
        _field_char(last, "end")
        settings = self.doc.settings.element
        update = _el("w:updateFields", val="true")
        for tag in _SETTINGS_AFTER_UPDATE_FIELDS:
            found = settings.find(qn(tag))
            if found is not None:
                found.addprevious(update)
                break
        else:
            settings.append(update)

    def _overview(self, *, page_break: bool) -> None:
        """案例概览: the number of cases, and cases per theme and per city (the PDF's two charts) as tables."""
        if not self.cases:
            return
        self._para("案例概览", OVERVIEW, page_break=page_break)
        self._para(f"共收录案例{len(self.cases)}个。", "Normal")
        themes: Counter[str] = Counter()
        cities: Counter[str] = Counter()
        for case in self.cases:
            names = list(dict.fromkeys(t.name.strip() for t in case.themes if t.name.strip()))
            themes.update(names or ["未标注主题"])
            city = city_of(case.places[0].name) if case.places and case.places[0].name.strip() else "未标注地区"
            cities[city] += 1
        for title, head, counts in (
            ("各主题案例数", "主题", themes),
            ("各市案例数", "地区", cities),
        ):
            self._para(title, TABLE_TITLE)
            rows = [[name, str(n)] for name, n in counts.most_common()]
            self._table([head, "案例数"], rows, ("left", "right"), (0.75, 0.25))

    # 工作简报 --------------------------------------------------------------------------------------------
    def _brief(self) -> None:
        """The work brief after GB/T 9704."""
        spec = self.spec
        body, pitch = 16.0, BRIEF_PITCH
        single = len(self.cases) == 1 and (not spec.title.strip() or spec.title.strip() == self.cases[0].title.strip())
        masthead = spec.masthead or "工作简报"
        ems = sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in masthead) or 1.0
        size = max(26.0, min(46.0, self.page.width * 0.92 / ems))
        self._styles(
            {
                "Normal": Look("body", body, pitch, indent=2 * body),
                MASTHEAD: Look("title", size, size * 1.25, "center", color=RED),
                ISSUE: Look("body", body, pitch, "center", before=6),
                UNIT_LINE: Look("body", 14, 22, "left"),
                "Title": Look("title", 22, 33, "center", before=pitch, after=pitch * 0.6),
                "Subtitle": Look("kai", body, pitch, "center", after=pitch * 0.3),
                NOTE: Look("kai", body, pitch, indent=2 * body),
                "Heading 1": Look(
                    "heading", body, pitch, indent=2 * body, before=0 if single else pitch * 0.5, keep_next=True
                ),
                "Heading 2": Look("kai", body, pitch, indent=2 * body, keep_next=True),
                ITEM_SUBTITLE: Look("kai", body, pitch, indent=2 * body, keep_next=True),
                SOURCE: Look("kai", 14, pitch, indent=2 * body),
                TAIL: Look("body", 14, 21, left=14 + 28, indent=-28, right=14),
            }
        )
        unit_style = self.doc.styles[UNIT_LINE]
        unit_style.paragraph_format.tab_stops.add_tab_stop(Pt(self.page.width), WD_TAB_ALIGNMENT.RIGHT)
        _paragraph_borders(unit_style.element.get_or_add_pPr(), bottom=(2.0, RED, 4))

        self._para(masthead, MASTHEAD)
        if spec.issue_no is not None:
            self._para(f"第{spec.issue_no}期", ISSUE)
        line = self._para(spec.unit, UNIT_LINE)
        if spec.issue_no is None:
            line.paragraph_format.space_before = Pt(pitch * 0.5)
        line.add_run("\t" + cn_date(spec.issued_on))

        title = brief_heading(spec, self.cases)
        if title:
            self._para(title, "Title")
        if single and self.cases[0].subtitle.strip():
            self._para(self.cases[0].subtitle, "Subtitle")

        note = paragraphs(spec.editor_note)
        for i, text in enumerate(note):
            paragraph = self.doc.add_paragraph(style=NOTE)
            if i == 0:
                self._run(paragraph, "编者按：", "heading")
            paragraph.add_run(_clean(text))
            if i == len(note) - 1:
                paragraph.paragraph_format.space_after = Pt(pitch * 0.5)

        for n, case in enumerate(self.cases, start=1):
            if single:
                for s, (label, paras) in enumerate(sections(case), start=1):
                    self._para(f"{cn_number(s)}、{label}", "Heading 1")
                    for text in paras:
                        self._para(text, "Normal")
            else:
                self._para(f"{cn_number(n)}、{case.title}", "Heading 1")
                if case.subtitle.strip():
                    self._para(case.subtitle, ITEM_SUBTITLE)
                for s, (label, paras) in enumerate(sections(case), start=1):
                    self._para(f"（{cn_number(s)}）{label}", "Heading 2")
                    for text in paras:
                        self._para(text, "Normal")
            src = source_line(case)
            if src:
                self._para(f"（{src}）", SOURCE)

        self._tail()
        self._brief_page_numbers()

    def _tail(self) -> None:
        """The 版记: 报/送/发, 共印 N 份 and the 印发 line (unit at the left, date at the right) between
        rules (thick outside, thin inside), in a table held at the foot of the page it falls on."""
        lines = brief_tail(self.spec)
        table = self.doc.add_table(rows=len(lines), cols=1)
        tbl_pr = table._tbl.tblPr
        _place(
            tbl_pr,
            _el(
                "w:tblpPr",
                leftFromText="0",
                rightFromText="0",
                topFromText="0",
                bottomFromText="0",
                vertAnchor="margin",
                horzAnchor="margin",
                tblpXSpec="center",
                tblpYSpec="bottom",
            ),
            _TBLPR,
        )
        _place(tbl_pr, _el("w:tblOverlap", val="never"), _TBLPR)
        width = self.page.width
        _place(tbl_pr, _el("w:tblW", w=str(round(width * 20)), type="dxa"), _TBLPR)
        borders = _el("w:tblBorders")
        borders.append(_line(1.0, BLACK, "w:top"))
        borders.append(_no_line("w:left"))
        borders.append(_line(1.0, BLACK, "w:bottom"))
        borders.append(_no_line("w:right"))
        borders.append(_line(0.7, BLACK, "w:insideH"))
        borders.append(_no_line("w:insideV"))
        _place(tbl_pr, borders, _TBLPR)
        margins = _el("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            margins.append(_el(f"w:{side}", w="60" if side in ("top", "bottom") else "0", type="dxa"))
        _place(tbl_pr, margins, _TBLPR)
        table.autofit = False
        table.columns[0].width = Pt(width)
        for row, (left, right) in zip(table.rows, lines, strict=True):
            cell = row.cells[0]
            cell.width = Pt(width)
            paragraph = cell.paragraphs[0]
            paragraph.style = self.doc.styles[TAIL]
            if left:
                paragraph.add_run(_clean(left))
            if right:
                fmt = paragraph.paragraph_format
                fmt.first_line_indent = Pt(0)
                if left:  # the 印发 line: the date at a right tab
                    fmt.left_indent = Pt(14)
                    fmt.tab_stops.add_tab_stop(Pt(width - 14), WD_TAB_ALIGNMENT.RIGHT)
                    paragraph.add_run("\t" + _clean(right))
                else:
                    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    fmt.left_indent = Pt(0)
                    paragraph.add_run(_clean(right))
        end = self.doc.add_paragraph(style="Normal")
        end.paragraph_format.line_spacing = Pt(1)

    def _brief_page_numbers(self) -> None:
        """ "— N —" in 四号 宋体: odd pages at the right, even pages at the left, one character in."""
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._plain_footer(Look("song", 14, None, "right"))
        section = self.doc.sections[0]
        odd = section.footer.paragraphs[0]
        odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        odd.paragraph_format.right_indent = Pt(14)
        self._page_number(odd)
        even = section.even_page_footer.paragraphs[0]
        even.alignment = WD_ALIGN_PARAGRAPH.LEFT
        even.paragraph_format.left_indent = Pt(14)
        self._page_number(even)


def _word_reads(data: bytes) -> bool:
    """Whether python-docx can read the image's header (size and resolution) as it is."""
    try:
        DocxImage.from_blob(data)
    except Exception:  # an image variant it does not parse is converted instead
        return False
    return True
