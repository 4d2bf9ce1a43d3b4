"""Exporting briefs and collections: choosing the cases, numbering issues per year, writing the
PDF safely, and the export history from which an export can be opened again or redone."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from desktop.domain.brief import BriefSpec, GroupBy, Recipients, Template
from desktop.domain.i18n import _
from desktop.domain.query import CaseFilters, CaseQuery
from desktop.domain.records import ModelCase, new_uuid
from desktop.domain.validation import DomainError
from desktop.files import Staged, staged_write
from desktop.services.context import NotFoundError, Op, ServiceContext
from desktop.services.search import SearchService
from desktop.services.writing import write
from desktop.store.schema import BriefExportRow, utcnow

#: Default titles when the user gives none.
#: The title printed when none is given: a work brief has none of its own (its masthead names it; with
#: one case the case's title is printed), a collection is called 典型案例汇编, a case sheet takes the
#: case's title.
DEFAULT_TITLES = {
    Template.BRIEF: "",
    Template.COLLECTION: "典型案例汇编",
    Template.CASE: "",
}


@dataclass(frozen=True)
class ExportRecord:
    """One entry of the export history."""

    uuid: str
    template: Template
    title: str
    year: int
    issue_no: int | None
    file_path: Path
    pages: int
    created_at: datetime
    created_by: str
    case_uuids: tuple[str, ...]
    spec: BriefSpec


@dataclass(frozen=True)
class PreparedBrief:
    """Everything a PDF is set from, read from the library: the completed spec and the cases in order."""

    spec: BriefSpec
    cases: tuple[ModelCase, ...]
    photo_dir: Path


@dataclass(frozen=True)
class RenderedBrief:
    """A PDF written: where, how many pages, the characters no font could set."""

    path: Path
    pages: int
    unset_characters: frozenset[str]
    #: written in full beside ``path``, moved there when the export is recorded (``BriefService.record``)
    staged: Staged | None = None


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote, and the characters no font could set (named to the user)."""

    record: ExportRecord
    unset_characters: frozenset[str]


