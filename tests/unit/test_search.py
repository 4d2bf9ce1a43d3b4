"""Chinese full-text search: equal to a substring scan for every query length, ranked, filtered."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain.enums import ReviewStatus
from desktop.domain.query import MOUNTAIN_ISLAND, CaseFilters, CaseQuery
from desktop.domain.records import ModelCase, Ref
from desktop.search.document import CaseText
from desktop.search.text import fold, parse_query
from desktop.services.casebook import Casebook
from tests.conftest import TEST_EDITOR

# A small alphabet so that random queries often hit: common and rare characters (岙 垟 坞 墺 㟃 畲),
# Latin letters in both cases, full-width forms, digits and punctuation.
ALPHABET = "共富飞地村山岙垟坞墺㟃畲aBＡb2０，&-·"
ALL = 10**6


def _expected(book: Casebook, terms: str) -> set[str]:
    parsed = parse_query(terms)
    found = set()
    for hit in book.search.search(CaseQuery("", limit=ALL)).hits:
        case = book.cases.get(hit.uuid)
        fields = [fold(f) for f in CaseText.of(case).all_fields()]
        if all(any(t.text in f for f in fields) for t in parsed):
            found.add(case.uuid)
    return found


def _random_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ALPHABET + "  \n") for _ in range(n))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Casebook, dict[str, list[str]]]]:
    """120 cases of random text over the small alphabet, and each case's folded fields."""
    path: Path = tmp_path_factory.mktemp("corpus") / "casebook.sqlite"
    book = Casebook.open(path, create=True, editor=TEST_EDITOR)
    rng = random.Random(20261128)
    fields: dict[str, list[str]] = {}
    for _ in range(120):
        case = book.cases.create(
            ModelCase(
                title=_random_text(rng, rng.randint(3, 12)).strip() or "题",
                subtitle=_random_text(rng, rng.randint(0, 8)),
                basic_situation=_random_text(rng, rng.randint(0, 40)),
                practices=_random_text(rng, rng.randint(0, 60)),
                outcomes=_random_text(rng, rng.randint(0, 30)),
                lessons=_random_text(rng, rng.randint(0, 20)),
                tags=[_random_text(rng, 2).strip() or "签"],
            )
        ).value
        fields[case.uuid] = [fold(f) for f in CaseText.of(case).all_fields()]
    yield book, fields
    book.close()


query_term = st.text(alphabet=ALPHABET, min_size=1, max_size=6).filter(lambda t: t.strip() == t and t)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=st.lists(query_term, min_size=1, max_size=3))
def test_results_equal_a_substring_scan(corpus: tuple[Casebook, dict[str, list[str]]], terms: list[str]) -> None:
    book, fields = corpus
    query = " ".join(terms)
    folded_terms = [fold(t) for t in terms]
    expected = {u for u, fs in fields.items() if all(any(t in f for f in fs) for t in folded_terms)}
    result = book.search.search(CaseQuery(query, limit=ALL))
    assert result.total == len(expected)
    assert {h.uuid for h in result.hits} == expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(st.text(alphabet=ALPHABET + " \n", min_size=1, max_size=30), min_size=1, max_size=5),
    query=query_term,
)
def test_any_corpus_any_query(tmp_path_factory: pytest.TempPathFactory, texts: list[str], query: str) -> None:
    """Random corpora too, including updates that change the indexed text."""
    path = tmp_path_factory.mktemp("prop") / "casebook.sqlite"
    book = Casebook.open(path, create=True, editor=TEST_EDITOR)
    try:
        made = [book.cases.create(ModelCase(title="案", practices=t)).value for t in texts]
        # change the first case's text once: the index must follow the edit
        first = made[0]
        made[0] = book.cases.update(ModelCase(**{**first.__dict__, "practices": first.practices[::-1]})).value
        expected = {c.uuid for c in made if fold(query) in fold(c.practices) or fold(query) in "案"}
        result = book.search.search(CaseQuery(query, limit=ALL))
        assert {h.uuid for h in result.hits} == expected
        assert result.total == len(expected)
    finally:
        book.close()


def test_every_query_length_on_the_demo(demo_book: Casebook) -> None:
    for query in ["共", "飞地", "共富", "联合体", "乡村振兴联合体", "2024年", "下姜 联合体", "淳安", "消薄飞地"]:
        result = demo_book.search.search(CaseQuery(query, limit=ALL))
        assert result.total == len(_expected(demo_book, query)) > 0, query
        assert {h.uuid for h in result.hits} == _expected(demo_book, query)


def test_two_character_words_match(demo_book: Casebook) -> None:
    titles = [h.title for h in demo_book.search.search(CaseQuery("飞地", limit=ALL)).hits]
    assert any("消薄飞地" in t for t in titles)
    assert any("飞地抱团" in t for t in titles)


