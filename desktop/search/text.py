"""Folding, tokenising and query parsing for the bigram index; snippets with highlights.

This module is pure Python and knows nothing of any database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A run is a maximal stretch of characters other than white space and control characters.
_RUN = re.compile(r"[^\s\x00-\x1f\x7f]+")
# ASCII punctuation separates tokens for SQLite's 'ascii' tokenizer; inside tokens it is written
# as its full-width twin (a token character there), the same on the index and the query side.
_TOKEN_CHARS = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F) if not chr(c).isalnum()})
_add = str.__add__


def fold(text: str) -> str:
    """Normalise text for matching: NFKC (full-width → half-width …) then case-fold."""
    if text.isascii():
        return text.lower() if not text.islower() else text
    return unicodedata.normalize("NFKC", text).casefold()


def runs(folded: str) -> list[str]:
    """The runs (stretches without white space or control characters) of already folded text."""
    return _RUN.findall(folded)


def token_text(folded: str) -> str:
    """Folded text as it is written into index tokens (ASCII punctuation made full-width)."""
    return folded.translate(_TOKEN_CHARS)


def bigram_tokens(folded: str) -> str:
    """Space-separated index tokens: each run's overlapping bigrams, then its last character.

    The trailing single character ends the run, so a phrase of bigrams never spans two runs.
    """
    out: list[str] = []
    extend = out.extend
    append = out.append
    for run in _RUN.findall(folded.translate(_TOKEN_CHARS)):
        extend(map(_add, run, run[1:]))
        append(run[-1])
    return " ".join(out)


def char_tokens(folded: str) -> str:
    """Space-separated distinct characters (no white space or control characters) of folded text."""
    return " ".join(sorted(c for c in set(folded.translate(_TOKEN_CHARS)) if _RUN.match(c)))


@dataclass(frozen=True)
class Term:
    """One space-separated query term, folded; ``runs`` are its stretches between control characters."""

    text: str
    runs: tuple[str, ...]

    @property
    def exact_in_index(self) -> bool:
        """Whether the index alone answers this term exactly (a single run)."""
        return len(self.runs) == 1 and self.runs[0] == self.text


def parse_query(query: str) -> list[Term]:
    """Split a query into terms (whitespace-separated, all must match), folded, duplicates dropped."""
    terms: list[Term] = []
    seen: set[str] = set()
    for raw in query.split():
        text = fold(raw)
        if not text or text in seen:
            continue
        seen.add(text)
        terms.append(Term(text=text, runs=tuple(runs(text))))
    return terms


def contains_all(folded_fields: Iterable[str], terms: Sequence[Term]) -> bool:
    """The reference semantics: every term is a substring of at least one field."""
    fields = list(folded_fields)
    return all(any(t.text in f for f in fields) for t in terms)


@dataclass(frozen=True)
class Snippet:
    """A short excerpt of a record with the character spans of the hits in it."""

    text: str
    highlights: tuple[tuple[int, int], ...]

    def marked(self, before: str = "【", after: str = "】") -> str:
        """The excerpt with each hit wrapped in markers."""
        out: list[str] = []
        pos = 0
        for start, end in self.highlights:
            out.append(self.text[pos:start])
            out.append(before + self.text[start:end] + after)
            pos = end
        out.append(self.text[pos:])
        return "".join(out)


def _fold_map(text: str) -> tuple[str, Sequence[int]]:
    """Fold character by character, keeping for each folded character its original index."""
    folded: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch)
        folded.append(f)
        index.extend([i] * len(f))
    return "".join(folded), index


def make_snippet(fields: Sequence[str], terms: Sequence[Term], width: int = 80) -> Snippet:
    """An excerpt around the first hit in the first field that has one, hits highlighted."""
    for field_text in fields:
        if not field_text:
            continue
        folded = fold(field_text)
        if len(folded) == len(field_text):  # the usual case: folding kept every position
            index: Sequence[int] = range(len(field_text))
        else:
            folded, index = _fold_map(field_text)
        hits: list[tuple[int, int]] = []
        for t in terms:
            start = folded.find(t.text)
            while start != -1:
                end = start + len(t.text)
                hits.append((index[start], index[end - 1] + 1))
                start = folded.find(t.text, end)
        if not hits:
            continue
        hits.sort()
        first = hits[0][0]
        lo = max(0, first - width // 4)
        hi = min(len(field_text), lo + width)
        lo = max(0, min(lo, hi - width))
        excerpt = field_text[lo:hi].replace("\n", " ")
        prefix = "…" if lo > 0 else ""
        suffix = "…" if hi < len(field_text) else ""
        spans: list[tuple[int, int]] = []
        for s, e in hits:
            if s >= lo and e <= hi and (not spans or s >= spans[-1][1]):
                spans.append((s - lo + len(prefix), e - lo + len(prefix)))
        return Snippet(prefix + excerpt + suffix, tuple(spans))
    first_text = next((f for f in fields if f), "")
    return Snippet(first_text[:width].replace("\n", " "), ())
