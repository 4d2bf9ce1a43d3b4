"""Word exports of cases: the chosen cases, loaded as for a PDF brief, written as an editable .docx."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop.domain.brief import BriefSpec
from desktop.exchange.word import WordReport, write_docx
from desktop.services.briefs import BriefService, PreparedBrief
from desktop.services.context import ServiceContext


class WordService:
    """Export cases to Word (one case, a collection or a work brief) for offices that edit before sending."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def export_docx(self, spec: BriefSpec, uuids: Sequence[str], out: Path) -> WordReport:
        """Write the cases ``uuids`` (in that order) in ``spec``'s template to ``out``, all or nothing.

        The spec is completed as for a PDF export (``BriefService.prepare``): the default title, the
        themes as keywords and, for a brief without one, the issue number the next PDF of the year would
        get. A Word file is a draft for editing, so it does not enter the export history nor use up that
        number."""
        return self.render_docx(BriefService(self.ctx).prepare(spec, uuids), out)

    @staticmethod
    def render_docx(prepared: PreparedBrief, out: Path) -> WordReport:
        """Write prepared records as a .docx (touches no library, so it runs beside reads and writes)."""
        return write_docx(prepared.spec, list(prepared.cases), out.expanduser(), photo_dir=prepared.photo_dir)
