"""What a user asks of the library: search text plus filters, as one plain value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .enums import ReviewStatus

#: The designation the plan's mountain-and-island policies turn on.
MOUNTAIN_ISLAND = "山区海岛县"


@dataclass(frozen=True)
class CaseFilters:
    """Filters that combine with the search text; ``None`` means no restriction.

    ``theme_uuid`` and ``region_uuid`` include everything below them in their trees;
    ``designation`` keeps cases with a place inside a region that carries that designation
    on ``designation_on`` (today when not given).
    """

    theme_uuid: str | None = None
    region_uuid: str | None = None
    model_type_uuid: str | None = None
    review_status: ReviewStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    designation: str | None = None
    designation_on: date | None = None
    tag: str | None = None
    pilot_uuid: str | None = None

    def is_empty(self) -> bool:
        """Whether no filter is set."""
        return all(v is None for v in self.__dict__.values())


class CaseSort(StrEnum):
    """What a list of cases is ordered by."""

    RELEVANCE = "relevance"  # title hits first, then relevance or newest (see services.search)
    TITLE = "title"
    MODEL_TYPE = "model_type"
    STATUS = "status"
    REPORTED = "reported"
    UPDATED = "updated"


@dataclass(frozen=True)
class CaseQuery:
    """A search: free text (space-separated terms, all must match), filters, order and a page.

    ``limit`` None asks for every match.
    """

    text: str = ""
    filters: CaseFilters = CaseFilters()
    limit: int | None = 50
    offset: int = 0
    sort: CaseSort = CaseSort.RELEVANCE
    descending: bool = False
