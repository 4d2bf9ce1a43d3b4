"""Model cases: create, read, update, review moves, trash and restore — index kept in step."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desktop.domain.bulk import BulkChange
from desktop.domain.changes import Action, RecordKind
from desktop.domain.enums import ReviewStatus
from desktop.domain.i18n import _
from desktop.domain.records import Figure, ModelCase, Photo, new_uuid
from desktop.domain.validation import FieldError, ValidationError, check_review_transition, validate_case
from desktop.files import atomic_write
from desktop.search.document import CaseText, IndexRow, index_row
from desktop.services.context import NotFoundError, Op, ServiceContext, check_version, get_row, stamp, sync_children
from desktop.services.writing import write
from desktop.store.changelog import recorder
from desktop.store.mapping import load_case_rows, to_case
from desktop.store.media import PhotoJournal
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
    Tracked,
    utcnow,
)

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff")
X = TypeVar("X")
R = TypeVar("R", bound=Tracked)


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
            row = get_row(s, CaseRow, uuid, what=_("案例"), include_trashed=include_trashed)
            return to_case(load_case_rows(s, [row.id])[0])

    def get_many(self, uuids: Sequence[str]) -> list[ModelCase]:
        """Cases by UUID, in the given order (missing ones left out)."""
        with self.ctx.library.reading() as s:
            ids = dict(s.execute(select(CaseRow.uuid, CaseRow.id).where(CaseRow.uuid.in_(uuids))).all())
            return [to_case(r) for r in load_case_rows(s, [ids[u] for u in uuids if u in ids])]

    # writing -------------------------------------------------------------------------
    def create(self, case: ModelCase) -> Op[ModelCase]:
        """Add a new case (undoable); validation errors name the field at fault."""
        validate_case(case)
        with write(self.ctx, _("新建案例")) as w:
            s = w.session
            w.track_new(RecordKind.CASE, [case.uuid])
            row = CaseRow(uuid=case.uuid, review_status=ReviewStatus.DRAFT.value)
            stamp(row, self.ctx.editor)
            self.apply_to_row(s, row, case)
            row.review_status = case.review_status.value
            s.add(row)
            s.flush()
            self.ctx.index.add(s, index_rows(s, [row.id]))
            case_id = row.id
        return Op(self._reload(case_id), w.changes)

    def create_in(self, s: Session, cases: Sequence[ModelCase]) -> list[int]:
        """Add new cases inside the caller's unit of work (a batch that commits or fails as one),
        index entries included, as ``create`` does for one case; returns their row ids in order."""
        for case in cases:
            validate_case(case)
        now, by = utcnow(), self.ctx.editor.label
        return insert_new_cases(self.ctx, s, cases, [Stamp(now, now, by)] * len(cases), RowLookup(s, self.ctx))

    def update(self, case: ModelCase, *, label: str | None = None) -> Op[ModelCase]:
        """Save changes to a case read at ``case.version`` (undoable). Refused with
        ``ConcurrentEditError`` — carrying the case as stored now — when someone else changed it
        meanwhile; a review move must be one the chain allows."""
        validate_case(case)
        with write(self.ctx, label or _("编辑案例")) as w:
            s = w.session
            row = get_row(s, CaseRow, case.uuid, what=_("案例"))
            check_version(
                row,
                case.version,
                what=_("案例“{t}”").format(t=row.title),
                kind=RecordKind.CASE,
                current=lambda: to_case(load_case_rows(s, [row.id])[0]),
            )
            w.track(RecordKind.CASE, [case.uuid])
            self._write(s, row, case)
            case_id = row.id
        return Op(self._reload(case_id), w.changes)

    def _write(self, s: Session, row: CaseRow, case: ModelCase, *, checked: bool = True) -> None:
        """Make a live case row what ``case`` says (index kept in step; a review move recorded)."""
        old_status = ReviewStatus(row.review_status)
        if checked:
            check_review_transition(old_status, case.review_status, case.return_reason)

        def change() -> None:
            self.apply_to_row(s, row, case)
            if case.review_status != old_status:
                self._record_review(s, row, old_status, case.review_status, case.return_reason)
            stamp(row, self.ctx.editor)

        reindexing(self.ctx, s, [row.id], change)

    def set_review_status(self, uuid: str, status: ReviewStatus, reason: str = "", *, version: int) -> Op[ModelCase]:
        """Move a case read at ``version`` along the review chain (退回 needs a reason; undoable)."""
        case = self.get(uuid, include_trashed=False)
        reason = reason.strip() if status == ReviewStatus.RETURNED else ""
        moved = replace(case, review_status=status, return_reason=reason, version=version)
        return self.update(moved, label=_("审核：{status}").format(status=status.value))

    def bulk_edit(self, uuids: Sequence[str], change: BulkChange) -> Op[int]:
        """Apply one change to every case ``uuids`` in one transaction (read and written together, so
        nothing another writer saved is overwritten); undoable as one step. Returns how many changed."""
        wanted = list(dict.fromkeys(uuids))
        with write(self.ctx, _("批量编辑 {n} 个案例").format(n=len(wanted))) as w:
            s = w.session
            ids = require_case_ids(s, wanted)
            rows = load_case_rows(s, ids)
            changed: list[tuple[CaseRow, ModelCase]] = []
            for row in rows:
                if row.deleted_at is not None:
                    continue
                before = to_case(row)
                after = change.apply(before)
                if after != before:
                    validate_case(after)
                    changed.append((row, after))
            w.track(RecordKind.CASE, [r.uuid for r, _c in changed])
            for row, after in changed:
                self._write(s, row, after)
        return Op(len(changed), w.changes)

    def trash(self, uuids: Iterable[str]) -> Op[int]:
        """Move cases to the trash (they leave the search index; undoable); returns how many moved."""
        wanted = list(dict.fromkeys(uuids))
        with write(self.ctx, _("删除 {n} 个案例").format(n=len(wanted))) as w:
            s = w.session
            rows = [get_row(s, CaseRow, u, what=_("案例")) for u in wanted]
            w.track(RecordKind.CASE, wanted)
            self.ctx.index.remove(s, index_rows(s, [r.id for r in rows]))
            now = utcnow()
            for r in rows:
                r.deleted_at = now
                stamp(r, self.ctx.editor)
        return Op(len(rows), w.changes)

    def restore(self, uuids: Iterable[str]) -> Op[int]:
        """Bring cases back from the trash (undoable)."""
        wanted = list(dict.fromkeys(uuids))
        with write(self.ctx, _("恢复 {n} 个案例").format(n=len(wanted))) as w:
            s = w.session
            rows = [get_row(s, CaseRow, u, what=_("案例"), include_trashed=True) for u in wanted]
            rows = [r for r in rows if r.deleted_at is not None]
            w.track(RecordKind.CASE, [r.uuid for r in rows])
            for r in rows:
                r.deleted_at = None
                stamp(r, self.ctx.editor)
            self.ctx.index.add(s, index_rows(s, [r.id for r in rows]))
        return Op(len(rows), w.changes)

    def write_state(self, s: Session, state: ModelCase) -> None:
        """Make a stored case exactly what ``state`` says, trash included (undo and redo; the caller
        checked versions). The review chain may move backwards; each move is still recorded."""
        row = s.execute(select(CaseRow).where(CaseRow.uuid == state.uuid)).scalar_one()
        if row.deleted_at is None:
            self.ctx.index.remove(s, index_rows(s, [row.id]))
        loaded = load_case_rows(s, [row.id])[0]
        old_status = ReviewStatus(loaded.review_status)
        self.apply_to_row(s, loaded, state)
        if state.review_status != old_status:
            self._record_review(s, loaded, old_status, state.review_status, state.return_reason)
        loaded.deleted_at = state.deleted_at
        stamp(loaded, self.ctx.editor)
        if state.deleted_at is None:
            self.ctx.index.add(s, index_rows(s, [row.id]))

    def import_photo(self, source: Path) -> str:
        """Copy an image into the library's media folder; returns its file name there."""
        if source.suffix.lower() not in PHOTO_SUFFIXES:
            raise ValidationError(
                [FieldError("photos", _("照片"), _("不支持的图片格式：{name}").format(name=source.name))]
            )
        name = f"{new_uuid()}{source.suffix.lower()}"
        # Until a save refers to it, the file is this process's: entered in its journal, it is removed
        # after the process ends if no save ever did.
        target = _editing_journal(self.ctx.library.media_dir).add(name)
        with atomic_write(target) as tmp:
            shutil.copyfile(source, tmp)
        return name

    def photo_path(self, file_name: str) -> Path:
        """Where a photo of the library is stored."""
        return self.ctx.library.media_dir / file_name

    def review_history(self, uuid: str) -> list[tuple[str, str, str, str, str]]:
        """The case's review moves: (time, by, from, to, reason), oldest first."""
        with self.ctx.library.reading() as s:
            row = get_row(s, CaseRow, uuid, what=_("案例"), include_trashed=True)
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

    def apply_to_row(self, s: Session, row: CaseRow, case: ModelCase, lookup: RowLookup | None = None) -> None:
        """Set a case row's fields, places, themes, tags, figures and photos from a record
        (the caller validates, stamps and keeps the index in step); ``lookup`` finds the rows it refers to."""
        find = lookup or RowLookup(s, self.ctx)
        for name, value in case_columns(case).items():
            setattr(row, name, value)
        row.model_type = find.row(ModelTypeRow, case.model_type.uuid, _("模式类型")) if case.model_type else None
        row.pilot = find.row(PilotRow, case.pilot.uuid, _("试点")) if case.pilot else None
        # Lists left as they are when they say the same (so a change set names only what changed).
        regions = [find.row(RegionRow, u, _("地区")) for u in _unique(p.uuid for p in case.places)]
        if [p.region for p in row.places] != regions:
            row.places = [CasePlace(region=r, position=i) for i, r in enumerate(regions)]
        themes = [find.row(ThemeRow, u, _("主题")) for u in _unique(t.uuid for t in case.themes)]
        if [t.theme for t in row.themes] != themes:
            row.themes = [CaseTheme(theme=t, position=i) for i, t in enumerate(themes)]
        tags = [find.tag(name) for name in dict.fromkeys(t.strip() for t in case.tags if t.strip())]
        if [t.tag for t in row.tags] != tags:
            row.tags = [CaseTag(tag=t, position=i) for i, t in enumerate(tags)]
        figures = {f.uuid: f for f in case.figures}
        indicators = {
            f.uuid: get_row(s, IndicatorRow, f.indicator.uuid, what=_("指标")) for f in case.figures if f.indicator
        }

        def set_figure(row: FigureRow, f: Figure, position: int) -> None:
            for name, value in figure_columns(f, position).items():
                setattr(row, name, value)
            row.indicator = indicators.get(f.uuid)

        def set_photo(row: PhotoRow, p: Photo, position: int) -> None:
            for name, value in photo_columns(p, position).items():
                setattr(row, name, value)

        row.figures = sync_children(row.figures, list(figures.values()), set_figure, FigureRow)
        row.photos = sync_children(row.photos, case.photos, set_photo, PhotoRow)


