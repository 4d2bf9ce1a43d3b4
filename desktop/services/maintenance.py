"""Looking after a library: integrity check, backup and restore, the trash, rebuilding the index."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Delete, Select, delete, func, select, text, update
from sqlalchemy.orm import Session

from desktop.domain.records import TrashEntry
from desktop.i18n import _
from desktop.services.cases import CaseService, index_rows_of, load_case_rows
from desktop.services.catalog import RegionService
from desktop.services.context import InUseError, NotFoundError, ServiceContext, get_row, stamp
from desktop.store.db import backup_file, probe, schema_head
from desktop.store.schema import (
    AdoptionRow,
    CasePlace,
    CaseRow,
    CaseTag,
    CaseTheme,
    DesignationRow,
    ExperimentRow,
    IndicatorRow,
    ModelTypeRow,
    ObservationRow,
    PilotPlace,
    PilotRow,
    RegionRow,
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
    ("指标数值", ObservationRow, "period"),
]


class MaintenanceService:
    """Check, back up, restore, empty the trash, rebuild the search index."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def check(self) -> list[str]:
        """Problems found in the library; an empty list means it is sound."""
        problems: list[str] = []
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
            live = s.execute(select(func.count()).select_from(CaseRow).where(CaseRow.deleted_at.is_(None))).scalar_one()
            indexed = max(self.ctx.index.indexed_counts(s))
            if any(n != live for n in self.ctx.index.indexed_counts(s)):
                problems.append(
                    _("检索索引收录 {i} 个案例，而库中有 {n} 个；请运行 casebook check --repair 重建索引").format(
                        i=indexed, n=live
                    )
                )
        return problems

    def rebuild_index(self) -> int:
        """Drop and rebuild the search index from the live cases; returns how many were indexed."""
        done = 0
        with self.ctx.library.unit_of_work() as s:
            self.ctx.index.clear(s)
            ids = s.execute(select(CaseRow.id).where(CaseRow.deleted_at.is_(None)).order_by(CaseRow.id)).scalars().all()
            for start in range(0, len(ids), _BATCH):
                rows = load_case_rows(s, ids[start : start + _BATCH])
                self.ctx.index.add(s, index_rows_of(rows))
                done += len(rows)
                s.expunge_all()
        return done

    def backup(self, target: Path, *, overwrite: bool = False) -> Path:
        """Write a consistent copy of the library to ``target`` (a new file)."""
        target = target.expanduser()
        if target.exists() and not overwrite:
            raise FileExistsError(_("目标文件已存在：{p}").format(p=target))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.unlink(missing_ok=True)
        backup_file(self.ctx.library.path, partial)
        os.replace(partial, target)
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
            row = get_row(s, cls, uuid, what=kind)
            users = _live_users(s, row)
            if users:
                raise InUseError(_("该{kind}仍被 {n} 条记录使用，不能删除").format(kind=kind, n=users))
            row.deleted_at = utcnow()
            stamp(row, self.ctx.editor)

    def restore(self, kind: str, uuid: str) -> None:
        """Bring any record back from the trash."""
        if kind == "案例":
            CaseService(self.ctx).restore([uuid])
            return
        cls = _kind_class(kind)
        with self.ctx.library.unit_of_work() as s:
            row = get_row(s, cls, uuid, what=kind, include_trashed=True)
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

    The backup is checked first (it must be a library this version can open); the current
    library is kept beside itself as ``<name>.before-restore-<time>.sqlite``. Returns that path.
    """
    probe(source)
    keep = library_path.with_name(
        f"{library_path.stem}.before-restore-{datetime.now():%Y%m%d-%H%M%S}{library_path.suffix}"
    )
    if library_path.exists():
        backup_file(library_path, keep)
    partial = library_path.with_name(library_path.name + ".part")
    partial.unlink(missing_ok=True)
    with (
        closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(partial)) as dst,
    ):
        src.backup(dst)
    for suffix in ("-wal", "-shm"):
        Path(str(library_path) + suffix).unlink(missing_ok=True)
    os.replace(partial, library_path)
    return keep
