"""The case table: a model that holds only the ordered ids of the current search and fetches
the rows it shows, a page at a time, on the read lane; sorting re-runs the query; change sets refresh
only what changed (see ``CaseTableModel``)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
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
from desktop.services.search import SearchHit
from desktop.ui.operations import Operations

PAGE_SIZE = 100
MAX_ROWS = 4000  # rows kept in memory; others are fetched again when scrolled back to

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
    """Rows of the current search; only ids are held, rows come in pages from the read lane.

    A new search replaces the rows (``set_ids``). A change to the library keeps them: ``update_ids``
    moves, inserts and removes only the rows whose cases entered, left or moved in the list (so the
    selection stays on the same cases), and ``refresh_cases`` fetches again just the rows of cases
    that changed but stay.
    """

    sort_requested = Signal(object, bool)  # CaseSort, descending
    page_loaded = Signal(int)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._ids: list[int] = []
        self._rows: dict[int, int] | None = None  # case id → row, built when first needed
        self._text = ""
        # case id → row shown and the text of each of its columns (built once), the most recent last
        self._hits: OrderedDict[int, tuple[SearchHit, tuple[str, ...]]] = OrderedDict()
        self._loading: set[int] = set()  # case ids being fetched
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
    def set_ids(self, ids: list[int], text: str, hits: Sequence[SearchHit] = ()) -> None:
        """Show a new result: the ordered ids of every match, and the search text (for snippets).
        ``hits`` are rows already read with the ids (the first page of a search): they are shown at
        once, without a second trip to the read lane."""
        self.beginResetModel()
        self._generation += 1
        self._ids = list(ids)
        self._rows = None
        self._text = text
        self._hits.clear()
        self._loading.clear()
        self._keep(hits)
        self.endResetModel()
        if hits:
            self.page_loaded.emit(0)

    def ids(self) -> list[int]:
        """The case ids shown, in order."""
        return list(self._ids)

    def update_ids(self, ids: list[int]) -> None:
        """Show the same search's new result: rows of cases that left are removed, rows of cases
        that came are inserted, and the rest keep their items (selection, current row)."""
        if ids == self._ids:
            return
        count = len(self._ids)
        if ids[:count] == self._ids:  # the rest of a list whose first page is shown: rows only added
            self.beginInsertRows(QModelIndex(), count, len(ids) - 1)
            self._ids = list(ids)
            self._rows = None
            self.endInsertRows()
            return
        new = set(ids)
        old = set(self._ids)
        gone = [row for row, case_id in enumerate(self._ids) if case_id not in new]
        for first, last in reversed(_runs(gone)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._ids[first : last + 1]
            self._rows = None
            self.endRemoveRows()
        came = [row for row, case_id in enumerate(ids) if case_id not in old]
        kept = [case_id for case_id in ids if case_id in old]
        if kept != self._ids:  # the cases that stayed changed their order
            self.layoutAboutToBeChanged.emit()
            persistent = self.persistentIndexList()
            at = {case_id: row for row, case_id in enumerate(kept)}
            moved = [
                self.index(at[self._ids[i.row()]], i.column()) if 0 <= i.row() < len(self._ids) else QModelIndex()
                for i in persistent
            ]
            self._ids = kept
            self._rows = None
            self.changePersistentIndexList(persistent, moved)
            self.layoutChanged.emit()
        for first, last in _runs(came):
            self.beginInsertRows(QModelIndex(), first, last)
            self._ids[first:first] = ids[first : last + 1]
            self._rows = None
            self.endInsertRows()
        assert self._ids == ids

    def refresh_cases(self, uuids: AbstractSet[str]) -> None:
        """Fetch again the rows of the cases ``uuids`` that are loaded (their content changed)."""
        stale = [case_id for case_id, (hit, _cols) in self._hits.items() if hit.uuid in uuids]
        shown = [i for i in stale if self.row_of(i) >= 0]
        for case_id in stale:
            if case_id not in shown:
                del self._hits[case_id]
        if shown:
            self._fetch(shown)  # the rows keep showing what they showed until the new content arrives

    def forget_rows(self) -> None:
        """Drop every loaded row (names they show changed): each is fetched again when shown."""
        self._generation += 1
        self._hits.clear()
        self._loading.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self._headers) - 1))

    def case_id(self, row: int) -> int:
        """The internal id of the case on ``row``."""
        return self._ids[row]

    def row_of(self, case_id: int) -> int:
        """The row showing ``case_id``, or -1."""
        if self._rows is None:
            self._rows = {case_id: row for row, case_id in enumerate(self._ids)}
        return self._rows.get(case_id, -1)

    def row_of_uuid(self, uuid: str) -> int:
        """The row showing the case ``uuid`` if that row is loaded, or -1."""
        for case_id, (hit, _cols) in self._hits.items():
            if hit.uuid == uuid:
                return self.row_of(case_id)
        return -1

    def hit(self, row: int) -> SearchHit | None:
        """The loaded row, or None while its page is still being fetched."""
        loaded = self._loaded(row)
        return loaded[0] if loaded is not None else None

    def _loaded(self, row: int) -> tuple[SearchHit, tuple[str, ...]] | None:
        """The loaded row and its columns' text; fetches its page when it is not loaded."""
        case_id = self._ids[row]
        found = self._hits.get(case_id)
        if found is None:
            start = row - row % PAGE_SIZE
            self._fetch([i for i in self._ids[start : start + PAGE_SIZE] if i not in self._hits])
            return None
        self._hits.move_to_end(case_id)
        return found

    def _fetch(self, ids: list[int]) -> None:
        wanted = [i for i in ids if i not in self._loading]
        if not wanted:
            return
        self._loading.update(wanted)
        generation, text = self._generation, self._text

        def done(hits: list[SearchHit]) -> None:
            if generation != self._generation:
                return
            self._loading.difference_update(wanted)
            self._keep(hits)
            rows = sorted(r for r in (self.row_of(i) for i in wanted) if r >= 0)
            for first, last in _runs(rows):
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(self._headers) - 1))
            if rows:
                self.page_loaded.emit(rows[0] // PAGE_SIZE)

        def failed(_exc: BaseException, _details: str) -> None:
            self._loading.difference_update(wanted)

        self.ops.read(self.tr("读取案例"), lambda b, _j: b.search.hits(wanted, text), done, failed)

    def _keep(self, hits: Sequence[SearchHit]) -> None:
        for hit in hits:
            self._hits[hit.case_id] = hit, (
                hit.title,
                hit.snippet,
                "、".join(hit.places),
                hit.model_type,
                hit.review_status,
                hit.reported_on.isoformat() if hit.reported_on else "",
            )
            self._hits.move_to_end(hit.case_id)
        while len(self._hits) > MAX_ROWS:
            self._hits.popitem(last=False)

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
        loaded = self._loaded(index.row())
        if loaded is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
        hit, shown = loaded
        if role == UUID_ROLE:
            return hit.uuid
        col = index.column()
        if role == HIGHLIGHT_ROLE:
            return list(hit.highlights) if col == Column.SNIPPET else None
        value = shown[col] if 0 <= col < len(shown) else ""
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
    """Draws the snippet column with the search hits highlighted.

    A laid-out snippet is kept for the rows painted lately: scrolling and repainting (a change set,
    the selection moving) redraw it without laying the text out again.
    """

    CACHED = 400

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._documents: OrderedDict[tuple[str, tuple[tuple[int, int], ...], str], QTextDocument] = OrderedDict()

    def _document(self, text: str, spans: tuple[tuple[int, int], ...], font: Any) -> QTextDocument:
        key = (text, spans, font.key())
        doc = self._documents.get(key)
        if doc is not None:
            self._documents.move_to_end(key)
            return doc
        parts, pos = [], 0
        for start, end in spans:
            parts.append(escape(text[pos:start]))
            parts.append(f'<span style="background-color:#ffe58f;font-weight:600">{escape(text[start:end])}</span>')
            pos = end
        parts.append(escape(text[pos:]))
        doc = QTextDocument()
        doc.setDefaultFont(font)
        doc.setDocumentMargin(2)
        doc.setHtml("<nobr>" + "".join(parts) + "</nobr>")
        self._documents[key] = doc
        while len(self._documents) > self.CACHED:
            self._documents.popitem(last=False)
        return doc

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
        doc = self._document(text, tuple(tuple(span) for span in spans), opt.font)
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


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as runs of consecutive rows: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    out: list[tuple[int, int]] = []
    for row in rows:
        if out and row == out[-1][1] + 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return out
