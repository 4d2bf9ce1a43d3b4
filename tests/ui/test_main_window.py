"""The window opens offscreen on a real library, lists the cases and searches as the user types."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.services.casebook import Casebook
from desktop.ui.fonts import register_cjk_font
from desktop.ui.main_window import MainWindow


def test_window_lists_and_searches(qtbot: QtBot, demo_book: Casebook, tmp_path: Path) -> None:
    register_cjk_font()
    window = MainWindow(demo_book)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == "试点案例库"
    assert window.model.rowCount() == 9
    assert "示例" in window.detail.toPlainText()
    window.search_box.setText("飞地")  # as an input method commits it (QTest types ASCII only)
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=3000)
    titles = [window.model.hit(r).title for r in range(window.model.rowCount())]
    assert all("飞地" in t or "飞地" in window.model.hit(i).snippet for i, t in enumerate(titles))
    shot = tmp_path / "window.png"
    assert window.grab().save(str(shot)) and shot.stat().st_size > 0
