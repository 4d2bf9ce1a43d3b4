"""The bulk edit dialog: one change (theme, tag or review status) for every selected case."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.bulk import BulkChange
from desktop.domain.enums import ReviewStatus
from desktop.domain.records import Ref
from desktop.services.overview import Overview


class BulkEditDialog(QDialog):
    """Choose what to change on the selected cases."""

    def __init__(self, ov: Overview, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("批量编辑"))
        self.add_theme = QComboBox()
        self.remove_theme = QComboBox()
        for combo in (self.add_theme, self.remove_theme):
            combo.addItem(self.tr("（不变）"), None)
            for node in ov.themes:
                label = f"{node.code} {node.name}".strip() if node.code else node.name
                combo.addItem(label, (node.uuid, node.name))
        self.add_tag = QLineEdit()
        self.remove_tag = QComboBox()
        self.remove_tag.addItem(self.tr("（不变）"), None)
        for name, _count in ov.tags:
            self.remove_tag.addItem(name, name)
        self.status = QComboBox()
        self.status.addItem(self.tr("（不变）"), None)
        for st in ReviewStatus:
            self.status.addItem(st.value, st.value)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("改为“退回”时必须填写原因"))
        self.reason.setMaximumHeight(80)
        form = QFormLayout()
        for label, widget in (
            (self.tr("加入主题"), self.add_theme),
            (self.tr("移出主题"), self.remove_theme),
            (self.tr("加上标签"), self.add_tag),
            (self.tr("去掉标签"), self.remove_tag),
            (self.tr("审核状态改为"), self.status),
            (self.tr("退回原因"), self.reason),
        ):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("对选中的 %n 个案例：", "", count)))
        layout.addLayout(form)
        layout.addWidget(buttons)

    def change(self) -> BulkChange:
        """The change as chosen."""
        add = self.add_theme.currentData()
        remove = self.remove_theme.currentData()
        status = self.status.currentData()
        return BulkChange(
            add_theme=Ref(add[0], add[1]) if add else None,
            remove_theme=remove[0] if remove else None,
            add_tag=self.add_tag.text().strip() or None,
            remove_tag=self.remove_tag.currentData(),
            set_status=ReviewStatus(status) if status else None,
            reason=self.reason.toPlainText().strip(),
        )
