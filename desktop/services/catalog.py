"""The library's vocabularies: regions and their dated designations, themes, model types,
tags, indicators and their observations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from desktop.domain.changes import RecordKind
from desktop.domain.enums import CHILD_LEVEL, RegionLevel
from desktop.domain.i18n import _
from desktop.domain.records import (
    Indicator,
    ModelType,
    Observation,
    Record,
    Region,
    RegionDesignation,
    Tag,
    Theme,
    new_uuid,
)
from desktop.domain.validation import (
    FieldError,
    ValidationError,
    validate_designation,
    validate_indicator,
    validate_named,
    validate_observation,
    validate_region,
)
from desktop.services.cases import reindexing
from desktop.services.context import InUseError, NotFoundError, Op, ServiceContext, get_row, stamp
from desktop.services.writing import write
from desktop.store.changelog import ROW_OF
from desktop.store.mapping import (
    to_designation,
    to_indicator,
    to_model_type,
    to_observation,
    to_region,
    to_tag,
    to_theme,
)
from desktop.store.queries import region_subtree_ids
from desktop.store.schema import (
    AdoptionRow,
    CasePlace,
    CaseRow,
    CaseTag,
    CaseTheme,
    DesignationRow,
    IndicatorRow,
    ModelTypeRow,
    ObservationRow,
    PilotPlace,
    PilotRow,
    RegionRow,
    TagRow,
    ThemeRow,
    Tracked,
    utcnow,
)


def _full_name(parent: RegionRow | None, name: str, level: RegionLevel) -> str:
    if parent is None or level == RegionLevel.CITY:
        return name
    return (parent.full_name or parent.name) + name


def refresh_full_names(s: Session, row: RegionRow) -> None:
    """Recompute the full names of a region and everything under it (after a rename)."""
    subtree = s.execute(select(RegionRow).where(RegionRow.path.startswith(row.path, autoescape=False))).scalars()
    for r in sorted(subtree, key=lambda r: len(r.path)):
        r.full_name = _full_name(r.parent, r.name, RegionLevel(r.level))


def insert_region(
    s: Session,
    ctx: ServiceContext,
    parent: RegionRow | None,
    name: str,
    level: RegionLevel,
    *,
    category: str = "",
    uuid: str | None = None,
) -> RegionRow:
    """Add a region row under ``parent`` and set its path and full name."""
    row = RegionRow(
        uuid=uuid or new_uuid(),
        parent=parent,
        name=name.strip(),
        level=level.value,
        category=category,
        full_name=_full_name(parent, name.strip(), level),
    )
    stamp(row, ctx.editor)
    s.add(row)
    s.flush()
    row.path = (parent.path if parent else "/") + f"{row.id}/"
    s.flush()
    return row


class RegionService:
    """Regions (cities and counties come with the library; users add towns and villages)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def children(self, parent_uuid: str | None) -> list[Region]:
        """The live regions directly under ``parent_uuid`` (the province when None)."""
        with self.ctx.library.reading() as s:
            q = select(RegionRow).where(RegionRow.deleted_at.is_(None))
            if parent_uuid is None:
                q = q.where(RegionRow.parent_id.is_(None))
            else:
                parent = get_row(s, RegionRow, parent_uuid, what=_("地区"))
                q = q.where(RegionRow.parent_id == parent.id)
            return [to_region(r) for r in s.execute(q.order_by(RegionRow.id)).scalars()]

    def get(self, uuid: str) -> Region:
        """The region with ``uuid``."""
        with self.ctx.library.reading() as s:
            return to_region(get_row(s, RegionRow, uuid, what=_("地区"), include_trashed=True))

    def find(self, name: str) -> Region:
        """A live region by name or full name (e.g. 淳安县, 杭州市淳安县); the shortest full name wins."""
        with self.ctx.library.reading() as s:
            rows = (
                s.execute(
                    select(RegionRow)
                    .where(RegionRow.deleted_at.is_(None), (RegionRow.name == name) | (RegionRow.full_name == name))
                    .order_by(func.length(RegionRow.full_name), RegionRow.id)
                )
                .scalars()
                .all()
            )
            if not rows:
                raise NotFoundError(_("找不到地区“{name}”").format(name=name))
            return to_region(rows[0])

    def add(self, parent_uuid: str, name: str, *, category: str = "") -> Op[Region]:
        """Add a town under a county or a village under a town (no duplicate names under one parent;
        one in the trash is brought back). Undoable."""
        with write(self.ctx, _("添加地区")) as w:
            s = w.session
            parent = get_row(s, RegionRow, parent_uuid, what=_("上级地区"))
            level = CHILD_LEVEL[RegionLevel(parent.level)]
            probe = Region(name=name, level=level or RegionLevel.VILLAGE)
            validate_region(probe)
            if level is None:
                raise ValidationError([FieldError("parent", _("上级地区"), _("村(社区)下不能再添加地区"))])
            if level in (RegionLevel.CITY, RegionLevel.COUNTY):
                raise ValidationError(
                    [FieldError("parent", _("上级地区"), _("市、县由参考数据提供，只能在县以下添加乡镇和村"))]
                )
            existing = s.execute(
                select(RegionRow).where(RegionRow.parent_id == parent.id, RegionRow.name == name.strip())
            ).scalar_one_or_none()
            if existing is not None and existing.deleted_at is None:
                raise ValidationError(
                    [FieldError("name", _("地区名称"), _("{p}下已有“{n}”").format(p=parent.full_name, n=name.strip()))]
                )
            if existing is not None:
                w.track(RecordKind.REGION, [existing.uuid])
                existing.deleted_at = None
                stamp(existing, self.ctx.editor)
                added = to_region(existing)
            else:
                row = insert_region(s, self.ctx, parent, name, level, category=category)
                w.track_new(RecordKind.REGION, [row.uuid])
                added = to_region(row)
        return Op(added, w.changes)

    def ensure_path(self, names: Sequence[str]) -> Op[Region]:
        """The region at a name path from the city down (e.g. 杭州市/淳安县/枫树岭镇/下姜村),
        adding missing towns and villages under an existing county."""
        with write(self.ctx) as w:
            found = to_region(ensure_region_path(w.session, self.ctx, names))
        return Op(found, w.changes)

    def rename(self, uuid: str, name: str, version: int) -> Op[Region]:
        """Rename a region read at ``version``; the full names below it and the cases placed there follow."""
        with write(self.ctx, _("重命名地区")) as w:
            s = w.session
            row = w.checked(RecordKind.REGION, uuid, version)
            validate_region(Region(name=name, level=RegionLevel(row.level)))
            subtree = list(s.execute(select(RegionRow).where(RegionRow.id.in_(region_subtree_ids(uuid)))).scalars())
            case_ids = list(
                s.execute(
                    select(CasePlace.case_id).where(CasePlace.region_id.in_([r.id for r in subtree])).distinct()
                ).scalars()
            )

            clash = s.execute(
                select(RegionRow.id).where(
                    RegionRow.parent_id == row.parent_id,
                    RegionRow.name == name.strip(),
                    RegionRow.id != row.id,
                    RegionRow.deleted_at.is_(None),
                )
            ).first()
            if clash is not None:
                raise ValidationError(
                    [FieldError("name", _("地区名称"), _("同一上级地区下已有“{n}”").format(n=name.strip()))]
                )

            def change() -> None:
                row.name = name.strip()
                stamp(row, self.ctx.editor)
                refresh_full_names(s, row)

            reindexing(self.ctx, s, case_ids, change)
            renamed = to_region(row)
        return Op(renamed, w.changes)

    def trash(self, uuid: str) -> Op[None]:
        """Move a user-added town or village to the trash, if no live case or pilot uses it (undoable)."""
        with write(self.ctx, _("删除地区")) as w:
            s = w.session
            row = get_row(s, RegionRow, uuid, what=_("地区"))
            w.track(RecordKind.REGION, [uuid])
            if RegionLevel(row.level) not in (RegionLevel.TOWN, RegionLevel.VILLAGE):
                raise InUseError(_("市、县属于参考数据，不能删除"))
            used = _region_in_use(s, row)
            if used:
                raise InUseError(
                    _("“{n}”仍被 {k} 条记录（案例、试点、推广、标识或指标）使用，不能删除").format(
                        n=row.full_name, k=used
                    )
                )
            row.deleted_at = utcnow()
            stamp(row, self.ctx.editor)
        return Op(None, w.changes)

    def write_state(self, s: Session, state: Region) -> None:
        """Make a stored region what ``state`` says (its name, whether it is in the trash): undo and redo."""
        row = s.execute(select(RegionRow).where(RegionRow.uuid == state.uuid)).scalar_one()
        if row.name != state.name:
            subtree = select(RegionRow.id).where(RegionRow.path.startswith(row.path, autoescape=False))
            case_ids = list(s.execute(select(CasePlace.case_id).where(CasePlace.region_id.in_(subtree))).scalars())

            def change() -> None:
                row.name = state.name
                refresh_full_names(s, row)

            reindexing(self.ctx, s, case_ids, change)
        if state.deleted_at is not None and _region_in_use(s, row):
            return  # still used by live records: it stays, as a trash would have refused
        row.deleted_at = state.deleted_at
        stamp(row, self.ctx.editor)

    # designations --------------------------------------------------------------------
    def designations(self, kind: str | None = None, on: date | None = None) -> list[RegionDesignation]:
        """Live designations, optionally of one kind and in force on a day."""
        with self.ctx.library.reading() as s:
            rows = s.execute(
                select(DesignationRow)
                .where(DesignationRow.deleted_at.is_(None))
                .order_by(DesignationRow.valid_from, DesignationRow.id)
            ).scalars()
            out = [to_designation(r) for r in rows if kind is None or r.kind == kind]
            return [d for d in out if on is None or d.in_force_on(on)]

    def save_designation(self, d: RegionDesignation) -> Op[RegionDesignation]:
        """Add or change a dated designation (e.g. set its class 跨越类/生态类, or its end date); undoable."""
        validate_designation(d)
        with write(self.ctx, _("编辑地区标识")) as w:
            s = w.session
            row, _new = w.saving(RecordKind.DESIGNATION, d)
            _set_designation(s, row, d)
            stamp(row, self.ctx.editor)
            s.flush()
            saved = to_designation(row)
        return Op(saved, w.changes)

    def write_designation_state(self, s: Session, state: RegionDesignation) -> None:
        """Make a stored designation what ``state`` says, trash included (undo and redo)."""
        row = s.execute(select(DesignationRow).where(DesignationRow.uuid == state.uuid)).scalar_one()
        _set_designation(s, row, state)
        row.deleted_at = state.deleted_at
        stamp(row, self.ctx.editor)


