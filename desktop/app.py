"""Composition root: settings, translations, fonts, logging, the library and its services,
the lanes of background work and the main window — the only place they are wired together."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desktop.services.casebook import Casebook
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings


def build(library: Path, settings: Settings | None = None) -> tuple[QApplication, Casebook, MainWindow]:
    """Set up the application and open the window on ``library`` (created, with the demo cases,
    on first start). Raises ``DomainError`` when the library cannot be opened."""
    from PySide6.QtWidgets import QApplication

    from desktop.services.casebook import Casebook
    from desktop.ui import settings as opt
    from desktop.ui.app_icon import app_icon
    from desktop.ui.errors import install_excepthook, setup_logging
    from desktop.ui.fonts import apply_font, register_cjk_font
    from desktop.ui.i18n import install_translators
    from desktop.ui.main_window import MainWindow
    from desktop.ui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("试点案例库")
    app.setOrganizationName("PilotCasebook")
    app.setWindowIcon(app_icon())
    setup_logging()
    install_excepthook()
    settings = settings or Settings()
    install_translators(app, settings.get(opt.LANGUAGE))
    app.setFont(apply_font(register_cjk_font(), settings.get(opt.FONT_SIZE)))
    first_start = not library.exists()
    book = Casebook.open(library, create=True, prepare=False)
    if first_start:
        book.load_demo()
    # An upgrade or an index rebuild runs in the window, with progress, once the window is on screen.
    window = MainWindow(book, settings, prepare=book.needs_preparing())
    window.show()
    return app, book, window


def run_gui(library: Path, import_file: Path | None = None) -> int:
    """Run the window until it is closed; a library that cannot be opened is explained in a dialog.
    ``import_file`` (a share bundle opened from the file manager) is previewed for import at start."""
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.domain.validation import DomainError

    try:
        app, book, window = build(library)
    except DomainError as exc:
        QApplication.instance() or QApplication(sys.argv)
        QMessageBox.critical(None, QCoreApplication.translate("MainWindow", "试点案例库"), str(exc))
        return 1
    QTimer.singleShot(0, window.welcome)  # first start: who is editing (before any import is looked at)
    if import_file is not None:
        QTimer.singleShot(0, lambda: window.import_file(import_file))
    try:
        return app.exec()
    finally:
        window.workers.shutdown()
        book.close()