def edit_fields(case: ModelCase, values: dict[str, str], *, version: int) -> ModelCase:
    """The case with text fields set from ``values`` (``tags`` separated by 、 or commas), to be saved
    as an edit of ``version``."""
    changed: dict[str, Any] = dict(values)
    if "tags" in changed:
        changed["tags"] = [t.strip() for t in re.split(r"[,，、;；]", changed["tags"]) if t.strip()]
    return replace(case, **changed, version=version)


def case_columns(case: ModelCase) -> dict[str, Any]:
    """The plain columns of a case's row (text trimmed where the editor trims it)."""
    return {
        "title": case.title.strip(),
        "subtitle": case.subtitle.strip(),
        "basic_situation": case.basic_situation,
        "practices": case.practices,
        "outcomes": case.outcomes,
        "lessons": case.lessons,
        "source": case.source,
        "source_url": case.source_url,
        "reported_on": case.reported_on,
        "review_status": case.review_status.value,
        "return_reason": case.return_reason,
        "is_demo": case.is_demo,
    }


def figure_columns(f: Figure, position: int) -> dict[str, Any]:
    """The plain columns of a figure's row."""
    return {
        "position": position,
        "label": f.label.strip(),
        "value": f.value,
        "unit": f.unit.strip(),
        "period": f.period.strip(),
        "qualifier": f.qualifier,
        "source": f.source,
    }


