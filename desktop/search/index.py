"""The full-text index adapters; the only place with SQL particular to a database.

SQLite keeps three contentless FTS5 tables, rowid = case id:

* ``case_fts(bi)`` — the bigram tokens of all searchable text, with positions (phrases);
* ``case_char_fts(ch)`` — the set of single characters, without positions (``detail=none``);
* ``case_title_fts(bi, ch)`` — both again for title and subtitle, to rank title hits first.

Being contentless, an entry is removed by handing back the tokens it was added with, so
callers remove a case's entry *before* changing what it is built from and add it again after
(see ``services.cases.reindexing``).

PostgreSQL (a later adapter) keeps the same tokens as ``tsvector`` columns with GIN indexes
and the same query shapes: a phrase of bigrams is ``tok1 <-> tok2``, a single character is
a lookup in the character column.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from sqlalchemy import Connection, Integer, TextualSelect, bindparam, column, func, select, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from desktop.search.document import IndexRow
from desktop.search.text import Term, token_text


def _quote(token_text: str) -> str:
    return '"' + token_text.replace('"', '""') + '"'


def _phrase(run: str) -> str:
    return _quote(" ".join(a + b for a, b in pairwise(run)))


@dataclass(frozen=True)
class MatchPlan:
    """FTS5 expressions for a list of terms: every run of every term must match.

    ``bigrams`` (runs of two or more characters, as phrases) goes to ``case_fts``,
    ``chars`` (single characters) to ``case_char_fts``, ``title`` to ``case_title_fts``.
    """

    bigrams: str | None
    chars: str | None
    title: str

    @classmethod
    def of(cls, terms: Sequence[Term]) -> MatchPlan | None:
        """The plan for ``terms``; None when no term has a letter or digit to look up."""
        runs = [token_text(r) for t in terms for r in t.runs]
        if not runs:
            return None
        long_runs = [_phrase(r) for r in runs if len(r) > 1]
        chars = [_quote(r) for r in runs if len(r) == 1]
        title = " AND ".join(f"(bi : {_phrase(r)})" if len(r) > 1 else f"(ch : {_quote(r)})" for r in runs)
        return cls(
            bigrams=" AND ".join(long_runs) if long_runs else None,
            chars=" AND ".join(chars) if chars else None,
            title=title,
        )


def _conn(target: Session | Connection) -> Connection:
    return target.connection() if isinstance(target, Session) else target


#: Bumped whenever tokenising changes; a library indexed by another version is re-indexed on opening.
INDEX_VERSION = 2
_VERSION_KEY = "search_index_version"


class IndexOutOfStepError(RuntimeError):
    """An entry about to be removed was not added with the tokens given (the index is stale)."""


def digest(row: IndexRow) -> str:
    """A short fingerprint of the tokens of one case."""
    h = hashlib.blake2b(digest_size=16)
    for part in (row.bi, row.ch, row.title_bi, row.title_ch):
        h.update(part.encode())
        h.update(b"\x00")
    return h.hexdigest()


class SqliteSearchIndex:
    """The FTS5 index of a SQLite library, with a digest of every entry in ``search_digest``."""

    TABLES = ("case_fts", "case_char_fts", "case_title_fts")

    def add(self, target: Session | Connection, rows: Iterable[IndexRow]) -> None:
        """Index cases (not already indexed)."""
        rows = list(rows)
        conn = _conn(target)
        self._write(conn, rows, delete=False)
        if rows:
            conn.execute(
                text("INSERT INTO search_digest(case_id, digest) VALUES(:id, :d)"),
                [{"id": r.case_id, "d": digest(r)} for r in rows],
            )

    def remove(self, target: Session | Connection, rows: Iterable[IndexRow]) -> None:
        """Remove cases' entries; ``rows`` must hold the tokens they were added with.

        Refuses with ``IndexOutOfStepError`` (changing nothing) when they do not: removing other
        tokens than were added would corrupt a contentless FTS5 table.
        """
        rows = list(rows)
        if not rows:
            return
        conn = _conn(target)
        stored = self.digests(conn, [r.case_id for r in rows])
        stale = [r.case_id for r in rows if stored.get(r.case_id) != digest(r)]
        if stale:
            raise IndexOutOfStepError(f"index entries out of step with the text of cases {stale[:10]}")
        self._write(conn, rows, delete=True)
        conn.execute(text("DELETE FROM search_digest WHERE case_id = :id"), [{"id": r.case_id} for r in rows])

    def digests(self, target: Session | Connection, case_ids: Sequence[int]) -> dict[int, str]:
        """The stored digests of the given cases' entries."""
        out: dict[int, str] = {}
        conn = _conn(target)
        ids = list(case_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            query = text("SELECT case_id, digest FROM search_digest WHERE case_id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            )
            for case_id, value in conn.execute(query, {"ids": chunk}):
                out[int(case_id)] = str(value)
        return out

    def is_current(self, target: Session | Connection) -> bool:
        """Whether the library was indexed with this version's tokens."""
        value = (
            _conn(target)
            .execute(text("SELECT value FROM library_meta WHERE key = :k"), {"k": _VERSION_KEY})
            .scalar_one_or_none()
        )
        return value == str(INDEX_VERSION)

    def mark_current(self, target: Session | Connection) -> None:
        """Record that the whole index was built with this version's tokens."""
        conn = _conn(target)
        conn.execute(text("DELETE FROM library_meta WHERE key = :k"), {"k": _VERSION_KEY})
        conn.execute(
            text("INSERT INTO library_meta(key, value) VALUES(:k, :v)"), {"k": _VERSION_KEY, "v": str(INDEX_VERSION)}
        )

    @staticmethod
    def _write(conn: Connection, rows: list[IndexRow], *, delete: bool) -> None:
        if not rows:
            return
        op_col, op_val = ("{t}, ", "'delete', ") if delete else ("", "")
        statements = (
            ("case_fts", "bi", [{"id": r.case_id, "bi": r.bi} for r in rows]),
            ("case_char_fts", "ch", [{"id": r.case_id, "ch": r.ch} for r in rows]),
            ("case_title_fts", "bi, ch", [{"id": r.case_id, "bi": r.title_bi, "ch": r.title_ch} for r in rows]),
        )
        for name, cols, params in statements:
            values = ", ".join(f":{c.strip()}" for c in cols.split(","))
            head = op_col.format(t=name)
            conn.execute(text(f"INSERT INTO {name}({head}rowid, {cols}) VALUES({op_val}:id, {values})"), params)

    def clear(self, target: Session | Connection) -> None:
        """Drop every entry (before a rebuild)."""
        conn = _conn(target)
        for name in self.TABLES:
            conn.execute(text(f"INSERT INTO {name}({name}) VALUES('delete-all')"))
        conn.execute(text("DELETE FROM search_digest"))

    def integrity_problems(self, target: Session | Connection) -> list[str]:
        """FTS5's own structural check; an empty list when sound.

        The check is spelled as an insert, so it needs the write lock though it changes nothing: a
        lock held elsewhere, a full disk (SQLAlchemy's ``OperationalError``) propagate as what they
        are, never as damage; a read-only library skips it (the entries are still compared one by one).
        """
        conn = _conn(target)
        problems = []
        for name in self.TABLES:
            try:
                conn.execute(text(f"INSERT INTO {name}({name}) VALUES('integrity-check')"))
            except OperationalError as exc:
                message = str(exc.orig).lower()
                if "readonly" in message or "read-only" in message:
                    return []
                if "locked" in message or "busy" in message or "disk is full" in message:
                    raise
                problems.append(f"{name}: {exc.orig}")
            except DatabaseError as exc:  # the check reports damage through an error
                problems.append(f"{name}: {exc.orig}")
        return problems

    def indexed_counts(self, target: Session | Connection) -> list[int]:
        """How many cases each index table holds."""
        conn = _conn(target)
        return [int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in self.TABLES]

    @staticmethod
    def _matching_sql(plan: MatchPlan) -> tuple[str, dict[str, str]]:
        """SQL selecting ``id`` of every match; rows come out in rowid order, so FTS5 can stop
        early under ``ORDER BY id DESC LIMIT n``."""
        if plan.bigrams and plan.chars:
            sql = (
                "SELECT rowid AS id FROM case_fts WHERE case_fts MATCH :qb"
                " AND rowid IN (SELECT rowid FROM case_char_fts WHERE case_char_fts MATCH :qc)"
            )
            return sql, {"qb": plan.bigrams, "qc": plan.chars}
        if plan.bigrams:
            return "SELECT rowid AS id FROM case_fts WHERE case_fts MATCH :qb", {"qb": plan.bigrams}
        assert plan.chars is not None
        return "SELECT rowid AS id FROM case_char_fts WHERE case_char_fts MATCH :qc", {"qc": plan.chars}

    def matching_ids(self, plan: MatchPlan, *, title: bool = False) -> TextualSelect:
        """A SELECT of the ids of cases whose text (or, with ``title``, title) matches the plan."""
        if title:
            sql, params = "SELECT rowid AS id FROM case_title_fts WHERE case_title_fts MATCH :qt", {"qt": plan.title}
        else:
            sql, params = self._matching_sql(plan)
        return text(sql).bindparams(**params).columns(column("id", Integer))

    def ranked_ids(self, plan: MatchPlan) -> TextualSelect | None:
        """Matching ids with a relevance score (lower is better: bm25 over the bigrams), or None
        when the plan has no bigram part to rank by."""
        if not plan.bigrams:
            return None
        sql, params = self._matching_sql(plan)
        sql = sql.replace("SELECT rowid AS id FROM", "SELECT rowid AS id, rank AS score FROM", 1)
        return text(sql).bindparams(**params).columns(column("id", Integer), column("score"))

    def count(self, target: Session | Connection, plan: MatchPlan, *, title: bool = False) -> int:
        """Number of cases matching (no filters): answered by the index alone."""
        query = select(func.count()).select_from(self.matching_ids(plan, title=title).subquery())
        return int(_conn(target).execute(query).scalar_one())

    def newest_page(
        self, target: Session | Connection, plan: MatchPlan, title_total: int, limit: int, offset: int
    ) -> list[int]:
        """A page of matches, title matches first, each group newest (highest id) first.

        Answered by the index alone, stopping as soon as the page is full.
        """
        conn = _conn(target)
        ids: list[int] = []
        if offset < title_total:
            sql = (
                "SELECT rowid FROM case_title_fts WHERE case_title_fts MATCH :qt ORDER BY rowid DESC LIMIT :l OFFSET :o"
            )
            ids = list(conn.execute(text(sql), {"qt": plan.title, "l": limit, "o": offset}).scalars())
        wanted = limit - len(ids)
        if wanted > 0:
            inner, params = self._matching_sql(plan)
            sql = (
                f"SELECT id FROM ({inner}) WHERE id NOT IN"
                " (SELECT rowid FROM case_title_fts WHERE case_title_fts MATCH :qt)"
                " ORDER BY id DESC LIMIT :l OFFSET :o"
            )
            bound: dict[str, object] = {**params, "qt": plan.title, "l": wanted, "o": max(0, offset - title_total)}
            ids.extend(conn.execute(text(sql), bound).scalars())
        return ids
