"""The window in English shows the services' messages in English too: an error dialog for a library that
cannot be opened, and the import preview's sender and summary; Chinese is put back afterwards."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.domain import i18n
from desktop.domain.validation import DomainError
from desktop.services.casebook import Casebook
from desktop.services.context import Editor
from desktop.ui import i18n as ui_i18n
from desktop.ui.errors import ErrorDialog
from desktop.ui.fonts import apply_font, register_cjk_font
from desktop.ui.i18n import install_translators
from desktop.ui.share_dialogs import ImportPreviewDialog

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
SCREENS = ROOT / "build" / "screens"


@pytest.fixture
def english_ui(qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Both catalogues compiled from their sources as they are now and installed; Chinese again afterwards."""
    resources = tmp_path / "resources"
    folder = resources / "translations" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    ts, qm = TRANSLATIONS / "casebook_en.ts", resources / "translations" / "casebook_en.qm"
    subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True)
    with (TRANSLATIONS / "en" / "LC_MESSAGES" / "casebook.po").open("rb") as po:
        catalogue = read_po(po)
    with (folder / "casebook.mo").open("wb") as mo:
        write_mo(mo, catalogue)
    monkeypatch.setattr(i18n, "_LOCALE_DIR", resources / "translations")
    monkeypatch.setattr(ui_i18n, "_language", None)
    font = qapp.font()
    qapp.setFont(apply_font(register_cjk_font(), 10))
    with monkeypatch.context() as only_here:  # the libraries still take their reference data from the project
        only_here.setenv("CASEBOOK_RESOURCES", str(resources))
        install_translators(qapp, "en")
    try:
        yield
    finally:
        install_translators(qapp, ui_i18n.SOURCE_LANGUAGE)
        for translator in ui_i18n._installed:
            qapp.removeTranslator(translator)
        ui_i18n._installed.clear()
        i18n.set_language(ui_i18n.SOURCE_LANGUAGE)
        qapp.setFont(font)


def _screenshot(widget: ErrorDialog | ImportPreviewDialog, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SCREENS / name))


def test_an_error_dialog_in_english(qtbot: QtBot, tmp_path: Path, english_ui: None) -> None:
    missing = tmp_path / "nowhere" / "casebook.sqlite"
    with pytest.raises(DomainError) as raised:
        Casebook.open(missing)
    dialog = ErrorDialog(raised.value, log_path=tmp_path / "casebook.log")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.message_label.text() == (
        f"Cannot open the library {missing}: the file does not exist; run casebook init to create it"
    )
    assert dialog.windowTitle().isascii()
    _screenshot(dialog, "error_en.png")


def test_the_import_preview_in_english(qtbot: QtBot, demo_book: Casebook, tmp_path: Path, english_ui: None) -> None:
    county = demo_book
    uuids = county.briefs.choose(everything=True)
    county.share.export(tmp_path / "up.casebook", uuids)
    city = Casebook.open(tmp_path / "city.sqlite", create=True, editor=Editor("李四", "杭州市农业农村局"))
    try:
        city.share.apply(city.share.preview(tmp_path / "up.casebook"))
        city.cases.update(replace(city.cases.get(uuids[0]), lessons="市里补充的启示"))
        city.cases.update(replace(city.cases.get(uuids[1]), lessons="市里的版本"))
        county.cases.update(replace(county.cases.get(uuids[1]), lessons="县里的版本"))
        city.share.export(tmp_path / "down.casebook", uuids)
    finally:
        city.close()

    plan = county.share.preview(tmp_path / "down.casebook")
    dialog = ImportPreviewDialog(plan)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.summary.text() == "0 new, 1 updated, 7 unchanged, 1 in conflict"
    assert "杭州市农业农村局 (李四), exported " in plan.sender()
    _screenshot(dialog, "import_preview_en.png")

    i18n.set_language(ui_i18n.SOURCE_LANGUAGE)
    assert plan.summary() == "新增 0 条，更新 1 条，无变化 7 条，冲突 1 条"
