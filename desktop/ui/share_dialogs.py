"""Dialogs of sharing between libraries: the import preview of a share bundle (with a decision
for each conflict) and the export dialog (what to export — selection, current list or the whole
library — and in which format: share bundle, Excel ledger or Word)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.sharing import ImportPlan, Outcome, PlannedRecord, Resolution
from desktop.ui.widgets import ERROR_RED

CONFLICT_BACKGROUND = QColor("#fff4e5")


def _when(at: datetime | None) -> str:
    return f"{at.astimezone():%Y-%m-%d %H:%M}" if at else ""


class ImportPreviewDialog(QDialog):
    """What importing a bundle would do, record by record; conflicts are decided here."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(self.tr("导入案例包 — {name}").format(name=plan.path.name))
        self.resize(1100, 640)
        self._choices: dict[str, QComboBox] = {}
        layout = QVBoxLayout(self)

        sender = QLabel(self.tr("来自：{sender}").format(sender=plan.sender()))
        sender.setWordWrap(True)
        sender.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(sender)
        if plan.manifest.selection:
            layout.addWidget(QLabel(self.tr("导出范围：{what}").format(what=plan.manifest.selection)))
        self.summary = QLabel(plan.summary())
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        layout.addWidget(self.summary)

        bar = QHBoxLayout()
        self.show_unchanged = QCheckBox(self.tr("显示无变化的记录"))
        self.show_unchanged.toggled.connect(self._filter_rows)
        bar.addWidget(self.show_unchanged)
        bar.addStretch(1)
        self.all_buttons: dict[Resolution, QPushButton] = {}
        if plan.conflicts:
            bar.addWidget(QLabel(self.tr("全部冲突：")))
            for resolution, text in (
                (Resolution.MINE, self.tr("保留本机")),
                (Resolution.THEIRS, self.tr("采用对方")),
                (Resolution.BOTH, self.tr("两者都保留")),
            ):
                button = QPushButton(text)
                button.clicked.connect(lambda _c=False, r=resolution: self.decide_all(r))
                bar.addWidget(button)
                self.all_buttons[resolution] = button
        layout.addLayout(bar)

        columns = [
            self.tr("结果"),
            self.tr("类型"),
            self.tr("名称"),
            self.tr("来源单位"),
            self.tr("对方修改"),
            self.tr("本机修改"),
            self.tr("处理"),
        ]
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName(self.tr("导入预览"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self._fill()

        self.hint = QLabel()
        self.hint.setStyleSheet(f"color: {ERROR_RED};")
        layout.addWidget(self.hint)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton(self.tr("导入"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update_state()

    def _labels(self) -> dict[Outcome, str]:
        return {
            Outcome.NEW: self.tr("新增"),
            Outcome.UPDATED: self.tr("更新"),
            Outcome.UNCHANGED: self.tr("无变化"),
            Outcome.CONFLICT: self.tr("冲突"),
        }

    def _kinds(self) -> dict[str, str]:
        return {"cases": self.tr("案例"), "pilots": self.tr("试点"), "experiments": self.tr("探索事项")}

    def _fill(self) -> None:
        labels, kinds = self._labels(), self._kinds()
        order = {Outcome.CONFLICT: 0, Outcome.NEW: 1, Outcome.UPDATED: 2, Outcome.UNCHANGED: 3}
        records = sorted(self.plan.records, key=lambda r: (order[r.outcome], r.kind != "cases", r.title))
        self.table.setRowCount(len(records))
        self._outcomes: list[Outcome] = []
        for row, r in enumerate(records):
            self._outcomes.append(r.outcome)
            origin = r.origin.unit if r.origin and r.origin.unit else self.plan.manifest.unit
            cells = (
                self.tr("{outcome}（{note}）").format(outcome=labels[r.outcome], note=r.note)
                if r.note
                else labels[r.outcome],
                kinds.get(r.kind, r.kind),
                r.title,
                origin,
                f"{r.theirs_by} {_when(r.theirs_at)}".strip(),
                f"{r.mine_by} {_when(r.mine_at)}".strip(),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text if col != 2 else f"{text}\n{r.uuid}")
                if r.outcome == Outcome.CONFLICT:
                    item.setBackground(QBrush(CONFLICT_BACKGROUND))
                self.table.setItem(row, col, item)
            if r.outcome == Outcome.CONFLICT:
                self._choices[r.uuid] = self._choice_box(r)
                self.table.setCellWidget(row, 6, self._choices[r.uuid])
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._filter_rows()

    def _choice_box(self, record: PlannedRecord) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(self.tr("如何处理“{title}”").format(title=record.title))
        box.addItem(self.tr("请选择…"), None)
        box.addItem(self.tr("保留本机"), Resolution.MINE.value)
        box.addItem(self.tr("采用对方"), Resolution.THEIRS.value)
        box.addItem(self.tr("两者都保留"), Resolution.BOTH.value)
        box.currentIndexChanged.connect(self._update_state)
        return box

    def _filter_rows(self) -> None:
        show = self.show_unchanged.isChecked()
        for row, outcome in enumerate(self._outcomes):
            self.table.setRowHidden(row, outcome == Outcome.UNCHANGED and not show)

    def decide_all(self, resolution: Resolution) -> None:
        """Settle every conflict the same way."""
        for box in self._choices.values():
            box.setCurrentIndex(box.findData(resolution.value))

    def decisions(self) -> dict[str, Resolution]:
        """The conflicts decided so far."""
        return {u: Resolution(box.currentData()) for u, box in self._choices.items() if box.currentData()}

    def _update_state(self) -> None:
        open_ = len(self._choices) - len(self.decisions())
        nothing = all(o == Outcome.UNCHANGED for o in self._outcomes) and not any(self.plan.added.values())
        self.import_button.setEnabled(open_ == 0 and not nothing)
        if open_:
            self.hint.setText(self.tr("还有 %n 条冲突未决定：请选择保留本机、采用对方或两者都保留。", "", open_))
        elif nothing:
            self.hint.setText(self.tr("案例包中的内容本库都已有，无需导入。"))
        else:
            self.hint.setText("")


@dataclass(frozen=True)
class ExportChoice:
    """What the user chose to export: which cases and in which format."""

    scope: str  # selection / list / all
    fmt: str  # casebook / xlsx / docx


class ExportDialog(QDialog):
    """Which cases to export (selection, the current list, the whole library) and in which format."""

    def __init__(self, selected: int, listed: int, parent: QWidget | None = None, *, fmt: str = "casebook") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导出案例"))
        layout = QVBoxLayout(self)
        scope_box = QGroupBox(self.tr("导出哪些案例"))
        scope_layout = QVBoxLayout(scope_box)
        self.scope = QButtonGroup(self)
        for key, text, enabled in (
            ("selection", self.tr("选中的 %n 个案例", "", selected), selected > 0),
            ("list", self.tr("当前列表中的全部 %n 个案例（检索或分类的结果）", "", listed), listed > 0),
            ("all", self.tr("案例库中的全部案例"), True),
        ):
            radio = QRadioButton(text)
            radio.setObjectName(f"scope-{key}")
            radio.setEnabled(enabled)
            self.scope.addButton(radio)
            radio.setProperty("key", key)
            scope_layout.addWidget(radio)
        first = next(b for b in self.scope.buttons() if b.isEnabled())
        first.setChecked(True)
        layout.addWidget(scope_box)

        format_box = QGroupBox(self.tr("格式"))
        format_layout = QFormLayout(format_box)
        self.format = QButtonGroup(self)
        for key, text in (
            ("casebook", self.tr("案例包（.casebook）：发给其他单位导入合并，含照片")),
            ("xlsx", self.tr("Excel 台账（.xlsx）：全部字段，可筛选")),
            ("docx", self.tr("Word 文档（.docx）：与 PDF 简报结构相同，便于修改")),
        ):
            radio = QRadioButton(text)
            radio.setObjectName(f"format-{key}")
            radio.setProperty("key", key)
            radio.setChecked(key == fmt)
            self.format.addButton(radio)
            format_layout.addRow(radio)
        layout.addWidget(format_box)

        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("导出…"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choice(self) -> ExportChoice:
        """The scope and format chosen."""
        scope, fmt = self.scope.checkedButton(), self.format.checkedButton()
        assert scope is not None and fmt is not None  # one of each is always checked
        return ExportChoice(str(scope.property("key")), str(fmt.property("key")))


def suggested_name(unit: str, fmt: str, folder: Path) -> Path:
    """A file name for an export, e.g. ``淳安县农业农村局-案例-20261128.casebook``."""
    stem = f"{unit or '试点案例库'}-案例-{date.today():%Y%m%d}"
    return folder / f"{stem}.{fmt}"
