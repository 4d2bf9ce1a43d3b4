"""The band an editor shows when someone else saved the record first: what differs, field by field.

Each field that differs between the user's text and the stored record gets a row: the field, the
other side's value, the user's value, and two buttons — 保留我的 / 采用对方. A field only the other
side changed starts as theirs, one only the user changed as mine, one both changed as mine (marked
as a conflict). The editor's form always shows the current choice, so the user can also merge by
hand in the form; 保存合并结果 saves what the form shows over the stored version, 放弃我的修改
takes the stored record as it is. The merge rules are ``desktop.domain.merge``'s; this widget only
shows them and reports the user's choices.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.merge import FieldDiff, Side, shown

STYLE = """
QFrame#conflictPanel { background: #fff8e1; border: 1px solid #ffca28; border-radius: 4px; }
QLabel#conflictTitle { font-weight: 600; color: #6d4c00; }
QLabel#conflictField { font-weight: 600; color: #37474f; }
QLabel#conflictValue { background: white; border: 1px solid #e0e0e0; border-radius: 3px; padding: 3px; }
QLabel#conflictMark { color: #b71c1c; }
QPushButton:checked { background: #ffe082; font-weight: 600; }
"""

#: How much of a long text a cell shows (the whole text is in its tooltip).
SHOWN_CHARS = 160


class ConflictPanel(QFrame):
    """Shows the fields that differ and the user's choice for each; emits what the user decides."""

    chosen = Signal(str, object)  # field name, Side
    save_requested = Signal()
    discard_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictPanel")
        self.setStyleSheet(STYLE)
        self.setAccessibleName(self.tr("修改冲突"))
        self.title = QLabel()
        self.title.setObjectName("conflictTitle")
        self.title.setWordWrap(True)
        self.hint = QLabel(
            self.tr("下列内容两边不同。逐项选择保留哪一边，或直接在下方表单中改成合并后的样子，然后保存。")
        )
        self.hint.setWordWrap(True)
        self.rows = QWidget()
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(2, 1)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(self.rows)
        scroller.setMaximumHeight(260)
        scroller.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.save_button = QPushButton(self.tr("保存合并结果"))
        self.save_button.setDefault(True)
        self.discard_button = QPushButton(self.tr("放弃我的修改"))
        self.save_button.clicked.connect(self.save_requested)
        self.discard_button.clicked.connect(self.discard_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(scroller)
        layout.addLayout(buttons)
        self._groups: dict[str, QButtonGroup] = {}
        self.buttons: dict[tuple[str, Side], QPushButton] = {}

    def show_conflict(self, title: str, diffs: list[FieldDiff], choices: dict[str, Side]) -> None:
        """Show the fields that differ and the side chosen for each."""
        self.title.setText(title)
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._groups.clear()
        self.buttons.clear()
        for column, text in enumerate((self.tr("内容"), self.tr("对方保存的"), self.tr("我的"))):
            header = QLabel(text)
            header.setObjectName("conflictField")
            self.grid.addWidget(header, 0, column)
        for row, diff in enumerate(diffs, start=1):
            name = QLabel(diff.label + ("\n" + self.tr("两边都改了") if diff.conflict else ""))
            name.setObjectName("conflictField")
            self.grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            for column, value in ((1, diff.theirs), (2, diff.mine)):
                text = shown(value)
                cell = QLabel(text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…")
                cell.setObjectName("conflictValue")
                cell.setWordWrap(True)
                cell.setToolTip(text)
                cell.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                cell.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.grid.addWidget(cell, row, column)
            group = QButtonGroup(self)
            group.setExclusive(True)
            box = QVBoxLayout()
            for side, text in ((Side.THEIRS, self.tr("采用对方")), (Side.MINE, self.tr("保留我的"))):
                button = QPushButton(text)
                button.setCheckable(True)
                button.setAccessibleName(f"{text}：{diff.label}")
                button.setChecked(choices.get(diff.name, diff.suggested) == side)
                button.clicked.connect(lambda _c=False, n=diff.name, s=side: self.chosen.emit(n, s))
                group.addButton(button)
                box.addWidget(button)
                self.buttons[(diff.name, side)] = button
            holder = QWidget()
            holder.setLayout(box)
            box.setContentsMargins(0, 0, 0, 0)
            self.grid.addWidget(holder, row, 3, Qt.AlignmentFlag.AlignTop)
            self._groups[diff.name] = group
        self.show()

    def choice_buttons(self, name: str) -> tuple[QPushButton, QPushButton]:
        """The 采用对方 and 保留我的 buttons of a field."""
        return self.buttons[(name, Side.THEIRS)], self.buttons[(name, Side.MINE)]
