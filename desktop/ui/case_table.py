"""The case table: a model that holds only the ordered ids of the current search and fetches
the rows it shows, a page at a time, on the worker; sorting re-runs the query."""

from __future__ import annotations

from collections import OrderedDict
from html import escape
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.domain.query import CaseSort
from desktop.services.casebook import Casebook
from desktop.services.search import SearchHit
from desktop.ui.tasks import TaskRunner

PAGE_SIZE = 100
MAX_PAGES = 40  # pages kept in memory; others are fetched again when scrolled back to

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


class Column:
    """Column numbers and what each sorts by."""

    TITLE, SNIPPET, PLACES, MODEL_TYPE, STATUS, REPORTED = range(6)
    SORTS: ClassVar[dict[int, CaseSort]] = {
        TITLE: CaseSort.TITLE,
        MODEL_TYPE: CaseSort.MODEL_TYPE,
        STATUS: CaseSort.STATUS,
        REPORTED: CaseSort.REPORTED,
    }


class CaseTableModel(QAbstractTableModel):
    """Rows of the current search; only ids are held, rows come in pages from the worker."""

    sort_requested = Signal(object, bool)  # CaseSort, descending
    page_loaded = Signal(int)

    def __init__(self, book: Casebook, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book, self.runner = book, runner
        self._ids: list[int] = []
        self._text = ""
        self._pages: OrderedDict[int, list[SearchHit]] = OrderedDict()
        self._loading: set[int] = set()
        self._generation = 0
        self._headers = [
            self.tr("标题"),
            self.tr("摘要"),
            self.tr("地区"),
            self.tr("模式类型"),
            self.tr("审核状态"),
            self.tr("报送日期"),
        ]

    # content -------------------------------------------------------------------------
    def set_ids(self, ids: list[int], text: str) -> None:
        """Show a new result: the ordered ids of every match, and the search text (for snippets)."""
        self.beginResetModel()
        self._generation += 1
        self._ids = ids
        self._text = text
        self._pages.clear()
        self._loading.clear()
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Fetch the visible rows again (after an edit), keeping the ids and the selection."""
        self._generation += 1
        self._pages.clear()
        self._loading.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self._headers) - 1))

    def case_id(self, row: int) -> int:
        """The internal id of the case on ``row``."""
        return self._ids[row]

    def row_of(self, case_id: int) -> int:
        """The row showing ``case_id``, or -1."""
        try:
            return self._ids.index(case_id)
        except ValueError:
            return -1

    def hit(self, row: int) -> SearchHit | None:
        """The loaded row, or None while its page is still being fetched."""
        page = self._pages.get(row // PAGE_SIZE)
        if page is None:
            self._fetch(row // PAGE_SIZE)
            return None
        self._pages.move_to_end(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def _fetch(self, page_no: int) -> None:
        if page_no in self._loading:
            return
        self._loading.add(page_no)
        generation = self._generation
        ids = self._ids[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE]
        text = self._text

        def done(hits: list[SearchHit]) -> None:
            if generation != self._generation:
                return
            self._loading.discard(page_no)
            self._pages[page_no] = hits
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
            first = page_no * PAGE_SIZE
            last = min(first + PAGE_SIZE, len(self._ids)) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(self._headers) - 1))
            self.page_loaded.emit(page_no)

        self.runner.run(lambda _job: self.book.search.hits(ids, text), done, label=self.tr("读取案例"))

    # Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._ids)):
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            UUID_ROLE,
            HIGHLIGHT_ROLE,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        hit = self.hit(index.row())
        if hit is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
        if role == UUID_ROLE:
            return hit.uuid
        col = index.column()
        if role == HIGHLIGHT_ROLE:
            return list(hit.highlights) if col == Column.SNIPPET else None
        value = {
            Column.TITLE: hit.title,
            Column.SNIPPET: hit.snippet,
            Column.PLACES: "、".join(hit.places),
            Column.MODEL_TYPE: hit.model_type,
            Column.STATUS: hit.review_status,
            Column.REPORTED: hit.reported_on.isoformat() if hit.reported_on else "",
        }.get(col, "")
        if role == Qt.ItemDataRole.ToolTipRole and col in (Column.TITLE, Column.SNIPPET, Column.PLACES):
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        return value

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        if horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask for the query to be run again in another order (sorting happens in the database)."""
        sort = Column.SORTS.get(column, CaseSort.RELEVANCE)
        self.sort_requested.emit(sort, order == Qt.SortOrder.DescendingOrder)


class HighlightDelegate(QStyledItemDelegate):
    """Draws the snippet column with the search hits highlighted."""

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: Index) -> None:
        spans = index.data(HIGHLIGHT_ROLE)
        if not spans:
            super().paint(painter, option, index)
            return
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        parts, pos = [], 0
        for start, end in spans:
            parts.append(escape(text[pos:start]))
            parts.append(f'<span style="background-color:#ffe58f;font-weight:600">{escape(text[start:end])}</span>')
            pos = end
        parts.append(escape(text[pos:]))
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(2)
        doc.setHtml("<nobr>" + "".join(parts) + "</nobr>")
        painter.save()
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.translate(0, max(0.0, (rect.height() - doc.size().height()) / 2))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()
