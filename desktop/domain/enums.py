"""Enumerations of the domain: review states and their transitions, kinds and levels.

Values are the Chinese words coordinators use; they are stored as they are, so a library
read by any client shows the same words.
"""

from __future__ import annotations

from enum import StrEnum


class ReviewStatus(StrEnum):
    """Where a model case stands in the review chain."""

    DRAFT = "草稿"
    SUBMITTED = "已报送"
    APPROVED = "已审核"
    RECOMMENDED = "推荐推广"
    RETURNED = "退回"


#: Allowed moves of the review chain; 退回 always needs a reason.
REVIEW_TRANSITIONS: dict[ReviewStatus, frozenset[ReviewStatus]] = {
    ReviewStatus.DRAFT: frozenset({ReviewStatus.SUBMITTED}),
    ReviewStatus.SUBMITTED: frozenset({ReviewStatus.APPROVED, ReviewStatus.RETURNED}),
    ReviewStatus.APPROVED: frozenset({ReviewStatus.RECOMMENDED, ReviewStatus.RETURNED}),
    ReviewStatus.RECOMMENDED: frozenset({ReviewStatus.APPROVED, ReviewStatus.RETURNED}),
    ReviewStatus.RETURNED: frozenset({ReviewStatus.DRAFT, ReviewStatus.SUBMITTED}),
}


class PilotKind(StrEnum):
    """The kinds of pilot the plan names (section 十五)."""

    COMPREHENSIVE = "全域综合试点"
    SPECIAL = "专项试点"
    OTHER = "其他"


class PilotStatus(StrEnum):
    """Life cycle of a pilot site."""

    PREPARING = "筹备中"
    RUNNING = "实施中"
    ACCEPTED = "已验收"
    STOPPED = "已终止"


class ExperimentStatus(StrEnum):
    """Life cycle of an experiment (探索事项)."""

    NOT_STARTED = "未启动"
    IN_PROGRESS = "进行中"
    DONE = "已完成"
    SUSPENDED = "已暂停"


class RegionLevel(StrEnum):
    """Levels of the region tree, top to bottom."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWN = "town"
    VILLAGE = "village"


#: The level under each level; villages have none.
CHILD_LEVEL: dict[RegionLevel, RegionLevel | None] = {
    RegionLevel.PROVINCE: RegionLevel.CITY,
    RegionLevel.CITY: RegionLevel.COUNTY,
    RegionLevel.COUNTY: RegionLevel.TOWN,
    RegionLevel.TOWN: RegionLevel.VILLAGE,
    RegionLevel.VILLAGE: None,
}

REGION_LEVEL_LABELS: dict[RegionLevel, str] = {
    RegionLevel.PROVINCE: "省",
    RegionLevel.CITY: "市",
    RegionLevel.COUNTY: "县(市、区)",
    RegionLevel.TOWN: "乡镇(街道)",
    RegionLevel.VILLAGE: "村(社区)",
}


class AdoptionExtent(StrEnum):
    """How far a place took up a model case."""

    LEARNED = "借鉴"
    REPLICATED = "复制"
    PROMOTED = "推广"


class FigureQualifier(StrEnum):
    """How a reported figure relates to the true value."""

    OVER = "超过"
    ABOUT = "约"
    UNDER = "不足"
