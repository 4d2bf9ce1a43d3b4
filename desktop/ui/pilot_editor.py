"""The pilot editor: a pilot's own fields above, its experiments (探索事项) below.

There is no Save button. Every edit restarts a short timer; when it runs out the pilot or the
experiment being edited is saved through ``PilotService`` — one operation at a time per record,
carrying the version the editor last loaded or saved. Validation is the service's: a
``ValidationError`` comes back and each message is shown next to its field, and nothing is written
while a record is invalid. A save refused because someone else saved the record first opens the
conflict band (``ConflictPanel``) with what differs, field by field; nothing typed is lost. A change
made elsewhere while nothing is typed here is shown at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from itertools import pairwise
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import merge
from desktop.domain.changes import ChangeSet, RecordKind
from desktop.domain.enums import ExperimentStatus, PilotKind, PilotStatus
from desktop.domain.records import Experiment, Milestone, PilotSite, ProgressNote, Ref
from desktop.domain.validation import (
    DomainError,
    FieldError,
    ValidationError,
    validate_experiment,
    validate_pilot,
)
from desktop.services.casebook import Casebook
from desktop.services.context import ConcurrentEditError, local_minute
from desktop.ui.conflict_panel import ConflictPanel
from desktop.ui.errors import show_error
from desktop.ui.operations import Operations
from desktop.ui.region_picker import RegionPickerDialog
from desktop.ui.tasks import Job
from desktop.ui.widgets import ERROR_RED, OptionalDateEdit

#: Quiet time after the last edit before it is saved.
AUTOSAVE_MS = 700

ERROR_COLOR = QColor(ERROR_RED)
INVALID_CELL = QColor("#fde2e0")
_UUID_ROLE = Qt.ItemDataRole.UserRole
_PATH = re.compile(r"^(?P<list>\w+)\[(?P<row>\d+)\]\.(?P<field>\w+)$")

R = TypeVar("R", PilotSite, Experiment)


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


class ErrorLabel(QLabel):
    """A red message under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {ERROR_COLOR.name()};")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_messages(self, messages: Sequence[str]) -> None:
        """Show ``messages`` one per line, or hide when there are none."""
        self.setText("\n".join(messages))
        self.setVisible(bool(messages))


class DateDelegate(QStyledItemDelegate):
    """Edits an ISO date cell with a date edit; ``optional`` cells may be left "未填" (empty text)."""

    def __init__(self, optional: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.optional = optional

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        editor = OptionalDateEdit(parent)
        if not self.optional:
            editor.setSpecialValueText("")
            editor.setMinimumDate(QDate(2000, 1, 2))
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, OptionalDateEdit)
        value = _parse_date(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        if value is None and not self.optional:
            value = date.today()
        editor.set_value(value)

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, OptionalDateEdit)
        value = editor.value()
        model.setData(index, value.isoformat() if value else "", Qt.ItemDataRole.EditRole)


