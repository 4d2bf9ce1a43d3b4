"""Word exports reopened with python-docx: heading styles and levels in the PDF's order, section text,
figures tables, embedded photos, core properties, faces, page set-up, literal user text, and refusals
in Chinese that leave no file behind."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Length
from docx.text.paragraph import Paragraph
from PIL import Image
from reportlab.lib.units import mm

from desktop.briefs import case_sheet, collection, fontconv, work_brief
from desktop.briefs.fonts import BriefFonts, font_cache_dir, shipped_font_dir
from desktop.briefs.render import render
from desktop.domain.brief import BriefSpec, GroupBy, Recipients, Template
from desktop.domain.records import Figure, ModelCase, Photo, new_uuid
from desktop.domain.validation import DomainError
from desktop.domain.wording import cn_date, cn_number, figure_value, group, paragraphs, sections, source_line
from desktop.exchange.word import WordExportError, write_docx
from desktop.services.casebook import Casebook

UNIT = "浙江省农业农村厅"
DAY = date(2025, 11, 28)
RECIPIENTS = Recipients(
    report_to="省委、省政府领导，省委农办主任、副主任",
    send_to="各市委农办、市农业农村局",
    issue_to="各县（市、区）委农办、农业农村局",
    copies=60,
)
NOTE = "为推动试点经验“一地创新、全省共享”，现将部分典型案例予以刊发。\n请结合实际学习借鉴。"
TRICKY = "<b>粗体</b> &amp; =SUM(A1) 岙垟坞墺㟃畲"
FIGURE_HEAD = ["指标", "数值", "单位", "时期", "来源"]


# -- helpers ------------------------------------------------------------------------------------------


def all_uuids(book: Casebook) -> list[str]:
    return book.briefs.choose(everything=True)


def spec_for(template: Template, **kw: object) -> BriefSpec:
    base = BriefSpec(template=template, unit=UNIT, issued_on=DAY, year=2025, editor_note=NOTE, recipients=RECIPIENTS)
    return replace(base, **kw)  # type: ignore[arg-type]


def style_of(paragraph: Paragraph) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


def headings(doc: Document) -> list[tuple[str, str]]:
    """(style name, text) of every heading paragraph, in order."""
    return [(style_of(p), p.text) for p in doc.paragraphs if style_of(p).startswith("Heading")]


def assert_heading_levels(doc: Document, found: list[tuple[str, str]]) -> None:
    """Each heading style used is Word's built-in one with the outline level of its number."""
    for name in {n for n, _t in found}:
        style = doc.styles[name]
        level = int(name.split()[-1])
        assert style.element.pPr.outlineLvl.val == level - 1, name


def section_outline(case: ModelCase, level: int, numbered: str = "{n}、") -> list[tuple[str, str]]:
    return [
        (f"Heading {level}", numbered.format(n=cn_number(i)) + label)
        for i, (label, _paras) in enumerate(sections(case), start=1)
    ]


def body_texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs]


def figure_rows(doc: Document) -> list[list[str]]:
    """The data rows of every figures table, in document order."""
    rows: list[list[str]] = []
    for table in doc.tables:
        cells = [[c.text for c in row.cells] for row in table.rows]
        if cells and cells[0] == FIGURE_HEAD:
            header = table.rows[0]._tr.trPr
            assert header is not None and header.find(qn("w:tblHeader")) is not None  # repeats on every page
            rows.extend(cells[1:])
    return rows


def expected_figure_rows(cases: list[ModelCase]) -> list[list[str]]:
    return [[f.label, figure_value(f), f.unit, f.period, f.source] for c in cases for f in c.figures]


def east_asia(doc: Document, style: str) -> str:
    fonts = doc.styles[style].element.rPr.rFonts
    assert fonts.get(qn("w:ascii")) == "Times New Roman"
    assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None
    return str(fonts.get(qn("w:eastAsia")))


def close(length: Length | None, points: float) -> bool:
    return length is not None and abs(length.pt - points) < 0.1


