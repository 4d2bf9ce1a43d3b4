"""What a user asks of the library: search text plus filters, as one plain value."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum

from .enums import ReviewStatus
from .records import Record

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


@dataclass(kw_only=True)
class SavedSearch(Record):
    """A smart category (智能分类): a named search with its filters."""

    name: str
    query: CaseQuery
    sort_order: int = 0


def query_to_json(query: CaseQuery) -> str:
    """A search as JSON (for saving it as a smart category)."""
    filters = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(query.filters).items()}
    return json.dumps(
        {"filters": filters, "sort": query.sort.value, "descending": query.descending}, ensure_ascii=False
    )


def query_from_json(text: str, json_text: str) -> CaseQuery:
    """The search saved by ``query_to_json``."""
    data = json.loads(json_text or "{}")
    raw = data.get("filters", {})
    values: dict[str, object] = {}
    for key, value in raw.items():
        if key in ("date_from", "date_to", "designation_on") and value:
            values[key] = date.fromisoformat(value)
        elif key == "review_status" and value:
            values[key] = ReviewStatus(value)
        else:
            values[key] = value
    return CaseQuery(
        text=text,
        filters=CaseFilters(**values),  # type: ignore[arg-type]
        sort=CaseSort(data.get("sort", CaseSort.RELEVANCE.value)),
        descending=bool(data.get("descending", False)),
        limit=None,
    )


#: Case fields the search text is matched against (and ranked by).
SEARCHED_FIELDS: frozenset[str] = frozenset(
    {"title", "subtitle", "basic_situation", "practices", "outcomes", "lessons", "tags", "places", "model_type"}
)

_FILTER_FIELDS = {
    "theme_uuid": "themes",
    "region_uuid": "places",
    "model_type_uuid": "model_type",
    "review_status": "review_status",
    "date_from": "reported_on",
    "date_to": "reported_on",
    "designation": "places",
    "tag": "tags",
    "pilot_uuid": "pilot",
}
_SORT_FIELDS = {
    CaseSort.TITLE: "title",
    CaseSort.MODEL_TYPE: "model_type",
    CaseSort.STATUS: "review_status",
    CaseSort.REPORTED: "reported_on",
}


def fields_deciding(query: CaseQuery) -> frozenset[str] | None:
    """The case fields whose change may bring a case into the list ``query`` gives, take it out or
    move it; None when any change may (a list in order of last change)."""
    if query.sort == CaseSort.UPDATED:
        return None
    fields: set[str] = set()
    if query.text.strip():
        fields |= SEARCHED_FIELDS
    for name, field_name in _FILTER_FIELDS.items():
        if getattr(query.filters, name) is not None:
            fields.add(field_name)
    if query.sort == CaseSort.RELEVANCE:
        fields.add("reported_on" if not query.text.strip() else "title")
    else:
        fields.add(_SORT_FIELDS[query.sort])
    return frozenset(fields)