def spec_to_json(spec: BriefSpec) -> str:
    """A spec as JSON (for the history)."""

    def plain(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    return json.dumps(plain(asdict(spec)), ensure_ascii=False)


def spec_from_json(text: str) -> BriefSpec:
    """The spec saved by ``spec_to_json``."""
    data = json.loads(text)
    return BriefSpec(
        template=Template(data["template"]),
        title=data.get("title", ""),
        masthead=data.get("masthead", BriefSpec().masthead),
        issue_no=data.get("issue_no"),
        year=int(data["year"]),
        unit=data.get("unit", ""),
        issued_on=date.fromisoformat(data["issued_on"]),
        editor_note=data.get("editor_note", ""),
        recipients=Recipients(**data.get("recipients", {})),
        group_by=GroupBy(data.get("group_by", GroupBy.THEME.value)),
        keywords=tuple(data.get("keywords", ())),
    )


def _record(row: BriefExportRow) -> ExportRecord:
    return ExportRecord(
        uuid=row.uuid,
        template=Template(row.template),
        title=row.title,
        year=row.year,
        issue_no=row.issue_no,
        file_path=Path(row.file_path),
        pages=row.pages,
        created_at=row.created_at,
        created_by=row.created_by,
        case_uuids=tuple(json.loads(row.case_uuids_json)),
        spec=spec_from_json(row.spec_json),
    )


class BriefService:
    """Choose cases, export them as a PDF, keep the history."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def next_issue_no(self, year: int, template: Template = Template.BRIEF) -> int:
        """The number the next issue of the year gets (期号, counted per year)."""
        with self.ctx.library.reading() as s:
            last = s.execute(
                select(func.max(BriefExportRow.issue_no)).where(
                    BriefExportRow.template == template.value, BriefExportRow.year == year
                )
            ).scalar()
        return int(last or 0) + 1

    def choose(
        self,
        *,
        uuids: Sequence[str] = (),
        query: str | None = None,
        theme_uuid: str | None = None,
        everything: bool = False,
    ) -> list[str]:
        """UUIDs of the cases an export takes: given ones (in their order), or a search, a theme or all."""
        if uuids:
            return list(dict.fromkeys(uuids))
        if query is None and theme_uuid is None and not everything:
            return []
        return SearchService(self.ctx).uuids(CaseQuery(query or "", CaseFilters(theme_uuid=theme_uuid), limit=None))

    def prepare(self, spec: BriefSpec, case_uuids: Sequence[str]) -> PreparedBrief:
        """Read what an export needs: the cases (in order) and the spec completed with its default
        title, the next issue number of its year (a brief without one) and keywords."""
        from desktop.services.cases import CaseService

        if not case_uuids:
            raise DomainError(_("没有选中任何案例，无法导出"))
        wanted = list(dict.fromkeys(case_uuids))
        cases: list[ModelCase] = CaseService(self.ctx).get_many(wanted)
        if len(cases) != len(wanted):
            raise NotFoundError(_("部分案例已不存在，请重新选择"))
        if not spec.title and DEFAULT_TITLES[spec.template]:
            spec = replace(spec, title=DEFAULT_TITLES[spec.template])
        if spec.template == Template.BRIEF and spec.issue_no is None:
            spec = replace(spec, issue_no=self.next_issue_no(spec.year))
        if not spec.keywords:
            spec = replace(spec, keywords=tuple(dict.fromkeys(t.name for c in cases for t in c.themes)))
        return PreparedBrief(spec, tuple(cases), self.ctx.library.media_dir)

    @staticmethod
    def faces(font_preferences: dict[str, Path] | None = None) -> dict[str, str]:
        """For each font role, in the user's words, the face an export will really use (the chosen
        file, the office's font or the open stand-in); nothing is loaded or converted."""
        from desktop.briefs.fonts import planned_faces

        return {role: choice.describe() for role, choice in planned_faces(font_preferences).items()}

    @staticmethod
    def render(
        prepared: PreparedBrief,
        out: Path,
        *,
        progress: Callable[[int, int], None] | None = None,
        font_preferences: dict[str, Path] | None = None,
        staged: bool = False,
    ) -> RenderedBrief:
        """Set the PDF of prepared records into ``out`` (all or nothing: a partial file never replaces an
        old one). With ``staged`` the finished file waits beside ``out`` until ``record`` enters it in the
        history and moves it into place, so that no PDF exists whose 期号 the history does not know.
        Touches no library, so it runs beside reads and writes."""
        from desktop.briefs.fonts import BriefFonts
        from desktop.briefs.render import render

        out = out.expanduser()
        if out.is_dir():
            raise DomainError(_("导出位置是一个文件夹，请给出文件名：{p}").format(p=out))
        if not out.parent.exists():
            raise DomainError(_("导出位置的文件夹不存在：{p}").format(p=out.parent))
        fonts = BriefFonts.load(font_preferences)
        with staged_write(out) as pending:
            report = render(
                prepared.spec,
                list(prepared.cases),
                pending.temporary,
                fonts=fonts,
                photo_dir=prepared.photo_dir,
                progress=progress,
            )
        if not staged:
            pending.commit()
        return RenderedBrief(out, report.pages, frozenset(report.unset_characters), pending if staged else None)

    def record(self, prepared: PreparedBrief, rendered: RenderedBrief) -> Op[ExportResult]:
        """Enter a written PDF in the export history (a staged one is moved into place as it is entered;
        if the entry fails, it is dropped)."""
        try:
            return self._record(prepared, rendered)
        except BaseException:
            if rendered.staged is not None:
                rendered.staged.discard()
            raise

    def _record(self, prepared: PreparedBrief, rendered: RenderedBrief) -> Op[ExportResult]:
        spec, cases = prepared.spec, prepared.cases
        with write(self.ctx) as w:
            row = BriefExportRow(
                uuid=new_uuid(),
                template=spec.template.value,
                title=spec.title or (cases[0].title if cases else ""),
                year=spec.year,
                issue_no=spec.issue_no,
                spec_json=spec_to_json(spec),
                case_uuids_json=json.dumps([c.uuid for c in cases]),
                file_path=str(rendered.path.resolve()),
                pages=rendered.pages,
                created_at=utcnow(),
                created_by=self.ctx.editor.label,
            )
            w.session.add(row)
            w.session.flush()
            entry = _record(row)
            if rendered.staged is not None:  # the file takes its place just before the entry commits
                rendered.staged.commit()
        return Op(ExportResult(entry, rendered.unset_characters), w.changes)

    def export(
        self,
        spec: BriefSpec,
        case_uuids: Sequence[str],
        out: Path,
        *,
        progress: Callable[[int, int], None] | None = None,
        font_preferences: dict[str, Path] | None = None,
    ) -> Op[ExportResult]:
        """Prepare, render and record in one go (the command line does; the window runs the three
        steps on their own queues). A brief without an issue number gets the next one of its year."""
        prepared = self.prepare(spec, case_uuids)
        rendered = self.render(prepared, out, progress=progress, font_preferences=font_preferences, staged=True)
        return self.record(prepared, rendered)

    def history(self) -> list[ExportRecord]:
        """Every export, newest first."""
        with self.ctx.library.reading() as s:
            rows = s.execute(select(BriefExportRow).order_by(BriefExportRow.id.desc())).scalars()
            return [_record(r) for r in rows]

    def redo(self, uuid: str, out: Path | None = None) -> Op[ExportResult]:
        """Export again with the same settings and cases (to the same file unless ``out`` is given)."""
        record = self.get_record(uuid)
        return self.export(record.spec, record.case_uuids, out or record.file_path)

    def get_record(self, uuid: str) -> ExportRecord:
        """One entry of the export history."""
        record = next((r for r in self.history() if r.uuid == uuid), None)
        if record is None:
            raise NotFoundError(_("找不到这条导出记录"))
        return record
