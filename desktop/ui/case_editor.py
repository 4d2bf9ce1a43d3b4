"""The case editor: every field of one model case, saved on its own shortly after the user stops typing.

Each save is one operation (``CaseService.update``) carrying the version the editor loaded, and one
undoable step of the library's history. One save is in flight at a time: what is typed meanwhile is
saved when it returns, at the version it returned. A save refused because someone else saved first
(another window, the command line, an import) opens the conflict band (``ConflictPanel``): what
differs, field by field, with keep mine / take theirs, and the form to merge by hand; nothing typed
is lost. A change made elsewhere while nothing is typed here is shown at once, in place. Problems
found by the case's validation rules are shown at the field at fault and block saving until fixed.
A save the file refuses (another program holds the lock too long, the folder turned read-only, the
disk is full) is said in a band above the form and tried again every few seconds; the text stays in
the form, and the editor does not move to another case until it is saved.
Adoptions (推广) are separate records and are saved straight away.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDeadlineTimer,
    QEventLoop,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QStringListModel,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QImage,
    QImageReader,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import merge
from desktop.domain.changes import ChangeSet, RecordKind
from desktop.domain.enums import REVIEW_TRANSITIONS, AdoptionExtent, ReviewStatus
from desktop.domain.records import Adoption, Figure, ModelCase, ModelType, Photo, Ref, Tag, Theme
from desktop.domain.validation import FieldError, ValidationError, check_review_transition, validate_case
from desktop.services.casebook import Casebook
from desktop.services.cases import PHOTO_SUFFIXES
from desktop.services.context import ConcurrentEditError, NotFoundError
from desktop.store.db import LibraryWriteError
from desktop.ui.conflict_panel import ConflictPanel
from desktop.ui.errors import show_error
from desktop.ui.flow_layout import FlowLayout
from desktop.ui.operations import Operations
from desktop.ui.region_picker import RegionPickerDialog
from desktop.ui.widgets import ERROR_RED, OptionalDateEdit

AUTOSAVE_MS = 700
#: After the file refused a save (``LibraryWriteError``), the next try comes this much later.
FAULT_RETRY_MS = 3000
THUMB_SIZE = QSize(120, 90)
ERROR_COLOR = ERROR_RED
ERROR_FILL = "#fdecea"

#: Background and text colour of the review status badge.
STATUS_COLORS: dict[ReviewStatus, tuple[str, str]] = {
    ReviewStatus.DRAFT: ("#eceff1", "#37474f"),
    ReviewStatus.SUBMITTED: ("#e3f2fd", "#0d47a1"),
    ReviewStatus.APPROVED: ("#e8f5e9", "#1b5e20"),
    ReviewStatus.RECOMMENDED: ("#fff3e0", "#bf360c"),
    ReviewStatus.RETURNED: ("#fdecea", "#b71c1c"),
}
#: Order of the review buttons: forward moves first, 退回 last.
MOVE_ORDER = (
    ReviewStatus.SUBMITTED,
    ReviewStatus.APPROVED,
    ReviewStatus.RECOMMENDED,
    ReviewStatus.DRAFT,
    ReviewStatus.RETURNED,
)
TAG_SEPARATORS = re.compile(r"[,，、;；\n]")

STYLE = f"""
QLabel#sectionHeader {{
    font-size: 11pt; font-weight: 600; color: #1f3a5f;
    border: none; border-bottom: 1px solid #b0bec5; padding: 14px 0 4px 0; margin-bottom: 2px;
}}
QLabel#textHeader {{ font-weight: 600; color: #37474f; padding-top: 4px; }}
QLabel#fieldError {{ color: {ERROR_COLOR}; }}
QLabel#hint {{ color: #78909c; font-size: 13pt; }}
QLabel#meta {{ color: #607d8b; }}
QLabel#saveState {{ color: #607d8b; }}
QLabel#saveState[problem="true"] {{ color: {ERROR_COLOR}; }}
QLabel#banner {{ background: #fff8e1; color: #6d4c00; border: 1px solid #ffe082; border-radius: 4px; padding: 6px; }}
QLabel#fault {{ background: #fdecea; color: #8a1c1c; border: 1px solid #f5c2c0; border-radius: 4px; padding: 6px; }}
QLabel#muted {{ color: #78909c; }}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] {{
    border: 1px solid {ERROR_COLOR}; border-radius: 3px; background: {ERROR_FILL};
}}
QTableView[invalid="true"], QListWidget[invalid="true"] {{ border: 1px solid {ERROR_COLOR}; }}
QToolButton#chip {{
    background: #e8f0fe; color: #174ea6; border: 1px solid #c6dafc; border-radius: 11px;
    padding: 2px 8px;
}}
QToolButton#chip:hover {{ background: #d2e3fc; }}
QToolButton#chip:focus {{ border: 1px solid #174ea6; }}
"""


def format_number(value: float) -> str:
    """A figure's value as people write it: 63 rather than 63.0, no exponent."""
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10f}".rstrip("0").rstrip(".")


def parse_number(text: str) -> float | None:
    """A typed number (thousands separators and spaces allowed), or None if it is not one."""
    cleaned = text.replace(",", "").replace("，", "").replace(" ", "").strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def split_tags(text: str) -> list[str]:
    """Tags typed in one line, separated by 、 ， , ; or ；, without blanks and repeats."""
    return list(dict.fromkeys(t.strip() for t in TAG_SEPARATORS.split(text) if t.strip()))


def local_time(moment: datetime | None) -> str:
    """A stored (UTC) time as local wall-clock time, to the minute."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def local_stamp(text: str) -> str:
    """A ``YYYY-MM-DD HH:MM`` UTC stamp (as review history gives it) in local time."""
    try:
        return local_time(datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC))
    except ValueError:
        return text


def thumbnail(path: Path) -> QImage:
    """A small image of a photo file (safe off the UI thread); a null image if unreadable."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


def field_key(path: str) -> str:
    """The top-level field of an error path: ``figures[2].unit`` → ``figures``."""
    return re.split(r"[\[.]", path, maxsplit=1)[0]


# small widgets -----------------------------------------------------------------------------------


