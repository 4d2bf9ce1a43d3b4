"""The records of the casebook as plain dataclasses, free of any storage or UI concern.

Every top-level record carries a stable UUID (its identity across libraries), creation and
change times, the editor who last changed it, a version number for concurrent edits and,
when it sits in the trash, the time it was moved there. Related records are referred to by
``Ref`` (UUID plus a display name), so a record can be shown without another query.
"""

from __future__ import annotations

import uuid as _uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from .changes import RecordKind
from .enums import (
    AdoptionExtent,
    ExperimentStatus,
    PilotKind,
    PilotStatus,
    RegionLevel,
    ReviewStatus,
)


def new_uuid() -> str:
    """A fresh random UUID in its canonical text form."""
    return str(_uuid.uuid4())


@dataclass(frozen=True)
class Ref:
    """A reference to another record: its UUID and the name to show for it."""

    uuid: str
    name: str = ""


@dataclass(kw_only=True)
class Record:
    """Bookkeeping shared by every stored record."""

    uuid: str = field(default_factory=new_uuid)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    updated_by: str = ""
    version: int = 0
    deleted_at: datetime | None = None

    @property
    def in_trash(self) -> bool:
        """Whether the record has been moved to the trash."""
        return self.deleted_at is not None


@dataclass(kw_only=True)
class Region(Record):
    """A place in the tree 省 → 市 → 县(市、区) → 乡镇(街道) → 村(社区)."""

    name: str
    level: RegionLevel
    parent_uuid: str | None = None
    category: str = ""
    code: str = ""
    full_name: str = ""


@dataclass(kw_only=True)
class RegionDesignation(Record):
    """A dated label on a region, e.g. 山区海岛县 from 2024-08-01; ``valid_to`` is exclusive."""

    region: Ref
    kind: str
    label: str = ""
    category: str = ""
    valid_from: date
    valid_to: date | None = None
    source: str = ""
    note: str = ""

    def in_force_on(self, day: date) -> bool:
        """Whether the designation holds on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass(kw_only=True)
class Theme(Record):
    """A theme of the plan, e.g. （二）提升县城和中心镇承载力; themes form a tree."""

    name: str
    code: str = ""
    parent_uuid: str | None = None
    description: str = ""
    sort_order: int = 0


@dataclass(kw_only=True)
class ModelType(Record):
    """A model type such as 乡村振兴联合体 or 消薄飞地; users may add their own."""

    name: str
    description: str = ""
    sort_order: int = 0


@dataclass(kw_only=True)
class Tag(Record):
    """A free label coordinators put on cases."""

    name: str


@dataclass(kw_only=True)
class Indicator(Record):
    """A named measure with its unit, e.g. 村集体经营性收入 in 万元."""

    name: str
    unit: str = ""
    description: str = ""


@dataclass(kw_only=True)
class Observation(Record):
    """One value of an indicator for a place and a period, with its source."""

    indicator: Ref
    region: Ref
    period: str
    value: float
    source: str = ""


@dataclass(kw_only=True)
class Figure:
    """A figure quoted in a case: what, how much, in which unit, for which period, from where."""

    uuid: str = field(default_factory=new_uuid)
    label: str
    value: float
    unit: str
    period: str
    qualifier: str = ""
    source: str = ""
    indicator: Ref | None = None


@dataclass(kw_only=True)
class Photo:
    """A photo of a case, stored in the library's own media folder."""

    uuid: str = field(default_factory=new_uuid)
    file_name: str
    caption: str = ""
    credit: str = ""


@dataclass(kw_only=True)
class Adoption(Record):
    """A place that took up a model case: the trace of 一地创新、全省共享."""

    case_uuid: str
    region: Ref
    adopted_on: date | None = None
    extent: AdoptionExtent = AdoptionExtent.LEARNED
    note: str = ""


@dataclass(kw_only=True)
class ModelCase(Record):
    """A written-up practice (典型案例) with its four sections, figures, photos and source."""

    title: str
    subtitle: str = ""
    model_type: Ref | None = None
    places: list[Ref] = field(default_factory=list)
    themes: list[Ref] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    basic_situation: str = ""
    practices: str = ""
    outcomes: str = ""
    lessons: str = ""
    figures: list[Figure] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    source: str = ""
    source_url: str = ""
    reported_on: date | None = None
    review_status: ReviewStatus = ReviewStatus.DRAFT
    return_reason: str = ""
    pilot: Ref | None = None
    is_demo: bool = False


@dataclass(kw_only=True)
class Milestone:
    """A dated step of an experiment (时限化): due date, and when it was done."""

    uuid: str = field(default_factory=new_uuid)
    title: str
    due_date: date
    done_on: date | None = None
    responsible_unit: str = ""
    note: str = ""

    def is_overdue(self, today: date) -> bool:
        """Whether the milestone is past due and not done."""
        return self.done_on is None and self.due_date < today


@dataclass(kw_only=True)
class ProgressNote:
    """A dated note on how an experiment is going."""

    uuid: str = field(default_factory=new_uuid)
    noted_on: date
    text: str
    author: str = ""


@dataclass(kw_only=True)
class Experiment(Record):
    """A task a pilot tries (探索事项 / 改革任务), with milestones and progress notes."""

    pilot_uuid: str
    title: str
    objective: str = ""
    measures: str = ""
    status: ExperimentStatus = ExperimentStatus.NOT_STARTED
    responsible_unit: str = ""
    findings: str = ""
    milestones: list[Milestone] = field(default_factory=list)
    progress_notes: list[ProgressNote] = field(default_factory=list)


@dataclass(kw_only=True)
class PilotSite(Record):
    """A pilot (试点): kind, batch, lead unit, places, period and status."""

    name: str
    kind: PilotKind = PilotKind.SPECIAL
    batch: str = ""
    lead_unit: str = ""
    places: list[Ref] = field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    status: PilotStatus = PilotStatus.PREPARING
    description: str = ""
    is_demo: bool = False


@dataclass(frozen=True)
class TrashEntry:
    """One record in the trash, as listed to the user."""

    kind: RecordKind
    uuid: str
    name: str
    deleted_at: datetime
