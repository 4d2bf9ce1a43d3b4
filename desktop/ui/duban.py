"""The 督办 list: every open milestone that is overdue or due within 14 days, across all pilots.

``DueListModel`` is a small sortable table over ``DueMilestone`` items; ``DueListWidget`` loads
them on the read lane (again when a change set touches pilots or experiments), sums them up in one
line, and asks for the experiment to be opened when a row is double-clicked or Enter is pressed on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop.domain.changes import ChangeSet, RecordKind
from desktop.services.casebook import Casebook
from desktop.services.pilots import DueMilestone
from desktop.ui.operations import Operations
from desktop.ui.tasks import Job
from desktop.ui.widgets import ERROR_RED

#: How far ahead the list looks (the service's default window).
WITHIN_DAYS = 14

OVERDUE_COLOR = QColor(ERROR_RED)


class DueListModel(QAbstractTableModel):
    """Rows of due milestones: 到期日, 节点, 探索事项, 试点, 责任单位, 状态."""

    DUE, TITLE, EXPERIMENT, PILOT, UNIT, STATE = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[DueMilestone] = []
        self._today = date.today()
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._headers = [
            self.tr("到期日"),
            self.tr("节点"),
            self.tr("探索事项"),
            self.tr("试点"),
            self.tr("责任单位"),
            self.tr("状态"),
        ]

    # content -------------------------------------------------------------------------
    def set_items(self, items: list[DueMilestone], today: date | None = None) -> None:
        """Show ``items`` (as of ``today``), keeping the last sort order."""
        self.beginResetModel()
        self._items = list(items)
        self._today = today or date.today()
        if self._sort is not None:
            self._items.sort(key=self._key(self._sort[0]), reverse=self._sort[1] == Qt.SortOrder.DescendingOrder)
        self.endResetModel()

    def item(self, row: int) -> DueMilestone:
        """The milestone shown in ``row``."""
        return self._items[row]

    def items(self) -> list[DueMilestone]:
        """Every milestone shown, in display order."""
        return list(self._items)

    def days_overdue(self, item: DueMilestone) -> int:
        """Days past due (negative: days left)."""
        return (self._today - item.due_date).days

    def state_text(self, item: DueMilestone) -> str:
        """逾期 N 天, 今天到期 or N 天后到期."""
        days = self.days_overdue(item)
        if days > 0:
            return self.tr("逾期 {n} 天").format(n=days)
        if days == 0:
            return self.tr("今天到期")
        return self.tr("{n} 天后到期").format(n=-days)

    # Qt model ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(item, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            return OVERDUE_COLOR if item.overdue else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.DUE, self.STATE):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._headers):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_items = [self._items[i.row()] for i in old_persistent]
        self._items.sort(key=self._key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        new_row = {id(item): row for row, item in enumerate(self._items)}
        new_persistent = [
            self.index(new_row[id(item)], i.column()) for i, item in zip(old_persistent, old_items, strict=True)
        ]
        self.changePersistentIndexList(old_persistent, new_persistent)
        self.layoutChanged.emit()

    # helpers -------------------------------------------------------------------------
    def _text(self, item: DueMilestone, col: int) -> str:
        if col == self.DUE:
            return item.due_date.isoformat()
        if col == self.TITLE:
            return item.title
        if col == self.EXPERIMENT:
            return item.experiment_title
        if col == self.PILOT:
            return item.pilot_name
        if col == self.UNIT:
            return item.responsible_unit
        return self.state_text(item)

    def _key(self, column: int) -> Callable[[DueMilestone], Any]:
        if column in (self.DUE, self.STATE):
            return lambda m: (m.due_date, m.title)
        return lambda m: (self._text(m, column), m.due_date)


class DueListWidget(QWidget):
    """The 督办 list with its one-line summary; opens an experiment on double-click or Enter."""

    open_experiment = Signal(str, str)  # pilot uuid, experiment uuid

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.summary = QLabel()
        self.summary.setAccessibleName(self.tr("督办小结"))
        self.model = DueListModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("督办清单"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(28)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DueListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DueListModel.PILOT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((DueListModel.DUE, 100), (DueListModel.EXPERIMENT, 200), (DueListModel.UNIT, 150)):
            header.resizeSection(col, width)
        header.resizeSection(DueListModel.STATE, 110)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(DueListModel.DUE, Qt.SortOrder.AscendingOrder)
        self.view.activated.connect(self._activated)
        hint = QLabel(self.tr("双击或按回车打开探索事项"))
        hint.setStyleSheet("color: palette(mid);")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(hint)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view)
        ops.changed.connect(self._changed)

    def _changed(self, changes: ChangeSet, _initiator: object) -> None:
        if self.isVisible() and (changes.touches(RecordKind.EXPERIMENT) or changes.touches(RecordKind.PILOT)):
            self.refresh()

    def refresh(self) -> None:
        """Reload the list from the library (on the read lane), keeping the row selected."""

        def load(book: Casebook, _job: Job) -> tuple[list[DueMilestone], date]:
            today = date.today()
            return book.pilots.due_milestones(today, WITHIN_DAYS), today

        self.ops.read(self.tr("读取督办清单"), load, self._loaded, key="duban", initiator=self)

    def _loaded(self, result: tuple[list[DueMilestone], date]) -> None:
        items, today = result
        current = self.view.currentIndex()
        kept = self.model.item(current.row()).milestone_uuid if current.isValid() else None
        scroll = self.view.verticalScrollBar().value()
        self.model.set_items(items, today)
        for row, item in enumerate(self.model.items()):
            if item.milestone_uuid == kept:
                self.view.selectRow(row)
                break
        self.view.verticalScrollBar().setValue(scroll)
        overdue = sum(1 for m in items if m.overdue)
        self.summary.setText(
            self.tr("逾期 {overdue} 项，{days} 天内到期 {upcoming} 项").format(
                overdue=overdue, days=WITHIN_DAYS, upcoming=len(items) - overdue
            )
        )

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            item = self.model.item(index.row())
            self.open_experiment.emit(item.pilot_uuid, item.experiment_uuid)
