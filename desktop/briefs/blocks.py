"""Pieces of a case shared by the collection and the one-case sheet: sections, figures, charts, photos."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer

from desktop.briefs.charts import series_chart
from desktop.briefs.fonts import clean
from desktop.briefs.styles import Setter
from desktop.briefs.typeset import CJKParagraph
from desktop.domain.records import ModelCase, Photo
from desktop.domain.wording import cn_number, figure_value, sections, series, source_line
from desktop.images import decode_problem

# Column shares of the figures table: 指标 / 数值 / 单位 / 时期 / 来源.
_COLUMNS = (0.27, 0.12, 0.09, 0.18, 0.34)


def section_flowables(case: ModelCase, setter: Setter) -> list[Flowable]:
    """The four sections as "一、基本情况" headings (style ``h2``) and body paragraphs (``body``)."""
    out: list[Flowable] = []
    follow = 2 * setter.style("body").leading
    for i, (label, paras) in enumerate(sections(case), start=1):
        out.extend(setter.heading(f"{cn_number(i)}、{label}", "h2", follow=follow))
        out.extend(setter.para(p, "body") for p in paras)
    return out


def figures_table(case: ModelCase, setter: Setter, width: float) -> list[Flowable]:
    """The case's figures as a three-line table: 指标 / 数值 / 单位 / 时期 / 来源."""
    if not case.figures:
        return []
    widths = [width * s for s in _COLUMNS]
    head = [
        Cell.of(setter, h, "cell_head", w)
        for h, w in zip(("指标", "数值", "单位", "时期", "来源"), widths, strict=True)
    ]
    rows = [head]
    for fig in case.figures:
        texts = (fig.label, figure_value(fig), fig.unit, fig.period, fig.source)
        styles = ("cell", "cell_num", "cell_mid", "cell_mid", "cell")
        rows.append([Cell.of(setter, t, st, w) for t, st, w in zip(texts, styles, widths, strict=True)])
    table = FiguresTable(rows, widths)
    # A short table stays whole with its title; a long one breaks between rows (the header repeats).
    return [KeepTogether([setter.para("主要指标", "table_title"), table])]


_PAD_X, _PAD_Y = 3.0, 3.0


@dataclass
class Cell:
    """A table cell: a one-line string drawn directly, or a paragraph when it wraps or mixes faces."""

    para: CJKParagraph | None
    text: str = ""
    font: str = ""
    size: float = 0.0
    align: int = TA_LEFT
    height: float = 0.0

    @classmethod
    def of(cls, setter: Setter, text: str, style_name: str, width: float) -> Cell:
        """The cell for ``text`` in style ``style_name`` within a column ``width`` points wide."""
        style = setter.style(style_name)
        role = setter.role(style_name)
        plain = clean(text).replace("\n", " ")
        inner = width - 2 * _PAD_X
        if setter.fonts.has(role, plain) and stringWidth(plain, style.fontName, style.fontSize) <= inner:
            return cls(None, plain, style.fontName, style.fontSize, style.alignment, style.leading)
        para = setter.para(text, style_name)
        return cls(para, height=para.wrap(inner, 1e6)[1])

    def draw(self, canv: Any, x: float, y: float, width: float) -> None:
        """Draw with the top-left inner corner at (``x``, ``y``)."""
        if self.para is not None:
            self.para.drawOn(canv, x, y - self.height)
            return
        baseline = y - self.size
        canv.setFont(self.font, self.size)
        if self.align == TA_CENTER:
            canv.drawCentredString(x + width / 2, baseline, self.text)
        elif self.align == TA_RIGHT:
            canv.drawRightString(x + width, baseline, self.text)
        else:
            canv.drawString(x, baseline, self.text)


class FiguresTable(Flowable):
    """A three-line table (thick rule above the header, thin below it, thick below the last row) whose
    rows never split; at a page break the header row repeats. Lighter than ReportLab's ``Table``,
    which matters with hundreds of tables in a collection."""

    def __init__(self, rows: list[list[Cell]], widths: list[float]) -> None:
        super().__init__()
        self.rows = rows
        self.widths = widths
        self.heights = [max(c.height for c in row) + 2 * _PAD_Y for row in rows]
        self.width = sum(widths)
        self.height = sum(self.heights)
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Fixed column widths; the height of all rows."""
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Split between rows, repeating the header row; nothing when not even one row fits."""
        used = self.heights[0]
        k = 1
        while k < len(self.rows) and used + self.heights[k] <= availHeight:
            used += self.heights[k]
            k += 1
        if k <= 1 or k >= len(self.rows):
            return []
        return [
            FiguresTable(self.rows[:k], self.widths),
            FiguresTable([self.rows[0], *self.rows[k:]], self.widths),
        ]

    def draw(self) -> None:
        """Rules and cells."""
        canv = self.canv
        canv.saveState()
        y = self.height
        canv.setLineWidth(1.0)
        canv.line(0, y, self.width, y)
        for r, (row, h) in enumerate(zip(self.rows, self.heights, strict=True)):
            x = 0.0
            for cell, w in zip(row, self.widths, strict=True):
                inner = w - 2 * _PAD_X
                cell.draw(canv, x + _PAD_X, y - (h - cell.height) / 2, inner)
                x += w
            y -= h
            if r == 0:
                canv.setLineWidth(0.5)
                canv.line(0, y, self.width, y)
        canv.setLineWidth(1.0)
        canv.line(0, 0, self.width, 0)
        canv.restoreState()


def series_charts(case: ModelCase, setter: Setter, width: float) -> list[Flowable]:
    """A chart for every figure the case gives over two or more periods."""
    out: list[Flowable] = []
    for label, unit, figs in series(case.figures):
        drawing = series_chart(label, unit, figs, setter.fonts, min(width, 360.0))
        drawing.hAlign = "CENTER"
        out.extend([Spacer(1, 6), drawing])
    return out


def photo_flowables(
    case: ModelCase, setter: Setter, photo_dir: Path | None, width: float, max_height: float
) -> list[Flowable]:
    """Each photo scaled to fit, with "图N　caption（图片来源：credit）" below it."""
    out: list[Flowable] = []
    for n, photo in enumerate(case.photos, start=1):
        image = _image(photo, photo_dir, width, max_height)
        text = f"图{n}" + "　" + (photo.caption or "")
        if photo.credit:
            text += f"（图片来源：{photo.credit}）"
        parts: list[Flowable] = []
        if image is not None:
            parts.append(image)
        else:
            parts.append(setter.para(f"（照片文件缺失：{photo.file_name}）", "caption"))
        parts.append(setter.para(text.strip(), "caption"))
        out.append(Spacer(1, 6))
        out.append(KeepTogether(parts))
    return out


def _image(photo: Photo, photo_dir: Path | None, width: float, max_height: float) -> Image | None:
    if photo_dir is None or not photo.file_name:
        return None
    path = photo_dir / photo.file_name
    try:
        if not path.is_file() or decode_problem(path) is not None:  # a photo cut short prints as missing
            return None
        w, h = ImageReader(str(path)).getSize()
    except Exception:  # an unreadable or unsupported file prints as missing rather than failing the export
        return None
    if w <= 0 or h <= 0:
        return None
    scale = min(width * 0.85 / w, max_height / h)
    img = Image(str(path), width=w * scale, height=h * scale)
    img.hAlign = "CENTER"
    return img


def source_flowables(case: ModelCase, setter: Setter) -> list[Flowable]:
    """The case's source line, when it has one."""
    line = source_line(case)
    return [setter.para(line, "source")] if line else []
