"""The navigation pane: the library arranged by theme, place, pilot, model type, tag, smart
category and review status, each with its number of cases, plus the 督办 list and the trash."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QTreeView, QVBoxLayout, QWidget

from desktop.domain.query import MOUNTAIN_ISLAND
from desktop.services.overview import Overview, TreeNode

KIND_ROLE = Qt.ItemDataRole.UserRole + 10
VALUE_ROLE = Qt.ItemDataRole.UserRole + 11

ALL, DUBAN, THEME, REGION, PILOT, MODEL_TYPE, TAG, SAVED, STATUS, TRASH, SECTION = (
    "all", "duban", "theme", "region", "pilot", "model_type", "tag", "saved", "status", "trash", "section",
)  # fmt: skip


def _label(name: str, count: int | None) -> str:
    if count is None:
        return name
    return QCoreApplication.translate("NavigationPane", "{name}（{count}）").format(name=name, count=count)


class NavigationPane(QWidget):
    """The tree on the left; ``selected(kind, value)`` tells the window what to show."""

    selected = Signal(str, str)
    designation_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName(self.tr("导航"))
        self.tree.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.mountain = QCheckBox(self.tr("只看山区海岛县"))
        self.mountain.setAccessibleName(self.tr("只看山区海岛县"))
        self.as_of = QDateEdit(QDate.currentDate())
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.as_of.setAccessibleName(self.tr("山区海岛县认定日期"))
        self.as_of.setToolTip(self.tr("按此日期的山区海岛县名单筛选地区"))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.mountain)
        row.addWidget(self.as_of, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.tree)
        self.mountain.toggled.connect(self.designation_changed)
        self.as_of.dateChanged.connect(self._as_of_changed)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self._sections: dict[str, QStandardItem] = {}

    # the designation filter ----------------------------------------------------------------
    def _as_of_changed(self, _day: QDate) -> None:
        if self.mountain.isChecked():
            self.designation_changed.emit()

    def designation(self) -> tuple[str | None, date]:
        """The designation filter in force (or None) and its day."""
        day = self.as_of.date().toPython()
        assert isinstance(day, date)
        return (MOUNTAIN_ISLAND if self.mountain.isChecked() else None), day

    # content ---------------------------------------------------------------------------------
    def show_overview(self, ov: Overview) -> None:
        """Rebuild the tree from fresh counts, keeping what was expanded and selected."""
        keep = self.current_key()
        expanded = self._expanded_keys()
        first_build = not self._sections
        self.model.clear()
        self._sections = {}
        root = self.model.invisibleRootItem()
        root.appendRow(self._item(_label(self.tr("全部案例"), ov.total), ALL, ""))
        root.appendRow(self._item(self.tr("督办（逾期与临近到期）"), DUBAN, ""))
        themes = self._section(THEME, self.tr("主题"))
        self._tree(themes, ov.themes, THEME, lambda n: f"{n.code} {n.name}".strip() if n.code else n.name)
        regions = self._section(REGION, self.tr("地区"))
        designation, _day = self.designation()
        nodes = ov.regions
        if designation:
            keep_uuids = set(ov.designated)
            by_uuid = {n.uuid: n for n in nodes}
            for u in list(keep_uuids):  # keep the cities above designated counties, and what is below
                parent = by_uuid[u].parent_uuid if u in by_uuid else None
                while parent:
                    keep_uuids.add(parent)
                    parent = by_uuid[parent].parent_uuid if parent in by_uuid else None
            below = {n.uuid for n in nodes if self._under(n, ov.designated, by_uuid)}
            nodes = [n for n in nodes if n.uuid in keep_uuids or n.uuid in below]
        # the province itself is not shown: its cities are the first level
        top = [n for n in nodes if n.parent_uuid is None]
        province = top[0].uuid if len(top) == 1 else None
        self._tree(
            regions,
            [n if n.parent_uuid != province else _reparent(n) for n in nodes if n.uuid != province],
            REGION,
            lambda n: n.name,
        )
        pilots = self._section(PILOT, self.tr("试点"))
        for uuid, name, count in ov.pilots:
            pilots.appendRow(self._item(_label(name, count), PILOT, uuid))
        types = self._section(MODEL_TYPE, self.tr("模式类型"))
        for uuid, name, count in ov.model_types:
            types.appendRow(self._item(_label(name, count), MODEL_TYPE, uuid))
        tags = self._section(TAG, self.tr("标签"))
        for name, count in ov.tags:
            tags.appendRow(self._item(_label(name, count), TAG, name))
        saved = self._section(SAVED, self.tr("智能分类"))
        for uuid, name, count in ov.saved:
            saved.appendRow(self._item(_label(name, count), SAVED, uuid))
        statuses = self._section(STATUS, self.tr("审核状态"))
        for status, count in ov.statuses:
            statuses.appendRow(self._item(_label(status, count), STATUS, status))
        root.appendRow(self._item(_label(self.tr("回收站"), ov.trash), TRASH, ""))
        if first_build:
            for key in (THEME, REGION):
                self.tree.expand(self._sections[key].index())
        else:
            self._expand(expanded)
        self.select_key(keep or (ALL, ""), emit=False)

    @staticmethod
    def _under(node: TreeNode, designated: frozenset[str], by_uuid: dict[str, TreeNode]) -> bool:
        parent = node.parent_uuid
        while parent:
            if parent in designated:
                return True
            parent = by_uuid[parent].parent_uuid if parent in by_uuid else None
        return node.uuid in designated

    def _section(self, kind: str, title: str) -> QStandardItem:
        item = self._item(title, SECTION, kind)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        item.setSelectable(False)
        self.model.invisibleRootItem().appendRow(item)
        self._sections[kind] = item
        return item

    @staticmethod
    def _item(text: str, kind: str, value: str) -> QStandardItem:
        item = QStandardItem(text)
        item.setData(kind, KIND_ROLE)
        item.setData(value, VALUE_ROLE)
        item.setEditable(False)
        item.setData(text, Qt.ItemDataRole.AccessibleTextRole)
        return item

    def _tree(self, parent: QStandardItem, nodes: list[TreeNode], kind: str, name: object) -> None:
        items: dict[str | None, QStandardItem] = {None: parent}
        pending = list(nodes)
        while pending:
            rest = []
            for node in pending:
                holder = items.get(node.parent_uuid)
                if holder is None:
                    rest.append(node)
                    continue
                assert callable(name)
                item = self._item(_label(name(node), node.count), kind, node.uuid)
                holder.appendRow(item)
                items[node.uuid] = item
            if len(rest) == len(pending):
                break  # orphans (parent trashed or filtered out) are left out
            pending = rest

    # selection -------------------------------------------------------------------------------
    def current_key(self) -> tuple[str, str] | None:
        """(kind, value) of the selected entry."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        return str(index.data(KIND_ROLE)), str(index.data(VALUE_ROLE))

    def select_key(self, key: tuple[str, str], *, emit: bool = True) -> bool:
        """Select the entry (kind, value) if it is there."""
        matches = self.model.match(
            self.model.index(0, 0), VALUE_ROLE, key[1], -1, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive
        )
        for index in matches:
            if index.data(KIND_ROLE) == key[0]:
                blocked = self.tree.selectionModel().blockSignals(not emit)
                self.tree.setCurrentIndex(index)
                self.tree.selectionModel().blockSignals(blocked)
                self.tree.scrollTo(index)
                return True
        return False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.data(KIND_ROLE) != SECTION:
            self.selected.emit(str(current.data(KIND_ROLE)), str(current.data(VALUE_ROLE)))

    def _expanded_keys(self) -> set[tuple[str, str]]:
        keys: set[tuple[str, str]] = set()

        def walk(parent: QModelIndex) -> None:
            for r in range(self.model.rowCount(parent)):
                idx = self.model.index(r, 0, parent)
                if self.tree.isExpanded(idx):
                    keys.add((str(idx.data(KIND_ROLE)), str(idx.data(VALUE_ROLE))))
                    walk(idx)

        walk(QModelIndex())
        return keys

    def _expand(self, keys: set[tuple[str, str]]) -> None:
        def walk(parent: QModelIndex) -> None:
            for r in range(self.model.rowCount(parent)):
                idx = self.model.index(r, 0, parent)
                if (str(idx.data(KIND_ROLE)), str(idx.data(VALUE_ROLE))) in keys:
                    self.tree.expand(idx)
                    walk(idx)

        walk(QModelIndex())


def _reparent(node: TreeNode) -> TreeNode:
    return TreeNode(node.uuid, node.name, None, node.count, node.code, node.level)
