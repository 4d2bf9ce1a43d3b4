"""Model cases: create, read, update, review moves, trash and restore — index kept in step."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desktop.domain.enums import ReviewStatus
from desktop.domain.i18n import _
from desktop.domain.records import Figure, ModelCase, Photo, new_uuid
from desktop.domain.validation import FieldError, ValidationError, check_review_transition, validate_case
from desktop.search.document import CaseText, IndexRow, index_row
from desktop.services.context import NotFoundError, ServiceContext, check_version, get_row, stamp, sync_children
from desktop.store.mapping import to_case
from desktop.store.queries import case_listings
from desktop.store.schema import (
    CasePlace,
    CaseRow,
    CaseTag,
    CaseTheme,
    FigureRow,
    IndicatorRow,
    ModelTypeRow,
    PhotoRow,
    PilotRow,
    RegionRow,
    ReviewEventRow,
    TagRow,
    ThemeRow,
    utcnow,
)

WHAT = "案例"
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff")
X = TypeVar("X")

CASE_LOAD = (
    selectinload(CaseRow.model_type),
    selectinload(CaseRow.pilot),
    selectinload(CaseRow.places).selectinload(CasePlace.region),
    selectinload(CaseRow.themes).selectinload(CaseTheme.theme),
    selectinload(CaseRow.tags).selectinload(CaseTag.tag),
    selectinload(CaseRow.figures).selectinload(FigureRow.indicator),
    selectinload(CaseRow.photos),
)


def load_case_rows(session: Session, ids: Sequence[int], options: Sequence[Any] = CASE_LOAD) -> list[CaseRow]:
    """Case rows with everything a record needs (or ``options``), in the order of ``ids``."""
    rows = session.execute(select(CaseRow).where(CaseRow.id.in_(ids)).options(*options)).scalars().all()
    by_id = {r.id: r for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def index_rows(session: Session, case_ids: Sequence[int]) -> list[IndexRow]:
    """The index entries of cases as the database holds them now (pending changes flushed first).

    The one place index entries are built, so adding and removing always agree.
    """
    session.flush()
    listings = case_listings(session, list(dict.fromkeys(case_ids)))
    return [index_row(i, CaseText.of_listing(listing)) for i, listing in listings.items()]


def _live(session: Session, case_ids: Sequence[int]) -> list[int]:
    if not case_ids:
        return []
    return list(
        session.execute(select(CaseRow.id).where(CaseRow.id.in_(case_ids), CaseRow.deleted_at.is_(None))).scalars()
    )


def reindexing(ctx: ServiceContext, session: Session, case_ids: Sequence[int], change: Callable[[], X]) -> X:
    """Run ``change`` on cases' indexed text, taking their live index entries out and back."""
    live = _live(session, case_ids)
    ctx.index.remove(session, index_rows(session, live))
    result = change()
    ctx.index.add(session, index_rows(session, _live(session, live)))
    return result


