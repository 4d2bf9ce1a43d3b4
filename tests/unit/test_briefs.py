"""PDF exports checked with poppler's tools: text in order, fonts embedded and subset, contents page
numbers, pages that are not blank, escaping, line breaking, rare characters, metadata and outline."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from desktop.briefs import fontconv
from desktop.briefs.fonts import ROLES, BriefFonts, FontError, font_cache_dir, planned_faces, shipped_font_dir
from desktop.briefs.render import RenderReport, render
from desktop.briefs.styles import Setter
from desktop.briefs.typeset import CANNOT_END, CANNOT_START, CJKParagraph
from desktop.domain.brief import BriefSpec, GroupBy, Recipients, Template
from desktop.domain.query import CaseQuery
from desktop.domain.records import Figure, ModelCase, Photo, Ref, new_uuid
from desktop.domain.wording import group, sections
from desktop.services.casebook import Casebook
from desktop.services.sample_text import SampleTextGenerator

RARE = "岙垟坞墺㟃畲"
UNIT = "浙江省农业农村厅"
DAY = date(2025, 11, 28)
RECIPIENTS = Recipients(
    report_to="省委、省政府领导，省委农办主任、副主任",
    send_to="各市委农办、市农业农村局",
    issue_to="各县（市、区）委农办、农业农村局",
    copies=60,
)
PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")
OPEN = fontconv.OPEN_FACES


# -- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def fonts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BriefFonts]:
    """The open faces: from resources/fonts when ``make fonts`` put them there (or from the font cache
    when an earlier run filled it), else converted once for the session into a temporary folder
    (CASEBOOK_FONT_DIR)."""
    with pytest.MonkeyPatch.context() as mp:
        ready = [d for d in (shipped_font_dir(), font_cache_dir()) if all(fontconv.converted(d, f) for f in OPEN)]
        if not ready:
            cache = tmp_path_factory.mktemp("fonts")
            mp.setenv("CASEBOOK_FONT_DIR", str(cache))
            fontconv.ensure_open_faces(cache)
        yield BriefFonts.load(system_dirs=[])


@pytest.fixture(scope="session")
def demo_cases(tmp_path_factory: pytest.TempPathFactory) -> list[ModelCase]:
    book = Casebook.open(tmp_path_factory.mktemp("library") / "l.sqlite", create=True)
    try:
        book.load_demo()
        uuids = [h.uuid for h in book.search.search(CaseQuery(limit=None)).hits]
        return book.cases.get_many(uuids)
    finally:
        book.close()


def spec_for(template: Template, **kw: object) -> BriefSpec:
    base = BriefSpec(
        template=template,
        issue_no=12,
        unit=UNIT,
        issued_on=DAY,
        year=2025,
        editor_note="为推动试点经验“一地创新、全省共享”，现将部分典型案例予以刊发，供各地学习借鉴。",
        recipients=RECIPIENTS,
        group_by=GroupBy.THEME,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def demo_pdfs(
    fonts: BriefFonts, demo_cases: list[ModelCase], tmp_path_factory: pytest.TempPathFactory
) -> dict[Template, tuple[Path, RenderReport]]:
    out = tmp_path_factory.mktemp("demo")
    done: dict[Template, tuple[Path, RenderReport]] = {}
    for template in Template:
        path = out / f"{template.value}.pdf"
        done[template] = (path, render(spec_for(template), demo_cases, path, fonts=fonts))
    return done


def synthetic_cases(n: int, seed: int = 7) -> list[ModelCase]:
    """Cases written by the sample generator, in rare-character places, half with a series figure."""
    counties = ["丽水市景宁畲族自治县", "温州市苍南县", "宁波市象山县", "台州市天台县", "杭州市淳安县"]
    villages = ["下岙村", "垟头村", "坞根村", "墺里村", "㟃山村"]
    themes = ["山海协作与飞地经济", "未来乡村建设", "共富工坊", "城乡差距", "收入差距"]
    model_types = ["乡村振兴联合体", "共富联盟（抱团发展）", "强村公司", "消薄飞地"]
    gen = SampleTextGenerator(seed)
    rng = random.Random(seed)
    out: list[ModelCase] = []
    for i in range(n):
        county, village = counties[i % len(counties)], villages[i % len(villages)]
        mt = model_types[i % len(model_types)]
        chosen = rng.sample(themes, k=1 + i % 3)
        text = gen.case(county, village, mt, chosen, 2020 + i % 5)
        figures = [
            Figure(label=f.label, value=f.value, unit=f.unit, period=f.period, source=f.source) for f in text.figures
        ]
        if i % 2 == 0:
            first = figures[0]
            figures += [
                replace(first, uuid=new_uuid(), value=round(first.value * (1 - 0.1 * k), 1), period=f"{2019 - k}年")
                for k in (1, 2)
            ]
        out.append(
            ModelCase(
                title=text.title,
                subtitle=text.subtitle,
                model_type=Ref(new_uuid(), mt),
                places=[Ref(new_uuid(), county + village)],
                themes=[Ref(new_uuid(), t) for t in chosen],
                basic_situation=text.basic_situation,
                practices=text.practices,
                outcomes=text.outcomes,
                lessons=text.lessons,
                figures=figures,
                source=text.source,
            )
        )
    return out


@pytest.fixture(scope="session")
def synthetic_pdfs(
    fonts: BriefFonts, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[ModelCase], dict[Template, tuple[Path, RenderReport]]]:
    cases = synthetic_cases(12)
    out = tmp_path_factory.mktemp("synthetic")
    done = {}
    for template in Template:
        path = out / f"{template.value}.pdf"
        done[template] = (path, render(spec_for(template, group_by=GroupBy.REGION), cases, path, fonts=fonts))
    return cases, done


# -- helpers ----------------------------------------------------------------------------------------


def run(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


def pages_text(pdf: Path, *, layout: bool = False) -> list[str]:
    """The text of every page (pdftotext), one string per page."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"]
    return run(*args).split("\f")[:-1]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_text(pdf: Path, furniture: set[str]) -> str:
    """All text without whitespace, running headers and page numbers."""
    kept = []
    for page in pages_text(pdf):
        for line in page.splitlines():
            s = line.strip()
            if s and not PAGE_NUMBER.match(s) and squash(s) not in furniture:
                kept.append(s)
    return squash("".join(kept))


