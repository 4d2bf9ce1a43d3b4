"""Settings dialog, error dialog, log file, excepthook and the UI's translations, offscreen."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop.domain import i18n
from desktop.domain.validation import DomainError
from desktop.ui import errors
from desktop.ui import i18n as ui_i18n
from desktop.ui.errors import ErrorDialog, install_excepthook, setup_logging
from desktop.ui.fonts import apply_font, register_cjk_font
from desktop.ui.i18n import install_translators
from desktop.ui.settings import BRIEF_UNIT, EDITOR_NAME, EDITOR_UNIT, FONT_SIZE, LANGUAGE, Settings
from desktop.ui.settings_dialog import SettingsDialog
from tests.ui.user import click, press, replace_text

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "build" / "screens"


@pytest.fixture
def translators(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Lets a test install translators; removes them and resets the language afterwards."""
    monkeypatch.setattr(ui_i18n, "_language", None)
    yield
    for translator in ui_i18n._installed:
        qapp.removeTranslator(translator)
    ui_i18n._installed.clear()
    i18n.set_language(ui_i18n.SOURCE_LANGUAGE)


@pytest.fixture
def chinese_ui(qapp: QApplication, translators: None) -> Iterator[None]:
    """The look of the real window: a Chinese font and Qt's own Chinese texts."""
    font = qapp.font()
    qapp.setFont(apply_font(register_cjk_font(), 10))
    install_translators(qapp, "zh_CN")
    yield
    qapp.setFont(font)


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh log folder (not created yet); the root logger is put back afterwards."""
    folder = tmp_path / "logs" / "nested"
    monkeypatch.setenv("CASEBOOK_LOG_DIR", str(folder))
    monkeypatch.setattr(errors, "_handler", None)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield folder
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def _screenshot(widget: QWidget, name: str) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / name
    assert widget.grab().save(str(path))
    return path


def pick(qtbot: QtBot, combo: QComboBox, data: object) -> None:
    """Choose the item of a combo box holding ``data`` with the arrow keys."""
    target = combo.findData(data)
    assert target >= 0, data
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        press(qtbot, combo, key)


def _label_for(dialog: QWidget, field: QWidget) -> QLabel:
    labels = [label for label in dialog.findChildren(QLabel) if label.buddy() is field]
    assert len(labels) == 1, f"no label with {field.accessibleName()} as buddy"
    return labels[0]


def test_settings_round_trip(qtbot: QtBot, tmp_path: Path, chinese_ui: None) -> None:
    ini = str(tmp_path / "s.ini")
    settings = Settings.in_file(ini)
    settings.set(EDITOR_NAME, "张三")
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "设置"
    assert dialog.name_edit.text() == "张三"
    assert dialog.font_size_spin.minimum() == 8 and dialog.font_size_spin.maximum() == 20
    for field in (
        dialog.name_edit,
        dialog.unit_edit,
        dialog.brief_unit_edit,
        dialog.language_combo,
        dialog.font_size_spin,
    ):
        assert field.accessibleName()
        assert "&" in _label_for(dialog, field).text()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert (ok.text(), cancel.text()) == ("确定", "取消")
    assert dialog.restart_note.isHidden()

    replace_text(qtbot, dialog.name_edit, "  李四 ")
    replace_text(qtbot, dialog.unit_edit, "淳安县农业农村局")
    replace_text(qtbot, dialog.brief_unit_edit, "浙江省农业农村厅办公室")
    pick(qtbot, dialog.language_combo, "en")
    replace_text(qtbot, dialog.font_size_spin, "14")
    assert not dialog.restart_note.isHidden()
    _screenshot(dialog, "settings.png")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert dialog.values().editor.label == "李四（淳安县农业农村局）"

    stored = Settings.in_file(ini)
    assert stored.get(EDITOR_NAME) == "李四"
    assert stored.get(EDITOR_UNIT) == "淳安县农业农村局"
    assert stored.get(BRIEF_UNIT) == "浙江省农业农村厅办公室"
    assert stored.get(LANGUAGE) == "en"
    assert stored.get(FONT_SIZE) == 14

    again = SettingsDialog(stored)
    qtbot.addWidget(again)
    again.show()
    assert again.values().font_size == 14 and again.values().language == "en"
    assert again.name_edit.text() == "李四" and again.font_size_spin.value() == 14
    replace_text(qtbot, again.name_edit, "王五")
    click(qtbot, again.buttons.button(QDialogButtonBox.StandardButton.Cancel))
    assert again.result() == SettingsDialog.DialogCode.Rejected
    assert Settings.in_file(ini).get(EDITOR_NAME) == "李四"


def _raise(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_error_dialog_shows_domain_message_and_copies_details(qtbot: QtBot, tmp_path: Path, chinese_ui: None) -> None:
    exc = _raise(DomainError("标题：不能为空"))
    log_path = tmp_path / "logs" / "casebook.log"
    dialog = ErrorDialog(exc, log_path=log_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.message_label.text() == "标题：不能为空"
    assert "意外" not in dialog.message_label.text()
    assert str(log_path) in dialog.log_label.text()
    assert dialog.details_edit.isHidden() and dialog.details_edit.isReadOnly()
    assert "DomainError" in dialog.details_edit.toPlainText()

    qtbot.mouseClick(dialog.details_button, Qt.MouseButton.LeftButton)
    assert not dialog.details_edit.isHidden()
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "标题：不能为空" in copied
    assert "Traceback" in copied and "DomainError" in copied
    assert str(log_path) in copied
    _screenshot(dialog, "error.png")


def test_error_dialog_for_an_unexpected_error(qtbot: QtBot, chinese_ui: None) -> None:
    exc = _raise(KeyError("case-42"))
    dialog = ErrorDialog(exc, "Traceback (most recent call last):\n  …\nKeyError: 'case-42'\n")
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.message_label.text()
    assert text.startswith("操作未能完成，出现了意外错误。")
    assert "KeyError: 'case-42'" in text
    assert dialog.details_edit.toPlainText().startswith("Traceback")
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Close).text() == "关闭"
    click(qtbot, dialog.details_button)
    assert not dialog.details_edit.isHidden()
    _screenshot(dialog, "error_unexpected.png")


def test_setup_logging_writes_to_the_log_dir(log_dir: Path) -> None:
    path = setup_logging()
    assert path == log_dir / "casebook.log"
    assert path.is_file()
    logging.getLogger("desktop.test").warning("导出失败：%s", "简报.pdf")
    assert setup_logging() == path  # a second call replaces the handler, not adds one
    logging.getLogger("desktop.test").info("第二条")
    text = path.read_text(encoding="utf-8")
    assert "导出失败：简报.pdf" in text and "第二条" in text
    assert text.count("导出失败") == 1
    assert errors.log_file() == path


def test_excepthook_logs_and_shows_the_dialog(
    qtbot: QtBot, log_dir: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(errors, "_relay", None)
    path = setup_logging()
    install_excepthook()
    relay = errors._relay
    assert relay is not None
    exc = _raise(ValueError("坏数据"))
    sys.excepthook(type(exc), exc, exc.__traceback__)
    dialogs = [w for w in qapp.topLevelWidgets() if isinstance(w, ErrorDialog) and w.isVisible()]
    assert len(dialogs) == 1
    assert "ValueError: 坏数据" in dialogs[0].message_label.text()
    assert "ValueError: 坏数据" in path.read_text(encoding="utf-8")

    worker = threading.Thread(target=lambda: _raise_in_thread(), name="casebook-test")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: "RuntimeError: 线程出错" in path.read_text(encoding="utf-8"))
    dialogs[0].close()
    relay.deleteLater()


def _raise_in_thread() -> None:
    raise RuntimeError("线程出错")


def _lrelease() -> str:
    found = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    assert found, "pyside6-lrelease is missing from the environment"
    return found


def test_install_translators_english(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, translators: None, qtbot: QtBot
) -> None:
    resources = tmp_path / "resources"
    (resources / "translations").mkdir(parents=True)
    ts = ROOT / "resources" / "translations" / "casebook_en.ts"
    qm = resources / "translations" / "casebook_en.qm"
    subprocess.run([_lrelease(), "-silent", str(ts), "-qm", str(qm)], check=True)
    monkeypatch.setenv("CASEBOOK_RESOURCES", str(resources))

    installed = install_translators(qapp, "en")
    assert len(installed) == 2  # Qt's own and ours
    assert ui_i18n.current_language() == "en"
    assert QCoreApplication.translate("SettingsDialog", "设置") == "Settings"
    assert QCoreApplication.translate("ErrorDialog", "复制详细信息") == "Copy details"
    dialog = SettingsDialog(Settings.in_file(str(tmp_path / "s.ini")))
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Settings"

    installed = install_translators(qapp, "zh_CN")  # replaces the English ones
    assert len(installed) == 1
    assert QCoreApplication.translate("SettingsDialog", "设置") == "设置"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_brief_font_choices_are_kept(qtbot: QtBot, tmp_path: Path) -> None:
    """A TrueType face chosen per role in Settings reaches the PDF exports."""
    from desktop.briefs.fonts import shipped_font_dir
    from desktop.ui.settings import Settings
    from desktop.ui.settings_dialog import SettingsDialog

    settings = Settings.in_file(str(tmp_path / "fonts.ini"))
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    # each role says which face an export really uses, not just "自动": here no office font is installed
    assert dialog.font_in_use["body"].text() == "现用：Noto Serif SC（开源字体，本机没有公文字体）"
    assert dialog.font_in_use["heading"].text() == "现用：Noto Sans SC（开源字体，本机没有公文字体）"
    face = tmp_path / "仿宋.ttf"
    shutil.copyfile(shipped_font_dir() / "NotoSansSC-Regular.ttf", face)
    replace_text(qtbot, dialog.font_edits["body"], str(face))  # a moment after typing: the face it names
    qtbot.waitUntil(lambda: dialog.font_in_use["body"].text() == "现用：Noto Sans SC（所选文件 仿宋.ttf）")
    assert dialog.font_in_use["body"].isVisible()
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert settings.brief_fonts() == {"body": face}
    assert Settings.in_file(str(tmp_path / "fonts.ini")).brief_fonts() == {"body": face}
