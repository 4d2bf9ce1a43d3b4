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
from desktop.store.db import Library, open_library

if TYPE_CHECKING:
    from desktop.services.documents import WordService
    from desktop.services.workbooks import WorkbookService


class Casebook:
    """The services of one open library, acting for one editor."""

    def __init__(self, library: Library, editor: Editor | None = None) -> None:
        self.library = library
        self.ctx = ServiceContext(library, editor or Editor())
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
        #: The reference load done when this library was created by ``open`` (else None).
        self.created_with: LoadReport | None = None

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
    def open(cls, path: Path, *, create: bool = False, editor: Editor | None = None) -> Casebook:
        """Open (or create) the library at ``path``; a new library gets the reference data."""
        existed = path.expanduser().exists()
        book = cls(open_library(path, create=create), editor)
        if not existed:
            book.created_with = book.load_reference()
        book.maintenance.ensure_index()
        return book

    def load_reference(self) -> LoadReport:
        """Add or refresh the shipped reference data."""
        return ReferenceLoader(self.ctx).load()

    def load_demo(self) -> DemoReport:
        """Add the demo cases and pilots that are missing."""
        return DemoLoader(self.ctx).load()

    def close(self) -> None:
        """Close the library."""
        self.library.close()
