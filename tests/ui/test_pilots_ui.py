"""The pilot editor and the 督办 list, offscreen on a real library: autosave, field errors, due list."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.domain.changes import ChangeSet, RecordKind
from desktop.domain.records import PilotSite, Ref
from desktop.services.casebook import Casebook
from desktop.ui.duban import DueListModel, DueListWidget
from desktop.ui.operations import Operations
from desktop.ui.pilot_editor import PilotEditor
from desktop.ui.tasks import Workers
from desktop.ui.widgets import ERROR_RED
from tests.ui.user import click, click_index, enter, press, replace_text, wait

SCREENS = Path(__file__).parents[2] / "build" / "screens"
RED = QColor(ERROR_RED)


def _screenshot(widget: QWidget, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SCREENS / name))


def _cell(table: QTableWidget, row: int, col: int) -> QTableWidgetItem:
    item = table.item(row, col)
    assert item is not None
    return item


def _demo_pilot(book: Casebook) -> PilotSite:
    return next(p for p in book.pilots.all() if "淳安" in p.name)


def _due_list(qtbot: QtBot, ops: Operations, workers: Workers) -> DueListWidget:
    widget = DueListWidget(ops)
    qtbot.addWidget(widget)
    widget.resize(1000, 420)
    widget.show()
    widget.refresh()
    workers.wait_idle()
    return widget


def _editor(qtbot: QtBot, ops: Operations) -> PilotEditor:
    editor = PilotEditor(ops)
    qtbot.addWidget(editor)
    editor.resize(1100, 820)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def _cell_editor() -> QLineEdit:
    """The line edit of the table cell being edited (it has the keyboard focus)."""
    widget = QApplication.focusWidget()
    assert isinstance(widget, QLineEdit), widget
    return widget


def _enter_in_cell(qtbot: QtBot, table: QTableWidget, text: str) -> None:
    """Type ``text`` into the cell being edited and press Enter; wait until the table took it."""
    field = _cell_editor()
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    enter(field, text)
    QTest.keyClick(field, Qt.Key.Key_Return)
    wait(qtbot, lambda: table.state() != QAbstractItemView.State.EditingState)


def _edit_cell(qtbot: QtBot, table: QTableWidget, row: int, col: int, text: str) -> None:
    """Double-click a cell, type ``text`` over what it holds and press Enter."""
    index = table.model().index(row, col)
    click_index(qtbot, table, index)  # the first click of the double click
    click_index(qtbot, table, index, double=True)
    _enter_in_cell(qtbot, table, text)


def _open_tab(qtbot: QtBot, tabs: QTabWidget, index: int) -> None:
    """Click a tab of the experiment's pages."""
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentIndex() == index


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


def test_demo_due_list_marks_overdue_red(qtbot: QtBot, demo_ops: Operations, workers: Workers) -> None:
    widget = _due_list(qtbot, demo_ops, workers)
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


def test_milestone_due_tomorrow_autosaves_and_is_due(qtbot: QtBot, demo_ops: Operations, workers: Workers) -> None:
    book = demo_ops.book
    editor = _editor(qtbot, demo_ops)
    pilot = _demo_pilot(book)
    experiment = book.pilots.experiments(pilot.uuid)[1]
    editor.load(pilot.uuid)
    editor.show_experiment(experiment.uuid)
    qtbot.waitUntil(lambda: editor.experiment_uuid == experiment.uuid, timeout=3000)
    assert editor.tabs.currentIndex() == PilotEditor.TAB_MILESTONES
    table = editor.milestones
    rows_before = table.rowCount()
    assert rows_before == len(experiment.milestones)
    overdue_row = next(i for i, m in enumerate(experiment.milestones) if m.is_overdue(date.today()))
    assert _cell(table, overdue_row, PilotEditor.MS_TITLE).foreground().color() == RED

    click(qtbot, editor.add_milestone_button)
    assert table.rowCount() == rows_before + 1
    row = rows_before
    _enter_in_cell(qtbot, table, "完成盘活项目招商推介")  # the new row's 内容 cell is being edited
    tomorrow = date.today() + timedelta(days=1)

    def touches_experiment(changes: ChangeSet, _initiator: object) -> bool:
        return changes.touches(RecordKind.EXPERIMENT, experiment.uuid)

    # the date cell's editor takes no typed text reliably (a QDateEdit): its item is set as the delegate does
    _cell(table, row, PilotEditor.MS_DUE).setText(tomorrow.isoformat())
    with (
        qtbot.waitSignal(editor.saved, timeout=3000) as saved,
        qtbot.waitSignal(demo_ops.changed, timeout=3000, check_params_cb=touches_experiment),
    ):
        _edit_cell(qtbot, table, row, PilotEditor.MS_UNIT, "淳安县农业农村局")
    assert saved.args == [pilot.uuid]
    assert editor.flush()
    workers.wait_idle()
    stored = book.pilots.get_experiment(experiment.uuid).milestones
    assert [(m.title, m.due_date, m.responsible_unit) for m in stored][-1] == (
        "完成盘活项目招商推介",
        tomorrow,
        "淳安县农业农村局",
    )
    editor.tabs.setCurrentIndex(PilotEditor.TAB_MILESTONES)
    _screenshot(editor, "pilot_editor.png")

    duban = _due_list(qtbot, demo_ops, workers)
    rows = [duban.model.item(r) for r in range(duban.model.rowCount())]
    mine = next(m for m in rows if m.title == "完成盘活项目招商推介")
    assert mine.due_date == tomorrow and not mine.overdue
    assert mine.experiment_uuid == experiment.uuid and mine.responsible_unit == "淳安县农业农村局"
    index = duban.model.index(rows.index(mine), DueListModel.STATE)
    assert duban.model.data(index) == "1 天后到期"


