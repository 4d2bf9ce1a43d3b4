"""ORM mapping of the library (SQLAlchemy 2.x typed declarative).

The tables are portable SQL: nothing here is specific to SQLite. The full-text index lives
in ``desktop.search`` and is created by the migrations for each dialect.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and handed back as an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints stably."""

    metadata = MetaData(naming_convention=NAMING)


class Tracked:
    """Columns every top-level record has: identity, times, editor, version, trash."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class LibraryMeta(Base):
    """Key/value facts about the library itself (its id, application, creation time)."""

    __tablename__ = "library_meta"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class ReferenceItem(Base):
    """Which reference record came from which shipped data item, and at which version."""

    __tablename__ = "reference_item"
    dataset: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    dataset_version: Mapped[int] = mapped_column(Integer)
    record_uuid: Mapped[str] = mapped_column(String(36))
    record_version: Mapped[int] = mapped_column(Integer)
    item_hash: Mapped[str] = mapped_column(String(64))


class RegionRow(Tracked, Base):
    """A region; ``path`` is the chain of ids from the root, e.g. ``/1/3/17/``."""

    __tablename__ = "region"
    __mapper_args__ = {"version_id_col": Tracked.version}  # noqa: RUF012
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    level: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(20), default="")
    code: Mapped[str] = mapped_column(String(20), default="")
    path: Mapped[str] = mapped_column(String(200), default="", index=True)
    full_name: Mapped[str] = mapped_column(String(300), default="")
    parent: Mapped[RegionRow | None] = relationship(remote_side="RegionRow.id")


class DesignationRow(Tracked, Base):
    """A dated designation of a region (山区海岛县 …)."""

    __tablename__ = "region_designation"
    __mapper_args__ = {"version_id_col": Tracked.version}  # noqa: RUF012
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[RegionRow] = relationship()


class ThemeRow(Tracked, Base):
    """A theme; ``path`` is the chain of ids from the root."""

    __tablename__ = "theme"
    __mapper_args__ = {"version_id_col": Tracked.version}  # noqa: RUF012
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(20), default="")
    path: Mapped[str] = mapped_column(String(200), default="", index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ModelTypeRow(Tracked, Base):
    """A model type."""

    __tablename__ = "model_type"
    __mapper_args__ = {"version_id_col": Tracked.version}  # noqa: RUF012
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class TagRow(Tracked, Base):
    """A tag."""

    __tablename__ = "tag"
    __mapper_args__ = {"version_id_col": Tracked.version}  # noqa: RUF012
    name: Mapped[str] = mapped_column(String(60), unique=True)


class IndicatorRow(Tracked, Base):
    """An indicator with its unit."""

    __tablename__ = "indicator"
    __mapper_args__ = {"version_id_col": Tracked.version}  # noqa: RUF012
    name: Mapped[str] = mapped_column(String(100), unique=True)
    unit: Mapped[str] = mapped_column(String(20), default="")
    description: Mapped[str] = mapped_column(Text, default="")


class ObservationRow(Tracked, Base):
    """A value of an indicator for a region and a period."""

    __tablename__ = "observation"
    __mapper_args__ = {"version_id_col": Tracked.version}  # noqa: RUF012
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    period: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")
    indicator: Mapped[IndicatorRow] = relationship()
    region: Mapped[RegionRow] = relationship()


class CasePlace(Base):
    """A place a case happens in (a case often spans several villages)."""

    __tablename__ = "case_place"
    case_id: Mapped[int] = mapped_column(ForeignKey("model_case.id", ondelete="CASCADE"), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    region: Mapped[RegionRow] = relationship()


class CaseTheme(Base):
    """A theme a case belongs to."""

    __tablename__ = "case_theme"
    case_id: Mapped[int] = mapped_column(ForeignKey("model_case.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    theme: Mapped[ThemeRow] = relationship()


class CaseTag(Base):
    """A tag on a case."""

    __tablename__ = "case_tag"
    case_id: Mapped[int] = mapped_column(ForeignKey("model_case.id", ondelete="CASCADE"), primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    tag: Mapped[TagRow] = relationship()


class FigureRow(Base):
    """A figure quoted in a case."""

    __tablename__ = "case_figure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("model_case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(100))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(40))
    qualifier: Mapped[str] = mapped_column(String(10), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id"))
    indicator: Mapped[IndicatorRow | None] = relationship()


class PhotoRow(Base):
    """A photo of a case; ``file_name`` is relative to the library's media folder."""

    __tablename__ = "case_photo"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("model_case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(String(300))
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(String(200), default="")


class CaseRow(Tracked, Base):
    """A model case."""

    __tablename__ = "model_case"
    __mapper_args__ = {"version_id_col": Tracked.version}  # noqa: RUF012
    title: Mapped[str] = mapped_column(String(200))
    subtitle: Mapped[str] = mapped_column(String(200), default="")
    model_type_id: Mapped[int | None] = mapped_column(ForeignKey("model_type.id"), index=True)
    basic_situation: Mapped[str] = mapped_column(Text, default="")
    practices: Mapped[str] = mapped_column(Text, default="")
    outcomes: Mapped[str] = mapped_column(Text, default="")
    lessons: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    reported_on: Mapped[date | None] = mapped_column(Date, index=True)
    review_status: Mapped[str] = mapped_column(String(10), index=True)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    pilot_id: Mapped[int | None] = mapped_column(ForeignKey("pilot_site.id"), index=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    model_type: Mapped[ModelTypeRow | None] = relationship()
    pilot: Mapped[PilotRow | None] = relationship()
    places: Mapped[list[CasePlace]] = relationship(
        order_by=CasePlace.position, cascade="all, delete-orphan", passive_deletes=True
    )
    themes: Mapped[list[CaseTheme]] = relationship(
        order_by=CaseTheme.position, cascade="all, delete-orphan", passive_deletes=True
    )
    tags: Mapped[list[CaseTag]] = relationship(
        order_by=CaseTag.position, cascade="all, delete-orphan", passive_deletes=True
    )
    figures: Mapped[list[FigureRow]] = relationship(
        order_by=FigureRow.position, cascade="all, delete-orphan", passive_deletes=True
    )
    photos: Mapped[list[PhotoRow]] = relationship(
        order_by=PhotoRow.position, cascade="all, delete-orphan", passive_deletes=True
    )


Index("ix_model_case_deleted_at", CaseRow.deleted_at)
for _column in ("reported_on", "title", "review_status", "updated_at"):
    # listing live cases in the table's sort orders without sorting them all (migration 0003)
    Index(f"ix_model_case_live_{_column}", CaseRow.deleted_at, getattr(CaseRow, _column), CaseRow.id)


class AdoptionRow(Tracked, Base):
    """A place that took up a case."""

    __tablename__ = "adoption"
    __mapper_args__ = {"version_id_col": Tracked.version}  # noqa: RUF012
    case_id: Mapped[int] = mapped_column(ForeignKey("model_case.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    adopted_on: Mapped[date | None] = mapped_column(Date)
    extent: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    case: Mapped[CaseRow] = relationship()
    region: Mapped[RegionRow] = relationship()


class ReviewEventRow(Base):
    """One move of a case along the review chain: who, when, from, to, why."""

    __tablename__ = "review_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("model_case.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by: Mapped[str] = mapped_column(String(200), default="")


class PilotPlace(Base):
    """A place a pilot covers."""

    __tablename__ = "pilot_place"
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilot_site.id", ondelete="CASCADE"), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    region: Mapped[RegionRow] = relationship()


class PilotRow(Tracked, Base):
    """A pilot site."""

    __tablename__ = "pilot_site"
    __mapper_args__ = {"version_id_col": Tracked.version}  # noqa: RUF012
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    batch: Mapped[str] = mapped_column(String(60), default="")
    lead_unit: Mapped[str] = mapped_column(String(200), default="")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(Text, default="")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    places: Mapped[list[PilotPlace]] = relationship(
        order_by=PilotPlace.position, cascade="all, delete-orphan", passive_deletes=True
    )


class MilestoneRow(Base):
    """A dated step of an experiment."""

    __tablename__ = "milestone"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    experiment_id: Mapped[int] = mapped_column(ForeignKey("experiment.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    responsible_unit: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class ProgressNoteRow(Base):
    """A dated progress note of an experiment."""

    __tablename__ = "progress_note"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    experiment_id: Mapped[int] = mapped_column(ForeignKey("experiment.id", ondelete="CASCADE"), index=True)
    noted_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200), default="")


class ExperimentRow(Tracked, Base):
    """An experiment of a pilot."""

    __tablename__ = "experiment"
    __mapper_args__ = {"version_id_col": Tracked.version}  # noqa: RUF012
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilot_site.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    objective: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10))
    responsible_unit: Mapped[str] = mapped_column(String(200), default="")
    findings: Mapped[str] = mapped_column(Text, default="")
    pilot: Mapped[PilotRow] = relationship()
    milestones: Mapped[list[MilestoneRow]] = relationship(
        order_by=MilestoneRow.position, cascade="all, delete-orphan", passive_deletes=True
    )
    progress_notes: Mapped[list[ProgressNoteRow]] = relationship(
        order_by=ProgressNoteRow.noted_on, cascade="all, delete-orphan", passive_deletes=True
    )


class SavedSearchRow(Tracked, Base):
    """A saved search (智能分类): a name, the search text and the filters as JSON."""

    __tablename__ = "saved_search"
    __mapper_args__ = {"version_id_col": Tracked.version}  # noqa: RUF012
    name: Mapped[str] = mapped_column(String(100))
    query_text: Mapped[str] = mapped_column(Text, default="")
    filters_json: Mapped[str] = mapped_column(Text, default="{}")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class SearchDigestRow(Base):
    """A digest of the tokens a case was indexed with (see ``desktop.search.index``)."""

    __tablename__ = "search_digest"
    case_id: Mapped[int] = mapped_column(ForeignKey("model_case.id", ondelete="CASCADE"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(32))


class BriefExportRow(Base):
    """One PDF written: its template, settings, cases in order, where it went and when."""

    __tablename__ = "brief_export"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    template: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    issue_no: Mapped[int | None] = mapped_column(Integer)
    spec_json: Mapped[str] = mapped_column(Text)
    case_uuids_json: Mapped[str] = mapped_column(Text)
    file_path: Mapped[str] = mapped_column(String(1000))
    pages: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))


Index("ix_brief_export_template_year", BriefExportRow.template, BriefExportRow.year)


class RecordOriginRow(Base):
    """Where an imported record came from: the library that first wrote it, and the bundle it
    arrived in (library, unit, editor, time); ``copy_of`` is set on a 两者都保留 copy."""

    __tablename__ = "record_origin"
    record_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    origin_library: Mapped[str] = mapped_column(String(36), default="")
    origin_unit: Mapped[str] = mapped_column(String(200), default="")
    origin_editor: Mapped[str] = mapped_column(String(200), default="")
    origin_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    via_library: Mapped[str] = mapped_column(String(36), default="")
    via_unit: Mapped[str] = mapped_column(String(200), default="")
    via_editor: Mapped[str] = mapped_column(String(200), default="")
    via_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    bundle_name: Mapped[str] = mapped_column(String(300), default="")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(200), default="")
    copy_of: Mapped[str] = mapped_column(String(36), default="")


class SyncStateRow(Base):
    """A content digest a record is known to have had when it was exported or imported: how an
    import tells "changed only over there" from "changed on both sides"."""

    __tablename__ = "sync_state"
    record_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)


class ExchangeLogRow(Base):
    """One share bundle written or read: which file, with which library, how many records."""

    __tablename__ = "exchange_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    direction: Mapped[str] = mapped_column(String(10))  # export / import
    file_name: Mapped[str] = mapped_column(String(1000))
    peer_library: Mapped[str] = mapped_column(String(36), default="")
    peer_unit: Mapped[str] = mapped_column(String(200), default="")
    peer_editor: Mapped[str] = mapped_column(String(200), default="")
    counts_json: Mapped[str] = mapped_column(Text, default="{}")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by: Mapped[str] = mapped_column(String(200), default="")


class ChangeLogRow(Base):
    """One record changed by one committed write: how another window or program on the same
    library learns what to refresh. ``uuid`` ``*`` stands for "many records of this kind"."""

    __tablename__ = "change_log"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - a number is never handed out twice
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    writer: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20))
    uuid: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