def furniture_of(template: Template, title: str) -> set[str]:
    if template == Template.COLLECTION:
        return {squash(title)}
    if template == Template.CASE:
        return {"典型案例", squash(UNIT), "2025年11月28日"}
    return set()


def expected_pieces(case: ModelCase) -> list[str]:
    pieces = [case.title]
    for label, paras in sections(case):
        pieces.append(label)
        pieces.extend(paras)
    return [squash(p) for p in pieces]


def in_layout_order(template: Template, cases: list[ModelCase], group_by: GroupBy) -> list[ModelCase]:
    """Cases in the order the template sets them (a collection groups them into chapters)."""
    if template != Template.COLLECTION:
        return cases
    return [c for _name, members in group(cases, group_by) for c in members]


def assert_in_order(text: str, pieces: list[str]) -> None:
    pos = 0
    for piece in pieces:
        found = text.find(piece, pos)
        assert found >= 0, f"missing or out of order: {piece[:40]}…"
        pos = found + len(piece)


def render_pixels(pdf: Path, page: int, dpi: int = 40) -> tuple[int, int, bytes]:
    """Page ``page`` as raw RGB (pdftoppm → PPM)."""
    data = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)], capture_output=True, check=True
    ).stdout
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", data)
    assert m
    return int(m.group(1)), int(m.group(2)), data[m.end() :]


# -- every template on the demo and on synthetic cases ------------------------------------------------


@pytest.mark.parametrize("template", list(Template))
def test_demo_text_comes_back_in_order(template: Template, demo_pdfs: dict, demo_cases: list[ModelCase]) -> None:
    path, report = demo_pdfs[template]
    title = "典型案例汇编" if template == Template.COLLECTION else ""
    text = body_text(path, furniture_of(template, title))
    pieces = [p for case in in_layout_order(template, demo_cases, GroupBy.THEME) for p in expected_pieces(case)]
    assert_in_order(text, pieces)
    assert report.pages == len(pages_text(path))
    assert report.unset_characters == frozenset()


