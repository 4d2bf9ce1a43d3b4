"""The pilot editor and the 督办 list, offscreen on a real library: autosave, field errors, due list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLineEdit, QTableWidget, QTableWidgetItem, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.domain.records import PilotSite, Ref
from desktop.services.casebook import Casebook
from desktop.ui.duban import DueListModel, DueListWidget
from desktop.ui.fonts import register_cjk_font
from desktop.ui.pilot_editor import PilotEditor
from desktop.ui.tasks import TaskRunner
from desktop.ui.undo import Changes
from desktop.ui.widgets import ERROR_RED

SCREENS = Path(__file__).parents[2] / "build" / "screens"
RED = QColor(ERROR_RED)


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    """The serial worker, stopped after the test."""
    register_cjk_font()
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


def _screenshot(widget: QWidget, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SCREENS / name))


def _cell(table: QTableWidget, row: int, col: int) -> QTableWidgetItem:
    item = table.item(row, col)
    assert item is not None
    return item


def _demo_pilot(book: Casebook) -> PilotSite:
    return next(p for p in book.pilots.all() if "淳安" in p.name)


def _due_list(qtbot: QtBot, book: Casebook, runner: TaskRunner) -> DueListWidget:
    widget = DueListWidget(book, runner)
    qtbot.addWidget(widget)
    widget.resize(1000, 420)
    widget.show()
    widget.refresh()
    runner.wait_idle()
    return widget


def _editor(qtbot: QtBot, book: Casebook, runner: TaskRunner, changes: Changes) -> PilotEditor:
    editor = PilotEditor(book, runner, changes)
    qtbot.addWidget(editor)
    editor.resize(1100, 820)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def test_due_list_model_passes_model_tester(qtmodeltester: ModelTester, demo_book: Casebook) -> None:
    model = DueListModel()
    model.set_items(demo_book.pilots.due_milestones())
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    model.sort(DueListModel.PILOT, Qt.SortOrder.DescendingOrder)
    names = [model.item(r).pilot_name for r in range(model.rowCount())]
    assert names == sorted(names, reverse=True)
    model.sort(DueListModel.DUE)
    dues = [model.item(r).due_date for r in range(model.rowCount())]
    assert dues == sorted(dues)
    qtmodeltester.check(model)


def test_demo_due_list_marks_overdue_red(qtbot: QtBot, demo_book: Casebook, runner: TaskRunner) -> None:
    widget = _due_list(qtbot, demo_book, runner)
    model = widget.model
    assert model.rowCount() > 0
    overdue = upcoming = 0
    for row in range(model.rowCount()):
        item = model.item(row)
        state = model.data(model.index(row, DueListModel.STATE))
        color = model.data(model.index(row, DueListModel.TITLE), Qt.ItemDataRole.ForegroundRole)
        if item.overdue:
            overdue += 1
            assert color == RED
            assert state == f"逾期 {(date.today() - item.due_date).days} 天"
        else:
            upcoming += 1
            assert color is None
            assert state.endswith("天后到期") or state == "今天到期"
    assert overdue >= 1 and upcoming >= 1
    assert widget.summary.text() == f"逾期 {overdue} 项，14 天内到期 {upcoming} 项"
    dues = [model.item(r).due_date for r in range(model.rowCount())]
    assert dues == sorted(dues)
    _screenshot(widget, "duban.png")


def test_milestone_due_tomorrow_autosaves_and_is_due(qtbot: QtBot, demo_book: Casebook, runner: TaskRunner) -> None:
    changes = Changes()
    editor = _editor(qtbot, demo_book, runner, changes)
    pilot = _demo_pilot(demo_book)
    experiment = demo_book.pilots.experiments(pilot.uuid)[1]
    editor.load(pilot.uuid)
    editor.show_experiment(experiment.uuid)
    qtbot.waitUntil(lambda: editor.experiment_uuid == experiment.uuid, timeout=3000)
    assert editor.tabs.currentIndex() == PilotEditor.TAB_MILESTONES
    table = editor.milestones
    rows_before = table.rowCount()
    assert rows_before == len(experiment.milestones)
    overdue_row = next(i for i, m in enumerate(experiment.milestones) if m.is_overdue(date.today()))
    assert _cell(table, overdue_row, PilotEditor.MS_TITLE).foreground().color() == RED

    editor.add_milestone_button.click()
    assert table.rowCount() == rows_before + 1
    row = rows_before
    cell_editor = QApplication.focusWidget()
    assert isinstance(cell_editor, QLineEdit)  # the new row's 内容 cell is being edited
    cell_editor.setText("完成盘活项目招商推介")  # as an input method commits it
    qtbot.keyClick(cell_editor, Qt.Key.Key_Return)
    tomorrow = date.today() + timedelta(days=1)
    with qtbot.waitSignal(editor.saved, timeout=3000) as saved, qtbot.waitSignal(changes.structure_changed):
        _cell(table, row, PilotEditor.MS_DUE).setText(tomorrow.isoformat())
        _cell(table, row, PilotEditor.MS_UNIT).setText("淳安县农业农村局")
    assert saved.args == [pilot.uuid]
    runner.wait_idle()
    stored = demo_book.pilots.get_experiment(experiment.uuid).milestones
    assert [(m.title, m.due_date) for m in stored][-1] == ("完成盘活项目招商推介", tomorrow)
    editor.tabs.setCurrentIndex(PilotEditor.TAB_MILESTONES)
    _screenshot(editor, "pilot_editor.png")

    duban = _due_list(qtbot, demo_book, runner)
    rows = [duban.model.item(r) for r in range(duban.model.rowCount())]
    mine = next(m for m in rows if m.title == "完成盘活项目招商推介")
    assert mine.due_date == tomorrow and not mine.overdue
    assert mine.experiment_uuid == experiment.uuid and mine.responsible_unit == "淳安县农业农村局"
    index = duban.model.index(rows.index(mine), DueListModel.STATE)
    assert duban.model.data(index) == "1 天后到期"


def test_end_before_start_is_shown_and_not_saved(qtbot: QtBot, demo_book: Casebook, runner: TaskRunner) -> None:
    changes = Changes()
    editor = _editor(qtbot, demo_book, runner, changes)
    pilot = _demo_pilot(demo_book)
    editor.load(pilot.uuid)
    qtbot.waitUntil(lambda: editor.pilot_uuid == pilot.uuid and editor.name_edit.text() == pilot.name, timeout=3000)
    saves: list[str] = []
    editor.saved.connect(saves.append)
    editor.start_date.setDate(QDate(2026, 3, 1))
    editor.end_date.setDate(QDate(2025, 12, 31))
    qtbot.waitUntil(lambda: editor.period_error.isVisible(), timeout=3000)
    assert editor.period_error.text() == "试点期限：结束日期早于开始日期"
    assert "结束日期早于开始日期" in editor.end_date.accessibleDescription()
    assert editor.state_label.text() == "有错误，未保存"
    assert not editor.flush()
    runner.wait_idle()
    qtbot.wait(100)
    assert saves == []
    stored = demo_book.pilots.get(pilot.uuid)
    assert (stored.period_start, stored.period_end) == (pilot.period_start, pilot.period_end)
    assert stored.version == pilot.version

    with qtbot.waitSignal(editor.saved, timeout=3000):
        editor.end_date.set_value(None)  # 未填
    assert editor.end_date.text() == "未填"
    assert not editor.period_error.isVisible() and editor.flush()
    runner.wait_idle()
    stored = demo_book.pilots.get(pilot.uuid)
    assert (stored.period_start, stored.period_end) == (date(2026, 3, 1), None)


def test_new_pilot_then_experiment(qtbot: QtBot, book: Casebook, runner: TaskRunner) -> None:
    editor = _editor(qtbot, book, runner, Changes())
    editor.load_new()
    assert not editor.experiments_group.isEnabled()
    order = [editor.name_edit, editor.kind_combo, editor.batch_edit, editor.status_combo, editor.lead_edit]
    assert [w.nextInFocusChain() for w in order[:-1]] == order[1:]
    editor.kind_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: editor.name_error.isVisible(), timeout=3000)
    assert editor.name_error.text() == "试点名称：不能为空"
    assert book.pilots.all() == []
    with qtbot.waitSignal(editor.saved, timeout=3000) as saved:
        editor.name_edit.setText("龙泉市未来乡村专项试点")
    assert not editor.name_error.isVisible()
    assert editor.experiments_group.isEnabled()
    pilot_uuid = saved.args[0]
    assert book.pilots.get(pilot_uuid).kind.value == "全域综合试点"
    region = book.regions.find("龙泉市")
    with qtbot.waitSignal(editor.saved, timeout=3000):
        editor.add_places([Ref(region.uuid, region.full_name)])
    assert [p.uuid for p in book.pilots.get(pilot_uuid).places] == [region.uuid]

    with qtbot.waitSignal(editor.saved, timeout=3000):
        editor.add_experiment_button.click()
    with qtbot.waitSignal(editor.saved, timeout=3000):
        editor.exp_title_edit.setText("村集体经营性收入提升")
    editor.add_note_button.click()
    with qtbot.waitSignal(editor.saved, timeout=3000):
        _cell(editor.notes, 0, PilotEditor.NOTE_TEXT).setText("召开启动会。")
    runner.wait_idle()
    (exp,) = book.pilots.experiments(pilot_uuid)
    assert exp.title == "村集体经营性收入提升"
    assert [(n.noted_on, n.text) for n in exp.progress_notes] == [(date.today(), "召开启动会。")]
    assert exp.progress_notes[0].author == "测试员（省农业农村厅）"

    editor.add_milestone_button.click()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    _cell(editor.milestones, 0, PilotEditor.MS_UNIT).setText("龙泉市农业农村局")  # 内容 left empty
    qtbot.waitUntil(lambda: editor.milestone_error.isVisible(), timeout=3000)
    assert editor.milestone_error.text() == "节点第 1 行 · 内容：不能为空"
    runner.wait_idle()
    assert book.pilots.get_experiment(exp.uuid).milestones == []


def test_due_list_activation_opens_experiment(qtbot: QtBot, demo_book: Casebook, runner: TaskRunner) -> None:
    widget = _due_list(qtbot, demo_book, runner)
    qtbot.waitExposed(widget)
    view, model = widget.view, widget.model
    row = model.rowCount() - 1
    item = model.item(row)
    rect = view.visualRect(model.index(row, DueListModel.TITLE))
    with qtbot.waitSignal(widget.open_experiment, timeout=1000) as opened:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [item.pilot_uuid, item.experiment_uuid]
    exp = demo_book.pilots.get_experiment(item.experiment_uuid)
    assert exp.pilot_uuid == item.pilot_uuid and any(m.uuid == item.milestone_uuid for m in exp.milestones)

    view.setCurrentIndex(model.index(0, 0))
    with qtbot.waitSignal(widget.open_experiment, timeout=1000) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [model.item(0).pilot_uuid, model.item(0).experiment_uuid]