def assert_page(doc: Document, top: float, bottom: float, left: float, right: float) -> None:
    """A4 with the PDF template's margins (given in points)."""
    for section in doc.sections:
        assert section.page_width is not None and abs(section.page_width.mm - 210) < 0.1
        assert section.page_height is not None and abs(section.page_height.mm - 297) < 0.1
        assert close(section.top_margin, top) and close(section.bottom_margin, bottom)
        assert close(section.left_margin, left) and close(section.right_margin, right)


def has_page_field(part_xml: str) -> bool:
    return "<w:instrText" in part_xml and " PAGE " in part_xml


def make_photo(folder: Path, name: str, fmt: str) -> Path:
    path = folder / name
    Image.new("RGB", (400, 300), (40, 120, 60)).save(path, fmt)
    return path


def attach_photos(book: Casebook, uuid: str, tmp_path: Path) -> ModelCase:
    """A PNG and a WebP photo (which Word cannot show and gets as PNG), a missing one and a broken one."""
    folder = tmp_path / "photos"
    folder.mkdir()
    png = book.cases.import_photo(make_photo(folder, "村貌.png", "PNG"))
    webp = book.cases.import_photo(make_photo(folder, "田园.webp", "WEBP"))
    broken = folder / "坏图.jpg"
    broken.write_bytes(b"not a picture at all")
    bad = book.cases.import_photo(broken)
    case = book.cases.get(uuid)
    case.photos = [
        Photo(file_name=png, caption="村庄全貌", credit="县农业农村局"),
        Photo(file_name=webp, caption="田园风光"),
        Photo(file_name="不存在.jpg", caption="缺失的照片"),
        Photo(file_name=bad, caption="损坏的照片"),
    ]
    return book.cases.update(case).value


@pytest.fixture
def cases(demo_book: Casebook) -> list[ModelCase]:
    return demo_book.cases.get_many(all_uuids(demo_book))


@pytest.fixture(scope="module")
def pdf_fonts() -> Iterator[BriefFonts]:
    """The open faces when already converted (resources/fonts or the cache), for the PDF comparison."""
    if not any(
        all(fontconv.converted(d, f) for f in fontconv.OPEN_FACES) for d in (shipped_font_dir(), font_cache_dir())
    ):
        pytest.skip("the open faces are not converted (make fonts)")
    yield BriefFonts.load(system_dirs=[])


# -- one case -------------------------------------------------------------------------------------------


def test_case_sheet_mirrors_the_pdf_and_embeds_photos(demo_book: Casebook, tmp_path: Path) -> None:
    book = demo_book
    chosen = next(c for c in book.cases.get_many(all_uuids(book)) if c.figures)
    case = attach_photos(book, chosen.uuid, tmp_path)
    out = tmp_path / "单页.docx"
    report = book.word.export_docx(spec_for(Template.CASE), [case.uuid], out)
    assert report.path == out and report.cases == 1 and report.photos == 2
    assert len(report.warnings) == 2
    assert "不存在.jpg" in report.warnings[0] and "缺失" in report.warnings[0]
    assert case.photos[3].file_name in report.warnings[1] and "无法读取" in report.warnings[1]
    assert all(case.title in w for w in report.warnings)

    doc = docx.Document(str(out))
    found = headings(doc)
    assert found == [("Heading 1", case.title), *section_outline(case, 2)]
    assert_heading_levels(doc, found)
    texts = body_texts(doc)
    assert case.subtitle in texts
    for _label, paras in sections(case):
        assert all(p in texts for p in paras)
    assert source_line(case) in texts
    assert figure_rows(doc) == expected_figure_rows([case])
    assert len(doc.inline_shapes) == 2
    captions = [p.text for p in doc.paragraphs if style_of(p) == "Caption"]
    assert captions == [
        "图1　村庄全貌（图片来源：县农业农村局）",
        "图2　田园风光",
        "（照片文件缺失：不存在.jpg）",
        "图3　缺失的照片",
        f"（照片文件缺失：{case.photos[3].file_name}）",
        "图4　损坏的照片",
    ]

    assert_page(doc, case_sheet.TOP, case_sheet.BOTTOM, case_sheet.LEFT, case_sheet.RIGHT)
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == f"典型案例\t{UNIT}　{cn_date(DAY)}"
    assert has_page_field(section.footer._element.xml)
    assert east_asia(doc, "Normal") == "仿宋"
    assert east_asia(doc, "Heading 1") == "方正小标宋简体"
    assert east_asia(doc, "Heading 2") == "黑体"
    assert east_asia(doc, "Caption") == "楷体"

    props = doc.core_properties
    assert props.title == case.title and props.author == UNIT and props.subject == "案例单页"
    assert props.keywords == "; ".join(t.name for t in case.themes)
    assert props.created is not None
    created = props.created.replace(tzinfo=UTC) if props.created.tzinfo is None else props.created
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=5)
    assert props.language == "zh-CN"