@pytest.mark.parametrize("template", list(Template))
def test_synthetic_text_and_rare_place_names(template: Template, synthetic_pdfs: tuple) -> None:
    cases, pdfs = synthetic_pdfs
    path, report = pdfs[template]
    title = "典型案例汇编" if template == Template.COLLECTION else ""
    text = body_text(path, furniture_of(template, title))
    ordered = in_layout_order(template, cases, GroupBy.REGION)
    assert_in_order(text, [p for case in ordered for p in expected_pieces(case)])
    assert report.unset_characters == frozenset()
    for ch in RARE:
        assert ch in text
    assert "景宁畲族自治县" in text


@pytest.mark.parametrize("template", list(Template))
def test_every_font_is_embedded_and_subset(template: Template, demo_pdfs: dict) -> None:
    path, _report = demo_pdfs[template]
    rows = run("pdffonts", str(path)).splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        # name type encoding emb sub uni object generation
        assert cols[-5:-2] == ["yes", "yes", "yes"], row


@pytest.mark.parametrize("template", list(Template))
def test_first_page_is_not_blank(template: Template, demo_pdfs: dict) -> None:
    path, _report = demo_pdfs[template]
    width, height, pixels = render_pixels(path, 2 if template == Template.COLLECTION else 1)
    dark = sum(1 for i in range(0, len(pixels), 3) if pixels[i] < 128 and pixels[i + 1] < 128)
    assert dark > width * height * 0.005


