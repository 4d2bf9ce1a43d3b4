"""The composer dialog builds the export settings from its fields, proposes the issue number per year,
keeps the cases in the order the user gives, previews inside the dialog without touching the history,
exports with progress, and opens or redoes exports from the history (a screenshot goes to build/screens)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.domain.brief import GroupBy, Recipients, Template
from desktop.domain.query import CaseQuery
from desktop.services.briefs import DEFAULT_TITLES, ExportResult
from desktop.services.casebook import Casebook
from desktop.ui import composer
from desktop.ui import settings as opt
from desktop.ui.composer import ComposerDialog
from desktop.ui.operations import Operations
from desktop.ui.settings import Settings
from tests.ui.user import active_modal, click, click_index, press, replace_text, type_text

SCREENS = Path(__file__).parents[2] / "build" / "screens"
UNIT = "浙江省农业农村厅"
WAIT_MS = 60_000


class SaveAs:
    """The system's save dialog, answered with the paths a test gives (nothing chosen when none is left)."""

    def __init__(self) -> None:
        self.answers: list[Path] = []
        self.asked: list[str] = []

    def __call__(self, _parent: QWidget, caption: str, suggested: str, file_filter: str) -> tuple[str, str]:
        self.asked.append(suggested)
        return (str(self.answers.pop(0)), file_filter) if self.answers else ("", "")


@dataclass
class Env:
    book: Casebook
    ops: Operations
    dialog: ComposerDialog
    titles: dict[str, str]
    save_as: SaveAs
    errors: list[BaseException] = field(default_factory=list)


def make_dialog(qtbot: QtBot, ops: Operations, settings: Settings, uuids: list[str]) -> ComposerDialog:
    dialog = ComposerDialog(ops, settings, uuids)
    qtbot.addWidget(dialog)
    dialog.resize(1280, 860)
    dialog.show()
    ops.workers.wait_idle()
    return dialog


@pytest.fixture
def env(qtbot: QtBot, demo_ops: Operations, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    errors: list[BaseException] = []
    monkeypatch.setattr(composer, "show_error", lambda _parent, exc, _details="": errors.append(exc))
    demo_ops.workers.failed.connect(lambda exc, _details: errors.append(exc))
    save_as = SaveAs()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    settings = Settings.in_file(str(tmp_path / "s.ini"))
    settings.set(opt.BRIEF_UNIT, UNIT)
    book = demo_ops.book
    hits = book.search.search(CaseQuery("", limit=None)).hits
    titles = {h.uuid: h.title for h in hits}
    dialog = make_dialog(qtbot, demo_ops, settings, [h.uuid for h in hits[:3]])
    try:
        yield Env(book, demo_ops, dialog, titles, save_as, errors)
        demo_ops.workers.wait_idle()
        assert errors == []
    finally:
        dialog.reject()


def pdf_text(path: Path) -> str:
    """The PDF's text, without the white space line breaking puts in."""
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", out)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# what the user does ------------------------------------------------------------------------------
def pick(qtbot: QtBot, combo: QComboBox, data: object) -> None:
    """Choose the item of a combo box holding ``data`` with the arrow keys."""
    target = combo.findData(data)
    assert target >= 0, data
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        press(qtbot, combo, key)


def row(view: QAbstractItemView, n: int) -> QModelIndex:
    return view.model().index(n, 0)


def select_all_cases(qtbot: QtBot, d: ComposerDialog) -> None:
    click_index(qtbot, d.case_list, row(d.case_list, 0))
    press(qtbot, d.case_list, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)


def remove_all_cases(qtbot: QtBot, d: ComposerDialog) -> None:
    select_all_cases(qtbot, d)
    press(qtbot, d.case_list, Qt.Key.Key_Delete)  # 移除所选
    assert d.case_uuids() == []


def when_modal(cls: type[QDialog], act: Callable[[QDialog], None]) -> None:
    """Once a modal dialog of ``cls`` is up (a dialog that blocks until answered), answer it with ``act``."""
    tries = [0]

    def look() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, cls) and widget.isVisible():
            act(widget)
        elif tries[0] < 500:
            tries[0] += 1
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)


