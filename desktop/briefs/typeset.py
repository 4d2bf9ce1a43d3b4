"""Chinese paragraphs: line breaking by the punctuation rules, justified lines, and splitting across pages.

ReportLab's own CJK wrapping hangs at most one closing mark and knows no opening marks, so lines can
start with ，or end with “. ``CJKParagraph`` breaks lines itself:

* a line never starts with closing punctuation (，。、；：？！”’）》】 …) and never ends with opening
  punctuation (“‘（《【 …); the lists are ReportLab's, extended (``extend_reportlab_rules``);
* a single closing mark that would start the next line is squeezed into the current one (the whole
  line is set a little tighter, as Word does); otherwise characters move down to the next line;
* Latin words and numbers stay whole unless a string is longer than half a line (a long URL), which
  is then cut after a slash or before a separator where one is near, and that line is not spread;
* the last line of a paragraph never holds a single character alone (with its punctuation): one more
  moves down with it;
* justified lines are filled to the measure by spreading the difference over the character gaps
  (PDF character spacing), so the right edge is straight even with digits and Latin letters.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

import reportlab.lib.textsplit as _textsplit
import reportlab.platypus.paragraph as _rl_paragraph
from reportlab.lib.abag import ABag
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import FragLine, Paragraph, ParaLines
from reportlab.rl_config import paraFontSizeHeightOffset

#: Marks that may not start a line (added to ReportLab's list).
CLOSING = "，。、；：？！”’）》】」』〉〕〗〙〛｝］…—～·．％‰℃!),.:;?]}%"
#: Marks that may not end a line (added to ReportLab's list).
OPENING = "“‘（《【「『〈〔〖〘〚［｛([{"

_FUZZ = 1e-6
_URL_BREAK_BEFORE = frozenset("-.?&=_#~")
_CHAR_SPACE_CB = "cb_char_space"
# Widest character spacing (as a share of the font size) used to justify a line; beyond it the line
# stays ragged rather than gappy.
_MAX_SPREAD = 0.2


def extend_reportlab_rules() -> None:
    """Add the Chinese marks to ReportLab's no-start and no-end lists (idempotent)."""
    start = _textsplit.ALL_CANNOT_START + "".join(c for c in CLOSING if c not in _textsplit.ALL_CANNOT_START)
    end = _textsplit.ALL_CANNOT_END + "".join(c for c in OPENING if c not in _textsplit.ALL_CANNOT_END)
    _textsplit.ALL_CANNOT_START = start
    _textsplit.ALL_CANNOT_END = end
    _rl_paragraph.ALL_CANNOT_START = start  # the name ReportLab's own CJK splitter reads


extend_reportlab_rules()
CANNOT_START = frozenset(_textsplit.ALL_CANNOT_START)
CANNOT_END = frozenset(_textsplit.ALL_CANNOT_END)

_width_cache: dict[tuple[str, float], dict[str, float]] = {}
_metric_cache: dict[tuple[str, float], tuple[float, float]] = {}


def _widths_for(font_name: str, size: float) -> dict[str, float]:
    table = _width_cache.get((font_name, size))
    if table is None:
        table = _width_cache[(font_name, size)] = {}
    return table


def _metrics(font_name: str, size: float) -> tuple[float, float]:
    m = _metric_cache.get((font_name, size))
    if m is None:
        m = _metric_cache[(font_name, size)] = getAscentDescent(font_name, size)
    return m


def _wordish(ch: str) -> bool:
    """Part of a Latin word or a number: no line break inside unless it must."""
    return ch not in " \x00\n" and ord(ch) < 0x2000


def _set_char_space(canvas: Any, kind: str, label: str) -> None:
    """Drawing callback placed at the start of a line: set the PDF character spacing (Tc)."""
    canvas._curr_tx_info["tx"].setCharSpace(float(label))


