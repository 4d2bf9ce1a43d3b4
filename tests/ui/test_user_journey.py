"""A coordinator's morning, on the real window, by keyboard and mouse only: browse, search, open a case,
type, autosave, Ctrl+Z, Ctrl+N, 督办, open an experiment, back to 督办, compose and export a PDF, import a
share bundle. After every step the test checks what the window shows (the view in the centre, the
entry the navigation highlights, the rows, the editor's fields) and what the library holds, read back
by another program (the command line)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QToolBar
from pytestqt.qtbot import QtBot

from desktop.domain.records import ModelCase
from desktop.services.casebook import Casebook
from desktop.services.context import Editor
from desktop.ui import navigation as nav
from desktop.ui.case_table import UUID_ROLE
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.share_dialogs import ImportPreviewDialog
from tests.ui.user import (
    ModalScript,
    button,
    choose_file,
    cli,
    click,
    click_index,
    enter,
    find_row,
    replace_text,
    shortcut,
    stored_case,
    type_text,
    wait,
)

CTRL = Qt.KeyboardModifier.ControlModifier
SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens"


@pytest.fixture
def window(qtbot: QtBot, demo_book: Casebook, tmp_path: Path, cjk: object) -> Iterator[MainWindow]:
    w = MainWindow(demo_book, Settings.in_file(str(tmp_path / "settings.ini")))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    wait(qtbot, lambda: w.model.rowCount() == 9 and w.model.index(0, 0).data(UUID_ROLE) is not None)
    wait(qtbot, lambda: w.navigation.current_key() == (nav.ALL, ""))
    yield w
    w.editor.flush()
    w.workers.shutdown()


def shows_cases(w: MainWindow, key: tuple[str, str] = (nav.ALL, "")) -> bool:
    """The centre shows the case list and the navigation highlights ``key``."""
    return w.center.currentWidget() is w.cases_page and w.navigation.current_key() == key


def titles(w: MainWindow) -> list[str]:
    return [str(w.model.index(r, 0).data()) for r in range(w.model.rowCount())]


def row_of(w: MainWindow, uuid: str) -> int:
    return next((r for r in range(w.model.rowCount()) if w.model.index(r, 0).data(UUID_ROLE) == uuid), -1)


def listed(library: Path) -> list[str]:
    import json

    result = cli(library, "list", "--json")
    assert result.returncode == 0, result.stderr
    return [r["title"] for r in json.loads(result.stdout)["results"]]


def screenshot(w: MainWindow, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    assert w.grab().save(str(SCREENS / name))


def test_a_coordinators_morning(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    w = window
    library = w.book.library.path

    # browse: the demo list, 全部案例 highlighted, the first case in the editor
    assert shows_cases(w)
    assert w.count_label.text() == "共 9 个案例"
    wait(qtbot, lambda: w.editor.current_uuid is not None)

    # search for a two-character word: only the cases that hold it
    type_text(qtbot, w.search_box, "飞地")
    expected = w.book.search.search(w.current_query()).total
    assert expected == 3
    wait(qtbot, lambda: w.model.rowCount() == expected and w.model.index(0, 0).data(UUID_ROLE) is not None)
    assert shows_cases(w)

    # open the second case of the list with a click
    click_index(qtbot, w.table, w.model.index(1, 0))
    uuid = str(w.model.index(1, 0).data(UUID_ROLE))
    wait(qtbot, lambda: w.editor.current_uuid == uuid and w.editor.title_edit.text() == titles(w)[1])
    before = stored_case(library, uuid)
    practices = w.editor.text_edits["practices"]
    assert practices.toPlainText() == before["practices"]

    # type at the end of 主要做法; it is saved by itself shortly after
    type_text(qtbot, practices, "另建议每季度通报一次进展。")
    wait(qtbot, lambda: w.editor.save_state.text() == "已保存")
    assert stored_case(library, uuid)["practices"] == before["practices"] + "另建议每季度通报一次进展。"
    assert shows_cases(w) and w.model.rowCount() == 3  # the list stays where it was
    assert row_of(w, uuid) == 1 and w.selected_uuids() == [uuid]

    # Ctrl+Z (with the focus on the list, not in a text field): the library takes the edit back
    click_index(qtbot, w.table, w.model.index(1, 0))
    wait(qtbot, lambda: w.undo_action.isEnabled())
    assert w.undo_action.text() == "撤销 编辑案例"
    shortcut(qtbot, w, Qt.Key.Key_Z, CTRL)
    wait(qtbot, lambda: practices.toPlainText() == before["practices"])
    assert stored_case(library, uuid)["practices"] == before["practices"]
    assert shows_cases(w) and w.selected_uuids() == [uuid]
    assert w.redo_action.text() == "重做 编辑案例"

    # clear the search, then Ctrl+N: a new draft, selected, title ready to type over
    replace_text(qtbot, w.search_box, "")
    wait(qtbot, lambda: w.model.rowCount() == 9)
    click_index(qtbot, w.table, w.model.index(0, 0))
    shortcut(qtbot, w, Qt.Key.Key_N, CTRL)
    wait(qtbot, lambda: w.model.rowCount() == 10 and w.editor.title_edit.text() == "新案例")
    new_uuid = w.editor.current_uuid
    assert new_uuid is not None
    wait(qtbot, lambda: w.selected_uuids() == [new_uuid])
    assert shows_cases(w)
    assert w.editor.title_edit.hasFocus()
    enter(w.editor.title_edit, "县域共富工坊建设")
    wait(qtbot, lambda: w.editor.save_state.text() == "已保存")
    assert "县域共富工坊建设" in listed(library)
    wait(qtbot, lambda: w.model.index(row_of(w, new_uuid), 0).data() == "县域共富工坊建设")
    screenshot(w, "journey-1-new-case.png")

    # 督办 from the toolbar: the due list
    toolbar_button = w.findChild(QToolBar, "main-toolbar").widgetForAction(w.duban_action)
    click(qtbot, toolbar_button)
    wait(qtbot, lambda: w.center.currentWidget() is w.duban and w.duban.model.rowCount() > 0)
    assert w.navigation.current_key() == (nav.DUBAN, "")

    # open an experiment from the list (double click): the pilot editor shows it
    first = w.duban.model.item(0)
    click_index(qtbot, w.duban.view, w.duban.model.index(0, 0), double=True)
    wait(
        qtbot,
        lambda: w.center.currentWidget() is w.pilot_editor and w.pilot_editor.experiment_uuid == first.experiment_uuid,
    )
    assert w.pilot_editor.exp_title_edit.text() == first.experiment_title

    # back to 督办 by clicking its entry, still highlighted in the navigation
    click_index(qtbot, w.navigation.tree, find_row(w.navigation.tree, "督办"))
    wait(qtbot, lambda: w.center.currentWidget() is w.duban)
    # and once more by the toolbar button, from the pilot editor
    click_index(qtbot, w.duban.view, w.duban.model.index(0, 0), double=True)
    wait(qtbot, lambda: w.center.currentWidget() is w.pilot_editor)
    click(qtbot, toolbar_button)
    wait(qtbot, lambda: w.center.currentWidget() is w.duban)

    # back to all cases; compose a case sheet of the new case and export it as a PDF
    click_index(qtbot, w.navigation.tree, find_row(w.navigation.tree, "全部案例"))
    wait(qtbot, lambda: shows_cases(w) and row_of(w, new_uuid) >= 0)
    click_index(qtbot, w.table, w.model.index(row_of(w, new_uuid), 0))
    pdf = tmp_path / "out" / "县域共富工坊建设.pdf"
    pdf.parent.mkdir()
    exported: list[object] = []

    def compose(dialog: QDialog) -> None:
        wait(qtbot, lambda: dialog.case_list.count() == 1)  # type: ignore[attr-defined]
        dialog.exported.connect(exported.append)  # type: ignore[attr-defined]
        script = ModalScript(qtbot).when(QFileDialog, choose_file(qtbot, pdf))
        with script:
            click(qtbot, dialog.export_button)  # type: ignore[attr-defined]
        wait(qtbot, lambda: bool(exported), timeout=60_000)
        box = next(b for b in dialog.findChildren(QMessageBox) if b.isVisible())
        click(qtbot, button(box, "关闭"))
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    with ModalScript(qtbot).when(QDialog, compose):
        shortcut(qtbot, w, Qt.Key.Key_P, CTRL)
    assert pdf.is_file()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "县域共富工坊建设" in text
    assert shows_cases(w)

    # import a bundle another county sent: the preview, then one more case in the list
    sender = Casebook.open(tmp_path / "sender.sqlite", create=True, editor=Editor("李四", "淳安县农业农村局"))
    try:
        sent = sender.cases.create(ModelCase(title="淳安县飞地抱团经验（来件）")).value
        bundle = tmp_path / "来件.casebook"
        sender.share.export(bundle, [sent.uuid])
    finally:
        sender.close()
    with ModalScript(qtbot).when(QFileDialog, choose_file(qtbot, bundle)):
        shortcut(qtbot, w, Qt.Key.Key_I, CTRL)
    wait(qtbot, lambda: isinstance(w.import_preview, ImportPreviewDialog) and w.import_preview.isVisible())
    preview = w.import_preview
    assert preview is not None
    click(qtbot, preview.import_button)
    wait(qtbot, lambda: w.last_import is not None and w.model.rowCount() == 11)
    box = w.message_box
    click(qtbot, button(box, "OK") if any(b.text() == "OK" for b in box.buttons()) else box.buttons()[0])
    assert shows_cases(w)
    wait(qtbot, lambda: "淳安县飞地抱团经验（来件）" in titles(w))
    assert "淳安县飞地抱团经验（来件）" in listed(library)
    assert w.undo_action.text() == "撤销 导入案例包"
    screenshot(w, "journey-2-after-import.png")