def test_the_sheet_matches_the_pdf_outline(cases: list[ModelCase], tmp_path: Path, pdf_fonts: BriefFonts) -> None:
    spec = spec_for(Template.CASE)
    pdf = render(spec, cases[:3], tmp_path / "s.pdf", fonts=pdf_fonts)
    write_docx(spec, cases[:3], tmp_path / "s.docx")
    doc = docx.Document(str(tmp_path / "s.docx"))
    assert [t for s, t in headings(doc) if s == "Heading 1"] == [t for t, _page in pdf.outline]
    breaks = [p.paragraph_format.page_break_before for p in doc.paragraphs if style_of(p) == "Heading 1"]
    assert breaks == [None, True, True]  # each case after the first starts a page, as in the PDF


# -- collection ---------------------------------------------------------------------------------------------


def test_collection_grouped_by_theme(demo_book: Casebook, cases: list[ModelCase], tmp_path: Path) -> None:
    out = tmp_path / "汇编.docx"
    spec = spec_for(Template.COLLECTION, title="典型案例汇编（示例）", group_by=GroupBy.THEME)
    report = demo_book.word.export_docx(spec, [c.uuid for c in cases], out)
    assert report.cases == len(cases) and report.photos == 0 and report.warnings == ()

    doc = docx.Document(str(out))
    chapters = group(cases, GroupBy.THEME)
    assert len(chapters) > 1
    expected: list[tuple[str, str]] = []
    for ci, (name, members) in enumerate(chapters, start=1):
        expected.append(("Heading 1", f"{cn_number(ci)}、{name}"))
        for case in members:
            expected.append(("Heading 2", case.title))
            expected.extend(section_outline(case, 3))
    found = headings(doc)
    assert found == expected
    assert_heading_levels(doc, found)

    texts = body_texts(doc)
    assert texts[:3] == ["典型案例汇编（示例）", UNIT, cn_date(DAY)]
    assert style_of(doc.paragraphs[0]) == "Title"
    for case in cases:
        for _label, paras in sections(case):
            assert all(p in texts for p in paras)
    in_order = [case for _name, members in chapters for case in members]
    assert figure_rows(doc) == expected_figure_rows(in_order)

    # Contents: a TOC field over chapters and cases, pre-filled with them, refreshed when Word opens the file.
    body_xml = doc.element.body.xml
    assert 'TOC \\o "1-2"' in body_xml
    toc = [(style_of(p), p.text) for p in doc.paragraphs if style_of(p).startswith("toc")]
    assert toc == [("toc 1" if s == "Heading 1" else "toc 2", t) for s, t in expected if s != "Heading 3"]
    assert doc.settings.element.find(qn("w:updateFields")) is not None
    assert f"共收录案例{len(cases)}个。" in texts

    # Cover without header, front matter with the running title, body numbered from 1.
    assert len(doc.sections) == 3
    cover, front, body = doc.sections
    assert cover.header.is_linked_to_previous and not front.header.is_linked_to_previous
    assert front.header.paragraphs[0].text == "典型案例汇编（示例）"
    assert body.header.is_linked_to_previous and not body.footer.is_linked_to_previous
    assert has_page_field(body.footer._element.xml)
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert_page(doc, collection.TOP, collection.BOTTOM, collection.LEFT, collection.RIGHT)
    assert east_asia(doc, "Heading 1") == "黑体" and east_asia(doc, "Heading 2") == "方正小标宋简体"
    assert east_asia(doc, "Heading 3") == "黑体" and east_asia(doc, "Normal") == "仿宋"
    assert doc.core_properties.subject == "典型案例汇编" and doc.core_properties.author == UNIT
    themes = {t.name for c in cases for t in c.themes}
    assert set(doc.core_properties.keywords.split("; ")) == themes