def photo_columns(p: Photo, position: int) -> dict[str, Any]:
    """The plain columns of a photo's row."""
    return {"position": position, "file_name": p.file_name, "caption": p.caption, "credit": p.credit}


@dataclass(frozen=True)
class Stamp:
    """Who wrote a record and when (kept as they were when records come from another library)."""

    created_at: datetime
    updated_at: datetime
    updated_by: str


def insert_new_cases(
    ctx: ServiceContext, s: Session, cases: Sequence[ModelCase], stamps: Sequence[Stamp], lookup: RowLookup
) -> list[int]:
    """Add many new, already validated cases inside the caller's transaction with bulk inserts
    (the same columns as ``apply_to_row`` writes), index entries included; returns their row ids."""
    if not cases:
        return []
    lookup.load(cases)
    conn = s.connection()
    rows = []
    for case, st in zip(cases, stamps, strict=True):
        rows.append(
            case_columns(case)
            | {
                "uuid": case.uuid,
                "model_type_id": lookup.row(ModelTypeRow, case.model_type.uuid, _("模式类型")).id
                if case.model_type
                else None,
                "pilot_id": lookup.row(PilotRow, case.pilot.uuid, _("试点")).id if case.pilot else None,
                "created_at": st.created_at,
                "updated_at": st.updated_at,
                "updated_by": st.updated_by,
                "version": 1,
                "deleted_at": None,
            }
        )
    conn.execute(insert(CaseRow), rows)
    recorder(s).note(RecordKind.CASE, [c.uuid for c in cases], Action.CREATED)  # bulk inserts bypass the ORM
    ids: dict[str, int] = {}
    for part in _parts([c.uuid for c in cases]):
        ids.update(conn.execute(select(CaseRow.uuid, CaseRow.id).where(CaseRow.uuid.in_(part))).all())
    places, themes, tags, figures, photos = [], [], [], [], []
    indicator_ids = {
        u: r.id
        for u, r in (
            (f.indicator.uuid, lookup.row(IndicatorRow, f.indicator.uuid, _("指标")))
            for c in cases
            for f in c.figures
            if f.indicator
        )
    }
    for case in cases:
        case_id = ids[case.uuid]
        for i, u in enumerate(_unique(p.uuid for p in case.places)):
            places.append({"case_id": case_id, "region_id": lookup.row(RegionRow, u, _("地区")).id, "position": i})
        for i, u in enumerate(_unique(t.uuid for t in case.themes)):
            themes.append({"case_id": case_id, "theme_id": lookup.row(ThemeRow, u, _("主题")).id, "position": i})
        for i, name in enumerate(dict.fromkeys(t.strip() for t in case.tags if t.strip())):
            tags.append({"case_id": case_id, "tag_id": lookup.tag(name).id, "position": i})
        for i, f in enumerate({f.uuid: f for f in case.figures}.values()):
            indicator = indicator_ids[f.indicator.uuid] if f.indicator else None
            figures.append(figure_columns(f, i) | {"uuid": f.uuid, "case_id": case_id, "indicator_id": indicator})
        for i, p in enumerate(case.photos):
            photos.append(photo_columns(p, i) | {"uuid": p.uuid, "case_id": case_id})
    for table, values in (
        (CasePlace, places),
        (CaseTheme, themes),
        (CaseTag, tags),
        (FigureRow, figures),
        (PhotoRow, photos),
    ):
        if values:
            conn.execute(insert(table), values)
    case_ids = [ids[c.uuid] for c in cases]
    ctx.index.add(s, index_rows(s, case_ids))
    return case_ids


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