class PilotEditor(QWidget):
    """Edit one pilot and its experiments; changes are saved automatically."""

    saved = Signal(str)  # the pilot's uuid, after the pilot or one of its experiments was saved

    MS_TITLE, MS_DUE, MS_DONE, MS_UNIT, MS_NOTE = range(5)
    NOTE_DATE, NOTE_TEXT, NOTE_AUTHOR = range(3)
    TAB_TEXT, TAB_MILESTONES, TAB_NOTES = range(3)

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._pilot: PilotSite | None = None
        self._pilot_stored = False
        self._pilot_invalid = False
        self._experiments: dict[str, Experiment] = {}
        self._exp_errors: dict[str, list[FieldError]] = {}
        self._current_exp: str | None = None
        self._wanted_exp: str | None = None
        self._loading = 0  # ticket of the load in progress (0: none)
        self._tickets = 0
        self._filling = False
        #: The stored state each shown record was loaded or last saved as (the base of a merge).
        self._base: dict[str, PilotSite | Experiment] = {}
        self._saving: set[str] = set()  # records with a save in flight
        self._again: set[str] = set()  # records edited while their save was in flight
        self._conflict: merge.Conflict[Any] | None = None
        self._pilot_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._pilot_timer.timeout.connect(self._save_pilot)
        self._exp_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._exp_timer.timeout.connect(self._save_experiment)
        self._build()
        self._connect()
        self._show_pilot(None)
        ops.changed.connect(self._changed)

    # public ------------------------------------------------------------------------------
    def load(self, uuid: str | None) -> None:
        """Show the pilot with ``uuid`` (None: nothing); pending edits are saved first."""
        self.flush()
        if uuid is not None and uuid == self.pilot_uuid and self._wanted_exp is None:
            self._wanted_exp = self._current_exp  # a reload keeps the experiment shown
        self._tickets += 1
        ticket = self._tickets
        self.origin_label.hide()
        if uuid is None:
            self._loading = 0
            self._show_pilot(None)
            return
        self._loading = ticket

        def read(book: Casebook, _job: Job) -> tuple[PilotSite, list[Experiment], str]:
            pilot, experiments = book.pilots.get(uuid), book.pilots.experiments(uuid)
            origin = book.share.provenance(uuid)
            return pilot, experiments, origin.summary() if origin else ""

        self.ops.read(
            self.tr("读取试点"),
            read,
            lambda result: self._loaded(ticket, result),
            lambda exc, details: self._load_failed(ticket, exc, details),
        )

    def load_new(self) -> None:
        """Start a new pilot; it is stored once it has a valid name."""
        self.flush()
        self._tickets += 1
        self._loading = 0
        self.origin_label.hide()
        self._show_pilot(PilotSite(name=""), stored=False)
        self.name_edit.setFocus()

    def show_experiment(self, uuid: str) -> None:
        """Select the experiment ``uuid`` and show its milestones (after a load in progress)."""
        self._wanted_exp = uuid
        self.tabs.setCurrentIndex(self.TAB_MILESTONES)
        if not self._loading:
            self._select_wanted()

    def flush(self) -> bool:
        """Save pending edits now instead of waiting for the timer; False if some edits are invalid
        or wait in the conflict band, and so stay unsaved."""
        if self._pilot_timer.isActive():
            self._pilot_timer.stop()
            self._save_pilot()
        if self._exp_timer.isActive():
            self._exp_timer.stop()
            self._save_experiment()
        return (
            self._conflict is None
            and not self._pilot_invalid
            and not any(uuid in self._experiments for uuid in self._exp_errors)
        )

    @property
    def pilot_uuid(self) -> str | None:
        """The UUID of the pilot shown, if any."""
        return self._pilot.uuid if self._pilot else None

    @property
    def experiment_uuid(self) -> str | None:
        """The UUID of the experiment shown, if any."""
        return self._current_exp

    # building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.state_label = QLabel()
        self.state_label.setAccessibleName(self.tr("保存状态"))
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.pilot_error = ErrorLabel()

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._build_pilot_group())
        splitter.addWidget(self._build_experiment_group())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.pilot_error, 1)
        top.addWidget(self.state_label)
        layout.addLayout(top)
        self.origin_label = QLabel()
        self.origin_label.setObjectName("origin")
        self.origin_label.setWordWrap(True)
        self.origin_label.setAccessibleName(self.tr("来源"))
        self.origin_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.origin_label.hide()
        layout.addWidget(self.origin_label)
        self.conflict_panel = ConflictPanel()
        self.conflict_panel.hide()
        self.conflict_panel.chosen.connect(self._choose)
        self.conflict_panel.save_requested.connect(self._save_merged)
        self.conflict_panel.discard_requested.connect(self._discard_mine)
        layout.addWidget(self.conflict_panel)
        layout.addWidget(splitter, 1)
        self._set_tab_order()

    def _build_pilot_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("试点"))
        self.pilot_group = group
        self.name_edit = self._line(self.tr("名称"))
        self.name_error = ErrorLabel()
        self.kind_combo = self._combo(self.tr("类型"), self._kind_labels())
        self.batch_edit = self._line(self.tr("批次"))
        self.batch_edit.setPlaceholderText(self.tr("如：2025年第一批"))
        self.lead_edit = self._line(self.tr("牵头单位"))
        self.places_list = QListWidget()
        self.places_list.setAccessibleName(self.tr("地区"))
        self.places_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.places_list.setFlow(QListWidget.Flow.LeftToRight)
        self.places_list.setWrapping(True)
        self.places_list.setSpacing(2)
        self.places_list.setFixedHeight(56)
        self.add_place_button = QPushButton(self.tr("添加…"))
        self.add_place_button.setAccessibleName(self.tr("添加地区"))
        self.remove_place_button = QPushButton(self.tr("移除"))
        self.remove_place_button.setAccessibleName(self.tr("移除所选地区"))
        self.start_date = OptionalDateEdit()
        self.start_date.setAccessibleName(self.tr("开始日期"))
        self.end_date = OptionalDateEdit()
        self.end_date.setAccessibleName(self.tr("结束日期"))
        self.clear_start_button = self._clear_button(self.tr("清除开始日期"))
        self.clear_end_button = self._clear_button(self.tr("清除结束日期"))
        self.period_error = ErrorLabel()
        self.status_combo = self._combo(self.tr("状态"), self._pilot_status_labels())
        self.description_edit = self._text(self.tr("说明"))
        self.description_edit.setFixedHeight(64)

        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind_combo, 1)
        kind_row.addSpacing(12)
        kind_row.addWidget(self._buddy(self.tr("批次"), self.batch_edit))
        kind_row.addWidget(self.batch_edit, 1)
        kind_row.addSpacing(12)
        kind_row.addWidget(self._buddy(self.tr("状态"), self.status_combo))
        kind_row.addWidget(self.status_combo, 1)

        places_row = QHBoxLayout()
        places_row.addWidget(self.places_list, 1)
        place_buttons = QVBoxLayout()
        place_buttons.addWidget(self.add_place_button)
        place_buttons.addWidget(self.remove_place_button)
        place_buttons.addStretch(1)
        places_row.addLayout(place_buttons)

        period_row = QHBoxLayout()
        period_row.addWidget(self.start_date)
        period_row.addWidget(self.clear_start_button)
        period_row.addWidget(QLabel(self.tr("至")))
        period_row.addWidget(self.end_date)
        period_row.addWidget(self.clear_end_button)
        period_row.addStretch(1)

        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._buddy(self.tr("名称"), self.name_edit), _with_error(self.name_edit, self.name_error))
        form.addRow(self._buddy(self.tr("类型"), self.kind_combo), kind_row)
        form.addRow(self._buddy(self.tr("牵头单位"), self.lead_edit), self.lead_edit)
        form.addRow(self._buddy(self.tr("地区"), self.places_list), places_row)
        form.addRow(self._buddy(self.tr("起止日期"), self.start_date), _with_error(period_row, self.period_error))
        form.addRow(self._buddy(self.tr("说明"), self.description_edit), self.description_edit)
        return group

    def _build_experiment_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("探索事项"))
        self.experiments_group = group
        self.experiment_list = QListWidget()
        self.experiment_list.setAccessibleName(self.tr("探索事项列表"))
        self.experiment_list.setWordWrap(True)
        self.experiment_list.setSpacing(1)
        self.add_experiment_button = QPushButton(self.tr("新增"))
        self.add_experiment_button.setAccessibleName(self.tr("新增探索事项"))
        self.remove_experiment_button = QPushButton(self.tr("删除"))
        self.remove_experiment_button.setAccessibleName(self.tr("删除探索事项"))
        self.remove_experiment_button.setToolTip(self.tr("移到回收站，可从回收站恢复"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.experiment_list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_experiment_button)
        buttons.addWidget(self.remove_experiment_button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)

        self.exp_title_edit = self._line(self.tr("探索事项"))
        self.exp_title_error = ErrorLabel()
        self.exp_status_combo = self._combo(self.tr("事项状态"), self._experiment_status_labels())
        self.exp_unit_edit = self._line(self.tr("责任单位"))
        self.objective_edit = self._text(self.tr("目标"))
        self.measures_edit = self._text(self.tr("举措"))
        self.findings_edit = self._text(self.tr("压力测试发现"))
        self.exp_error = ErrorLabel()

        status_row = QHBoxLayout()
        status_row.addWidget(self.exp_status_combo)
        status_row.addSpacing(12)
        status_row.addWidget(self._buddy(self.tr("责任单位"), self.exp_unit_edit))
        status_row.addWidget(self.exp_unit_edit, 1)

        head = QFormLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addRow(
            self._buddy(self.tr("探索事项"), self.exp_title_edit),
            _with_error(self.exp_title_edit, self.exp_title_error),
        )
        head.addRow(self._buddy(self.tr("状态"), self.exp_status_combo), status_row)

        texts = QWidget()
        text_form = QFormLayout(texts)
        text_form.addRow(self._buddy(self.tr("目标"), self.objective_edit), self.objective_edit)
        text_form.addRow(self._buddy(self.tr("举措"), self.measures_edit), self.measures_edit)
        text_form.addRow(self._buddy(self.tr("压力测试发现"), self.findings_edit), self.findings_edit)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("探索事项内容"))
        self.tabs.addTab(texts, self.tr("目标与举措"))
        self.tabs.addTab(self._build_milestones(), self.tr("时间节点"))
        self.tabs.addTab(self._build_notes(), self.tr("进展情况"))

        right = QWidget()
        self.experiment_pane = right
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(head)
        right_layout.addWidget(self.tabs, 1)
        right_layout.addWidget(self.exp_error)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([240, 700])
        split.setChildrenCollapsible(False)
        self.placeholder = QLabel(self.tr("先填写试点名称，保存后即可添加探索事项。"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(group)
        layout.addWidget(split, 1)
        layout.addWidget(self.placeholder)
        return group

    def _build_milestones(self) -> QWidget:
        table = QTableWidget(0, 5)
        table.setHorizontalHeaderLabels(
            [self.tr("内容"), self.tr("到期日"), self.tr("完成日"), self.tr("责任单位"), self.tr("备注")]
        )
        table.setAccessibleName(self.tr("时间节点"))
        table.setItemDelegateForColumn(self.MS_DUE, DateDelegate(optional=False, parent=table))
        table.setItemDelegateForColumn(self.MS_DONE, DateDelegate(optional=True, parent=table))
        _table_style(table, stretch=self.MS_TITLE, widths={self.MS_DUE: 104, self.MS_DONE: 104, self.MS_UNIT: 150})
        self.milestones = table
        self.add_milestone_button = QPushButton(self.tr("添加节点"))
        self.add_milestone_button.setAccessibleName(self.tr("添加时间节点"))
        self.remove_milestone_button = QPushButton(self.tr("删除节点"))
        self.remove_milestone_button.setAccessibleName(self.tr("删除所选时间节点"))
        self.milestone_error = ErrorLabel()
        hint = QLabel(self.tr("逾期未完成的节点以红色显示。完成日留空表示尚未完成。"))
        hint.setStyleSheet("color: palette(mid);")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(table, 1)
        layout.addWidget(self.milestone_error)
        row = QHBoxLayout()
        row.addWidget(self.add_milestone_button)
        row.addWidget(self.remove_milestone_button)
        row.addWidget(hint, 1)
        layout.addLayout(row)
        return page

    def _build_notes(self) -> QWidget:
        table = QTableWidget(0, 3)
        table.setHorizontalHeaderLabels([self.tr("日期"), self.tr("进展"), self.tr("记录人")])
        table.setAccessibleName(self.tr("进展情况"))
        table.setItemDelegateForColumn(self.NOTE_DATE, DateDelegate(optional=False, parent=table))
        _table_style(table, stretch=self.NOTE_TEXT, widths={self.NOTE_DATE: 104, self.NOTE_AUTHOR: 160})
        table.setWordWrap(True)
        self.notes = table
        self.add_note_button = QPushButton(self.tr("记一条进展"))
        self.add_note_button.setAccessibleName(self.tr("添加今天的进展"))
        self.remove_note_button = QPushButton(self.tr("删除进展"))
        self.remove_note_button.setAccessibleName(self.tr("删除所选进展"))
        self.note_error = ErrorLabel()
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(table, 1)
        layout.addWidget(self.note_error)
        row = QHBoxLayout()
        row.addWidget(self.add_note_button)
        row.addWidget(self.remove_note_button)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.name_edit,
            self.kind_combo,
            self.batch_edit,
            self.status_combo,
            self.lead_edit,
            self.places_list,
            self.add_place_button,
            self.remove_place_button,
            self.start_date,
            self.clear_start_button,
            self.end_date,
            self.clear_end_button,
            self.description_edit,
            self.experiment_list,
            self.add_experiment_button,
            self.remove_experiment_button,
            self.exp_title_edit,
            self.exp_status_combo,
            self.exp_unit_edit,
            self.tabs,
            self.objective_edit,
            self.measures_edit,
            self.findings_edit,
            self.milestones,
            self.add_milestone_button,
            self.remove_milestone_button,
            self.notes,
            self.add_note_button,
            self.remove_note_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _line(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        return edit

    def _text(self, name: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setAccessibleName(name)
        edit.setTabChangesFocus(True)
        return edit

    def _combo(self, name: str, labels: dict[Any, str]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for value, label in labels.items():
            combo.addItem(label, value.value)
        return combo

    def _clear_button(self, name: str) -> QToolButton:
        button = QToolButton()
        button.setText("×")
        button.setToolTip(name)
        button.setAccessibleName(name)
        return button

    @staticmethod
    def _buddy(text: str, field: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(field)
        return label

    def _kind_labels(self) -> dict[PilotKind, str]:
        return {
            PilotKind.COMPREHENSIVE: self.tr("全域综合试点"),
            PilotKind.SPECIAL: self.tr("专项试点"),
            PilotKind.OTHER: self.tr("其他"),
        }

    def _pilot_status_labels(self) -> dict[PilotStatus, str]:
        return {
            PilotStatus.PREPARING: self.tr("筹备中"),
            PilotStatus.RUNNING: self.tr("实施中"),
            PilotStatus.ACCEPTED: self.tr("已验收"),
            PilotStatus.STOPPED: self.tr("已终止"),
        }

    def _experiment_status_labels(self) -> dict[ExperimentStatus, str]:
        return {
            ExperimentStatus.NOT_STARTED: self.tr("未启动"),
            ExperimentStatus.IN_PROGRESS: self.tr("进行中"),
            ExperimentStatus.DONE: self.tr("已完成"),
            ExperimentStatus.SUSPENDED: self.tr("已暂停"),
        }

    def _connect(self) -> None:
        for line in (self.name_edit, self.batch_edit, self.lead_edit):
            line.textChanged.connect(self._pilot_edited)
        for combo in (self.kind_combo, self.status_combo):
            combo.currentIndexChanged.connect(self._pilot_edited)
        for date_edit in (self.start_date, self.end_date):
            date_edit.dateChanged.connect(self._pilot_edited)
        self.description_edit.textChanged.connect(self._pilot_edited)
        self.clear_start_button.clicked.connect(lambda: self.start_date.set_value(None))
        self.clear_end_button.clicked.connect(lambda: self.end_date.set_value(None))
        self.add_place_button.clicked.connect(self._pick_places)
        self.remove_place_button.clicked.connect(self._remove_places)

        self.experiment_list.currentItemChanged.connect(self._experiment_selected)
        self.add_experiment_button.clicked.connect(self._add_experiment)
        self.remove_experiment_button.clicked.connect(self._remove_experiment)
        self.exp_title_edit.textChanged.connect(self._title_edited)
        self.exp_unit_edit.textChanged.connect(self._experiment_edited)
        self.exp_status_combo.currentIndexChanged.connect(self._experiment_edited)
        for text in (self.objective_edit, self.measures_edit, self.findings_edit):
            text.textChanged.connect(self._experiment_edited)
        self.milestones.itemChanged.connect(self._milestone_changed)
        self.notes.itemChanged.connect(self._experiment_edited)
        self.add_milestone_button.clicked.connect(self._add_milestone)
        self.remove_milestone_button.clicked.connect(lambda: self._remove_rows(self.milestones))
        self.add_note_button.clicked.connect(self._add_note)
        self.remove_note_button.clicked.connect(lambda: self._remove_rows(self.notes))

    # showing -----------------------------------------------------------------------------
    def _show_pilot(self, pilot: PilotSite | None, *, stored: bool = True) -> None:
        self._pilot, self._pilot_stored = pilot, stored and pilot is not None
        self._pilot_timer.stop()
        self._exp_timer.stop()
        self._end_conflict()
        self._base = {pilot.uuid: pilot} if pilot is not None and stored else {}
        self._fill_pilot(pilot)
        self._show_pilot_errors([])
        self.state_label.clear()
        self.pilot_group.setEnabled(pilot is not None)
        self._show_experiments([])

    def _fill_pilot(self, pilot: PilotSite | None) -> None:
        """Put a pilot's fields into the form (no save follows)."""
        self._filling = True
        try:
            p = pilot or PilotSite(name="")
            self.name_edit.setText(p.name)
            _set_combo(self.kind_combo, p.kind.value)
            self.batch_edit.setText(p.batch)
            self.lead_edit.setText(p.lead_unit)
            self.places_list.clear()
            for ref in p.places:
                self._add_place_item(ref)
            self.start_date.set_value(p.period_start)
            self.end_date.set_value(p.period_end)
            _set_combo(self.status_combo, p.status.value)
            self.description_edit.setPlainText(p.description)
        finally:
            self._filling = False

    def _show_experiments(self, experiments: list[Experiment]) -> None:
        self._experiments = {e.uuid: e for e in experiments}
        self._base.update((e.uuid, e) for e in experiments)
        self._exp_errors.clear()
        self._current_exp = None
        self._filling = True
        try:
            self.experiment_list.clear()
            for exp in experiments:
                self._add_experiment_item(exp)
        finally:
            self._filling = False
        self._update_experiment_area()
        if experiments:
            self.experiment_list.setCurrentRow(0)
        else:
            self._show_experiment(None)

    def _update_experiment_area(self) -> None:
        stored = self._pilot_stored
        self.experiments_group.setEnabled(stored)
        self.placeholder.setVisible(self._pilot is not None and not stored)
        self.remove_experiment_button.setEnabled(self.experiment_list.count() > 0)

    def _show_experiment(self, uuid: str | None) -> None:
        self._current_exp = uuid
        exp = self._experiments.get(uuid) if uuid else None
        self.experiment_pane.setEnabled(exp is not None)
        self._filling = True
        try:
            e = exp or Experiment(pilot_uuid="", title="")
            self.exp_title_edit.setText(e.title)
            _set_combo(self.exp_status_combo, e.status.value)
            self.exp_unit_edit.setText(e.responsible_unit)
            self.objective_edit.setPlainText(e.objective)
            self.measures_edit.setPlainText(e.measures)
            self.findings_edit.setPlainText(e.findings)
            self.milestones.setRowCount(0)
            for ms in e.milestones:
                self._append_milestone(ms)
            self.notes.setRowCount(0)
            for note in e.progress_notes:
                self._append_note(note)
        finally:
            self._filling = False
        self._show_experiment_errors(self._exp_errors.get(uuid, []) if uuid else [])

    def _add_experiment_item(self, exp: Experiment) -> QListWidgetItem:
        item = QListWidgetItem(exp.title or self.tr("（未命名）"))
        item.setData(_UUID_ROLE, exp.uuid)
        item.setToolTip(exp.title)
        self.experiment_list.addItem(item)
        return item

    def _experiment_item(self, uuid: str) -> QListWidgetItem | None:
        for row in range(self.experiment_list.count()):
            item = self.experiment_list.item(row)
            if item.data(_UUID_ROLE) == uuid:
                return item
        return None

    def _select_wanted(self) -> None:
        uuid, self._wanted_exp = self._wanted_exp, None
        item = self._experiment_item(uuid) if uuid else None
        if item is not None:
            self.experiment_list.setCurrentItem(item)

    def _add_place_item(self, ref: Ref) -> None:
        item = QListWidgetItem(ref.name)
        item.setData(_UUID_ROLE, ref.uuid)
        item.setToolTip(ref.name)
        self.places_list.addItem(item)

    # loading -----------------------------------------------------------------------------
    def _loaded(self, ticket: int, result: tuple[PilotSite, list[Experiment], str]) -> None:
        if ticket != self._tickets:
            return
        self._loading = 0
        pilot, experiments, origin = result
        self.origin_label.setText(self.tr("来源：{origin}").format(origin=origin))
        self.origin_label.setVisible(bool(origin))
        self._show_pilot(pilot)
        self._show_experiments(experiments)
        self._select_wanted()

    def _load_failed(self, ticket: int, exc: BaseException, details: str) -> None:
        if ticket != self._tickets:
            return
        self._loading = 0
        self._show_pilot(None)
        self._report(exc, details)

    # pilot fields ------------------------------------------------------------------------
    def _pilot_edited(self) -> None:
        if self._filling or self._pilot is None:
            return
        self.state_label.setText(self.tr("正在编辑…"))
        self._pilot_timer.start()

    def _collect_pilot(self, base: PilotSite) -> PilotSite:
        places = []
        for row in range(self.places_list.count()):
            item = self.places_list.item(row)
            places.append(Ref(str(item.data(_UUID_ROLE)), item.text()))
        return replace(
            base,
            name=self.name_edit.text(),
            kind=PilotKind(self.kind_combo.currentData()),
            batch=self.batch_edit.text().strip(),
            lead_unit=self.lead_edit.text().strip(),
            places=places,
            period_start=self.start_date.value(),
            period_end=self.end_date.value(),
            status=PilotStatus(self.status_combo.currentData()),
            description=self.description_edit.toPlainText(),
        )

    def _save_pilot(self) -> None:
        if self._pilot is None or self._conflict is not None:
            return
        pilot = self._collect_pilot(self._pilot)
        self._pilot = pilot
        try:
            validate_pilot(pilot)  # the service checks again; this spares a round trip
        except ValidationError as exc:
            self._pilot_failed(pilot, exc, "")
            return
        if pilot.uuid in self._saving:
            self._again.add(pilot.uuid)
            return
        self._saving.add(pilot.uuid)
        self.ops.write(
            self.tr("编辑试点"),
            lambda book, _job: book.pilots.save(pilot),
            self._pilot_saved,
            lambda exc, details: self._pilot_failed(pilot, exc, details),
            initiator=self,
        )

    def _pilot_saved(self, pilot: PilotSite) -> None:
        self._saving.discard(pilot.uuid)
        self._base[pilot.uuid] = pilot
        if self._pilot is not None and pilot.uuid == self._pilot.uuid:
            self._pilot = replace(self._pilot, version=pilot.version, updated_at=pilot.updated_at)
            self._show_pilot_errors([])
            if not self._pilot_stored:
                self._pilot_stored = True
                self._update_experiment_area()
            self._mark_saved()
        self.saved.emit(pilot.uuid)
        if pilot.uuid in self._again:
            self._again.discard(pilot.uuid)
            self._save_pilot()

    def _pilot_failed(self, pilot: PilotSite, exc: BaseException, details: str) -> None:
        self._saving.discard(pilot.uuid)
        self._again.discard(pilot.uuid)
        mine = self._pilot is not None and self._pilot.uuid == pilot.uuid
        if isinstance(exc, ConcurrentEditError) and isinstance(exc.current, PilotSite) and mine:
            assert self._pilot is not None
            self._start_conflict(exc.current, self._collect_pilot(self._pilot))
        elif isinstance(exc, ValidationError) and mine:
            self._show_pilot_errors(exc.errors)
            self.state_label.setText(self.tr("有错误，未保存"))
        else:
            self._report(exc, details)

    def _show_pilot_errors(self, errors: Sequence[FieldError]) -> None:
        self._pilot_invalid = bool(errors)
        by_widget: dict[str, list[str]] = {"name": [], "period": [], "other": []}
        for e in errors:
            key = "name" if e.field == "name" else "period" if e.field.startswith("period") else "other"
            by_widget[key].append(str(e))
        self.name_error.show_messages(by_widget["name"])
        self.period_error.show_messages(by_widget["period"])
        self.pilot_error.show_messages(by_widget["other"])
        _describe(self.name_edit, by_widget["name"])
        _describe(self.end_date, by_widget["period"])

    # places --------------------------------------------------------------------------------
    def _pick_places(self) -> None:
        dialog = RegionPickerDialog(self.ops, self, title=self.tr("选择试点地区"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_places(dialog.selected_refs())

    def add_places(self, refs: Sequence[Ref]) -> None:
        """Add places to the pilot (those already there are skipped)."""
        have = {str(self.places_list.item(r).data(_UUID_ROLE)) for r in range(self.places_list.count())}
        added = False
        for ref in refs:
            if ref.uuid not in have:
                self._add_place_item(ref)
                have.add(ref.uuid)
                added = True
        if added:
            self._pilot_edited()

    def _remove_places(self) -> None:
        items = self.places_list.selectedItems()
        for item in items:
            self.places_list.takeItem(self.places_list.row(item))
        if items:
            self._pilot_edited()

    # experiments ---------------------------------------------------------------------------
    def _experiment_selected(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if self._filling:
            return
        if self._exp_timer.isActive():
            self._exp_timer.stop()
            self._save_experiment()
        self._show_experiment(str(current.data(_UUID_ROLE)) if current is not None else None)

    def _experiment_edited(self) -> None:
        if self._filling or self._current_exp is None:
            return
        self.state_label.setText(self.tr("正在编辑…"))
        self._exp_timer.start()

    def _title_edited(self, text: str) -> None:
        if self._filling:
            return
        item = self._experiment_item(self._current_exp) if self._current_exp else None
        if item is not None:
            item.setText(text.strip() or self.tr("（未命名）"))
            item.setToolTip(text)
        self._experiment_edited()

    def _milestone_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        self._color_milestone_row(item.row())
        self._experiment_edited()

    def _add_experiment(self) -> None:
        if self._pilot is None or not self._pilot_stored:
            return
        self.flush()
        exp = Experiment(pilot_uuid=self._pilot.uuid, title=self.tr("新探索事项"))
        self._experiments[exp.uuid] = exp
        item = self._add_experiment_item(exp)
        self._update_experiment_area()
        self.experiment_list.setCurrentItem(item)
        self.tabs.setCurrentIndex(self.TAB_TEXT)
        self._queue_experiment(exp)
        self.exp_title_edit.setFocus()
        self.exp_title_edit.selectAll()

    def _remove_experiment(self) -> None:
        uuid = self._current_exp
        if uuid is None or self._pilot is None:
            return
        self._exp_timer.stop()
        item = self._experiment_item(uuid)
        self._experiments.pop(uuid, None)
        self._exp_errors.pop(uuid, None)
        self._current_exp = None
        if item is not None:
            self.experiment_list.takeItem(self.experiment_list.row(item))
        if self.experiment_list.count() == 0:
            self._show_experiment(None)
        self._update_experiment_area()
        pilot_uuid = self._pilot.uuid
        self.ops.write(
            self.tr("删除探索事项"),
            lambda book, _job: book.pilots.trash_experiment(uuid),
            lambda _result: self.saved.emit(pilot_uuid),
            self._report,
            initiator=self,
        )

    def _collect_experiment(self, base: Experiment) -> tuple[Experiment, list[FieldError]]:
        problems: list[FieldError] = []
        milestones: list[Milestone] = []
        for row in range(self.milestones.rowCount()):
            label = self.tr("节点第 {n} 行").format(n=row + 1)
            due = _parse_date(_cell(self.milestones, row, self.MS_DUE))
            done_text = _cell(self.milestones, row, self.MS_DONE)
            done = _parse_date(done_text) if done_text.strip() else None
            if due is None:
                problems.append(self._date_problem(f"milestones[{row}].due_date", f"{label} · " + self.tr("到期日")))
            if done_text.strip() and done is None:
                problems.append(self._date_problem(f"milestones[{row}].done_on", f"{label} · " + self.tr("完成日")))
            milestones.append(
                Milestone(
                    uuid=_row_uuid(self.milestones, row, self.MS_TITLE),
                    title=_cell(self.milestones, row, self.MS_TITLE),
                    due_date=due or date.today(),
                    done_on=done,
                    responsible_unit=_cell(self.milestones, row, self.MS_UNIT).strip(),
                    note=_cell(self.milestones, row, self.MS_NOTE),
                )
            )
        notes: list[ProgressNote] = []
        for row in range(self.notes.rowCount()):
            noted_on = _parse_date(_cell(self.notes, row, self.NOTE_DATE))
            if noted_on is None:
                problems.append(
                    self._date_problem(f"progress_notes[{row}].noted_on", self.tr("进展第 {n} 条").format(n=row + 1))
                )
            notes.append(
                ProgressNote(
                    uuid=_row_uuid(self.notes, row, self.NOTE_DATE),
                    noted_on=noted_on or date.today(),
                    text=_cell(self.notes, row, self.NOTE_TEXT),
                    author=_cell(self.notes, row, self.NOTE_AUTHOR),
                )
            )
        exp = replace(
            base,
            title=self.exp_title_edit.text(),
            status=ExperimentStatus(self.exp_status_combo.currentData()),
            responsible_unit=self.exp_unit_edit.text().strip(),
            objective=self.objective_edit.toPlainText(),
            measures=self.measures_edit.toPlainText(),
            findings=self.findings_edit.toPlainText(),
            milestones=milestones,
            progress_notes=notes,
        )
        return exp, problems

    def _date_problem(self, path: str, label: str) -> FieldError:
        return FieldError(path, label, self.tr("请填写有效日期，如 2025-06-30"))

    def _save_experiment(self) -> None:
        uuid = self._current_exp
        base = self._experiments.get(uuid) if uuid else None
        if base is None:
            return
        exp, problems = self._collect_experiment(base)
        self._experiments[exp.uuid] = exp
        if not problems:
            try:
                validate_experiment(exp)  # the service checks again; this spares a round trip
            except ValidationError as exc:
                problems = exc.errors
        if problems:
            self._exp_errors[exp.uuid] = problems
            self._show_experiment_errors(problems)
            self.state_label.setText(self.tr("有错误，未保存"))
            return
        self._queue_experiment(exp)

    def _queue_experiment(self, exp: Experiment) -> None:
        if self._conflict is not None:
            return
        if exp.uuid in self._saving:
            self._again.add(exp.uuid)
            return
        self._saving.add(exp.uuid)
        self.ops.write(
            self.tr("编辑探索事项"),
            lambda book, _job: book.pilots.save_experiment(exp),
            self._experiment_saved,
            lambda exc, details: self._experiment_failed(exp, exc, details),
            initiator=self,
        )

    def _experiment_saved(self, exp: Experiment) -> None:
        self._saving.discard(exp.uuid)
        self._base[exp.uuid] = exp
        self._exp_errors.pop(exp.uuid, None)
        shown = self._experiments.get(exp.uuid)
        if shown is not None:
            self._experiments[exp.uuid] = replace(shown, version=exp.version, updated_at=exp.updated_at)
        if exp.uuid == self._current_exp:
            self._show_experiment_errors([])
            self._mark_saved()
        self.saved.emit(exp.pilot_uuid)
        if exp.uuid in self._again:
            self._again.discard(exp.uuid)
            if exp.uuid == self._current_exp:
                self._save_experiment()
            elif shown is not None:
                self._queue_experiment(self._experiments[exp.uuid])

    def _experiment_failed(self, exp: Experiment, exc: BaseException, details: str) -> None:
        self._saving.discard(exp.uuid)
        self._again.discard(exp.uuid)
        stale = isinstance(exc, ConcurrentEditError) and isinstance(exc.current, Experiment)
        if stale and exp.uuid in self._experiments:
            assert isinstance(exc, ConcurrentEditError) and isinstance(exc.current, Experiment)
            if exp.uuid != self._current_exp:
                item = self._experiment_item(exp.uuid)
                if item is not None:
                    self.experiment_list.setCurrentItem(item)
            current = self._experiments[exp.uuid]
            mine = self._collect_experiment(current)[0] if exp.uuid == self._current_exp else current
            self._start_conflict(exc.current, mine)
            return
        if not isinstance(exc, ValidationError) or exp.uuid not in self._experiments:
            self._report(exc, details)
            return
        self._exp_errors[exp.uuid] = exc.errors
        if exp.uuid == self._current_exp:
            self._show_experiment_errors(exc.errors)
            self.state_label.setText(self.tr("有错误，未保存"))
        else:
            self.pilot_error.show_messages([self.tr("探索事项“{t}”未保存：{m}").format(t=exp.title, m=str(exc))])

    def _show_experiment_errors(self, errors: Sequence[FieldError]) -> None:
        title: list[str] = []
        milestones: list[str] = []
        notes: list[str] = []
        other: list[str] = []
        bad_cells: dict[str, set[tuple[int, int]]] = {"milestones": set(), "progress_notes": set()}
        ms_columns = {"title": self.MS_TITLE, "due_date": self.MS_DUE, "done_on": self.MS_DONE}
        note_columns = {"noted_on": self.NOTE_DATE, "text": self.NOTE_TEXT}
        for e in errors:
            match = _PATH.match(e.field)
            if e.field == "title":
                title.append(str(e))
            elif match and match["list"] in bad_cells:
                columns = ms_columns if match["list"] == "milestones" else note_columns
                bad_cells[match["list"]].add((int(match["row"]), columns.get(match["field"], 0)))
                (milestones if match["list"] == "milestones" else notes).append(str(e))
            else:
                other.append(str(e))
        self.exp_title_error.show_messages(title)
        _describe(self.exp_title_edit, title)
        self.milestone_error.show_messages(milestones)
        self.note_error.show_messages(notes)
        self.exp_error.show_messages(other)
        self._filling = True
        try:
            _mark_cells(self.milestones, bad_cells["milestones"])
            _mark_cells(self.notes, bad_cells["progress_notes"])
        finally:
            self._filling = False
        bar = self.tabs.tabBar()
        bar.setTabTextColor(self.TAB_MILESTONES, ERROR_COLOR if milestones else QColor())  # invalid: the palette's
        bar.setTabTextColor(self.TAB_NOTES, ERROR_COLOR if notes else QColor())

    # milestone and note rows ---------------------------------------------------------------
    def _append_milestone(self, ms: Milestone) -> int:
        row = self.milestones.rowCount()
        self.milestones.insertRow(row)
        values = [
            ms.title,
            ms.due_date.isoformat(),
            ms.done_on.isoformat() if ms.done_on else "",
            ms.responsible_unit,
            ms.note,
        ]
        for col, text in enumerate(values):
            self.milestones.setItem(row, col, QTableWidgetItem(text))
        _set_row_uuid(self.milestones, row, self.MS_TITLE, ms.uuid)
        self._color_milestone_row(row)
        return row

    def _color_milestone_row(self, row: int) -> None:
        due = _parse_date(_cell(self.milestones, row, self.MS_DUE))
        done = _cell(self.milestones, row, self.MS_DONE).strip()
        overdue = due is not None and not done and due < date.today()
        brush = QBrush(ERROR_COLOR) if overdue else QBrush()
        filling, self._filling = self._filling, True
        try:
            for col in range(self.milestones.columnCount()):
                item = self.milestones.item(row, col)
                if item is not None:
                    item.setForeground(brush)
                    item.setToolTip(self.tr("已逾期，尚未完成") if overdue else "")
        finally:
            self._filling = filling

    def _add_milestone(self) -> None:
        if self._current_exp is None:
            return
        filling, self._filling = self._filling, True
        try:
            row = self._append_milestone(Milestone(title="", due_date=date.today()))
        finally:
            self._filling = filling
        self.tabs.setCurrentIndex(self.TAB_MILESTONES)
        self._edit_cell(self.milestones, row, self.MS_TITLE)

    def _append_note(self, note: ProgressNote) -> int:
        row = self.notes.rowCount()
        self.notes.insertRow(row)
        self.notes.setItem(row, self.NOTE_DATE, QTableWidgetItem(note.noted_on.isoformat()))
        self.notes.setItem(row, self.NOTE_TEXT, QTableWidgetItem(note.text))
        author = QTableWidgetItem(note.author)
        author.setFlags(author.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.notes.setItem(row, self.NOTE_AUTHOR, author)
        _set_row_uuid(self.notes, row, self.NOTE_DATE, note.uuid)
        return row

    def _add_note(self) -> None:
        if self._current_exp is None:
            return
        filling, self._filling = self._filling, True
        try:
            row = self._append_note(ProgressNote(noted_on=date.today(), text=""))
        finally:
            self._filling = filling
        self.tabs.setCurrentIndex(self.TAB_NOTES)
        self._edit_cell(self.notes, row, self.NOTE_TEXT)

    @staticmethod
    def _edit_cell(table: QTableWidget, row: int, col: int) -> None:
        item = table.item(row, col)
        table.setCurrentCell(row, col)
        table.setFocus()
        if item is not None:
            table.scrollToItem(item)
            table.editItem(item)

    def _remove_rows(self, table: QTableWidget) -> None:
        rows = sorted({index.row() for index in table.selectedIndexes()} or {table.currentRow()}, reverse=True)
        rows = [r for r in rows if r >= 0]
        for row in rows:
            table.removeRow(row)
        if rows:
            self._experiment_edited()

    # conflicts -------------------------------------------------------------------------
    def _start_conflict(self, theirs: PilotSite | Experiment, mine: PilotSite | Experiment) -> None:
        """Someone else saved this pilot or experiment first: show what differs, field by field."""
        base = self._base.get(theirs.uuid, mine)
        fields = merge.pilot_fields() if isinstance(theirs, PilotSite) else merge.experiment_fields()
        self._pilot_timer.stop()
        self._exp_timer.stop()
        self._conflict = merge.Conflict.of(base, mine, theirs, fields)
        diffs = self._conflict.diffs
        what = self.tr("试点") if isinstance(theirs, PilotSite) else self.tr("探索事项")
        title = self.tr("此{what}已被{who}于 {time} 修改，你的修改尚未保存。").format(
            what=what, who=theirs.updated_by or self.tr("其他用户"), time=local_minute(theirs.updated_at)
        )
        self.conflict_panel.show_conflict(title, diffs, {})
        self.state_label.setText(self.tr("修改冲突，请决定后保存"))
        self._apply_choices()

    def _choose(self, name: str, side: merge.Side) -> None:
        if self._conflict is not None:
            self._put(self._conflict.choose(name, side))

    def _apply_choices(self) -> None:
        assert self._conflict is not None
        self._put(self._conflict.merged())

    def _put(self, record: PilotSite | Experiment) -> None:
        """Show a record in the form without saving it (it becomes what the next save starts from)."""
        if isinstance(record, PilotSite):
            self._pilot = record
            self._fill_pilot(record)
        else:
            self._experiments[record.uuid] = record
            if record.uuid == self._current_exp:
                self._show_experiment(record.uuid)

    def _save_merged(self) -> None:
        """保存合并结果: save what the form shows over the version stored now."""
        conflict = self._conflict
        if conflict is None:
            return
        self._end_conflict()
        self._base[conflict.theirs.uuid] = conflict.theirs
        if isinstance(conflict.theirs, PilotSite):
            self._save_pilot()
        else:
            self._save_experiment()

    def _discard_mine(self) -> None:
        """放弃我的修改: show the stored record as it is."""
        conflict = self._conflict
        if conflict is None:
            return
        self._end_conflict()
        self._base[conflict.theirs.uuid] = conflict.theirs
        self._put(conflict.theirs)
        self.state_label.setText(self.tr("已改为对方保存的内容"))

    def _end_conflict(self) -> None:
        self._conflict = None
        if hasattr(self, "conflict_panel"):
            self.conflict_panel.hide()

    @property
    def in_conflict(self) -> bool:
        """Whether the conflict band is open."""
        return self._conflict is not None

    # changes made elsewhere --------------------------------------------------------------
    def _changed(self, changes: ChangeSet, initiator: object) -> None:
        """Show at once what another writer changed in the pilot shown, unless edits are waiting here."""
        if initiator is self or self._pilot is None or not self._pilot_stored:
            return
        uuid = self._pilot.uuid
        touched = changes.touches(RecordKind.PILOT, uuid) or changes.touches(RecordKind.EXPERIMENT)
        busy = self._pilot_timer.isActive() or self._exp_timer.isActive() or self._saving
        if touched and not busy and self._conflict is None:
            self.load(uuid)

    def _mark_saved(self) -> None:
        if not self._pilot_timer.isActive() and not self._exp_timer.isActive():
            self.state_label.setText(self.tr("已自动保存 {t}").format(t=datetime.now().strftime("%H:%M")))

    def _report(self, exc: BaseException, details: str) -> None:
        if isinstance(exc, DomainError):
            self.pilot_error.show_messages([str(exc)])
            self.state_label.setText(self.tr("未保存"))
        else:
            show_error(self, exc, details)


def _with_error(field: QWidget | QLayout, error: ErrorLabel) -> QVBoxLayout:
    box = QVBoxLayout()
    box.setSpacing(2)
    if isinstance(field, QLayout):
        box.addLayout(field)
    else:
        box.addWidget(field)
    box.addWidget(error)
    return box


def _set_combo(combo: QComboBox, value: str) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


def _cell(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    return item.text() if item is not None else ""


def _row_uuid(table: QTableWidget, row: int, col: int) -> str:
    item = table.item(row, col)
    return str(item.data(_UUID_ROLE)) if item is not None else ""


def _set_row_uuid(table: QTableWidget, row: int, col: int, uuid: str) -> None:
    item = table.item(row, col)
    if item is not None:
        item.setData(_UUID_ROLE, uuid)


def _describe(widget: QWidget, messages: Sequence[str]) -> None:
    widget.setAccessibleDescription("；".join(messages))


def _mark_cells(table: QTableWidget, cells: set[tuple[int, int]]) -> None:
    for row in range(table.rowCount()):
        for col in range(table.columnCount()):
            item = table.item(row, col)
            if item is not None:
                item.setBackground(QBrush(INVALID_CELL) if (row, col) in cells else QBrush())


def _table_style(table: QTableWidget, *, stretch: int, widths: dict[int, int]) -> None:
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(28)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for col, width in widths.items():
        header.resizeSection(col, width)
