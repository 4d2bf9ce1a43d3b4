"""The case editor saves edits on its own, undoably; shows problems at their fields; moves the review
status; imports photos; meets another writer's change as a conflict to settle field by field; and
looks right (a screenshot is written to build/screens)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.domain.enums import AdoptionExtent, ReviewStatus
from desktop.domain.query import CaseQuery
from desktop.domain.records import Adoption, Figure, ModelCase, Ref
from desktop.services.casebook import Casebook
from desktop.services.context import Editor
from desktop.ui.case_editor import CaseEditor, FiguresModel
from desktop.ui.operations import Operations
from desktop.ui.region_picker import RegionPickerDialog
from desktop.ui.tasks import Workers
from tests.ui.user import click, click_index, enter, find_row, replace_text, type_text, wait

SCREENS = Path(__file__).parents[2] / "build" / "screens"


@dataclass
class Env:
    book: Casebook
    ops: Operations
    workers: Workers
    editor: CaseEditor


@pytest.fixture
def env(qtbot: QtBot, demo_ops: Operations, workers: Workers) -> Iterator[Env]:
    editor = CaseEditor(demo_ops)
    qtbot.addWidget(editor)
    editor.resize(640, 900)
    editor.show()
    qtbot.waitExposed(editor)
    yield Env(demo_ops.book, demo_ops, workers, editor)
    editor.flush()


def first_case(book: Casebook) -> ModelCase:
    hit = book.search.search(CaseQuery("", limit=1)).hits[0]
    return book.cases.get(hit.uuid)


def open_case(qtbot: QtBot, editor: CaseEditor, uuid: str) -> None:
    with qtbot.waitSignal(editor.loaded, timeout=5000):
        editor.load(uuid)


def fresh_read(library: Path, uuid: str) -> ModelCase:
    """The case as a program opening the library now reads it."""
    reopened = Casebook.open(library)
    try:
        return reopened.cases.get(uuid)
    finally:
        reopened.close()


def cell_editor() -> QLineEdit:
    """The line edit of the table cell being edited (it has the keyboard focus)."""
    widget = QApplication.focusWidget()
    assert isinstance(widget, QLineEdit), widget
    return widget


def press_enter(qtbot: QtBot, editor: CaseEditor, field: QLineEdit) -> None:
    """Press Enter in a cell being edited and wait until the table took the text."""
    QTest.keyClick(field, Qt.Key.Key_Return)
    wait(qtbot, lambda: editor.figures_view.state() != QAbstractItemView.State.EditingState)


def edit_cell(qtbot: QtBot, editor: CaseEditor, row: int, column: int, text: str) -> None:
    """Double-click a figures cell, type ``text`` over what it holds and press Enter."""
    index = editor.figures_model.index(row, column)
    click_index(qtbot, editor.figures_view, index)  # the first click of the double click
    click_index(qtbot, editor.figures_view, index, double=True)
    field = cell_editor()
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    enter(field, text)
    press_enter(qtbot, editor, field)


def when_modal(act: Callable[[QWidget], None], tries: int = 250) -> None:
    """Once a modal dialog is open (opened by a click that waits in ``exec``), act on it."""
    dialog = QApplication.activeModalWidget()
    if dialog is None or not dialog.isVisible():
        if tries > 0:
            QTimer.singleShot(20, lambda: when_modal(act, tries - 1))
        return
    act(dialog)


def press_move(qtbot: QtBot, editor: CaseEditor, target: ReviewStatus) -> None:
    """Click a review button once it is shown (they are made anew for each status)."""
    wait(qtbot, lambda: target in editor.move_buttons and editor.move_buttons[target].isVisible())
    click(qtbot, editor.move_buttons[target])


def test_empty_state_shows_a_hint(env: Env) -> None:
    assert env.editor.current_uuid is None
    assert env.editor.stack.currentWidget() is env.editor.hint
    assert env.editor.hint.text() == "选择一个案例"
    assert not env.editor.form.isEnabled()


def test_title_autosaves_persists_and_undoes(qtbot: QtBot, env: Env) -> None:
    case = first_case(env.book)
    open_case(qtbot, env.editor, case.uuid)
    assert env.editor.current_uuid == case.uuid
    assert env.editor.title_edit.text() == case.title
    assert env.editor.form.isEnabled()
    assert env.book.undo.labels() == (None, None)

    with qtbot.waitSignal(env.editor.saved, timeout=5000) as saved:
        replace_text(qtbot, env.editor.title_edit, "新的标题：片区组团发展")
    assert saved.args == [case.uuid]
    qtbot.waitUntil(lambda: env.book.cases.get(case.uuid).title == "新的标题：片区组团发展", timeout=3000)
    assert env.book.undo.labels() == ("编辑案例", None)  # one step for all that was typed
    assert not env.editor.has_pending_edits
    assert fresh_read(env.book.library.path, case.uuid).title == "新的标题：片区组团发展"

    env.ops.undo()
    env.workers.wait_idle()
    assert env.book.cases.get(case.uuid).title == case.title
    assert env.book.undo.labels() == (None, "编辑案例")
    qtbot.waitUntil(lambda: env.editor.title_edit.text() == case.title, timeout=3000)
    assert not env.editor.has_pending_edits


def test_empty_title_is_shown_at_the_field_and_not_saved(qtbot: QtBot, env: Env) -> None:
    case = first_case(env.book)
    open_case(qtbot, env.editor, case.uuid)
    replace_text(qtbot, env.editor.title_edit, "   ")
    qtbot.waitUntil(env.editor.title_error.isVisible, timeout=3000)
    assert "不能为空" in env.editor.title_error.text()
    assert env.editor.title_edit.property("invalid") is True
    assert env.editor.has_pending_edits
    assert not env.editor.flush()
    qtbot.wait(900)
    env.workers.wait_idle()
    assert env.book.cases.get(case.uuid).title == case.title
    assert env.book.undo.labels() == (None, None)

    replace_text(qtbot, env.editor.title_edit, "改好的标题")
    assert not env.editor.title_error.isVisible()  # cleared at once, before the save
    assert env.editor.title_edit.property("invalid") is False
    assert env.editor.flush()
    assert env.book.cases.get(case.uuid).title == "改好的标题"


def test_figure_without_unit_is_marked_in_its_cell(qtbot: QtBot, env: Env) -> None:
    case = first_case(env.book)
    open_case(qtbot, env.editor, case.uuid)
    editor = env.editor
    model = editor.figures_model
    row = len(case.figures)
    click(qtbot, editor.add_figure_button)
    assert model.rowCount() == row + 1
    field = cell_editor()  # the new row's 指标 cell is being edited
    enter(field, "接待游客")
    press_enter(qtbot, editor, field)
    edit_cell(qtbot, editor, row, 1, "12.5")
    edit_cell(qtbot, editor, row, 3, "2024年")
    edit_cell(qtbot, editor, row, 1, "很多")  # not a number: refused
    assert model.index(row, 1).data() == "12.5"
    unit = FiguresModel.COLUMNS.index("unit")
    qtbot.waitUntil(editor.figures_error.isVisible, timeout=3000)
    assert f"数据第 {row + 1} 行" in editor.figures_error.text()
    assert "单位" in editor.figures_error.text()
    assert model.error_at(row, unit) == "不能为空"
    assert model.data(model.index(row, unit), Qt.ItemDataRole.BackgroundRole) == QColor("#fdecea")
    assert model.data(model.index(row, 0), Qt.ItemDataRole.BackgroundRole) is None
    env.workers.wait_idle()
    assert len(env.book.cases.get(case.uuid).figures) == len(case.figures)

    edit_cell(qtbot, editor, row, unit, "万人次")
    assert model.error_at(row, unit) == ""
    assert not editor.figures_error.isVisible()
    assert editor.flush()
    figures = env.book.cases.get(case.uuid).figures
    assert (figures[-1].label, figures[-1].value, figures[-1].unit) == ("接待游客", 12.5, "万人次")


def test_figures_model_is_a_well_behaved_model(qtmodeltester: object) -> None:
    model = FiguresModel()
    model.set_figures([Figure(label="村集体经营性收入", value=128.5, unit="万元", period="2024年")])
    model.add_row()
    model.set_errors({(1, "unit"): "不能为空"})
    assert model.data(model.index(0, 1)) == "128.5"
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_review_moves_and_return_needs_a_reason(qtbot: QtBot, env: Env) -> None:
    case = env.book.cases.create(ModelCase(title="测试审核流转的案例")).value
    editor = env.editor
    open_case(qtbot, editor, case.uuid)
    assert editor.status_badge.text() == "草稿"
    assert set(editor.move_buttons) == {ReviewStatus.SUBMITTED}

    press_move(qtbot, editor, ReviewStatus.SUBMITTED)
    qtbot.waitUntil(lambda: env.book.cases.get(case.uuid).review_status == ReviewStatus.SUBMITTED, timeout=3000)
    assert editor.status_badge.text() == "已报送"
    wait(qtbot, lambda: set(editor.move_buttons) == {ReviewStatus.APPROVED, ReviewStatus.RETURNED})
    assert editor.move_buttons[ReviewStatus.RETURNED].text() == "退回…"

    assert not editor.apply_review_move(ReviewStatus.RETURNED, "  ")
    assert "须写明原因" in editor.return_error.text()
    assert not editor.apply_review_move(ReviewStatus.RECOMMENDED)  # not a next step from 已报送

    def give_reason(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        text = dialog.findChild(QPlainTextEdit)
        assert text is not None
        type_text(qtbot, text, "缺少成效数据")
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        click(qtbot, buttons.button(QDialogButtonBox.StandardButton.Ok))

    when_modal(give_reason)
    press_move(qtbot, editor, ReviewStatus.RETURNED)
    qtbot.waitUntil(lambda: env.book.cases.get(case.uuid).review_status == ReviewStatus.RETURNED, timeout=3000)
    assert env.book.cases.get(case.uuid).return_reason == "缺少成效数据"
    assert not editor.return_error.isVisible()
    assert "缺少成效数据" in editor.return_reason.text()
    qtbot.waitUntil(lambda: "缺少成效数据" in editor.review_log.text(), timeout=3000)
    assert [h[3] for h in env.book.cases.review_history(case.uuid)] == ["已报送", "退回"]
    assert "测试员" in editor.meta.text()

    env.ops.undo()
    env.workers.wait_idle()
    assert env.book.cases.get(case.uuid).review_status == ReviewStatus.SUBMITTED
    qtbot.waitUntil(lambda: editor.status_badge.text() == "已报送", timeout=3000)


def test_photos_are_copied_into_the_library(qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    case = first_case(env.book)
    open_case(qtbot, env.editor, case.uuid)
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#4caf50"))
    png = tmp_path / "村口.png"
    assert image.save(str(png))

    env.editor.add_photo_files([png])  # as chosen in the 添加照片 file dialog
    qtbot.waitUntil(lambda: len(env.book.cases.get(case.uuid).photos) == 1, timeout=5000)
    photo = env.book.cases.get(case.uuid).photos[0]
    copied = env.book.library.media_dir / photo.file_name
    assert copied.is_file() and copied.read_bytes() == png.read_bytes()
    assert env.editor.photo_list.count() == 1
    assert not env.editor.photo_list.item(0).icon().isNull()

    type_text(qtbot, env.editor.caption_edit, "村口新貌")
    assert env.editor.photo_list.item(0).text() == "村口新貌"
    assert env.editor.flush()
    assert env.book.cases.get(case.uuid).photos[0].caption == "村口新貌"

    # a second image dropped on the list; a text file alongside is ignored
    png2 = tmp_path / "second.png"
    assert image.save(str(png2))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(png2)), QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    viewport_center = QPointF(env.editor.photo_list.viewport().rect().center())
    drop = QDropEvent(
        viewport_center, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    env.editor.photo_list.dropEvent(drop)
    qtbot.waitUntil(lambda: len(env.book.cases.get(case.uuid).photos) == 2, timeout=5000)


def test_region_picker_adds_a_village(qtbot: QtBot, env: Env) -> None:
    dialog = RegionPickerDialog(env.ops)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    province = env.book.regions.children(None)[0]
    city = next(r for r in env.book.regions.children(province.uuid) if r.name == "杭州市")
    county = next(r for r in env.book.regions.children(city.uuid) if r.name == "淳安县")
    qtbot.waitUntil(lambda: dialog.item_for(city.uuid) is not None, timeout=5000)  # the province opens itself
    click_index(qtbot, dialog.tree, find_row(dialog.tree, "杭州市", starts=False))
    QTest.keyClick(dialog.tree, Qt.Key.Key_Right)  # open the city
    qtbot.waitUntil(lambda: dialog.item_for(county.uuid) is not None, timeout=5000)
    click_index(qtbot, dialog.tree, find_row(dialog.tree, "淳安县", starts=False))
    assert dialog.tree.currentItem() is dialog.item_for(county.uuid)
    assert dialog.new_name.isEnabled()
    type_text(qtbot, dialog.new_name, "青溪新镇")
    with qtbot.waitSignal(dialog.region_added, timeout=5000):
        click(qtbot, dialog.add_button)
    assert "青溪新镇" in [r.name for r in env.book.regions.children(county.uuid)]
    refs = dialog.selected_refs()
    assert [r.name for r in refs] == ["杭州市淳安县青溪新镇"]

    editor = env.editor
    open_case(qtbot, editor, first_case(env.book).uuid)
    before = editor.places_list.count()
    editor.add_places(refs)  # what the 添加… button does with the picker's choice
    assert editor.places_list.count() == before + 1
    assert editor.flush()
    assert refs[0].uuid in [p.uuid for p in env.book.cases.get(editor.current_uuid or "").places]


def test_adoptions_are_saved_and_removed(qtbot: QtBot, env: Env) -> None:
    case = first_case(env.book)
    open_case(qtbot, env.editor, case.uuid)
    view = env.editor.adoptions_view
    count = view.topLevelItemCount()
    place = env.book.regions.find("淳安县")
    env.editor.save_adoption(  # what the 推广记录 dialog hands over when accepted
        Adoption(case_uuid=case.uuid, region=Ref(place.uuid), extent=AdoptionExtent.PROMOTED, note="全县推广")
    )
    qtbot.waitUntil(lambda: view.topLevelItemCount() == count + 1, timeout=3000)
    added = next(a for a in env.book.adoptions.of_case(case.uuid) if a.note == "全县推广")
    assert added.extent == AdoptionExtent.PROMOTED
    places = [item.text(0) for i in range(view.topLevelItemCount()) if (item := view.topLevelItem(i)) is not None]
    assert "杭州市淳安县" in places

    click_index(qtbot, view, find_row(view, "全县推广", column=3, starts=False))
    click(qtbot, env.editor.remove_adoption_button)
    qtbot.waitUntil(lambda: view.topLevelItemCount() == count, timeout=3000)
    assert all(a.uuid != added.uuid for a in env.book.adoptions.of_case(case.uuid))

    env.editor.load(None)
    assert env.editor.current_uuid is None
    assert env.editor.stack.currentWidget() is env.editor.hint


def test_another_writers_change_is_met_as_a_conflict(qtbot: QtBot, env: Env, library_path: Path) -> None:
    case = first_case(env.book)
    editor = env.editor
    open_case(qtbot, editor, case.uuid)

    other = Casebook.open(library_path, editor=Editor("乙", "市农业农村局"))
    try:
        theirs = other.cases.get(case.uuid)
        other.cases.update(replace(theirs, title="乙改的标题", subtitle="乙改的副标题", source="乙补的来源"))

        replace_text(qtbot, editor.title_edit, "甲改的标题")
        replace_text(qtbot, editor.subtitle_edit, "甲改的副标题")
        qtbot.waitUntil(lambda: editor.in_conflict, timeout=5000)  # the autosave was refused
        env.workers.wait_idle()
        stored = other.cases.get(case.uuid)
        assert (stored.title, stored.subtitle, stored.source) == ("乙改的标题", "乙改的副标题", "乙补的来源")
        assert stored.updated_by.startswith("乙")

        panel = editor.conflict_panel
        assert panel.isVisible()
        assert "乙" in panel.title.text()
        shown = [label.text() for label in panel.rows.findChildren(QLabel)]
        assert "标题\n两边都改了" in shown and "副标题\n两边都改了" in shown and "来源" in shown
        assert {"乙改的标题", "甲改的标题", "乙补的来源"} <= set(shown)
        assert "修改冲突" in editor.save_state.text()
        # nothing typed is lost: a field both changed starts as mine, one only they changed as theirs
        assert editor.title_edit.text() == "甲改的标题"
        assert editor.subtitle_edit.text() == "甲改的副标题"
        assert editor.source_edit.text() == "乙补的来源"

        take_theirs, keep_mine = panel.choice_buttons("title")
        assert keep_mine.isChecked() and not take_theirs.isChecked()
        click(qtbot, take_theirs)
        assert take_theirs.isChecked() and not keep_mine.isChecked()
        assert editor.title_edit.text() == "乙改的标题"
        take_theirs, keep_mine = panel.choice_buttons("subtitle")
        click(qtbot, take_theirs)
        assert editor.subtitle_edit.text() == "乙改的副标题"
        click(qtbot, keep_mine)  # changed my mind: my subtitle after all
        assert keep_mine.isChecked() and not take_theirs.isChecked()
        assert editor.subtitle_edit.text() == "甲改的副标题"
        assert editor.in_conflict
        env.workers.wait_idle()
        assert other.cases.get(case.uuid).version == stored.version  # choosing saves nothing yet

        with qtbot.waitSignal(editor.saved, timeout=5000):
            click(qtbot, panel.save_button)
        env.workers.wait_idle()
        assert not editor.in_conflict
        assert not panel.isVisible()
        merged = fresh_read(library_path, case.uuid)
        assert (merged.title, merged.subtitle, merged.source) == ("乙改的标题", "甲改的副标题", "乙补的来源")
        assert merged.version > stored.version
        assert merged.updated_by.startswith("测试员")
        assert editor.title_edit.text() == "乙改的标题"
        assert not editor.has_pending_edits
    finally:
        other.close()


def test_accessible_names_and_screenshot(qtbot: QtBot, env: Env) -> None:
    case = first_case(env.book)
    open_case(qtbot, env.editor, case.uuid)
    editor = env.editor
    for widget in editor._focus_chain():
        assert widget.accessibleName(), widget
    assert editor.title_edit.accessibleName() == "标题"
    assert editor.meta.text().startswith("最后修改：")
    assert editor.adoptions_view.topLevelItemCount() >= 1
    SCREENS.mkdir(parents=True, exist_ok=True)
    qtbot.wait(100)  # let queued layout requests run
    assert editor.grab().save(str(SCREENS / "case_editor.png"))
    editor.resize(500, 900)
    qtbot.wait(50)
    form = editor.form
    assert form.minimumSizeHint().width() <= editor.scroller.viewport().width()
    form.resize(editor.scroller.viewport().width(), form.heightForWidth(editor.scroller.viewport().width()))
    assert form.grab().save(str(SCREENS / "case_editor_form_500.png"))

    editor.resize(560, 700)
    click(qtbot, editor.title_edit)
    QTest.keyClick(editor.title_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(editor.title_edit, Qt.Key.Key_Delete)
    assert editor.title_edit.text() == ""
    click(qtbot, editor.add_figure_button)
    qtbot.waitUntil(editor.figures_error.isVisible, timeout=3000)
    editor.scroller.verticalScrollBar().setValue(0)
    qtbot.wait(100)
    assert editor.grab().save(str(SCREENS / "case_editor_errors.png"))
