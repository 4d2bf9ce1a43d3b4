"""The main window: navigation on the left, the case table with search and filters in the
middle, the selected case's editor on the right; the 督办 list, pilots and the trash share the
middle. Every change goes through ``Operations`` as one service operation; every view refreshes
from the change sets it broadcasts, keeping the user's place. The window only arranges views."""

from __future__ import annotations

import gc
from collections.abc import Callable
from contextlib import suppress
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QMimeData, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.brief import BriefSpec, Template
from desktop.domain.bulk import BulkChange
from desktop.domain.changes import Action, ChangeSet, RecordKind
from desktop.domain.enums import ReviewStatus
from desktop.domain.query import CaseFilters, CaseQuery, CaseSort, fields_deciding
from desktop.domain.records import ModelCase
from desktop.domain.validation import DomainError
from desktop.services.casebook import Casebook
from desktop.services.context import Editor, Op
from desktop.services.overview import Overview
from desktop.services.processes import import_bundle, preview_bundle, render_docx
from desktop.services.sharing import ImportPlan, ImportReport, Resolution
from desktop.ui import navigation as nav
from desktop.ui import settings as opt
from desktop.ui.about_dialog import AboutDialog
from desktop.ui.bulk_dialog import BulkEditDialog
from desktop.ui.case_editor import CaseEditor
from desktop.ui.case_table import PAGE_SIZE, UUID_ROLE, CaseTableModel, Column, HighlightDelegate
from desktop.ui.duban import DueListWidget
from desktop.ui.errors import show_error
from desktop.ui.filter_panel import FilterPanel
from desktop.ui.navigation import NavigationPane
from desktop.ui.operations import Operations
from desktop.ui.pilot_editor import PilotEditor
from desktop.ui.settings import Settings
from desktop.ui.settings_dialog import edit_settings, welcome_if_unknown
from desktop.ui.share_dialogs import ExportChoice, ExportDialog, ImportPreviewDialog, suggested_name
from desktop.ui.tasks import Job, Workers
from desktop.ui.trash_view import TrashView

ROW_HEIGHT = 26
SEARCH_DELAY_MS = 250
#: A new search reads the rest of its list once its first rows are painted (this long after they
#: arrived), or after ``WHOLE_LIST_AFTER_MS`` at the latest.
FIRST_PAINT_MS = 30
WHOLE_LIST_AFTER_MS = 400
#: Case fields the navigation counts depend on.
COUNTED_FIELDS = frozenset({"themes", "places", "model_type", "tags", "review_status", "pilot"})
#: Vocabulary whose names show in case rows and are searched: a rename reaches every row.
SHOWN_VOCABULARY = frozenset({RecordKind.REGION, RecordKind.MODEL_TYPE, RecordKind.TAG, RecordKind.THEME})