class CJKParagraph(Paragraph):
    """A ``Paragraph`` that breaks and justifies Chinese (and mixed) text by the rules above."""

    def breakLines(self, width: Any) -> Any:
        """Every paragraph breaks the Chinese way, whatever its ``wordWrap``."""
        return self.breakLinesCJK(width)

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        """Break ``self.frags`` into lines no wider than ``maxWidths``."""
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara
        self.height = 0
        style = self.style
        if not self.frags:
            return ParaLines(
                kind=0,
                fontSize=style.fontSize,
                fontName=style.fontName,
                textColor=style.textColor,
                lines=[],
                ascent=style.fontSize,
                descent=-0.2 * style.fontSize,
            )
        return break_frags(self.frags, maxWidths, justify=style.alignment == TA_JUSTIFY)

    def _get_split_blParaFunc(self) -> Any:
        return _split_lines

    def drawPara(self, debug: int = 0) -> None:
        """Draw the lines (with outlined text when the style asks for a heavier weight than its face
        has: ``style.stroke`` points)."""
        canv = self.canv
        stroke = getattr(self.style, "stroke", 0.0)
        canv.saveState()
        try:
            if stroke:
                canv.setLineWidth(stroke)
                canv.setLineJoin(1)
                canv.setStrokeColor(self.style.textColor)
            if not self._draw_plain(debug):
                canv.setNamedCB(_CHAR_SPACE_CB, _set_char_space)
                super().drawPara(debug)
        finally:
            canv.restoreState()

    def _draw_plain(self, debug: int = 0) -> bool:
        """Draw plain text lines directly (one text object, an origin per line); False when the
        paragraph uses something only ReportLab's own drawing handles (bullets, borders, links,
        underlines, dot leaders, images)."""
        style = self.style
        bl = self.blPara
        if (
            debug
            or bl.kind != 1
            or self.bulletText
            or style.endDots
            or style.backColor
            or (style.borderWidth and style.borderColor)
            or getattr(self, "autoLeading", getattr(style, "autoLeading", "")) not in ("", "off")
        ):
            return False
        lines = bl.lines
        for line in lines:
            if not hasattr(line, "cs"):
                return False
            for frag in line.words:
                cb = getattr(frag, "cbDefn", None)
                if cb is not None:
                    if getattr(cb, "name", "") != _CHAR_SPACE_CB:
                        return False
                elif frag.us_lines or frag.link or frag.rise or getattr(frag, "backColor", None):
                    return False
        if not lines:
            return True
        first = lines[0]
        top = first.fontSize if paraFontSizeHeightOffset else getattr(first, "ascent", first.fontSize)
        y = self.height - top
        leading = style.leading
        left = style.leftIndent
        first_indent = style.firstLineIndent
        alignment = style.alignment
        tx = self.beginText(0, 0)
        code = tx._code  # origins and spacing are written directly: ReportLab's number formatting is slow
        color: Any = None
        cs = 0.0
        for i, line in enumerate(lines):
            x = left + (first_indent if i == 0 else 0.0)
            if alignment == TA_CENTER:
                x += line.extraSpace / 2
            elif alignment == TA_RIGHT:
                x += line.extraSpace
            code.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
            y -= leading
            if line.cs != cs:
                cs = line.cs
                code.append(f"{cs:.4f} Tc")
            for frag in line.words:
                text = getattr(frag, "text", "")
                if not text or getattr(frag, "cbDefn", None) is not None:
                    continue
                if tx._fontname != frag.fontName or tx._fontsize != frag.fontSize:
                    tx._setFont(frag.fontName, frag.fontSize)
                if frag.textColor != color:
                    color = frag.textColor
                    tx.setFillColor(color)
                tx._textOut(text, 0)
        self.canv.drawText(tx)
        return True

    def beginText(self, x: float, y: float) -> Any:
        """A text object; filled and stroked when the style asks for a heavier weight."""
        tx = self.canv.beginText(x, y)
        if getattr(self.style, "stroke", 0.0):
            tx.setTextRenderMode(2)
        return tx


