"""Portable queries over the case table: the filters of a search, counts for the tree views."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select

from desktop.domain.query import CaseFilters
from desktop.store.schema import (
    CasePlace,
    CaseRow,
    CaseTag,
    CaseTheme,
    DesignationRow,
    ModelTypeRow,
    PilotRow,
    RegionRow,
    TagRow,
    ThemeRow,
)


def region_subtree_ids(region_uuid: str) -> Select[int]:
    """Ids of a region and everything under it."""
    root_path = select(RegionRow.path).where(RegionRow.uuid == region_uuid).scalar_subquery()
    return select(RegionRow.id).where(RegionRow.path.startswith(root_path, autoescape=False))


def theme_subtree_ids(theme_uuid: str) -> Select[int]:
    """Ids of a theme and all its sub-themes."""
    root_path = select(ThemeRow.path).where(ThemeRow.uuid == theme_uuid).scalar_subquery()
    return select(ThemeRow.id).where(ThemeRow.path.startswith(root_path, autoescape=False))


def designated_region_ids(kind: str, on: date) -> Select[Any]:
    """Ids of regions lying in a region that carries designation ``kind`` on day ``on``."""
    designated = (
        select(RegionRow.path)
        .join(DesignationRow, DesignationRow.region_id == RegionRow.id)
        .where(
            DesignationRow.kind == kind,
            DesignationRow.deleted_at.is_(None),
            DesignationRow.valid_from <= on,
            or_(DesignationRow.valid_to.is_(None), DesignationRow.valid_to > on),
        )
        .subquery()
    )
    inner = RegionRow.__table__.alias("inner_region")
    return select(inner.c.id).join(designated, inner.c.path.startswith(designated.c.path, autoescape=False)).distinct()


def case_conditions(filters: CaseFilters) -> list[ColumnElement[bool]]:
    """WHERE conditions on ``CaseRow`` for the filters (live cases only)."""
    conds: list[ColumnElement[bool]] = [CaseRow.deleted_at.is_(None)]
    f = filters
    if f.theme_uuid:
        conds.append(
            CaseRow.id.in_(select(CaseTheme.case_id).where(CaseTheme.theme_id.in_(theme_subtree_ids(f.theme_uuid))))
        )
    if f.region_uuid:
        conds.append(
            CaseRow.id.in_(select(CasePlace.case_id).where(CasePlace.region_id.in_(region_subtree_ids(f.region_uuid))))
        )
    if f.designation:
        on = f.designation_on or date.today()
        conds.append(
            CaseRow.id.in_(
                select(CasePlace.case_id).where(CasePlace.region_id.in_(designated_region_ids(f.designation, on)))
            )
        )
    if f.model_type_uuid:
        conds.append(
            CaseRow.model_type_id
            == select(ModelTypeRow.id).where(ModelTypeRow.uuid == f.model_type_uuid).scalar_subquery()
        )
    if f.review_status:
        conds.append(CaseRow.review_status == f.review_status.value)
    if f.date_from:
        conds.append(CaseRow.reported_on >= f.date_from)
    if f.date_to:
        conds.append(CaseRow.reported_on <= f.date_to)
    if f.tag:
        conds.append(
            CaseRow.id.in_(
                select(CaseTag.case_id).join(TagRow, TagRow.id == CaseTag.tag_id).where(TagRow.name == f.tag)
            )
        )
    if f.pilot_uuid:
        conds.append(CaseRow.pilot_id == select(PilotRow.id).where(PilotRow.uuid == f.pilot_uuid).scalar_subquery())
    return conds


def all_of(conds: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    """The conjunction of conditions."""
    return and_(*conds)
