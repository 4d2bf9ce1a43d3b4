"""Bulk edits of cases as pure functions: add or remove a theme or a tag, set the review status."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .enums import ReviewStatus
from .records import ModelCase, Ref
from .validation import check_review_transition


@dataclass(frozen=True)
class BulkChange:
    """One change applied to every selected case."""

    add_theme: Ref | None = None
    remove_theme: str | None = None  # theme uuid
    add_tag: str | None = None
    remove_tag: str | None = None
    set_status: ReviewStatus | None = None
    reason: str = ""

    def apply(self, case: ModelCase) -> ModelCase:
        """The case after the change (the original is left as it was)."""
        themes = list(case.themes)
        tags = list(case.tags)
        if self.add_theme and all(t.uuid != self.add_theme.uuid for t in themes):
            themes.append(self.add_theme)
        if self.remove_theme:
            themes = [t for t in themes if t.uuid != self.remove_theme]
        if self.add_tag and self.add_tag.strip() and self.add_tag.strip() not in tags:
            tags.append(self.add_tag.strip())
        if self.remove_tag:
            tags = [t for t in tags if t != self.remove_tag]
        status, reason = case.review_status, case.return_reason
        if self.set_status is not None and self.set_status != case.review_status:
            check_review_transition(case.review_status, self.set_status, self.reason)
            status = self.set_status
            reason = self.reason if self.set_status == ReviewStatus.RETURNED else ""
        return replace(case, themes=themes, tags=tags, review_status=status, return_reason=reason)