def test_collection_without_chapters_and_the_pdf_outline(
    cases: list[ModelCase], tmp_path: Path, pdf_fonts: BriefFonts
) -> None:
    for group_by in (GroupBy.NONE, GroupBy.REGION):
        spec = spec_for(Template.COLLECTION, group_by=group_by)
        out = tmp_path / f"{group_by.value}.docx"
        write_docx(spec, cases, out)
        doc = docx.Document(str(out))
        found = headings(doc)
        if group_by == GroupBy.NONE:
            expected = [x for c in cases for x in [("Heading 1", c.title), *section_outline(c, 2)]]
            assert found == expected
        pdf = render(spec, cases, tmp_path / f"{group_by.value}.pdf", fonts=pdf_fonts)
        top = 1 if group_by == GroupBy.NONE else 2
        assert [t for s, t in found if int(s.split()[-1]) <= top] == [t for t, _page in pdf.outline]


# -- work brief ------------------------------------------------------------------------------------------


def test_work_brief_of_several_items(demo_book: Casebook, cases: list[ModelCase], tmp_path: Path) -> None:
    out = tmp_path / "简报.docx"
    items = cases[:3]
    report = demo_book.word.export_docx(spec_for(Template.BRIEF), [c.uuid for c in items], out)
    assert report.cases == 3
    assert demo_book.briefs.history() == []  # a Word draft neither enters the history nor takes the number

    doc = docx.Document(str(out))
    found = headings(doc)
    expected: list[tuple[str, str]] = []
    for n, case in enumerate(items, start=1):
        expected.append(("Heading 1", f"{cn_number(n)}、{case.title}"))
        expected.extend(section_outline(case, 2, "（{n}）"))
    assert found == expected
    assert_heading_levels(doc, found)

    paras = doc.paragraphs
    masthead = BriefSpec().masthead
    # no title of its own: the masthead is not printed twice
    assert [p.text for p in paras[:3]] == [masthead, "第1期", f"{UNIT}\t{cn_date(DAY)}"]
    assert [style_of(p) for p in paras[:3]] == ["报头", "期号", "编印单位"]
    note = paragraphs(NOTE)
    assert [p.text for p in paras[3:5]] == ["编者按：" + note[0], note[1]]
    assert paras[3].runs[0].text == "编者按：" and paras[3].runs[0].font.name == "Times New Roman"
    assert paras[3].runs[0]._r.xpath("w:rPr/w:rFonts/@w:eastAsia") == ["黑体"]
    texts = body_texts(doc)
    for case in items:
        for _label, ps in sections(case):
            assert all(p in texts for p in ps)
        assert f"（{source_line(case)}）" in texts
        assert case.subtitle in texts

    tail = doc.tables[-1]
    assert [row.cells[0].text for row in tail.rows] == [
        "报：" + RECIPIENTS.report_to,
        "送：" + RECIPIENTS.send_to,
        "发：" + RECIPIENTS.issue_to,
        f"共印{RECIPIENTS.copies}份",
        f"{UNIT}\t{cn_date(DAY)}印发",  # the 印发 line: the unit, and the date at a right tab
    ]
    position = tail._tbl.tblPr.find(qn("w:tblpPr"))
    assert position.get(qn("w:tblpYSpec")) == "bottom"  # held at the foot of the page

    assert_page(doc, work_brief.TOP, work_brief.BOTTOM, work_brief.LEFT, work_brief.RIGHT)
    normal = doc.styles["Normal"]
    assert normal.font.size is not None and normal.font.size.pt == 16
    spacing = normal.paragraph_format.line_spacing
    assert isinstance(spacing, Length) and close(spacing, work_brief.PITCH)
    assert east_asia(doc, "Normal") == "仿宋" and east_asia(doc, "Heading 1") == "黑体"
    assert east_asia(doc, "Heading 2") == "楷体" and east_asia(doc, "编者按") == "楷体"
    assert east_asia(doc, "Title") == "方正小标宋简体" and east_asia(doc, "报头") == "方正小标宋简体"
    assert str(doc.styles["报头"].font.color.rgb) == "ED1C24"
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    assert has_page_field(section.footer._element.xml) and has_page_field(section.even_page_footer._element.xml)
    assert section.footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT  # odd pages
    assert section.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert doc.core_properties.subject == "工作简报" and doc.core_properties.title == masthead


