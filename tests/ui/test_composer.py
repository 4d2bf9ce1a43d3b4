"""The composer dialog builds the export settings from its fields, proposes the issue number per year,
keeps the cases in the order the user gives, previews inside the dialog without touching the history,
exports with progress, and opens or redoes exports from the history (a screenshot goes to build/screens)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.domain.brief import GroupBy, Recipients, Template
from desktop.domain.query import CaseQuery
from desktop.services.briefs import DEFAULT_TITLES, ExportResult
from desktop.services.casebook import Casebook
from desktop.ui import composer
from desktop.ui import settings as opt
from desktop.ui.composer import ComposerDialog
from desktop.ui.fonts import apply_font, register_cjk_font
from desktop.ui.settings import Settings
from desktop.ui.tasks import TaskRunner

SCREENS = Path(__file__).parents[2] / "build" / "screens"
UNIT = "浙江省农业农村厅"
WAIT_MS = 60_000


@dataclass
class Env:
    book: Casebook
    runner: TaskRunner
    dialog: ComposerDialog
    titles: dict[str, str]
    errors: list[BaseException] = field(default_factory=list)


def make_dialog(qtbot: QtBot, env: Env, settings: Settings, uuids: list[str]) -> ComposerDialog:
    dialog = ComposerDialog(env.book, env.runner, settings, uuids)
    qtbot.addWidget(dialog)
    dialog.show()
    env.runner.wait_idle()
    return dialog


@pytest.fixture
def env(qtbot: QtBot, demo_book: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setFont(apply_font(register_cjk_font()))
    errors: list[BaseException] = []
    monkeypatch.setattr(composer, "show_error", lambda _parent, exc, _details="": errors.append(exc))
    settings = Settings.in_file(str(tmp_path / "s.ini"))
    settings.set(opt.BRIEF_UNIT, UNIT)
    hits = demo_book.search.search(CaseQuery("", limit=None)).hits
    titles = {h.uuid: h.title for h in hits}
    runner = TaskRunner()
    dialog = ComposerDialog(demo_book, runner, settings, [h.uuid for h in hits[:3]])
    qtbot.addWidget(dialog)
    dialog.resize(1280, 860)
    dialog.show()
    runner.wait_idle()
    environment = Env(demo_book, runner, dialog, titles, errors)
    try:
        yield environment
        assert errors == []
    finally:
        dialog.reject()
        runner.shutdown()


def pdf_text(path: Path) -> str:
    """The PDF's text, without the white space line breaking puts in."""
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", out)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def export(qtbot: QtBot, env: Env, path: Path) -> ExportResult:
    with qtbot.waitSignal(env.dialog.exported, timeout=WAIT_MS) as blocker:
        assert env.dialog.export_to(path) is not None
    result = blocker.args[0]
    assert isinstance(result, ExportResult)
    env.runner.wait_idle()  # the history and the next issue number follow
    return result


# fields ------------------------------------------------------------------------------------------
def test_initial_cases_are_listed_in_order_with_their_titles(env: Env) -> None:
    d = env.dialog
    uuids = d.case_uuids()
    assert len(uuids) == 3
    assert [d.case_list.item(i).text() for i in range(3)] == [env.titles[u] for u in uuids]
    assert d.cases_box.title().startswith("案例（3 个")


def test_spec_reflects_the_fields(env: Env) -> None:
    d = env.dialog
    assert d.template() == Template.BRIEF
    assert d.unit_edit.text() == UNIT  # from Settings
    d.title_edit.setText("  “片区组团”发展经验  ")
    d.masthead_edit.setText("试点工作简报")
    d.issue_spin.setValue(7)
    d.date_edit.setDate(QDate(2025, 6, 30))
    d.report_edit.setText("省委、省政府")
    d.send_edit.setText("各市农业农村局")
    d.issue_to_edit.setText("各试点县（市、区）")
    d.copies_spin.setValue(60)
    d.note_edit.setPlainText("编者按：各地要认真学习借鉴。")
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

    d.title_edit.clear()
    d.copies_spin.setValue(0)
    assert d.spec().title == DEFAULT_TITLES[Template.BRIEF]  # an empty title takes the default
    assert d.spec().recipients.copies is None  # 不注明

    d.set_template(Template.COLLECTION)
    d.group_combo.setCurrentIndex(d.group_combo.findData(GroupBy.REGION))
    spec = d.spec()
    assert spec.template == Template.COLLECTION
    assert spec.title == DEFAULT_TITLES[Template.COLLECTION]
    assert spec.group_by == GroupBy.REGION
    assert spec.issue_no is None and spec.recipients == Recipients() and spec.editor_note == ""
    assert d.form.isRowVisible(d.group_combo) and not d.form.isRowVisible(d.issue_spin)

    d.set_template(Template.CASE)
    assert d.spec().template == Template.CASE
    assert not d.form.isRowVisible(d.group_combo)


