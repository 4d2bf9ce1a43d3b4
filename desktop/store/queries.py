"""Portable queries over the case table: the filters of a search, counts for the tree views."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

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


@dataclass(frozen=True)
class CaseListing:
    """The columns of a case a list or the search index needs, read without ORM objects."""

    id: int
    uuid: str
    title: str
    subtitle: str
    sections: tuple[str, str, str, str]
    review_status: str
    reported_on: date | None
    is_demo: bool
    model_type: str
    places: tuple[str, ...]
    tags: tuple[str, ...]


def case_listings(s: Session, ids: Sequence[int]) -> dict[int, CaseListing]:
    """Plain column queries for the cases ``ids`` (three queries, whatever their number)."""
    if not ids:
        return {}
    places: dict[int, list[str]] = {}
    for case_id, full_name in s.execute(
        select(CasePlace.case_id, RegionRow.full_name)
        .join(RegionRow, RegionRow.id == CasePlace.region_id)
        .where(CasePlace.case_id.in_(ids))
        .order_by(CasePlace.case_id, CasePlace.position)
    ):
        places.setdefault(case_id, []).append(full_name)
    tags: dict[int, list[str]] = {}
    for case_id, name in s.execute(
        select(CaseTag.case_id, TagRow.name)
        .join(TagRow, TagRow.id == CaseTag.tag_id)
        .where(CaseTag.case_id.in_(ids))
        .order_by(CaseTag.case_id, CaseTag.position)
    ):
        tags.setdefault(case_id, []).append(name)
    out: dict[int, CaseListing] = {}
    for r in s.execute(
        select(
            CaseRow.id,
            CaseRow.uuid,
            CaseRow.title,
            CaseRow.subtitle,
            CaseRow.basic_situation,
            CaseRow.practices,
            CaseRow.outcomes,
            CaseRow.lessons,
            CaseRow.review_status,
            CaseRow.reported_on,
            CaseRow.is_demo,
            ModelTypeRow.name,
        )
        .outerjoin(ModelTypeRow, ModelTypeRow.id == CaseRow.model_type_id)
        .where(CaseRow.id.in_(ids))
    ):
        out[r[0]] = CaseListing(
            id=r[0],
            uuid=r[1],
            title=r[2],
            subtitle=r[3],
            sections=(r[4], r[5], r[6], r[7]),
            review_status=r[8],
            reported_on=r[9],
            is_demo=r[10],
            model_type=r[11] or "",
            places=tuple(places.get(r[0], ())),
            tags=tuple(tags.get(r[0], ())),
        )
    return out
