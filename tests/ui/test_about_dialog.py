"""The About dialog: version, library location and its folder, the licences of what ships (each text
readable), reached from the 帮助 menu; a screenshot goes to build/screens/about.png."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop import __version__
from desktop.services.casebook import Casebook
from desktop.ui import about_dialog
from desktop.ui.about_dialog import AboutDialog, licences_dir, shipped_licences
from desktop.ui.app_icon import app_icon
from desktop.ui.fonts import apply_font, register_cjk_font
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from tests.ui.user import click, click_index

SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens"


@pytest.fixture
def chinese_font(qapp: QApplication) -> Iterator[None]:
    font = qapp.font()
    qapp.setFont(apply_font(register_cjk_font(), 10))
    yield
    qapp.setFont(font)


@pytest.fixture
def dialog(qtbot: QtBot, tmp_path: Path, chinese_font: None) -> AboutDialog:
    d = AboutDialog(tmp_path / "数据" / "casebook.sqlite")
    qtbot.addWidget(d)
    d.show()
    return d


def test_shows_version_and_library_path(dialog: AboutDialog, tmp_path: Path) -> None:
    assert dialog.version_label.text() == __version__
    assert dialog.library_label.text() == str(tmp_path / "数据" / "casebook.sqlite")
    assert "Qt 6." in dialog.qt_label.text() and "PySide6 6." in dialog.qt_label.text()


def test_open_folder_button_opens_the_library_folder(
    qtbot: QtBot, dialog: AboutDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    click(qtbot, dialog.open_folder_button)
    assert [u.toLocalFile() for u in opened] == [str(tmp_path / "数据")]


def test_licences_of_qt_reportlab_and_fonts_are_readable(qtbot: QtBot, dialog: AboutDialog) -> None:
    listed = [dialog.license_list.item(i).text() for i in range(dialog.license_list.count())]
    assert any(t.startswith("Qt") and "LGPL-3.0" in t for t in listed)
    assert any(t.startswith("ReportLab") and "BSD" in t for t in listed)
    assert any(t.startswith("Noto") and "OFL-1.1" in t for t in listed)
    expected = {
        "Qt": "GNU LESSER GENERAL PUBLIC LICENSE",
        "ReportLab": "ReportLab Inc.",
        "Noto": "SIL OPEN FONT LICENSE",
        "Python": "PYTHON SOFTWARE FOUNDATION LICENSE",
    }
    for row, text in enumerate(listed):
        click_index(qtbot, dialog.license_list, dialog.license_list.model().index(row, 0))
        assert dialog.license_list.currentRow() == row
        shown = dialog.license_text.toPlainText()
        assert len(shown) > 500, text
        for prefix, phrase in expected.items():
            if text.startswith(prefix):
                assert phrase in shown, text


def test_every_licence_file_is_listed_and_present() -> None:
    folder = licences_dir()
    index = json.loads((folder / "licenses.json").read_text(encoding="utf-8"))
    referenced = {name for entry in index for name in entry["files"]}
    assert referenced == {p.name for p in folder.glob("*.txt")}
    assert all(lic.files and all(f.stat().st_size > 0 for f in lic.files) for lic in shipped_licences())
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert all(entry["component"] in readme and entry["license"] in readme for entry in index)


def test_missing_licence_folder_is_said(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(about_dialog, "licences_dir", lambda: tmp_path / "nowhere")
    d = AboutDialog(tmp_path / "casebook.sqlite")
    qtbot.addWidget(d)
    assert d.license_list.count() == 0
    assert str(tmp_path / "nowhere") in d.license_text.toPlainText()


def test_reached_from_the_help_menu(
    qtbot: QtBot, demo_book: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[AboutDialog] = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or 0)
    window = MainWindow(demo_book, Settings.in_file(str(tmp_path / "settings.ini")))
    qtbot.addWidget(window)
    try:
        assert window.help_menu.title() == "帮助(&H)"
        assert window.about_action in window.help_menu.actions()
        window.about_action.trigger()
        assert len(shown) == 1
        assert shown[0].library_label.text() == str(demo_book.library.path)
    finally:
        window.workers.shutdown()


def test_application_icon_has_every_size() -> None:
    sizes = {(s.width(), s.height()) for s in app_icon().availableSizes()}
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes


def test_screenshot(qtbot: QtBot, dialog: AboutDialog) -> None:
    qtbot.waitExposed(dialog)
    dialog.license_list.setCurrentRow(0)
    SCREENS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SCREENS / "about.png"))
