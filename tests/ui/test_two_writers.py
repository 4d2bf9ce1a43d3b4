"""Two programs on one library file: the window and the command line (another process). What the command
line saves while the window shows the same case reaches the window; it is never overwritten by the
window's next save — the window shows the conflict, field by field, and stores the user's merge."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.domain.records import ModelCase
from desktop.services.casebook import Casebook
from desktop.services.context import Editor
from desktop.ui.case_table import UUID_ROLE
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from tests.ui.user import button, cli, click, click_index, stored_case, type_text, wait


@pytest.fixture
def window(qtbot: QtBot, demo_book: Casebook, tmp_path: Path, cjk: object) -> Iterator[MainWindow]:
    w = MainWindow(demo_book, Settings.in_file(str(tmp_path / "settings.ini")))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    wait(qtbot, lambda: w.model.rowCount() == 9 and w.model.index(0, 0).data(UUID_ROLE) is not None)
    yield w
    w.editor.flush()
    w.workers.shutdown()


def open_first(qtbot: QtBot, w: MainWindow) -> str:
    click_index(qtbot, w.table, w.model.index(0, 0))
    uuid = str(w.model.index(0, 0).data(UUID_ROLE))
    wait(qtbot, lambda: w.editor.current_uuid == uuid and w.editor.title_edit.text() != "")
    return uuid


def test_a_change_by_the_command_line_appears_in_the_window(qtbot: QtBot, window: MainWindow) -> None:
    w = window
    library = w.book.library.path
    uuid = open_first(qtbot, w)
    result = cli(library, "edit", uuid, "--lessons", "命令行写下的经验启示。")
    assert result.returncode == 0, result.stderr
    lessons = w.editor.text_edits["lessons"]
    wait(qtbot, lambda: lessons.toPlainText() == "命令行写下的经验启示。")  # within the change log's poll
    assert w.editor.save_state.text() != "保存失败" and not w.editor.in_conflict


def test_a_command_line_change_survives_the_windows_next_save(qtbot: QtBot, window: MainWindow) -> None:
    w = window
    library = w.book.library.path
    uuid = open_first(qtbot, w)
    w.ops.stop_watching()  # the window has not heard of it yet when the user types
    before = stored_case(library, uuid)
    result = cli(library, "edit", uuid, "--outcomes", "命令行改写的成效。", "--lessons", "命令行的启示。")
    assert result.returncode == 0, result.stderr

    type_text(qtbot, w.editor.text_edits["lessons"], "窗口里补充的一句。")
    wait(qtbot, lambda: w.editor.in_conflict)
    panel = w.editor.conflict_panel
    assert panel.isVisible()
    assert "命令行（市农业农村局）" in panel.title.text()
    stored = stored_case(library, uuid)
    assert stored["outcomes"] == "命令行改写的成效。" and stored["lessons"] == "命令行的启示。"  # not overwritten
    # what only the other side changed is already in the form; what both changed waits for a choice
    assert w.editor.text_edits["outcomes"].toPlainText() == "命令行改写的成效。"
    assert w.editor.text_edits["lessons"].toPlainText() == before["lessons"] + "窗口里补充的一句。"
    theirs, mine = panel.choice_buttons("lessons")
    assert mine.isChecked()
    click(qtbot, theirs)
    assert w.editor.text_edits["lessons"].toPlainText() == "命令行的启示。"
    click(qtbot, mine)
    click(qtbot, button(panel, "保存合并结果"))
    wait(qtbot, lambda: not w.editor.in_conflict and w.editor.save_state.text() == "已保存")
    merged = stored_case(library, uuid)
    assert merged["outcomes"] == "命令行改写的成效。"
    assert merged["lessons"] == before["lessons"] + "窗口里补充的一句。"
    assert merged["version"] == stored["version"] + 1


def test_an_import_by_the_command_line_meets_the_windows_edit_as_a_conflict(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    w = window
    library = w.book.library.path
    uuid = open_first(qtbot, w)
    w.ops.stop_watching()
    # another library that has the same case (sent from here earlier) changes it and sends it back
    sent = tmp_path / "sent.casebook"
    assert cli(library, "export", str(sent), "--ids", uuid).returncode == 0
    other = Casebook.open(tmp_path / "city.sqlite", create=True, editor=Editor("王五", "市里"))
    try:
        plan = other.share.preview(sent)
        other.share.apply(plan)
        case = other.cases.get(uuid)
        other.cases.update(ModelCase(**{**case.__dict__, "source": "市里补充的来源"}))
        other.share.export(tmp_path / "back.casebook", [uuid])
    finally:
        other.close()
    imported = cli(library, "import", str(tmp_path / "back.casebook"))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    type_text(qtbot, w.editor.source_edit, "（窗口）")
    wait(qtbot, lambda: w.editor.in_conflict)
    assert stored_case(library, uuid)["source"] == "市里补充的来源"
    click(qtbot, button(w.editor.conflict_panel, "放弃我的修改"))
    wait(qtbot, lambda: not w.editor.in_conflict)
    assert w.editor.source_edit.text() == "市里补充的来源"
    assert stored_case(library, uuid)["source"] == "市里补充的来源"
