"""The composer of briefs and case collections: choose the template, fill in title, 期号, unit, date,
recipients and 编者按, put the cases in order, look at a preview inside the dialog, export the PDF
with progress and cancel, and open or redo earlier exports from the export history.

The dialog only gathers the fields into a ``BriefSpec`` and shows what comes back. An export goes in
three steps, each on its lane (see ``desktop.ui.tasks``): the records are read, the PDF is set from
them without touching the library, and the export is entered in the history as an operation.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import shiboken6
from PySide6.QtCore import QDate, QPointF, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.brief import BriefSpec, GroupBy, Recipients, Template
from desktop.domain.records import ModelCase, Theme
from desktop.services.briefs import (
    DEFAULT_TITLES,
    ExportRecord,
    ExportResult,
    PreparedBrief,
    RenderedBrief,
)
from desktop.services.casebook import Casebook
from desktop.services.processes import render_docx, render_pdf
from desktop.ui import settings as opt
from desktop.ui.errors import show_error
from desktop.ui.operations import Operations
from desktop.ui.settings import Settings
from desktop.ui.tasks import Job, Lane
from desktop.ui.widgets import ERROR_RED

if TYPE_CHECKING:
    from desktop.services.documents import WordReport

try:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    HAS_PDF = True
except ImportError:  # the PDF module comes with PySide6-Addons; without it there is no preview
    HAS_PDF = False

#: The role holding a case's UUID on the items of the case list.
UUID_ROLE = Qt.ItemDataRole.UserRole
#: The masthead (报头) a brief gets unless the user names it otherwise.
DEFAULT_MASTHEAD = BriefSpec().masthead
#: Characters a file name may not hold on Windows (and control characters).
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


class _Rendering(NamedTuple):
    """A job for the render process: a function of ``desktop.services.processes`` and its arguments."""

    fn: Callable[..., Any]
    args: tuple[Any, ...]


class ComposerDialog(QDialog):
    """Compose a brief, a case collection or a one-case sheet from chosen cases and export it as PDF."""

    #: The next issue number of the date's year arrived and is in the 期号 field.
    issue_proposed = Signal(int)
    #: Cases were added to the list (after their titles were loaded).
    cases_added = Signal(int)
    #: A preview was loaded into the preview pane (its number of pages).
    preview_ready = Signal(int)
    #: An export (or a redo from the history) was written.
    exported = Signal(object)
    #: A Word document was written (its ``WordReport``).
    word_exported = Signal(object)
    #: The export history was (re)loaded.
    history_loaded = Signal()

    def __init__(
        self,
        ops: Operations,
        settings: Settings,
        initial_case_uuids: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.settings = settings
        self._job: Job | None = None
        self._jobs: dict[int, Job] = {}
        self._issue_generation = 0
        self._issue_year: int | None = None
        self._records: list[ExportRecord] = []
        self._last_folder: Path | None = None
        self._preview_dir: tempfile.TemporaryDirectory[str] | None = None
        self._preview_file: Path | None = None
        self._preview_numbers = count(1)
        self.message_box: QMessageBox | None = None

        self.setWindowTitle(self.tr("编排简报"))
        self.setSizeGripEnabled(True)
        self.resize(1280, 860)
        self._build()
        self.ops.workers.progress.connect(self._progress)
        self._template_changed()
        self.propose_issue_no()
        self.add_cases(initial_case_uuids)
        self.refresh_history()

    # construction ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_compose_page(), self.tr("编排"))
        self.tabs.addTab(self._build_history_page(), self.tr("导出记录"))

        self.status_label = QLabel()
        self.status_label.setAccessibleName(self.tr("状态"))
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(240)
        self.progress_bar.setAccessibleName(self.tr("进度"))
        self.progress_bar.hide()
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setToolTip(self.tr("停止正在进行的预览或导出"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        self.preview_button = QPushButton(self.tr("预览"))
        self.preview_button.setToolTip(self.tr("在右侧查看排好的 PDF，不保存、不记入导出记录"))
        self.preview_button.setAutoDefault(False)
        self.preview_button.setEnabled(HAS_PDF)
        self.preview_button.clicked.connect(self.preview)
        self.export_button = QPushButton(self.tr("导出…"))
        self.export_button.setToolTip(self.tr("选择保存位置，导出 PDF 并记入导出记录"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.word_button = QPushButton(self.tr("导出 Word…"))
        self.word_button.setToolTip(self.tr("按同样的版式和结构导出 Word 文档，便于修改后再印发"))
        self.word_button.setAutoDefault(False)
        self.word_button.clicked.connect(self.export_word)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)

        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.progress_bar)
        bottom.addWidget(self.cancel_button)
        bottom.addSpacing(12)
        bottom.addWidget(self.preview_button)
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.word_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

    def _build_compose_page(self) -> QWidget:
        self.template_combo = QComboBox()
        for template, label in (
            (Template.BRIEF, self.tr("工作简报")),
            (Template.COLLECTION, self.tr("典型案例汇编")),
            (Template.CASE, self.tr("案例单页")),
        ):
            self.template_combo.addItem(label, template)
        self.masthead_edit = QLineEdit(DEFAULT_MASTHEAD)
        self.masthead_edit.setToolTip(self.tr("首页红色大字的简报名称"))
        self.title_edit = QLineEdit()
        self.issue_spin = QSpinBox()
        self.issue_spin.setRange(0, 9999)
        self.issue_spin.setSpecialValueText(self.tr("自动"))
        self.issue_spin.setPrefix(self.tr("第 "))
        self.issue_spin.setSuffix(self.tr(" 期"))
        self.issue_spin.setToolTip(self.tr("按年编号；自动给出本年的下一期，可以改"))
        self.unit_edit = QLineEdit(self.settings.get(opt.BRIEF_UNIT))
        self.unit_edit.setPlaceholderText(self.tr("如：浙江省农业农村厅"))
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.report_edit = QLineEdit()
        self.send_edit = QLineEdit()
        self.issue_to_edit = QLineEdit()
        self.copies_spin = QSpinBox()
        self.copies_spin.setRange(0, 99999)
        self.copies_spin.setSpecialValueText(self.tr("不注明"))
        self.copies_spin.setSuffix(self.tr(" 份"))
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(self.tr("可不填；印在正文之前"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.group_combo = QComboBox()
        for group, label in (
            (GroupBy.THEME, self.tr("按主题")),
            (GroupBy.REGION, self.tr("按地区")),
            (GroupBy.MODEL_TYPE, self.tr("按模式类型")),
            (GroupBy.NONE, self.tr("不分组")),
        ):
            self.group_combo.addItem(label, group)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, widget in (
            (self.tr("模板"), self.template_combo),
            (self.tr("报头"), self.masthead_edit),
            (self.tr("标题"), self.title_edit),
            (self.tr("期号"), self.issue_spin),
            (self.tr("编印单位"), self.unit_edit),
            (self.tr("日期"), self.date_edit),
            (self.tr("报"), self.report_edit),
            (self.tr("送"), self.send_edit),
            (self.tr("发"), self.issue_to_edit),
            (self.tr("共印份数"), self.copies_spin),
            (self.tr("编者按"), self.note_edit),
            (self.tr("分组"), self.group_combo),
        ):
            widget.setAccessibleName(label)
            self.form.addRow(label, widget)
        settings_box = QGroupBox(self.tr("简报设置"))
        settings_box.setLayout(self.form)

        self.case_list = QListWidget()
        self.case_list.setAccessibleName(self.tr("入选案例"))
        self.case_list.setToolTip(self.tr("拖动可调整顺序"))
        self.case_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.case_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.case_list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.case_list.setAlternatingRowColors(True)
        self.case_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.case_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.case_list.setMinimumHeight(self.fontMetrics().lineSpacing() * 8)
        remove_action = QAction(self.tr("移除所选"), self.case_list)
        remove_action.setShortcut(QKeySequence.StandardKey.Delete)
        remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove_action.triggered.connect(self.remove_selected)
        self.case_list.addAction(remove_action)
        model = self.case_list.model()
        for signal in (model.rowsInserted, model.rowsRemoved, model.rowsMoved):
            signal.connect(self._case_list_changed)
        self.case_list.itemSelectionChanged.connect(self._case_selection_changed)

        self.add_search_button = QPushButton(self.tr("添加检索结果…"))
        self.add_search_button.clicked.connect(self.ask_search)
        self.add_theme_button = QPushButton(self.tr("添加主题…"))
        self.add_theme_button.clicked.connect(self.ask_theme)
        self.remove_button = QPushButton(self.tr("移除所选"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button = QPushButton(self.tr("上移"))
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton(self.tr("下移"))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        case_buttons = QVBoxLayout()
        for button in (self.add_search_button, self.add_theme_button):
            button.setAutoDefault(False)
            case_buttons.addWidget(button)
        case_buttons.addSpacing(8)
        for button in (self.remove_button, self.up_button, self.down_button):
            button.setAutoDefault(False)
            case_buttons.addWidget(button)
        case_buttons.addStretch(1)
        self.case_message = QLabel()
        self.case_message.setWordWrap(True)
        self.case_message.setAccessibleName(self.tr("案例提示"))
        self.case_message.hide()
        cases_row = QHBoxLayout()
        cases_row.addWidget(self.case_list, 1)
        cases_row.addLayout(case_buttons)
        self.cases_box = QGroupBox()
        cases_layout = QVBoxLayout(self.cases_box)
        cases_layout.addLayout(cases_row, 1)
        cases_layout.addWidget(self.case_message)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addWidget(settings_box)
        left_layout.addWidget(self.cases_box, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(left)
        scroll.setMinimumWidth(left.sizeHint().width() + 24)

        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(scroll)
        self.splitter.addWidget(self._build_preview_box())
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 760])

        self.template_combo.currentIndexChanged.connect(self._template_changed)
        self.date_edit.dateChanged.connect(self._date_changed)
        self._case_list_changed()
        self._case_selection_changed()
        return self.splitter

    def _build_preview_box(self) -> QWidget:
        self.preview_hint = QLabel()
        self.preview_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_hint.setWordWrap(True)
        self.preview_hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.preview_stack = QStackedWidget()
        self.preview_stack.addWidget(self.preview_hint)
        self.pdf_document: QPdfDocument | None = None
        self.pdf_view: QPdfView | None = None
        if HAS_PDF:
            self.preview_hint.setText(self.tr("点「预览」在这里查看排好的 PDF"))
            self.pdf_document = QPdfDocument(self)
            self.pdf_view = QPdfView()
            self.pdf_view.setAccessibleName(self.tr("PDF 预览"))
            self.pdf_view.setDocument(self.pdf_document)
            self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.pdf_view.setPageSpacing(12)
            self.preview_stack.addWidget(self.pdf_view)
        else:
            self.preview_hint.setText(
                self.tr("预览需要 PDF 模块（PySide6-Addons），本机没有安装，无法在此预览。\n仍可直接导出 PDF。")
            )
        self.preview_info = QLabel()
        self.preview_info.setAccessibleName(self.tr("预览页数"))
        box = QGroupBox(self.tr("预览"))
        layout = QVBoxLayout(box)
        layout.addWidget(self.preview_stack, 1)
        layout.addWidget(self.preview_info)
        return box

    def _build_history_page(self) -> QWidget:
        self.history_table = QTableWidget(0, 6)
        self.history_table.setAccessibleName(self.tr("导出记录"))
        self.history_table.setHorizontalHeaderLabels(
            [self.tr("导出时间"), self.tr("模板"), self.tr("标题"), self.tr("期号"), self.tr("页数"), self.tr("文件")]
        )
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history_table.setAlternatingRowColors(True)
        self.history_table.setWordWrap(False)
        self.history_table.verticalHeader().hide()
        header = self.history_table.horizontalHeader()
        for column in range(6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(5, 320)
        self.history_table.itemSelectionChanged.connect(self._history_selection_changed)
        self.history_table.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.open_button = QPushButton(self.tr("打开"))
        self.open_button.setToolTip(self.tr("用系统的 PDF 阅读器打开这份文件"))
        self.open_button.clicked.connect(self.open_selected)
        self.redo_button = QPushButton(self.tr("按原设置重新导出"))
        self.redo_button.setToolTip(self.tr("用当时的设置和案例重新生成，覆盖原文件"))
        self.redo_button.clicked.connect(self.redo_selected)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.clicked.connect(self.refresh_history)
        self.history_empty = QLabel(self.tr("还没有导出过简报。"))
        buttons = QHBoxLayout()
        for button in (self.open_button, self.redo_button, self.refresh_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.history_table, 1)
        layout.addWidget(self.history_empty)
        layout.addLayout(buttons)
        self._history_selection_changed()
        return page

    # the fields ------------------------------------------------------------------------------
    def template(self) -> Template:
        """The chosen template."""
        return Template(self.template_combo.currentData())

    def set_template(self, template: Template) -> None:
        """Choose a template (the fields it has no use for are hidden)."""
        self.template_combo.setCurrentIndex(self.template_combo.findData(template))

    def issued_on(self) -> date:
        """The date of the brief."""
        d = self.date_edit.date()
        return date(d.year(), d.month(), d.day())

    def spec(self) -> BriefSpec:
        """The export settings as the fields show them; fields the template hides are left out."""
        template = self.template()
        brief = template == Template.BRIEF
        issued_on = self.issued_on()
        return BriefSpec(
            template=template,
            title=self.title_edit.text().strip() or DEFAULT_TITLES[template],
            masthead=(self.masthead_edit.text().strip() or DEFAULT_MASTHEAD) if brief else DEFAULT_MASTHEAD,
            issue_no=(self.issue_spin.value() or None) if brief else None,
            year=issued_on.year,
            unit=self.unit_edit.text().strip(),
            issued_on=issued_on,
            editor_note=self.note_edit.toPlainText().strip() if brief else "",
            recipients=(
                Recipients(
                    report_to=self.report_edit.text().strip(),
                    send_to=self.send_edit.text().strip(),
                    issue_to=self.issue_to_edit.text().strip(),
                    copies=self.copies_spin.value() or None,
                )
                if brief
                else Recipients()
            ),
            group_by=GroupBy(self.group_combo.currentData()) if template == Template.COLLECTION else GroupBy.THEME,
        )

    def _template_changed(self, *_args: Any) -> None:
        template = self.template()
        brief = template == Template.BRIEF
        for widget in (
            self.masthead_edit,
            self.issue_spin,
            self.report_edit,
            self.send_edit,
            self.issue_to_edit,
            self.copies_spin,
            self.note_edit,
        ):
            self.form.setRowVisible(widget, brief)
        self.form.setRowVisible(self.group_combo, template == Template.COLLECTION)
        default_title = DEFAULT_TITLES[template]
        if default_title:
            hint = self.tr("不填则用「{title}」").format(title=default_title)
        elif brief:
            hint = self.tr("不填则只印报头（只有一个案例时印案例标题）")
        else:
            hint = self.tr("不填则用案例标题")
        self.title_edit.setPlaceholderText(hint)

    def _date_changed(self, *_args: Any) -> None:
        if self.date_edit.date().year() != self._issue_year:
            self.propose_issue_no()

    def propose_issue_no(self) -> None:
        """Fetch the next issue number of the date's year into the 期号 field."""
        year = self.issued_on().year
        self._issue_year = year
        self._issue_generation += 1
        generation = self._issue_generation

        def proposed(number: int) -> None:
            if generation == self._issue_generation:
                self.issue_spin.setValue(number)
                self.issue_proposed.emit(number)

        self._run(Lane.READ, lambda book, _job: book.briefs.next_issue_no(year), proposed, label=self.tr("期号"))

    # the cases -------------------------------------------------------------------------------
    def case_uuids(self) -> list[str]:
        """The chosen cases, in the order of the list."""
        return [str(self.case_list.item(row).data(UUID_ROLE)) for row in range(self.case_list.count())]

    def add_cases(self, uuids: Sequence[str]) -> None:
        """Append the cases (those not in the list yet) once their titles are loaded."""
        present = set(self.case_uuids())
        wanted = [u for u in dict.fromkeys(uuids) if u not in present]
        if not wanted:
            return
        self._run(
            Lane.READ, lambda book, _job: book.cases.get_many(wanted), self._append_cases, label=self.tr("读取案例")
        )

    def add_search_results(self, query: str) -> None:
        """Append the cases a search finds (an empty query finds every case)."""

        def find(book: Casebook, _job: Job) -> list[ModelCase]:
            return book.cases.get_many(book.briefs.choose(query=query))

        def found(cases: list[ModelCase]) -> None:
            if not cases:
                self._say(self.tr("没有找到与「{q}」相符的案例").format(q=query), error=True)
                return
            self._append_cases(cases)

        self._run(Lane.READ, find, found, label=self.tr("检索"))

    def add_theme_cases(self, theme_uuid: str) -> None:
        """Append the cases filed under a theme."""

        def find(book: Casebook, _job: Job) -> list[ModelCase]:
            return book.cases.get_many(book.briefs.choose(theme_uuid=theme_uuid))

        def found(cases: list[ModelCase]) -> None:
            if not cases:
                self._say(self.tr("这个主题下还没有案例"), error=True)
                return
            self._append_cases(cases)

        self._run(Lane.READ, find, found, label=self.tr("读取主题"))

    def ask_search(self) -> None:
        """添加检索结果…: ask for search words and add what they find."""
        query, ok = QInputDialog.getText(
            self, self.tr("添加检索结果"), self.tr("检索词（多个词用空格分隔；不填则加入全部案例）：")
        )
        if ok:
            self.add_search_results(query.strip())

    def ask_theme(self) -> None:
        """添加主题…: pick a theme and add its cases."""

        def chosen(themes: list[Theme]) -> None:
            if not themes:
                self._say(self.tr("案例库中还没有主题"), error=True)
                return
            depth: dict[str, int] = {}
            labels: list[str] = []
            for theme in themes:
                depth[theme.uuid] = depth.get(theme.parent_uuid, -1) + 1 if theme.parent_uuid else 0
                name = f"{theme.code} {theme.name}".strip()
                labels.append("　" * depth[theme.uuid] + name)
            label, ok = QInputDialog.getItem(
                self, self.tr("添加主题"), self.tr("加入这个主题下的全部案例："), labels, 0, False
            )
            if ok and label in labels:
                self.add_theme_cases(themes[labels.index(label)].uuid)

        self._run(Lane.READ, lambda book, _job: book.catalog.themes(), chosen, label=self.tr("读取主题"))

    def _append_cases(self, cases: Sequence[ModelCase]) -> None:
        present = set(self.case_uuids())
        added = 0
        for case in cases:
            if case.uuid in present:
                continue
            present.add(case.uuid)
            item = QListWidgetItem(case.title)
            item.setData(UUID_ROLE, case.uuid)
            places = "、".join(p.name for p in case.places)
            item.setToolTip("\n".join(t for t in (case.title, case.subtitle, places) if t))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
            self.case_list.addItem(item)
            added += 1
        if added:
            self._say(self.tr("加入了 %n 个案例", "", added))
        elif cases:
            self._say(self.tr("这些案例都已在列表中"))
        self.cases_added.emit(added)

    def remove_selected(self) -> None:
        """Take the selected cases off the list."""
        for row in sorted((self.case_list.row(i) for i in self.case_list.selectedItems()), reverse=True):
            self.case_list.takeItem(row)

    def move_selected(self, step: int) -> None:
        """Move the selected cases one place up (``step`` -1) or down (+1), as the buttons do."""
        rows = sorted(self.case_list.row(i) for i in self.case_list.selectedItems())
        if not rows or step == 0:
            return
        last = self.case_list.count() - 1
        if (step < 0 and rows[0] + step < 0) or (step > 0 and rows[-1] + step > last):
            return
        moved = []
        for row in rows if step < 0 else reversed(rows):
            item = self.case_list.takeItem(row)
            self.case_list.insertItem(row + step, item)
            moved.append(item)
        self.case_list.clearSelection()
        for item in moved:
            item.setSelected(True)
        self.case_list.setCurrentItem(moved[-1] if step > 0 else moved[0])

    def select_cases(self, rows: Sequence[int]) -> None:
        """Select the cases in these rows of the list."""
        self.case_list.clearSelection()
        for row in rows:
            self.case_list.item(row).setSelected(True)

    def _case_list_changed(self, *_args: Any) -> None:
        n = self.case_list.count()
        self.cases_box.setTitle(self.tr("案例（%n 个，拖动调整顺序）", "", n))
        if n and self.case_message.property("error"):
            self._say("")
        self._case_selection_changed()

    def _case_selection_changed(self) -> None:
        rows = sorted(self.case_list.row(i) for i in self.case_list.selectedItems())
        self.remove_button.setEnabled(bool(rows))
        self.up_button.setEnabled(bool(rows) and rows[0] > 0)
        self.down_button.setEnabled(bool(rows) and rows[-1] < self.case_list.count() - 1)

    def _say(self, text: str, *, error: bool = False) -> None:
        """A note under the case list; errors in red."""
        self.case_message.setText(text)
        self.case_message.setProperty("error", error)
        self.case_message.setStyleSheet(f"color: {ERROR_RED};" if error else "")
        self.case_message.setVisible(bool(text))

    def validate(self) -> bool:
        """Whether the dialog can export; shows the problem at its field otherwise."""
        if not self.case_list.count():
            self._say(self.tr("请至少选择一个案例"), error=True)
            self.tabs.setCurrentIndex(0)
            self.case_list.setFocus()
            return False
        return True

    # preview ---------------------------------------------------------------------------------
    def preview(self) -> None:
        """Set the PDF into a temporary file (rendered in the helper process) and show it in the preview pane."""
        if not HAS_PDF or self._job is not None or not self.validate():
            return
        spec, uuids, fonts = self.spec(), self.case_uuids(), self.settings.brief_fonts()
        if self._preview_dir is None:
            self._preview_dir = tempfile.TemporaryDirectory(prefix="casebook-preview-")
        out = Path(self._preview_dir.name) / f"preview-{next(self._preview_numbers)}.pdf"
        label = self.tr("正在排版预览")

        def prepared(brief: PreparedBrief) -> None:
            render = _Rendering(render_pdf, (brief, out, fonts))
            self._continue(Lane.WORK, render, lambda pdf: self._show_preview(pdf.path), label)

        self._start(Lane.READ, lambda book, _job: book.briefs.prepare(spec, uuids), prepared, label, cancellable=True)

    def _show_preview(self, path: Path) -> None:
        assert self.pdf_document is not None and self.pdf_view is not None
        old = self._preview_file
        self.pdf_document.close()
        self.pdf_document.load(str(path))
        self._preview_file = path
        if old is not None and old != path:
            old.unlink(missing_ok=True)
        if self.pdf_document.status() != QPdfDocument.Status.Ready:
            self._finish(self.tr("预览无法显示"))
            self.preview_stack.setCurrentWidget(self.preview_hint)
            return
        pages = self.pdf_document.pageCount()
        self.preview_stack.setCurrentWidget(self.pdf_view)
        self.pdf_view.pageNavigator().jump(0, QPointF(0, 0))
        self.preview_info.setText(self.tr("共 %n 页（预览不保存，也不记入导出记录）", "", pages))
        self._finish(self.tr("预览已更新"))
        self.preview_ready.emit(pages)

    # export ----------------------------------------------------------------------------------
    def default_export_path(self) -> Path:
        """Where the save dialog starts: the last export's folder, and a file named after the title."""
        title = self.title_edit.text().strip() or DEFAULT_TITLES[self.template()]
        if not title and self.template() == Template.BRIEF and self.case_list.count() != 1:
            title = self.masthead_edit.text().strip() or DEFAULT_MASTHEAD
        if not title and self.case_list.count():
            title = self.case_list.item(0).text()
        name = _UNSAFE_FILE_CHARS.sub("_", title).strip(" .") or self.tr("简报")
        folder = self._last_folder
        if folder is None or not folder.is_dir():
            folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
        return folder / f"{name[:120]}.pdf"

    def export(self) -> None:
        """导出…: ask where to save, then export."""
        if self._job is not None or not self.validate():
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("导出 PDF"), str(self.default_export_path()), self.tr("PDF 文件 (*.pdf)")
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self.export_to(path)

    def export_to(self, path: Path) -> Job | None:
        """Export the PDF to ``path`` in the background (with progress and cancel) and record it in the history."""
        if self._job is not None or not self.validate():
            return None
        return self._export_pdf(self.spec(), self.case_uuids(), path, self.tr("正在导出 PDF"))

    def _export_pdf(self, spec: BriefSpec, uuids: Sequence[str], path: Path, label: str) -> Job:
        """Read the records, set the PDF from them on the work lane, then record the export."""
        fonts = self.settings.brief_fonts()

        def prepared(brief: PreparedBrief) -> None:
            render = _Rendering(render_pdf, (brief, path, fonts, True))  # moved into place as it is recorded

            def rendered(pdf: RenderedBrief) -> None:
                self._continue(Lane.WRITE, lambda book, _job: book.briefs.record(brief, pdf), self._exported, label)

            self._continue(Lane.WORK, render, rendered, label)

        return self._start(
            Lane.READ, lambda book, _job: book.briefs.prepare(spec, uuids), prepared, label, cancellable=True
        )

    def export_word(self) -> None:
        """导出 Word…: the same template, settings and cases as a .docx, for offices that edit first."""
        if self._job is not None or not self.validate():
            return
        suggested = self.default_export_path().with_suffix(".docx")
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("导出 Word"), str(suggested), self.tr("Word 文档 (*.docx)")
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != ".docx":
            path = path.with_name(path.name + ".docx")
        self.export_word_to(path)

    def export_word_to(self, path: Path) -> Job | None:
        """Write the Word document to ``path`` in the background."""
        if self._job is not None or not self.validate():
            return None
        spec, uuids = self.spec(), self.case_uuids()
        label = self.tr("正在导出 Word")

        def done(report: WordReport) -> None:
            self._last_folder = report.path.parent
            self._finish(self.tr("已导出：{name}").format(name=report.path.name))
            text = self.tr("已导出 Word 文档：\n{path}").format(path=report.path)
            icon = QMessageBox.Icon.Warning if report.warnings else QMessageBox.Icon.Information
            box = self._message(self.tr("导出完成"), text, icon, "\n".join(report.warnings))
            open_button = box.addButton(self.tr("打开"), QMessageBox.ButtonRole.AcceptRole)
            box.addButton(self.tr("关闭"), QMessageBox.ButtonRole.RejectRole)
            box.buttonClicked.connect(lambda b: self.open_file(report.path) if b is open_button else None)
            box.open()
            self.word_exported.emit(report)

        def prepared(brief: PreparedBrief) -> None:
            self._continue(Lane.WORK, _Rendering(render_docx, (brief, path)), done, label)

        return self._start(Lane.READ, lambda book, _job: book.briefs.prepare(spec, uuids), prepared, label)

    def _exported(self, result: ExportResult) -> None:
        record = result.record
        self._last_folder = record.file_path.parent
        self._finish(self.tr("已导出：{name}").format(name=record.file_path.name))
        self.refresh_history()
        self.propose_issue_no()
        text = self.tr("已导出 %n 页：", "", record.pages) + "\n" + str(record.file_path)
        details = ""
        icon = QMessageBox.Icon.Information
        if result.unset_characters:
            chars = "、".join(sorted(result.unset_characters))
            details = self.tr(
                "以下 %n 个字符没有任何字体能排印，PDF 中缺了它们：\n{chars}\n"
                "请改用常见写法，或在系统中安装含这些字的字体后重新导出。",
                "",
                len(result.unset_characters),
            ).format(chars=chars)
            icon = QMessageBox.Icon.Warning
        box = self._message(self.tr("导出完成"), text, icon, details)
        open_button = box.addButton(self.tr("打开"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("关闭"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_button)
        path = record.file_path
        box.buttonClicked.connect(lambda button: self.open_file(path) if button is open_button else None)
        box.open()
        self.exported.emit(result)

    def open_file(self, path: Path) -> bool:
        """Open an exported file with the system's program; a message if it is gone or cannot be opened."""
        if not path.is_file():
            self._inform(
                self.tr("打开"),
                self.tr("文件已不在原处：\n{path}\n可以用「按原设置重新导出」重新生成。").format(path=path),
                QMessageBox.Icon.Information,
            )
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self._inform(
                self.tr("打开"),
                self.tr("没有能打开此文件的程序：\n{path}").format(path=path),
                QMessageBox.Icon.Warning,
            )
            return False
        return True

    def _message(self, title: str, text: str, icon: QMessageBox.Icon, details: str = "") -> QMessageBox:
        if self.message_box is not None and shiboken6.isValid(self.message_box):
            self.message_box.close()
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, self)
        if details:
            box.setInformativeText(details)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        return box

    def _inform(self, title: str, text: str, icon: QMessageBox.Icon) -> QMessageBox:
        box = self._message(title, text, icon)
        box.addButton(QMessageBox.StandardButton.Ok)
        box.open()
        return box

    # history ---------------------------------------------------------------------------------
    def refresh_history(self) -> None:
        """Reload the export history on the read lane."""

        def load(book: Casebook, _job: Job) -> list[tuple[ExportRecord, bool]]:
            return [(r, r.file_path.is_file()) for r in book.briefs.history()]

        self._run(Lane.READ, load, self._show_history, label=self.tr("读取导出记录"))

    def _show_history(self, rows: list[tuple[ExportRecord, bool]]) -> None:
        selected = self.selected_record()
        table = self.history_table
        table.setRowCount(0)
        self._records = [r for r, _exists in rows]
        names = {
            Template.BRIEF: self.tr("工作简报"),
            Template.COLLECTION: self.tr("典型案例汇编"),
            Template.CASE: self.tr("案例单页"),
        }
        table.setRowCount(len(rows))
        for row, (record, exists) in enumerate(rows):
            issue = (
                self.tr("{year}年第{n}期").format(year=record.year, n=record.issue_no)
                if record.issue_no is not None
                else ""
            )
            cells = (
                record.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                names[record.template],
                record.title,
                issue,
                str(record.pages),
                record.file_path.name,
            )
            items = [QTableWidgetItem(text) for text in cells]
            items[4].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, item in enumerate(items):
                table.setItem(row, column, item)
            file_item = items[5]
            file_item.setToolTip(
                str(record.file_path) if exists else self.tr("文件已不在原处：") + str(record.file_path)
            )
            if not exists:
                font = file_item.font()
                font.setStrikeOut(True)
                file_item.setFont(font)
            if selected is not None and record.uuid == selected.uuid:
                table.selectRow(row)
        if rows and self._last_folder is None:
            self._last_folder = rows[0][0].file_path.parent
        self.history_empty.setVisible(not rows)
        self._history_selection_changed()
        self.history_loaded.emit()

    def selected_record(self) -> ExportRecord | None:
        """The export chosen in the history table."""
        rows = self.history_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._records):
            return None
        return self._records[rows[0].row()]

    def _history_selection_changed(self) -> None:
        chosen = self.selected_record() is not None
        self.open_button.setEnabled(chosen)
        self.redo_button.setEnabled(chosen and self._job is None)

    def open_selected(self) -> None:
        """打开: open the chosen export's file."""
        record = self.selected_record()
        if record is not None:
            self.open_file(record.file_path)

    def redo_selected(self) -> Job | None:
        """按原设置重新导出: the chosen export again, with its settings and cases, to its file."""
        record = self.selected_record()
        if record is None or self._job is not None:
            return None
        return self._export_pdf(record.spec, record.case_uuids, record.file_path, self.tr("正在重新导出"))

    # background work -------------------------------------------------------------------------
    def _run(
        self,
        lane: Lane,
        fn: Callable[..., Any] | _Rendering,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException, str], None] | None = None,
        *,
        label: str,
    ) -> Job:
        """Run ``fn`` on ``lane`` (``fn(book, job)`` for reads and writes, ``fn(job)`` or a ``_Rendering``
        for work); its answer reaches this dialog only while the dialog lives."""
        holder: list[Job] = []

        def done(result: Any) -> None:
            self._jobs.pop(holder[0].id, None)
            if shiboken6.isValid(self):
                on_done(result)

        def failed(exc: BaseException, details: str) -> None:
            self._jobs.pop(holder[0].id, None)
            if holder[0].cancelled or not shiboken6.isValid(self):
                return
            (on_error or self._failed)(exc, details)

        if isinstance(fn, _Rendering):
            job = self.ops.render(label, fn.fn, fn.args, done, failed)
        elif lane == Lane.READ:
            job = self.ops.read(label, fn, done, failed)
        elif lane == Lane.WORK:
            job = self.ops.work(label, fn, done, failed)
        else:
            job = self.ops.write(label, fn, done, failed, initiator=self)
        holder.append(job)
        self._jobs[job.id] = job
        return job

    def _start(
        self,
        lane: Lane,
        fn: Callable[..., Any] | _Rendering,
        on_done: Callable[[Any], None],
        label: str,
        *,
        cancellable: bool = False,
    ) -> Job:
        """Run a long job (preview, export): progress bar, buttons off, cancel where it can stop."""
        job = self._run(lane, fn, on_done, self._failed, label=label)
        self._job = job
        self.status_label.setText(label)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.cancel_button.setVisible(cancellable)
        for button in (self.preview_button, self.export_button, self.word_button, self.redo_button):
            button.setEnabled(False)
        return job

    def _continue(
        self, lane: Lane, fn: Callable[..., Any] | _Rendering, on_done: Callable[[Any], None], label: str
    ) -> Job:
        """The next step of the long job in progress (its cancel button now stops this step)."""
        self._job = self._run(lane, fn, on_done, self._failed, label=label)
        return self._job

    def _finish(self, text: str = "") -> None:
        self._job = None
        self.progress_bar.hide()
        self.cancel_button.hide()
        self.status_label.setText(text)
        self.preview_button.setEnabled(HAS_PDF)
        self.export_button.setEnabled(True)
        self.word_button.setEnabled(True)
        self._history_selection_changed()

    def _failed(self, exc: BaseException, details: str) -> None:
        self._finish(self.tr("未能完成"))
        show_error(self, exc, details)

    def _progress(self, job_id: int, done: int, total: int, _text: str) -> None:
        if self._job is not None and job_id == self._job.id:
            self.progress_bar.setRange(0, max(total, 1))
            self.progress_bar.setValue(done)

    def cancel(self) -> None:
        """Stop the running preview or export (a partial file never replaces an earlier one)."""
        if self._job is not None:
            self._job.cancel()
            self._finish(self.tr("已取消"))

    def done(self, result: int) -> None:
        """Closing stops the dialog's jobs and removes its preview files."""
        for job in list(self._jobs.values()):
            job.cancel()
        self._jobs.clear()
        self._job = None
        if self.pdf_document is not None:
            self.pdf_document.close()
        if self._preview_dir is not None:
            self._preview_dir.cleanup()
            self._preview_dir = None
            self._preview_file = None
        super().done(result)
