"""The dialog that imports a filled Excel case template: it reads the file (on the work lane, against
the library's vocabulary read first), lists every problem by sheet, row and column, and imports only
when the file is clean — or, after the user confirms it, only the valid rows (one undoable operation).

``import_workbook(parent, ops, path)`` runs the dialog and returns the UUIDs of the cases imported (None
when nothing was imported); the views refresh from the operation's change set.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.validation import DomainError
from desktop.exchange.workbook import TemplateReading, Vocabulary
from desktop.services.processes import import_workbook as import_template_cases
from desktop.services.processes import read_workbook
from desktop.services.workbooks import (
    WorkbookCheck,
    WorkbookImport,
    WorkbookProblem,
    WorkbookProblemsError,
)
from desktop.ui.errors import show_error
from desktop.ui.operations import Operations
from desktop.ui.tasks import Job
from desktop.ui.widgets import ERROR_RED

_Index = QModelIndex | QPersistentModelIndex


class ProblemModel(QAbstractTableModel):
    """The problems of a checked workbook, one per row: sheet, row, column, field, message."""

    SHEET, ROW, COLUMN, FIELD, MESSAGE = range(5)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problems: list[WorkbookProblem] = []
        self._headers = [self.tr("工作表"), self.tr("行"), self.tr("列"), self.tr("字段"), self.tr("问题")]

    def set_problems(self, problems: Sequence[WorkbookProblem]) -> None:
        """Show these problems instead of the ones shown."""
        self.beginResetModel()
        self._problems = list(problems)
        self.endResetModel()

    def problem(self, row: int) -> WorkbookProblem:
        """The problem shown in ``row``."""
        return self._problems[row]

    def problems(self) -> list[WorkbookProblem]:
        """Every problem shown, in order."""
        return list(self._problems)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._problems):
            return None
        p = self._problems[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (p.sheet, p.row, p.column, p.field, p.message)[col]
        if role == Qt.ItemDataRole.ToolTipRole and col == self.MESSAGE:
            return str(p)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.ROW, self.COLUMN):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def as_text(self) -> str:
        """The problems as tab-separated lines with a header line (pastes into Excel as a table)."""
        lines = ["\t".join(self._headers)]
        lines += [f"{p.sheet}\t{p.row}\t{p.column}\t{p.field}\t{p.message}" for p in self._problems]
        return "\n".join(lines)


class WorkbookImportDialog(QDialog):
    """Check a filled case template, show its problems, and import it."""

    checked = Signal(object)  # the WorkbookCheck shown
    import_done = Signal(object)  # the WorkbookImport of a finished import

    def __init__(self, ops: Operations, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops, self.path = ops, path
        self.check_result: WorkbookCheck | None = None
        self.reading: TemplateReading | None = None
        self.outcome: WorkbookImport | None = None
        self.confirm_box: QMessageBox | None = None
        self._job: Job | None = None
        self._importing = False
        self.setWindowTitle(self.tr("导入 Excel 案例"))
        self.resize(820, 540)
        self._build()
        self.ops.workers.progress.connect(self._progress)
        self.check()

    @property
    def imported(self) -> list[str] | None:
        """The UUIDs of the cases imported, or None while nothing was imported."""
        return self.outcome.imported if self.outcome is not None else None

    def _build(self) -> None:
        self.file_label = QLabel(self.tr("文件：{name}").format(name=self.path.name))
        self.file_label.setToolTip(str(self.path))
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(8)

        self.model = ProblemModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("问题清单"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for col, width in ((ProblemModel.SHEET, 72), (ProblemModel.ROW, 56), (ProblemModel.COLUMN, 44)):
            header.resizeSection(col, width)
        header.resizeSection(ProblemModel.FIELD, 96)
        header.setSectionResizeMode(ProblemModel.MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.detail_label = QLabel()
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.copy_button = QPushButton(self.tr("复制问题清单"))
        self.copy_button.setToolTip(self.tr("复制为表格文字，可粘贴到 Excel 或回复邮件中"))
        self.copy_button.clicked.connect(self.copy_problems)
        self.valid_only_button = QPushButton(self.tr("仅导入有效行…"))
        self.valid_only_button.clicked.connect(self.ask_valid_only)
        self.import_button = QPushButton(self.tr("导入"))
        self.import_button.clicked.connect(lambda: self.start_import(valid_only=False))
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.clicked.connect(self.reject)
        for button in (self.copy_button, self.valid_only_button, self.import_button):
            button.setEnabled(False)
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.valid_only_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail_label)
        layout.addLayout(buttons)

    # checking ---------------------------------------------------------------------------------
    def check(self) -> Job:
        """Read the library's vocabulary, then the file against it off the database; the problems
        appear when it is done."""
        path = self.path
        label = self.tr("正在检查 {name}").format(name=path.name)

        def parse(vocabulary: Vocabulary) -> None:
            if self._job is not None:
                self._job = self.ops.render(label, read_workbook, (path, vocabulary), self._checked, self._failed)

        self._say(self.tr("正在检查，请稍候…"))
        self._begin()
        self._job = self.ops.read(label, lambda book, _job: book.workbooks.vocabulary(), parse, self._failed)
        return self._job

    def _checked(self, reading: TemplateReading) -> None:
        self._finish()
        self.reading = reading
        check = reading.check()
        self.check_result = check
        self.model.set_problems(check.problems)
        self._show_check(check)
        self.checked.emit(check)

    def _show_check(self, check: WorkbookCheck) -> None:
        bad_rows = len(check.problem_rows)
        if check.total_rows == 0 and check.clean:
            self._say(self.tr("模板中没有填写任何案例。"), error=True)
        elif check.clean:
            self._say(self.tr("共 {total} 行案例，检查通过，可以导入。").format(total=check.total_rows))
        else:
            self._say(
                self.tr(
                    "共 {total} 行案例：{valid} 行可以导入，{bad} 行有问题（共 {n} 处，见下表）。"
                    "请在 Excel 中改正后重新导入；也可以只导入有效行，有问题的行不导入。"
                ).format(total=check.total_rows, valid=check.valid_rows, bad=bad_rows, n=len(check.problems)),
                error=True,
            )
        self.import_button.setEnabled(check.clean and check.total_rows > 0)
        self.valid_only_button.setEnabled(not check.clean and check.valid_rows > 0)
        self.copy_button.setEnabled(bool(check.problems))
        if check.clean and check.total_rows:
            self.import_button.setDefault(True)
        if check.problems:
            self.table.selectRow(0)

    # importing --------------------------------------------------------------------------------
    def ask_valid_only(self) -> QMessageBox | None:
        """Ask for confirmation, then import only the valid rows."""
        check = self.check_result
        if check is None or check.clean or not check.valid_rows or self._job is not None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("仅导入有效行"),
            self.tr("将导入 {valid} 行有效案例，跳过 {bad} 行有问题的行（这些行不会导入）。确定吗？").format(
                valid=check.valid_rows, bad=len(check.problem_rows)
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        yes = box.addButton(self.tr("仅导入有效行"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(yes)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self.start_import(valid_only=True) if button is yes else None)
        self.confirm_box = box
        box.open()
        return box

    def start_import(self, *, valid_only: bool) -> Job | None:
        """Import in the background, as one operation: every row of a clean file, else the valid rows if asked."""
        check, reading = self.check_result, self.reading
        if check is None or reading is None or self._job is not None:
            return None
        if not (check.clean and check.total_rows) and not (valid_only and check.valid_rows):
            return None
        path = self.path
        label = self.tr("正在导入 {name}").format(name=path.name)
        self._importing = True
        self.cancel_button.setEnabled(False)  # one transaction: it finishes or leaves nothing
        self._say(self.tr("正在导入，请稍候…"))
        self._begin()
        self._job = self.ops.write_apart(
            label, import_template_cases, (path, reading, valid_only), self._imported, self._failed, initiator=self
        )
        return self._job

    def _imported(self, result: WorkbookImport) -> None:
        self._importing = False
        self._finish()
        self.outcome = result
        self.import_done.emit(result)
        self.accept()

    # plumbing ---------------------------------------------------------------------------------
    def _begin(self) -> None:
        for button in (self.copy_button, self.valid_only_button, self.import_button):
            button.setEnabled(False)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setVisible(True)

    def _finish(self) -> None:
        self._job = None
        self.progress_bar.setVisible(False)
        self.cancel_button.setEnabled(True)

    def _failed(self, exc: BaseException, details: str) -> None:
        self._importing = False
        self._finish()
        if isinstance(exc, WorkbookProblemsError):  # the file changed since the check
            self.check_result = WorkbookCheck(self.check_result.total_rows if self.check_result else 0, 0, exc.problems)
            self.model.set_problems(exc.problems)
            self._say(str(exc).split("\n", 1)[0], error=True)
            self.copy_button.setEnabled(True)
            return
        self.import_button.setEnabled(False)
        self.valid_only_button.setEnabled(False)
        self.copy_button.setEnabled(bool(self.model.rowCount()))
        if isinstance(exc, DomainError):
            self._say(str(exc), error=True)
        else:
            self._say(self.tr("出现意外错误，未导入任何案例。"), error=True)
            show_error(self, exc, details)

    def _progress(self, job_id: int, done: int, total: int, _text: str) -> None:
        if self._job is not None and job_id == self._job.id and total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(f"color: {ERROR_RED};" if error else "")
        self.status_label.setProperty("error", error)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.detail_label.setText(str(self.model.problem(current.row())) if current.isValid() else "")

    def copy_problems(self) -> None:
        """Put the problem list on the clipboard as a table."""
        QGuiApplication.clipboard().setText(self.model.as_text())
        self.detail_label.setText(self.tr("已复制 {n} 处问题到剪贴板。").format(n=self.model.rowCount()))

    def reject(self) -> None:
        """Close without importing; a running check is cancelled (an import is left to finish)."""
        if self._importing:
            return
        if self._job is not None:
            self._job.cancel()
            self._job = None
        super().reject()


def import_workbook(parent: QWidget | None, ops: Operations, path: Path) -> list[str] | None:
    """Check and import the case template at ``path`` in a dialog; the UUIDs of the imported cases,
    or None when the user cancelled or nothing could be imported."""
    dialog = WorkbookImportDialog(ops, path, parent)
    try:
        dialog.exec()
        return dialog.imported
    finally:
        dialog.deleteLater()
