"""One object bundling every service over an open library: what the CLI and the window use."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.services.adoptions import AdoptionService
from desktop.services.briefs import BriefService
from desktop.services.cases import CaseService
from desktop.services.catalog import CatalogService, RegionService
from desktop.services.context import Editor, ServiceContext
from desktop.services.demo import DemoLoader, DemoReport
from desktop.services.maintenance import MaintenanceService
from desktop.services.overview import OverviewService
from desktop.services.pilots import PilotService
from desktop.services.reference import LoadReport, ReferenceLoader
from desktop.services.search import SearchService
from desktop.services.sharing import ShareService
from desktop.services.undo import UndoService
from desktop.store.db import Library, Progress, open_library

if TYPE_CHECKING:
    from desktop.services.documents import WordService
    from desktop.services.workbooks import WorkbookService


class Casebook:
    """The services of one open library, acting for one editor."""

    def __init__(self, library: Library, editor: Editor | None = None, *, ctx: ServiceContext | None = None) -> None:
        self.library = library
        self.ctx = ctx or ServiceContext(library, editor or Editor())
        self.cases = CaseService(self.ctx)
        self.search = SearchService(self.ctx)
        self.regions = RegionService(self.ctx)
        self.catalog = CatalogService(self.ctx)
        self.pilots = PilotService(self.ctx)
        self.adoptions = AdoptionService(self.ctx)
        self.maintenance = MaintenanceService(self.ctx)
        self.overview = OverviewService(self.ctx)
        self.briefs = BriefService(self.ctx)
        self.share = ShareService(self.ctx)
        self.undo = UndoService(self.ctx)
        #: The reference load done when this library was created by ``open`` (else None).
        self.created_with: LoadReport | None = None

    def acting_as(self, editor: Editor) -> Casebook:
        """The services of the same library (same index, same undo history), acting for ``editor``:
        how each operation of the window carries the identity of whoever started it."""
        other = Casebook(self.library, ctx=self.ctx.acting_as(editor))
        other.created_with = self.created_with
        return other

    # Excel and Word bring large libraries (openpyxl, python-docx): loaded on first use, not at every start.
    @cached_property
    def workbooks(self) -> WorkbookService:
        """Excel case templates, their import, and ledgers."""
        from desktop.services.workbooks import WorkbookService

        return WorkbookService(self.ctx)

    @cached_property
    def word(self) -> WordService:
        """Word exports of cases, collections and briefs."""
        from desktop.services.documents import WordService

        return WordService(self.ctx)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        create: bool = False,
        editor: Editor | None = None,
        prepare: bool = True,
        verify: bool = True,
    ) -> Casebook:
        """Open (or create) the library at ``path``; a new library gets the reference data.

        A library that needs work before use (an upgrade of an older version's file, a rebuild of the
        search index) gets it here — or, with ``prepare`` False, when the caller runs ``prepare``
        (with progress); no other service may be used before. ``verify`` off opens a library without
        checking every page first (``check`` does, to report on a damaged one).
        """
        existed = path.expanduser().exists()
        book = cls(open_library(path, create=create, upgrade=False, verify=verify), editor)
        if not existed:
            book.created_with = book.load_reference()
            book.maintenance.ensure_index()  # a new library: nothing to index yet, only the mark to set
        if prepare:
            book.prepare()
        return book

    def needs_preparing(self) -> bool:
        """Whether ``prepare`` has work to do (an upgrade or an index rebuild)."""
        return self.library.needs_upgrade or not self.maintenance.index_is_current()

    def prepare(self, progress: Progress | None = None) -> None:
        """Do the work a library needs before use: upgrade an older file, rebuild a stale index."""
        self.library.upgrade(progress)
        self.maintenance.ensure_index(progress)

    def load_reference(self) -> LoadReport:
        """Add or refresh the shipped reference data."""
        return ReferenceLoader(self.ctx).load()

    def load_demo(self) -> DemoReport:
        """Add the demo cases and pilots that are missing."""
        return DemoLoader(self.ctx).load()

    def close(self) -> None:
        """Close the library."""
        self.library.close()
