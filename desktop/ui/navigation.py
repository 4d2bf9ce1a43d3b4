"""The navigation pane: the library arranged by theme, place, pilot, model type, tag, smart
category and review status, each with its number of cases, plus the 督办 list and the trash."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QTreeView, QVBoxLayout, QWidget

from desktop.domain.query import MOUNTAIN_ISLAND
from desktop.services.overview import Overview, TreeNode

KIND_ROLE = Qt.ItemDataRole.UserRole + 10
VALUE_ROLE = Qt.ItemDataRole.UserRole + 11

ALL, DUBAN, THEME, REGION, PILOT, MODEL_TYPE, TAG, SAVED, STATUS, TRASH, SECTION = (
    "all", "duban", "theme", "region", "pilot", "model_type", "tag", "saved", "status", "trash", "section",
)  # fmt: skip
# the groups under 主题 (sections: nothing to select) and the note on the plan's part without themes
THEME_PLAN, THEME_ACROSS, THEME_NOTE = "theme_plan", "theme_across", "theme_note"


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
        self.tree = _Tree()
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
        self.tree.clicked.connect(self._clicked)
        self.tree.activated.connect(self._emit)
        self._sections: dict[str, QStandardItem] = {}
        self._reconciling = False

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
        """Show fresh counts and entries, changing the tree in place: what is selected, expanded and
        scrolled to stays so, and no entry is selected on the way (the window's view does not move)."""
        first_build = self.model.rowCount() == 0
        keep = self.current_key()
        scroll = self.tree.verticalScrollBar().value()
        self._reconciling = True
        try:
            self._reconcile(self.model.invisibleRootItem(), self._specs(ov))
        finally:
            self._reconciling = False
        if first_build:
            for key in (THEME, THEME_PLAN, THEME_ACROSS, REGION):
                if key not in self._sections:
                    continue
                self.tree.expand(self._sections[key].index())
        if keep is None or not self.select_key(keep, emit=False):
            self.select_key((ALL, ""), emit=keep is not None)
        self.tree.verticalScrollBar().setValue(scroll)

    def _specs(self, ov: Overview) -> list[_Spec]:
        """What the tree should hold, top to bottom."""
        themes = _Spec(SECTION, THEME, self.tr("主题"), section=True)
        themes.children = self._theme_groups(ov)
        regions = _Spec(SECTION, REGION, self.tr("地区"), section=True)
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
        shown = [n if n.parent_uuid != province else _reparent(n) for n in nodes if n.uuid != province]
        regions.children = _nested(shown, REGION, lambda n: n.name)
        pilots = _Spec(SECTION, PILOT, self.tr("试点"), section=True)
        pilots.children = [_Spec(PILOT, u, _label(name, count)) for u, name, count in ov.pilots]
        types = _Spec(SECTION, MODEL_TYPE, self.tr("模式类型"), section=True)
        types.children = [_Spec(MODEL_TYPE, u, _label(name, count)) for u, name, count in ov.model_types]
        tags = _Spec(SECTION, TAG, self.tr("标签"), section=True)
        tags.children = [_Spec(TAG, name, _label(name, count)) for name, count in ov.tags]
        saved = _Spec(SECTION, SAVED, self.tr("智能分类"), section=True)
        saved.children = [_Spec(SAVED, u, _label(name, count)) for u, name, count in ov.saved]
        statuses = _Spec(SECTION, STATUS, self.tr("审核状态"), section=True)
        statuses.children = [_Spec(STATUS, st, _label(st, count)) for st, count in ov.statuses]
        return [
            _Spec(ALL, "", _label(self.tr("全部案例"), ov.total)),
            _Spec(DUBAN, "", self.tr("督办（逾期与临近到期）")),
            themes,
            regions,
            pilots,
            types,
            tags,
            saved,
            statuses,
            _Spec(TRASH, "", _label(self.tr("回收站"), ov.trash)),
        ]

    def _theme_groups(self, ov: Overview) -> list[_Spec]:
        """The themes as the plan lays them out: its numbered parts (二、重点工作 …) under the plan's
        name, the part without themes (一、总体要求) said as such, and the groups that cut across the
        parts (三大差距, a top-level theme without a number) apart, labelled so."""
        nested = _nested(ov.themes, THEME, lambda n: f"{n.code} {n.name}".strip() if n.code else n.name)
        numbered = {n.uuid for n in ov.themes if n.parent_uuid is None and n.code}
        parts = [s for s in nested if s.value in numbered]
        across = [s for s in nested if s.value not in numbered]
        if not parts or not across:
            return nested
        plan = _Spec(
            SECTION,
            THEME_PLAN,
            self.tr("方案条目"),
            section=True,
            hint=self.tr("按《实施方案》的部分和条目排列"),
        )
        codes = {n.code for n in ov.themes if n.parent_uuid is None}
        if "二、" in codes and "一、" not in codes:
            plan.children.append(
                _Spec(
                    SECTION,
                    THEME_NOTE,
                    self.tr("一、总体要求（不设主题）"),
                    quiet=True,
                    hint=self.tr("方案第一部分是总体要求，只讲目标与原则，不部署具体工作，因此不设主题。"),
                )
            )
        plan.children.extend(parts)
        cross = _Spec(
            SECTION,
            THEME_ACROSS,
            self.tr("交叉分组（贯穿各条目）"),
            section=True,
            hint=self.tr("与方案各条目交叉：一个案例可以既属于某一条目，又属于这里的分组"),
        )
        cross.children = across
        return [plan, cross]

    def _reconcile(self, parent: QStandardItem, specs: list[_Spec]) -> None:
        """Make ``parent``'s children what ``specs`` say, keeping the items that stay (and so their
        selection and expansion), changing only the labels and rows that differ."""
        for row, spec in enumerate(specs):
            found = None
            for r in range(row, parent.rowCount()):
                child = parent.child(r)
                if child is not None and (child.data(KIND_ROLE), child.data(VALUE_ROLE)) == (spec.kind, spec.value):
                    found = r
                    break
            if found is None:
                item = self._item(spec.text, spec.kind, spec.value)
                if spec.section:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                    item.setSelectable(False)
                if spec.quiet:  # a note, not an entry: grey, and nothing to select
                    item.setSelectable(False)
                    item.setForeground(self.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
                if spec.hint:
                    item.setToolTip(spec.hint)
                parent.insertRow(row, [item])
            elif found != row:
                parent.insertRow(row, parent.takeRow(found))
            item = parent.child(row)
            assert item is not None
            if item.text() != spec.text:
                item.setText(spec.text)
                item.setData(spec.text, Qt.ItemDataRole.AccessibleTextRole)
            if spec.section:
                self._sections[spec.value] = item
            self._reconcile(item, spec.children)
        if parent.rowCount() > len(specs):
            parent.removeRows(len(specs), parent.rowCount() - len(specs))

    @staticmethod
    def _under(node: TreeNode, designated: frozenset[str], by_uuid: dict[str, TreeNode]) -> bool:
        parent = node.parent_uuid
        while parent:
            if parent in designated:
                return True
            parent = by_uuid[parent].parent_uuid if parent in by_uuid else None
        return node.uuid in designated

    @staticmethod
    def _item(text: str, kind: str, value: str) -> QStandardItem:
        item = QStandardItem(text)
        item.setData(kind, KIND_ROLE)
        item.setData(value, VALUE_ROLE)
        item.setEditable(False)
        item.setData(text, Qt.ItemDataRole.AccessibleTextRole)
        return item

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
                quiet, self._reconciling = self._reconciling, not emit  # the view still shows the selection
                try:
                    self.tree.setCurrentIndex(index)
                finally:
                    self._reconciling = quiet
                self.tree.scrollTo(index)
                return True
        return False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._reconciling:
            self._emit(current)

    def _emit(self, index: QModelIndex) -> None:
        if index.isValid() and index.data(KIND_ROLE) != SECTION:
            self.selected.emit(str(index.data(KIND_ROLE)), str(index.data(VALUE_ROLE)))

    def _clicked(self, index: QModelIndex) -> None:
        """A click on the entry that was already selected shows its view again."""
        if self.tree.press_was_current and index == self.tree.currentIndex():
            self._emit(index)

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


class _Tree(QTreeView):
    """The navigation tree; it remembers whether a mouse press landed on the entry already selected."""

    def __init__(self) -> None:
        super().__init__()
        self.press_was_current = False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        if self._toggle_section(index, event):
            return
        self.press_was_current = index.isValid() and index == self.currentIndex()
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if not self._toggle_section(self.indexAt(event.position().toPoint()), event):
            super().mouseDoubleClickEvent(event)

    def _toggle_section(self, index: QModelIndex, event: QMouseEvent) -> bool:
        """A click on a heading (a section, a group, a note) opens or closes it; the entry the user
        is on stays current, so the window keeps showing its view."""
        if not index.isValid() or index.data(KIND_ROLE) != SECTION or event.button() != Qt.MouseButton.LeftButton:
            return False
        if self.model().hasChildren(index):
            self.setExpanded(index, not self.isExpanded(index))
        event.accept()
        return True


@dataclass
class _Spec:
    """One entry the tree should show."""

    kind: str
    value: str
    text: str
    section: bool = False
    children: list[_Spec] = field(default_factory=list)
    quiet: bool = False  # a note in the tree (grey, not selectable)
    hint: str = ""  # its tooltip


def _nested(nodes: list[TreeNode], kind: str, name: Callable[[TreeNode], str]) -> list[_Spec]:
    """Tree nodes as nested entries, in their order; orphans (parent trashed or filtered out) are left out."""
    specs = {n.uuid: _Spec(kind, n.uuid, _label(name(n), n.count)) for n in nodes}
    top: list[_Spec] = []
    for node in nodes:
        if node.parent_uuid is None:
            top.append(specs[node.uuid])
        elif node.parent_uuid in specs:
            specs[node.parent_uuid].children.append(specs[node.uuid])
    return top


def _reparent(node: TreeNode) -> TreeNode:
    return TreeNode(node.uuid, node.name, None, node.count, node.code, node.level)