def _split_lines(bl_para: Any, start: int, stop: int) -> list[Any]:
    """The fragments of lines ``start:stop``, for the part of a paragraph that moves to the next page."""
    out: list[Any] = []
    for line in bl_para.lines[start:stop]:
        for frag in line.words:
            cb = getattr(frag, "cbDefn", None)
            if cb is not None and getattr(cb, "name", "") == _CHAR_SPACE_CB:
                continue
            out.append(frag)
    return out


def break_frags(frags: Sequence[Any], max_widths: Sequence[float], *, justify: bool) -> Any:
    """Break the paragraph fragments ``frags`` into ReportLab line objects (``ParaLines`` kind 1)."""
    chars: list[str] = []
    widths: list[float] = []
    owner: list[int] = []
    for fi, frag in enumerate(frags):
        cb = getattr(frag, "cbDefn", None)
        if cb is not None:
            if getattr(cb, "name", "") == _CHAR_SPACE_CB:
                continue
            w = getattr(cb, "width", 0)
            chars.append("\x00")
            widths.append(float(w) if isinstance(w, (int, float)) else 0.0)
            owner.append(fi)
            continue
        if getattr(frag, "lineBreak", False):
            chars.append("\n")
            widths.append(0.0)
            owner.append(fi)
            continue
        text = frag.text
        if not text:
            continue
        name, size = frag.fontName, frag.fontSize
        table = _widths_for(name, size)
        missing = set(text).difference(table)
        for ch in missing:
            table[ch] = stringWidth(ch, name, size)
        widths.extend(map(table.__getitem__, text))
        chars.extend(text)
        owner.extend([fi] * len(text))

    n = len(chars)
    cum = [0.0, *accumulate(widths)]  # cum[k]: width of chars[:k]
    breaks = [k for k, ch in enumerate(chars) if ch == "\n"] if "\n" in chars else []
    has_boxes = "\x00" in chars

    def ok(b: int) -> bool:
        if b >= n:
            return True
        before, after = chars[b - 1], chars[b]
        if after == "\n":
            return True
        if after in CANNOT_START or before in CANNOT_END:
            return False
        return not (_wordish(before) and _wordish(after))

    def choose(start: int, fit: int, max_w: float) -> int:
        c = chars[fit]
        if (
            c in CANNOT_START
            and widths[fit] <= frags[owner[fit]].fontSize * 1.01
            and fit - start >= 8
            and (fit + 1 >= n or chars[fit + 1] == "\n" or ok(fit + 1))
        ):
            return fit + 1  # squeeze one closing mark in
        # Move back no further than half the measure.
        lo = min(max(start + 1, bisect_left(cum, cum[start] + max_w / 2)), fit)
        for b in range(fit, lo - 1, -1):
            if ok(b):
                return b
        # A word longer than half a line (a web address, a long number): cut it, after a slash or
        # before other separators when one is near the end of the line, and never right after a
        # hyphen (text extraction would take it for a word split and drop it).
        for b in range(fit, max(lo, fit - 16) - 1, -1):
            if (chars[b - 1] == "/" or chars[b] in _URL_BREAK_BEFORE) and chars[b] not in CANNOT_START:
                return b
        for b in range(fit, lo - 1, -1):
            if chars[b] not in CANNOT_START and chars[b - 1] not in CANNOT_END and chars[b - 1] != "-":
                return b
        return fit

    def units(a: int, b: int) -> int:
        return sum(1 for ch in chars[a:b] if ch not in CANNOT_START and ch not in " \x00")

    def no_orphan(start: int, b: int, max_w: float) -> int:
        # The last line of a paragraph (or before a forced break) holds at least two characters besides
        # punctuation: not "例）" or "示" alone. Characters move down from this line when the rest is
        # that short and this line keeps at least half the measure.
        stop = n
        if breaks:
            j = bisect_left(breaks, b)
            stop = breaks[j] if j < len(breaks) else n
        if stop - b > 8 or units(b, stop) >= 2 or units(start, stop) < 3:
            return b
        lo = max(start + 1, bisect_left(cum, cum[start] + max_w / 2))
        for c in range(b - 1, lo - 1, -1):
            if ok(c) and units(c, stop) >= 2:
                return c
        return b

    lines: list[Any] = []
    start = 0
    n_widths = len(max_widths)
    prev_cs = 0.0
    while start < n:
        if lines:
            while start < n and chars[start] == " ":
                start += 1
            if start >= n:
                break
        max_w = max_widths[len(lines)] if len(lines) < n_widths else max_widths[-1]
        # The first character that does not fit (at least one character per line), or the next forced break.
        fit = max(bisect_right(cum, cum[start] + max_w + _FUZZ) - 1, start + 1)
        if breaks:
            j = bisect_left(breaks, start)
            if j < len(breaks) and breaks[j] < fit:
                fit = breaks[j]
        forced = fit < n and chars[fit] == "\n"
        if fit >= n or forced:
            end, following = fit, fit + 1
        else:
            end = following = choose(start, fit, max_w)
            end = following = no_orphan(start, end, max_w)
        last = following >= n
        visible_end = end
        while visible_end > start and chars[visible_end - 1] == " ":
            visible_end -= 1
        glyphs = visible_end - start
        if has_boxes:
            glyphs -= chars[start:visible_end].count("\x00")
        line, prev_cs = _make_line(
            frags,
            chars,
            owner,
            start,
            end,
            visible_end,
            glyphs,
            cum[visible_end] - cum[start],
            max_w,
            forced=forced,
            last=last,
            # a line that ends inside a word (a long web address cut at a separator) stays ragged:
            # spreading it would stretch the address
            justify=justify and not (end < n and _wordish(chars[end - 1]) and _wordish(chars[end])),
            prev_cs=prev_cs,
        )
        lines.append(line)
        start = following
    return ParaLines(kind=1, lines=lines)


