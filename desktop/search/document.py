"""What of a case is searchable, and in which order its fields are shown in snippets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from desktop.domain.records import ModelCase
from desktop.search.text import bigram_tokens, char_tokens, fold


class Listing(Protocol):
    """What ``CaseText.of_listing`` reads: a case's text as plain values."""

    @property
    def title(self) -> str: ...
    @property
    def subtitle(self) -> str: ...
    @property
    def sections(self) -> tuple[str, str, str, str]: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def places(self) -> tuple[str, ...]: ...
    @property
    def model_type(self) -> str: ...


@dataclass(frozen=True)
class CaseText:
    """The searchable text of one case, field by field (unfolded, as the user wrote it)."""

    title: str
    subtitle: str
    sections: tuple[str, str, str, str]
    tags: str
    places: str
    model_type: str

    @classmethod
    def of(cls, case: ModelCase) -> CaseText:
        """The searchable text of a case record."""
        return cls(
            title=case.title,
            subtitle=case.subtitle,
            sections=(case.basic_situation, case.practices, case.outcomes, case.lessons),
            tags=" ".join(case.tags),
            places=" ".join(p.name for p in case.places),
            model_type=case.model_type.name if case.model_type else "",
        )

    @classmethod
    def of_listing(cls, listing: Listing) -> CaseText:
        """The searchable text of a case read as plain columns (see ``store.queries.case_listings``)."""
        return cls(
            title=listing.title,
            subtitle=listing.subtitle,
            sections=listing.sections,
            tags=" ".join(listing.tags),
            places=" ".join(listing.places),
            model_type=listing.model_type,
        )

    def title_fields(self) -> list[str]:
        """Title and subtitle: a hit here ranks first."""
        return [self.title, self.subtitle]

    def all_fields(self) -> list[str]:
        """Every searchable field."""
        return [self.title, self.subtitle, *self.sections, self.tags, self.places, self.model_type]

    def snippet_fields(self) -> list[str]:
        """Fields in the order a snippet is looked for: the body before the title."""
        return [*self.sections, self.tags, self.places, self.model_type, self.title, self.subtitle]


@dataclass(frozen=True)
class IndexRow:
    """Tokens of one case for the whole-text index and the title index."""

    case_id: int
    bi: str
    ch: str
    title_bi: str
    title_ch: str


def _tokens(fields: Sequence[str]) -> tuple[str, str]:
    # Fields are joined by a newline, which is not a letter: no token spans two fields.
    folded = fold("\n".join(fields))
    return bigram_tokens(folded), char_tokens(folded)


def index_row(case_id: int, text: CaseText) -> IndexRow:
    """The index tokens of a case."""
    bi, ch = _tokens(text.all_fields())
    title_bi, title_ch = _tokens(text.title_fields())
    return IndexRow(case_id, bi, ch, title_bi, title_ch)
