"""The trash: what was deleted, when; restore it or empty the trash for good."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
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

from desktop.domain.changes import Action, ChangeSet, kind_label
from desktop.domain.records import TrashEntry
from desktop.ui.operations import Operations

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
        return (kind_label(e.kind), e.name, f"{local:%Y-%m-%d %H:%M}")[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section < 3:
            return self._headers[section]
        return None


class TrashView(QWidget):
    """The trash page of the main window."""

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
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
        ops.changed.connect(self._changed)

    def _changed(self, changes: ChangeSet, _initiator: object) -> None:
        moved = any(changes.uuids(k, Action.TRASHED, Action.RESTORED, Action.PURGED) for k in changes.kinds())
        if self.isVisible() and (moved or changes.wholesale):
            self.refresh()

    def refresh(self) -> None:
        """Load the trash on the read lane, keeping the rows selected that are still there."""
        self.ops.read(self.tr("回收站"), lambda book, _job: book.maintenance.trash(), self._show, key="trash")

    def _show(self, entries: list[TrashEntry]) -> None:
        chosen = {(e.kind, e.uuid) for e in self.selected_entries()}
        self.model.set_entries(entries)
        for row, e in enumerate(entries):
            if (e.kind, e.uuid) in chosen:
                self.table.selectionModel().select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
                )
        self.summary.setText(self.tr("回收站中有 %n 条记录", "", len(entries)))
        self.empty_button.setEnabled(bool(entries))

    def selected_entries(self) -> list[TrashEntry]:
        """The entries selected."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.entries[r] for r in rows if r < len(self.model.entries)]

    def restore_selected(self) -> None:
        """Bring the selected records back (one undoable operation)."""
        entries = [(e.kind, e.uuid) for e in self.selected_entries()]
        if entries:
            self.ops.write(self.tr("恢复"), lambda book, _job: book.maintenance.restore(entries), initiator=self)

    def empty(self) -> None:
        """Delete everything in the trash for good, after asking."""
        answer = QMessageBox.question(
            self,
            self.tr("清空回收站"),
            self.tr(
                "回收站中的 %n 条记录将被永久删除，无法恢复；之前的操作也不能再撤销。确定清空吗？",
                "",
                len(self.model.entries),
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.ops.write(self.tr("清空回收站"), lambda book, _job: book.maintenance.empty_trash(), initiator=self)
