"""What every template shares: the document class, anchors for the outline and contents, and rules.

A document is laid out in one pass. Chapters and cases are marked by ``Anchor`` flowables, which
record the page they land on, add a bookmark and an outline entry, and report progress. The
contents page prints its page numbers through PDF form objects that are only filled in once the
last page is done (``doForm`` may refer to a form defined later), so the contents are right without
laying the document out twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor, Color
from reportlab.platypus import Flowable
from reportlab.platypus.doctemplate import BaseDocTemplate

from desktop.briefs.typeset import CJKParagraph

# Binary (Flate only) streams: ASCII85 on top makes files a quarter larger and costs time in pure Python.
rl_config.useA85 = 0

#: The red of mastheads and rules: the pure red of official documents, C0 M100 Y100 K0.
RED = CMYKColor(0, 1, 1, 0)
GREY = Color(0.35, 0.35, 0.35)


@dataclass
class Registry:
    """What the layout learns as it goes: where each anchor landed and where numbered pages start."""

    pages: dict[str, int] = field(default_factory=dict)
    outline: list[tuple[str, int]] = field(default_factory=list)
    first_numbered: int | None = None  # physical page printed as page 1
    progress: Callable[[int, int], None] | None = None
    total: int = 0
    done: int = 0

    def printed(self, physical: int) -> int:
        """The number printed on physical page ``physical``."""
        start = self.first_numbered or 1
        return physical - start + 1


class Anchor(Flowable):
    """A zero-size mark where a chapter or case begins; placed right before its heading."""

    def __init__(self, registry: Registry, key: str, title: str, level: int, *, counts: bool = False) -> None:
        super().__init__()
        self.registry = registry
        self.key = key
        self.title = title
        self.level = level
        self.counts = counts  # a case: advance the progress count when drawn

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Takes no room."""
        return 0.0, 0.0

    def draw(self) -> None:
        """Record the page, bookmark it and add the outline entry."""
        canv = self.canv
        page = canv.getPageNumber()
        reg = self.registry
        if self.key in reg.pages:
            return
        reg.pages[self.key] = page
        canv.bookmarkHorizontal(self.key, 0, 8)
        canv.addOutlineEntry(self.title or "—", self.key, level=self.level, closed=False)
        reg.outline.append((self.title, page))
        if self.counts:
            reg.done += 1
            if reg.progress is not None:
                reg.progress(reg.done, reg.total)


class ContentsEntry(Flowable):
    """One line of the contents: the title (wrapping if long), a dot leader and the page number."""

    def __init__(self, para: CJKParagraph, key: str) -> None:
        super().__init__()
        self.para = para
        self.key = key
        self._width = 0.0
        self._height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """As tall as the title paragraph."""
        self._width = availWidth
        _w, self._height = self.para.wrap(availWidth, availHeight)
        return availWidth, self._height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """A contents line is never split: it moves whole to the next page."""
        return []

    def draw(self) -> None:
        """Draw the title and place the (later filled) page number form at the right."""
        self.para.drawOn(self.canv, 0, 0)
        lines = self.para.blPara.lines
        style = self.para.style
        first = lines[0] if lines else None
        top_offset = (
            style.fontSize
            if rl_config.paraFontSizeHeightOffset or first is None
            else getattr(first, "ascent", style.fontSize)
        )
        baseline = self._height - top_offset - max(len(lines) - 1, 0) * style.leading
        self.canv.saveState()
        self.canv.translate(self._width, baseline)
        self.canv.doForm(form_name(self.key))
        self.canv.restoreState()


def form_name(key: str) -> str:
    """The PDF form that carries the page number of anchor ``key``."""
    return f"pg_{key}"


class HRule(Flowable):
    """A horizontal rule across the frame."""

    def __init__(self, thickness: float, color: Any, space_before: float = 0.0, space_after: float = 0.0) -> None:
        super().__init__()
        self.thickness = thickness
        self.color = color
        self.space_before = space_before
        self.space_after = space_after
        self._width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Full width; height is the rule and the space around it."""
        self._width = availWidth
        return availWidth, self.space_before + self.thickness + self.space_after

    def draw(self) -> None:
        """Stroke the rule."""
        c = self.canv
        c.saveState()
        c.setStrokeColor(self.color)
        c.setLineWidth(self.thickness)
        y = self.space_after + self.thickness / 2
        c.line(0, y, self._width, y)
        c.restoreState()


class CasebookDoc(BaseDocTemplate):
    """A document laid out in one pass whose contents' page numbers are filled in after the last page."""

    def __init__(self, filename: str, registry: Registry, number_font: str, number_size: float, **kw: Any) -> None:
        kw.setdefault("initialFontName", number_font)  # no page may refer to an unembedded base font
        super().__init__(filename, **kw)
        self.registry = registry
        self.number_font = number_font
        self.number_size = number_size
        self.contents_keys: list[str] = []

    def _endBuild(self) -> None:
        self._doSave = 0
        super()._endBuild()
        canv = self.canv
        for key in self.contents_keys:
            page = self.registry.pages.get(key)
            canv.beginForm(form_name(key), lowerx=-200, lowery=-50, upperx=10, uppery=50)
            canv.setFont(self.number_font, self.number_size)
            canv.drawRightString(0, 0, str(self.registry.printed(page)) if page else "")
            canv.endForm()
        if self.registry.outline:
            canv.showOutline()
        canv.save()


class FootBlock(Flowable):
    """Content set at the foot of the page it lands on (a brief's 报尾): it takes the rest of the frame
    and draws at its bottom, or moves to the next page when it does not fit."""

    def __init__(self, content: list[Flowable]) -> None:
        super().__init__()
        self.content = content
        self._heights: list[float] = []
        self._content_height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """The rest of the frame, or the content's height when that is more than is left."""
        self._heights = [f.wrap(availWidth, availHeight)[1] for f in self.content]
        self._content_height = sum(self._heights)
        self.width = availWidth
        if self._content_height > availHeight:
            return availWidth, self._content_height
        return availWidth, availHeight

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Never split: the block moves whole to the next page."""
        return []

    def draw(self) -> None:
        """Draw the content at the bottom of the space taken."""
        y = self._content_height
        for flowable, height in zip(self.content, self._heights, strict=True):
            y -= height
            flowable.drawOn(self.canv, 0, y)