class RowLookup:
    """Finds the rows a case refers to (model type, pilot, places, themes, tags) in one session.

    By itself it asks the database each time; ``load`` first fetches every reference of a batch of
    cases with one query per kind (and creates their new tags), so a batch of thousands of cases is
    not thousands of queries. Rows in the trash are still refused, as ``get_row`` refuses them.
    """

    def __init__(self, s: Session, ctx: ServiceContext) -> None:
        self.s, self.ctx = s, ctx
        self._rows: dict[tuple[type[Any], str], Any] = {}
        self._tags: dict[str, TagRow] = {}

    def row(self, cls: type[R], uuid: str, what: str) -> R:
        """The live row of ``cls`` with ``uuid``; ``NotFoundError`` naming ``what`` otherwise."""
        found: R | None = self._rows.get((cls, uuid))
        if found is None or found.deleted_at is not None:
            found = self._rows[(cls, uuid)] = get_row(self.s, cls, uuid, what=what)
        return found

    def tag(self, name: str) -> TagRow:
        """The live tag called ``name``, created if new (or brought back from the trash)."""
        found = self._tags.get(name)
        if found is None or found.deleted_at is not None:
            found = self._tags[name] = tag_row(self.s, name, self.ctx)
        return found

    def load(self, cases: Sequence[ModelCase]) -> None:
        """Fetch every row ``cases`` refer to, and create the tags that are new."""
        wanted: dict[type[Any], set[str]] = {
            ModelTypeRow: {c.model_type.uuid for c in cases if c.model_type},
            PilotRow: {c.pilot.uuid for c in cases if c.pilot},
            RegionRow: {p.uuid for c in cases for p in c.places},
            ThemeRow: {t.uuid for c in cases for t in c.themes},
        }
        for cls, uuids in wanted.items():
            for part in _parts(sorted(uuids)):
                for r in self.s.execute(select(cls).where(cls.uuid.in_(part))).scalars():
                    self._rows[(cls, r.uuid)] = r
        names = sorted({t.strip() for c in cases for t in c.tags if t.strip()})
        for part in _parts(names):
            self._tags.update(
                (r.name, r) for r in self.s.execute(select(TagRow).where(TagRow.name.in_(part))).scalars()
            )
        for name in names:
            self.tag(name)


def _parts(items: Sequence[X], size: int = 500) -> Iterator[Sequence[X]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def require_case_ids(s: Session, uuids: Sequence[str]) -> list[int]:
    """Ids of live cases by UUID; ``NotFoundError`` for any unknown one."""
    ids = dict(s.execute(select(CaseRow.uuid, CaseRow.id).where(CaseRow.uuid.in_(uuids))).all())
    missing = [u for u in uuids if u not in ids]
    if missing:
        raise NotFoundError(_("找不到案例：{ids}").format(ids=_("，").join(missing)))
    return [ids[u] for u in uuids]


_EDITING_JOURNALS: dict[Path, PhotoJournal] = {}


def _editing_journal(media: Path) -> PhotoJournal:
    """The journal of the photos this process added to a media folder for cases being edited; it
    lives as long as the process (see ``desktop.store.media``)."""
    journal = _EDITING_JOURNALS.get(media)
    if journal is None:
        journal = _EDITING_JOURNALS[media] = PhotoJournal(media)
    return journal
