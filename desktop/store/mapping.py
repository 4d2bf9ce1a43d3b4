"""Turning ORM rows into the domain's plain records (handed to the CLI and the UI)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.domain.enums import (
    AdoptionExtent,
    ExperimentStatus,
    PilotKind,
    PilotStatus,
    RegionLevel,
    ReviewStatus,
)
from desktop.domain.query import SavedSearch, query_from_json
from desktop.domain.records import (
    Adoption,
    Experiment,
    Figure,
    Indicator,
    Milestone,
    ModelCase,
    ModelType,
    Observation,
    Photo,
    PilotSite,
    ProgressNote,
    Record,
    Ref,
    Region,
    RegionDesignation,
    Tag,
    Theme,
)
from desktop.store.schema import (
    AdoptionRow,
    CasePlace,
    CaseRow,
    CaseTag,
    CaseTheme,
    DesignationRow,
    ExperimentRow,
    FigureRow,
    IndicatorRow,
    ModelTypeRow,
    ObservationRow,
    PilotRow,
    RegionRow,
    SavedSearchRow,
    TagRow,
    ThemeRow,
    Tracked,
)

R = TypeVar("R", bound=Record)

#: What ``to_case`` reads of a case row, loaded in a few queries for a whole batch.
CASE_LOAD = (
    selectinload(CaseRow.model_type),
    selectinload(CaseRow.pilot),
    selectinload(CaseRow.places).selectinload(CasePlace.region),
    selectinload(CaseRow.themes).selectinload(CaseTheme.theme),
    selectinload(CaseRow.tags).selectinload(CaseTag.tag),
    selectinload(CaseRow.figures).selectinload(FigureRow.indicator),
    selectinload(CaseRow.photos),
)


def load_case_rows(session: Session, ids: Sequence[int], options: Sequence[Any] = CASE_LOAD) -> list[CaseRow]:
    """Case rows with everything a record needs (or ``options``), in the order of ``ids``."""
    rows = session.execute(select(CaseRow).where(CaseRow.id.in_(ids)).options(*options)).scalars().all()
    by_id = {r.id: r for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _meta(row: Tracked) -> dict[str, object]:
    return {
        "uuid": row.uuid,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "updated_by": row.updated_by,
        "version": row.version,
        "deleted_at": row.deleted_at,
    }


def _with_meta(record: R, row: Tracked) -> R:
    for key, value in _meta(row).items():
        setattr(record, key, value)
    return record


def region_ref(row: RegionRow) -> Ref:
    """A reference to a region, named by its full name (e.g. 杭州市淳安县枫树岭镇下姜村)."""
    return Ref(row.uuid, row.full_name or row.name)


def to_region(row: RegionRow) -> Region:
    """A region row as a record."""
    return _with_meta(
        Region(
            name=row.name,
            level=RegionLevel(row.level),
            parent_uuid=row.parent.uuid if row.parent else None,
            category=row.category,
            code=row.code,
            full_name=row.full_name,
        ),
        row,
    )


def to_designation(row: DesignationRow) -> RegionDesignation:
    """A designation row as a record."""
    return _with_meta(
        RegionDesignation(
            region=region_ref(row.region),
            kind=row.kind,
            label=row.label,
            category=row.category,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            source=row.source,
            note=row.note,
        ),
        row,
    )


def to_theme(row: ThemeRow, parent_uuid: str | None) -> Theme:
    """A theme row as a record."""
    return _with_meta(
        Theme(
            name=row.name,
            code=row.code,
            parent_uuid=parent_uuid,
            description=row.description,
            sort_order=row.sort_order,
        ),
        row,
    )


def to_model_type(row: ModelTypeRow) -> ModelType:
    """A model type row as a record."""
    return _with_meta(ModelType(name=row.name, description=row.description, sort_order=row.sort_order), row)


def to_tag(row: TagRow) -> Tag:
    """A tag row as a record."""
    return _with_meta(Tag(name=row.name), row)


def to_indicator(row: IndicatorRow) -> Indicator:
    """An indicator row as a record."""
    return _with_meta(Indicator(name=row.name, unit=row.unit, description=row.description), row)


def to_observation(row: ObservationRow) -> Observation:
    """An observation row as a record."""
    return _with_meta(
        Observation(
            indicator=Ref(row.indicator.uuid, row.indicator.name),
            region=region_ref(row.region),
            period=row.period,
            value=row.value,
            source=row.source,
        ),
        row,
    )


def to_case(row: CaseRow) -> ModelCase:
    """A case row, with its places, themes, tags, figures and photos, as a record."""
    return _with_meta(
        ModelCase(
            title=row.title,
            subtitle=row.subtitle,
            model_type=Ref(row.model_type.uuid, row.model_type.name) if row.model_type else None,
            places=[region_ref(p.region) for p in row.places],
            themes=[Ref(t.theme.uuid, t.theme.name) for t in row.themes],
            tags=[t.tag.name for t in row.tags],
            basic_situation=row.basic_situation,
            practices=row.practices,
            outcomes=row.outcomes,
            lessons=row.lessons,
            figures=[
                Figure(
                    uuid=f.uuid,
                    label=f.label,
                    value=f.value,
                    unit=f.unit,
                    period=f.period,
                    qualifier=f.qualifier,
                    source=f.source,
                    indicator=Ref(f.indicator.uuid, f.indicator.name) if f.indicator else None,
                )
                for f in row.figures
            ],
            photos=[Photo(uuid=p.uuid, file_name=p.file_name, caption=p.caption, credit=p.credit) for p in row.photos],
            source=row.source,
            source_url=row.source_url,
            reported_on=row.reported_on,
            review_status=ReviewStatus(row.review_status),
            return_reason=row.return_reason,
            pilot=Ref(row.pilot.uuid, row.pilot.name) if row.pilot else None,
            is_demo=row.is_demo,
        ),
        row,
    )


def to_adoption(row: AdoptionRow) -> Adoption:
    """An adoption row as a record."""
    return _with_meta(
        Adoption(
            case_uuid=row.case.uuid,
            region=region_ref(row.region),
            adopted_on=row.adopted_on,
            extent=AdoptionExtent(row.extent),
            note=row.note,
        ),
        row,
    )


def to_pilot(row: PilotRow) -> PilotSite:
    """A pilot row as a record."""
    return _with_meta(
        PilotSite(
            name=row.name,
            kind=PilotKind(row.kind),
            batch=row.batch,
            lead_unit=row.lead_unit,
            places=[region_ref(p.region) for p in row.places],
            period_start=row.period_start,
            period_end=row.period_end,
            status=PilotStatus(row.status),
            description=row.description,
            is_demo=row.is_demo,
        ),
        row,
    )


def to_experiment(row: ExperimentRow) -> Experiment:
    """An experiment row, with milestones and progress notes, as a record."""
    return _with_meta(
        Experiment(
            pilot_uuid=row.pilot.uuid,
            title=row.title,
            objective=row.objective,
            measures=row.measures,
            status=ExperimentStatus(row.status),
            responsible_unit=row.responsible_unit,
            findings=row.findings,
            milestones=[
                Milestone(
                    uuid=m.uuid,
                    title=m.title,
                    due_date=m.due_date,
                    done_on=m.done_on,
                    responsible_unit=m.responsible_unit,
                    note=m.note,
                )
                for m in row.milestones
            ],
            progress_notes=[
                ProgressNote(uuid=n.uuid, noted_on=n.noted_on, text=n.text, author=n.author) for n in row.progress_notes
            ],
        ),
        row,
    )


def to_saved_search(row: SavedSearchRow) -> SavedSearch:
    """A smart category row as a record."""
    return _with_meta(
        SavedSearch(name=row.name, query=query_from_json(row.query_text, row.filters_json), sort_order=row.sort_order),
        row,
    )