def test_work_brief_of_one_case(cases: list[ModelCase], tmp_path: Path) -> None:
    case = cases[1]
    out = tmp_path / "one.docx"
    write_docx(spec_for(Template.BRIEF, issue_no=7, recipients=Recipients()), [case], out)
    doc = docx.Document(str(out))
    assert headings(doc) == section_outline(case, 1)
    texts = body_texts(doc)
    assert texts[1] == "第7期" and texts[3] == case.title and texts[4] == case.subtitle
    # without recipients the 版记 holds only its 印发 line
    assert [row.cells[0].text for row in doc.tables[-1].rows] == [f"{UNIT}\t{cn_date(DAY)}印发"]


# -- user text, photos, refusals ----------------------------------------------------------------------------


def test_user_text_comes_back_literally(demo_book: Casebook, cases: list[ModelCase], tmp_path: Path) -> None:
    book = demo_book
    tricky = replace(
        cases[0],
        uuid=new_uuid(),
        version=0,
        title=TRICKY,
        subtitle=TRICKY + "（副标题）",
        basic_situation=TRICKY + "\n第二段 <i>&lt;",
        practices="",
        outcomes="",
        lessons="",
        figures=[Figure(label=TRICKY, value=12.5, unit="万元&", period="2024年<", source=TRICKY)],
        photos=[],
        source=TRICKY,
        source_url="",
    )
    book.cases.create(tricky)
    spec_kw = {
        "title": TRICKY,
        "unit": TRICKY,
        "editor_note": TRICKY,
        "recipients": Recipients(report_to=TRICKY, copies=3),
    }
    for template in Template:
        out = tmp_path / f"{template.value}.docx"
        book.word.export_docx(spec_for(template, **spec_kw), [tricky.uuid, cases[1].uuid], out)
        doc = docx.Document(str(out))
        texts = body_texts(doc)
        assert f"{TRICKY}\n第二段 <i>&lt;".split("\n")[1] in texts
        assert doc.core_properties.title == TRICKY and doc.core_properties.author == TRICKY
        xml = doc.element.body.xml
        assert "&lt;b&gt;粗体&lt;/b&gt; &amp;amp; =SUM(A1) 岙垟坞墺㟃畲" in xml
        assert "<w:b/>" not in xml and "<w:i/>" not in xml  # markup-like text is not applied
        if template == Template.BRIEF:
            assert texts[3] == TRICKY  # the title
            assert ("Heading 1", f"一、{TRICKY}") in headings(doc)
            assert "编者按：" + TRICKY in texts
            assert doc.tables[-1].rows[0].cells[0].text == "报：" + TRICKY
            assert f"（来源：{TRICKY}）" in texts
        else:
            assert (f"Heading {1 if template == Template.CASE else 2}", TRICKY) in headings(doc)
            assert TRICKY + "（副标题）" in texts and f"来源：{TRICKY}" in texts
            assert [TRICKY, "12.5", "万元&", "2024年<", TRICKY] in figure_rows(doc)
        if template == Template.COLLECTION:
            assert texts[:2] == [TRICKY, TRICKY]
            assert doc.sections[1].header.paragraphs[0].text == TRICKY
        if template == Template.CASE:
            assert doc.sections[0].header.paragraphs[0].text.startswith(f"典型案例\t{TRICKY}　")


