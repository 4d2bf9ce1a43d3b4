"""Composition root: opens the library, builds the services and the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.domain.validation import DomainError


def run_gui(library: Path) -> int:
    """Open the window on ``library`` (created, with the demo cases, on first start)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.services.casebook import Casebook
    from desktop.ui.fonts import apply_font, register_cjk_font
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("试点案例库")
    translator = QTranslator(app)
    if translator.load(QLocale("zh_CN"), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    app.setFont(apply_font(register_cjk_font()))
    try:
        first_start = not library.exists()
        book = Casebook.open(library, create=True)
        if first_start:
            book.load_demo()
    except DomainError as exc:
        QMessageBox.critical(None, "试点案例库", str(exc))
        return 1
    window = MainWindow(book)
    window.show()
    try:
        return app.exec()
    finally:
        book.close()
