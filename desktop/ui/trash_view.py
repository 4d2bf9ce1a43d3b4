"""The trash: what was deleted, when; restore it or empty the trash for good."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.records import TrashEntry
from desktop.services.casebook import Casebook
from desktop.ui.tasks import TaskRunner
from desktop.ui.undo import History

Index = QModelIndex | QPersistentModelIndex


class TrashModel(QAbstractTableModel):
    """Rows of the trash: kind, name, when deleted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[TrashEntry] = []
        self._headers = [self.tr("类别"), self.tr("名称"), self.tr("删除时间")]

    def set_entries(self, entries: list[TrashEntry]) -> None:
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        e = self.entries[index.row()]
        local = e.deleted_at.astimezone()
        return (e.kind, e.name, f"{local:%Y-%m-%d %H:%M}")[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section < 3:
            return self._headers[section]
        return None


class TrashView(QWidget):
    """The trash page of the main window."""

    def __init__(self, book: Casebook, runner: TaskRunner, history: History, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book, self.runner, self.history = book, runner, history
        self.model = TrashModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("回收站"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.restore_button = QPushButton(self.tr("恢复所选"))
        self.empty_button = QPushButton(self.tr("清空回收站…"))
        self.summary = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.empty_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("删除的记录先放在这里，可以恢复；清空后才真正删除。")))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.restore_button.clicked.connect(self.restore_selected)
        self.empty_button.clicked.connect(self.empty)
        history.changes.cases_changed.connect(self._cases_changed)

    def _cases_changed(self, _uuids: list[str]) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Load the trash on the worker."""
        self.runner.run(lambda _job: self.book.maintenance.trash(), self._show, label=self.tr("回收站"))

    def _show(self, entries: list[TrashEntry]) -> None:
        self.model.set_entries(entries)
        self.summary.setText(self.tr("回收站中有 %n 条记录", "", len(entries)))
        self.empty_button.setEnabled(bool(entries))

    def restore_selected(self) -> None:
        """Bring the selected records back."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        entries = [self.model.entries[r] for r in rows]
        cases = [e.uuid for e in entries if e.kind == "案例"]
        others = [e for e in entries if e.kind != "案例"]
        if cases:
            self.history.restore(cases)
        if others:
            maintenance = self.book.maintenance

            def restore_others(_job: object) -> None:
                for e in others:
                    maintenance.restore(e.kind, e.uuid)

            self.runner.run(
                restore_others,
                lambda _r: self.history.changes.structure_changed.emit(),
                label=self.tr("恢复"),
            )
        self.refresh()

    def empty(self) -> None:
        """Delete everything in the trash for good, after asking."""
        answer = QMessageBox.question(
            self,
            self.tr("清空回收站"),
            self.tr("回收站中的 %n 条记录将被永久删除，无法恢复。确定清空吗？", "", len(self.model.entries)),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def done(_count: object) -> None:
            self.history.stack.clear()  # undo steps may refer to records that no longer exist
            self.history.changes.structure_changed.emit()
            self.refresh()

        self.runner.run(lambda _job: self.book.maintenance.empty_trash(), done, label=self.tr("清空回收站"))
