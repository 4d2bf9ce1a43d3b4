"""Excel and the library: the case template other offices fill in, importing it, and ledgers (台账) of cases.

The workbooks themselves are made and read by ``desktop.exchange.workbook``; this service hands it the
library's vocabulary, adds the towns and villages a template names that the library lacks, and writes
the imported cases in one transaction, search index included. A template with problems is refused
as a whole unless the caller asks for the valid rows only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.enums import RegionLevel
from desktop.domain.i18n import _
from desktop.domain.records import ModelCase, Ref, Region
from desktop.domain.validation import DomainError
from desktop.exchange.workbook import (
    CaseDraft,
    NewPlace,
    Progress,
    TemplateReading,
    Vocabulary,
    WorkbookCheck,
    WorkbookError,
    WorkbookProblem,
    read_template,
    write_ledger,
    write_template,
)
from desktop.services.cases import CaseService
from desktop.services.catalog import CatalogService, ensure_region_path
from desktop.services.context import Op, ServiceContext, get_row
from desktop.services.writing import write
from desktop.store.mapping import region_ref
from desktop.store.schema import PilotRow, RegionRow

__all__ = [
    "WorkbookCheck",
    "WorkbookError",
    "WorkbookImport",
    "WorkbookProblem",
    "WorkbookProblemsError",
    "WorkbookService",
]

#: Cases loaded at a time while a ledger is written.
LEDGER_CHUNK = 500
#: Problems quoted in the message of a refused import (all of them are in ``problems``).
QUOTED_PROBLEMS = 5


class WorkbookProblemsError(DomainError):
    """A template still has problems, so nothing was imported; ``problems`` lists every one."""

    def __init__(self, path: Path, problems: Sequence[WorkbookProblem]) -> None:
        self.path = path
        self.problems = list(problems)
        quoted = "\n".join(str(p) for p in self.problems[:QUOTED_PROBLEMS])
        if len(self.problems) > QUOTED_PROBLEMS:
            quoted += "\n" + _("……另有 {n} 处").format(n=len(self.problems) - QUOTED_PROBLEMS)
        super().__init__(
            _("“{name}”中有 {n} 处问题，未导入任何案例；请改正后再导入，或选择仅导入有效行：\n{problems}").format(
                name=path.name, n=len(self.problems), problems=quoted
            )
        )


@dataclass(frozen=True)
class WorkbookImport:
    """What an import did: the new cases' UUIDs (in row order), the rows left out and why, the places added."""

    imported: list[str]
    skipped_rows: list[int] = field(default_factory=list)
    problems: list[WorkbookProblem] = field(default_factory=list)
    added_places: list[str] = field(default_factory=list)