def _make_line(
    frags: Sequence[Any],
    chars: list[str],
    owner: list[int],
    start: int,
    end: int,
    visible_end: int,
    glyphs: int,
    used: float,
    max_w: float,
    *,
    forced: bool,
    last: bool,
    justify: bool,
    prev_cs: float,
) -> tuple[Any, float]:
    """One line of ``chars[start:end]`` as a ReportLab ``FragLine``; returns it and its character spacing."""
    extra = max_w - used
    words: list[Any] = []
    size = 0.0
    k = start
    while k < visible_end:
        fi = owner[k]
        j = k + 1
        while j < visible_end and owner[j] == fi:
            j += 1
        frag = frags[fi]
        size = max(size, frag.fontSize)
        if getattr(frag, "cbDefn", None) is not None:
            words.append(frag)
        else:
            words.append(frag.clone(text="".join(chars[k:j])))
        k = j
    if not size:
        size = frags[0].fontSize
    cs = 0.0
    if glyphs > 1 and extra < -_FUZZ:
        cs = extra / (glyphs - 1)
        extra = 0.0
    elif justify and glyphs > 1 and extra > _FUZZ and not forced and not last:
        spread = extra / (glyphs - 1)
        if spread <= _MAX_SPREAD * size:
            cs = spread
            extra = 0.0
    if forced and end < len(chars):
        words.append(frags[owner[end]])  # keep the line break for a later re-break of a split paragraph
    if cs != prev_cs:
        first = frags[owner[start]] if end > start else frags[0]
        marker = first.clone(text="", cbDefn=ABag(kind="onDraw", name=_CHAR_SPACE_CB, label=repr(cs)))
        if hasattr(marker, "lineBreak"):
            del marker.lineBreak
        words.insert(0, marker)

    ascent = descent = 0.0
    for frag in words:
        a, d = _metrics(frag.fontName, frag.fontSize)
        if a > ascent:
            ascent = a
        if d < descent:
            descent = d
    line = FragLine(
        kind=1,
        extraSpace=extra,
        wordCount=1,
        words=words,
        fontSize=size,
        ascent=ascent,
        descent=descent,
        maxWidth=max_w,
        currentWidth=used,
        lineBreak=forced,
    )
    line.cs = cs
    return line, cs
