"""Counts for the navigation pane, smart categories, sorting of id lists, bulk changes."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.bulk import BulkChange
from desktop.domain.enums import ReviewStatus
from desktop.domain.query import MOUNTAIN_ISLAND, CaseFilters, CaseQuery, CaseSort
from desktop.domain.records import ModelCase, Ref
from desktop.domain.validation import ValidationError
from desktop.services.casebook import Casebook


def test_counts_roll_up_distinct_cases(book: Casebook) -> None:
    village = book.regions.ensure_path(["杭州市", "淳安县", "枫树岭镇", "下姜村"]).value
    county = book.regions.find("淳安县")
    parent = book.catalog.find_theme("（二）")
    child = next(t for t in book.catalog.themes() if t.parent_uuid == parent.uuid)
    # one case placed twice under the same county and filed under a theme and its sub-theme
    book.cases.create(
        ModelCase(
            title="甲",
            places=[Ref(village.uuid), Ref(county.uuid)],
            themes=[Ref(parent.uuid), Ref(child.uuid)],
            tags=["党建联建"],
        )
    )
    book.cases.create(ModelCase(title="乙", places=[Ref(village.uuid)], review_status=ReviewStatus.DRAFT))
    steps: list[str] = []
    ov = book.overview.overview(MOUNTAIN_ISLAND, date(2023, 6, 1), lambda d, t, what: steps.append(what))
    assert ov.total == 2
    by_uuid = {n.uuid: n.count for n in ov.regions}
    assert by_uuid[county.uuid] == 2 and by_uuid[village.uuid] == 2
    assert by_uuid[book.regions.find("杭州市").uuid] == 2
    themes = {n.uuid: n.count for n in ov.themes}
    assert themes[parent.uuid] == 1 and themes[child.uuid] == 1
    assert ("党建联建", 1) in ov.tags
    assert dict(ov.statuses)["草稿"] == 2
    assert county.uuid in ov.designated  # 淳安 was a mountain county in 2023
    assert len(steps) == 4


def test_a_step_can_stop_the_count(book: Casebook) -> None:
    class Stop(Exception):
        pass

    def step(done: int, total: int, what: str) -> None:
        raise Stop

    with pytest.raises(Stop):
        book.overview.overview(step=step)


def test_smart_category_round_trip(demo_book: Casebook) -> None:
    book = demo_book
    query = CaseQuery(
        "飞地",
        CaseFilters(
            review_status=ReviewStatus.RECOMMENDED,
            date_from=date(2020, 1, 1),
            designation=MOUNTAIN_ISLAND,
            designation_on=date(2023, 6, 1),
        ),
    )
    saved = book.overview.save_search("推荐的飞地", query).value
    again = book.overview.saved_searches()[0]
    assert again.name == "推荐的飞地" and again.query.text == "飞地"
    assert again.query.filters == query.filters
    counts = dict((name, n) for _u, name, n in book.overview.overview().saved)
    assert counts["推荐的飞地"] == book.search.ids(again.query).total
    with pytest.raises(ValidationError):
        book.overview.save_search(" ", query)
    book.overview.delete_search(saved.uuid)
    assert book.overview.saved_searches() == []


def test_id_lists_sort_in_the_database(demo_book: Casebook) -> None:
    book = demo_book
    everything = book.search.search(CaseQuery("", limit=None)).hits
    by_title = book.search.ids(CaseQuery("", limit=None, sort=CaseSort.TITLE))
    titles = [h.title for h in book.search.hits(by_title.ids)]
    assert titles == sorted(h.title for h in everything)
    newest = book.search.ids(CaseQuery("", limit=None, sort=CaseSort.REPORTED, descending=True))
    dates = [h.reported_on for h in book.search.hits(newest.ids)]
    assert dates == sorted(dates, reverse=True)
    with_text = book.search.ids(CaseQuery("村", limit=None, sort=CaseSort.TITLE))
    assert with_text.total == len(with_text.ids) > 0


def test_bulk_change_is_pure_and_checks_the_review_chain() -> None:
    case = ModelCase(title="案", tags=["甲"], review_status=ReviewStatus.DRAFT)
    changed = BulkChange(add_tag="乙", remove_tag="甲", set_status=ReviewStatus.SUBMITTED).apply(case)
    assert changed.tags == ["乙"] and changed.review_status == ReviewStatus.SUBMITTED
    assert case.tags == ["甲"]
    with pytest.raises(ValidationError):
        BulkChange(set_status=ReviewStatus.RECOMMENDED).apply(case)
    returned = BulkChange(set_status=ReviewStatus.RETURNED, reason="数据待核实").apply(changed)
    assert returned.return_reason == "数据待核实"
