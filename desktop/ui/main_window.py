"""The main window: a search box, the list of matching cases and the selected case's text."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.query import CaseQuery
from desktop.services.casebook import Casebook
from desktop.services.search import SearchHit

PAGE = 200


class HitsModel(QAbstractTableModel):
    """Rows of search hits: title, places, model type, review status, date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._headers = [self.tr("标题"), self.tr("地区"), self.tr("模式类型"), self.tr("审核状态"), self.tr("日期")]

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = hits
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        h = self._hits[index.row()]
        col = index.column()
        if col == 0:
            return h.title
        if col == 1:
            return "、".join(h.places)
        if col == 2:
            return h.model_type
        if col == 3:
            return h.review_status
        return h.reported_on.isoformat() if h.reported_on else ""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None


class MainWindow(QMainWindow):
    """Search the library and read its cases."""

    def __init__(self, book: Casebook) -> None:
        super().__init__()
        self.book = book
        self.setWindowTitle(self.tr("试点案例库"))
        self.resize(1280, 800)
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.tr("输入任意字词检索案例（Ctrl+F），多个词用空格分隔"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName(self.tr("检索"))
        self.status = QLabel()
        self.model = HitsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(self.tr("案例列表"))
        self.detail = QTextBrowser()
        self.detail.setAccessibleName(self.tr("案例内容"))
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.addWidget(self.search_box)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setSizes([760, 520])
        self.setCentralWidget(splitter)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(self._debounce.start)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search_box.setFocus)
        self.refresh()

    def refresh(self) -> None:
        result = self.book.search.search(CaseQuery(self.search_box.text(), limit=PAGE))
        self.model.set_hits(result.hits)
        self.status.setText(self.tr("共 %n 个案例", "", result.total))
        if result.hits:
            self.table.selectRow(0)
        else:
            self.detail.clear()

    def _show_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        case = self.book.cases.get(self.model.hit(current.row()).uuid)
        parts = [f"<h2>{escape(case.title)}</h2>"]
        if case.subtitle:
            parts.append(f"<p><i>{escape(case.subtitle)}</i></p>")
        meta = " · ".join(
            x
            for x in (
                "、".join(p.name for p in case.places),
                case.model_type.name if case.model_type else "",
                case.review_status.value,
            )
            if x
        )
        parts.append(f"<p>{escape(meta)}</p>")
        for label, body in (
            (self.tr("基本情况"), case.basic_situation),
            (self.tr("主要做法"), case.practices),
            (self.tr("取得成效"), case.outcomes),
            (self.tr("经验启示"), case.lessons),
        ):
            if body:
                parts.append(f"<h3>{escape(label)}</h3><p>{escape(body)}</p>")
        if case.source:
            parts.append(f"<p><small>{escape(self.tr('来源'))}：{escape(case.source)}</small></p>")
        self.detail.setHtml("".join(parts))