def test_mixed_latin_digits_and_width(book: Casebook) -> None:
    a = book.cases.create(ModelCase(title="科创飞地建立R&D中心", practices="2024年引进ＡＰＰ开发团队")).value
    b = book.cases.create(ModelCase(title="村集体增收", practices="2023年R和D分开")).value
    found = lambda q: {h.uuid for h in book.search.search(CaseQuery(q, limit=ALL)).hits}  # noqa: E731
    assert found("R&D") == {a.uuid}
    assert found("r&d") == {a.uuid}
    assert found("2024年") == {a.uuid}
    assert found("app") == {a.uuid}
    assert found("R") == {a.uuid, b.uuid}
    assert found("&") == {a.uuid}
    assert found("年") == {a.uuid, b.uuid}


def test_title_hits_rank_first_and_snippets_highlight(book: Casebook) -> None:
    body = book.cases.create(ModelCase(title="山区村集体增收", practices="组建强村公司，发展共富工坊。" * 3)).value
    title = book.cases.create(ModelCase(title="共富工坊带动就业", practices="在村里开设来料加工点。")).value
    hits = book.search.search(CaseQuery("共富工坊", limit=10)).hits
    assert [h.uuid for h in hits] == [title.uuid, body.uuid]
    assert hits[0].title_hit and not hits[1].title_hit
    body_hit = hits[1]
    assert body_hit.highlights
    for start, end in body_hit.highlights:
        assert body_hit.snippet[start:end] == "共富工坊"


def test_trash_leaves_and_restore_returns(book: Casebook) -> None:
    case = book.cases.create(ModelCase(title="畲族村共富工坊")).value
    assert book.search.search(CaseQuery("畲")).total == 1
    book.cases.trash([case.uuid])
    assert book.search.search(CaseQuery("畲")).total == 0
    book.cases.restore([case.uuid])
    assert book.search.search(CaseQuery("畲")).total == 1


def test_filters_combine_with_text(demo_book: Casebook) -> None:
    book = demo_book
    chunan = book.regions.find("淳安县")
    hangzhou = book.regions.find("杭州市")
    in_chunan = book.search.search(CaseQuery("", CaseFilters(region_uuid=chunan.uuid), limit=ALL))
    in_hangzhou = book.search.search(CaseQuery("", CaseFilters(region_uuid=hangzhou.uuid), limit=ALL))
    assert in_chunan.total >= 1
    assert {h.uuid for h in in_chunan.hits} <= {h.uuid for h in in_hangzhou.hits}
    # a parent theme includes its sub-themes
    parent = book.catalog.find_theme("（二）")
    child = next(t for t in book.catalog.themes() if t.parent_uuid == parent.uuid)
    case = book.cases.create(ModelCase(title="片区组团试点村", themes=[Ref(child.uuid)])).value
    under_parent = {
        h.uuid for h in book.search.search(CaseQuery("", CaseFilters(theme_uuid=parent.uuid), limit=ALL)).hits
    }
    assert case.uuid in under_parent
    # text and filters together
    both = book.search.search(CaseQuery("联合体", CaseFilters(region_uuid=chunan.uuid), limit=ALL))
    assert both.total == 1 and "下姜" in both.hits[0].title
    status = book.search.search(CaseQuery("", CaseFilters(review_status=ReviewStatus.RECOMMENDED), limit=ALL))
    assert status.total >= 1 and all(h.review_status == "推荐推广" for h in status.hits)
    mt = book.catalog.find_model_type("消薄飞地")
    by_type = book.search.search(CaseQuery("", CaseFilters(model_type_uuid=mt.uuid), limit=ALL))
    assert by_type.total >= 1 and all(h.model_type == "消薄飞地" for h in by_type.hits)
    dated = book.search.search(
        CaseQuery("", CaseFilters(date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)), limit=ALL)
    )
    assert all(h.reported_on and h.reported_on.year == 2024 for h in dated.hits)


def test_designation_as_of_a_date(book: Casebook) -> None:
    kecheng = book.regions.find("柯城区")
    dongtou = book.regions.find("洞头区")
    a = book.cases.create(ModelCase(title="柯城案例", places=[Ref(kecheng.uuid)])).value
    b = book.cases.create(ModelCase(title="洞头案例", places=[Ref(dongtou.uuid)])).value
    village = book.regions.ensure_path(["衢州市", "柯城区", "沟溪乡", "余东村"]).value
    c = book.cases.create(ModelCase(title="余东村案例", places=[Ref(village.uuid)])).value

    def found(day: date) -> set[str]:
        f = CaseFilters(designation=MOUNTAIN_ISLAND, designation_on=day)
        return {h.uuid for h in book.search.search(CaseQuery("", f, limit=ALL)).hits}

    assert found(date(2023, 6, 1)) == {a.uuid, c.uuid}
    assert found(date(2025, 6, 1)) == {b.uuid}
    assert found(date(2024, 8, 1)) == {b.uuid}  # the new list takes effect on its first day
    assert found(date(2024, 7, 31)) == {a.uuid, c.uuid}


def test_paging_gives_the_exact_total(book: Casebook) -> None:
    for i in range(7):
        book.cases.create(ModelCase(title=f"共富工坊第{i}号"))
    first = book.search.search(CaseQuery("工坊", limit=3))
    second = book.search.search(CaseQuery("工坊", limit=3, offset=3))
    assert first.total == second.total == 7
    assert len(first.hits) == 3 and len(second.hits) == 3
    assert not {h.uuid for h in first.hits} & {h.uuid for h in second.hits}