class FiguresModel(QAbstractTableModel):
    """The figures of a case as an editable table: 指标, 数值, 单位, 时期, 来源."""

    COLUMNS = ("label", "value", "unit", "period", "source")
    edited = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._figures: list[Figure] = []
        self._errors: dict[tuple[int, str], str] = {}
        self._headers = [self.tr("指标"), self.tr("数值"), self.tr("单位"), self.tr("时期"), self.tr("来源")]

    def figures(self) -> list[Figure]:
        """The figures as they stand."""
        return list(self._figures)

    def set_figures(self, figures: Sequence[Figure]) -> None:
        """Show other figures (errors are cleared)."""
        self.beginResetModel()
        self._figures = list(figures)
        self._errors = {}
        self.endResetModel()

    def add_row(self) -> int:
        """Append an empty figure; returns its row."""
        row = len(self._figures)
        self.beginInsertRows(QModelIndex(), row, row)
        self._figures.append(Figure(label="", value=0.0, unit="", period=""))
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove_rows(self, rows: Sequence[int]) -> None:
        """Remove figures by row."""
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._figures):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._figures[row]
                self.endRemoveRows()
        self.edited.emit()

    def set_errors(self, errors: dict[tuple[int, str], str]) -> None:
        """Mark cells at fault: (row, field name) → message."""
        changed = set(errors) ^ set(self._errors) | {k for k in errors if self._errors.get(k) != errors[k]}
        self._errors = dict(errors)
        for row, name in changed:
            if row < len(self._figures) and name in self.COLUMNS:
                index = self.index(row, self.COLUMNS.index(name))
                self.dataChanged.emit(index, index)

    def error_at(self, row: int, column: int) -> str:
        """The message of a cell at fault, or ""."""
        return self._errors.get((row, self.COLUMNS[column]), "")

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._figures)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        figure = self._figures[index.row()]
        name = self.COLUMNS[index.column()]
        error = self._errors.get((index.row(), name), "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = getattr(figure, name)
            return format_number(value) if name == "value" else value
        if role == Qt.ItemDataRole.ToolTipRole:
            return error or (None if name == "value" else getattr(figure, name) or None)
        if role == Qt.ItemDataRole.BackgroundRole and error:
            return QColor(ERROR_FILL)
        if role == Qt.ItemDataRole.ForegroundRole and error:
            return QColor(ERROR_COLOR)
        if role == Qt.ItemDataRole.TextAlignmentRole and name == "value":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and error:
            return error
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        name = self.COLUMNS[index.column()]
        new: Any = str(value) if value is not None else ""
        if name == "value":
            new = value if isinstance(value, float) else parse_number(str(value))
            if new is None:
                return False
        figure = self._figures[index.row()]
        if getattr(figure, name) == new:
            return False
        self._figures[index.row()] = replace(figure, **{name: new})
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None


class ChipBox(QWidget):
    """Chosen items shown as rounded chips that wrap; clicking a chip's × asks to remove it."""

    remove_requested = Signal(str)

    def __init__(self, what: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._what = what
        self._layout = FlowLayout(self, spacing=6)
        self._empty = QLabel(empty_text)
        self._empty.setObjectName("muted")
        self._layout.addWidget(self._empty)
        self._chips: list[QToolButton] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_items(self, items: Sequence[tuple[str, str]]) -> None:
        """Show (key, text) pairs as chips."""
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self._chips = []
        for key, text in items:
            chip = QToolButton()
            chip.setObjectName("chip")
            chip.setText(f"{text}  ×")
            chip.setToolTip(self.tr("点击移除“{name}”").format(name=text))
            chip.setAccessibleName(self.tr("移除{what}：{name}").format(what=self._what, name=text))
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.clicked.connect(lambda _checked=False, k=key: self.remove_requested.emit(k))
            self._layout.addWidget(chip)
            self._chips.append(chip)
        self._empty.setVisible(not items)
        self._layout.invalidate()
        self.updateGeometry()

    def chips(self) -> list[QToolButton]:
        """The chip buttons, in order (for the tab chain)."""
        return list(self._chips)


class TagEdit(QLineEdit):
    """Tags in one line, separated by 、 or commas, completing the tag being typed from known tags."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names = QStringListModel(self)
        self._completer = QCompleter(self._names, self)
        self._completer.setWidget(self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._completer.activated.connect(self._insert)
        self.textEdited.connect(self._complete)

    def set_vocabulary(self, names: Sequence[str]) -> None:
        """The known tags offered for completion."""
        self._names.setStringList(list(names))

    def tags(self) -> list[str]:
        """The tags typed."""
        return split_tags(self.text())

    def set_tags(self, tags: Sequence[str]) -> None:
        """Show tags, unless the text already says the same."""
        if self.tags() != list(tags):
            self.setText("、".join(tags))

    def _popup(self) -> QAbstractItemView:
        popup = self._completer.popup()
        assert popup is not None
        return popup

    def _token_start(self) -> int:
        before = self.text()[: self.cursorPosition()]
        found = [m.end() for m in TAG_SEPARATORS.finditer(before)]
        return found[-1] if found else 0

    def _complete(self, _text: str) -> None:
        prefix = self.text()[self._token_start() : self.cursorPosition()].strip()
        if not prefix:
            self._popup().hide()
            return
        self._completer.setCompletionPrefix(prefix)
        if self._completer.completionCount() == 0:
            self._popup().hide()
            return
        rect = self.rect()
        rect.setWidth(max(200, self.width() // 2))
        self._completer.complete(rect)

    def _insert(self, name: str) -> None:
        start, end = self._token_start(), self.cursorPosition()
        text = self.text()
        rest = text[end:]
        rest_start = TAG_SEPARATORS.search(rest)
        rest = rest[rest_start.start() :] if rest_start else ""
        head = text[:start] + name
        self.setText(head + (rest or "、"))
        self.setCursorPosition(len(head) + 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = (Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        if self._popup().isVisible() and event.key() in keys:
            event.ignore()
            return
        super().keyPressEvent(event)


class PhotoList(QListWidget):
    """Photo thumbnails; image files dropped on it are offered for import."""

    files_dropped = Signal(list)  # list[Path]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(THUMB_SIZE)
        self.setGridSize(QSize(THUMB_SIZE.width() + 20, THUMB_SIZE.height() + 44))
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMovement(QListWidget.Movement.Static)
        self.setWordWrap(True)
        self.setUniformItemSizes(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setFixedHeight(THUMB_SIZE.height() + 44 + 2 * self.frameWidth() + 12)
        self.placeholder = self.tr("把图片文件拖到这里，或点“添加照片…”")

    @staticmethod
    def image_paths(mime: QMimeData) -> list[Path]:
        """The local image files in dragged data."""
        paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        return [p for p in paths if p.suffix.lower() in PHOTO_SUFFIXES]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.image_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.image_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self.image_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
        else:
            event.ignore()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(QColor("#90a4ae"))
            painter.drawText(
                self.viewport().rect().adjusted(12, 0, -12, 0),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self.placeholder,
            )
            painter.end()


class AdoptionDialog(QDialog):
    """Add or change one adoption: the place, when, how far (借鉴/复制/推广) and a note."""

    def __init__(self, ops: Operations, adoption: Adoption, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._adoption = adoption
        self._region: Ref | None = adoption.region if adoption.region.uuid else None
        self.setWindowTitle(self.tr("推广记录"))
        self.resize(420, 320)
        self.place = QLabel()
        self.place.setWordWrap(True)
        self.choose = QPushButton(self.tr("选择…"))
        self.choose.setAccessibleName(self.tr("选择推广地区"))
        self.choose.clicked.connect(self._choose_region)
        self.adopted_on = OptionalDateEdit()
        self.adopted_on.setAccessibleName(self.tr("推广日期"))
        self.adopted_on.set_value(adoption.adopted_on)
        self.extent = QComboBox()
        self.extent.setAccessibleName(self.tr("推广方式"))
        for extent in AdoptionExtent:
            self.extent.addItem(extent.value, extent)
        self.extent.setCurrentIndex(list(AdoptionExtent).index(adoption.extent))
        self.note = QPlainTextEdit(adoption.note)
        self.note.setAccessibleName(self.tr("推广说明"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 4 + 12)
        place_row = QHBoxLayout()
        place_row.addWidget(self.place, 1)
        place_row.addWidget(self.choose)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        place_label = QLabel(self.tr("地区"))
        place_label.setBuddy(self.choose)
        form.addRow(place_label, place_row)
        for text, widget in (
            (self.tr("日期"), self.adopted_on),
            (self.tr("方式"), self.extent),
            (self.tr("说明"), self.note),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._show_region()

    def _show_region(self) -> None:
        self.place.setText(self._region.name if self._region else self.tr("（未选择）"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self._region is not None)

    def _choose_region(self) -> None:
        picker = RegionPickerDialog(self.ops, self, multiple=False, title=self.tr("选择推广地区"))
        if picker.exec() == QDialog.DialogCode.Accepted and picker.selected_refs():
            self._region = picker.selected_refs()[0]
            self._show_region()

    def adoption(self) -> Adoption:
        """The adoption as entered."""
        return replace(
            self._adoption,
            region=self._region or Ref(""),
            adopted_on=self.adopted_on.value(),
            extent=self.extent.currentData(),
            note=self.note.toPlainText().strip(),
        )


# the editor --------------------------------------------------------------------------------------


@dataclass
class _Loaded:
    case: ModelCase
    adoptions: list[Adoption]
    review: list[tuple[str, str, str, str, str]]
    thumbs: dict[str, QImage]
    origin: str = ""  # where an imported case came from


@dataclass
class _Catalog:
    model_types: list[ModelType]
    themes: list[Theme]
    tags: list[Tag]


class CaseEditor(QWidget):
    """Edit one model case; changes are saved automatically as undoable steps."""

    saved = Signal(str)  # uuid of the case, after a save reached the library
    loaded = Signal(str)  # uuid of the case, after it is shown

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._uuid: str | None = None
        self._snapshot: ModelCase | None = None
        self._token = 0
        self._dirty = False
        self._saving = False  # a save is in flight
        self._save_failed = False
        self._fault: str | None = None  # why the file refused the last save, while it does
        self._conflict: merge.Conflict[ModelCase] | None = None
        self._populating = False
        self._errors: list[FieldError] = []
        self._places: list[Ref] = []
        self._themes: list[Ref] = []
        self._photos: list[Photo] = []
        self._thumbs: dict[str, QIcon] = {}
        self._unreadable: set[str] = set()  # photo files missing from the photo folder, or broken
        self._adoptions: list[Adoption] = []
        self._theme_items: dict[str, QTreeWidgetItem] = {}
        self._focus_title_when_loaded = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self._save_now)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(FAULT_RETRY_MS)
        self._retry.timeout.connect(self._save_now)
        self.setStyleSheet(STYLE)
        self._build()
        ops.changed.connect(self._changed)
        self._load_catalog()
        self._show_empty(self.tr("选择一个案例"))

    # public ------------------------------------------------------------------------------------
    @property
    def current_uuid(self) -> str | None:
        """The case being edited (None when none is)."""
        return self._uuid

    @property
    def has_pending_edits(self) -> bool:
        """Whether there are edits not yet handed to the library."""
        return self._dirty

    @property
    def holds_unsaved(self) -> bool:
        """Whether edits wait here because the file refused them (they must not be dropped)."""
        return self._dirty and self._fault is not None

    @property
    def fault(self) -> str | None:
        """Why the file refused the last save, while it does (None otherwise)."""
        return self._fault

    def errors(self) -> list[FieldError]:
        """The validation problems shown now."""
        return list(self._errors)

    def load(self, uuid: str | None) -> bool:
        """Show the case with ``uuid`` (None: nothing); pending valid edits of the previous case are saved.
        False (and the case stays) while edits the file refused wait here: ``flush`` them first."""
        if uuid != self._uuid:
            if self.holds_unsaved:
                return False
            if self._dirty:
                self._save_now()
            self._timer.stop()
            self._retry.stop()
            self._focus_title_when_loaded = False
            self._dirty = False
            self._save_failed = False
            self._show_fault(None)
            self._end_conflict()
            self._snapshot = None
            self._show_errors([])
        self._uuid = uuid
        self._token += 1
        if uuid is None:
            self._show_empty(self.tr("选择一个案例"))
            return True
        if self._snapshot is None:
            self.form.setEnabled(False)
            self.stack.setCurrentWidget(self.page)
        self._fetch(uuid)
        return True

    def focus_title(self) -> None:
        """Put the cursor in the title with its text selected (once the case is shown)."""
        if self._snapshot is None:
            self._focus_title_when_loaded = True
            return
        self.scroller.ensureWidgetVisible(self.title_edit)
        self.title_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.title_edit.selectAll()

    @property
    def in_conflict(self) -> bool:
        """Whether the conflict band is open (the user's edits wait for a decision)."""
        return self._conflict is not None

    def flush(self, timeout_ms: int = 30_000) -> bool:
        """Save pending edits now and wait until the save returns; False if they stay unsaved
        (validation blocks them, they wait in the conflict band for the user's decision, or the file
        refused them — tried once here, then again every few seconds)."""
        deadline = QDeadlineTimer(timeout_ms)
        tried = False
        while not deadline.hasExpired():
            if self._conflict is not None:
                return False
            if self._dirty and not self._saving:
                if tried and self._save_failed:
                    return False
                tried = True
                if not self._save_now():
                    return False
            if not self._dirty and not self._saving:
                break
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        return not self._dirty and not self._saving and not self._save_failed

    def apply_review_move(self, status: ReviewStatus, reason: str = "") -> bool:
        """Move the case along the review chain (退回 needs ``reason``); False when refused."""
        if self._snapshot is None or self._conflict is not None or not self.flush():
            return False
        before = self._snapshot
        reason = reason.strip() if status == ReviewStatus.RETURNED else ""
        try:
            check_review_transition(before.review_status, status, reason)
        except ValidationError as exc:
            self._show_errors(exc.errors)
            return False
        after = replace(before, review_status=status, return_reason=reason)
        problems = self._problems(after)
        if problems:
            self._show_errors(problems)
            return False
        self._show_errors([])
        self._send(
            self.tr("审核：{status}").format(status=status.value),
            after,
            lambda book, _job: book.cases.set_review_status(before.uuid, status, reason, version=before.version),
        )
        self._show_status(after)
        return True

    def add_places(self, places: Sequence[Ref]) -> None:
        """Add places to the case (ones already there are skipped)."""
        known = {p.uuid for p in self._places}
        new = [p for p in places if p.uuid not in known]
        if new:
            self._places.extend(new)
            self._show_places()
            self._edited()

    def add_figure(self) -> int:
        """Add an empty figure row and start editing its 指标 cell; returns the row."""
        row = self.figures_model.add_row()
        index = self.figures_model.index(row, 0)
        self.figures_view.setCurrentIndex(index)
        if self.figures_view.isVisible():
            self.figures_view.edit(index)
        return row

    def add_photo_files(self, paths: Sequence[Path]) -> None:
        """Copy image files into the library's media folder (in the background) and add them as photos."""
        if self._snapshot is None:
            return
        wanted = [p for p in paths if p.suffix.lower() in PHOTO_SUFFIXES]
        skipped = [p.name for p in paths if p.suffix.lower() not in PHOTO_SUFFIXES]
        separator = self.tr("、", "between file names")
        self.photo_notice.setText(
            self.tr("不支持的图片格式：{names}").format(names=separator.join(skipped)) if skipped else ""
        )
        self.photo_notice.setVisible(bool(skipped))
        if not wanted:
            return
        uuid = self._uuid

        def work(book: Casebook, _job: object) -> list[tuple[str, QImage]]:
            names = [book.cases.import_photo(p) for p in wanted]  # files copied into the media folder
            return [(n, thumbnail(book.cases.photo_path(n))) for n in names]

        self.ops.read(
            self.tr("导入照片"),
            work,
            lambda result: self._photos_imported(uuid, result),
            lambda exc, _details: self._photo_failed(exc),
        )

    def save_adoption(self, adoption: Adoption) -> None:
        """Add or change an adoption of the case (saved at once, one operation)."""
        self.ops.write(
            self.tr("保存推广记录"),
            lambda book, _job: book.adoptions.save(adoption),
            lambda _saved: self._load_adoptions(adoption.case_uuid),
            lambda exc, _details: self._adoption_failed(exc),
            initiator=self,
        )

    def remove_adoption(self, uuid: str) -> None:
        """Move an adoption of the case to the trash."""
        if self._uuid is None:
            return
        case_uuid = self._uuid
        self.ops.write(
            self.tr("删除推广记录"),
            lambda book, _job: book.adoptions.trash(uuid),
            lambda _none: self._load_adoptions(case_uuid),
            lambda exc, _details: self._adoption_failed(exc),
            initiator=self,
        )

    def _load_adoptions(self, case_uuid: str) -> None:
        self.ops.read(
            self.tr("读取推广记录"),
            lambda book, _job: book.adoptions.of_case(case_uuid),
            lambda result: self._show_adoptions(case_uuid, result),
            lambda exc, _details: self._adoption_failed(exc),
        )

    # building ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self._line_height = QLineEdit().sizeHint().height()
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)

        self.page = QWidget()
        self.form = QWidget()
        self.form.setObjectName("caseForm")
        body = QVBoxLayout(self.form)
        body.setContentsMargins(16, 4, 16, 16)
        body.setSpacing(6)
        self._build_basics(body)
        self._build_texts(body)
        self._build_figures(body)
        self._build_photos(body)
        self._build_source(body)
        self._build_adoptions(body)
        self._build_review(body)
        body.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(self.form)

        page_layout = QVBoxLayout(self.page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(0)
        page_layout.addWidget(self._build_header())
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #d5dde6;")
        page_layout.addWidget(line)
        self.conflict_panel = ConflictPanel()
        self.conflict_panel.hide()
        self.conflict_panel.chosen.connect(self._choose)
        self.conflict_panel.save_requested.connect(self._save_merged)
        self.conflict_panel.discard_requested.connect(self._discard_mine)
        page_layout.addWidget(self.conflict_panel)
        page_layout.addWidget(self.scroller, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.hint)
        self.stack.addWidget(self.page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self._set_tab_order()

    def _build_header(self) -> QWidget:
        header = QWidget()
        layout = QVBoxLayout(header)
        layout.setContentsMargins(16, 10, 16, 8)
        layout.setSpacing(6)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.status_badge = QLabel()
        self.status_badge.setAccessibleName(self.tr("审核状态"))
        self.status_badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.moves_box = QWidget()
        self.moves_layout = QHBoxLayout(self.moves_box)
        self.moves_layout.setContentsMargins(0, 0, 0, 0)
        self.moves_layout.setSpacing(6)
        self.move_buttons: dict[ReviewStatus, QPushButton] = {}
        self.save_state = QLabel()
        self.save_state.setObjectName("saveState")
        self.save_state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.status_badge)
        row.addWidget(self.moves_box)
        row.addStretch(1)
        row.addWidget(self.save_state)
        layout.addLayout(row)
        self._origin = ""
        self.meta = QLabel()
        self.meta.setObjectName("meta")
        self.meta.setWordWrap(True)
        self.meta.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta.setAccessibleName(self.tr("最后修改"))
        layout.addWidget(self.meta)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.fault_band = QLabel()
        self.fault_band.setObjectName("fault")
        self.fault_band.setWordWrap(True)
        self.fault_band.setAccessibleName(self.tr("保存问题"))
        self.fault_band.hide()
        layout.addWidget(self.fault_band)
        self.general_error = self._error_label()
        layout.addWidget(self.general_error)
        return header

    @staticmethod
    def _error_label() -> QLabel:
        label = QLabel()
        label.setObjectName("fieldError")
        label.setWordWrap(True)
        label.hide()
        return label

    def _section(self, layout: QVBoxLayout, title: str) -> None:
        header = QLabel(title)
        header.setObjectName("sectionHeader")
        header.setAccessibleName(title)
        layout.addWidget(header)

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        return form

    def _row(self, form: QFormLayout, text: str, buddy: QWidget, field: QWidget | None = None) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        # level with the text of a one-line field; one label column width for every form
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        label.setContentsMargins(0, max(0, (self._line_height - label.fontMetrics().height()) // 2), 0, 0)
        label.setMinimumWidth(label.fontMetrics().horizontalAdvance(self.tr("模式类型")) + 8)
        form.addRow(label, field or buddy)
        return label

    def _with_error(self, widget: QWidget, error: QLabel) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(error)
        return box

    def _line(self, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(self._edited)
        return edit

    def _build_basics(self, body: QVBoxLayout) -> None:
        self._section(body, self.tr("基本信息"))
        form = self._form()
        self.title_edit = self._line(self.tr("标题"), self.tr("案例标题（必填）"))
        self.title_error = self._error_label()
        self._row(form, self.tr("标题"), self.title_edit, self._with_error(self.title_edit, self.title_error))
        self.subtitle_edit = self._line(self.tr("副标题"), self.tr("如：地点、范围"))
        self.subtitle_error = self._error_label()
        self._row(
            form, self.tr("副标题"), self.subtitle_edit, self._with_error(self.subtitle_edit, self.subtitle_error)
        )

        self.model_type_combo = QComboBox()
        self.model_type_combo.setAccessibleName(self.tr("模式类型"))
        self.model_type_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_type_combo.setMinimumContentsLength(10)
        self.model_type_combo.currentIndexChanged.connect(self._edited)
        self._row(form, self.tr("模式类型"), self.model_type_combo)

        self.places_list = QListWidget()
        self.places_list.setAccessibleName(self.tr("地区列表"))
        self.places_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        rows = self.places_list.fontMetrics().lineSpacing() + 6
        self.places_list.setFixedHeight(rows * 3 + 8)
        self.places_list.itemSelectionChanged.connect(self._update_buttons)
        self.add_place_button = QPushButton(self.tr("添加…"))
        self.add_place_button.setAccessibleName(self.tr("添加地区"))
        self.add_place_button.clicked.connect(self._pick_places)
        self.remove_place_button = QPushButton(self.tr("移除"))
        self.remove_place_button.setAccessibleName(self.tr("移除所选地区"))
        self.remove_place_button.clicked.connect(self._remove_places)
        place_buttons = QVBoxLayout()
        place_buttons.setSpacing(4)
        place_buttons.addWidget(self.add_place_button)
        place_buttons.addWidget(self.remove_place_button)
        place_buttons.addStretch(1)
        places = QWidget()
        places_row = QHBoxLayout(places)
        places_row.setContentsMargins(0, 0, 0, 0)
        places_row.addWidget(self.places_list, 1)
        places_row.addLayout(place_buttons)
        self._row(form, self.tr("地区"), self.places_list, places)

        self.theme_chips = ChipBox(self.tr("主题"), self.tr("未选择主题"))
        self.theme_chips.remove_requested.connect(self._remove_theme)
        self.theme_toggle = QToolButton()
        self.theme_toggle.setText(self.tr("选择主题"))
        self.theme_toggle.setAccessibleName(self.tr("选择主题"))
        self.theme_toggle.setCheckable(True)
        self.theme_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.theme_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.theme_toggle.toggled.connect(self._toggle_theme_tree)
        self.theme_tree = QTreeWidget()
        self.theme_tree.setHeaderHidden(True)
        self.theme_tree.setAccessibleName(self.tr("主题树"))
        self.theme_tree.setFixedHeight(220)
        self.theme_tree.setVisible(False)
        self.theme_tree.itemChanged.connect(self._theme_checked)
        themes = QWidget()
        themes_layout = QVBoxLayout(themes)
        themes_layout.setContentsMargins(0, 0, 0, 0)
        themes_layout.setSpacing(4)
        themes_layout.addWidget(self.theme_chips)
        themes_layout.addWidget(self.theme_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        themes_layout.addWidget(self.theme_tree)
        self._row(form, self.tr("主题"), self.theme_toggle, themes)

        self.tags_edit = TagEdit()
        self.tags_edit.setAccessibleName(self.tr("标签"))
        self.tags_edit.setPlaceholderText(self.tr("用顿号或逗号分隔，如：强村公司、飞地抱团"))
        self.tags_edit.textChanged.connect(self._edited)
        self._row(form, self.tr("标签"), self.tags_edit)
        body.addLayout(form)

    def _build_texts(self, body: QVBoxLayout) -> None:
        self._section(body, self.tr("正文"))
        self.text_edits: dict[str, QPlainTextEdit] = {}
        for name, title in (
            ("basic_situation", self.tr("基本情况")),
            ("practices", self.tr("主要做法")),
            ("outcomes", self.tr("取得成效")),
            ("lessons", self.tr("经验启示")),
        ):
            label = QLabel(title)
            label.setObjectName("textHeader")
            edit = QPlainTextEdit()
            edit.setAccessibleName(title)
            edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * 7 + 14)
            edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            edit.textChanged.connect(self._edited)
            label.setBuddy(edit)
            body.addWidget(label)
            body.addWidget(edit)
            self.text_edits[name] = edit

    def _build_figures(self, body: QVBoxLayout) -> None:
        self._section(body, self.tr("数据"))
        self.figures_model = FiguresModel(self)
        self.figures_model.edited.connect(self._edited)
        self.figures_view = QTableView()
        self.figures_view.setModel(self.figures_model)
        self.figures_view.setAccessibleName(self.tr("数据表"))
        self.figures_view.setTabKeyNavigation(False)
        self.figures_view.setWordWrap(False)
        self.figures_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.figures_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.figures_view.verticalHeader().setDefaultSectionSize(26)
        header = self.figures_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 64), (2, 52), (3, 100), (4, 100)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.figures_view.setMinimumHeight(150)
        self.figures_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.add_figure_button = QPushButton(self.tr("添加一行"))
        self.add_figure_button.setAccessibleName(self.tr("添加数据"))
        self.add_figure_button.clicked.connect(self.add_figure)
        self.remove_figure_button = QPushButton(self.tr("删除所选行"))
        self.remove_figure_button.setAccessibleName(self.tr("删除所选数据"))
        self.remove_figure_button.clicked.connect(self._remove_figures)
        self.figures_error = self._error_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_figure_button)
        buttons.addWidget(self.remove_figure_button)
        buttons.addStretch(1)
        body.addWidget(self.figures_view)
        body.addWidget(self.figures_error)
        body.addLayout(buttons)

    def _build_photos(self, body: QVBoxLayout) -> None:
        self._section(body, self.tr("照片"))
        self.photo_list = PhotoList()
        self.photo_list.setAccessibleName(self.tr("照片"))
        self.photo_list.files_dropped.connect(self.add_photo_files)
        self.photo_list.currentRowChanged.connect(self._photo_selected)
        self.add_photo_button = QPushButton(self.tr("添加照片…"))
        self.add_photo_button.setAccessibleName(self.tr("添加照片"))
        self.add_photo_button.clicked.connect(self._choose_photos)
        self.remove_photo_button = QPushButton(self.tr("移除照片"))
        self.remove_photo_button.setAccessibleName(self.tr("移除所选照片"))
        self.remove_photo_button.clicked.connect(self._remove_photo)
        self.photo_error = self._error_label()
        self.photo_notice = self._error_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_photo_button)
        buttons.addWidget(self.remove_photo_button)
        buttons.addStretch(1)
        form = self._form()
        self.caption_edit = QLineEdit()
        self.caption_edit.setAccessibleName(self.tr("照片说明"))
        self.caption_edit.setPlaceholderText(self.tr("所选照片的说明"))
        self.caption_edit.textEdited.connect(self._photo_text_edited)
        self.credit_edit = QLineEdit()
        self.credit_edit.setAccessibleName(self.tr("照片署名"))
        self.credit_edit.setPlaceholderText(self.tr("拍摄者或提供单位"))
        self.credit_edit.textEdited.connect(self._photo_text_edited)
        self._row(form, self.tr("说明"), self.caption_edit)
        self._row(form, self.tr("署名"), self.credit_edit)
        body.addWidget(self.photo_list)
        body.addWidget(self.photo_error)
        body.addWidget(self.photo_notice)
        body.addLayout(buttons)
        body.addLayout(form)

    def _build_source(self, body: QVBoxLayout) -> None:
        self._section(body, self.tr("来源与报送"))
        form = self._form()
        self.source_edit = self._line(self.tr("来源"), self.tr("如：报送单位、报道出处"))
        self._row(form, self.tr("来源"), self.source_edit)
        self.url_edit = self._line(self.tr("链接"), "https://")
        self.open_url_button = QToolButton()
        self.open_url_button.setText(self.tr("打开"))
        self.open_url_button.setAccessibleName(self.tr("在浏览器中打开链接"))
        self.open_url_button.clicked.connect(self._open_url)
        url_row = QWidget()
        url_layout = QHBoxLayout(url_row)
        url_layout.setContentsMargins(0, 0, 0, 0)
        url_layout.addWidget(self.url_edit, 1)
        url_layout.addWidget(self.open_url_button)
        self._row(form, self.tr("链接"), self.url_edit, url_row)
        self.reported_edit = OptionalDateEdit()
        self.reported_edit.setAccessibleName(self.tr("报送日期"))
        self.reported_edit.dateChanged.connect(self._edited)
        self.clear_date_button = QToolButton()
        self.clear_date_button.setText(self.tr("清除"))
        self.clear_date_button.setAccessibleName(self.tr("清除报送日期"))
        self.clear_date_button.clicked.connect(lambda: self.reported_edit.set_value(None))
        date_row = QWidget()
        date_layout = QHBoxLayout(date_row)
        date_layout.setContentsMargins(0, 0, 0, 0)
        date_layout.addWidget(self.reported_edit)
        date_layout.addWidget(self.clear_date_button)
        date_layout.addStretch(1)
        self._row(form, self.tr("报送日期"), self.reported_edit, date_row)
        body.addLayout(form)

    def _build_adoptions(self, body: QVBoxLayout) -> None:
        self._section(body, self.tr("推广"))
        self.adoptions_view = QTreeWidget()
        self.adoptions_view.setAccessibleName(self.tr("推广记录"))
        self.adoptions_view.setRootIsDecorated(False)
        self.adoptions_view.setColumnCount(4)
        self.adoptions_view.setHeaderLabels([self.tr("地区"), self.tr("日期"), self.tr("方式"), self.tr("说明")])
        header = self.adoptions_view.header()
        header.setStretchLastSection(True)
        header.resizeSection(0, 150)
        header.resizeSection(1, 90)
        header.resizeSection(2, 48)
        self.adoptions_view.setMinimumHeight(110)
        self.adoptions_view.setFixedHeight(130)
        self.adoptions_view.itemSelectionChanged.connect(self._update_buttons)
        self.adoptions_view.itemDoubleClicked.connect(lambda *_: self._edit_adoption())
        self.add_adoption_button = QPushButton(self.tr("添加…"))
        self.add_adoption_button.setAccessibleName(self.tr("添加推广记录"))
        self.add_adoption_button.clicked.connect(self._new_adoption)
        self.edit_adoption_button = QPushButton(self.tr("修改…"))
        self.edit_adoption_button.setAccessibleName(self.tr("修改推广记录"))
        self.edit_adoption_button.clicked.connect(self._edit_adoption)
        self.remove_adoption_button = QPushButton(self.tr("删除"))
        self.remove_adoption_button.setAccessibleName(self.tr("删除推广记录"))
        self.remove_adoption_button.clicked.connect(self._remove_adoption)
        self.adoption_error = self._error_label()
        buttons = QHBoxLayout()
        for button in (self.add_adoption_button, self.edit_adoption_button, self.remove_adoption_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        body.addWidget(self.adoptions_view)
        body.addWidget(self.adoption_error)
        body.addLayout(buttons)

    def _build_review(self, body: QVBoxLayout) -> None:
        self._section(body, self.tr("审核记录"))
        self.return_reason = QLabel()
        self.return_reason.setWordWrap(True)
        self.return_reason.setObjectName("banner")
        self.return_reason.setAccessibleName(self.tr("退回原因"))
        self.return_reason.hide()
        self.return_error = self._error_label()
        self.review_log = QLabel()
        self.review_log.setWordWrap(True)
        self.review_log.setTextFormat(Qt.TextFormat.PlainText)
        self.review_log.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.review_log.setAccessibleName(self.tr("审核记录"))
        body.addWidget(self.return_reason)
        body.addWidget(self.return_error)
        body.addWidget(self.review_log)

    def _focus_chain(self) -> list[QWidget]:
        chain: list[QWidget] = list(self.move_buttons.values())
        chain += [self.title_edit, self.subtitle_edit, self.model_type_combo, self.places_list]
        chain += [self.add_place_button, self.remove_place_button, *self.theme_chips.chips(), self.theme_toggle]
        chain += [self.theme_tree, self.tags_edit, *self.text_edits.values(), self.figures_view]
        chain += [self.add_figure_button, self.remove_figure_button, self.photo_list, self.add_photo_button]
        chain += [self.remove_photo_button, self.caption_edit, self.credit_edit, self.source_edit, self.url_edit]
        chain += [self.open_url_button, self.reported_edit, self.clear_date_button, self.adoptions_view]
        chain += [self.add_adoption_button, self.edit_adoption_button, self.remove_adoption_button]
        return chain

    def _set_tab_order(self) -> None:
        chain = self._focus_chain()
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # loading -----------------------------------------------------------------------------------
    def _load_catalog(self) -> None:
        self.ops.read(
            self.tr("读取目录"),
            lambda book, _job: _Catalog(book.catalog.model_types(), book.catalog.themes(), book.catalog.tags()),
            self._show_catalog,
            key=f"catalog-{id(self)}",
        )

    def _show_catalog(self, catalog: _Catalog) -> None:
        self._populating = True
        try:
            current = self.model_type_combo.currentData()
            self.model_type_combo.clear()
            self.model_type_combo.addItem(self.tr("（未选择）"), None)
            for mt in catalog.model_types:
                self.model_type_combo.addItem(mt.name, Ref(mt.uuid, mt.name))
            self._select_model_type(current)
            self.theme_tree.clear()
            self._theme_items = {}
            for theme in catalog.themes:
                text = f"{theme.code} {theme.name}" if theme.code else theme.name
                item = QTreeWidgetItem([text])
                item.setData(0, Qt.ItemDataRole.UserRole, Ref(theme.uuid, theme.name))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Unchecked)
                if theme.description:
                    item.setToolTip(0, theme.description)
                parent = self._theme_items.get(theme.parent_uuid or "")
                if parent is None:
                    self.theme_tree.addTopLevelItem(item)
                else:
                    parent.addChild(item)
                self._theme_items[theme.uuid] = item
            for i in range(self.theme_tree.topLevelItemCount()):
                top = self.theme_tree.topLevelItem(i)
                if top is not None:
                    top.setExpanded(True)
            self._sync_theme_checks()
            self.tags_edit.set_vocabulary([t.name for t in catalog.tags])
        finally:
            self._populating = False

    def _fetch(self, uuid: str) -> None:
        token, known = self._token, set(self._thumbs)

        def work(book: Casebook, _job: object) -> _Loaded:
            cases = book.cases
            case = cases.get(uuid)
            thumbs = {
                p.file_name: thumbnail(cases.photo_path(p.file_name)) for p in case.photos if p.file_name not in known
            }
            origin = book.share.provenance(uuid)
            summary = origin.summary() if origin else ""
            return _Loaded(case, book.adoptions.of_case(uuid), cases.review_history(uuid), thumbs, summary)

        self.ops.read(
            self.tr("读取案例"),
            work,
            lambda result: self._loaded(token, result),
            lambda exc, _details: self._load_failed(token, exc),
        )

    def _loaded(self, token: int, data: _Loaded) -> None:
        if token != self._token:
            return
        for name, image in data.thumbs.items():
            self._keep_thumbnail(name, image)
        first = self._snapshot is None
        if self._dirty and self._snapshot is not None:
            # Edits are waiting: they stay an edit of the version loaded before, so that a change
            # made meanwhile elsewhere meets them as a conflict instead of being overwritten.
            pass
        else:
            self._snapshot = data.case
            self._populate(data.case)
        self._origin = data.origin
        self._show_meta(data.case, data.review)
        self._show_adoptions(data.case.uuid, data.adoptions)
        self.stack.setCurrentWidget(self.page)
        self.form.setEnabled(not data.case.in_trash)
        self.moves_box.setEnabled(not data.case.in_trash)
        self.banner.setText(self.tr("此案例在回收站中，恢复后才能编辑。"))
        self.banner.setVisible(data.case.in_trash)
        if first:
            self.scroller.verticalScrollBar().setValue(0)
            self._set_save_state("")
        if self._focus_title_when_loaded:
            self._focus_title_when_loaded = False
            self.focus_title()
        self.loaded.emit(data.case.uuid)

    def _load_failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        if isinstance(exc, NotFoundError):
            self._uuid, self._snapshot, self._dirty = None, None, False
            self._show_empty(self.tr("找不到这个案例，它可能已被彻底删除。"))
        else:
            self.general_error.setText(self.tr("读取案例失败：{error}").format(error=exc))
            self.general_error.show()

    def _show_empty(self, text: str) -> None:
        self.hint.setText(text)
        self.stack.setCurrentWidget(self.hint)
        self.form.setEnabled(False)

    def _populate(self, case: ModelCase) -> None:
        """Show a case, touching only widgets whose value differs (so the cursor stays put)."""
        self._populating = True
        try:
            for edit, text in (
                (self.title_edit, case.title),
                (self.subtitle_edit, case.subtitle),
                (self.source_edit, case.source),
                (self.url_edit, case.source_url),
            ):
                if edit.text() != text:
                    edit.setText(text)
                    edit.setCursorPosition(0)
            for name, text_edit in self.text_edits.items():
                if text_edit.toPlainText() != getattr(case, name):
                    text_edit.setPlainText(getattr(case, name))
            self._select_model_type(case.model_type)
            if self._places != case.places:
                self._places = list(case.places)
                self._show_places()
            if self._themes != case.themes:
                self._themes = list(case.themes)
                self._show_themes()
            self.tags_edit.set_tags(case.tags)
            if self.figures_model.figures() != case.figures:
                self.figures_model.set_figures(case.figures)
            if self._photos != case.photos:
                self._photos = list(case.photos)
                self._show_photos()
            if self.reported_edit.value() != case.reported_on:
                self.reported_edit.set_value(case.reported_on)
            self._show_status(case)
        finally:
            self._populating = False
        self._update_buttons()

    def _select_model_type(self, ref: Ref | None) -> None:
        if ref is None:
            self.model_type_combo.setCurrentIndex(0)
            return
        for i in range(self.model_type_combo.count()):
            data = self.model_type_combo.itemData(i)
            if data is not None and data.uuid == ref.uuid:
                self.model_type_combo.setCurrentIndex(i)
                return
        self.model_type_combo.addItem(ref.name, ref)
        self.model_type_combo.setCurrentIndex(self.model_type_combo.count() - 1)

    def _show_places(self) -> None:
        self.places_list.clear()
        for place in self._places:
            item = QListWidgetItem(place.name)
            item.setData(Qt.ItemDataRole.UserRole, place.uuid)
            item.setToolTip(place.name)
            self.places_list.addItem(item)
        if not self._places:
            item = QListWidgetItem(self.tr("未选择地区，点“添加…”从地区树中选择"))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setForeground(QColor("#90a4ae"))
            self.places_list.addItem(item)
        self._update_buttons()

    def _show_themes(self) -> None:
        self.theme_chips.set_items([(t.uuid, t.name) for t in self._themes])
        self._sync_theme_checks()
        self._set_tab_order()

    def _sync_theme_checks(self) -> None:
        chosen = {t.uuid for t in self._themes}
        populating, self._populating = self._populating, True
        try:
            for uuid, item in self._theme_items.items():
                state = Qt.CheckState.Checked if uuid in chosen else Qt.CheckState.Unchecked
                if item.checkState(0) != state:
                    item.setCheckState(0, state)
                parent = item.parent() if uuid in chosen else None
                while parent is not None:
                    parent.setExpanded(True)
                    parent = parent.parent()
        finally:
            self._populating = populating

    def _keep_thumbnail(self, name: str, image: QImage) -> None:
        self._thumbs[name] = QIcon(QPixmap.fromImage(image)) if not image.isNull() else QIcon()
        if image.isNull():
            self._unreadable.add(name)
        else:
            self._unreadable.discard(name)

    def _show_photos(self) -> None:
        row = self.photo_list.currentRow()
        self.photo_list.clear()
        for i, photo in enumerate(self._photos):
            item = QListWidgetItem(self._thumbs.get(photo.file_name, QIcon()), self._photo_text(i, photo))
            item.setToolTip(photo.caption or photo.file_name)
            if photo.file_name in self._unreadable:
                item.setText(item.text() + self.tr("（照片文件缺失或无法读取）"))
                item.setToolTip(
                    self.tr("照片文件 {name} 不在照片文件夹中或无法读取；简报在此处印出说明文字。").format(
                        name=photo.file_name
                    )
                )
                item.setForeground(QColor(ERROR_RED))
            self.photo_list.addItem(item)
        if self._photos:
            self.photo_list.setCurrentRow(min(max(row, 0), len(self._photos) - 1))
        else:
            self._photo_selected(-1)

    def _photo_text(self, i: int, photo: Photo) -> str:
        return photo.caption or self.tr("照片 {n}").format(n=i + 1)

    def _show_status(self, case: ModelCase) -> None:
        background, color = STATUS_COLORS[case.review_status]
        self.status_badge.setText(case.review_status.value)
        self.status_badge.setStyleSheet(
            f"background: {background}; color: {color}; border-radius: 10px; padding: 3px 12px; font-weight: 600;"
        )
        self.status_badge.setAccessibleDescription(case.review_status.value)
        for button in self.move_buttons.values():
            self.moves_layout.removeWidget(button)
            button.deleteLater()
        self.move_buttons = {}
        allowed = REVIEW_TRANSITIONS[case.review_status]
        for target in MOVE_ORDER:
            if target in allowed:
                button = QPushButton(self._move_text(case.review_status, target))
                button.setAccessibleName(button.text().rstrip("…"))
                button.clicked.connect(lambda _checked=False, t=target: self._move_clicked(t))
                self.moves_layout.addWidget(button)
                self.move_buttons[target] = button
        if case.review_status == ReviewStatus.RETURNED and case.return_reason:
            self.return_reason.setText(self.tr("退回原因：{reason}").format(reason=case.return_reason))
            self.return_reason.show()
        else:
            self.return_reason.hide()
        self._set_tab_order()

    def _move_text(self, current: ReviewStatus, target: ReviewStatus) -> str:
        if target == ReviewStatus.SUBMITTED:
            return self.tr("重新报送") if current == ReviewStatus.RETURNED else self.tr("报送")
        if target == ReviewStatus.APPROVED:
            return self.tr("撤销推荐") if current == ReviewStatus.RECOMMENDED else self.tr("审核通过")
        if target == ReviewStatus.RECOMMENDED:
            return self.tr("推荐推广")
        if target == ReviewStatus.DRAFT:
            return self.tr("改回草稿")
        return self.tr("退回…")

    def _show_meta(self, case: ModelCase, review: list[tuple[str, str, str, str, str]]) -> None:
        who = case.updated_by or self.tr("未知")
        text = self.tr("最后修改：{who} {time}").format(who=who, time=local_time(case.updated_at))
        if self._origin:
            text += "\n" + self.tr("来源：{origin}").format(origin=self._origin)
        self.meta.setText(text)
        if not review:
            self.review_log.setText(self.tr("暂无审核记录"))
            return
        lines = []
        for at, by, old, new, reason in reversed(review):
            line = f"{local_stamp(at)}  {by}  {old} → {new}"
            if reason:
                line += self.tr("（原因：{reason}）").format(reason=reason)
            lines.append(line)
        self.review_log.setText("\n".join(lines))

    def _show_adoptions(self, case_uuid: str, adoptions: list[Adoption]) -> None:
        if case_uuid != self._uuid:
            return
        self.adoption_error.hide()
        self._adoptions = list(adoptions)
        self.adoptions_view.clear()
        for a in adoptions:
            item = QTreeWidgetItem(
                [a.region.name, a.adopted_on.isoformat() if a.adopted_on else self.tr("未填"), a.extent.value, a.note]
            )
            item.setToolTip(0, a.region.name)
            item.setToolTip(3, a.note)
            item.setData(0, Qt.ItemDataRole.UserRole, a.uuid)
            self.adoptions_view.addTopLevelItem(item)
        self._update_buttons()

    def _refresh_meta(self) -> None:
        if self._uuid is None:
            return
        token, uuid = self._token, self._uuid
        self.ops.read(
            self.tr("读取案例"),
            lambda book, _job: (book.cases.get(uuid), book.cases.review_history(uuid)),
            lambda result: self._meta_arrived(token, *result),
            lambda _exc, _details: None,
        )

    def _meta_arrived(self, token: int, case: ModelCase, review: list[tuple[str, str, str, str, str]]) -> None:
        if token != self._token or self._snapshot is None:
            return
        self._show_meta(case, review)  # who changed it last; the version edits are based on stays

    # editing -----------------------------------------------------------------------------------
    def _edited(self, *_args: object) -> None:
        if self._populating or self._snapshot is None:
            return
        self._dirty = True
        self._timer.start()
        if self._errors:
            self._show_errors(self._problems(self._collect()))
        if self._errors:
            self._set_save_state(self.tr("有 {n} 处问题，改正后自动保存").format(n=len(self._errors)), problem=True)
        else:
            self._set_save_state(self.tr("正在编辑…"))

    def _collect(self) -> ModelCase:
        assert self._snapshot is not None
        return replace(
            self._snapshot,
            title=self.title_edit.text(),
            subtitle=self.subtitle_edit.text(),
            model_type=self.model_type_combo.currentData(),
            places=list(self._places),
            themes=list(self._themes),
            tags=self.tags_edit.tags(),
            basic_situation=self.text_edits["basic_situation"].toPlainText(),
            practices=self.text_edits["practices"].toPlainText(),
            outcomes=self.text_edits["outcomes"].toPlainText(),
            lessons=self.text_edits["lessons"].toPlainText(),
            figures=self.figures_model.figures(),
            photos=list(self._photos),
            source=self.source_edit.text(),
            source_url=self.url_edit.text().strip(),
            reported_on=self.reported_edit.value(),
        )

    @staticmethod
    def _problems(case: ModelCase) -> list[FieldError]:
        try:
            validate_case(case)
        except ValidationError as exc:
            return list(exc.errors)
        return []

    def _save_now(self) -> bool:
        """Save pending edits (one undoable operation); False if they are invalid or wait in the conflict
        band. While a save is in flight the edits wait for it and go right after, at its version."""
        self._timer.stop()
        self._retry.stop()
        if self._snapshot is None:
            self._dirty = False
            return True
        if self._conflict is not None:
            return False
        after = self._collect()
        problems = self._problems(after)
        self._show_errors(problems)
        if problems:
            self._set_save_state(self.tr("有 {n} 处问题，改正后自动保存").format(n=len(problems)), problem=True)
            return False
        if self._saving:
            return True  # saved when the save in flight returns
        self._dirty = False
        if after == self._snapshot:
            self._set_save_state(self.tr("已保存"))
            return True
        self._send(self.tr("编辑案例"), after, lambda book, _job: book.cases.update(after))
        return True

    def _send(self, label: str, after: ModelCase, op: Any) -> None:
        """Run a save of this case; its answer (or refusal) comes back to this editor."""
        token = self._token
        self._saving = True
        self._save_failed = False
        self._set_save_state(self.tr("正在保存…"))
        self.ops.write(
            label,
            op,
            lambda stored: self._saved(token, stored),
            lambda exc, details: self._refused(token, after, exc, details),
            initiator=self,
        )

    def _saved(self, token: int, stored: ModelCase) -> None:
        if token != self._token:
            return
        self._saving = False
        self._save_failed = False
        self._show_fault(None)
        self._snapshot = stored  # what is stored now: the base of the next save
        if not self._dirty:
            self._populate(stored)  # what the service made of it (trimmed text, a review move)
            self._set_save_state(self.tr("已保存"))
        self._refresh_meta()
        self.saved.emit(stored.uuid)
        if self._dirty:
            self._save_now()

    def _refused(self, token: int, mine: ModelCase, exc: BaseException, details: str) -> None:
        if token != self._token:
            return
        self._saving = False
        if isinstance(exc, ConcurrentEditError) and isinstance(exc.current, ModelCase):
            self._start_conflict(exc.current, self._collect() if self._dirty else mine)
            return
        self._dirty = True
        self._save_failed = True
        if isinstance(exc, ValidationError):
            self._show_errors(exc.errors)
            self._set_save_state(self.tr("有 {n} 处问题，改正后自动保存").format(n=len(exc.errors)), problem=True)
        elif isinstance(exc, LibraryWriteError):
            # the file, not the edit: say so in place (no dialog each try) and try again shortly
            self._set_save_state(self.tr("未能保存"), problem=True)
            self._show_fault(str(exc))
            if exc.retry_later:
                self._retry.start()
        elif isinstance(exc, NotFoundError):
            self._set_save_state(self.tr("保存失败"), problem=True)
            self.banner.setText(self.tr("此案例已被删除或移到回收站，修改未能保存。恢复后可再保存。"))
            self.banner.show()
        else:
            self._set_save_state(self.tr("保存失败"), problem=True)
            show_error(self, exc, details)

    # conflicts ---------------------------------------------------------------------------------
    def _start_conflict(self, theirs: ModelCase, mine: ModelCase) -> None:
        """Someone else saved first: merge what only one side changed, ask about the rest."""
        assert self._snapshot is not None
        base = self._snapshot
        self._conflict = merge.Conflict.of(base, mine, theirs, merge.case_fields())
        self._snapshot = theirs  # the form is now an edit of what is stored
        self._dirty = True
        self._show_conflict()
        self._apply_choices()

    def _show_conflict(self) -> None:
        conflict = self._conflict
        assert conflict is not None
        theirs = conflict.theirs
        title = self.tr("此案例已被{who}于 {time} 修改，你的修改尚未保存。").format(
            who=theirs.updated_by or self.tr("其他用户"), time=local_time(theirs.updated_at)
        )
        self.conflict_panel.show_conflict(title, conflict.diffs, conflict.choices)
        self._set_save_state(self.tr("修改冲突，请决定后保存"), problem=True)

    def _choose(self, name: str, side: merge.Side) -> None:
        if self._conflict is not None:
            self._populate(self._conflict.choose(name, side))

    def _apply_choices(self) -> None:
        assert self._conflict is not None
        self._populate(self._conflict.merged())

    def _save_merged(self) -> None:
        """保存合并结果: save what the form shows over the version stored now."""
        if self._conflict is None:
            return
        self._end_conflict()
        self._dirty = True
        if not self._save_now():
            self._dirty = True

    def _discard_mine(self) -> None:
        """放弃我的修改: show the stored case as it is."""
        conflict = self._conflict
        if conflict is None:
            return
        self._end_conflict()
        self._dirty = False
        self._snapshot = conflict.theirs
        self._populate(conflict.theirs)
        self._set_save_state(self.tr("已改为对方保存的内容"))

    def _end_conflict(self) -> None:
        self._conflict = None
        if hasattr(self, "conflict_panel"):
            self.conflict_panel.hide()

    # change sets ---------------------------------------------------------------------------------
    def _changed(self, changes: ChangeSet, initiator: object) -> None:
        """A change set arrived: the lists of model types, themes and tags may differ; the case shown
        may have been changed elsewhere (shown at once when nothing is typed here, else the next save
        meets it as a conflict)."""
        if changes.vocabulary & {RecordKind.MODEL_TYPE, RecordKind.THEME, RecordKind.TAG}:
            self._load_catalog()
        if self._uuid is None or initiator is self:
            return
        if changes.touches(RecordKind.ADOPTION) and not changes.touches(RecordKind.CASE, self._uuid):
            self._load_adoptions(self._uuid)
        if not changes.touches(RecordKind.CASE, self._uuid):
            return
        if self._conflict is not None or self._saving:
            return
        if self._dirty:
            self._save_now()  # refused if the other change came first: the conflict band opens
        else:
            self._fetch(self._uuid)

    def _show_fault(self, message: str | None) -> None:
        """The band saying why the file refuses the edits, and that they are kept (None: hide it)."""
        self._fault = message
        self.fault_band.setVisible(message is not None)
        if message is not None:
            self.fault_band.setText(
                message
                + "\n"
                + self.tr("修改仍保留在窗口中，{s} 秒后自动重试；保存之前不会切换到其他案例。").format(
                    s=FAULT_RETRY_MS // 1000
                )
            )

    def _set_save_state(self, text: str, *, problem: bool = False) -> None:
        self.save_state.setText(text)
        self.save_state.setProperty("problem", problem)
        self.save_state.style().unpolish(self.save_state)
        self.save_state.style().polish(self.save_state)

    def _show_errors(self, errors: list[FieldError]) -> None:
        """Show each problem at its field; fields without a problem are cleared."""
        self._errors = list(errors)
        by_key: dict[str, list[FieldError]] = {}
        for e in errors:
            by_key.setdefault(field_key(e.field), []).append(e)
        targets: dict[str, tuple[QWidget | None, QLabel]] = {
            "title": (self.title_edit, self.title_error),
            "subtitle": (self.subtitle_edit, self.subtitle_error),
            "figures": (self.figures_view, self.figures_error),
            "photos": (self.photo_list, self.photo_error),
            "return_reason": (None, self.return_error),
            "review_status": (None, self.return_error),
        }
        messages: dict[QLabel, list[str]] = {label: [] for _widget, label in targets.values()}
        for key, (widget, label) in targets.items():
            found = by_key.pop(key, [])
            messages[label] += [e.message if key in ("title", "subtitle") else str(e) for e in found]
            if widget is not None:
                self._mark(widget, bool(found), "；".join(str(e) for e in found))
        for label, lines in messages.items():
            label.setText("\n".join(lines))
            label.setVisible(bool(lines))
        rest = [str(e) for errs in by_key.values() for e in errs]
        self.general_error.setText("\n".join(rest))
        self.general_error.setVisible(bool(rest))
        cells: dict[tuple[int, str], str] = {}
        for e in errors:
            match = re.fullmatch(r"figures\[(\d+)\]\.(\w+)", e.field)
            if match:
                cells[(int(match.group(1)), match.group(2))] = e.message
        self.figures_model.set_errors(cells)
        for i in range(self.photo_list.count()):
            bad = any(e.field.startswith(f"photos[{i}]") for e in errors)
            self.photo_list.item(i).setBackground(QColor(ERROR_FILL) if bad else QColor(0, 0, 0, 0))

    @staticmethod
    def _mark(widget: QWidget, invalid: bool, description: str) -> None:
        if bool(widget.property("invalid")) != invalid:
            widget.setProperty("invalid", invalid)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
            widget.update()
        widget.setAccessibleDescription(description)

    # field actions -----------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        self.remove_place_button.setEnabled(bool(self._places) and bool(self.places_list.selectedItems()))
        self.remove_figure_button.setEnabled(self.figures_view.selectionModel().hasSelection())
        self.remove_photo_button.setEnabled(self.photo_list.currentRow() >= 0)
        chosen = bool(self.adoptions_view.selectedItems())
        self.edit_adoption_button.setEnabled(chosen)
        self.remove_adoption_button.setEnabled(chosen)

    def _pick_places(self) -> None:
        dialog = RegionPickerDialog(self.ops, self, title=self.tr("添加地区"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_places(dialog.selected_refs())

    def _remove_places(self) -> None:
        chosen = {item.data(Qt.ItemDataRole.UserRole) for item in self.places_list.selectedItems()}
        if chosen:
            self._places = [p for p in self._places if p.uuid not in chosen]
            self._show_places()
            self._edited()

    def _toggle_theme_tree(self, shown: bool) -> None:
        self.theme_tree.setVisible(shown)
        self.theme_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _theme_checked(self, item: QTreeWidgetItem, _column: int) -> None:
        if self._populating:
            return
        ref: Ref = item.data(0, Qt.ItemDataRole.UserRole)
        checked = item.checkState(0) == Qt.CheckState.Checked
        present = any(t.uuid == ref.uuid for t in self._themes)
        if checked and not present:
            self._themes.append(ref)
        elif not checked and present:
            self._themes = [t for t in self._themes if t.uuid != ref.uuid]
        else:
            return
        self._show_themes()
        self._edited()

    def _remove_theme(self, uuid: str) -> None:
        self._themes = [t for t in self._themes if t.uuid != uuid]
        self._show_themes()
        self.theme_toggle.setFocus()
        self._edited()

    def _remove_figures(self) -> None:
        rows = [index.row() for index in self.figures_view.selectionModel().selectedRows()]
        self.figures_model.remove_rows(rows)
        self._update_buttons()

    def _choose_photos(self) -> None:
        patterns = " ".join(f"*{s}" for s in PHOTO_SUFFIXES)
        files, _filter = QFileDialog.getOpenFileNames(self, self.tr("添加照片"), "", self.tr("图片") + f" ({patterns})")
        if files:
            self.add_photo_files([Path(f) for f in files])

    def _photos_imported(self, uuid: str | None, result: list[tuple[str, QImage]]) -> None:
        if uuid != self._uuid or self._snapshot is None:
            return
        for name, image in result:
            self._keep_thumbnail(name, image)
            self._photos.append(Photo(file_name=name))
        self._show_photos()
        self.photo_list.setCurrentRow(len(self._photos) - 1)
        self._edited()

    def _photo_failed(self, exc: BaseException) -> None:
        self.photo_notice.setText(self.tr("照片导入失败：{error}").format(error=exc))
        self.photo_notice.show()

    def _photo_selected(self, row: int) -> None:
        valid = 0 <= row < len(self._photos)
        for edit, text in (
            (self.caption_edit, self._photos[row].caption if valid else ""),
            (self.credit_edit, self._photos[row].credit if valid else ""),
        ):
            edit.setText(text)
            edit.setEnabled(valid)
        self.remove_photo_button.setEnabled(valid)

    def _photo_text_edited(self, _text: str) -> None:
        row = self.photo_list.currentRow()
        if not 0 <= row < len(self._photos):
            return
        photo = replace(self._photos[row], caption=self.caption_edit.text(), credit=self.credit_edit.text())
        self._photos[row] = photo
        item = self.photo_list.item(row)
        item.setText(self._photo_text(row, photo))
        item.setToolTip(photo.caption or photo.file_name)
        self._edited()

    def _remove_photo(self) -> None:
        row = self.photo_list.currentRow()
        if 0 <= row < len(self._photos):
            del self._photos[row]
            self._show_photos()
            self._edited()

    def _open_url(self) -> None:
        url = QUrl.fromUserInput(self.url_edit.text().strip())
        if url.isValid() and not url.isEmpty():
            QDesktopServices.openUrl(url)

    def _move_clicked(self, target: ReviewStatus) -> None:
        reason = ""
        if target == ReviewStatus.RETURNED:
            while True:
                reason, ok = QInputDialog.getMultiLineText(
                    self, self.tr("退回案例"), self.tr("请写明退回原因（必填），报送单位会看到这段话：")
                )
                if not ok:
                    return
                if reason.strip():
                    break
                QMessageBox.information(self, self.tr("退回案例"), self.tr("退回时须写明原因。"))
        self.apply_review_move(target, reason)

    def _new_adoption(self) -> None:
        if self._uuid is None:
            return
        dialog = AdoptionDialog(self.ops, Adoption(case_uuid=self._uuid, region=Ref("")), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.save_adoption(dialog.adoption())

    def _selected_adoption(self) -> Adoption | None:
        items = self.adoptions_view.selectedItems()
        if not items:
            return None
        uuid = items[0].data(0, Qt.ItemDataRole.UserRole)
        return next((a for a in self._adoptions if a.uuid == uuid), None)

    def _edit_adoption(self) -> None:
        adoption = self._selected_adoption()
        if adoption is None:
            return
        dialog = AdoptionDialog(self.ops, adoption, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.save_adoption(dialog.adoption())

    def _remove_adoption(self) -> None:
        adoption = self._selected_adoption()
        if adoption is not None:
            self.remove_adoption(adoption.uuid)

    def _adoption_failed(self, exc: BaseException) -> None:
        self.adoption_error.setText(str(exc))
        self.adoption_error.show()
