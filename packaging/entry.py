"""Entry point of the installed (frozen) application: the same ``casebook`` command line as from source.

PyInstaller builds the executables from this file (``packaging/casebook.spec``). With no command it
opens the window; ``casebook FILE.casebook`` and every headless command behave as ``casebook`` does
when run from source.

For the packaging tests and the start-up measurements, ``CASEBOOK_SMOKE_REPORT=FILE`` makes the
window report itself and close: once the main window is on screen with its first rows (or the empty
library's count), a JSON line is written to FILE — the wall-clock time, window title, language, the
font of the window, one of Qt's own strings as translated, the library path and the number of rows,
and, when the program was given a share bundle, the summary of its import preview (the report waits
for that preview) — and the window is closed as a user would close it. When no main window has appeared within a minute,
the report says so and the program ends with exit code 1. Set it only for runs that open the window.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

SMOKE_ENV = "CASEBOOK_SMOKE_REPORT"
SMOKE_TIMEOUT_S = 60.0


def _install_smoke_report(report: Path) -> Any:
    """Create the application early and poll until the main window is ready; then report and close it."""
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    deadline = time.monotonic() + SMOKE_TIMEOUT_S
    timer = QTimer(app)

    expect_import = any(a.lower().endswith(".casebook") for a in sys.argv[1:])

    def ready(window: Any) -> bool:
        if expect_import and not (window.import_preview is not None and window.import_preview.isVisible()):
            return False  # opened with a share bundle: wait for its import preview
        model = window.model
        if model.rowCount() > 0:
            return model.index(0, 0).data() not in (None, "…")
        return window.total == 0 and bool(window.count_label.text())

    asked = {"welcome": False}

    def poll() -> None:
        from desktop.ui.i18n import current_language
        from desktop.ui.main_window import MainWindow
        from desktop.ui.settings_dialog import WelcomeDialog

        for dialog in QApplication.topLevelWidgets():  # a first start asks who is editing: put it off
            if isinstance(dialog, WelcomeDialog) and dialog.isVisible():
                asked["welcome"] = True
                dialog.reject()
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        timed_out = time.monotonic() > deadline
        if not windows and timed_out:  # no window (an error dialog, say): report what is shown and give up
            timer.stop()
            shown = [w.windowTitle() for w in QApplication.topLevelWidgets() if w.isVisible()]
            report.write_text(json.dumps({"timed_out": True, "shown": shown}, ensure_ascii=False), encoding="utf-8")
            QApplication.closeAllWindows()
            QApplication.exit(1)
            return
        if not windows or not (ready(windows[0]) or timed_out):
            return
        timer.stop()
        window = windows[0]
        data = {
            "ready_at": time.time(),
            "timed_out": timed_out,
            "title": window.windowTitle(),
            "language": current_language(),
            "font": QApplication.font().family(),
            "qt_cancel": QCoreApplication.translate("QPlatformTheme", "Cancel"),
            "library": str(window.book.library.path),
            "rows": window.model.rowCount(),
            "total": window.total,
            "icon": not QApplication.windowIcon().isNull(),
            "menus": [a.text() for a in window.menuBar().actions()],
            "import_preview": window.import_preview.summary.text() if window.import_preview is not None else "",
            "welcome": asked["welcome"],
        }
        report.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
        window.close()

    timer.timeout.connect(poll)
    timer.start(10)
    return timer


def main() -> int:
    """Run the ``casebook`` command line (the window when no command is given)."""
    multiprocessing.freeze_support()
    report = os.environ.get(SMOKE_ENV)
    poller = _install_smoke_report(Path(report)) if report else None
    from desktop.cli import main as cli_main

    try:
        return cli_main()
    finally:
        del poller


if __name__ == "__main__":
    sys.exit(main())
