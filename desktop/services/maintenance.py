"""Looking after a library: integrity check, backup and restore, the trash, rebuilding the index."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Delete, Select, delete, func, select, text, update
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from desktop.domain.i18n import _
from desktop.domain.records import TrashEntry
from desktop.search.index import digest
from desktop.services.cases import CaseService, index_rows
from desktop.services.catalog import RegionService
from desktop.services.context import InUseError, NotFoundError, ServiceContext, get_row, stamp
from desktop.store.db import (
    FileAccessError,
    NotALibraryError,
    backup_file,
    is_busy,
    probe,
    schema_head,
)
from desktop.store.schema import (
    AdoptionRow,
    CasePlace,
    CaseRow,
    CaseTag,
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

# What the trash lists: kind shown to the user, the row class, the column naming the record.
_TRASHABLE: list[tuple[str, type[Tracked], str]] = [
    ("案例", CaseRow, "title"),
    ("试点", PilotRow, "name"),
    ("探索事项", ExperimentRow, "title"),
    ("推广记录", AdoptionRow, "note"),
    ("地区", RegionRow, "full_name"),
    ("地区标识", DesignationRow, "label"),
    ("主题", ThemeRow, "name"),
    ("模式类型", ModelTypeRow, "name"),
    ("标签", TagRow, "name"),
    ("指标", IndicatorRow, "name"),
    ("智能分类", SavedSearchRow, "name"),
    ("指标数值", ObservationRow, "period"),
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
        except OperationalError:
            raise
        except DatabaseError as exc:
            problems.append(_("数据库文件已损坏，检查无法继续：{m}").format(m=exc.orig))
        return problems

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

    def ensure_index(self) -> bool:
        """Rebuild the index if it was built by another version's tokeniser; True if rebuilt."""
        with self.ctx.library.reading() as s:
            if self.ctx.index.is_current(s):
                return False
        self.rebuild_index()
        return True

    def rebuild_index(self) -> int:
        """Drop and rebuild the search index from the live cases; returns how many were indexed."""
        done = 0
        with self.ctx.library.unit_of_work() as s:
            self.ctx.index.clear(s)
            ids = s.execute(select(CaseRow.id).where(CaseRow.deleted_at.is_(None)).order_by(CaseRow.id)).scalars().all()
            for start in range(0, len(ids), _BATCH):
                rows = index_rows(s, ids[start : start + _BATCH])
                self.ctx.index.add(s, rows)
                done += len(rows)
            self.ctx.index.mark_current(s)
        return done

    def backup(self, target: Path, *, overwrite: bool = False) -> Path:
        """Write a consistent copy of the library to ``target`` (a new file).

        A target that cannot be written raises ``FileAccessError`` naming it; nothing is left behind.
        """
        target = target.expanduser()
        if target.is_dir():
            raise FileAccessError(target, _("这是一个文件夹"))
        if target.exists() and not overwrite:
            raise FileExistsError(_("目标文件已存在：{p}").format(p=target))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.unlink(missing_ok=True)
        try:
            backup_file(self.ctx.library.path, partial)
            os.replace(partial, target)
        except FileAccessError as exc:
            _remove_quietly(partial)
            raise FileAccessError(target, exc.reason) from exc
        except BaseException:
            _remove_quietly(partial)
            raise
        return target

    def trash(self) -> list[TrashEntry]:
        """Everything in the trash, most recently deleted first."""
        out: list[TrashEntry] = []
        with self.ctx.library.reading() as s:
            for kind, cls, name_col in _TRASHABLE:
                rows = s.execute(
                    select(cls.uuid, getattr(cls, name_col), cls.deleted_at).where(cls.deleted_at.is_not(None))
                )
                out.extend(TrashEntry(kind, u, str(n or ""), d) for u, n, d in rows)
        return sorted(out, key=lambda e: e.deleted_at, reverse=True)

    def move_to_trash(self, kind: str, uuid: str) -> None:
        """Move any record to the trash by its kind (as listed in the trash, e.g. 主题).

        Cases leave the search index; a region, theme, model type, tag or indicator still used
        by live records is refused with a message saying how many use it.
        """
        if kind == "案例":
            CaseService(self.ctx).trash([uuid])
            return
        if kind == "地区":
            RegionService(self.ctx).trash(uuid)
            return
        cls = _kind_class(kind)
        with self.ctx.library.unit_of_work() as s:
            row = get_row(s, cls, uuid, what=_kind_label(kind))
            users = _live_users(s, row)
            if users:
                raise InUseError(_("该{kind}仍被 {n} 条记录使用，不能删除").format(kind=_kind_label(kind), n=users))
            row.deleted_at = utcnow()
            stamp(row, self.ctx.editor)

    def restore(self, kind: str, uuid: str) -> None:
        """Bring any record back from the trash."""
        if kind == "案例":
            CaseService(self.ctx).restore([uuid])
            return
        cls = _kind_class(kind)
        with self.ctx.library.unit_of_work() as s:
            row = get_row(s, cls, uuid, what=_kind_label(kind), include_trashed=True)
            row.deleted_at = None
            stamp(row, self.ctx.editor)

    def empty_trash(self) -> int:
        """Delete for good everything in the trash; returns how many records went."""
        removed = 0
        with self.ctx.library.unit_of_work() as s:
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
        return removed