class CaseService:
    """Everything done to model cases."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # reading -------------------------------------------------------------------------
    def get(self, uuid: str, *, include_trashed: bool = True) -> ModelCase:
        """The case with ``uuid``."""
        with self.ctx.library.reading() as s:
            row = get_row(s, CaseRow, uuid, what=WHAT, include_trashed=include_trashed)
            return to_case(load_case_rows(s, [row.id])[0])

    def get_many(self, uuids: Sequence[str]) -> list[ModelCase]:
        """Cases by UUID, in the given order (missing ones left out)."""
        with self.ctx.library.reading() as s:
            ids = dict(s.execute(select(CaseRow.uuid, CaseRow.id).where(CaseRow.uuid.in_(uuids))).all())
            return [to_case(r) for r in load_case_rows(s, [ids[u] for u in uuids if u in ids])]

    # writing -------------------------------------------------------------------------
    def create(self, case: ModelCase) -> ModelCase:
        """Add a new case; validation errors name the field at fault."""
        validate_case(case)
        with self.ctx.library.unit_of_work() as s:
            row = CaseRow(uuid=case.uuid, review_status=ReviewStatus.DRAFT.value)
            stamp(row, self.ctx.editor)
            self._apply(s, row, case)
            row.review_status = case.review_status.value
            s.add(row)
            s.flush()
            self.ctx.index.add(s, index_rows(s, [row.id]))
            case_id = row.id
        return self._reload(case_id)

    def update(self, case: ModelCase) -> ModelCase:
        """Save changes to an existing case (refused if someone else changed it meanwhile)."""
        validate_case(case)
        with self.ctx.library.unit_of_work() as s:
            row = get_row(s, CaseRow, case.uuid, what=WHAT)
            check_version(row, case.version, what=_("案例“{t}”").format(t=row.title))
            old_status = ReviewStatus(row.review_status)
            check_review_transition(old_status, case.review_status, case.return_reason)

            def change() -> None:
                self._apply(s, row, case)
                if case.review_status != old_status:
                    self._record_review(s, row, old_status, case.review_status, case.return_reason)
                stamp(row, self.ctx.editor)

            reindexing(self.ctx, s, [row.id], change)
            case_id = row.id
        return self._reload(case_id)

    def set_review_status(self, uuid: str, status: ReviewStatus, reason: str = "") -> ModelCase:
        """Move a case along the review chain (退回 needs a reason)."""
        case = self.get(uuid, include_trashed=False)
        return self.update(replace(case, review_status=status, return_reason=reason))

    def trash(self, uuids: Iterable[str]) -> int:
        """Move cases to the trash (they leave the search index); returns how many moved."""
        with self.ctx.library.unit_of_work() as s:
            rows = [get_row(s, CaseRow, u, what=WHAT) for u in dict.fromkeys(uuids)]
            self.ctx.index.remove(s, index_rows(s, [r.id for r in rows]))
            now = utcnow()
            for r in rows:
                r.deleted_at = now
                stamp(r, self.ctx.editor)
            return len(rows)

    def restore(self, uuids: Iterable[str]) -> int:
        """Bring cases back from the trash."""
        with self.ctx.library.unit_of_work() as s:
            rows = [get_row(s, CaseRow, u, what=WHAT, include_trashed=True) for u in dict.fromkeys(uuids)]
            rows = [r for r in rows if r.deleted_at is not None]
            for r in rows:
                r.deleted_at = None
                stamp(r, self.ctx.editor)
            self.ctx.index.add(s, index_rows(s, [r.id for r in rows]))
            return len(rows)

    def write_snapshots(self, snapshots: Sequence[ModelCase]) -> list[ModelCase]:
        """Make cases look exactly like the given snapshots, in one transaction (undo and redo).

        Versions are not compared (the user is undoing their own change) and the review chain
        may move backwards; each move is still recorded in the review history.
        """
        for case in snapshots:
            validate_case(case)
        with self.ctx.library.unit_of_work() as s:
            rows = [get_row(s, CaseRow, c.uuid, what=WHAT) for c in snapshots]
            loaded = {r.id: r for r in load_case_rows(s, [r.id for r in rows])}

            def change() -> None:
                for row, case in zip(rows, snapshots, strict=True):
                    old_status = ReviewStatus(row.review_status)
                    self._apply(s, loaded[row.id], case)
                    if case.review_status != old_status:
                        self._record_review(s, row, old_status, case.review_status, case.return_reason)
                    stamp(row, self.ctx.editor)

            reindexing(self.ctx, s, [r.id for r in rows], change)
            ids = [r.id for r in rows]
        with self.ctx.library.reading() as s:
            return [to_case(r) for r in load_case_rows(s, ids)]

    def import_photo(self, source: Path) -> str:
        """Copy an image into the library's media folder; returns its file name there."""
        if source.suffix.lower() not in PHOTO_SUFFIXES:
            raise ValidationError(
                [FieldError("photos", _("照片"), _("不支持的图片格式：{name}").format(name=source.name))]
            )
        media = self.ctx.library.media_dir
        media.mkdir(parents=True, exist_ok=True)
        name = f"{new_uuid()}{source.suffix.lower()}"
        shutil.copyfile(source, media / name)
        return name

    def photo_path(self, file_name: str) -> Path:
        """Where a photo of the library is stored."""
        return self.ctx.library.media_dir / file_name

    def review_history(self, uuid: str) -> list[tuple[str, str, str, str, str]]:
        """The case's review moves: (time, by, from, to, reason), oldest first."""
        with self.ctx.library.reading() as s:
            row = get_row(s, CaseRow, uuid, what=WHAT, include_trashed=True)
            events = s.execute(
                select(ReviewEventRow).where(ReviewEventRow.case_id == row.id).order_by(ReviewEventRow.id)
            ).scalars()
            return [(f"{e.at:%Y-%m-%d %H:%M}", e.by, e.from_status, e.to_status, e.reason) for e in events]

    # helpers -------------------------------------------------------------------------
    def _reload(self, case_id: int) -> ModelCase:
        with self.ctx.library.reading() as s:
            return to_case(load_case_rows(s, [case_id])[0])

    def _record_review(self, s: Session, row: CaseRow, old: ReviewStatus, new: ReviewStatus, reason: str) -> None:
        s.add(
            ReviewEventRow(
                case_id=row.id,
                from_status=old.value,
                to_status=new.value,
                reason=reason,
                at=utcnow(),
                by=self.ctx.editor.label,
            )
        )

    def _apply(self, s: Session, row: CaseRow, case: ModelCase) -> None:
        row.title = case.title.strip()
        row.subtitle = case.subtitle.strip()
        row.basic_situation = case.basic_situation
        row.practices = case.practices
        row.outcomes = case.outcomes
        row.lessons = case.lessons
        row.source = case.source
        row.source_url = case.source_url
        row.reported_on = case.reported_on
        row.review_status = case.review_status.value
        row.return_reason = case.return_reason
        row.is_demo = case.is_demo
        row.model_type = get_row(s, ModelTypeRow, case.model_type.uuid, what=_("模式类型")) if case.model_type else None
        row.pilot = get_row(s, PilotRow, case.pilot.uuid, what=_("试点")) if case.pilot else None
        regions = [get_row(s, RegionRow, u, what=_("地区")) for u in _unique(p.uuid for p in case.places)]
        row.places = [CasePlace(region=r, position=i) for i, r in enumerate(regions)]
        themes = [get_row(s, ThemeRow, u, what=_("主题")) for u in _unique(t.uuid for t in case.themes)]
        row.themes = [CaseTheme(theme=t, position=i) for i, t in enumerate(themes)]
        tags = [tag_row(s, name, self.ctx) for name in dict.fromkeys(t.strip() for t in case.tags if t.strip())]
        row.tags = [CaseTag(tag=t, position=i) for i, t in enumerate(tags)]
        figures = {f.uuid: f for f in case.figures}
        indicators = {
            f.uuid: get_row(s, IndicatorRow, f.indicator.uuid, what=_("指标")) for f in case.figures if f.indicator
        }

        def set_figure(row: FigureRow, f: Figure, position: int) -> None:
            row.position, row.label, row.value, row.unit = position, f.label.strip(), f.value, f.unit.strip()
            row.period, row.qualifier, row.source = f.period.strip(), f.qualifier, f.source
            row.indicator = indicators.get(f.uuid)

        def set_photo(row: PhotoRow, p: Photo, position: int) -> None:
            row.position, row.file_name, row.caption, row.credit = position, p.file_name, p.caption, p.credit

        row.figures = sync_children(row.figures, list(figures.values()), set_figure, FigureRow)
        row.photos = sync_children(row.photos, case.photos, set_photo, PhotoRow)


def _unique(items: Iterable[X]) -> list[X]:
    return list(dict.fromkeys(items))


def tag_row(s: Session, name: str, ctx: ServiceContext) -> TagRow:
    """The live tag called ``name``, created if new (or brought back from the trash)."""
    row = s.execute(select(TagRow).where(TagRow.name == name)).scalar_one_or_none()
    if row is None:
        row = TagRow(uuid=new_uuid(), name=name)
        stamp(row, ctx.editor)
        s.add(row)
        s.flush()  # the next case of the same save must find it
    elif row.deleted_at is not None:
        row.deleted_at = None
        stamp(row, ctx.editor)
    return row


def require_case_ids(s: Session, uuids: Sequence[str]) -> list[int]:
    """Ids of live cases by UUID; ``NotFoundError`` for any unknown one."""
    ids = dict(s.execute(select(CaseRow.uuid, CaseRow.id).where(CaseRow.uuid.in_(uuids))).all())
    missing = [u for u in uuids if u not in ids]
    if missing:
        raise NotFoundError(_("找不到案例：{ids}").format(ids="，".join(missing)))
    return [ids[u] for u in uuids]
