"""Paragraph styles tied to font roles, and the ``Setter`` that turns user text into safe paragraphs."""

from __future__ import annotations

from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable

from desktop.briefs.fonts import BriefFonts
from desktop.briefs.typeset import CJKParagraph

ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


class Setter:
    """Named styles, each set in one font role; makes paragraphs from user text and notes what cannot be set."""

    def __init__(self, fonts: BriefFonts) -> None:
        self.fonts = fonts
        self.unset: set[str] = set()
        self._styles: dict[str, tuple[str, ParagraphStyle]] = {}

    def add(
        self,
        name: str,
        role: str,
        size: float,
        leading: float,
        *,
        align: str = "justify",
        indent: float = 0.0,
        left: float = 0.0,
        right: float = 0.0,
        before: float = 0.0,
        after: float = 0.0,
        color: Any = None,
        dots: bool = False,
        weight: float = 0.0,
    ) -> None:
        """Define style ``name``: ``role``'s face at ``size`` on a fixed ``leading``.

        ``weight`` (a share of the size) thickens the strokes when the role is set in an open
        regular-weight stand-in, so that titles keep the heft of 小标宋 and headings that of 黑体.
        """
        kw: dict[str, Any] = {}
        if color is not None:
            kw["textColor"] = color
        if dots:
            kw["endDots"] = " . "
        style = ParagraphStyle(
            name,
            fontName=self.fonts.name(role),
            fontSize=size,
            leading=leading,
            alignment=ALIGN[align],
            firstLineIndent=indent,
            leftIndent=left,
            rightIndent=right,
            spaceBefore=before,
            spaceAfter=after,
            wordWrap="CJK",
            allowWidows=0,
            **kw,
        )
        style.stroke = weight * size if weight and self.fonts.is_open(role) else 0.0
        self._styles[name] = (role, style)

    def heading(self, text: str, name: str, *, follow: float, anchor: Flowable | None = None) -> list[Flowable]:
        """A heading kept with what follows: a page break first unless the heading and ``follow``
        points more fit, then the ``anchor`` (if any), then the heading."""
        para = self.para(text, name)
        out: list[Flowable] = [KeepRoom(para, follow)]
        if anchor is not None:
            out.append(anchor)
        out.append(para)
        return out

    def style(self, name: str) -> ParagraphStyle:
        """The ReportLab style ``name``."""
        return self._styles[name][1]

    def role(self, name: str) -> str:
        """The font role of style ``name``."""
        return self._styles[name][0]

    def markup(self, text: str, role: str) -> str:
        """Escaped markup of ``text`` in ``role``'s face (fallback runs included)."""
        markup, unset = self.fonts.checked_markup(text, role)
        if unset:
            self.unset |= unset
        return markup

    def run(self, text: str, role: str, *, color: str | None = None) -> str:
        """Markup of ``text`` in ``role``'s face, to place inside a paragraph of another style."""
        attrs = f' name="{self.fonts.name(role)}"'
        if color:
            attrs += f' color="{color}"'
        return f"<font{attrs}>{self.markup(text, role)}</font>"

    def para(self, text: str, name: str, *, prefix: str = "") -> CJKParagraph:
        """A paragraph of user ``text`` in style ``name``; ``prefix`` is ready-made markup put in front."""
        role, style = self._styles[name]
        return CJKParagraph(prefix + self.markup(text, role), style)


class KeepRoom(CondPageBreak):
    """A page break unless there is room for ``para`` (a heading) and ``follow`` points below it."""

    def __init__(self, para: CJKParagraph, follow: float) -> None:
        super().__init__(0)
        self.para = para
        self.follow = follow

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Break the page (through the frame) when the heading and ``follow`` do not fit."""
        self.height = self.para.wrap(availWidth, availHeight)[1] + self.para.style.spaceBefore + self.follow
        result: tuple[float, float] = super().wrap(availWidth, availHeight)
        return result
