"""A dialog to pick places from the region tree, loaded level by level as the user opens it.

Towns can be added under a county and villages under a town right in the dialog; the
reference data supplies the province, cities and counties.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.enums import CHILD_LEVEL, RegionLevel
from desktop.domain.records import Ref, Region
from desktop.ui.operations import Operations

_REGION = Qt.ItemDataRole.UserRole
_PLACEHOLDER = Qt.ItemDataRole.UserRole + 1
_REQUESTED = Qt.ItemDataRole.UserRole + 2


class RegionPickerDialog(QDialog):
    """Choose one or several regions; ``selected_refs()`` gives them after ``exec()``."""

    children_loaded = Signal(str)  # uuid of the parent whose children arrived ("" for the top)
    region_added = Signal(object)  # the new Region

    def __init__(
        self,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        multiple: bool = True,
        title: str = "",
    ) -> None:
        super().__init__(parent)
        self.ops = ops
        self.setWindowTitle(title or self.tr("选择地区"))
        self.resize(440, 560)
        self._items: dict[str, QTreeWidgetItem] = {}
        self._added_pending: Region | None = None

        hint = QLabel(
            self.tr("展开市、县逐级查找；可按住 Ctrl 选择多个地区。") if multiple else self.tr("展开市、县逐级查找。")
        )
        hint.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(self.tr("地区树"))
        self.tree.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if multiple
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.tree.itemExpanded.connect(self._expanded)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemDoubleClicked.connect(self._double_clicked)

        self.add_label = QLabel()
        self.add_label.setWordWrap(True)
        self.new_name = QLineEdit()
        self.new_name.setAccessibleName(self.tr("新地区名称"))
        self.new_name.setPlaceholderText(self.tr("输入新乡镇(街道)或村(社区)名称"))
        self.add_label.setBuddy(self.new_name)
        self.add_button = QPushButton(self.tr("添加"))
        self.add_button.setAccessibleName(self.tr("添加下级地区"))
        self.add_button.clicked.connect(self.add_child)
        self.new_name.returnPressed.connect(self.add_child)
        self.new_name.textChanged.connect(self._update_add_state)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        self.message.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        add_row = QHBoxLayout()
        add_row.addWidget(self.new_name, 1)
        add_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.add_label)
        layout.addLayout(add_row)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        QWidget.setTabOrder(self.tree, self.new_name)
        QWidget.setTabOrder(self.new_name, self.add_button)
        QWidget.setTabOrder(self.add_button, self.buttons)
        self._selection_changed()
        self._load_children(None)

    # reading the tree ------------------------------------------------------------------
    def item_for(self, uuid: str) -> QTreeWidgetItem | None:
        """The tree item of a loaded region."""
        return self._items.get(uuid)

    def selected_regions(self) -> list[Region]:
        """The chosen regions, in tree order."""
        return [region for item in self.tree.selectedItems() if (region := item.data(0, _REGION)) is not None]

    def selected_refs(self) -> list[Ref]:
        """The chosen regions as references named by their full names."""
        return [Ref(r.uuid, r.full_name or r.name) for r in self.selected_regions()]

    def _load_children(self, parent_uuid: str | None) -> None:
        self.ops.read(
            self.tr("读取地区"),
            lambda book, _job: book.regions.children(parent_uuid),
            lambda regions: self._show_children(parent_uuid, regions),
            self._failed,
        )

    def _show_children(self, parent_uuid: str | None, regions: list[Region]) -> None:
        parent = self._items.get(parent_uuid) if parent_uuid else None
        if parent is not None and _placeholder(parent) is not None:
            parent.takeChild(0)
        for region in regions:
            if region.uuid not in self._items:
                self._add_item(parent, region)
        if parent_uuid is None and regions:
            self.tree.expandItem(self._items[regions[0].uuid])
        pending = self._added_pending
        if pending is not None and parent is not None and pending.parent_uuid == parent_uuid:
            if pending.uuid not in self._items:  # the level was read just before the addition
                self._add_item(parent, pending)
            self._added_pending = None
            self._select(self._items[pending.uuid])
            self.region_added.emit(pending)
        self.children_loaded.emit(parent_uuid or "")

    def _add_item(self, parent: QTreeWidgetItem | None, region: Region) -> QTreeWidgetItem:
        item = QTreeWidgetItem([region.name])
        item.setData(0, _REGION, region)
        item.setToolTip(
            0,
            self.tr("{name}（{level}）").format(
                name=region.full_name or region.name, level=self._level_label(region.level)
            ),
        )
        if CHILD_LEVEL[region.level] is not None:
            placeholder = QTreeWidgetItem([self.tr("正在读取…")])
            placeholder.setData(0, _PLACEHOLDER, True)
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            item.addChild(placeholder)
        if parent is None:
            self.tree.addTopLevelItem(item)
        else:
            parent.addChild(item)
        self._items[region.uuid] = item
        return item

    def _expanded(self, item: QTreeWidgetItem) -> None:
        region = item.data(0, _REGION)
        placeholder = _placeholder(item)
        if region is None or placeholder is None or placeholder.data(0, _REQUESTED):
            return
        placeholder.setData(0, _REQUESTED, True)
        self._load_children(region.uuid)

    def _select(self, item: QTreeWidgetItem) -> None:
        if self.tree.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection:
            self.tree.clearSelection()
        self.tree.setCurrentItem(item)
        item.setSelected(True)
        self.tree.scrollToItem(item)

    def _double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.childCount() == 0 and item.data(0, _REGION) is not None:
            self.accept()

    # adding towns and villages ---------------------------------------------------------
    def _level_label(self, level: RegionLevel) -> str:
        labels = {
            RegionLevel.PROVINCE: self.tr("省"),
            RegionLevel.CITY: self.tr("市"),
            RegionLevel.COUNTY: self.tr("县(市、区)"),
            RegionLevel.TOWN: self.tr("乡镇(街道)"),
            RegionLevel.VILLAGE: self.tr("村(社区)"),
        }
        return labels[level]

    def _current_parent(self) -> Region | None:
        item = self.tree.currentItem()
        region: Region | None = item.data(0, _REGION) if item is not None else None
        if region is None or CHILD_LEVEL[region.level] not in (RegionLevel.TOWN, RegionLevel.VILLAGE):
            return None
        return region

    def _selection_changed(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.selected_regions()))
        parent = self._current_parent()
        if parent is None:
            self.add_label.setText(self.tr("新增乡镇或村：先在上面选中一个县(市、区)或乡镇(街道)。"))
        else:
            child = CHILD_LEVEL[parent.level]
            assert child is not None
            self.add_label.setText(
                self.tr("在“{place}”下新增{level}：").format(
                    place=parent.full_name or parent.name, level=self._level_label(child)
                )
            )
        self._update_add_state()

    def _update_add_state(self) -> None:
        ok = self._current_parent() is not None
        self.new_name.setEnabled(ok)
        self.add_button.setEnabled(ok and bool(self.new_name.text().strip()))

    def add_child(self) -> None:
        """Add the typed name under the selected county or town."""
        parent = self._current_parent()
        name = self.new_name.text().strip()
        if parent is None or not name:
            return
        self.add_button.setEnabled(False)
        self.ops.write(
            self.tr("添加地区"),
            lambda book, _job: book.regions.add(parent.uuid, name),
            self._added,
            self._failed,
            initiator=self,
        )

    def _added(self, region: Region) -> None:
        self.message.hide()
        self.new_name.clear()
        self._update_add_state()
        parent = self._items.get(region.parent_uuid or "")
        if parent is not None and _placeholder(parent) is not None:
            self._added_pending = region  # shown, selected and announced when the level arrives
            parent.setExpanded(True)
            return
        if parent is not None and region.uuid not in self._items:
            self._add_item(parent, region)
            parent.setExpanded(True)
        if region.uuid in self._items:
            self._select(self._items[region.uuid])
        self.region_added.emit(region)

    def _failed(self, exc: BaseException, _details: str) -> None:
        self.message.setText(str(exc))
        self.message.show()
        self._update_add_state()


def _placeholder(item: QTreeWidgetItem) -> QTreeWidgetItem | None:
    """The "loading" child of an item whose children have not arrived yet."""
    child = item.child(0) if item.childCount() == 1 else None
    return child if child is not None and child.data(0, _PLACEHOLDER) else None