def test_brief_has_red_masthead_tail_and_alternating_page_numbers(demo_pdfs: dict) -> None:
    path, report = demo_pdfs[Template.BRIEF]
    width, height, pixels = render_pixels(path, 1)
    top = pixels[: width * (height // 4) * 3]
    red = sum(1 for i in range(0, len(top), 3) if top[i] > 225 and top[i + 1] < 45 and top[i + 2] < 50)
    # masthead and rule in the pure red of official documents (C0 M100 Y100 K0, shown as #ED1C24),
    # not the salmon of C0 M80 Y80 K0 (#F04338)
    assert red > 100
    pages = pages_text(path, layout=True)
    first = squash(pages[0])
    # no title of its own: the masthead is not printed a second time under the rule
    assert first.startswith("千万工程试点工作简报第12期" + UNIT + "2025年11月28日编者按：")
    assert first.count("千万工程试点工作简报") == 1
    last = squash(pages[-1])
    for bit in ("报：省委、省政府领导", "送：各市委农办", "发：各县（市、区）", "共印60份"):
        assert bit in last
    # the 印发 line closes the 版记: the unit at the left, the date at the right of one line
    issued = [line for line in pages[-1].splitlines() if "印发" in line]
    assert len(issued) == 1 and squash(issued[0]) == UNIT + "2025年11月28日印发"
    assert squash(last).index("共印60份") < squash(last).index("2025年11月28日印发")
    # odd page numbers at the right, even ones at the left (pdftotext -layout keeps the indent)
    numbers = [next(line for line in p.splitlines() if PAGE_NUMBER.match(line.strip())) for p in pages]
    assert len(numbers) == report.pages >= 2
    for n, line in enumerate(numbers, start=1):
        indent = len(line) - len(line.lstrip())
        assert (indent > 20) == (n % 2 == 1), (n, line)


def test_contents_numbers_match_where_chapters_and_cases_start(demo_pdfs: dict) -> None:
    path, report = demo_pdfs[Template.COLLECTION]
    pages = pages_text(path, layout=True)
    printed: dict[int, int] = {}  # printed number -> physical page
    for i, page in enumerate(pages, start=1):
        for line in page.splitlines():
            if PAGE_NUMBER.match(line.strip()):
                printed[int(squash(line).strip("—"))] = i
    contents = next(p for p in pages if "目录" in squash(p)[:30])
    entries = re.findall(r"^\s*(\S.*?)\s*(?:\. )*\.?\s*(\d+)\s*$", contents, flags=re.M)
    chapters = [(t.rstrip(" ."), int(n)) for t, n in entries if re.match(r"^[一二三四五六七八九十]+、", t)]
    assert len(chapters) >= 3
    for title, number in chapters:
        page = pages[printed[number] - 1]
        assert squash(title) in squash(page)[:80], (title, number)
    assert (chapters[0][0], printed[chapters[0][1]]) in report.outline
    # every anchor of the outline is on the page the contents give for it
    outline_pages = dict(report.outline)
    for title, number in chapters:
        assert outline_pages[title] == printed[number]


def test_outline_and_metadata(demo_pdfs: dict, demo_cases: list[ModelCase]) -> None:
    path, report = demo_pdfs[Template.COLLECTION]
    info = run("pdfinfo", str(path))
    assert re.search(r"^Title:\s+典型案例汇编$", info, re.M)
    assert re.search(rf"^Author:\s+{UNIT}$", info, re.M)
    assert re.search(r"^Subject:\s+典型案例汇编$", info, re.M)
    assert re.search(r"^Keywords:\s+.*重点村培育与片区组团", info, re.M)
    assert re.search(r"^CreationDate:\s+\S", info, re.M)
    titles = [t for t, _page in report.outline]
    assert [c.title for c in demo_cases if c.title in titles] and set(c.title for c in demo_cases) <= set(titles)
    data = path.read_bytes()
    assert b"/Outlines" in data
    brief_info = run("pdfinfo", str(demo_pdfs[Template.BRIEF][0]))
    assert re.search(r"^Subject:\s+工作简报$", brief_info, re.M)
    case_info = run("pdfinfo", str(demo_pdfs[Template.CASE][0]))
    assert re.search(r"^Subject:\s+案例单页$", case_info, re.M)


def test_charts_and_figures_table(demo_pdfs: dict) -> None:
    path, _report = demo_pdfs[Template.COLLECTION]
    text = squash("".join(pages_text(path)))
    assert "各主题案例数" in text and "各市案例数" in text
    assert "创客店铺（家）" in text  # the series 2023年9月 → 2024年9月 as a chart
    for head in ("指标", "数值", "单位", "时期", "来源"):
        assert head in text
    assert "超过1000" in text


def test_photos_with_captions_and_a_missing_file(fonts: BriefFonts, tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (300, 200), (40, 120, 60)).save(tmp_path / "p1.png")
    case = synthetic_cases(1)[0]
    case.photos = [
        Photo(file_name="p1.png", caption="村民在共富工坊劳作", credit="县农业农村局"),
        Photo(file_name="gone.jpg", caption="不存在的照片"),
    ]
    out = tmp_path / "photos.pdf"
    render(spec_for(Template.COLLECTION), [case], out, fonts=fonts, photo_dir=tmp_path)
    text = squash("".join(pages_text(out)))
    assert "图1村民在共富工坊劳作（图片来源：县农业农村局）" in text
    assert "照片文件缺失：gone.jpg" in text
    assert "image" in run("pdfimages", "-list", str(out))


# -- text goes in literally ---------------------------------------------------------------------------

NASTY = [
    "<b>不是粗体</b> &amp; & < > \"双引号\" '单引号' <script>alert(1)</script> a<b c>d &lt; &#x4e00;",
    "https://example.com/" + "very-long-path-" * 30 + "?q=1&r=<2>",
    "9" * 200,
    '<para><font name="x">标签</font></para><br/>',
]


@pytest.mark.parametrize("template", list(Template))
def test_user_text_prints_literally(template: Template, fonts: BriefFonts, tmp_path: Path) -> None:
    case = ModelCase(
        title=NASTY[0],
        subtitle=NASTY[3],
        places=[Ref(new_uuid(), "丽水市景宁畲族自治县")],
        themes=[Ref(new_uuid(), "<主题> & 飞地")],
        model_type=Ref(new_uuid(), "A&B<c>"),
        basic_situation="\n".join(NASTY),
        practices="甲" * 3000,
        outcomes="（一）“引号”里的内容，以及&amp;符号。",
        lessons=NASTY[1],
        figures=[Figure(label="<b>指标</b>", value=1.5, unit="&", period="2024年", source=NASTY[1])],
        source=NASTY[0],
        source_url=NASTY[1],
    )
    out = tmp_path / "nasty.pdf"
    spec = spec_for(template, title=NASTY[0], editor_note=NASTY[0], unit="A&B <单位>")
    report = render(spec, [case], out, fonts=fonts)
    text = squash("".join(pages_text(out)))
    for piece in NASTY:
        assert squash(piece) in text
    assert "&amp;符号" in text
    assert report.unset_characters == frozenset()
    assert re.search(r"^Author:\s+A&B <单位>$", run("pdfinfo", str(out)), re.M)


def test_characters_no_face_has_are_named_and_marked(fonts: BriefFonts, tmp_path: Path) -> None:
    case = synthetic_cases(1)[0]
    case.basic_situation = "吉祥物😀与生僻字𠮷，及罕用地名" + RARE
    out = tmp_path / "unset.pdf"
    report = render(spec_for(Template.CASE), [case], out, fonts=fonts)
    assert {"😀"} <= report.unset_characters
    assert not report.unset_characters & set(RARE)
    text = "".join(pages_text(out))
    assert "吉祥物〓与生僻字" in text
    assert RARE in text


# -- Chinese line breaking ----------------------------------------------------------------------------


def kinsoku_text() -> str:
    """Runs of every length followed by closing and opening marks, so that over some 60 lines the
    marks fall on every column, line ends and line starts included."""
    marks = ["，", "。", "、", "；", "：", "？", "！", "”", "’", "）", "》", "】", "……"]
    opens = ["“", "‘", "（", "《", "【"]
    out = []
    for k in range(1, 60):
        run_ = "试点经验推广共享"[: 1 + k % 8] * (1 + k // 8)
        out.append(run_ + marks[k % len(marks)] + opens[k % len(opens)] + "乡村" + marks[(k + 3) % len(marks)])
    return "".join(out)


def lines_of(pdf: Path) -> list[str]:
    return [line.strip() for page in pages_text(pdf) for line in page.splitlines() if line.strip()]


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(fonts: BriefFonts, tmp_path: Path) -> None:
    text = kinsoku_text()
    setter = Setter(fonts)
    setter.add("body", "body", 16, 28.9, indent=32)
    out = tmp_path / "kinsoku.pdf"
    SimpleDocTemplate(str(out), initialFontName=fonts.name("body")).build([setter.para(text, "body")])
    lines = lines_of(out)
    assert len(lines) > 40
    assert squash("".join(lines)) == squash(text)
    for line in lines:
        assert line[0] not in CANNOT_START, line
        assert line[-1] not in CANNOT_END, line
    # The same text with ReportLab's own wrapping does break those rules: the test hits the cases.
    plain = tmp_path / "plain.pdf"
    style = ParagraphStyle(
        "p", fontName=fonts.name("body"), fontSize=16, leading=28.9, wordWrap="CJK", firstLineIndent=32
    )
    SimpleDocTemplate(str(plain), initialFontName=fonts.name("body")).build([Paragraph(text, style)])
    assert any(line[0] in CANNOT_START or line[-1] in CANNOT_END for line in lines_of(plain))


def test_justified_lines_reach_the_right_edge(fonts: BriefFonts, tmp_path: Path) -> None:
    setter = Setter(fonts)
    setter.add("body", "body", 16, 28.9, indent=32)
    text = "据报道，2019年1—10月，联合体25个村村集体经营性收入合计超过1000万元，同比增长55.2%。" * 6
    para = setter.para(text, "body")
    para.wrap(442, 1000)
    lines = para.blPara.lines
    assert len(lines) > 4
    for line in lines[:-1]:
        spread = line.cs * (sum(len(w.text) for w in line.words if getattr(w, "text", "")) - 1)
        assert abs(line.currentWidth + spread - line.maxWidth) < 0.5
    assert isinstance(para, CJKParagraph)


# -- fonts ----------------------------------------------------------------------------------------------


def test_fonts_api(fonts: BriefFonts) -> None:
    assert ROLES == ("body", "heading", "kai", "title", "song")
    for role in ROLES:
        assert fonts.name(role)
        assert fonts.faces[role].is_file()
    assert fonts.faces["heading"].name == "NotoSansSC-Regular.ttf"
    assert fonts.faces["body"].name == "NotoSerifSC-Regular.ttf"
    assert (
        (fonts.faces["body"].parent / fontconv.LICENSE_FILE)
        .read_text(encoding="utf-8")
        .count("SIL OPEN FONT LICENSE Version 1.1")
    )
    assert fonts.markup("a<b>&amp;", "body") == "a&lt;b&gt;&amp;amp;"
    assert fonts.markup("一\n二", "body") == "一<br/>二"
    assert fonts.unsettable("岙垟坞墺㟃畲😀") == {"😀"}
    assert BriefFonts.load(system_dirs=[]) is fonts  # cached per process
    with pytest.raises(ValueError):
        fonts.name("bold")


def test_preferences_and_office_fonts(fonts: BriefFonts, tmp_path: Path) -> None:
    sans = fonts.faces["heading"]
    chosen = BriefFonts.load({"kai": sans}, system_dirs=[])
    assert chosen.faces["kai"] == sans and chosen.name("kai") == chosen.name("heading")
    office = tmp_path / "Fonts"
    office.mkdir()
    for name in ("SIMFANG.TTF", "simhei.ttf", "simkai.ttf"):
        shutil.copyfile(fonts.faces["body"], office / name)
    found = BriefFonts.load(system_dirs=[office])
    assert found.faces["body"].name == "SIMFANG.TTF"
    assert found.faces["heading"].name == "simhei.ttf"
    assert found.faces["title"].name == "simhei.ttf"  # no 方正小标宋: 黑体
    assert found.faces["song"].name == "NotoSerifSC-Regular.ttf"  # no simsun.ttc: the open face
    # what Settings shows: the same decision, said in words, without loading anything
    planned = planned_faces({"kai": sans}, system_dirs=[office])
    assert {r: c.source for r, c in planned.items()} == {
        "body": "office",
        "heading": "office",
        "kai": "chosen",
        "title": "office",
        "song": "open",
    }
    assert planned["body"].describe() == "Noto Serif SC（本机字体 SIMFANG.TTF）"  # the family in the file
    assert planned["kai"].describe() == f"Noto Sans SC（所选文件 {sans.name}）"
    assert planned["song"].describe() == "Noto Serif SC（开源字体，本机没有公文字体）"
    assert {r: found.faces[r] for r in planned if planned[r].path} == {
        r: c.path for r, c in planned_faces(system_dirs=[office]).items() if c.path
    }
    otf = fontconv.SERIF.source()
    with pytest.raises(FontError, match="TrueType"):
        BriefFonts.load({"body": otf}, system_dirs=[])
    with pytest.raises(FontError, match="不存在"):
        BriefFonts.load({"body": tmp_path / "nope.ttf"}, system_dirs=[])


def test_progress_is_reported(fonts: BriefFonts, demo_cases: list[ModelCase], tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    render(
        spec_for(Template.CASE),
        demo_cases[:3],
        tmp_path / "p.pdf",
        fonts=fonts,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_a_failed_export_leaves_no_file(fonts: BriefFonts, tmp_path: Path) -> None:
    def boom(done: int, total: int) -> None:
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        render(spec_for(Template.CASE), synthetic_cases(2), tmp_path / "x.pdf", fonts=fonts, progress=boom)
    assert list(tmp_path.iterdir()) == []


def test_characters_missing_from_the_chosen_face_come_from_a_fallback(fonts: BriefFonts, tmp_path: Path) -> None:
    from fontTools import subset

    small = tmp_path / "small.ttf"  # a body face knowing only a few characters, like an old GB2312 font
    subset.main([str(fonts.faces["body"]), "--text=试点经验基本情况主要做法取得成效", f"--output-file={small}"])
    chosen = BriefFonts.load({"body": small}, system_dirs=[])
    markup = chosen.markup("试点岙经验", "body")
    assert markup.startswith("试点<font name=") and markup.endswith(">岙</font>经验")
    assert chosen.unsettable("试点岙") == set()
    case = ModelCase(title="试点", basic_situation="试点岙垟经验", practices="坞墺㟃畲")
    out = tmp_path / "fallback.pdf"
    report = render(spec_for(Template.CASE), [case], out, fonts=chosen)
    assert report.unset_characters == frozenset()
    assert "试点岙垟经验" in squash("".join(pages_text(out)))
    first_subsets = [r.split()[0] for r in run("pdffonts", str(out)).splitlines()[2:] if r.startswith("AAAAAA+")]
    serif = [n for n in first_subsets if n.startswith("AAAAAA+NotoSerifSC-Regular")]
    assert len(serif) == 2  # the small face (named apart: same PostScript name) and the fallback face
