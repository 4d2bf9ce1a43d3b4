"""Looking after a library: integrity check, backup and restore, the trash, rebuilding the index."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from sqlalchemy import Delete, delete, func, select, text, update
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from desktop.domain.changes import Action, RecordKind, kind_label
from desktop.domain.i18n import _
from desktop.domain.records import TrashEntry
from desktop.files import atomic_write, explain_os_error, stale_temporaries, sweep_folder, sweep_temporaries
from desktop.search.index import digest
from desktop.services.cases import CaseService, index_rows
from desktop.services.catalog import RegionService, vocabulary_in_use
from desktop.services.context import InUseError, NotFoundError, Op, ServiceContext, get_row, stamp
from desktop.services.writing import write
from desktop.store.changelog import ROW_OF, recorder
from desktop.store.db import (
    FileAccessError,
    LibraryInUseError,
    NotALibraryError,
    Progress,
    backup_file,
    checkpoint,
    is_busy,
    others_have_open,
    probe,
    schema_head,
)
from desktop.store.media import (
    JOURNAL_DIR,
    audit,
    copy_photos,
    media_dir_of,
    pending_journal,
    photo_names_in,
    recover,
)
from desktop.store.schema import (
    AdoptionRow,
    CasePlace,
    CaseRow,
    CaseTheme,
    DesignationRow,
    ExperimentRow,
    FigureRow,
    IndicatorRow,
    ModelTypeRow,
    ObservationRow,
    PilotPlace,
    PilotRow,
    RegionRow,
    SavedSearchRow,
    SearchDigestRow,
    TagRow,
    ThemeRow,
    Tracked,
    utcnow,
)

_BATCH = 1000

# What the trash lists: the kind of record and the column naming it.
_TRASHABLE: list[tuple[RecordKind, str]] = [
    (RecordKind.CASE, "title"),
    (RecordKind.PILOT, "name"),
    (RecordKind.EXPERIMENT, "title"),
    (RecordKind.ADOPTION, "note"),
    (RecordKind.REGION, "full_name"),
    (RecordKind.DESIGNATION, "label"),
    (RecordKind.THEME, "name"),
    (RecordKind.MODEL_TYPE, "name"),
    (RecordKind.TAG, "name"),
    (RecordKind.INDICATOR, "name"),
    (RecordKind.SAVED_SEARCH, "name"),
    (RecordKind.OBSERVATION, "period"),
]


class MaintenanceService:
    """Check, back up, restore, empty the trash, rebuild the search index."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def check(self) -> list[str]:
        """Problems found in the library; an empty list means it is sound.

        A file so damaged that a check cannot even read it is reported as a problem too; only
        a lock held by another program (or a file that cannot be opened) is raised.
        """
        problems: list[str] = []
        try:
            with self.ctx.library.reading() as s:
                result = [r[0] for r in s.execute(text("PRAGMA integrity_check")).all()]
                if result != ["ok"]:
                    problems.extend(_("数据库结构损坏：{m}").format(m=m) for m in result[:20])
                for table, rowid, parent, _fk in s.execute(text("PRAGMA foreign_key_check")).all()[:20]:
                    problems.append(_("表 {t} 第 {r} 行引用了不存在的 {p} 记录").format(t=table, r=rowid, p=parent))
                revision = s.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if revision != schema_head():
                    problems.append(_("结构版本 {a} 与软件版本 {b} 不一致").format(a=revision, b=schema_head()))
                problems.extend(_("检索索引损坏：{m}").format(m=m) for m in self.ctx.index.integrity_problems(s))
                live = s.execute(
                    select(func.count()).select_from(CaseRow).where(CaseRow.deleted_at.is_(None))
                ).scalar_one()
                indexed = max(self.ctx.index.indexed_counts(s))
                if any(n != live for n in self.ctx.index.indexed_counts(s)):
                    problems.append(
                        _("检索索引收录 {i} 个案例，而库中有 {n} 个；请运行 casebook check --repair 重建索引").format(
                            i=indexed, n=live
                        )
                    )
            if not problems:  # the entries themselves, case by case, against the text as it is now
                problems.extend(self.index_problems())
            problems.extend(self.file_problems())
        except OperationalError:
            raise
        except DatabaseError as exc:
            problems.append(_("数据库文件已损坏，检查无法继续：{m}").format(m=exc.orig))
        return problems

    def file_problems(self) -> list[str]:
        """The library's files against its rows: photos nothing refers to, photos missing, and the
        temporaries or unfinished photo writes of processes that are no longer running."""
        library = self.ctx.library
        media = library.media_dir
        found = audit(media, library.photo_names())
        problems = []
        if found.missing:
            problems.append(
                _("{n} 张照片的文件不在照片文件夹 {d} 中（如 {f}）").format(
                    n=len(found.missing), d=media, f=found.missing[0]
                )
            )
        if found.orphans:
            problems.append(
                _("照片文件夹中有 {n} 个文件不属于任何案例（如 {f}）；casebook check --repair 会删除它们").format(
                    n=len(found.orphans), f=found.orphans[0].name
                )
            )
        leftovers = self._leftovers()
        if leftovers:
            problems.append(
                _("有 {n} 个中断的写入留下的临时文件（如 {f}）；casebook check --repair 会删除它们").format(
                    n=len(leftovers), f=leftovers[0]
                )
            )
        return problems

    def _leftovers(self) -> list[Path]:
        library = self.ctx.library
        media = library.media_dir
        journals = [j for j in (media / JOURNAL_DIR).glob("*") if j.is_file() and not pending_journal(j)]
        return stale_temporaries(library.path.parent) + stale_temporaries(media) + journals

    def repair_files(self) -> tuple[int, int]:
        """Finish what killed processes left (their photo writes, their temporaries) and remove the
        photo files nothing refers to; returns (photo files removed, temporaries removed)."""
        library = self.ctx.library
        media = library.media_dir
        rolled_back = recover(media, library.referenced_photos)
        temporaries = sweep_folder(library.path.parent) + sweep_folder(media) + sweep_temporaries()
        orphans = audit(media, library.photo_names()).orphans
        for path in orphans:
            _remove_quietly(path)
        return len(rolled_back) + len(orphans), len(temporaries)

    def index_problems(self) -> list[str]:
        """Cases whose index entry does not match their text now (or that have none), and entries of
        cases that are gone or in the trash; an empty list when the index is exact."""
        problems: list[str] = []
        with self.ctx.library.reading() as s:
            live_cases = select(CaseRow.id).where(CaseRow.deleted_at.is_(None)).order_by(CaseRow.id)
            live = s.execute(live_cases).scalars().all()
            stale = missing = 0
            for start in range(0, len(live), _BATCH):
                chunk = live[start : start + _BATCH]
                stored = self.ctx.index.digests(s, chunk)
                for row in index_rows(s, chunk):
                    if row.case_id not in stored:
                        missing += 1
                    elif stored[row.case_id] != digest(row):
                        stale += 1
            extra = s.execute(
                select(func.count())
                .select_from(SearchDigestRow)
                .outerjoin(CaseRow, CaseRow.id == SearchDigestRow.case_id)
                .where((CaseRow.id.is_(None)) | CaseRow.deleted_at.is_not(None))
            ).scalar_one()
            if not self.ctx.index.is_current(s):
                problems.append(_("检索索引由旧版本建立，需要重建"))
        if stale:
            problems.append(_("{n} 个案例的检索索引与正文不一致").format(n=stale))
        if missing:
            problems.append(_("{n} 个案例没有编入检索索引").format(n=missing))
        if extra:
            problems.append(_("检索索引中有 {n} 个已删除或在回收站中的案例").format(n=extra))
        if problems:
            problems.append(_("请运行 casebook check --repair 重建检索索引"))
        return problems

    def index_is_current(self) -> bool:
        """Whether the search index was built by this version's tokeniser (else it must be rebuilt)."""
        with self.ctx.library.reading() as s:
            return self.ctx.index.is_current(s)

    def ensure_index(self, progress: Progress | None = None) -> bool:
        """Rebuild the index if it was built by another version's tokeniser; True if rebuilt."""
        if self.index_is_current():
            return False
        self.rebuild_index(progress)
        return True

    def rebuild_index(self, progress: Progress | None = None) -> int:
        """Drop and rebuild the search index from the live cases; returns how many were indexed.
        ``progress(done, total, what)`` hears of each batch."""
        done = 0
        with self.ctx.library.unit_of_work() as s:
            self.ctx.index.clear(s)
            ids = s.execute(select(CaseRow.id).where(CaseRow.deleted_at.is_(None)).order_by(CaseRow.id)).scalars().all()
            for start in range(0, len(ids), _BATCH):
                if progress is not None:
                    progress(start, len(ids), _("正在重建检索索引"))
                rows = index_rows(s, ids[start : start + _BATCH])
                self.ctx.index.add(s, rows)
                done += len(rows)
            self.ctx.index.mark_current(s)
        if progress is not None:
            progress(len(ids), len(ids), _("正在重建检索索引"))
        return done

    def backup(self, target: Path, *, overwrite: bool = False) -> Path:
        """Write a consistent copy of the library to ``target`` and its photos to ``<target>.media``.

        The copy is itself a library (open it, or ``restore`` from it). A damaged library is refused
        (its damage would be copied); a target that cannot be written raises ``FileAccessError``
        naming it, with nothing left behind.
        """
        target = target.expanduser()
        if target.is_dir():
            raise FileAccessError(target, _("这是一个文件夹"))
        if target.exists() and not overwrite:
            raise FileExistsError(_("目标文件已存在：{p}").format(p=target))
        library = self.ctx.library.path
        if target.resolve() == library.resolve():
            raise FileAccessError(target, _("不能备份到案例库文件自身"))
        probe(library, thorough=True)  # DamagedLibraryError: nothing is copied
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with atomic_write(target) as tmp:
                backup_file(library, tmp)
                # the photos the copy refers to, taken from the copy itself (an import may add more meanwhile)
                copy_photos(self.ctx.library.media_dir, media_dir_of(target), photo_names_in(tmp))
        except FileAccessError as exc:
            raise FileAccessError(target, exc.reason) from exc
        except OSError as exc:
            raise FileAccessError(target, explain_os_error(exc)) from exc
        return target

    def trash(self) -> list[TrashEntry]:
        """Everything in the trash, most recently deleted first."""
        out: list[TrashEntry] = []
        with self.ctx.library.reading() as s:
            for kind, name_col in _TRASHABLE:
                cls = ROW_OF[kind]
                rows = s.execute(
                    select(cls.uuid, getattr(cls, name_col), cls.deleted_at).where(cls.deleted_at.is_not(None))
                )
                out.extend(TrashEntry(kind, u, str(n or ""), d) for u, n, d in rows)
        return sorted(out, key=lambda e: e.deleted_at, reverse=True)

    def move_to_trash(self, kind: RecordKind, uuid: str) -> Op[None]:
        """Move any record to the trash by its kind (undoable).

        Cases leave the search index; a region, theme, model type, tag or indicator still used
        by live records is refused with a message saying how many use it.
        """
        if kind == RecordKind.CASE:
            return Op(None, CaseService(self.ctx).trash([uuid]).changes)
        if kind == RecordKind.REGION:
            return RegionService(self.ctx).trash(uuid)
        cls = _trashable_class(kind)
        with write(self.ctx, _("删除{kind}").format(kind=kind_label(kind))) as w:
            row = get_row(w.session, cls, uuid, what=kind_label(kind))
            users = vocabulary_in_use(w.session, row)
            if users:
                raise InUseError(_("该{kind}仍被 {n} 条记录使用，不能删除").format(kind=kind_label(kind), n=users))
            w.track(kind, [uuid])
            row.deleted_at = utcnow()
            stamp(row, self.ctx.editor)
        return Op(None, w.changes)

    def restore(self, entries: Sequence[tuple[RecordKind, str]]) -> Op[int]:
        """Bring records of any kind back from the trash, in one undoable step; returns how many came back."""
        with write(self.ctx, _("恢复 {n} 条记录").format(n=len(entries))) as w:
            s = w.session
            cases: list[CaseRow] = []
            restored = 0
            for kind, uuid in entries:
                row = get_row(s, _trashable_class(kind), uuid, what=kind_label(kind), include_trashed=True)
                if row.deleted_at is None:
                    continue
                w.track(kind, [uuid])
                row.deleted_at = None
                stamp(row, self.ctx.editor)
                restored += 1
                if isinstance(row, CaseRow):
                    cases.append(row)
            self.ctx.index.add(s, index_rows(s, [r.id for r in cases]))
        return Op(restored, w.changes)

    def empty_trash(self) -> Op[int]:
        """Delete for good everything in the trash; returns how many records went. Not undoable: the
        undo history is cleared, since its steps may name records that are gone."""
        removed = 0
        with write(self.ctx) as w:
            s = w.session
            purged = {kind: self._trashed_uuids(s, kind) for kind, _col in _TRASHABLE}
            trashed_pilots = select(PilotRow.id).where(PilotRow.deleted_at.is_not(None))
            s.execute(update(CaseRow).where(CaseRow.pilot_id.in_(trashed_pilots)).values(pilot_id=None))
            for cls in (AdoptionRow, CaseRow, ObservationRow, DesignationRow):
                removed += _delete(s, delete(cls).where(cls.deleted_at.is_not(None)))
            removed += _delete(
                s,
                delete(ExperimentRow).where(
                    (ExperimentRow.deleted_at.is_not(None)) | ExperimentRow.pilot_id.in_(trashed_pilots)
                ),
            )
            removed += _delete(s, delete(PilotRow).where(PilotRow.deleted_at.is_not(None)))
            removed += _delete(
                s,
                delete(ModelTypeRow).where(
                    ModelTypeRow.deleted_at.is_not(None),
                    ModelTypeRow.id.not_in(select(CaseRow.model_type_id).where(CaseRow.model_type_id.is_not(None))),
                ),
            )
            removed += _delete(
                s,
                delete(IndicatorRow).where(
                    IndicatorRow.deleted_at.is_not(None),
                    IndicatorRow.id.not_in(select(ObservationRow.indicator_id)),
                    IndicatorRow.id.not_in(select(FigureRow.indicator_id).where(FigureRow.indicator_id.is_not(None))),
                ),
            )
            removed += _delete(s, delete(SavedSearchRow).where(SavedSearchRow.deleted_at.is_not(None)))
            for _round in range(5):  # sub-themes before their parents
                removed += _delete(
                    s,
                    delete(ThemeRow).where(
                        ThemeRow.deleted_at.is_not(None),
                        ThemeRow.id.not_in(select(CaseTheme.theme_id)),
                        ThemeRow.id.not_in(select(ThemeRow.parent_id).where(ThemeRow.parent_id.is_not(None))),
                    ),
                )
            used_tags = select(text("tag_id")).select_from(text("case_tag"))
            removed += _delete(s, delete(TagRow).where(TagRow.deleted_at.is_not(None), TagRow.id.not_in(used_tags)))
            used_regions = select(CasePlace.region_id).union(
                select(PilotPlace.region_id),
                select(AdoptionRow.region_id),
                select(ObservationRow.region_id),
                select(DesignationRow.region_id),
            )
            for _round in range(5):  # villages before towns
                children = select(RegionRow.parent_id).where(RegionRow.parent_id.is_not(None))
                removed += _delete(
                    s,
                    delete(RegionRow).where(
                        RegionRow.deleted_at.is_not(None),
                        RegionRow.id.not_in(used_regions),
                        RegionRow.id.not_in(children),
                    ),
                )
            rec = recorder(s)
            for kind, uuids in purged.items():
                table = ROW_OF[kind]
                left = set(s.execute(select(table.uuid).where(table.uuid.in_(uuids))).scalars()) if uuids else set()
                rec.note(kind, [u for u in uuids if u not in left], Action.PURGED)
        self.ctx.history.clear()
        return Op(removed, w.changes)

    @staticmethod
    def _trashed_uuids(s: Session, kind: RecordKind) -> list[str]:
        cls = ROW_OF[kind]
        return list(s.execute(select(cls.uuid).where(cls.deleted_at.is_not(None))).scalars())


