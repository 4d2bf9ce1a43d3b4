"""Counts and trees for the navigation pane: cases per theme, place, model type, tag, status,
pilot and smart category, and what is in the trash."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from desktop.domain.changes import RecordKind
from desktop.domain.enums import ReviewStatus
from desktop.domain.i18n import _
from desktop.domain.query import CaseQuery, SavedSearch, query_to_json
from desktop.domain.records import new_uuid
from desktop.domain.validation import FieldError, ValidationError
from desktop.services.context import Op, ServiceContext, get_row, stamp
from desktop.services.search import SearchService
from desktop.services.writing import write
from desktop.store.mapping import to_saved_search
from desktop.store.queries import designated_region_ids
from desktop.store.schema import (
    CasePlace,
    CaseRow,
    CaseTag,
    CaseTheme,
    ModelTypeRow,
    PilotRow,
    RegionRow,
    SavedSearchRow,
    TagRow,
    ThemeRow,
    utcnow,
)

#: Progress callback: (done, total, what is being done).
Step = Callable[[int, int, str], None]


@dataclass(frozen=True)
class TreeNode:
    """A node of the theme or region tree, with the number of live cases at or below it."""

    uuid: str
    name: str
    parent_uuid: str | None
    count: int
    code: str = ""
    level: str = ""



@dataclass
class Overview:
    """Everything the navigation pane shows, computed in one go."""

    total: int = 0
    themes: list[TreeNode] = field(default_factory=list)
    regions: list[TreeNode] = field(default_factory=list)
    model_types: list[tuple[str, str, int]] = field(default_factory=list)  # uuid, name, count
    tags: list[tuple[str, int]] = field(default_factory=list)
    statuses: list[tuple[str, int]] = field(default_factory=list)
    pilots: list[tuple[str, str, int]] = field(default_factory=list)  # uuid, name, cases
    saved: list[tuple[str, str, int]] = field(default_factory=list)  # uuid, name, count
    saved_searches: list[SavedSearch] = field(default_factory=list)
    trash: int = 0
    designated: frozenset[str] = frozenset()  # region uuids designated on the chosen day


def _tree(
    s: Session,
    node: type[ThemeRow] | type[RegionRow],
    link_node: Any,
    link_case: Any,
    rows: list[ThemeRow] | list[RegionRow],
) -> list[TreeNode]:
    """Tree nodes for theme or region rows, each with the distinct live cases at or below it.

    ``link_node`` / ``link_case`` are the columns of the link table (case ↔ node). Counted in one
    query: each link is joined to the node and every ancestor of it (a node's path, like ``/1/5/9/``,
    starts with each ancestor's path), and distinct cases are counted per ancestor. The database does
    the whole count, so the interpreter is free for the window meanwhile."""
    below = aliased(node)
    above = aliased(node)
    ancestors = (
        select(below.id.label("node_id"), above.id.label("above_id"))
        .join(above, func.substr(below.path, 1, func.length(above.path)) == above.path)
        .cte(f"{node.__tablename__}_above")
        .prefix_with("MATERIALIZED")  # a few hundred pairs, worked out once, not once per link
    )
    counted = (
        select(ancestors.c.above_id, func.count(func.distinct(link_case)))
        .select_from(link_node.table)
        .join(ancestors, ancestors.c.node_id == link_node)
        .join(CaseRow, (CaseRow.id == link_case) & CaseRow.deleted_at.is_(None))
        .group_by(ancestors.c.above_id)
    )
    counts: dict[int, int] = {node_id: n for node_id, n in s.execute(counted)}
    uuids = {r.id: r.uuid for r in rows}
    return [
        TreeNode(
            r.uuid,
            r.name,
            uuids.get(r.parent_id) if r.parent_id else None,
            counts.get(r.id, 0),
            code=r.code if isinstance(r, ThemeRow) else "",
            level=r.level if isinstance(r, RegionRow) else "",
        )
        for r in rows
    ]


class OverviewService:
    """Counts for the navigation pane, and smart categories."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def overview(self, designation: str | None = None, on: date | None = None, step: Step | None = None) -> Overview:
        """Counts of live cases by every grouping; ``designated`` lists regions carrying
        ``designation`` on ``on`` (today when not given). ``step(done, total, what)`` is called
        between the parts (it may raise to stop the work)."""
        step = step or (lambda _done, _total, _what: None)
        out = Overview()
        live = CaseRow.deleted_at.is_(None)
        with self.ctx.library.reading() as s:
            out.total = s.execute(select(func.count()).select_from(CaseRow).where(live)).scalar_one()
            out.trash = s.execute(
                select(func.count()).select_from(CaseRow).where(CaseRow.deleted_at.is_not(None))
            ).scalar_one()
            step(1, 5, _("统计主题"))
            out.themes = _tree(
                s,
                ThemeRow,
                CaseTheme.theme_id,
                CaseTheme.case_id,
                list(
                    s.execute(
                        select(ThemeRow).where(ThemeRow.deleted_at.is_(None)).order_by(ThemeRow.sort_order, ThemeRow.id)
                    ).scalars()
                ),
            )
            step(2, 5, _("统计地区"))
            region_rows = list(
                s.execute(select(RegionRow).where(RegionRow.deleted_at.is_(None)).order_by(RegionRow.id)).scalars()
            )
            out.regions = _tree(s, RegionRow, CasePlace.region_id, CasePlace.case_id, region_rows)
            region_uuid = {r.id: r.uuid for r in region_rows}
            if designation:
                ids = set(s.execute(designated_region_ids(designation, on or date.today())).scalars())
                out.designated = frozenset(region_uuid[i] for i in ids if i in region_uuid)
            step(3, 5, _("统计模式类型与标签"))
            out.model_types = [
                (u, n, c)
                for u, n, c in s.execute(
                    select(ModelTypeRow.uuid, ModelTypeRow.name, func.count(CaseRow.id))
                    .outerjoin(CaseRow, (CaseRow.model_type_id == ModelTypeRow.id) & live)
                    .where(ModelTypeRow.deleted_at.is_(None))
                    .group_by(ModelTypeRow.id)
                    .order_by(ModelTypeRow.sort_order, ModelTypeRow.id)
                ).all()
            ]
            out.tags = [
                (n, c)
                for n, c in s.execute(
                    select(TagRow.name, func.count(CaseRow.id))
                    .join(CaseTag, CaseTag.tag_id == TagRow.id)
                    .join(CaseRow, (CaseRow.id == CaseTag.case_id) & live)
                    .where(TagRow.deleted_at.is_(None))
                    .group_by(TagRow.id)
                    .order_by(func.count(CaseRow.id).desc(), TagRow.name)
                ).all()
            ]
            status_counts = dict(
                s.execute(select(CaseRow.review_status, func.count()).where(live).group_by(CaseRow.review_status)).all()
            )
            out.statuses = [(st.value, int(status_counts.get(st.value, 0))) for st in ReviewStatus]
            out.pilots = [
                (u, n, c)
                for u, n, c in s.execute(
                    select(PilotRow.uuid, PilotRow.name, func.count(CaseRow.id))
                    .outerjoin(CaseRow, (CaseRow.pilot_id == PilotRow.id) & live)
                    .where(PilotRow.deleted_at.is_(None))
                    .group_by(PilotRow.id)
                    .order_by(PilotRow.id.desc())
                ).all()
            ]
        step(4, 5, _("统计智能分类"))
        search = SearchService(self.ctx)
        out.saved_searches = self.saved_searches()
        out.saved = [(ss.uuid, ss.name, search.ids(ss.query).total) for ss in out.saved_searches]
        return out

    # smart categories -------------------------------------------------------------------
    def saved_searches(self) -> list[SavedSearch]:
        """The smart categories in their order."""
        with self.ctx.library.reading() as s:
            rows = s.execute(
                select(SavedSearchRow)
                .where(SavedSearchRow.deleted_at.is_(None))
                .order_by(SavedSearchRow.sort_order, SavedSearchRow.id)
            ).scalars()
            return [to_saved_search(r) for r in rows]

    def save_search(self, name: str, query: CaseQuery, uuid: str | None = None) -> Op[SavedSearch]:
        """Save (or rename/change) a smart category; undoable."""
        if not name.strip():
            raise ValidationError([FieldError("name", _("智能分类名称"), _("不能为空"))])
        with write(self.ctx, _("保存智能分类")) as w:
            s = w.session
            row = (
                s.execute(select(SavedSearchRow).where(SavedSearchRow.uuid == uuid)).scalar_one_or_none()
                if uuid
                else None
            )
            if row is None:
                row = SavedSearchRow(uuid=uuid or new_uuid(), sort_order=0)
                w.track_new(RecordKind.SAVED_SEARCH, [row.uuid])
                s.add(row)
            else:
                w.track(RecordKind.SAVED_SEARCH, [row.uuid])
            _set_search(row, name, query)
            stamp(row, self.ctx.editor)
            s.flush()
            saved = to_saved_search(row)
        return Op(saved, w.changes)

    def delete_search(self, uuid: str) -> Op[None]:
        """Move a smart category to the trash; undoable."""
        with write(self.ctx, _("删除智能分类")) as w:
            row = get_row(w.session, SavedSearchRow, uuid, what=_("智能分类"))
            w.track(RecordKind.SAVED_SEARCH, [uuid])
            row.deleted_at = utcnow()
            stamp(row, self.ctx.editor)
        return Op(None, w.changes)

    def write_state(self, s: Session, state: SavedSearch) -> None:
        """Make a stored smart category what ``state`` says, trash included (undo and redo)."""
        row = s.execute(select(SavedSearchRow).where(SavedSearchRow.uuid == state.uuid)).scalar_one()
        _set_search(row, state.name, state.query)
        row.deleted_at = state.deleted_at
        stamp(row, self.ctx.editor)


def _set_search(row: SavedSearchRow, name: str, query: CaseQuery) -> None:
    row.name = name.strip()
    row.query_text = query.text
    row.filters_json = query_to_json(query)
