"""The main window on a real library, offscreen: lists, searches, filters, edits, bulk edits with
undo, trash and restore, layout kept between starts, screenshots with the Chinese font checked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.domain.bulk import BulkChange
from desktop.domain.enums import ReviewStatus
from desktop.domain.query import CaseQuery
from desktop.domain.records import ModelCase, Ref
from desktop.services.casebook import Casebook
from desktop.ui import navigation as nav
from desktop.ui.case_table import UUID_ROLE, CaseTableModel
from desktop.ui.fonts import register_cjk_font
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.trash_view import TrashModel

SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.in_file(str(tmp_path / "settings.ini"))


@pytest.fixture
def window(qtbot: QtBot, demo_book: Casebook, settings: Settings) -> Iterator[MainWindow]:
    family = register_cjk_font()
    if family:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        font = app.font()
        font.setFamily(family)
        app.setFont(font)
    w = MainWindow(demo_book, settings)
    qtbot.addWidget(w)
    w.show()
    wait_rows(qtbot, w, 9)
    yield w
    w.editor.flush()
    w.runner.shutdown()


def wait_rows(qtbot: QtBot, w: MainWindow, n: int) -> None:
    def loaded() -> bool:
        return w.model.rowCount() == n and (n == 0 or w.model.index(0, 0).data(UUID_ROLE) is not None)

    qtbot.waitUntil(loaded, timeout=5000)


def titles(w: MainWindow) -> list[str]:
    return [str(w.model.index(r, 0).data()) for r in range(w.model.rowCount())]


def wait_true(qtbot: QtBot, cond: Callable[[], bool]) -> None:
    qtbot.waitUntil(cond, timeout=5000)


def test_title_and_first_rows(window: MainWindow) -> None:
    assert window.windowTitle() == "试点案例库"
    assert window.count_label.text() == "共 9 个案例"
    assert all("示例" in t for t in titles(window))


def test_case_table_passes_the_model_tester(window: MainWindow, qtmodeltester: object) -> None:
    qtmodeltester.check(window.model)  # type: ignore[attr-defined]
    qtmodeltester.check(window.navigation.model)  # type: ignore[attr-defined]
    qtmodeltester.check(window.trash_view.model)  # type: ignore[attr-defined]


def test_search_by_a_two_character_word(qtbot: QtBot, window: MainWindow) -> None:
    window.search_box.setText("飞地")
    wait_rows(qtbot, window, 3)
    snippet = window.model.index(0, 1)
    assert window.model.data(snippet, Qt_HIGHLIGHT()) is not None or "飞地" in titles(window)[0]


def Qt_HIGHLIGHT() -> int:
    from desktop.ui.case_table import HIGHLIGHT_ROLE

    return int(HIGHLIGHT_ROLE)


def test_filter_by_theme_and_region_from_the_navigation(qtbot: QtBot, window: MainWindow) -> None:
    wait_true(qtbot, lambda: window.navigation.model.rowCount() > 3)
    chunan = window.book.regions.find("淳安县")
    assert window.navigation.select_key((nav.REGION, chunan.uuid))
    wait_rows(qtbot, window, 1)
    assert "下姜" in titles(window)[0]
    theme = window.book.catalog.find_theme("（二）")
    expected = window.book.search.search(CaseQuery("", window.current_query().filters.__class__(theme_uuid=theme.uuid)))
    assert window.navigation.select_key((nav.THEME, theme.uuid))
    wait_rows(qtbot, window, expected.total)
    assert expected.total > 0


def test_advanced_filters_combine_with_text(qtbot: QtBot, window: MainWindow) -> None:
    window.filter_button.setChecked(True)
    status = window.filters.status
    status.setCurrentIndex(status.findData(ReviewStatus.RECOMMENDED.value))
    expected = window.book.search.search(CaseQuery("", window.filters.filters(), limit=None))
    wait_rows(qtbot, window, expected.total)
    window.search_box.setText("飞地")
    expected = window.book.search.search(CaseQuery("飞地", window.filters.filters(), limit=None))
    wait_rows(qtbot, window, expected.total)


def test_new_case_then_trash_and_restore_with_undo(qtbot: QtBot, window: MainWindow) -> None:
    window.new_case()
    wait_rows(qtbot, window, 10)
    wait_true(qtbot, lambda: window.editor.current_uuid is not None)
    uuid = window.editor.current_uuid
    assert uuid and window.book.cases.get(uuid).title == "新案例"
    wait_true(qtbot, lambda: window.selected_uuids() == [uuid])
    window.trash_selected()
    wait_rows(qtbot, window, 9)
    assert window.book.cases.get(uuid).in_trash
    window.history.stack.undo()
    window.runner.wait_idle()
    assert not window.book.cases.get(uuid).in_trash
    window.history.stack.redo()
    window.runner.wait_idle()
    assert window.book.cases.get(uuid).in_trash
    assert window.navigation.select_key((nav.TRASH, ""))
    wait_true(qtbot, lambda: window.trash_view.model.rowCount() == 1)
    window.trash_view.table.selectRow(0)
    window.trash_view.restore_selected()
    window.runner.wait_idle()
    assert not window.book.cases.get(uuid).in_trash


def test_bulk_edit_then_undo(qtbot: QtBot, window: MainWindow) -> None:
    uuids = [str(window.model.index(r, 0).data(UUID_ROLE)) for r in range(3)]
    before = {c.uuid: c.tags for c in window.book.cases.get_many(uuids)}
    after = [BulkChange(add_tag="批量标签").apply(c) for c in window.book.cases.get_many(uuids)]
    window.history.edit("批量编辑", window.book.cases.get_many(uuids), after)
    window.runner.wait_idle()
    assert all("批量标签" in c.tags for c in window.book.cases.get_many(uuids))
    window.history.stack.undo()
    window.runner.wait_idle()
    assert {c.uuid: c.tags for c in window.book.cases.get_many(uuids)} == before


def test_layout_and_selection_are_restored(qtbot: QtBot, demo_book: Casebook, settings: Settings) -> None:
    first = MainWindow(demo_book, settings)
    qtbot.addWidget(first)
    first.show()
    wait_rows(qtbot, first, 9)
    first.table.setColumnWidth(0, 411)
    first.model.sort(0)  # by title
    wait_rows(qtbot, first, 9)
    first.table.selectRow(2)
    wait_true(qtbot, lambda: first.editor.current_uuid is not None)
    chosen = first.editor.current_uuid
    first.close()
    first.runner.shutdown()
    again = MainWindow(demo_book, settings)
    qtbot.addWidget(again)
    again.show()
    wait_rows(qtbot, again, 9)
    assert again.table.columnWidth(0) == 411
    assert titles(again) == sorted(titles(again))
    wait_true(qtbot, lambda: again.editor.current_uuid == chosen)
    again.runner.shutdown()


def test_screenshots_and_the_font_covers_the_chinese_shown(qtbot: QtBot, window: MainWindow) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    window.resize(1440, 880)
    window.table.selectRow(0)
    wait_true(qtbot, lambda: window.editor.current_uuid is not None)
    qtbot.wait(300)
    assert window.grab().save(str(SCREENS / "main_window.png"))
    assert window.editor.grab().save(str(SCREENS / "case_editor_in_window.png"))
    family = register_cjk_font()
    assert family, "no Chinese font could be registered"
    assert family in QFontDatabase.families()
    metrics = QFontMetrics(window.font())
    shown = "".join(titles(window)) + window.count_label.text() + window.windowTitle()
    missing = {ch for ch in shown if not ch.isspace() and not metrics.inFontUcs4(ord(ch))}
    assert not missing, f"characters the font cannot draw: {''.join(sorted(missing))}"


def test_case_table_model_alone(qtbot: QtBot, book: Casebook, qtmodeltester: object) -> None:
    from desktop.ui.tasks import TaskRunner

    runner = TaskRunner()
    for i in range(250):
        book.cases.create(ModelCase(title=f"共富工坊{i}", places=[Ref(book.regions.find("淳安县").uuid)]))
    model = CaseTableModel(book, runner)
    ids = book.search.ids(CaseQuery("共富", limit=None)).ids
    model.set_ids(ids, "共富")
    assert model.rowCount() == 250
    model.index(240, 0).data()  # fetch a late page on demand
    qtbot.waitUntil(lambda: model.index(240, 0).data(UUID_ROLE) is not None, timeout=5000)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    runner.shutdown()


def test_trash_model(qtmodeltester: object) -> None:
    qtmodeltester.check(TrashModel())  # type: ignore[attr-defined]


def test_bulk_edit_dialog_builds_the_change(qtbot: QtBot, window: MainWindow) -> None:
    from desktop.ui.bulk_dialog import BulkEditDialog

    wait_true(qtbot, lambda: window._overview is not None)
    assert window._overview is not None
    dialog = BulkEditDialog(window._overview, 3, window)
    qtbot.addWidget(dialog)
    dialog.add_tag.setText("新标签")
    dialog.status.setCurrentIndex(dialog.status.findData(ReviewStatus.RETURNED.value))
    dialog.reason.setPlainText("数据待核实")
    change = dialog.change()
    assert change.add_tag == "新标签" and change.set_status == ReviewStatus.RETURNED
    assert change.reason == "数据待核实" and change.add_theme is None


def test_counting_can_be_cancelled(qtbot: QtBot, window: MainWindow) -> None:
    window.runner.wait_idle()
    shown: list[object] = []
    window.navigation.model.modelReset.connect(lambda: shown.append(1))
    window.refresh_overview()
    assert window.cancel_button.isVisibleTo(window)
    window.cancel_background_work()
    window.runner.wait_idle()
    assert not window.cancel_button.isVisibleTo(window)
    assert shown == []  # the cancelled count never reached the navigation pane


def test_the_composer_opens_on_the_selected_cases(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.ui.composer import ComposerDialog

    window.table.selectRow(0)
    wait_true(qtbot, lambda: len(window.selected_uuids()) == 1)
    seen: list[list[str]] = []

    def close_it() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ComposerDialog) and w.isVisible())
        qtbot.waitUntil(lambda: len(dialog.case_uuids()) == 1, timeout=5000)
        seen.append(dialog.case_uuids())
        dialog.reject()

    QTimer.singleShot(200, close_it)
    window.compose_brief()
    assert seen == [window.selected_uuids()]