class WorkbookService:
    """Case templates, their import, and case ledgers."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.cases = CaseService(ctx)
        self.catalog = CatalogService(ctx)

    def vocabulary(self) -> Vocabulary:
        """The live themes, model types, regions (with full names, in tree order) and pilots."""
        with self.ctx.library.reading() as s:
            regions = _regions(s)
            pilots = [
                Ref(u, n)
                for u, n in s.execute(
                    select(PilotRow.uuid, PilotRow.name).where(PilotRow.deleted_at.is_(None)).order_by(PilotRow.id)
                )
            ]
        return Vocabulary(self.catalog.themes(), self.catalog.model_types(), regions, pilots)

    def write_template(self, out: Path) -> None:
        """Write the case template with the library's lists to ``out`` (replaced only when complete)."""
        write_template(out, self.vocabulary())

    @staticmethod
    def parse(path: Path, vocabulary: Vocabulary, *, progress: Progress | None = None) -> TemplateReading:
        """Read a filled template against ``vocabulary`` (``WorkbookError`` if it is not one). Touches
        no library: it can run anywhere, on the vocabulary read before."""
        return read_template(path, vocabulary, progress=progress)

    def check(self, path: Path, *, progress: Progress | None = None) -> WorkbookCheck:
        """Check a filled template without importing anything (``WorkbookError`` if it is not one)."""
        return self.parse(path, self.vocabulary(), progress=progress).check()

    def import_cases(
        self, path: Path, *, valid_only: bool = False, progress: Progress | None = None
    ) -> Op[WorkbookImport]:
        """Read a filled template and import its cases (see ``import_reading``)."""
        return self.import_reading(path, self.parse(path, self.vocabulary(), progress=progress), valid_only=valid_only)

    def import_reading(self, path: Path, reading: TemplateReading, *, valid_only: bool = False) -> Op[WorkbookImport]:
        """Import the cases of a template read by ``parse``, in one transaction, undoable as one step.

        While any row has a problem nothing is imported (``WorkbookProblemsError``), unless
        ``valid_only``: then the clean rows are imported and the others reported as skipped. Every
        reference the reading resolved is looked up again inside the transaction.
        """
        if reading.problems and not valid_only:
            raise WorkbookProblemsError(path, reading.problems)
        if not reading.drafts:
            reason = _("没有可导入的有效行") if reading.total_rows else _("模板中没有填写任何案例")
            raise WorkbookError(path, reason)
        added: dict[tuple[str, tuple[str, ...]], Ref] = {}
        with write(self.ctx, _("导入 Excel 案例")) as w:
            cases = [self._placed(w.session, draft, added) for draft in reading.drafts]
            self.cases.create_in(w.session, cases)
        skipped = sorted({p.row for p in reading.problems})
        report = WorkbookImport(
            [c.uuid for c in cases], skipped, list(reading.problems), [ref.name for ref in added.values()]
        )
        return Op(report, w.changes)

    def write_ledger(self, out: Path, uuids: Sequence[str], *, progress: Progress | None = None) -> int:
        """Write a ledger of the cases ``uuids`` (in that order; unknown ones left out) to ``out``;
        returns how many cases it lists."""
        wanted = list(dict.fromkeys(uuids))

        def cases() -> Iterator[ModelCase]:
            for start in range(0, len(wanted), LEDGER_CHUNK):
                yield from self.cases.get_many(wanted[start : start + LEDGER_CHUNK])

        return write_ledger(out, cases(), progress=progress, total=len(wanted))

    def _placed(self, s: Session, draft: CaseDraft, added: dict[tuple[str, tuple[str, ...]], Ref]) -> ModelCase:
        """The draft's case with the towns and villages it names added to the library."""
        if not draft.new_places:
            return draft.case
        places = list(draft.case.places)
        for position, new in draft.new_places.items():
            places[position] = self._new_place(s, new, added)
        return replace(draft.case, places=places)

    def _new_place(self, s: Session, new: NewPlace, added: dict[tuple[str, tuple[str, ...]], Ref]) -> Ref:
        key = (new.under.uuid, new.names)
        if key not in added:
            under = get_row(s, RegionRow, new.under.uuid, what=_("地区"))
            names: list[str] = []
            row: RegionRow | None = under
            while row is not None and row.parent is not None:  # up to the province, which the path leaves out
                names.append(row.name)
                row = row.parent
            added[key] = region_ref(ensure_region_path(s, self.ctx, [*reversed(names), *new.names]))
        return added[key]


def _regions(s: Session) -> list[Region]:
    """Live regions in tree order (each after its parent, siblings in the order they were added)."""
    rows = s.execute(
        select(
            RegionRow.id,
            RegionRow.uuid,
            RegionRow.parent_id,
            RegionRow.name,
            RegionRow.level,
            RegionRow.full_name,
            RegionRow.path,
        ).where(RegionRow.deleted_at.is_(None))
    ).all()
    uuid_of = {r.id: r.uuid for r in rows}

    def order(path: str) -> list[int]:
        return [int(part) for part in path.strip("/").split("/") if part.isdigit()]

    return [
        Region(
            uuid=r.uuid,
            name=r.name,
            level=RegionLevel(r.level),
            parent_uuid=uuid_of.get(r.parent_id) if r.parent_id is not None else None,
            full_name=r.full_name or r.name,
        )
        for r in sorted(rows, key=lambda r: order(r.path))
    ]