def _kind_label(kind: str) -> str:
    """A kind of the trash (e.g. 主题) as the messages name it, in the current language."""
    return {
        "案例": _("案例"),
        "试点": _("试点"),
        "探索事项": _("探索事项"),
        "推广记录": _("推广记录"),
        "地区": _("地区"),
        "地区标识": _("地区标识"),
        "主题": _("主题"),
        "模式类型": _("模式类型"),
        "标签": _("标签"),
        "指标": _("指标"),
        "智能分类": _("智能分类"),
        "指标数值": _("指标数值"),
    }.get(kind, kind)


def _kind_class(kind: str) -> type[Tracked]:
    for name, cls, _col in _TRASHABLE:
        if name == kind:
            return cls
    raise NotFoundError(_("没有“{kind}”这类记录").format(kind=kind))


def _live_users(s: Session, row: Tracked) -> int:
    """How many live records use a vocabulary row (theme, model type, tag, indicator)."""
    live_case = CaseRow.deleted_at.is_(None)
    count_cases: Select[Any] | None = None
    if isinstance(row, ThemeRow):
        count_cases = select(func.count()).select_from(CaseTheme).join(CaseRow, CaseRow.id == CaseTheme.case_id)
        count_cases = count_cases.where(CaseTheme.theme_id == row.id, live_case)
        children = (
            select(func.count())
            .select_from(ThemeRow)
            .where(ThemeRow.parent_id == row.id, ThemeRow.deleted_at.is_(None))
        )
        return int(s.execute(count_cases).scalar_one()) + int(s.execute(children).scalar_one())
    if isinstance(row, ModelTypeRow):
        count_cases = select(func.count()).select_from(CaseRow).where(CaseRow.model_type_id == row.id, live_case)
    elif isinstance(row, TagRow):
        count_cases = select(func.count()).select_from(CaseTag).join(CaseRow, CaseRow.id == CaseTag.case_id)
        count_cases = count_cases.where(CaseTag.tag_id == row.id, live_case)
    elif isinstance(row, IndicatorRow):
        count_cases = (
            select(func.count())
            .select_from(ObservationRow)
            .where(ObservationRow.indicator_id == row.id, ObservationRow.deleted_at.is_(None))
        )
    return int(s.execute(count_cases).scalar_one()) if count_cases is not None else 0


def _delete(s: Session, stmt: Delete) -> int:
    result = s.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)


def restore_library(library_path: Path, source: Path) -> Path:
    """Replace the library at ``library_path`` with the backup ``source``.

    The backup is checked first, every page of it (it must be a sound library this version can
    open); the current library is kept beside itself as ``<name>.before-restore-<time>.sqlite``
    — by a plain file copy when it is too damaged for SQLite to read. Returns that path. Any
    refusal or failure leaves the current library as it was.
    """
    library_path = library_path.expanduser()
    source = source.expanduser()
    if library_path.is_dir():
        raise NotALibraryError(library_path, _("这是一个文件夹，不是案例库文件"))
    if source.is_dir():
        raise NotALibraryError(source, _("这是一个文件夹，不是备份文件"))
    probe(source, thorough=True)
    keep = library_path.with_name(
        f"{library_path.stem}.before-restore-{datetime.now():%Y%m%d-%H%M%S}{library_path.suffix}"
    )
    partial = library_path.with_name(library_path.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        try:
            backup_file(source, partial)
        except FileAccessError as exc:
            raise FileAccessError(library_path, exc.reason) from exc
        if library_path.exists():
            _keep_current(library_path, keep)
    except BaseException:
        _remove_quietly(partial)
        raise
    for suffix in ("-wal", "-shm"):
        Path(str(library_path) + suffix).unlink(missing_ok=True)
    os.replace(partial, library_path)
    return keep


def _keep_current(library_path: Path, keep: Path) -> None:
    """Copy the library about to be replaced to ``keep``: with SQLite when it can read it, else byte for byte."""
    try:
        backup_file(library_path, keep)
    except sqlite3.Error as exc:
        if is_busy(exc):
            raise
        # Damaged beyond SQLite's reading: keep the bytes as they are, with any write-ahead log.
        _remove_quietly(keep)
        shutil.copy2(library_path, keep)
        wal = Path(f"{library_path}-wal")
        if wal.is_file() and wal.stat().st_size:
            shutil.copy2(wal, Path(f"{keep}-wal"))


def _remove_quietly(path: Path) -> None:
    with suppress(OSError):
        path.unlink(missing_ok=True)
