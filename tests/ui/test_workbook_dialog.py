"""The Excel import dialog on a real library: it lists the problems of a filled template, keeps 导入
disabled while any is left, imports the valid rows only after the user confirms, imports a clean file,
and shows a refused file's reason (a screenshot goes to build/screens)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.exchange.workbook import CASE_SHEET, TEMPLATE_COLUMNS
from desktop.services.casebook import Casebook
from desktop.ui import workbook_dialog
from desktop.ui.operations import Operations
from desktop.ui.workbook_dialog import WorkbookImportDialog, import_workbook
from tests.ui.user import active_modal, click

SCREENS = Path(__file__).parents[2] / "build" / "screens"
LETTER = {c.header: chr(ord("A") + i) for i, c in enumerate(TEMPLATE_COLUMNS)}


@pytest.fixture(autouse=True)
def no_unexpected_errors(ops: Operations, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An unexpected error (an error dialog, or a job's failure nobody handled) fails the test."""
    errors: list[BaseException] = []
    monkeypatch.setattr(workbook_dialog, "show_error", lambda _parent, exc, _details="": errors.append(exc))
    ops.workers.failed.connect(lambda exc, _details: errors.append(exc))
    yield
    ops.workers.wait_idle()
    assert errors == []


def filled(book: Casebook, tmp_path: Path, rows: dict[int, dict[str, Any]], name: str = "各县报送.xlsx") -> Path:
    blank = tmp_path / "模板.xlsx"
    book.workbooks.write_template(blank)
    wb = load_workbook(blank)
    ws = wb[CASE_SHEET]
    for number, values in rows.items():
        for header, value in values.items():
            ws[f"{LETTER[header]}{number}"] = value
    out = tmp_path / name
    wb.save(out)
    return out


def row(title: str, **more: Any) -> dict[str, Any]:
    return {"标题": title, "模式类型": "强村公司", "主题": "共富工坊", "地点": "杭州市淳安县", **more}


MIXED = {
    2: row("下姜村强村公司抱团发展"),
    3: row("主题写错了", 主题="共富工坊；不存在的主题"),
    4: row("日期写错了", 报送日期="2025-13-01"),
    5: row("大下姜联合体带动周边村"),
    6: row("公式", 主要做法="=A2&B2"),
}


def open_dialog(qtbot: QtBot, ops: Operations, path: Path) -> WorkbookImportDialog:
    dialog = WorkbookImportDialog(ops, path)
    qtbot.addWidget(dialog)
    dialog.show()
    ops.workers.wait_idle()
    return dialog


def stored_titles(book: Casebook) -> list[str]:
    """The titles of the cases stored in the library, in title order."""
    return sorted(c.title for c in book.cases.get_many(book.briefs.choose(everything=True)))


def choose(qtbot: QtBot, box: QMessageBox, role: QMessageBox.ButtonRole) -> None:
    """Click the button of a question that has ``role``."""
    click(qtbot, next(b for b in box.buttons() if box.buttonRole(b) == role))


