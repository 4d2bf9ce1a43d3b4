"""Searching cases: Chinese text of any length combined with filters, ranked, with snippets.

Ranking: cases whose title or subtitle holds every term come first; within each group the
relevance of the whole text (bm25) orders the results when there are at most
``RANK_LIMIT`` matches, otherwise the most recently added cases come first (a query matching
much of the library has no useful relevance order, and ranking it all would cost more than
the answer is worth). Without search text, cases are listed by reported date, newest first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from desktop.domain.i18n import _
from desktop.domain.query import CaseQuery, CaseSort
from desktop.search.document import CaseText
from desktop.search.index import MatchPlan
from desktop.search.text import Term, contains_all, fold, make_snippet, parse_query
from desktop.services.context import ServiceContext
from desktop.store.queries import case_conditions, case_listings
from desktop.store.schema import CaseRow, ModelTypeRow

RANK_LIMIT = 2000
_CHECK_BATCH = 2000

#: Progress callback of a long search: (done, total, what); it may raise to stop the search.
Step = Callable[[int, int, str], None]


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
    case_id: int = 0


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

    def search(self, query: CaseQuery, step: Step | None = None) -> SearchResult:
        """Cases matching ``query``: the exact total and the requested page with snippets.

        ``step(done, total, what)`` reports progress of a slow search (terms with punctuation
        are checked against the text) and may raise to stop it."""
        terms = parse_query(query.text)
        with self.ctx.library.reading() as s:
            found = self._ids(s, terms, query, step)
            return SearchResult(found.total, self._hits(s, found.ids, terms, found.title_ids))

    def ids(self, query: CaseQuery, step: Step | None = None) -> IdList:
        """Only the ids of the matching cases, in order (for views that fetch rows on demand)."""
        with self.ctx.library.reading() as s:
            return self._ids(s, parse_query(query.text), query, step)

    def uuids(self, query: CaseQuery, step: Step | None = None) -> list[str]:
        """UUIDs of every case the query finds, in its order (what an export of a search takes)."""
        found = self.ids(query, step).ids
        out: list[str] = []
        with self.ctx.library.reading() as s:
            for start in range(0, len(found), 900):
                part = found[start : start + 900]
                by_id = dict(s.execute(select(CaseRow.id, CaseRow.uuid).where(CaseRow.id.in_(part))).all())
                out.extend(by_id[i] for i in part if i in by_id)
        return out

    def case_ids(self, uuids: Sequence[str]) -> dict[str, int]:
        """The list ids of cases by UUID (for finding a case's row in a list of ids)."""
        with self.ctx.library.reading() as s:
            return {u: i for u, i in s.execute(select(CaseRow.uuid, CaseRow.id).where(CaseRow.uuid.in_(uuids)))}

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
                    case_id
                    for case_id, listing in case_listings(s, ids).items()
                    if contains_all((fold(f) for f in CaseText.of_listing(listing).title_fields()), terms)
                }
            return self._hits(s, ids, terms, title_ids)

    def _ids(self, s: Session, terms: list[Term], query: CaseQuery, step: Step | None = None) -> IdList:
        conds = case_conditions(query.filters)
        if not terms:
            return self._listing(s, conds, query)
        if all(t.exact_in_index for t in terms):
            return self._indexed(s, conds, terms, query)
        return self._checked(s, conds, terms, query, step)

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
    def _checked(
        self, s: Session, conds: list[ColumnElement[bool]], terms: list[Term], query: CaseQuery, step: Step | None
    ) -> IdList:
        plan = MatchPlan.of(terms)
        q = select(CaseRow.id).where(*conds)
        if plan is not None:
            q = q.where(CaseRow.id.in_(select(self.ctx.index.matching_ids(plan).subquery().c.id)))
        candidates = list(s.execute(_sorted(q, query, default=_recent())).scalars())
        title_hits: list[int] = []
        matched: list[int] = []
        for start in range(0, len(candidates), _CHECK_BATCH):
            chunk = candidates[start : start + _CHECK_BATCH]
            listings = case_listings(s, chunk)
            for case_id in chunk:
                text = CaseText.of_listing(listings[case_id])
                if contains_all((fold(f) for f in text.all_fields()), terms):
                    matched.append(case_id)
                    if contains_all((fold(f) for f in text.title_fields()), terms):
                        title_hits.append(case_id)
            if step is not None:
                step(start + len(chunk), len(candidates), _("检索"))
        if query.sort == CaseSort.RELEVANCE:
            in_title = set(title_hits)
            matched = title_hits + [c for c in matched if c not in in_title]
        end = None if query.limit is None else query.offset + query.limit
        return IdList(len(matched), matched[query.offset : end], frozenset(title_hits))

    def _hits(
        self, s: Session, ids: Sequence[int], terms: Sequence[Term], title_ids: AbstractSet[int]
    ) -> list[SearchHit]:
        # Plain column queries (no ORM objects): a page of hits is on the hot path of every keystroke.
        listings = case_listings(s, ids)
        hits = []
        for case_id in ids:
            row = listings.get(case_id)
            if row is None:
                continue
            text = CaseText.of_listing(row)
            snip = make_snippet(text.snippet_fields() if terms else list(text.sections), terms)
            hits.append(
                SearchHit(
                    uuid=row.uuid,
                    title=row.title,
                    subtitle=row.subtitle,
                    model_type=row.model_type,
                    places=row.places,
                    review_status=row.review_status,
                    reported_on=row.reported_on,
                    snippet=snip.text,
                    highlights=snip.highlights,
                    title_hit=case_id in title_ids,
                    is_demo=row.is_demo,
                    case_id=case_id,
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
