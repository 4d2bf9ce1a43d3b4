"""Line breaking of Chinese paragraphs, checked on generated text: nothing lost, no closing mark at a
line start, no opening mark at a line end, every line within the measure (squeezed lines included),
Latin words kept whole, and long strings cut. Uses ReportLab's built-in STSong-Light metrics, so it
needs no font file."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from desktop.briefs.typeset import CANNOT_END, CANNOT_START, CLOSING, OPENING, CJKParagraph

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
SIZE = 12.0

WORDS = ["试点", "共富", "乡村振兴", "联合体", "飞地", "强村公司", "2024年", "55.2%", "ABC", "片区"]
CLOSE = ["，", "。", "、", "；", "：", "？", "！", "”", "）", "》", "】", "。”", "）。", "……"]


@st.composite
def chinese_text(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(5, 80))):
        word = draw(st.sampled_from(WORDS))
        kind = draw(st.integers(0, 4))
        if kind == 0:
            parts.append(word)
        elif kind == 1:
            parts.append(word + draw(st.sampled_from(CLOSE)))
        elif kind == 2:
            opening, closing = draw(st.sampled_from([("“", "”"), ("（", "）"), ("《", "》"), ("【", "】"), ("‘", "’")]))
            parts.append(opening + word + closing)
        elif kind == 3:
            parts.append(word + " ")
        else:
            parts.append(draw(st.sampled_from(WORDS)) + word)
    return "".join(parts)


def lines_for(text: str, width: float, *, justify: bool = True) -> tuple[CJKParagraph, list[str]]:
    style = ParagraphStyle("t", fontName=FONT, fontSize=SIZE, leading=SIZE * 1.6, alignment=4 if justify else 0)
    para = CJKParagraph(text, style)
    para.wrap(width, 10_000)
    out = []
    for line in para.blPara.lines:
        out.append("".join(w.text for w in line.words if getattr(w, "text", "") and not hasattr(w, "cbDefn")))
    return para, out


@settings(max_examples=150, deadline=None)
@given(text=chinese_text(), chars=st.integers(10, 40))
def test_breaking_rules_hold(text: str, chars: int) -> None:
    width = chars * SIZE
    para, lines = lines_for(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if i:
            assert stripped[0] not in CANNOT_START, (i, line)
        if i < len(lines) - 1:
            assert stripped[-1] not in CANNOT_END, (i, line)
    for frag_line in para.blPara.lines:
        glyphs = sum(len(w.text) for w in frag_line.words if getattr(w, "text", "") and not hasattr(w, "cbDefn"))
        set_width = frag_line.currentWidth + frag_line.cs * max(glyphs - 1, 0)
        assert set_width <= frag_line.maxWidth + 0.01
    # The last line never holds one character alone (with or without its punctuation).
    if len(lines) > 1:
        assert sum(1 for ch in lines[-1] if ch not in CANNOT_START and ch != " ") >= 2, lines[-2:]
    # A Latin word or number is split only when it is longer than half a line.
    pos = 0
    for line in lines[:-1]:
        while text[pos] == " ":
            pos += 1
        assert text.startswith(line, pos)
        end = pos + len(line)
        if end < len(text) and wordish(text[end - 1]) and wordish(text[end]):
            head = end
            while head > 0 and wordish(text[head - 1]):
                head -= 1
            tail = end
            while tail < len(text) and wordish(text[tail]):
                tail += 1
            run = text[head:tail]
            assert pdfmetrics.stringWidth(run, FONT, SIZE) > width / 2, (run, line)
        pos = end


def wordish(ch: str) -> bool:
    return ch not in " " and ord(ch) < 0x2000


def test_the_lists_extend_reportlabs() -> None:
    import reportlab.lib.textsplit as ts
    import reportlab.platypus.paragraph as rp

    for ch in CLOSING:
        assert ch in ts.ALL_CANNOT_START and ch in rp.ALL_CANNOT_START
    for ch in OPENING:
        assert ch in ts.ALL_CANNOT_END
    for ch in "，。、；：？！”’）》】":
        assert ch in CANNOT_START
    for ch in "“‘（《【":
        assert ch in CANNOT_END


def test_long_unbroken_strings_wrap_within_the_measure() -> None:
    url = "https://example.com/" + "a" * 400 + "/b?x=1"
    para, lines = lines_for(url, 20 * SIZE)
    assert len(lines) > 5
    assert "".join(lines) == url
    for line in para.blPara.lines:
        assert line.currentWidth <= line.maxWidth + 0.01


def test_no_character_is_left_alone_on_the_last_line() -> None:
    # 20 characters a line; "（示例）" would leave "例）" alone, and a 21st character "示" alone
    _para, lines = lines_for("试" * 18 + "（示例）", 20 * SIZE)
    assert lines == ["试" * 18, "（示例）"]  # the opening mark goes down with them
    _para, lines = lines_for("验" * 20 + "示", 20 * SIZE)
    assert lines == ["验" * 19, "验示"]
    _para, lines = lines_for("验" * 20 + "示。", 20 * SIZE)
    assert lines == ["验" * 19, "验示。"]
    _para, lines = lines_for("验" * 20 + "好例", 20 * SIZE)  # two characters may stand together
    assert lines == ["验" * 20, "好例"]
    _para, lines = lines_for("示。", 20 * SIZE)  # a paragraph of one line is what it is
    assert lines == ["示。"]


def test_a_web_address_is_cut_at_a_separator_and_not_spread() -> None:
    text = "详见网站" + "https://zjnews.zjol.com.cn/zjnews/202409/t20240920_" + "1" * 30 + ".shtml"
    para, lines = lines_for(text, 20 * SIZE)
    assert "".join(lines) == text
    first = para.blPara.lines[0]
    assert lines[0].endswith("/") or text[len(lines[0])] in "-.?&=_#~", lines
    assert first.cs <= 0  # ragged: the address keeps its own spacing


def test_a_closing_mark_is_squeezed_in_rather_than_starting_a_line() -> None:
    text = "试" * 20 + "，" + "验" * 10
    para, lines = lines_for(text, 20 * SIZE)
    assert lines[0] == "试" * 20 + "，"
    assert para.blPara.lines[0].cs < 0  # set a little tighter to fit
    para, lines = lines_for("试" * 20 + "。”" + "验" * 10, 20 * SIZE)
    assert lines[0] == "试" * 19  # two marks do not fit: a character moves down with them
    assert lines[1].startswith("试。”")


def test_an_opening_mark_never_ends_a_line() -> None:
    _para, lines = lines_for("试" * 19 + "“引文”" + "验" * 10, 20 * SIZE)
    assert lines[0] == "试" * 19
    assert lines[1].startswith("“引")


def test_forced_line_breaks_and_splitting_keep_the_text() -> None:
    text = "第一行文字<br/>" + "试点经验，" * 60
    style = ParagraphStyle("t", fontName=FONT, fontSize=SIZE, leading=20, alignment=4)
    para = CJKParagraph(text, style)
    para.wrap(200, 10_000)
    parts = para.split(200, 20 * 5)
    assert len(parts) == 2
    texts = []
    for part in parts:
        part.wrap(200, 10_000)
        texts.extend(
            "".join(w.text for w in line.words if getattr(w, "text", "") and not hasattr(w, "cbDefn"))
            for line in part.blPara.lines
        )
    assert texts[0] == "第一行文字"
    assert "".join(texts) == "第一行文字" + "试点经验，" * 60