def test_issue_number_is_proposed_per_year(qtbot: QtBot, env: Env) -> None:
    d = env.dialog
    assert d.issue_spin.value() == 1
    assert d.spec().issue_no == 1
    d.issue_spin.setValue(5)
    with qtbot.waitSignal(d.issue_proposed, timeout=5000) as blocker:
        d.date_edit.setDate(QDate(d.issued_on().year - 1, 3, 1))  # another year: proposed again
    assert blocker.args == [1]
    assert d.issue_spin.value() == 1


# cases -------------------------------------------------------------------------------------------
def test_moving_cases_changes_their_order(env: Env) -> None:
    d = env.dialog
    assert d.case_list.dragDropMode() == QAbstractItemView.DragDropMode.InternalMove
    a, b, c = d.case_uuids()
    d.select_cases([2])
    d.move_selected(-1)
    assert d.case_uuids() == [a, c, b]
    d.move_selected(-1)
    assert d.case_uuids() == [c, a, b]
    d.move_selected(-1)  # already first: nothing moves
    assert d.case_uuids() == [c, a, b]
    assert not d.up_button.isEnabled() and d.down_button.isEnabled()
    d.select_cases([0, 1])
    d.down_button.click()
    assert d.case_uuids() == [b, c, a]
    d.select_cases([1])
    d.remove_button.click()
    assert d.case_uuids() == [b, a]


def test_cases_come_from_a_search_or_a_theme_without_duplicates(qtbot: QtBot, env: Env) -> None:
    d = env.dialog
    d.select_cases(list(range(d.case_list.count())))
    d.remove_selected()
    assert d.case_uuids() == []

    with qtbot.waitSignal(d.cases_added, timeout=5000) as blocker:
        d.add_search_results("飞地")
    found = env.book.briefs.choose(query="飞地")
    assert blocker.args == [len(found)] and d.case_uuids() == found
    with qtbot.waitSignal(d.cases_added, timeout=5000) as blocker:
        d.add_search_results("飞地")
    assert blocker.args == [0] and d.case_uuids() == found
    assert d.case_message.text() == "这些案例都已在列表中"

    theme = env.book.catalog.find_theme("（一）")
    in_theme = env.book.briefs.choose(theme_uuid=theme.uuid)
    with qtbot.waitSignal(d.cases_added, timeout=5000):
        d.add_theme_cases(theme.uuid)
    assert d.case_uuids() == found + [u for u in in_theme if u not in found]

    d.add_search_results("没有这样的案例词")
    env.runner.wait_idle()
    assert "没有找到" in d.case_message.text()


def test_no_cases_is_shown_at_the_list(tmp_path: Path, env: Env) -> None:
    d = env.dialog
    d.select_cases(list(range(d.case_list.count())))
    d.remove_selected()
    assert d.export_to(tmp_path / "empty.pdf") is None
    assert d.case_message.isVisible()
    assert d.case_message.text() == "请至少选择一个案例"
    d.add_cases(list(env.titles)[:1])
    env.runner.wait_idle()
    assert d.case_list.count() == 1
    assert not d.case_message.property("error")
    assert not (tmp_path / "empty.pdf").exists()