def test_characters_xml_cannot_hold_are_dropped(cases: list[ModelCase], tmp_path: Path) -> None:
    case = replace(cases[0], title="标题\x00\x07\x1f尾", basic_situation="甲\x0b乙\ud800丙")
    write_docx(spec_for(Template.CASE), [case], tmp_path / "x.docx")
    doc = docx.Document(str(tmp_path / "x.docx"))
    assert headings(doc)[0] == ("Heading 1", "标题尾")
    assert "甲乙丙" in body_texts(doc)


def test_photos_without_a_folder_are_named(cases: list[ModelCase], tmp_path: Path) -> None:
    case = replace(cases[0], photos=[Photo(file_name="a.png", caption="甲")])
    report = write_docx(spec_for(Template.COLLECTION), [case], tmp_path / "x.docx")
    assert report.photos == 0 and len(report.warnings) == 1 and "a.png" in report.warnings[0]
    assert len(docx.Document(str(tmp_path / "x.docx")).inline_shapes) == 0


def test_a_photo_fits_the_text_block(cases: list[ModelCase], tmp_path: Path) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    Image.new("RGB", (3000, 500), (200, 30, 30)).save(folder / "wide.jpg", "JPEG")
    Image.new("RGB", (300, 3000), (30, 30, 200)).save(folder / "tall.png", "PNG")
    case = replace(cases[0], photos=[Photo(file_name="wide.jpg"), Photo(file_name="tall.png")])
    write_docx(spec_for(Template.COLLECTION), [case], tmp_path / "x.docx", photo_dir=folder)
    doc = docx.Document(str(tmp_path / "x.docx"))
    text_width = (210 - 28 - 26) * mm
    text_height = 297 * mm - collection.TOP - collection.BOTTOM
    wide, tall = doc.inline_shapes
    assert wide.width.pt == pytest.approx(text_width * 0.85, abs=0.5)
    assert wide.height.pt == pytest.approx(text_width * 0.85 / 6, abs=0.5)
    assert tall.height.pt == pytest.approx(text_height * 0.4, abs=0.5)


def test_unwritable_targets_are_refused_in_chinese(demo_book: Casebook, cases: list[ModelCase], tmp_path: Path) -> None:
    uuids = [cases[0].uuid]
    blocker = tmp_path / "文件.txt"
    blocker.write_text("x", encoding="utf-8")
    folder = tmp_path / "已有文件夹"
    folder.mkdir()
    before = sorted(tmp_path.iterdir())
    for target in (tmp_path / "没有的文件夹" / "x.docx", blocker / "x.docx", folder):
        with pytest.raises(WordExportError) as caught:
            demo_book.word.export_docx(spec_for(Template.CASE), uuids, target)
        assert isinstance(caught.value, DomainError)
        assert "无法写入Word文件" in str(caught.value) and str(target) in str(caught.value)
        assert not (target.exists() and target.is_file())
    assert sorted(tmp_path.iterdir()) == before
    assert list(folder.iterdir()) == [] and blocker.read_text(encoding="utf-8") == "x"


def test_an_existing_file_is_replaced_whole(cases: list[ModelCase], tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "a.docx"
    out.write_bytes(b"old")
    write_docx(spec_for(Template.CASE), cases[:1], out)
    assert docx.Document(io.BytesIO(out.read_bytes())).paragraphs[0].text == cases[0].title
    assert [p.name for p in folder.iterdir()] == ["a.docx"]


def test_the_service_refuses_empty_or_missing_choices(demo_book: Casebook, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(DomainError, match="没有选中"):
        demo_book.word.export_docx(spec_for(Template.CASE), [], folder / "x.docx")
    with pytest.raises(DomainError, match="不存在"):
        demo_book.word.export_docx(spec_for(Template.CASE), [new_uuid()], folder / "x.docx")
    assert list(folder.iterdir()) == []
