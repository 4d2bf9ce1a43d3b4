"""Vector charts (ReportLab graphics): a case's figure over time, and the collection's overview counts."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from reportlab import rl_config
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib.colors import Color

from desktop.briefs.fonts import BriefFonts
from desktop.domain.records import Figure, ModelCase
from desktop.domain.wording import city_of, format_value

# Shapes are built by this module only, with valid attributes: skip ReportLab's per-attribute checks.
rl_config.shapeChecking = 0

BAR = Color(0.22, 0.40, 0.62)
AXIS = Color(0.45, 0.45, 0.45)
TEXT = Color(0.15, 0.15, 0.15)
GRID = Color(0.85, 0.85, 0.85)
_MAX_BARS = 12


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with … to fit ``width`` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _nice_step(top: float) -> float:
    """A round step for about four grid lines up to ``top``."""
    if top <= 0:
        return 1.0
    raw = top / 4
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return float(m * mag)
    return float(10 * mag)


def series_chart(label: str, unit: str, figures: Sequence[Figure], fonts: BriefFonts, width: float) -> Drawing:
    """One figure over its periods: bars (up to six periods) or a line, with values, on a light grid.

    Drawn from plain shapes rather than ReportLab's chart widgets, which cost ten times as much to
    draw and matter in a collection with hundreds of charts.
    """
    height = 150.0
    title = f"{label}（{unit}）" if unit else label
    font = fonts.face_for(title + "".join(f.period for f in figures), "body")
    d = Drawing(width, height, initialFontName=font)  # never the base-14 default
    values = [f.value for f in figures]
    left, bottom, right, top_pad = 46.0, 30.0, 12.0, 26.0
    plot_w = width - left - right
    plot_h = height - bottom - top_pad
    low = min(0.0, min(values))
    high = max(values)
    step = _nice_step(high - low)
    top = max(step, math.ceil(high / step) * step) if high > 0 else step
    floor = math.floor(low / step) * step if low < 0 else 0.0
    span = top - floor or 1.0

    def y_of(v: float) -> float:
        return bottom + (v - floor) / span * plot_h

    tick = floor
    while tick <= top + step / 1000:
        y = y_of(tick)
        d.add(Line(left, y, left + plot_w, y, strokeColor=GRID, strokeWidth=0.4))
        d.add(String(left - 4, y - 2.5, format_value(round(tick, 6)), fontName=font, fontSize=7.5, fillColor=TEXT,
                     textAnchor="end"))
        tick += step
    d.add(Line(left, y_of(0.0), left + plot_w, y_of(0.0), strokeColor=AXIS, strokeWidth=0.7))
    n = len(figures)
    slot = plot_w / n
    label_w = max(30.0, slot - 4)
    points: list[float] = []
    for i, fig in enumerate(figures):
        cx = left + slot * (i + 0.5)
        y0, y1 = y_of(0.0), y_of(fig.value)
        d.add(String(cx, bottom - 11, _fit(fig.period, font, 7.5, label_w), fontName=font, fontSize=7.5,
                     fillColor=TEXT, textAnchor="middle"))
        if n <= 6:
            bw = min(28.0, slot * 0.5)
            d.add(Rect(cx - bw / 2, min(y0, y1), bw, abs(y1 - y0), fillColor=BAR, strokeColor=None))
        else:
            points.extend((cx, y1))
        d.add(String(cx, max(y0, y1) + 3, format_value(fig.value), fontName=font, fontSize=7.5, fillColor=TEXT,
                     textAnchor="middle"))
    if points:
        d.add(PolyLine(points, strokeColor=BAR, strokeWidth=1.5))
    d.add(String(width / 2, height - 14, _fit(title, font, 9, width - 10), fontName=font, fontSize=9,
                 fillColor=TEXT, textAnchor="middle"))
    return d


def _counts_chart(
    title: str, counts: list[tuple[str, int]], fonts: BriefFonts, width: float, *, horizontal: bool
) -> Drawing:
    names = [n for n, _c in counts]
    font = fonts.face_for(title + "".join(names), "body")
    values = [c for _n, c in counts]
    if horizontal:
        row = 15.0
        height = 40 + row * max(len(counts), 1)
        d = Drawing(width, height, initialFontName=font)
        label_w = min(170.0, width * 0.42)
        chart = HorizontalBarChart()
        chart.x = label_w + 6
        chart.y = 8
        chart.width = width - label_w - 30
        chart.height = row * max(len(counts), 1)
        chart.data = [values[::-1]]
        chart.categoryAxis.categoryNames = [_fit(n, font, 8, label_w - 4) for n in names[::-1]]
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -4
        chart.categoryAxis.tickLeft = 0
        chart.barWidth = row * 0.6
    else:
        height = 190.0
        d = Drawing(width, height, initialFontName=font)
        chart = VerticalBarChart()
        chart.x = 30
        chart.y = 40
        chart.width = width - 40
        chart.height = height - 72
        chart.data = [values]
        chart.categoryAxis.categoryNames = [_fit(n, font, 8, 60) for n in names]
        chart.categoryAxis.labels.angle = 30 if len(names) > 8 else 0
        chart.categoryAxis.labels.boxAnchor = "ne" if len(names) > 8 else "n"
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7.5
    chart.barLabels.fillColor = TEXT
    chart.barLabels.nudge = 7
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.fillColor = TEXT
    chart.categoryAxis.strokeColor = AXIS
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.strokeColor = AXIS
    chart.valueAxis.valueMin = 0
    top = max(values) if values else 1
    chart.valueAxis.valueMax = top * 1.15 + 1
    chart.valueAxis.valueStep = max(1, round(top / 5)) if top > 5 else 1
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = Color(0.88, 0.88, 0.88)
    chart.valueAxis.gridStrokeWidth = 0.4
    d.add(String(width / 2, height - 14, title, fontName=font, fontSize=10, fillColor=TEXT, textAnchor="middle"))
    d.add(chart)
    return d


def _top(counter: Counter[str]) -> list[tuple[str, int]]:
    ranked = counter.most_common()
    if len(ranked) <= _MAX_BARS:
        return ranked
    head = ranked[: _MAX_BARS - 1]
    rest = sum(c for _n, c in ranked[_MAX_BARS - 1 :])
    return [*head, ("其他", rest)]


def overview_charts(cases: Sequence[ModelCase], fonts: BriefFonts, width: float) -> list[Drawing]:
    """Cases per theme (every theme a case has) and cases per city (of its first place)."""
    themes: Counter[str] = Counter()
    cities: Counter[str] = Counter()
    for case in cases:
        names = {t.name.strip() for t in case.themes if t.name.strip()}
        themes.update(names or {"未标注主题"})
        city = city_of(case.places[0].name) if case.places and case.places[0].name.strip() else "未标注地区"
        cities[city] += 1
    return [
        _counts_chart("各主题案例数", _top(themes), fonts, width, horizontal=True),
        _counts_chart("各市案例数", _top(cities), fonts, width, horizontal=False),
    ]
