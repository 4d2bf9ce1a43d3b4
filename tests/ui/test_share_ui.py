"""Sharing from the window, offscreen on real libraries: the import preview with a conflict decided
by the user, the export dialog, an export of the current list, and the 文件 menu."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QRadioButton
from pytestqt.qtbot import QtBot

from desktop.cli import _bundle_as_gui_import
from desktop.services.casebook import Casebook
from desktop.services.context import Editor
from desktop.services.sharing import Outcome, Resolution
from desktop.ui.fonts import register_cjk_font
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings
from desktop.ui.share_dialogs import ExportChoice, ExportDialog
from tests.ui.user import active_modal, button, click, click_index, find_row, shortcut, type_text, wait

SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens"


def by_shortcut(qtbot: QtBot, window: MainWindow, key: Qt.Key) -> None:
    """Press Ctrl+``key`` in the window (made the active window first, as the user's is)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    shortcut(qtbot, window, key, Qt.KeyboardModifier.ControlModifier)


def import_by_shortcut(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Ctrl+I, the system's open dialog answered with ``path``."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_args: (str(path), ""))
    by_shortcut(qtbot, window, Qt.Key.Key_I)


def radio(dialog: QDialog, name: str) -> QRadioButton:
    """The export dialog's radio button of that object name."""
    found = dialog.findChild(QRadioButton, name)
    assert isinstance(found, QRadioButton), name
    return found


def when_modal(cls: type[QDialog], act: Callable[[QDialog], None]) -> None:
    """Once a modal dialog of ``cls`` is up (one that blocks until answered), answer it with ``act``."""
    tries = [0]

    def look() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, cls) and widget.isVisible():
            act(widget)
        elif tries[0] < 500:
            tries[0] += 1
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)


@pytest.fixture
def window(qtbot: QtBot, demo_book: Casebook, tmp_path: Path) -> Iterator[MainWindow]:
    family = register_cjk_font()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    if family:
        font = app.font()
        font.setFamily(family)
        app.setFont(font)
    w = MainWindow(demo_book, Settings.in_file(str(tmp_path / "settings.ini")))
    qtbot.addWidget(w)
    w.resize(1400, 860)
    w.show()
    qtbot.waitUntil(lambda: w.model.rowCount() == 9, timeout=5000)
    yield w
    w.editor.flush()
    w.workers.shutdown()


@pytest.fixture
def city(tmp_path: Path) -> Iterator[Casebook]:
    book = Casebook.open(tmp_path / "city.sqlite", create=True, editor=Editor("李四", "杭州市农业农村局"))
    try:
        yield book
    finally:
        book.close()


def test_import_preview_shows_the_conflict_and_imports_once_it_is_decided(
    qtbot: QtBot, window: MainWindow, city: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    county = window.book
    uuids = county.briefs.choose(everything=True)
    county.share.export(tmp_path / "up.casebook", uuids)
    city.share.apply(city.share.preview(tmp_path / "up.casebook"))
    edited, both = uuids[0], uuids[1]
    city.cases.update(replace(city.cases.get(edited), lessons="市里补充的启示"))
    city.cases.update(replace(city.cases.get(both), lessons="市里的版本"))
    county.cases.update(replace(county.cases.get(both), lessons="县里的版本"))
    city.share.export(tmp_path / "down.casebook", uuids)

    import_by_shortcut(qtbot, window, monkeypatch, tmp_path / "down.casebook")
    qtbot.waitUntil(lambda: window.import_preview is not None and window.import_preview.isVisible(), timeout=10000)
    dialog = window.import_preview
    assert dialog is not None
    assert "更新 1 条" in dialog.summary.text() and "冲突 1 条" in dialog.summary.text()
    assert "杭州市农业农村局" in dialog.windowTitle() or "down.casebook" in dialog.windowTitle()
    assert not dialog.import_button.isEnabled()
    assert "冲突未决定" in dialog.hint.text()
    visible = [r for r in range(dialog.table.rowCount()) if not dialog.table.isRowHidden(r)]
    assert len(visible) == 2  # the conflict and the update; unchanged rows are hidden
    SCREENS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SCREENS / "import_preview.png"))

    click(qtbot, button(dialog, "采用对方"))  # 全部冲突：采用对方
    assert dialog.decisions() == {both: Resolution.THEIRS}
    assert dialog.import_button.isEnabled()
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: window.last_import is not None, timeout=10000)
    assert window.last_import is not None and window.last_import.updated == 2
    assert county.cases.get(edited).lessons == "市里补充的启示"
    assert county.cases.get(both).lessons == "市里的版本"
    # the editor of an imported case says where it came from
    said = active_modal(qtbot, QMessageBox)  # what the import did, said in a message
    assert isinstance(said, QMessageBox) and "更新 2 条" in said.text()
    click(qtbot, said.button(QMessageBox.StandardButton.Ok))
    title = county.cases.get(edited).title
    wait(qtbot, lambda: any(window.model.index(r, 0).data() == title for r in range(window.model.rowCount())))
    click_index(qtbot, window.table, find_row(window.table, title, starts=False))
    wait(qtbot, lambda: window.editor.current_uuid == edited)
    qtbot.waitUntil(lambda: "来源" in window.editor.meta.text(), timeout=5000)
    assert "杭州市农业农村局" in window.editor.meta.text()


