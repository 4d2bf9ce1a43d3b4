"""The full-text index adapters; the only place with SQL particular to a database.

SQLite keeps two contentless FTS5 tables (``case_fts`` over all text, ``case_title_fts``
over title and subtitle) with rowid = case id. Being contentless, an entry is removed by
handing back the tokens it was added with, so callers remove a case's entry *before*
changing what it is built from and add it again after (see ``services.cases``).

PostgreSQL (a later adapter) keeps the same tokens as ``tsvector`` columns with GIN indexes
and the same query shapes: a phrase of bigrams is ``tok1 <-> tok2``, a single character is
a lookup in the character column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Integer, TextualSelect, column, text
from sqlalchemy.orm import Session

from desktop.search.document import IndexRow
from desktop.search.text import Term


def _quote(token_text: str) -> str:
    return '"' + token_text.replace('"', '""') + '"'


def run_expression(run: str) -> str:
    """FTS5 expression for one run: a character lookup or a phrase of consecutive bigrams."""
    if len(run) == 1:
        return "ch : " + _quote(run)
    return "bi : " + _quote(" ".join(a + b for a, b in zip(run, run[1:], strict=False)))


def match_expression(terms: Sequence[Term]) -> str | None:
    """FTS5 MATCH expression requiring every term (None when no term has letters or digits)."""
    parts = [run_expression(r) for t in terms for r in t.runs]
    if not parts:
        return None
    return " AND ".join(f"({p})" for p in parts)


class SqliteSearchIndex:
    """The FTS5 index of a SQLite library."""

    TABLES = ("case_fts", "case_title_fts")

    def add(self, session: Session, rows: Iterable[IndexRow]) -> None:
        """Index cases (not already indexed)."""
        self._write(session, rows, delete=False)

    def remove(self, session: Session, rows: Iterable[IndexRow]) -> None:
        """Remove cases' entries; ``rows`` must hold the tokens they were added with."""
        self._write(session, rows, delete=True)

    def _write(self, session: Session, rows: Iterable[IndexRow], *, delete: bool) -> None:
        rows = list(rows)
        if not rows:
            return
        conn = session.connection()
        for table, cols in (("case_fts", ("bi", "ch")), ("case_title_fts", ("title_bi", "title_ch"))):
            if delete:
                sql = f"INSERT INTO {table}({table}, rowid, bi, ch) VALUES('delete', :id, :bi, :ch)"
            else:
                sql = f"INSERT INTO {table}(rowid, bi, ch) VALUES(:id, :bi, :ch)"
            conn.execute(
                text(sql),
                [{"id": r.case_id, "bi": getattr(r, cols[0]), "ch": getattr(r, cols[1])} for r in rows],
            )

    def clear(self, session: Session) -> None:
        """Drop every entry (before a rebuild)."""
        for table in self.TABLES:
            session.execute(text(f"INSERT INTO {table}({table}) VALUES('delete-all')"))

    def integrity_problems(self, session: Session) -> list[str]:
        """FTS5's own structural check; an empty list when sound."""
        problems = []
        for table in self.TABLES:
            try:
                session.execute(text(f"INSERT INTO {table}({table}) VALUES('integrity-check')"))
            except Exception as exc:  # the check reports through an error
                problems.append(f"{table}: {exc}")
        return problems

    def indexed_count(self, session: Session) -> int:
        """How many cases the index holds."""
        return int(session.execute(text("SELECT count(*) FROM case_fts")).scalar_one())

    def matching_ids(self, expression: str, *, title: bool = False) -> TextualSelect:
        """A SELECT of the ids of cases whose text (or title) matches ``expression``."""
        table = "case_title_fts" if title else "case_fts"
        param = "qt" if title else "q"
        return (
            text(f"SELECT rowid AS id FROM {table} WHERE {table} MATCH :{param}")
            .bindparams(**{param: expression})
            .columns(column("id", Integer))
        )

    def ranked_ids(self, expression: str) -> TextualSelect:
        """A SELECT of matching ids with their relevance (lower is better; bm25 over the text)."""
        return (
            text("SELECT rowid AS id, rank AS score FROM case_fts WHERE case_fts MATCH :qr")
            .bindparams(qr=expression)
            .columns(column("id", Integer), column("score"))
        )

    def count(self, session: Session, expression: str) -> int:
        """Number of cases matching (no filters): answered by the index alone."""
        return int(
            session.execute(text("SELECT count(*) FROM case_fts WHERE case_fts MATCH :q"), {"q": expression})
            .scalar_one()
        )