def _trashable_class(kind: RecordKind) -> type[Tracked]:
    if not any(k == kind for k, _col in _TRASHABLE):
        raise NotFoundError(_("没有“{kind}”这类记录").format(kind=kind))
    return ROW_OF[kind]


def _delete(s: Session, stmt: Delete) -> int:
    result = s.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)


def restore_library(library_path: Path, source: Path) -> Path:
    """Replace the library at ``library_path`` with the backup ``source`` (and add its photos).

    Refused while another window or command has the library open (it would go on writing into the
    file being replaced). The backup is checked first, every page of it (it must be a sound library
    this version can open); the current library is kept beside itself as
    ``<name>.before-restore-<time>.sqlite`` — by a plain file copy when it is too damaged for SQLite
    to read. Returns that path. Any refusal or failure leaves the current library as it was.
    """
    library_path = library_path.expanduser()
    source = source.expanduser()
    if library_path.is_dir():
        raise NotALibraryError(library_path, _("这是一个文件夹，不是案例库文件"))
    if source.is_dir():
        raise NotALibraryError(source, _("这是一个文件夹，不是备份文件"))
    probe(source, thorough=True)
    if library_path.exists() and others_have_open(library_path):
        raise LibraryInUseError(library_path, _("案例库正被其他窗口或命令打开；请先关闭它们，再从备份恢复"))
    keep = library_path.with_name(
        f"{library_path.stem}.before-restore-{datetime.now():%Y%m%d-%H%M%S}{library_path.suffix}"
    )
    try:
        with atomic_write(library_path) as partial:
            try:
                backup_file(source, partial)
            except FileAccessError as exc:
                raise FileAccessError(library_path, exc.reason) from exc
            copy_photos(media_dir_of(source), media_dir_of(library_path), photo_names_in(partial))
            if library_path.exists():
                _keep_current(library_path, keep)
                if others_have_open(library_path):  # opened while the copies were made
                    _remove_quietly(keep)
                    raise LibraryInUseError(library_path, _("案例库正被其他窗口或命令打开；请先关闭它们，再从备份恢复"))
                checkpoint(library_path)  # its log emptied into it: a kill from here on loses nothing
            for suffix in ("-wal", "-shm"):  # the current library's log belongs to the file being replaced
                Path(str(library_path) + suffix).unlink(missing_ok=True)
    except OSError as exc:
        raise FileAccessError(library_path, explain_os_error(exc)) from exc
    return keep


def _keep_current(library_path: Path, keep: Path) -> None:
    """Copy the library about to be replaced to ``keep``: with SQLite when it can read it, else byte for byte."""
    try:
        with atomic_write(keep) as tmp:
            backup_file(library_path, tmp)
    except sqlite3.Error as exc:
        if is_busy(exc):
            raise
        # Damaged beyond SQLite's reading: keep the bytes as they are, with any write-ahead log.
        with atomic_write(keep) as tmp:
            shutil.copy2(library_path, tmp)
        wal = Path(f"{library_path}-wal")
        if wal.is_file() and wal.stat().st_size:
            with atomic_write(Path(f"{keep}-wal")) as tmp:
                shutil.copy2(wal, tmp)


def _remove_quietly(path: Path) -> None:
    with suppress(OSError):
        path.unlink(missing_ok=True)
