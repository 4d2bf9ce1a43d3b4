"""Searching cases: Chinese text of any length combined with filters, ranked, with snippets.

Ranking: cases whose title or subtitle holds every term come first; within each group the
relevance of the whole text (bm25) orders the results when there are at most
``RANK_LIMIT`` matches, otherwise the most recently added cases come first (a query matching
much of the library has no useful relevance order, and ranking it all would cost more than
the answer is worth). Without search text, cases are listed by reported date, newest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from desktop.domain.query import CaseQuery, CaseSort
from desktop.search.document import CaseText
from desktop.search.index import MatchPlan
from desktop.search.text import Term, contains_all, fold, make_snippet, parse_query
from desktop.services.cases import load_case_rows
from desktop.services.context import ServiceContext
from desktop.store.mapping import to_case
from desktop.store.queries import case_conditions
from desktop.store.schema import CasePlace, CaseRow, CaseTag, ModelTypeRow, RegionRow, TagRow

RANK_LIMIT = 2000
_CHECK_BATCH = 500


@dataclass(frozen=True)
class SearchHit:
    """One case found, ready to show in a list."""

    uuid: str
    title: str
    subtitle: str
    model_type: str
    places: tuple[str, ...]
    review_status: str
    reported_on: date | None
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    title_hit: bool
    is_demo: bool


@dataclass(frozen=True)
class SearchResult:
    """A page of hits and the exact number of all matches."""

    total: int
    hits: list[SearchHit]


@dataclass(frozen=True)
class IdList:
    """Matching case ids in order (the page asked for, or all), with the exact total."""

    total: int
    ids: list[int]
    title_ids: frozenset[int] = frozenset()


class SearchService:
    """Search and list cases."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def search(self, query: CaseQuery) -> SearchResult:
        """Cases matching ``query``: the exact total and the requested page with snippets."""
        terms = parse_query(query.text)
        with self.ctx.library.reading() as s:
            found = self._ids(s, terms, query)
            return SearchResult(found.total, self._hits(s, found.ids, terms, found.title_ids))

    def ids(self, query: CaseQuery) -> IdList:
        """Only the ids of the matching cases, in order (for views that fetch rows on demand)."""
        with self.ctx.library.reading() as s:
            return self._ids(s, parse_query(query.text), query)

    def hits(self, ids: Sequence[int], text: str = "") -> list[SearchHit]:
        """Display rows of the cases ``ids`` (in that order), snippets around the terms of ``text``."""
        terms = parse_query(text)
        with self.ctx.library.reading() as s:
            title_ids: set[int] = set()
            if terms and all(t.exact_in_index for t in terms):
                plan = MatchPlan.of(terms)
                assert plan is not None
                in_title = CaseRow.id.in_(select(self.ctx.index.matching_ids(plan, title=True).subquery().c.id))
                title_ids = set(s.execute(select(CaseRow.id).where(CaseRow.id.in_(ids), in_title)).scalars())
            elif terms:
                title_ids = {
                    r.id
                    for r in load_case_rows(s, ids)
                    if contains_all((fold(f) for f in CaseText.of(to_case(r)).title_fields()), terms)
                }
            return self._hits(s, ids, terms, title_ids)

    def _ids(self, s: Session, terms: list[Term], query: CaseQuery) -> IdList:
        conds = case_conditions(query.filters)
        if not terms:
            return self._listing(s, conds, query)
        if all(t.exact_in_index for t in terms):
            return self._indexed(s, conds, terms, query)
        return self._checked(s, conds, terms, query)

    @staticmethod
    def _page(q: Select[Any], query: CaseQuery) -> Select[Any]:
        if query.limit is not None:
            q = q.limit(query.limit)
        return q.offset(query.offset) if query.offset else q

    # plain listing: no text --------------------------------------------------------------
    def _listing(self, s: Session, conds: list[ColumnElement[bool]], query: CaseQuery) -> IdList:
        total = s.execute(select(func.count()).select_from(CaseRow).where(*conds)).scalar_one()
        q = _sorted(select(CaseRow.id).where(*conds), query, default=_recent())
        return IdList(total, list(s.execute(self._page(q, query)).scalars()))

    # every term answered by the index ---------------------------------------------------
    def _indexed(self, s: Session, conds: list[ColumnElement[bool]], terms: list[Term], query: CaseQuery) -> IdList:
        index = self.ctx.index
        plan = MatchPlan.of(terms)
        assert plan is not None
        matched = select(index.matching_ids(plan).subquery().c.id)
        in_title = CaseRow.id.in_(select(index.matching_ids(plan, title=True).subquery().c.id))
        filtered = len(conds) > 1  # beyond "not in the trash": the index holds live cases only
        if filtered:
            total = s.execute(
                select(func.count()).select_from(CaseRow).where(CaseRow.id.in_(matched), *conds)
            ).scalar_one()
        else:
            total = index.count(s, plan)
        ranked_source = index.ranked_ids(plan) if total <= RANK_LIMIT else None
        if query.sort != CaseSort.RELEVANCE:
            q = _sorted(select(CaseRow.id).where(CaseRow.id.in_(matched), *conds), query, default=())
            ids = list(s.execute(self._page(q, query)).scalars())
        elif ranked_source is not None:
            ranked = ranked_source.subquery()
            q = (
                select(CaseRow.id)
                .join(ranked, ranked.c.id == CaseRow.id)
                .where(*conds)
                .order_by(in_title.desc(), ranked.c.score, CaseRow.id.desc())
            )
            ids = list(s.execute(self._page(q, query)).scalars())
        elif not filtered and query.limit is not None:
            title_total = index.count(s, plan, title=True)
            ids = index.newest_page(s, plan, title_total, query.limit, query.offset)
        else:
            q = select(CaseRow.id).where(CaseRow.id.in_(matched), *conds).order_by(in_title.desc(), CaseRow.id.desc())
            ids = list(s.execute(self._page(q, query)).scalars())
        title_ids = frozenset(
            s.execute(select(CaseRow.id).where(CaseRow.id.in_(ids), in_title)).scalars()
            if ids and query.limit is not None
            else ()
        )
        return IdList(total, ids, title_ids)

    # terms with punctuation: narrow by the index, then check the text ---------------------
    def _checked(self, s: Session, conds: list[ColumnElement[bool]], terms: list[Term], query: CaseQuery) -> IdList:
        plan = MatchPlan.of(terms)
        q = select(CaseRow.id).where(*conds).order_by(*_recent())
        if plan is not None:
            q = q.where(CaseRow.id.in_(select(self.ctx.index.matching_ids(plan).subquery().c.id)))
        candidates = s.execute(q).scalars().all()
        title_hits: list[int] = []
        body_hits: list[int] = []
        for start in range(0, len(candidates), _CHECK_BATCH):
            for row in load_case_rows(s, candidates[start : start + _CHECK_BATCH]):
                text = CaseText.of(to_case(row))
                if contains_all((fold(f) for f in text.all_fields()), terms):
                    in_title = contains_all((fold(f) for f in text.title_fields()), terms)
                    (title_hits if in_title else body_hits).append(row.id)
            s.expunge_all()
        ordered = title_hits + body_hits
        if query.sort != CaseSort.RELEVANCE and ordered:
            q = _sorted(select(CaseRow.id).where(CaseRow.id.in_(ordered)), query, default=())
            ordered = list(s.execute(q).scalars())
        end = None if query.limit is None else query.offset + query.limit
        return IdList(len(ordered), ordered[query.offset : end], frozenset(title_hits))

    def _hits(
        self, s: Session, ids: Sequence[int], terms: Sequence[Term], title_ids: AbstractSet[int]
    ) -> list[SearchHit]:
        if not ids:
            return []
        # Plain column queries (no ORM objects): a page of hits is on the hot path of every keystroke.
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
        rows = {
            r.id: r
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
                    ModelTypeRow.name.label("model_type"),
                )
                .outerjoin(ModelTypeRow, ModelTypeRow.id == CaseRow.model_type_id)
                .where(CaseRow.id.in_(ids))
            )
        }
        hits = []
        for case_id in ids:
            row = rows.get(case_id)
            if row is None:
                continue
            text = CaseText(
                title=row.title,
                subtitle=row.subtitle,
                sections=(row.basic_situation, row.practices, row.outcomes, row.lessons),
                tags=" ".join(tags.get(case_id, [])),
                places=" ".join(places.get(case_id, [])),
                model_type=row.model_type or "",
            )
            snip = make_snippet(text.snippet_fields() if terms else list(text.sections), terms)
            hits.append(
                SearchHit(
                    uuid=row.uuid,
                    title=row.title,
                    subtitle=row.subtitle,
                    model_type=row.model_type or "",
                    places=tuple(places.get(case_id, [])),
                    review_status=row.review_status,
                    reported_on=row.reported_on,
                    snippet=snip.text,
                    highlights=snip.highlights,
                    title_hit=case_id in title_ids,
                    is_demo=row.is_demo,
                )
            )
        return hits