def test_without_the_pdf_module_export_still_works(
    qtbot: QtBot, env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(composer, "HAS_PDF", False)
    settings = Settings.in_file(str(tmp_path / "other.ini"))
    d = make_dialog(qtbot, env, settings, list(env.titles)[:1])
    try:
        assert d.pdf_view is None
        assert not d.preview_button.isEnabled()
        assert d.export_button.isEnabled()
        assert "PDF 模块" in d.preview_hint.text()
        assert d.unit_edit.text() == ""
    finally:
        d.reject()


def test_default_file_name_comes_from_the_title(env: Env) -> None:
    d = env.dialog
    d.title_edit.setText("关于“飞地/抱团”的做法: 第一辑")
    assert d.default_export_path().name == "关于“飞地_抱团”的做法_ 第一辑.pdf"
    d.title_edit.clear()
    assert d.default_export_path().name == DEFAULT_TITLES[Template.BRIEF] + ".pdf"


# preview, export, history --------------------------------------------------------------------------
def test_preview_shows_the_pdf_in_the_dialog_and_stays_out_of_the_history(qtbot: QtBot, env: Env) -> None:
    d = env.dialog
    d.title_edit.setText("片区组团发展典型做法")
    d.note_edit.setPlainText("这几个地方的做法各有特色，供各地学习借鉴。")
    d.report_edit.setText("省委农办")
    d.copies_spin.setValue(40)
    with qtbot.waitSignal(d.preview_ready, timeout=WAIT_MS) as blocker:
        d.preview_button.click()
    assert composer.HAS_PDF and d.pdf_document is not None
    assert d.pdf_document.status() == composer.QPdfDocument.Status.Ready
    assert d.pdf_document.pageCount() > 0 and blocker.args == [d.pdf_document.pageCount()]
    assert d.preview_stack.currentWidget() is d.pdf_view
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
    d.title_edit.setText("千万工程试点工作简报")
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
    assert d.history_table.rowCount() == 1
    cells = [d.history_table.item(0, c).text() for c in range(6)]
    assert cells[1:] == [
        "工作简报",
        "千万工程试点工作简报",
        f"{d.issued_on().year}年第1期",
        str(history[0].pages),
        out.name,
    ]

    box = d.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert str(out.resolve()) in box.text()
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    open_button = next(b for b in box.buttons() if b.text() == "打开")
    open_button.click()
    assert opened == [QUrl.fromLocalFile(str(out.resolve()))]


def test_a_collection_export_sets_every_title(qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    d = env.dialog
    d.add_cases(list(env.titles))
    env.runner.wait_idle()
    d.set_template(Template.COLLECTION)
    d.title_edit.setText("共富路上的好做法")
    out = tmp_path / "汇编.pdf"
    result = export(qtbot, env, out)
    text = pdf_text(out)
    assert "共富路上的好做法" in text
    for uuid in d.case_uuids():
        assert squeeze(env.titles[uuid]) in text
    assert result.record.issue_no is None
    assert d.issue_spin.value() == 1  # a collection takes no issue number


def test_history_opens_and_redoes_an_export(qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    d = env.dialog
    out = tmp_path / "brief.pdf"
    first = export(qtbot, env, out)
    out.write_bytes(b"not a pdf any more")

    d.tabs.setCurrentIndex(1)
    d.history_table.selectRow(0)
    assert d.open_button.isEnabled() and d.redo_button.isEnabled()
    with qtbot.waitSignal(d.exported, timeout=WAIT_MS) as blocker:
        assert d.redo_selected() is not None
    again = blocker.args[0]
    env.runner.wait_idle()
    assert again.record.file_path == first.record.file_path
    assert again.record.issue_no == first.record.issue_no  # the same settings
    assert out.read_bytes().startswith(b"%PDF")
    assert squeeze(env.titles[d.case_uuids()[0]]) in pdf_text(out)
    assert d.history_table.rowCount() == 2

    out.unlink()
    d.refresh_history()
    env.runner.wait_idle()
    d.history_table.selectRow(0)
    d.open_selected()
    box = d.message_box
    assert isinstance(box, QMessageBox)
    assert "文件已不在原处" in box.text()


def test_cancel_stops_an_export(qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    d = env.dialog
    d.add_cases(list(env.titles))
    env.runner.wait_idle()
    d.set_template(Template.COLLECTION)
    out = tmp_path / "cancelled.pdf"
    assert d.export_to(out) is not None
    assert d.cancel_button.isVisible() and d.progress_bar.isVisible()
    assert not d.export_button.isEnabled()
    d.cancel_button.click()
    env.runner.wait_idle()
    assert d.status_label.text() == "已取消"
    assert d.export_button.isEnabled() and not d.cancel_button.isVisible()
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    assert env.book.briefs.history() == []


def test_the_same_composition_exports_to_word(qtbot: QtBot, env: Env, tmp_path: Path) -> None:
    from docx import Document

    d = env.dialog
    d.set_template(Template.COLLECTION)
    d.title_edit.setText("典型案例汇编（修改稿）")
    out = tmp_path / "汇编.docx"
    with qtbot.waitSignal(d.word_exported, timeout=WAIT_MS) as blocker:
        assert d.export_word_to(out) is not None
    assert blocker.args[0].path == out and blocker.args[0].cases == len(d.case_uuids())
    document = Document(str(out))
    assert document.core_properties.title == "典型案例汇编（修改稿）"
    case_headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert len(case_headings) == len(d.case_uuids())
    assert d.word_button.isEnabled() and d.export_button.isEnabled()
