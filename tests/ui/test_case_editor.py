"""The case editor saves edits on its own, undoably; shows problems at their fields; moves the review
status; imports photos; and looks right (a screenshot is written to build/screens)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.domain.enums import AdoptionExtent, ReviewStatus
from desktop.domain.query import CaseQuery
from desktop.domain.records import Adoption, Figure, ModelCase, Ref
from desktop.services.casebook import Casebook
from desktop.ui.case_editor import CaseEditor, FiguresModel
from desktop.ui.fonts import apply_font, register_cjk_font
from desktop.ui.region_picker import RegionPickerDialog
from desktop.ui.tasks import TaskRunner
from desktop.ui.undo import Changes, History

SCREENS = Path(__file__).parents[2] / "build" / "screens"


@dataclass
class Env:
    book: Casebook
    runner: TaskRunner
    history: History
    editor: CaseEditor


@pytest.fixture
def env(qtbot: QtBot, demo_book: Casebook) -> Iterator[Env]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setFont(apply_font(register_cjk_font()))
    runner = TaskRunner()
    changes = Changes()
    history = History(demo_book, runner, changes)
    editor = CaseEditor(demo_book, runner, history)
    qtbot.addWidget(editor)
    editor.resize(640, 900)
    editor.show()
    try:
        yield Env(demo_book, runner, history, editor)
    finally:
        runner.shutdown()


def first_case(book: Casebook) -> ModelCase:
    hit = book.search.search(CaseQuery("", limit=1)).hits[0]
    return book.cases.get(hit.uuid)


def open_case(qtbot: QtBot, editor: CaseEditor, uuid: str) -> None:
    with qtbot.waitSignal(editor.loaded, timeout=5000):
        editor.load(uuid)


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

    with qtbot.waitSignal(env.editor.saved, timeout=5000) as saved:
        env.editor.title_edit.setText("新的标题：片区组团发展")
    assert saved.args == [case.uuid]
    qtbot.waitUntil(lambda: env.book.cases.get(case.uuid).title == "新的标题：片区组团发展", timeout=3000)
    assert env.history.stack.count() == 1
    assert not env.editor.has_pending_edits

    reopened = Casebook.open(env.book.library.path)
    try:
        assert reopened.cases.get(case.uuid).title == "新的标题：片区组团发展"
    finally:
        reopened.close()

    env.history.stack.undo()
    qtbot.waitUntil(lambda: env.book.cases.get(case.uuid).title == case.title, timeout=3000)
    qtbot.waitUntil(lambda: env.editor.title_edit.text() == case.title, timeout=3000)


def test_empty_title_is_shown_at_the_field_and_not_saved(qtbot: QtBot, env: Env) -> None:
    case = first_case(env.book)
    open_case(qtbot, env.editor, case.uuid)
    env.editor.title_edit.setText("   ")
    qtbot.waitUntil(env.editor.title_error.isVisible, timeout=3000)
    assert "不能为空" in env.editor.title_error.text()
    assert env.editor.title_edit.property("invalid") is True
    assert env.editor.has_pending_edits
    assert not env.editor.flush()
    qtbot.wait(900)
    assert env.book.cases.get(case.uuid).title == case.title
    assert env.history.stack.count() == 0

    env.editor.title_edit.setText("改好的标题")
    assert not env.editor.title_error.isVisible()  # cleared at once, before the save
    assert env.editor.title_edit.property("invalid") is False
    assert env.editor.flush()
    assert env.book.cases.get(case.uuid).title == "改好的标题"


def test_figure_without_unit_is_marked_in_its_cell(qtbot: QtBot, env: Env) -> None:
    case = first_case(env.book)
    open_case(qtbot, env.editor, case.uuid)
    model = env.editor.figures_model
    row = env.editor.add_figure()
    assert row == len(case.figures)
    for column, value in ((0, "接待游客"), (1, "12.5"), (3, "2024年")):
        assert model.setData(model.index(row, column), value)
    assert not model.setData(model.index(row, 1), "很多")  # not a number: refused
    unit = FiguresModel.COLUMNS.index("unit")
    qtbot.waitUntil(env.editor.figures_error.isVisible, timeout=3000)
    assert f"数据第 {row + 1} 行" in env.editor.figures_error.text()
    assert "单位" in env.editor.figures_error.text()
    assert model.error_at(row, unit) == "不能为空"
    assert model.data(model.index(row, unit), Qt.ItemDataRole.BackgroundRole) == QColor("#fdecea")
    assert model.data(model.index(row, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert len(env.book.cases.get(case.uuid).figures) == len(case.figures)

    model.setData(model.index(row, unit), "万人次")
    assert model.error_at(row, unit) == ""
    assert not env.editor.figures_error.isVisible()
    assert env.editor.flush()
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
    case = env.book.cases.create(ModelCase(title="测试审核流转的案例"))
    open_case(qtbot, env.editor, case.uuid)
    assert env.editor.status_badge.text() == "草稿"
    assert set(env.editor.move_buttons) == {ReviewStatus.SUBMITTED}

    assert env.editor.apply_review_move(ReviewStatus.SUBMITTED)
    qtbot.waitUntil(lambda: env.book.cases.get(case.uuid).review_status == ReviewStatus.SUBMITTED, timeout=3000)
    assert env.editor.status_badge.text() == "已报送"
    assert set(env.editor.move_buttons) == {ReviewStatus.APPROVED, ReviewStatus.RETURNED}
    assert env.editor.move_buttons[ReviewStatus.RETURNED].text() == "退回…"

    assert not env.editor.apply_review_move(ReviewStatus.RETURNED, "  ")
    assert "须写明原因" in env.editor.return_error.text()
    assert not env.editor.apply_review_move(ReviewStatus.RECOMMENDED)  # not a next step from 已报送

    assert env.editor.apply_review_move(ReviewStatus.RETURNED, "缺少成效数据")
    qtbot.waitUntil(lambda: env.book.cases.get(case.uuid).review_status == ReviewStatus.RETURNED, timeout=3000)
    assert env.book.cases.get(case.uuid).return_reason == "缺少成效数据"
    assert not env.editor.return_error.isVisible()
    assert "缺少成效数据" in env.editor.return_reason.text()
    qtbot.waitUntil(lambda: "缺少成效数据" in env.editor.review_log.text(), timeout=3000)
    assert [h[3] for h in env.book.cases.review_history(case.uuid)] == ["已报送", "退回"]
    assert "测试员" in env.editor.meta.text()

    env.history.stack.undo()
    qtbot.waitUntil(lambda: env.book.cases.get(case.uuid).review_status == ReviewStatus.SUBMITTED, timeout=3000)
    qtbot.waitUntil(lambda: env.editor.status_badge.text() == "已报送", timeout=3000)


def test_photos_are_copied_into_the_library(qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    case = first_case(env.book)
    open_case(qtbot, env.editor, case.uuid)
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#4caf50"))
    png = tmp_path / "村口.png"
    assert image.save(str(png))

    env.editor.add_photo_files([png])
    qtbot.waitUntil(lambda: len(env.book.cases.get(case.uuid).photos) == 1, timeout=5000)
    photo = env.book.cases.get(case.uuid).photos[0]
    copied = env.book.library.media_dir / photo.file_name
    assert copied.is_file() and copied.read_bytes() == png.read_bytes()
    assert env.editor.photo_list.count() == 1
    assert not env.editor.photo_list.item(0).icon().isNull()

    env.editor.caption_edit.setText("村口新貌")
    env.editor.caption_edit.textEdited.emit("村口新貌")  # as typed by the user
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
    dialog = RegionPickerDialog(env.book, env.runner)
    qtbot.addWidget(dialog)
    province = env.book.regions.children(None)[0]
    city = next(r for r in env.book.regions.children(province.uuid) if r.name == "杭州市")
    county = next(r for r in env.book.regions.children(city.uuid) if r.name == "淳安县")
    qtbot.waitUntil(lambda: dialog.item_for(city.uuid) is not None, timeout=5000)  # the province opens itself
    city_item = dialog.item_for(city.uuid)
    assert city_item is not None
    city_item.setExpanded(True)
    qtbot.waitUntil(lambda: dialog.item_for(county.uuid) is not None, timeout=5000)
    county_item = dialog.item_for(county.uuid)
    assert county_item is not None
    dialog.tree.setCurrentItem(county_item)
    assert dialog.new_name.isEnabled()
    dialog.new_name.setText("青溪新镇")
    with qtbot.waitSignal(dialog.region_added, timeout=5000):
        dialog.add_button.click()
    assert "青溪新镇" in [r.name for r in env.book.regions.children(county.uuid)]
    refs = dialog.selected_refs()
    assert [r.name for r in refs] == ["杭州市淳安县青溪新镇"]

    editor = env.editor
    open_case(qtbot, editor, first_case(env.book).uuid)
    before = editor.places_list.count()
    editor.add_places(refs)
    assert editor.places_list.count() == before + 1
    assert editor.flush()
    assert refs[0].uuid in [p.uuid for p in env.book.cases.get(editor.current_uuid or "").places]


def test_adoptions_are_saved_and_removed(qtbot: QtBot, env: Env) -> None:
    case = first_case(env.book)
    open_case(qtbot, env.editor, case.uuid)
    view = env.editor.adoptions_view
    count = view.topLevelItemCount()
    place = env.book.regions.find("淳安县")
    env.editor.save_adoption(
        Adoption(case_uuid=case.uuid, region=Ref(place.uuid), extent=AdoptionExtent.PROMOTED, note="全县推广")
    )
    qtbot.waitUntil(lambda: view.topLevelItemCount() == count + 1, timeout=3000)
    added = next(a for a in env.book.adoptions.of_case(case.uuid) if a.note == "全县推广")
    assert added.extent == AdoptionExtent.PROMOTED
    places = [item.text(0) for i in range(view.topLevelItemCount()) if (item := view.topLevelItem(i)) is not None]
    assert "杭州市淳安县" in places
    env.editor.remove_adoption(added.uuid)
    qtbot.waitUntil(lambda: view.topLevelItemCount() == count, timeout=3000)
    assert all(a.uuid != added.uuid for a in env.book.adoptions.of_case(case.uuid))

    env.editor.load(None)
    assert env.editor.current_uuid is None
    assert env.editor.stack.currentWidget() is env.editor.hint


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
    editor.title_edit.setText("")
    editor.add_figure()
    qtbot.waitUntil(editor.figures_error.isVisible, timeout=3000)
    editor.scroller.verticalScrollBar().setValue(0)
    qtbot.wait(100)
    assert editor.grab().save(str(SCREENS / "case_editor_errors.png"))