def test_a_bundle_with_nothing_new_cannot_be_imported_again(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "self.casebook"
    window.book.share.export(out, window.book.briefs.choose(everything=True))
    import_by_shortcut(qtbot, window, monkeypatch, out)
    qtbot.waitUntil(lambda: window.import_preview is not None and window.import_preview.isVisible(), timeout=10000)
    dialog = window.import_preview
    assert dialog is not None
    assert all(r.outcome == Outcome.UNCHANGED for r in dialog.plan.records)
    assert not dialog.import_button.isEnabled()
    assert "无需导入" in dialog.hint.text()
    click(qtbot, button(dialog, "取消"))
    assert not dialog.isVisible()
    window.workers.wait_idle()
    assert window.last_import is None


def test_a_broken_bundle_is_explained_and_nothing_is_imported(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("desktop.ui.operations.show_error", lambda _parent, exc, _details: shown.append(str(exc)))
    bad = tmp_path / "坏的.casebook"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    import_by_shortcut(qtbot, window, monkeypatch, bad)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "坏的.casebook" in shown[0] and "不是有效的案例包" in shown[0]
    assert window.import_preview is None


def test_export_dialog_offers_the_selection_the_list_and_everything(qtbot: QtBot, window: MainWindow) -> None:
    dialog = ExportDialog(0, 9, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not radio(dialog, "scope-selection").isEnabled()
    assert dialog.choice() == ExportChoice("list", "casebook")
    click(qtbot, radio(dialog, "format-xlsx"))
    assert dialog.choice() == ExportChoice("list", "xlsx")
    SCREENS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SCREENS / "export_dialog.png"))


def test_exporting_the_current_list_writes_exactly_those_cases(
    qtbot: QtBot, window: MainWindow, city: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    type_text(qtbot, window.search_box, "飞地")
    qtbot.waitUntil(lambda: window.model.rowCount() == window.total and 0 < window.total < 9, timeout=5000)
    listed = window.total
    out = tmp_path / "飞地.casebook"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(out), ""))

    def export_the_list(dialog: QDialog) -> None:
        assert isinstance(dialog, ExportDialog)
        click(qtbot, radio(dialog, "scope-list"))
        click(qtbot, radio(dialog, "format-casebook"))
        assert dialog.choice() == ExportChoice("list", "casebook")
        click(qtbot, button(dialog, "导出…"))

    when_modal(ExportDialog, export_the_list)
    by_shortcut(qtbot, window, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=10000)
    assert out.exists() and "已导出到" in window.last_export
    plan = city.share.preview(out)
    assert plan.count(Outcome.NEW) == listed
    assert plan.manifest.selection == f"当前列表的 {listed} 个案例"


def test_the_file_menu_holds_import_export_and_the_template(window: MainWindow) -> None:
    texts = [a.text() for a in window.file_menu.actions() if a.text()]
    assert texts[:3] == ["导入…", "导出…", "Excel 案例模板…"]
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert window.export_action.shortcut().toString() == "Ctrl+E"


def test_a_bundle_given_alone_on_the_command_line_opens_the_import_preview() -> None:
    assert _bundle_as_gui_import(["D:/收件/淳安县.casebook"]) == ["gui", "--import", "D:/收件/淳安县.casebook"]
    assert _bundle_as_gui_import(["--library", "x.sqlite", "a.CASEBOOK"]) == [
        "--library",
        "x.sqlite",
        "gui",
        "--import",
        "a.CASEBOOK",
    ]
    assert _bundle_as_gui_import(["import", "a.casebook"]) == ["import", "a.casebook"]


def test_an_imported_pilot_says_where_it_came_from(
    qtbot: QtBot, window: MainWindow, city: Casebook, tmp_path: Path
) -> None:
    from desktop.domain.records import PilotSite, Ref

    county = city.regions.find("淳安县")
    pilot = city.pilots.save(PilotSite(name="淳安县共同富裕试点", places=[Ref(county.uuid)])).value
    case = city.cases.get(city.cases.create(case_in_pilot(city, pilot.uuid)).value.uuid)
    city.share.export(tmp_path / "pilot.casebook", [case.uuid])
    window.book.share.apply(window.book.share.preview(tmp_path / "pilot.casebook"))
    window.pilot_editor.load(pilot.uuid)
    qtbot.waitUntil(lambda: window.pilot_editor.origin_label.text().startswith("来源"), timeout=5000)
    assert "杭州市农业农村局" in window.pilot_editor.origin_label.text()
    window.pilot_editor.load(None)
    assert window.pilot_editor.origin_label.isHidden()


def case_in_pilot(book: Casebook, pilot_uuid: str) -> Any:
    from desktop.domain.records import ModelCase, Ref

    return ModelCase(title="试点里的案例", places=[Ref(book.regions.find("淳安县").uuid)], pilot=Ref(pilot_uuid))


def test_a_bundle_dropped_on_the_window_opens_its_preview(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    out = tmp_path / "拖进来.casebook"
    window.book.share.export(out, window.book.briefs.choose(everything=True)[:2])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(out))])
    assert window.importable(mime) == out
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "photo.jpg"))])
    assert window.importable(other) is None
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)
    assert event.isAccepted()
    qtbot.waitUntil(lambda: window.import_preview is not None and window.import_preview.isVisible(), timeout=10000)
    assert window.import_preview is not None and window.import_preview.plan.path == out