def test_problems_are_listed_and_only_valid_rows_are_imported_when_confirmed(
    qtbot: QtBot, book: Casebook, ops: Operations, tmp_path: Path, qtmodeltester: Any
) -> None:
    dialog = open_dialog(qtbot, ops, filled(book, tmp_path, MIXED))
    check = dialog.check_result
    assert check is not None and (check.total_rows, check.valid_rows) == (5, 2)
    model = dialog.model
    qtmodeltester.check(model)
    shown = [tuple(model.index(r, c).data() for c in range(5)) for r in range(model.rowCount())]
    assert shown == [
        ("案例", 3, "D", "主题", "找不到主题“不存在的主题”"),
        ("案例", 4, "N", "报送日期", "“2025-13-01”不是有效日期，请填写如 2025-03-01"),
        ("案例", 6, "H", "主要做法", "单元格含公式，公式不会被计算；请改为直接填写内容"),
    ]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["工作表", "行", "列", "字段", "问题"]
    assert not dialog.import_button.isEnabled()
    assert dialog.valid_only_button.isEnabled() and dialog.copy_button.isEnabled()
    assert "2 行可以导入" in dialog.status_label.text() and "3 行有问题" in dialog.status_label.text()
    assert dialog.detail_label.text() == "工作表“案例”第 3 行 D 列（主题）：找不到主题“不存在的主题”"

    dialog.resize(860, 460)
    SCREENS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SCREENS / "workbook_dialog.png"))

    click(qtbot, dialog.copy_button)
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[0] == "工作表\t行\t列\t字段\t问题"
    assert copied[1] == "案例\t3\tD\t主题\t找不到主题“不存在的主题”"
    assert len(copied) == 4

    # 导入 does nothing while problems are left; 仅导入有效行 asks first, and cancelling the question imports nothing
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)  # disabled: the click does nothing
    assert dialog.start_import(valid_only=False) is None
    ops.workers.wait_idle()
    assert dialog.imported is None and stored_titles(book) == []
    click(qtbot, dialog.valid_only_button)
    box = active_modal(qtbot, QMessageBox)
    assert isinstance(box, QMessageBox) and "2 行有效案例" in box.text() and "跳过 3 行" in box.text()
    choose(qtbot, box, QMessageBox.ButtonRole.RejectRole)
    ops.workers.wait_idle()
    assert dialog.imported is None and dialog.isVisible() and stored_titles(book) == []

    click(qtbot, dialog.valid_only_button)
    box = active_modal(qtbot, QMessageBox)
    assert isinstance(box, QMessageBox)
    with qtbot.waitSignal(dialog.import_done, timeout=30_000):
        choose(qtbot, box, QMessageBox.ButtonRole.AcceptRole)
    assert dialog.result() == WorkbookImportDialog.DialogCode.Accepted
    assert dialog.imported is not None
    assert [c.title for c in book.cases.get_many(dialog.imported)] == [
        "下姜村强村公司抱团发展",
        "大下姜联合体带动周边村",
    ]
    assert dialog.outcome is not None and dialog.outcome.skipped_rows == [3, 4, 6]


def test_a_clean_file_is_imported_with_one_click(qtbot: QtBot, book: Casebook, ops: Operations, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, ops, filled(book, tmp_path, {2: row("一"), 3: row("二")}))
    assert dialog.import_button.isEnabled() and not dialog.valid_only_button.isEnabled()
    assert not dialog.copy_button.isEnabled() and dialog.model.rowCount() == 0
    assert "共 2 行案例，检查通过" in dialog.status_label.text()
    with qtbot.waitSignal(dialog.import_done, timeout=30_000):
        click(qtbot, dialog.import_button)
    assert dialog.imported is not None and len(dialog.imported) == 2
    assert stored_titles(book) == ["一", "二"]
    assert not dialog.isVisible()


def test_a_file_that_is_not_the_template_is_refused_in_the_dialog(
    qtbot: QtBot, ops: Operations, tmp_path: Path
) -> None:
    path = tmp_path / "随便一个文件.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    dialog = open_dialog(qtbot, ops, path)
    assert dialog.check_result is None
    assert dialog.status_label.text().startswith("无法导入“随便一个文件.xlsx”：")
    assert dialog.status_label.property("error") is True
    assert not dialog.import_button.isEnabled() and not dialog.valid_only_button.isEnabled()
    assert dialog.cancel_button.isEnabled()
    click(qtbot, dialog.cancel_button)
    assert dialog.imported is None and not dialog.isVisible()


def _drive(action: str) -> None:
    """Once the modal import dialog has checked its file, press one of its buttons."""
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, WorkbookImportDialog) or dialog.check_result is None:
        QTimer.singleShot(20, lambda: _drive(action))
        return
    target = getattr(dialog, f"{action}_button")
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.rect().center())


def test_import_workbook_returns_the_new_uuids_or_none(book: Casebook, ops: Operations, tmp_path: Path) -> None:
    path = filled(book, tmp_path, {2: row("经对话框导入")})
    QTimer.singleShot(0, lambda: _drive("cancel"))
    assert import_workbook(None, ops, path) is None
    assert stored_titles(book) == []
    QTimer.singleShot(0, lambda: _drive("import"))
    uuids = import_workbook(None, ops, path)
    assert uuids is not None and [c.title for c in book.cases.get_many(uuids)] == ["经对话框导入"]
