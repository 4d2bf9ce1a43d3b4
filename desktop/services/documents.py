"""Word exports of cases: the chosen cases, loaded as for a PDF brief, written as an editable .docx."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from desktop.domain.brief import BriefSpec, Template
from desktop.domain.i18n import _
from desktop.domain.records import ModelCase
from desktop.domain.validation import DomainError
from desktop.exchange.word import WordReport, write_docx
from desktop.services.briefs import DEFAULT_TITLES, BriefService
from desktop.services.cases import CaseService
from desktop.services.context import NotFoundError, ServiceContext


class WordService:
    """Export cases to Word (one case, a collection or a work brief) for offices that edit before sending."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def export_docx(self, spec: BriefSpec, uuids: Sequence[str], out: Path) -> WordReport:
        """Write the cases ``uuids`` (in that order) in ``spec``'s template to ``out``, all or nothing.

        The spec is completed as for a PDF export: the default title, the themes as keywords and, for a
        brief without one, the issue number the next PDF of the year would get. A Word file is a draft
        for editing, so it does not enter the export history nor use up that number."""
        if not uuids:
            raise DomainError(_("没有选中任何案例，无法导出"))
        wanted = list(dict.fromkeys(uuids))
        cases: list[ModelCase] = CaseService(self.ctx).get_many(wanted)
        if len(cases) != len(wanted):
            raise NotFoundError(_("部分案例已不存在，请重新选择"))
        if not spec.title and DEFAULT_TITLES[spec.template]:
            spec = replace(spec, title=DEFAULT_TITLES[spec.template])
        if spec.template == Template.BRIEF and spec.issue_no is None:
            spec = replace(spec, issue_no=BriefService(self.ctx).next_issue_no(spec.year))
        return write_docx(spec, cases, out.expanduser(), photo_dir=self.ctx.library.media_dir)