def search_for(qtbot: QtBot, d: ComposerDialog, words: str) -> None:
    """添加检索结果…: type the words into the question and press Enter."""

    def answer(dialog: QDialog) -> None:
        field_ = dialog.findChild(QLineEdit)
        assert field_ is not None
        type_text(qtbot, field_, words)
        QTest.keyClick(field_, Qt.Key.Key_Return)

    when_modal(QInputDialog, answer)
    click(qtbot, d.add_search_button)


def add_theme(qtbot: QtBot, d: ComposerDialog, label: str) -> None:
    """添加主题…: choose the theme in the question with the arrow keys and press Enter."""

    def answer(dialog: QDialog) -> None:
        combo = dialog.findChild(QComboBox)
        assert combo is not None
        target = next(i for i in range(combo.count()) if combo.itemText(i).strip().startswith(label))
        while combo.currentIndex() != target:
            press(qtbot, combo, Qt.Key.Key_Down)
        QTest.keyClick(combo, Qt.Key.Key_Return)

    when_modal(QInputDialog, answer)
    click(qtbot, d.add_theme_button)


def close_message(qtbot: QtBot, d: ComposerDialog) -> None:
    """Close the message an export left open over the dialog."""
    box = d.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    roles = {box.buttonRole(b): b for b in box.buttons()}
    click(qtbot, roles.get(QMessageBox.ButtonRole.RejectRole) or box.buttons()[0])
    assert not box.isVisible()


def export(qtbot: QtBot, env: Env, path: Path) -> ExportResult:
    """导出…, the save dialog answered with ``path``; waits for the three steps and what follows."""
    env.save_as.answers.append(path)
    with qtbot.waitSignal(env.dialog.exported, timeout=WAIT_MS) as blocker:
        click(qtbot, env.dialog.export_button)
    result = blocker.args[0]
    assert isinstance(result, ExportResult)
    env.ops.workers.wait_idle()  # the history and the next issue number follow
    return result


# fields ------------------------------------------------------------------------------------------
def test_initial_cases_are_listed_in_order_with_their_titles(env: Env) -> None:
    d = env.dialog
    uuids = d.case_uuids()
    assert len(uuids) == 3
    assert [d.case_list.item(i).text() for i in range(3)] == [env.titles[u] for u in uuids]
    assert d.cases_box.title().startswith("案例（3 个")


def test_spec_reflects_the_fields(qtbot: QtBot, env: Env) -> None:
    d = env.dialog
    assert d.template() == Template.BRIEF
    assert d.unit_edit.text() == UNIT  # from Settings
    type_text(qtbot, d.title_edit, "  “片区组团”发展经验  ")
    replace_text(qtbot, d.masthead_edit, "试点工作简报")
    replace_text(qtbot, d.issue_spin, "7")
    replace_text(qtbot, d.date_edit, "2025-06-30")
    type_text(qtbot, d.report_edit, "省委、省政府")
    type_text(qtbot, d.send_edit, "各市农业农村局")
    type_text(qtbot, d.issue_to_edit, "各试点县（市、区）")
    replace_text(qtbot, d.copies_spin, "60")
    type_text(qtbot, d.note_edit, "编者按：各地要认真学习借鉴。")
    spec = d.spec()
    assert spec.template == Template.BRIEF
    assert spec.title == "“片区组团”发展经验"
    assert spec.masthead == "试点工作简报"
    assert spec.issue_no == 7
    assert spec.year == 2025
    assert spec.issued_on == date(2025, 6, 30)
    assert spec.unit == UNIT
    assert spec.editor_note == "编者按：各地要认真学习借鉴。"
    assert spec.recipients == Recipients("省委、省政府", "各市农业农村局", "各试点县（市、区）", 60)

    replace_text(qtbot, d.title_edit, "")
    replace_text(qtbot, d.copies_spin, "0")
    assert d.spec().title == ""  # a brief without a title prints only its masthead
    assert d.spec().recipients.copies is None  # 不注明

    pick(qtbot, d.template_combo, Template.COLLECTION)
    pick(qtbot, d.group_combo, GroupBy.REGION)
    spec = d.spec()
    assert spec.template == Template.COLLECTION
    assert spec.title == DEFAULT_TITLES[Template.COLLECTION]
    assert spec.group_by == GroupBy.REGION
    assert spec.issue_no is None and spec.recipients == Recipients() and spec.editor_note == ""
    assert d.form.isRowVisible(d.group_combo) and not d.form.isRowVisible(d.issue_spin)
    assert d.group_combo.isVisible() and not d.issue_spin.isVisible()

    pick(qtbot, d.template_combo, Template.CASE)
    assert d.spec().template == Template.CASE
    assert not d.form.isRowVisible(d.group_combo)