def test_end_before_start_is_shown_and_not_saved(qtbot: QtBot, demo_ops: Operations, workers: Workers) -> None:
    book = demo_ops.book
    editor = _editor(qtbot, demo_ops)
    pilot = _demo_pilot(book)
    editor.load(pilot.uuid)
    qtbot.waitUntil(lambda: editor.pilot_uuid == pilot.uuid and editor.name_edit.text() == pilot.name, timeout=3000)
    saves: list[str] = []
    editor.saved.connect(saves.append)
    # a QDateEdit takes no typed text reliably: the dates are set as its calendar sets them
    editor.start_date.setDate(QDate(2026, 3, 1))
    editor.end_date.setDate(QDate(2025, 12, 31))
    qtbot.waitUntil(lambda: editor.period_error.isVisible(), timeout=3000)
    assert editor.period_error.text() == "试点期限：结束日期早于开始日期"
    assert "结束日期早于开始日期" in editor.end_date.accessibleDescription()
    assert editor.state_label.text() == "有错误，未保存"
    assert not editor.flush()
    workers.wait_idle()
    qtbot.wait(100)
    assert saves == []
    stored = book.pilots.get(pilot.uuid)
    assert (stored.period_start, stored.period_end) == (pilot.period_start, pilot.period_end)
    assert stored.version == pilot.version

    with qtbot.waitSignal(editor.saved, timeout=3000):
        click(qtbot, editor.clear_end_button)  # 未填
    assert editor.end_date.text() == "未填"
    assert not editor.period_error.isVisible() and editor.flush()
    workers.wait_idle()
    stored = book.pilots.get(pilot.uuid)
    assert (stored.period_start, stored.period_end) == (date(2026, 3, 1), None)


def test_new_pilot_then_experiment(qtbot: QtBot, ops: Operations, workers: Workers) -> None:
    book = ops.book
    editor = _editor(qtbot, ops)
    editor.load_new()
    assert not editor.experiments_group.isEnabled()
    order = [editor.name_edit, editor.kind_combo, editor.batch_edit, editor.status_combo, editor.lead_edit]
    assert [w.nextInFocusChain() for w in order[:-1]] == order[1:]
    press(qtbot, editor.kind_combo, Qt.Key.Key_Home)  # the first kind
    assert editor.kind_combo.currentText() == "全域综合试点"
    qtbot.waitUntil(lambda: editor.name_error.isVisible(), timeout=3000)
    assert editor.name_error.text() == "试点名称：不能为空"
    assert book.pilots.all() == []
    with qtbot.waitSignal(editor.saved, timeout=3000) as saved:
        replace_text(qtbot, editor.name_edit, "龙泉市未来乡村专项试点")
    assert not editor.name_error.isVisible()
    assert editor.experiments_group.isEnabled()
    pilot_uuid = saved.args[0]
    assert book.pilots.get(pilot_uuid).kind.value == "全域综合试点"
    region = book.regions.find("龙泉市")
    with qtbot.waitSignal(editor.saved, timeout=3000):
        editor.add_places([Ref(region.uuid, region.full_name)])  # what 添加… does with the picker's choice
    assert [p.uuid for p in book.pilots.get(pilot_uuid).places] == [region.uuid]

    wait(qtbot, editor.add_experiment_button.isVisible)
    with qtbot.waitSignal(editor.saved, timeout=3000):
        click(qtbot, editor.add_experiment_button)
    with qtbot.waitSignal(editor.saved, timeout=3000):
        replace_text(qtbot, editor.exp_title_edit, "村集体经营性收入提升")
    assert editor.experiment_list.item(0).text() == "村集体经营性收入提升"
    _open_tab(qtbot, editor.tabs, PilotEditor.TAB_NOTES)
    click(qtbot, editor.add_note_button)
    with qtbot.waitSignal(editor.saved, timeout=3000):
        _enter_in_cell(qtbot, editor.notes, "召开启动会。")
    workers.wait_idle()
    (exp,) = book.pilots.experiments(pilot_uuid)
    assert exp.title == "村集体经营性收入提升"
    assert [(n.noted_on, n.text) for n in exp.progress_notes] == [(date.today(), "召开启动会。")]
    assert exp.progress_notes[0].author == "测试员（省农业农村厅）"

    _open_tab(qtbot, editor.tabs, PilotEditor.TAB_MILESTONES)
    click(qtbot, editor.add_milestone_button)
    QTest.keyClick(_cell_editor(), Qt.Key.Key_Escape)
    wait(qtbot, lambda: editor.milestones.state() != QAbstractItemView.State.EditingState)
    _edit_cell(qtbot, editor.milestones, 0, PilotEditor.MS_UNIT, "龙泉市农业农村局")  # 内容 left empty
    qtbot.waitUntil(lambda: editor.milestone_error.isVisible(), timeout=3000)
    assert editor.milestone_error.text() == "节点第 1 行 · 内容：不能为空"
    workers.wait_idle()
    assert book.pilots.get_experiment(exp.uuid).milestones == []


def test_due_list_activation_opens_experiment(qtbot: QtBot, demo_ops: Operations, workers: Workers) -> None:
    demo_book = demo_ops.book
    widget = _due_list(qtbot, demo_ops, workers)
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