class MainWindow(QMainWindow):
    """试点案例库's main window."""

    def __init__(
        self, book: Casebook, settings: Settings, workers: Workers | None = None, *, prepare: bool = False
    ) -> None:
        super().__init__()
        self.book = book
        self.settings = settings
        self.workers = workers or Workers(self)
        self.ops = Operations(book, self.workers, self._editor_from_settings(), self)
        if prepare:
            self.workers.hold()  # nothing reads the library before it is upgraded and indexed
        self._query_generation = 0
        self._shown_query: CaseQuery | None = None
        self._view: tuple[str, str] = (nav.ALL, "")
        self._pending_id: int | None = None
        self._progress_jobs: set[int] = set()
        self._nav_filters = CaseFilters()
        self._sort = CaseSort.RELEVANCE
        self._descending = False
        self._pending_select: str | None = settings.get(opt.LAST_CASE) or None
        self._overview: Overview | None = None
        self._overview_job: Job | None = None
        self._query_job: Job | None = None
        self.total = 0
        self.import_preview: ImportPreviewDialog | None = None
        self.last_import: ImportReport | None = None
        self.last_export = ""

        path = book.library.path
        # the file and its folder: two windows on two libraries are told apart in the taskbar
        folder = path.parent.name or str(path.parent)
        self.setWindowTitle(self.tr("{file}（{folder}）— 试点案例库").format(file=path.name, folder=folder))
        self.setWindowFilePath(str(path))
        self.resize(1440, 880)
        self._build()
        self._build_actions()
        self._restore_layout()
        self.setAcceptDrops(True)  # a share bundle or an Excel template dropped on the window is imported
        self.workers.failed.connect(lambda exc, details: show_error(self, exc, details))
        self.workers.progress.connect(self._progress)
        self.workers.ended.connect(self._job_ended)
        self.ops.changed.connect(self._changed)
        self.ops.history_changed.connect(self._update_undo_actions)
        # The counts of the navigation pane come after the first rows are on screen.
        self._overview_started = False
        self.model.page_loaded.connect(self._start_overview)
        if prepare:
            self._prepare()
        self.run_query()
        self.ops.start_watching()
        self._update_undo_actions()

    def _prepare(self) -> None:
        """Upgrade or re-index the library first, with progress, the window already on screen."""

        def work(book: Casebook, job: Job) -> Op[None]:
            book.prepare(job.stepper())
            return Op(None, ChangeSet())

        def failed(exc: BaseException, details: str) -> None:
            self.workers.release()
            show_error(self, exc, details)

        job = self.ops.write(self.tr("准备案例库"), work, lambda _v: self.workers.release(), failed)
        self.ops.show_progress(job, self.tr("正在准备案例库…"), cancellable=False)

    def _start_overview(self, *_args: Any) -> None:
        if not self._overview_started:
            self._overview_started = True
            self.refresh_overview()
            self.workers.prewarm()  # the first rows are on screen: now the render process may start
            # What start-up built stays for the session: keep it out of the collector's full passes,
            # which otherwise stall the window (and the lanes) for a tenth of a second now and then.
            gc.freeze()

    # construction ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.navigation = NavigationPane()
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.tr("输入任意字词检索（Ctrl+F），多个词用空格分隔，须同时命中"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName(self.tr("检索"))
        self.filter_button = QPushButton(self.tr("筛选"))
        self.filter_button.setCheckable(True)
        self.filter_button.setAccessibleName(self.tr("显示筛选条件"))
        self.save_search_button = QPushButton(self.tr("存为智能分类"))
        self.filters = FilterPanel()
        self.filters.setVisible(False)
        self.count_label = QLabel()
        self.count_label.setAccessibleName(self.tr("检索结果数"))

        self.model = CaseTableModel(self.ops, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("案例列表"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(ROW_HEIGHT)
        vh.hide()
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        for col, width in (
            (Column.TITLE, 320),
            (Column.SNIPPET, 360),
            (Column.PLACES, 170),
            (Column.MODEL_TYPE, 120),
            (Column.STATUS, 72),
            (Column.REPORTED, 96),
        ):
            self.table.setColumnWidth(col, width)
        self.table.setItemDelegateForColumn(Column.SNIPPET, HighlightDelegate(self.table))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)

        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.filter_button)
        top.addWidget(self.save_search_button)
        cases_page = QWidget()
        cases_layout = QVBoxLayout(cases_page)
        cases_layout.setContentsMargins(4, 4, 4, 4)
        cases_layout.addLayout(top)
        cases_layout.addWidget(self.filters)
        cases_layout.addWidget(self.count_label)
        cases_layout.addWidget(self.table, 1)

        self.duban = DueListWidget(self.ops)
        self.pilot_editor = PilotEditor(self.ops)
        self.trash_view = TrashView(self.ops)
        self.center = QStackedWidget()
        for page in (cases_page, self.duban, self.pilot_editor, self.trash_view):
            self.center.addWidget(page)
        self.cases_page = cases_page

        self.editor = CaseEditor(self.ops)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.navigation)
        self.splitter.addWidget(self.center)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([260, 700, 480])
        self.setCentralWidget(self.splitter)

        self.busy = QProgressBar()
        self.busy.setMaximumWidth(180)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.hide()
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.cancel_button.setToolTip(self.tr("停止正在进行的检索或统计"))
        self.cancel_button.clicked.connect(self.cancel_background_work)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_query)
        self._overview_timer = QTimer(self, singleShot=True, interval=400)
        self._overview_timer.timeout.connect(self.refresh_overview)
        self._requery_timer = QTimer(self, singleShot=True, interval=0)
        self._requery_timer.timeout.connect(lambda: self.run_query(keep_place=True))
        self.search_box.textChanged.connect(self._search_timer.start)
        self.filters.filters_changed.connect(self._search_timer.start)
        self.filter_button.toggled.connect(self.filters.setVisible)
        self.save_search_button.clicked.connect(self.save_as_smart_category)
        self.navigation.selected.connect(self._navigate)
        self.navigation.designation_changed.connect(self.refresh_overview)
        self.model.sort_requested.connect(self._sort_requested)
        self.model.modelReset.connect(self._restore_selection)
        self.model.page_loaded.connect(lambda _p: self._restore_selection())
        self.model.rowsInserted.connect(lambda *_a: self._select_pending())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.duban.open_experiment.connect(self._open_experiment)

    def _build_actions(self) -> None:
        bar = QToolBar(self.tr("工具栏"))
        bar.setObjectName("main-toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)

        def action(
            text: str,
            slot: Any,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            *,
            toolbar: bool = True,
        ) -> QAction:
            a = QAction(text, self)
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            a.triggered.connect(slot)
            self.addAction(a)
            if toolbar:
                bar.addAction(a)
            return a

        self.new_action = action(self.tr("新建案例"), self.new_case, QKeySequence.StandardKey.New)
        self.trash_action = action(self.tr("删除"), self.trash_selected, QKeySequence.StandardKey.Delete)
        self.bulk_action = action(self.tr("批量编辑…"), self.bulk_edit, "Ctrl+B")
        self.brief_action = action(self.tr("编排简报…"), self.compose_brief, QKeySequence.StandardKey.Print)
        bar.addSeparator()
        self.undo_action = action(self.tr("撤销"), self.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = action(self.tr("重做"), self.redo)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence(QKeySequence.StandardKey.Redo)])
        bar.addSeparator()
        self.duban_action = action(self.tr("督办"), lambda: self.show_view((nav.DUBAN, "")))
        action(self.tr("新建试点"), self.new_pilot)
        self.settings_action = action(self.tr("设置…"), self.open_settings)
        action(self.tr("检索"), self.focus_search, QKeySequence.StandardKey.Find, toolbar=False)
        action(self.tr("编辑标题"), self.editor.focus_title, "F2", toolbar=False)
        bar.addSeparator()
        self.import_action = action(self.tr("导入…"), self.choose_import, "Ctrl+I")
        self.export_action = action(self.tr("导出…"), self.export_cases, "Ctrl+E")
        self.template_action = action(self.tr("Excel 案例模板…"), self.save_template, toolbar=False)
        self._build_file_menu()
        self._build_help_menu()

    def _build_file_menu(self) -> None:
        self.file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        for a in (self.import_action, self.export_action, self.template_action):
            self.file_menu.addAction(a)
        self.file_menu.addSeparator()
        for a in (self.new_action, self.brief_action):
            self.file_menu.addAction(a)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addSeparator()
        quit_action = self.file_menu.addAction(self.tr("退出"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)

    def _build_help_menu(self) -> None:
        self.help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.about_action = self.help_menu.addAction(self.tr("关于试点案例库…"))
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)

    def show_about(self) -> None:
        """The About dialog: version, library location, licences."""
        AboutDialog(self.book.library.path, self).exec()

    # sharing: share bundles, Excel and Word ---------------------------------------------------
    def _last_folder(self) -> Path:
        folder = Path(self.settings.get(opt.LAST_FOLDER) or Path.home())
        return folder if folder.is_dir() else Path.home()

    def _remember_folder(self, path: Path) -> None:
        self.settings.set(opt.LAST_FOLDER, str(path.parent))

    def _tell(self, title: str, text: str) -> None:
        """Say what a finished import or export did, without blocking the window."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_box = box
        box.open()

    @staticmethod
    def importable(mime: QMimeData) -> Path | None:
        """The one share bundle or Excel template in dragged data, if that is what it holds."""
        paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        if len(paths) == 1 and paths[0].suffix.lower() in (".casebook", ".xlsx"):
            return paths[0]
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.importable(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self.importable(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        QTimer.singleShot(0, lambda: self.import_file(path))  # let the drag end before the preview opens

    def choose_import(self) -> None:
        """Ctrl+I: pick a share bundle or a filled Excel template and import it."""
        name, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("导入"),
            str(self._last_folder()),
            self.tr("案例包或 Excel 案例模板 (*.casebook *.xlsx);;案例包 (*.casebook);;Excel 案例模板 (*.xlsx)"),
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Import a share bundle (preview first) or a filled Excel template."""
        self._remember_folder(path)
        self.editor.flush()
        if path.suffix.lower() == ".xlsx":
            from desktop.ui.workbook_dialog import import_workbook

            import_workbook(self, self.ops, path)
            return
        self.ops.read_apart(
            self.tr("检查案例包"),
            preview_bundle,
            (path,),
            self._show_import_preview,
            initiator=self,
            progress=self.tr("正在检查案例包…"),
        )

    def _show_import_preview(self, plan: ImportPlan) -> None:
        dialog = ImportPreviewDialog(plan, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_import(plan, dialog.decisions()))
        self.import_preview = dialog
        dialog.open()

    def apply_import(self, plan: ImportPlan, decisions: dict[str, Resolution]) -> None:
        """Import a previewed bundle with the conflicts decided: one undoable operation, in one transaction."""

        def done(report: ImportReport) -> None:
            self.last_import = report
            self.statusBar().showMessage(report.summary(), 10000)
            self._tell(self.tr("导入案例包"), report.summary())

        self.ops.write_apart(
            self.tr("导入案例包"), import_bundle, (plan, decisions), done, initiator=self, progress=self.tr("正在导入…")
        )

    def export_cases(self) -> None:
        """Ctrl+E: export the selection, the current list or the whole library as a share bundle,
        an Excel ledger or a Word document."""
        self.editor.flush()
        selected = self.selected_uuids()
        dialog = ExportDialog(len(selected), self.total, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            dialog.deleteLater()
            return
        choice = dialog.choice()
        dialog.deleteLater()
        filters = {
            "casebook": self.tr("案例包 (*.casebook)"),
            "xlsx": self.tr("Excel 工作簿 (*.xlsx)"),
            "docx": self.tr("Word 文档 (*.docx)"),
        }
        suggested = suggested_name(self.ops.editor.unit, choice.fmt, self._last_folder())
        name, _filter = QFileDialog.getSaveFileName(self, self.tr("导出"), str(suggested), filters[choice.fmt])
        if not name:
            return
        out = Path(name)
        if out.suffix.lower() != f".{choice.fmt}":
            out = out.with_name(out.name + f".{choice.fmt}")
        self._remember_folder(out)
        self.export_to(choice, out, selected)

    def export_to(self, choice: ExportChoice, out: Path, selected: list[str]) -> None:
        """Write the chosen cases to ``out``, then say what was written: the records are read on the read
        lane (a bundle and a ledger are written from there), a Word file is set on the work lane, and a
        bundle's record of what was sent goes on the write lane."""
        query = self.current_query()
        scope = {
            "selection": self.tr("选中的 %n 个案例", "", len(selected)),
            "list": self.tr("当前列表的 %n 个案例", "", self.total),
            "all": self.tr("全部案例"),
        }[choice.scope]
        unit = self.settings.get(opt.BRIEF_UNIT) or self.ops.editor.unit
        ledger_done = self.tr("已导出台账 {path}：{n} 个案例")
        word_done = self.tr("已导出 Word 文档 {path}：{n} 个案例")
        title = self.tr("正在导出…")

        def chosen(book: Casebook) -> list[str]:
            if choice.scope == "selection":
                return selected
            if choice.scope == "list":
                return book.search.uuids(query)
            return book.search.uuids(CaseQuery("", CaseFilters(), limit=None))

        def done(text: str) -> None:
            self.last_export = text
            self.statusBar().showMessage(text.splitlines()[0], 10000)
            self._tell(self.tr("导出"), text)

        if choice.fmt == "casebook":
            editor = self.ops.editor

            def bundle(book: Casebook, job: Job) -> Any:
                return book.acting_as(editor).share.write_bundle(
                    out, chosen(book), selection=scope, progress=job.stepper()
                )

            def written(result: Any) -> None:
                self.ops.write(
                    self.tr("记录导出"),
                    lambda book, _job: book.share.remember_export(result),
                    lambda report: done("\n".join([report.summary(), *report.warnings])),
                    initiator=self,
                )

            self.ops.show_progress(self.ops.read(title, bundle, written, initiator=self), title)
        elif choice.fmt == "xlsx":

            def ledger(book: Casebook, job: Job) -> str:
                n = book.workbooks.write_ledger(out, chosen(book), progress=job.reporter(title))
                return ledger_done.format(path=out, n=n)

            self.ops.show_progress(self.ops.read(title, ledger, done, initiator=self), title)
        else:

            def prepare(book: Casebook, _job: Job) -> Any:
                uuids = chosen(book)
                template = Template.CASE if len(uuids) == 1 else Template.COLLECTION
                return book.briefs.prepare(BriefSpec(template=template, unit=unit), uuids)

            def prepared(brief: Any) -> None:
                def written(word: Any) -> None:
                    done("\n".join([word_done.format(path=out, n=word.cases), *word.warnings]))

                self.ops.render(title, render_docx, (brief, out), written, initiator=self, progress=title)

            self.ops.read(title, prepare, prepared, initiator=self)

    def save_template(self) -> None:
        """Write the Excel case template (with this library's themes, places and model types)."""
        suggested = self._last_folder() / self.tr("案例导入模板.xlsx")
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Excel 案例模板"), str(suggested), self.tr("Excel 工作簿 (*.xlsx)")
        )
        if not name:
            return
        out = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
        self._remember_folder(out)

        def done(_result: object) -> None:
            self._tell(
                self.tr("Excel 案例模板"),
                self.tr("已写出模板：{path}\n填好后用“文件 → 导入…”导入。").format(path=out),
            )

        job = self.ops.read(
            self.tr("写出模板"), lambda book, _job: book.workbooks.write_template(out), done, initiator=self
        )
        self.ops.show_progress(job, self.tr("正在写出模板…"))

    # layout persistence ------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        s = self.settings
        if not s.get(opt.GEOMETRY).isEmpty():
            self.restoreGeometry(s.get(opt.GEOMETRY))
        if not s.get(opt.WINDOW_STATE).isEmpty():
            self.restoreState(s.get(opt.WINDOW_STATE))
        if not s.get(opt.SPLITTER).isEmpty():
            self.splitter.restoreState(s.get(opt.SPLITTER))
        if not s.get(opt.TABLE_HEADER).isEmpty():
            self.table.horizontalHeader().restoreState(s.get(opt.TABLE_HEADER))
        column = s.get(opt.SORT_COLUMN)
        if column in Column.SORTS:
            self._sort, self._descending = Column.SORTS[column], s.get(opt.SORT_DESCENDING)
            order = Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder
            header = self.table.horizontalHeader()
            blocked = header.blockSignals(True)
            header.setSortIndicator(column, order)
            header.blockSignals(blocked)
        last_nav = s.get(opt.LAST_NAV)
        if last_nav and ":" in last_nav:
            kind, value = last_nav.split(":", 1)
            self._pending_nav: tuple[str, str] | None = (kind, value)
        else:
            self._pending_nav = None

    def save_layout(self) -> None:
        """Remember the window's layout, sort order and selection for the next start."""
        s = self.settings
        s.set(opt.GEOMETRY, self.saveGeometry())
        s.set(opt.WINDOW_STATE, self.saveState())
        s.set(opt.SPLITTER, self.splitter.saveState())
        s.set(opt.TABLE_HEADER, self.table.horizontalHeader().saveState())
        sort_column = next((c for c, v in Column.SORTS.items() if v == self._sort), -1)
        s.set(opt.SORT_COLUMN, sort_column)
        s.set(opt.SORT_DESCENDING, self._descending)
        key = self.navigation.current_key()
        s.set(opt.LAST_NAV, f"{key[0]}:{key[1]}" if key else "")
        s.set(opt.LAST_CASE, self.editor.current_uuid or "")
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.editor.flush() or not self.pilot_editor.flush():
            if self.editor.holds_unsaved:
                question = self.tr("当前案例的修改未能保存：{reason}\n仍要关闭吗？未保存的修改将丢失。").format(
                    reason=self.editor.fault
                )
            else:
                question = self.tr("有内容未通过校验，无法保存。仍要关闭吗？未保存的修改将丢失。")
            answer = QMessageBox.question(self, self.tr("试点案例库"), question)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.ops.stop_watching()
        self.workers.wait_idle()
        self.save_layout()
        event.accept()

    # settings ---------------------------------------------------------------------------------
    def _editor_from_settings(self) -> Editor:
        """The coordinator's name and unit from Settings, recorded on every change they make."""
        return Editor(self.settings.get(opt.EDITOR_NAME), self.settings.get(opt.EDITOR_UNIT))

    def open_settings(self) -> None:
        """Show the Settings dialog; operations started afterwards carry the new name and unit."""
        if edit_settings(self.settings, self) is not None:
            self.ops.editor = self._editor_from_settings()

    def welcome(self) -> None:
        """First start (no editor's name yet): ask who is editing; operations then carry it."""
        if welcome_if_unknown(self.settings, self):
            self.ops.editor = self._editor_from_settings()

    # searching --------------------------------------------------------------------------------
    def current_query(self) -> CaseQuery:
        """The search as the window shows it: text, filters of the panel and the navigation, order."""
        panel = self.filters.filters()
        merged = {f.name: getattr(panel, f.name) for f in fields(CaseFilters)}
        for f in fields(CaseFilters):
            if merged[f.name] is None:
                merged[f.name] = getattr(self._nav_filters, f.name)
        return CaseQuery(
            text=self.search_box.text(),
            filters=CaseFilters(**merged),
            limit=None,
            sort=self._sort,
            descending=self._descending,
        )

    def run_query(self, *, keep_place: bool = False) -> None:
        """Run the search on the read lane; the newest answer wins. A new search shows its first page
        as soon as that is found, and the rest of the list when every match is in order. With
        ``keep_place`` (the library changed, the search did not) the rows that stay keep their selection
        and the view its scroll."""
        self._query_generation += 1
        generation = self._query_generation
        query = self.current_query()
        same = keep_place and query == self._shown_query

        def whole(result: Any) -> None:
            if generation != self._query_generation:
                return
            self.total = result.total
            top = self.table.rowAt(0)
            top_id = self.model.case_id(top) if 0 <= top < self.model.rowCount() else None
            self.model.update_ids(result.ids)
            if same and top_id is not None and self.model.row_of(top_id) >= 0:
                self.table.scrollTo(
                    self.model.index(self.model.row_of(top_id), 0), QAbstractItemView.ScrollHint.PositionAtTop
                )
            self._select_pending()
            self.count_label.setText(self.tr("共 %n 个案例", "", result.total))

        def first(result: Any) -> None:
            if generation != self._query_generation:
                return
            self.total = result.total
            self._shown_query = query
            ids = [hit.case_id for hit in result.hits]
            if result.total > len(ids):
                self._after_first_rows(generation, read_all)  # set before the rows come: they come now
            self.model.set_ids(ids, query.text, result.hits)
            if not ids:
                self._start_overview()
            self.count_label.setText(self.tr("共 %n 个案例", "", result.total))

        def failed(exc: BaseException, details: str) -> None:
            if generation == self._query_generation:
                show_error(self, exc, details)

        def read_all() -> None:
            self._query_job = self.ops.read(
                self.tr("检索"), lambda book, job: book.search.ids(query, job.stepper()), whole, failed, key="search"
            )

        if same:
            read_all()
            return
        page = replace(query, limit=PAGE_SIZE)
        self._query_job = self.ops.read(  # the first page comes with its rows: one trip to the lane
            self.tr("检索"), lambda book, job: book.search.search(page, job.stepper()), first, failed, key="search"
        )

    def _after_first_rows(self, generation: int, then: Callable[[], None]) -> None:
        """Run ``then`` (reading the whole list) once the first page's rows are on screen, or after
        ``WHOLE_LIST_AFTER_MS`` if they are not painted (the list is hidden): building a long list of
        ids on a read lane while the first rows are laid out and drawn would make both wait for the
        interpreter, and the user sees the first rows later."""
        started = False

        def start(*_args: object) -> None:
            nonlocal started
            if started:
                return
            started = True
            with suppress(RuntimeError):
                self.model.page_loaded.disconnect(painted)
            if generation == self._query_generation:
                then()

        def painted(_page: int) -> None:
            QTimer.singleShot(FIRST_PAINT_MS, start)  # the rows' repaint comes first

        self.model.page_loaded.connect(painted)
        QTimer.singleShot(WHOLE_LIST_AFTER_MS, start)

    def focus_search(self) -> None:
        """Ctrl+F: back to the case list, cursor in the search box."""
        self.center.setCurrentWidget(self.cases_page)
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _sort_requested(self, sort: CaseSort, descending: bool) -> None:
        self._sort, self._descending = sort, descending
        if sort == CaseSort.RELEVANCE:
            header = self.table.horizontalHeader()
            blocked = header.blockSignals(True)
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
            header.blockSignals(blocked)
        self.run_query()

    def save_as_smart_category(self) -> None:
        """Keep the current search as a smart category (智能分类) in the navigation pane."""
        name, ok = QInputDialog.getText(self, self.tr("存为智能分类"), self.tr("名称："))
        if not ok or not name.strip():
            return
        query = self.current_query()

        def saved(result: Any) -> None:
            self._pending_nav = (nav.SAVED, result.uuid)

        self.ops.write(
            self.tr("保存智能分类"), lambda book, _job: book.overview.save_search(name, query), saved, initiator=self
        )

    # navigation -------------------------------------------------------------------------------
    def refresh_overview(self) -> None:
        """Count the navigation pane's entries again on the read lane (a newer count supersedes an older)."""
        designation, day = self.navigation.designation()

        def done(ov: Overview) -> None:
            self._overview_job = None
            self._show_overview(ov)

        def failed(exc: BaseException, details: str) -> None:
            self._overview_job = None
            show_error(self, exc, details)

        self._overview_job = self.ops.read(
            self.tr("统计"),
            lambda book, job: book.overview.overview(designation, day, job.stepper()),
            done,
            failed,
            key="overview",
        )

    def _show_overview(self, ov: Overview) -> None:
        self._overview = ov
        self.navigation.show_overview(ov)
        self.filters.populate(ov)
        if self._pending_nav:
            key, self._pending_nav = self._pending_nav, None
            self.navigation.select_key(key)

    def show_view(self, key: tuple[str, str]) -> None:
        """Show a navigation entry's view (select it, and show it even when it was selected already)."""
        if self.navigation.current_key() != key:
            self.navigation.select_key(key, emit=False)
        self._navigate(*key)

    def _navigate(self, kind: str, value: str) -> None:
        self._view = (kind, value)
        if kind == nav.DUBAN:
            self.center.setCurrentWidget(self.duban)
            self.duban.refresh()
            return
        if kind == nav.TRASH:
            self.center.setCurrentWidget(self.trash_view)
            self.trash_view.refresh()
            return
        self.center.setCurrentWidget(self.cases_page)
        designation, day = self.navigation.designation()
        base = CaseFilters(designation=designation, designation_on=day if designation else None)
        if kind == nav.SAVED:
            searches = self._overview.saved_searches if self._overview else []
            saved = next((s for s in searches if s.uuid == value), None)
            if saved is not None:
                self._nav_filters = base
                blocked = self.search_box.blockSignals(True)
                self.search_box.setText(saved.query.text)
                self.search_box.blockSignals(blocked)
                self.filters.set_filters(saved.query.filters, emit=False)
                self.filter_button.setChecked(not saved.query.filters.is_empty())
                self.run_query()
            return
        if kind == nav.STATUS:
            self._nav_filters = replace(base, review_status=ReviewStatus(value))
        elif kind == nav.THEME:
            self._nav_filters = replace(base, theme_uuid=value)
        elif kind == nav.REGION:
            self._nav_filters = replace(base, region_uuid=value)
        elif kind == nav.PILOT:
            self._nav_filters = replace(base, pilot_uuid=value)
        elif kind == nav.MODEL_TYPE:
            self._nav_filters = replace(base, model_type_uuid=value)
        elif kind == nav.TAG:
            self._nav_filters = replace(base, tag=value)
        else:
            self._nav_filters = base
        if kind == nav.PILOT:
            self.pilot_editor.load(value)
        self.run_query(keep_place=True)

    # selection and editing ----------------------------------------------------------------------
    def selected_uuids(self) -> list[str]:
        """UUIDs of the selected rows that are loaded."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        out = []
        for row in rows:
            uuid = self.model.index(row, 0).data(UUID_ROLE)
            if uuid:
                out.append(str(uuid))
        return out

    def _selection_changed(self, *_args: Any) -> None:
        uuids = self.selected_uuids()
        self.bulk_action.setEnabled(len(uuids) > 1)
        if uuids and uuids[0] != self.editor.current_uuid:
            self.editor.flush()
            if not self.editor.load(uuids[0]):
                self._keep_editor_case()

    def _keep_editor_case(self) -> None:
        """The editor holds edits the file refused: it stays on its case (selected again where it is
        listed) until they are saved, and the status bar says why."""
        held = self.editor.current_uuid
        row = self.model.row_of_uuid(held) if held else -1
        if row >= 0:
            self._select_row(row)  # its selection signal finds the editor's case: nothing more
        else:
            self.table.clearSelection()
        self.statusBar().showMessage(self.tr("当前案例的修改尚未保存，保存后才能打开其他案例"), 5000)

    def _restore_selection(self) -> None:
        """After a new result: select the case asked for (last session's, or a new one) once its row is
        known; otherwise keep what is selected, or select the first row; show the selected case."""
        target = self._pending_select
        if target:
            row = self.model.row_of_uuid(target)
            if row < 0 and self._pending_id is None:
                self._find_case(target)
            if row >= 0:
                self._select_row(row)
                self._pending_select = None
        if self._select_pending():
            return
        if self.model.rowCount() and not self.table.selectionModel().hasSelection() and not self._pending_select:
            self.table.selectRow(0)
        self._selection_changed()

    def _find_case(self, uuid: str) -> None:
        """Look up where the case ``uuid`` is in the list (its row may not be loaded yet)."""

        def found(ids: dict[str, int]) -> None:
            if self._pending_select != uuid:
                return
            if uuid in ids:
                self._pending_id = ids[uuid]
            else:
                self._pending_select = None
            if not self._select_pending() and self._pending_select is None:
                self._restore_selection()

        self.ops.read(self.tr("查找案例"), lambda book, _job: book.search.case_ids([uuid]), found, key="find-case")

    def _select_pending(self) -> bool:
        """Select the case being waited for if its row is there now; True if it was."""
        if self._pending_id is None:
            return False
        row = self.model.row_of(self._pending_id)
        if row < 0:
            return False
        self._pending_id = None
        self._pending_select = None
        self._select_row(row)
        return True

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)

    # change sets ---------------------------------------------------------------------------------
    def _changed(self, changes: ChangeSet, _initiator: object) -> None:
        """Refresh what a change set touches: the rows that changed, the list when cases may have
        come, gone or moved in it, the counts when they may differ — never more."""
        renamed = bool(changes.vocabulary & SHOWN_VOCABULARY) and any(
            changes.uuids(k, Action.UPDATED, Action.TRASHED, Action.RESTORED) or k in changes.wholesale
            for k in SHOWN_VOCABULARY
        )
        if renamed:
            self.model.forget_rows()
        if changes.touches(RecordKind.CASE) or renamed:
            fields = changes.changed_fields(RecordKind.CASE)
            deciding = fields_deciding(self.current_query())
            moved = fields is None or deciding is None or bool(fields & deciding)
            if renamed or changes.membership_may_change(RecordKind.CASE) or moved:
                self._requery_timer.start()
            self.model.refresh_cases(changes.uuids(RecordKind.CASE))
        counted = changes.membership_may_change(RecordKind.CASE) or (
            (fields := changes.changed_fields(RecordKind.CASE)) is None or bool(fields & COUNTED_FIELDS)
        )
        if changes.vocabulary or (changes.touches(RecordKind.CASE) and counted):
            self._overview_timer.start()

    def new_case(self) -> None:
        """Ctrl+N: a new draft case, selected for editing (undoable)."""
        if self.center.currentWidget() is not self.cases_page or not self._lists_new_cases():
            # the new case must be in the list the user sees: back to 全部案例, without search or filters
            blocked = self.search_box.blockSignals(True)
            self.search_box.clear()
            self.search_box.blockSignals(blocked)
            self.filters.set_filters(CaseFilters(), emit=False)
            self.show_view((nav.ALL, ""))
        case = ModelCase(title=self.tr("新案例"))

        def created(stored: ModelCase) -> None:
            self._pending_select = stored.uuid
            self._find_case(stored.uuid)
            self.editor.load(stored.uuid)
            self.editor.focus_title()

        self.editor.flush()
        self.ops.write(self.tr("新建案例"), lambda book, _job: book.cases.create(case), created, initiator=self)

    def _lists_new_cases(self) -> bool:
        """Whether the list shown would hold a new, empty draft (no search text, no filter)."""
        query = self.current_query()
        return not query.text.strip() and query.filters == CaseFilters()

    def new_pilot(self) -> None:
        """A new pilot site in the pilot editor."""
        self.center.setCurrentWidget(self.pilot_editor)
        self.pilot_editor.load_new()

    def trash_selected(self) -> None:
        """Del: move the selected cases to the trash (undoable); the row below is selected next."""
        uuids = self.selected_uuids()
        if not uuids:
            return
        self.editor.flush()
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        after = [self.model.case_id(r) for r in range(rows[-1] + 1, min(rows[-1] + 2, self.model.rowCount()))]
        if not after and rows[0] > 0:
            after = [self.model.case_id(rows[0] - 1)]

        def done(_n: int) -> None:
            if after:
                self._pending_id = after[0]
                self._select_pending()

        self.ops.write(self.tr("删除案例"), lambda book, _job: book.cases.trash(uuids), done, initiator=self)

    def bulk_edit(self) -> None:
        """Apply one change to every selected case (one undoable operation, read and written together)."""
        uuids = self.selected_uuids()
        if len(uuids) < 2 or self._overview is None:
            return
        dialog = BulkEditDialog(self._overview, len(uuids), self)
        if not dialog.exec():
            return
        change: BulkChange = dialog.change()
        self.editor.flush()

        def failed(exc: BaseException, details: str) -> None:
            if isinstance(exc, DomainError):
                QMessageBox.warning(self, self.tr("批量编辑"), str(exc))
            else:
                show_error(self, exc, details)

        def done(n: int) -> None:
            self.statusBar().showMessage(self.tr("已修改 %n 个案例", "", n), 5000)

        self.ops.write(
            self.tr("批量编辑"), lambda book, _job: book.cases.bulk_edit(uuids, change), done, failed, initiator=self
        )

    def undo(self) -> None:
        """Ctrl+Z: undo the last operation (asking first when someone else changed its records since)."""
        self.ops.undo(before=self._flush_editors)

    def redo(self) -> None:
        """Ctrl+Shift+Z: redo the last undone operation."""
        self.ops.undo(redo=True, before=self._flush_editors)

    def _flush_editors(self) -> bool:
        self.editor.flush()
        self.pilot_editor.flush()
        return True

    def _update_undo_actions(self) -> None:
        undo, redo = self.ops.labels()
        self.undo_action.setEnabled(undo is not None)
        self.redo_action.setEnabled(redo is not None)
        self.undo_action.setText(self.tr("撤销 {step}").format(step=undo) if undo else self.tr("撤销"))
        self.redo_action.setText(self.tr("重做 {step}").format(step=redo) if redo else self.tr("重做"))

    def compose_brief(self) -> None:
        """Open the composer on the selected cases (a brief, a collection or a case sheet)."""
        from desktop.ui.composer import ComposerDialog

        self.editor.flush()
        dialog = ComposerDialog(self.ops, self.settings, self.selected_uuids(), self)
        dialog.resize(1280, 860)
        dialog.exec()
        dialog.deleteLater()

    def _open_experiment(self, pilot_uuid: str, experiment_uuid: str) -> None:
        self.center.setCurrentWidget(self.pilot_editor)
        self.pilot_editor.load(pilot_uuid)
        self.pilot_editor.show_experiment(experiment_uuid)

    # menus ------------------------------------------------------------------------------------
    def _column_menu(self, pos: Any) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for col in range(self.model.columnCount()):
            a = menu.addAction(str(self.model.headerData(col, Qt.Orientation.Horizontal)))
            a.setCheckable(True)
            a.setChecked(not header.isSectionHidden(col))
            a.setEnabled(col != Column.TITLE)
            a.toggled.connect(lambda on, c=col: header.setSectionHidden(c, not on))
        menu.exec(header.mapToGlobal(pos))

    def _table_menu(self, pos: Any) -> None:
        menu = QMenu(self)
        menu.addAction(self.new_action)
        menu.addAction(self.trash_action)
        menu.addAction(self.bulk_action)
        menu.addAction(self.brief_action)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    # status -----------------------------------------------------------------------------------
    def cancel_background_work(self) -> None:
        """Stop the long jobs in progress (a slow search, the counts of the navigation pane)."""
        for job in (self._overview_job, self._query_job):
            if job is not None:
                job.cancel()
        self._overview_job = self._query_job = None
        self.cancel_button.hide()
        self.statusBar().showMessage(self.tr("已取消"), 3000)

    def _progress(self, job_id: int, done: int, total: int, text: str) -> None:
        """A long job reports progress: the bar in the status line shows it until the job ends."""
        self._progress_jobs.add(job_id)
        self.busy.show()
        self.busy.setRange(0, max(total, 1))
        self.busy.setValue(done)
        if any(job is not None and job.id == job_id for job in (self._overview_job, self._query_job)):
            self.cancel_button.show()
        self.statusBar().showMessage(text, 2000)

    def _job_ended(self, job_id: int) -> None:
        self._progress_jobs.discard(job_id)
        if not self._progress_jobs:
            self.busy.hide()
            self.cancel_button.hide()