def _recent() -> tuple[ColumnElement[Any], ...]:
    # Cases without a date sort last; newer ids break ties.
    return (CaseRow.reported_on.desc().nulls_last(), CaseRow.id.desc())


def _sorted(q: Select[Any], query: CaseQuery, default: tuple[ColumnElement[Any], ...]) -> Select[Any]:
    """``q`` ordered by the query's sort column (ties: newest first), or by ``default``."""
    if query.sort == CaseSort.RELEVANCE:
        return q.order_by(*default) if default else q.order_by(CaseRow.id.desc())
    column: Any
    if query.sort == CaseSort.MODEL_TYPE:
        q = q.outerjoin(ModelTypeRow, ModelTypeRow.id == CaseRow.model_type_id)
        column = ModelTypeRow.name
    else:
        column = {
            CaseSort.TITLE: CaseRow.title,
            CaseSort.STATUS: CaseRow.review_status,
            CaseSort.REPORTED: CaseRow.reported_on,
            CaseSort.UPDATED: CaseRow.updated_at,
        }[query.sort]
    ordered = column.desc() if query.descending else column.asc()
    return q.order_by(ordered.nulls_last(), CaseRow.id.desc() if query.descending else CaseRow.id.asc())


__all__ = ["RANK_LIMIT", "SearchHit", "SearchResult", "SearchService"]