def _set_designation(s: Session, row: DesignationRow, d: RegionDesignation) -> None:
    row.region = get_row(s, RegionRow, d.region.uuid, what=_("地区"))
    row.kind, row.label, row.category = d.kind.strip(), d.label, d.category
    row.valid_from, row.valid_to, row.source, row.note = d.valid_from, d.valid_to, d.source, d.note


def _region_in_use(s: Session, row: RegionRow) -> int:
    """How many live records (cases, pilots, adoptions, designations, observations) use a region or one below it."""
    subtree = select(RegionRow.id).where(RegionRow.path.startswith(row.path, autoescape=False))
    used: int = s.execute(
        select(func.count())
        .select_from(CasePlace)
        .join(CaseRow, CaseRow.id == CasePlace.case_id)
        .where(CaseRow.deleted_at.is_(None), CasePlace.region_id.in_(subtree))
    ).scalar_one()
    used += s.execute(
        select(func.count())
        .select_from(PilotPlace)
        .join(PilotRow, PilotRow.id == PilotPlace.pilot_id)
        .where(PilotRow.deleted_at.is_(None), PilotPlace.region_id.in_(subtree))
    ).scalar_one()
    for cls in (AdoptionRow, ObservationRow, DesignationRow):
        used += s.execute(
            select(func.count()).select_from(cls).where(cls.deleted_at.is_(None), cls.region_id.in_(subtree))
        ).scalar_one()
    return used


