"""Faults from outside while the window is open: another program holding the library's lock for longer
than the busy timeout, the disk under the library filling up, the photo folder gone. The user types as
usual; the window says in Chinese what happened, in place (no dialog at every try), keeps the text,
stays on the case, and saves it once the fault is gone — read back by another program."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.services.casebook import Casebook
from desktop.store.media import media_dir_of
from desktop.ui.case_table import UUID_ROLE
from desktop.ui.errors import ErrorDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from tests.conftest import TEST_EDITOR, demo_library
from tests.disks import fill_disk
from tests.ui.user import (
    ModalScript,
    button,
    choose_file,
    cli,
    click,
    click_index,
    shortcut,
    stored_case,
    type_text,
    wait,
)

SCREENS = Path(__file__).parents[2] / "build" / "screens"
SAVED_WITHIN_MS = 20_000  # a retry comes every few seconds


def _window(qtbot: QtBot, library: Path, settings: Path) -> MainWindow:
    book = Casebook.open(library, editor=TEST_EDITOR)
    w = MainWindow(book, Settings.in_file(str(settings)))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    wait(qtbot, lambda: w.model.rowCount() > 0 and w.model.index(0, 0).data(UUID_ROLE) is not None)
    return w


def _close(w: MainWindow) -> None:
    """Close as the user does (pending edits saved, background work finished); after a failed test the
    window may still ask whether to drop unsaved edits: the answer is yes."""

    def drop_unsaved() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.button(QMessageBox.StandardButton.Yes) is not None:
            box.button(QMessageBox.StandardButton.Yes).click()

    answer = QTimer()
    answer.timeout.connect(drop_unsaved)
    answer.start(100)
    try:
        w.close()
    finally:
        answer.stop()
    w.workers.shutdown()
    w.book.close()


def _open_row(qtbot: QtBot, w: MainWindow, row: int) -> str:
    click_index(qtbot, w.table, w.model.index(row, 0))
    uuid = str(w.model.index(row, 0).data(UUID_ROLE))
    wait(qtbot, lambda: w.editor.current_uuid == uuid and w.editor.title_edit.text() != "")
    return uuid


def _error_dialogs() -> set[int]:
    return {id(t) for t in QApplication.topLevelWidgets() if isinstance(t, ErrorDialog) and t.isVisible()}


def _error_dialog_open() -> bool:
    return bool(_error_dialogs())


@contextmanager
def _lock_held_by_another_program(library: Path) -> Iterator[None]:
    """Another process takes the library's write lock (``BEGIN IMMEDIATE``) and keeps it until the block ends."""
    code = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "print('locked', flush=True)\n"
        "sys.stdin.readline()\n"
        "c.rollback()\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code, str(library)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as locker:
        assert locker.stdin is not None and locker.stdout is not None
        try:
            assert locker.stdout.readline().strip() == "locked"
            yield
        finally:
            locker.stdin.write("\n")
            locker.stdin.flush()
            locker.wait(30)


def _kept_and_refused_to_switch(
    qtbot: QtBot, w: MainWindow, uuid: str, typed: str, said: str, earlier_dialogs: set[int]
) -> None:
    """The fault is said in the band, the text is still there, and clicking another case keeps this one."""
    editor = w.editor
    lessons = editor.text_edits["lessons"]
    wait(qtbot, lambda: editor.fault_band.isVisible())
    assert said in editor.fault_band.text(), editor.fault_band.text()
    assert "修改仍保留在窗口中" in editor.fault_band.text()
    assert editor.save_state.text() == "未能保存"
    assert lessons.toPlainText().endswith(typed)
    assert _error_dialogs() <= earlier_dialogs  # said in place, not in a dialog at every try
    click_index(qtbot, w.table, w.model.index(1, 0))
    wait(qtbot, lambda: "尚未保存" in w.statusBar().currentMessage())
    assert editor.current_uuid == uuid and w.selected_uuids() == [uuid]
    assert lessons.toPlainText().endswith(typed)