def test_issue_number_is_proposed_per_year(qtbot: QtBot, env: Env) -> None:
    d = env.dialog
    assert d.issue_spin.value() == 1
    assert d.spec().issue_no == 1
    replace_text(qtbot, d.issue_spin, "5")
    assert d.issue_spin.value() == 5
    year = d.issued_on().year
    with qtbot.waitSignal(d.issue_proposed, timeout=5000) as blocker:
        replace_text(qtbot, d.date_edit, f"{year - 1}-03-01")  # another year: proposed again
    assert d.issued_on() == date(year - 1, 3, 1)
    assert blocker.args == [1]
    assert d.issue_spin.value() == 1


# cases -------------------------------------------------------------------------------------------
def test_moving_cases_changes_their_order(qtbot: QtBot, env: Env) -> None:
    d = env.dialog
    assert d.case_list.dragDropMode() == QAbstractItemView.DragDropMode.InternalMove
    a, b, c = d.case_uuids()
    click_index(qtbot, d.case_list, row(d.case_list, 2))
    click(qtbot, d.up_button)
    assert d.case_uuids() == [a, c, b]
    click(qtbot, d.up_button)
    assert d.case_uuids() == [c, a, b]
    assert not d.up_button.isEnabled() and d.down_button.isEnabled()
    qtbot.mouseClick(d.up_button, Qt.MouseButton.LeftButton)  # already first: nothing moves
    assert d.case_uuids() == [c, a, b]
    click_index(qtbot, d.case_list, row(d.case_list, 0))
    press(qtbot, d.case_list, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # rows 0 and 1
    click(qtbot, d.down_button)
    assert d.case_uuids() == [b, c, a]
    click_index(qtbot, d.case_list, row(d.case_list, 1))
    click(qtbot, d.remove_button)
    assert d.case_uuids() == [b, a]


def test_cases_come_from_a_search_or_a_theme_without_duplicates(qtbot: QtBot, env: Env) -> None:
    d = env.dialog
    remove_all_cases(qtbot, d)

    with qtbot.waitSignal(d.cases_added, timeout=5000) as blocker:
        search_for(qtbot, d, "飞地")
    found = env.book.briefs.choose(query="飞地")
    assert blocker.args == [len(found)] and d.case_uuids() == found
    with qtbot.waitSignal(d.cases_added, timeout=5000) as blocker:
        search_for(qtbot, d, "飞地")
    assert blocker.args == [0] and d.case_uuids() == found
    assert d.case_message.text() == "这些案例都已在列表中"

    theme = env.book.catalog.find_theme("（一）")
    in_theme = env.book.briefs.choose(theme_uuid=theme.uuid)
    with qtbot.waitSignal(d.cases_added, timeout=5000):
        add_theme(qtbot, d, f"{theme.code} {theme.name}")
    assert d.case_uuids() == found + [u for u in in_theme if u not in found]

    search_for(qtbot, d, "没有这样的案例词")
    env.ops.workers.wait_idle()
    assert "没有找到" in d.case_message.text()


def test_no_cases_is_shown_at_the_list(qtbot: QtBot, tmp_path: Path, env: Env) -> None:
    d = env.dialog
    remove_all_cases(qtbot, d)
    env.save_as.answers.append(tmp_path / "empty.pdf")
    click(qtbot, d.export_button)
    env.ops.workers.wait_idle()
    assert env.save_as.asked == []  # no save dialog without cases
    assert d.case_message.isVisible()
    assert d.case_message.text() == "请至少选择一个案例"
    d.add_cases(list(env.titles)[:1])
    env.ops.workers.wait_idle()
    assert d.case_list.count() == 1
    assert not d.case_message.property("error")
    assert not (tmp_path / "empty.pdf").exists()
    assert env.book.briefs.history() == []


def test_without_the_pdf_module_export_still_works(
    qtbot: QtBot, env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(composer, "HAS_PDF", False)
    settings = Settings.in_file(str(tmp_path / "other.ini"))
    d = make_dialog(qtbot, env.ops, settings, list(env.titles)[:1])
    try:
        assert d.pdf_view is None
        assert not d.preview_button.isEnabled()
        assert d.export_button.isEnabled()
        assert "PDF 模块" in d.preview_hint.text()
        assert d.unit_edit.text() == ""
    finally:
        d.reject()


def test_default_file_name_comes_from_the_title(qtbot: QtBot, env: Env) -> None:
    d = env.dialog
    type_text(qtbot, d.title_edit, "关于“飞地/抱团”的做法: 第一辑")
    assert d.default_export_path().name == "关于“飞地_抱团”的做法_ 第一辑.pdf"
    click(qtbot, d.export_button)  # the save dialog suggests that name; choosing nothing exports nothing
    assert [Path(s).name for s in env.save_as.asked] == ["关于“飞地_抱团”的做法_ 第一辑.pdf"]
    replace_text(qtbot, d.title_edit, "")
    assert d.default_export_path().name == "千万工程试点工作简报.pdf"  # three cases: the brief's masthead
    env.ops.workers.wait_idle()
    assert env.book.briefs.history() == []


# preview, export, history --------------------------------------------------------------------------
def test_preview_shows_the_pdf_in_the_dialog_and_stays_out_of_the_history(qtbot: QtBot, env: Env) -> None:
    d = env.dialog
    type_text(qtbot, d.title_edit, "片区组团发展典型做法")
    type_text(qtbot, d.note_edit, "这几个地方的做法各有特色，供各地学习借鉴。")
    type_text(qtbot, d.report_edit, "省委农办")
    replace_text(qtbot, d.copies_spin, "40")
    with qtbot.waitSignal(d.preview_ready, timeout=WAIT_MS) as blocker:
        click(qtbot, d.preview_button)
    assert composer.HAS_PDF and d.pdf_document is not None
    assert d.pdf_document.status() == composer.QPdfDocument.Status.Ready
    assert d.pdf_document.pageCount() > 0 and blocker.args == [d.pdf_document.pageCount()]
    assert d.preview_stack.currentWidget() is d.pdf_view
    env.ops.workers.wait_idle()
    assert env.book.briefs.history() == []
    assert d.issue_spin.value() == 1  # a preview takes no issue number

    qtbot.wait(300)  # let the view paint its pages
    SCREENS.mkdir(parents=True, exist_ok=True)
    assert d.grab().save(str(SCREENS / "composer.png"))


def test_export_writes_the_pdf_records_it_and_takes_the_next_issue_number(
    qtbot: QtBot, env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = env.dialog
    assert d.issue_spin.value() == 1
    type_text(qtbot, d.title_edit, "千万工程试点工作简报")
    out = tmp_path / "简报 第1期.pdf"
    result = export(qtbot, env, out)
    assert out.is_file() and result.record.file_path == out.resolve()
    text = pdf_text(out)
    for uuid in d.case_uuids():
        assert squeeze(env.titles[uuid]) in text
    assert result.record.issue_no == 1 and result.record.case_uuids == tuple(d.case_uuids())
    assert d.issue_spin.value() == 2  # the next issue of the year
    assert d.status_label.text() == f"已导出：{out.name}"
    assert not d.progress_bar.isVisible()

    history = env.book.briefs.history()
    assert len(history) == 1
    assert history[0].file_path == out.resolve() and history[0].issue_no == 1
    assert d.history_table.rowCount() == 1
    cells = [d.history_table.item(0, c).text() for c in range(6)]
    assert cells[1:] == [
        "工作简报",
        "千万工程试点工作简报",
        f"{d.issued_on().year}年第1期",
        str(history[0].pages),
        out.name,
    ]

    box = active_modal(qtbot, QMessageBox)
    assert box is d.message_box and box.isVisible()
    assert isinstance(box, QMessageBox) and str(out.resolve()) in box.text()
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    open_button = next(b for b in box.buttons() if b.text() == "打开")
    click(qtbot, open_button)
    assert opened == [QUrl.fromLocalFile(str(out.resolve()))]


def test_a_collection_export_sets_every_title(qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    d = env.dialog
    d.add_cases(list(env.titles))
    env.ops.workers.wait_idle()
    pick(qtbot, d.template_combo, Template.COLLECTION)
    type_text(qtbot, d.title_edit, "共富路上的好做法")
    out = tmp_path / "汇编.pdf"
    result = export(qtbot, env, out)
    text = pdf_text(out)
    assert "共富路上的好做法" in text
    for uuid in d.case_uuids():
        assert squeeze(env.titles[uuid]) in text
    assert result.record.issue_no is None
    assert [r.title for r in env.book.briefs.history()] == ["共富路上的好做法"]
    assert d.issue_spin.value() == 1  # a collection takes no issue number


def test_history_opens_and_redoes_an_export(qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    d = env.dialog
    out = tmp_path / "brief.pdf"
    first = export(qtbot, env, out)
    close_message(qtbot, d)
    out.write_bytes(b"not a pdf any more")

    tab_bar = d.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(1).center())  # 导出记录
    assert d.tabs.currentIndex() == 1
    click_index(qtbot, d.history_table, d.history_table.model().index(0, 2))
    assert d.open_button.isEnabled() and d.redo_button.isEnabled()
    with qtbot.waitSignal(d.exported, timeout=WAIT_MS) as blocker:
        click(qtbot, d.redo_button)
    again = blocker.args[0]
    env.ops.workers.wait_idle()
    assert again.record.file_path == first.record.file_path
    assert again.record.issue_no == first.record.issue_no  # the same settings
    assert out.read_bytes().startswith(b"%PDF")
    assert squeeze(env.titles[d.case_uuids()[0]]) in pdf_text(out)
    assert d.history_table.rowCount() == 2
    assert len(env.book.briefs.history()) == 2
    close_message(qtbot, d)

    out.unlink()
    click(qtbot, d.refresh_button)
    env.ops.workers.wait_idle()
    click_index(qtbot, d.history_table, d.history_table.model().index(0, 2))
    click(qtbot, d.open_button)
    box = active_modal(qtbot, QMessageBox)
    assert box is d.message_box
    assert isinstance(box, QMessageBox)
    assert "文件已不在原处" in box.text()


def test_cancel_stops_an_export(qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    d = env.dialog
    d.add_cases(list(env.titles))
    env.ops.workers.wait_idle()
    pick(qtbot, d.template_combo, Template.COLLECTION)
    out = tmp_path / "cancelled.pdf"
    env.save_as.answers.append(out)
    click(qtbot, d.export_button)
    assert d.cancel_button.isVisible() and d.progress_bar.isVisible()
    assert not d.export_button.isEnabled()
    click(qtbot, d.cancel_button)
    env.ops.workers.wait_idle()
    assert d.status_label.text() == "已取消"
    assert d.export_button.isEnabled() and not d.cancel_button.isVisible()
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    assert env.book.briefs.history() == []
    assert d.history_table.rowCount() == 0


def test_the_same_composition_exports_to_word(qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    from docx import Document

    d = env.dialog
    pick(qtbot, d.template_combo, Template.COLLECTION)
    type_text(qtbot, d.title_edit, "典型案例汇编（修改稿）")
    out = tmp_path / "汇编.docx"
    env.save_as.answers.append(out)
    with qtbot.waitSignal(d.word_exported, timeout=WAIT_MS) as blocker:
        click(qtbot, d.word_button)
    assert blocker.args[0].path == out and blocker.args[0].cases == len(d.case_uuids())
    document = Document(str(out))
    assert document.core_properties.title == "典型案例汇编（修改稿）"
    case_headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert len(case_headings) == len(d.case_uuids())
    assert d.word_button.isEnabled() and d.export_button.isEnabled()
    env.ops.workers.wait_idle()
    assert env.book.briefs.history() == []  # a Word document is not entered in the export history