def ensure_region_path(s: Session, ctx: ServiceContext, names: Sequence[str]) -> RegionRow:
    """Walk a name path from the province's cities down, adding missing towns and villages."""
    parent = s.execute(select(RegionRow).where(RegionRow.parent_id.is_(None))).scalars().first()
    if parent is None:
        raise NotFoundError(_("案例库中还没有地区参考数据"))
    for depth, name in enumerate(names):
        row = s.execute(
            select(RegionRow).where(RegionRow.parent_id == parent.id, RegionRow.name == name)
        ).scalar_one_or_none()
        if row is None:
            level = CHILD_LEVEL[RegionLevel(parent.level)]
            if level not in (RegionLevel.TOWN, RegionLevel.VILLAGE):
                raise NotFoundError(_("找不到地区“{name}”（第 {n} 级）").format(name=name, n=depth + 1))
            row = insert_region(s, ctx, parent, name, level)
        elif row.deleted_at is not None:
            row.deleted_at = None
            stamp(row, ctx.editor)
        parent = row
    return parent


class CatalogService:
    """Themes, model types, tags, indicators and observations."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # themes --------------------------------------------------------------------------
    def themes(self) -> list[Theme]:
        """All live themes, parents before children, in their order."""
        with self.ctx.library.reading() as s:
            rows = (
                s.execute(
                    select(ThemeRow).where(ThemeRow.deleted_at.is_(None)).order_by(ThemeRow.sort_order, ThemeRow.id)
                )
                .scalars()
                .all()
            )
            uuids = {r.id: r.uuid for r in rows}
            return [to_theme(r, uuids.get(r.parent_id) if r.parent_id else None) for r in rows]

    def find_theme(self, name_or_code: str) -> Theme:
        """A live theme by name or code (e.g. 共富工坊, （二））."""
        for t in self.themes():
            if name_or_code in (t.name, t.code):
                return t
        raise NotFoundError(_("找不到主题“{name}”").format(name=name_or_code))

    def save_theme(self, theme: Theme) -> Op[Theme]:
        """Add a theme, or change one read at ``theme.version`` (users may extend the plan's tree); undoable."""
        validate_named(theme, _("主题名称"))
        with write(self.ctx, _("编辑主题")) as w:
            s = w.session
            row = s.execute(select(ThemeRow).where(ThemeRow.uuid == theme.uuid)).scalar_one_or_none()
            parent = get_row(s, ThemeRow, theme.parent_uuid, what=_("上级主题")) if theme.parent_uuid else None
            if row is None:
                w.track_new(RecordKind.THEME, [theme.uuid])
                row = ThemeRow(uuid=theme.uuid, parent_id=parent.id if parent else None)
                s.add(row)
                self._set_theme(row, theme)
                stamp(row, self.ctx.editor)
                s.flush()
                row.path = (parent.path if parent else "/") + f"{row.id}/"
            else:
                w.checked(RecordKind.THEME, theme.uuid, theme.version)
                self._reindexed(s, row, lambda: self._set_theme(row, theme))
                stamp(row, self.ctx.editor)
            s.flush()
            saved = to_theme(row, theme.parent_uuid)
        return Op(saved, w.changes)

    @staticmethod
    def _set_theme(row: ThemeRow, theme: Theme) -> None:
        row.name, row.code = theme.name.strip(), theme.code
        row.description, row.sort_order = theme.description, theme.sort_order

    # model types ---------------------------------------------------------------------
    def model_types(self) -> list[ModelType]:
        """All live model types in their order."""
        with self.ctx.library.reading() as s:
            rows = s.execute(
                select(ModelTypeRow)
                .where(ModelTypeRow.deleted_at.is_(None))
                .order_by(ModelTypeRow.sort_order, ModelTypeRow.id)
            ).scalars()
            return [to_model_type(r) for r in rows]

    def find_model_type(self, name: str) -> ModelType:
        """A live model type by name."""
        for m in self.model_types():
            if m.name == name:
                return m
        raise NotFoundError(_("找不到模式类型“{name}”").format(name=name))

    def save_model_type(self, mt: ModelType) -> Op[ModelType]:
        """Add a model type or change one read at ``mt.version`` (cases of that type are re-indexed on a
        rename); undoable."""
        validate_named(mt, _("模式类型名称"))
        with write(self.ctx, _("编辑模式类型")) as w:
            s = w.session
            row = s.execute(select(ModelTypeRow).where(ModelTypeRow.uuid == mt.uuid)).scalar_one_or_none()
            clash = s.execute(
                select(ModelTypeRow).where(ModelTypeRow.name == mt.name.strip(), ModelTypeRow.uuid != mt.uuid)
            ).scalar_one_or_none()
            if clash is not None:
                raise ValidationError([FieldError("name", _("模式类型名称"), _("已有同名模式类型"))])
            if row is None:
                w.track_new(RecordKind.MODEL_TYPE, [mt.uuid])
                row = ModelTypeRow(
                    uuid=mt.uuid, name=mt.name.strip(), description=mt.description, sort_order=mt.sort_order
                )
                s.add(row)
            else:
                w.checked(RecordKind.MODEL_TYPE, mt.uuid, mt.version)
                self._reindexed(s, row, lambda: self._set_model_type(row, mt))
            stamp(row, self.ctx.editor)
            s.flush()
            saved = to_model_type(row)
        return Op(saved, w.changes)

    @staticmethod
    def _set_model_type(row: ModelTypeRow, mt: ModelType) -> None:
        row.name, row.description, row.sort_order = mt.name.strip(), mt.description, mt.sort_order

    # tags ----------------------------------------------------------------------------
    def tags(self) -> list[Tag]:
        """All live tags by name."""
        with self.ctx.library.reading() as s:
            rows = s.execute(select(TagRow).where(TagRow.deleted_at.is_(None)).order_by(TagRow.name)).scalars()
            return [to_tag(r) for r in rows]

    def rename_tag(self, uuid: str, name: str) -> Op[Tag]:
        """Rename a tag on every case that has it; undoable."""
        with write(self.ctx, _("重命名标签")) as w:
            s = w.session
            row = get_row(s, TagRow, uuid, what=_("标签"))
            if not name.strip():
                raise ValidationError([FieldError("name", _("标签"), _("不能为空"))])
            clash = s.execute(select(TagRow.id).where(TagRow.name == name.strip(), TagRow.id != row.id)).first()
            if clash is not None:
                raise ValidationError([FieldError("name", _("标签"), _("已有同名标签“{n}”").format(n=name.strip()))])
            w.track(RecordKind.TAG, [uuid])

            def change() -> None:
                row.name = name.strip()

            self._reindexed(s, row, change)
            stamp(row, self.ctx.editor)
            renamed = to_tag(row)
        return Op(renamed, w.changes)

    # indicators ----------------------------------------------------------------------
    def indicators(self) -> list[Indicator]:
        """All live indicators."""
        with self.ctx.library.reading() as s:
            rows = s.execute(
                select(IndicatorRow).where(IndicatorRow.deleted_at.is_(None)).order_by(IndicatorRow.id)
            ).scalars()
            return [to_indicator(r) for r in rows]

    def save_indicator(self, ind: Indicator) -> Op[Indicator]:
        """Add an indicator or change one read at ``ind.version``; undoable."""
        validate_indicator(ind)
        with write(self.ctx, _("编辑指标")) as w:
            s = w.session
            clash = s.execute(
                select(IndicatorRow.deleted_at).where(
                    IndicatorRow.name == ind.name.strip(), IndicatorRow.uuid != ind.uuid
                )
            ).first()
            if clash is not None:
                where = _("（在回收站中）") if clash[0] is not None else ""
                raise ValidationError([FieldError("name", _("指标名称"), _("已有同名指标{where}").format(where=where))])
            row, _new = w.saving(RecordKind.INDICATOR, ind)
            row.name, row.unit, row.description = ind.name.strip(), ind.unit.strip(), ind.description
            stamp(row, self.ctx.editor)
            s.flush()
            saved = to_indicator(row)
        return Op(saved, w.changes)

    def observations(self, indicator_uuid: str) -> list[Observation]:
        """The values of an indicator, by place and period."""
        with self.ctx.library.reading() as s:
            ind = get_row(s, IndicatorRow, indicator_uuid, what=_("指标"))
            rows = s.execute(
                select(ObservationRow)
                .where(ObservationRow.indicator_id == ind.id, ObservationRow.deleted_at.is_(None))
                .order_by(ObservationRow.period)
            ).scalars()
            return [to_observation(r) for r in rows]

    def save_observation(self, obs: Observation) -> Op[Observation]:
        """Add a value of an indicator or change one read at ``obs.version``; undoable."""
        validate_observation(obs)
        with write(self.ctx, _("编辑指标数值")) as w:
            s = w.session
            row, _new = w.saving(RecordKind.OBSERVATION, obs)
            _set_observation(s, row, obs)
            stamp(row, self.ctx.editor)
            s.flush()
            saved = to_observation(row)
        return Op(saved, w.changes)

    # undo and redo -------------------------------------------------------------------
    def _reindexed(self, s: Session, row: ThemeRow | ModelTypeRow | TagRow, change: Callable[[], None]) -> None:
        """Run ``change`` on a vocabulary row whose name is part of cases' indexed text."""
        if isinstance(row, ThemeRow):
            using = select(CaseTheme.case_id).where(CaseTheme.theme_id == row.id)
        elif isinstance(row, ModelTypeRow):
            using = select(CaseRow.id).where(CaseRow.model_type_id == row.id)
        else:
            using = select(CaseTag.case_id).where(CaseTag.tag_id == row.id)
        reindexing(self.ctx, s, list(s.execute(using).scalars()), change)

    def write_state(self, s: Session, kind: RecordKind, state: Record) -> None:
        """Make a stored theme, model type, tag, indicator or observation what ``state`` says, trash
        included (undo and redo). One still used by live records stays out of the trash."""
        cls = ROW_OF[kind]
        row: Any = s.execute(select(cls).where(cls.uuid == state.uuid)).scalar_one()
        if isinstance(state, Theme):
            self._reindexed(s, row, lambda: self._set_theme(row, state))
        elif isinstance(state, ModelType):
            self._reindexed(s, row, lambda: self._set_model_type(row, state))
        elif isinstance(state, Tag):

            def rename() -> None:
                row.name = state.name

            self._reindexed(s, row, rename)
        elif isinstance(state, Indicator):
            row.name, row.unit, row.description = state.name, state.unit, state.description
        elif isinstance(state, Observation):
            _set_observation(s, row, state)
        if state.deleted_at is None or not vocabulary_in_use(s, row):
            row.deleted_at = state.deleted_at
        stamp(row, self.ctx.editor)


def _set_observation(s: Session, row: ObservationRow, obs: Observation) -> None:
    row.indicator = get_row(s, IndicatorRow, obs.indicator.uuid, what=_("指标"))
    row.region = get_row(s, RegionRow, obs.region.uuid, what=_("地区"))
    row.period, row.value, row.source = obs.period.strip(), obs.value, obs.source


def vocabulary_in_use(s: Session, row: Tracked) -> int:
    """How many live records use a vocabulary row (theme, model type, tag, indicator); 0 for other rows."""
    live_case = CaseRow.deleted_at.is_(None)
    count_cases: Select[Any] | None = None
    if isinstance(row, ThemeRow):
        count_cases = select(func.count()).select_from(CaseTheme).join(CaseRow, CaseRow.id == CaseTheme.case_id)
        count_cases = count_cases.where(CaseTheme.theme_id == row.id, live_case)
        children = (
            select(func.count())
            .select_from(ThemeRow)
            .where(ThemeRow.parent_id == row.id, ThemeRow.deleted_at.is_(None))
        )
        return int(s.execute(count_cases).scalar_one()) + int(s.execute(children).scalar_one())
    if isinstance(row, ModelTypeRow):
        count_cases = select(func.count()).select_from(CaseRow).where(CaseRow.model_type_id == row.id, live_case)
    elif isinstance(row, TagRow):
        count_cases = select(func.count()).select_from(CaseTag).join(CaseRow, CaseRow.id == CaseTag.case_id)
        count_cases = count_cases.where(CaseTag.tag_id == row.id, live_case)
    elif isinstance(row, IndicatorRow):
        count_cases = (
            select(func.count())
            .select_from(ObservationRow)
            .where(ObservationRow.indicator_id == row.id, ObservationRow.deleted_at.is_(None))
        )
    return int(s.execute(count_cases).scalar_one()) if count_cases is not None else 0