def test_a_lock_held_too_long_keeps_the_text_and_it_is_saved_once_released(
    qtbot: QtBot, tmp_path: Path, cjk: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CASEBOOK_BUSY_TIMEOUT_MS", "300")
    library = demo_library(tmp_path / "library" / "casebook.sqlite")
    w = _window(qtbot, library, tmp_path / "settings.ini")
    try:
        uuid = _open_row(qtbot, w, 0)
        before = stored_case(library, uuid)["lessons"]
        typed = "锁住时写下的一句。"
        with _lock_held_by_another_program(library):
            earlier = _error_dialogs()
            type_text(qtbot, w.editor.text_edits["lessons"], typed)
            _kept_and_refused_to_switch(qtbot, w, uuid, typed, "案例库正被其他程序使用", earlier)
            SCREENS.mkdir(parents=True, exist_ok=True)
            w.grab().save(str(SCREENS / "save-refused-lock.png"))
            assert stored_case(library, uuid)["lessons"] == before  # another program reads meanwhile
            asked: list[str] = []

            def stay(box: QMessageBox) -> None:
                asked.append(box.text())
                click(qtbot, box.button(QMessageBox.StandardButton.No))

            with ModalScript(qtbot).when(QMessageBox, stay):
                w.close()  # the title bar's close button: the window manager asks the window to close
            assert asked and "未能保存" in asked[0] and "案例库正被其他程序使用" in asked[0], asked
            assert w.isVisible() and w.editor.text_edits["lessons"].toPlainText().endswith(typed)
        wait(qtbot, lambda: w.editor.save_state.text() == "已保存", SAVED_WITHIN_MS)
        assert not w.editor.fault_band.isVisible()
        assert stored_case(library, uuid)["lessons"] == before + typed
        other = _open_row(qtbot, w, 1)  # and now the user moves on
        assert other != uuid
    finally:
        _close(w)


def test_a_full_disk_keeps_the_text_and_it_is_saved_once_there_is_room(
    qtbot: QtBot, small_disk: Path, tmp_path: Path, cjk: object
) -> None:
    library = demo_library(small_disk / "casebook.sqlite")
    w = _window(qtbot, library, tmp_path / "settings.ini")
    try:
        uuid = _open_row(qtbot, w, 0)
        before = stored_case(library, uuid)["lessons"]
        filler = fill_disk(small_disk)
        typed = "磁盘满时写下的一句。" * 40
        earlier = _error_dialogs()
        type_text(qtbot, w.editor.text_edits["lessons"], typed)
        _kept_and_refused_to_switch(qtbot, w, uuid, typed, "磁盘空间不足", earlier)
        assert "损坏" not in w.editor.fault_band.text()
        filler.unlink()
        wait(qtbot, lambda: w.editor.save_state.text() == "已保存", SAVED_WITHIN_MS)
        assert not w.editor.fault_band.isVisible()
        assert stored_case(library, uuid)["lessons"] == before + typed
    finally:
        _close(w)
    checked = cli(library, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_missing_photo_folder_is_shown_at_the_photo_and_a_new_photo_brings_it_back(
    qtbot: QtBot, tmp_path: Path, cjk: object
) -> None:
    from tests.unit.test_share import case_with_everything, jpeg_file

    library = tmp_path / "library" / "casebook.sqlite"
    book = Casebook.open(library, create=True, editor=TEST_EDITOR)
    try:
        case = case_with_everything(book, tmp_path)
    finally:
        book.close()
    media = media_dir_of(library)
    shutil.rmtree(media)
    w = _window(qtbot, library, tmp_path / "settings.ini")
    try:
        row = next(r for r in range(w.model.rowCount()) if w.model.index(r, 0).data(UUID_ROLE) == case.uuid)
        _open_row(qtbot, w, row)
        photos = w.editor.photo_list
        wait(qtbot, lambda: photos.count() == 1 and "照片文件缺失" in photos.item(0).text())
        assert photos.item(0).text().startswith("下姜村全景")
        (tmp_path / "new").mkdir()
        picture = jpeg_file(tmp_path / "new")
        with ModalScript(qtbot).when(QFileDialog, choose_file(qtbot, picture)):
            click(qtbot, button(w.editor, "添加照片…"))
        wait(qtbot, lambda: photos.count() == 2)
        wait(qtbot, lambda: w.editor.save_state.text() == "已保存")
        stored = stored_case(library, case.uuid)
        names = [p["file_name"] for p in stored["photos"]]
        assert len(names) == 2 and (media / names[1]).is_file()
        assert "照片文件缺失" not in photos.item(1).text()
    finally:
        _close(w)


def test_a_pdf_exported_to_a_full_disk_is_refused_in_plain_words_and_leaves_nothing(
    qtbot: QtBot, small_disk: Path, tmp_path: Path, cjk: object
) -> None:
    library = demo_library(tmp_path / "library" / "casebook.sqlite")
    w = _window(qtbot, library, tmp_path / "settings.ini")
    try:
        _open_row(qtbot, w, 0)
        fill_disk(small_disk)
        pdf = small_disk / "简报.pdf"
        said: list[tuple[str, str]] = []

        def refused(box: ErrorDialog) -> None:
            said.append((box.windowTitle(), box.message_label.text()))
            click(qtbot, box.buttons.button(QDialogButtonBox.StandardButton.Close))

        def compose(dialog: QDialog) -> None:
            wait(qtbot, lambda: dialog.case_list.count() == 1)  # type: ignore[attr-defined]
            with ModalScript(qtbot).when(QFileDialog, choose_file(qtbot, pdf)):
                click(qtbot, dialog.export_button)  # type: ignore[attr-defined]
            with ModalScript(qtbot).when(ErrorDialog, refused):
                wait(qtbot, lambda: bool(said) or _error_dialog_open(), 60_000)
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)

        with ModalScript(qtbot).when(QDialog, compose):
            shortcut(qtbot, w, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        assert said, "no message"
        title, message = said[0]
        assert title == "无法完成操作"
        assert "磁盘空间不足" in message and "简报.pdf" in message and "casebook-part" not in message, message
        assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin"]
        assert w.book.briefs.history() == []
    finally:
        _close(w)
