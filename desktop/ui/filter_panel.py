"""The advanced filter panel under the search box: theme, place, model type, status, period
and designation, combined with the search text."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QGridLayout, QLabel, QPushButton, QWidget

from desktop.domain.enums import ReviewStatus
from desktop.domain.query import MOUNTAIN_ISLAND, CaseFilters
from desktop.services.overview import Overview, TreeNode


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _depth(node: TreeNode, by_uuid: dict[str, TreeNode]) -> int:
    depth, parent = 0, node.parent_uuid
    while parent and parent in by_uuid:
        depth, parent = depth + 1, by_uuid[parent].parent_uuid
    return depth


class FilterPanel(QWidget):
    """Filters that narrow the search; ``changed`` fires on every edit."""

    filters_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = QComboBox()
        self.region = QComboBox()
        self.model_type = QComboBox()
        self.status = QComboBox()
        self.use_from = QCheckBox(self.tr("从"))
        self.date_from = QDateEdit(QDate(QDate.currentDate().year(), 1, 1))
        self.use_to = QCheckBox(self.tr("到"))
        self.date_to = QDateEdit(QDate.currentDate())
        self.designation = QCheckBox(self.tr("山区海岛县，认定日期"))
        self.designation_on = QDateEdit(QDate.currentDate())
        self.clear = QPushButton(self.tr("清除筛选"))
        for w, name in (
            (self.theme, self.tr("主题")),
            (self.region, self.tr("地区")),
            (self.model_type, self.tr("模式类型")),
            (self.status, self.tr("审核状态")),
            (self.date_from, self.tr("报送日期起")),
            (self.date_to, self.tr("报送日期止")),
            (self.designation_on, self.tr("山区海岛县认定日期")),
        ):
            w.setAccessibleName(name)
        for d in (self.date_from, self.date_to, self.designation_on):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.status.addItem(self.tr("全部"), None)
        for st in ReviewStatus:
            self.status.addItem(st.value, st.value)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        labels = [self.tr("主题"), self.tr("地区"), self.tr("模式类型"), self.tr("审核状态")]
        for col, (text, widget) in enumerate(
            zip(labels, (self.theme, self.region, self.model_type, self.status), strict=True)
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, 0, col * 2)
            grid.addWidget(widget, 0, col * 2 + 1)
        grid.addWidget(QLabel(self.tr("报送日期")), 1, 0)
        grid.addWidget(self.use_from, 1, 1)
        grid.addWidget(self.date_from, 1, 2)
        grid.addWidget(self.use_to, 1, 3)
        grid.addWidget(self.date_to, 1, 4)
        grid.addWidget(self.designation, 1, 5)
        grid.addWidget(self.designation_on, 1, 6)
        grid.addWidget(self.clear, 1, 7)
        for col in (1, 3, 5, 7):
            grid.setColumnStretch(col, 1)
        for combo in (self.theme, self.region, self.model_type, self.status):
            combo.currentIndexChanged.connect(self.filters_changed)
        for box in (self.use_from, self.use_to, self.designation):
            box.toggled.connect(self.filters_changed)
        for edit, box in (
            (self.date_from, self.use_from),
            (self.date_to, self.use_to),
            (self.designation_on, self.designation),
        ):
            edit.dateChanged.connect(lambda _d, box=box: self._date_changed(box))
        self.clear.clicked.connect(self.reset)

    def _date_changed(self, box: QCheckBox) -> None:
        if box.isChecked():
            self.filters_changed.emit()

    def populate(self, ov: Overview) -> None:
        """Fill the choices from the library (keeping what is chosen)."""
        current = self.filters()
        blocked = self.blockSignals(True)
        for combo, nodes in ((self.theme, ov.themes), (self.region, [n for n in ov.regions if n.level != "village"])):
            combo.clear()
            combo.addItem(self.tr("全部"), None)
            by_uuid = {n.uuid: n for n in nodes}
            for node in nodes:
                if node.parent_uuid is None and combo is self.region:
                    continue  # the province: "全部" already means the whole province
                indent = "　" * max(0, _depth(node, by_uuid) - (1 if combo is self.region else 0))
                label = f"{node.code} {node.name}".strip() if node.code else node.name
                combo.addItem(indent + label, node.uuid)
        self.model_type.clear()
        self.model_type.addItem(self.tr("全部"), None)
        for uuid, name, _count in ov.model_types:
            self.model_type.addItem(name, uuid)
        self.blockSignals(blocked)
        self.set_filters(current, emit=False)

    def filters(self) -> CaseFilters:
        """The filters as chosen."""

        def day(edit: QDateEdit) -> date:
            value = edit.date().toPython()
            assert isinstance(value, date)
            return value

        status = self.status.currentData()
        return CaseFilters(
            theme_uuid=self.theme.currentData(),
            region_uuid=self.region.currentData(),
            model_type_uuid=self.model_type.currentData(),
            review_status=ReviewStatus(status) if status else None,
            date_from=day(self.date_from) if self.use_from.isChecked() else None,
            date_to=day(self.date_to) if self.use_to.isChecked() else None,
            designation=MOUNTAIN_ISLAND if self.designation.isChecked() else None,
            designation_on=day(self.designation_on) if self.designation.isChecked() else None,
        )

    def set_filters(self, f: CaseFilters, *, emit: bool = True) -> None:
        """Show the given filters."""
        blocked = self.blockSignals(True)
        for combo, value in (
            (self.theme, f.theme_uuid),
            (self.region, f.region_uuid),
            (self.model_type, f.model_type_uuid),
            (self.status, f.review_status.value if f.review_status else None),
        ):
            i = combo.findData(value)
            combo.setCurrentIndex(max(0, i))
        self.use_from.setChecked(f.date_from is not None)
        if f.date_from:
            self.date_from.setDate(_qdate(f.date_from))
        self.use_to.setChecked(f.date_to is not None)
        if f.date_to:
            self.date_to.setDate(_qdate(f.date_to))
        self.designation.setChecked(f.designation is not None)
        if f.designation_on:
            self.designation_on.setDate(_qdate(f.designation_on))
        self.blockSignals(blocked)
        if emit:
            self.filters_changed.emit()

    def reset(self) -> None:
        """No filter."""
        self.set_filters(CaseFilters())
