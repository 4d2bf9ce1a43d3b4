"""Library files: creation settings, migrations with backup, refusals, backup/restore, concurrent edits."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from desktop.domain.query import CaseQuery
from desktop.domain.records import ModelCase, Ref
from desktop.services.casebook import Casebook
from desktop.services.context import ConcurrentEditError, Editor
from desktop.services.maintenance import restore_library
from desktop.store.db import (
    APPLICATION_ID,
    DamagedLibraryError,
    LibraryError,
    LibraryNotFoundError,
    NewerLibraryError,
    NotALibraryError,
    _alembic_config,
    open_library,
    schema_head,
)
from desktop.store.schema import Base


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sidecars(path: Path) -> list[Path]:
    return [p for p in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")) if p.exists()]


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _all_case_uuids(book: Casebook) -> set[str]:
    return {h.uuid for h in book.search.search(CaseQuery(limit=1000)).hits}


# creating ----------------------------------------------------------------------------------


def test_new_library_file_has_the_safe_sqlite_settings(library_path: Path) -> None:
    library = open_library(library_path, create=True)
    try:
        assert library_path.is_file()
        with library.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            busy_timeout = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
            assert busy_timeout is not None and busy_timeout > 0
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == schema_head()
            meta = {str(k): str(v) for k, v in conn.exec_driver_sql("SELECT key, value FROM library_meta").all()}
        assert meta["application"] == APPLICATION_ID
        assert meta["library_id"] == library.library_id
        uuid.UUID(library.library_id)
    finally:
        library.close()


def test_missing_file_without_create_is_not_found(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "missing.sqlite"
    with pytest.raises(LibraryNotFoundError) as info:
        open_library(path)
    assert "文件不存在" in str(info.value)
    assert not path.exists()
    assert not path.parent.exists()


def test_reopening_keeps_the_library_identity(library_path: Path) -> None:
    first = open_library(library_path, create=True)
    library_id = first.library_id
    first.close()
    second = open_library(library_path)
    try:
        assert second.library_id == library_id
    finally:
        second.close()


# migrations --------------------------------------------------------------------------------


def _library_at_first_revision(path: Path) -> None:
    """A library file as the first released schema wrote it, with one model type in it."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        cfg = _alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001")
        now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO library_meta(key, value) VALUES ('application', ?), ('library_id', ?), ('created_at', ?)",
                (APPLICATION_ID, "lib-0001-test", now),
            )
            conn.exec_driver_sql(
                "INSERT INTO model_type(name, description, sort_order, uuid, created_at, updated_at, updated_by,"
                " version, deleted_at) VALUES (?, ?, 0, ?, ?, ?, ?, 1, NULL)",
                ("旧版模式", "在第一版结构中写入的模式类型", "00000000-0000-4000-8000-000000000001", now, now, "旧版"),
            )
    finally:
        engine.dispose()


def test_older_library_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    _library_at_first_revision(path)
    with closing(_read_only(path)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        dump_before = list(conn.iterdump())
    assert schema_head() != "0001"

    library = open_library(path)
    try:
        assert library.library_id == "lib-0001-test"
        with library.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == schema_head()
            names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
            assert "saved_search" in names
            assert conn.exec_driver_sql("SELECT description FROM model_type WHERE name='旧版模式'").scalar() == (
                "在第一版结构中写入的模式类型"
            )
    finally:
        library.close()

    backups = [p for p in tmp_path.iterdir() if "backup-0001" in p.name and p.suffix == ".sqlite"]
    assert len(backups) == 1
    assert backups[0].name.startswith("old.")
    with closing(_read_only(backups[0])) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert conn.execute("SELECT name FROM model_type").fetchall() == [("旧版模式",)]
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "saved_search" not in names
        assert list(conn.iterdump()) == dump_before


def test_upgraded_library_opens_in_the_services(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    _library_at_first_revision(path)
    book = Casebook.open(path)
    try:
        assert "旧版模式" in [m.name for m in book.catalog.model_types()]
        assert book.maintenance.check() == []
    finally:
        book.close()


def test_orm_metadata_matches_what_the_migrations_build(library_path: Path) -> None:
    open_library(library_path, create=True).close()
    with closing(_read_only(library_path)) as conn:
        virtual = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")]
    assert virtual, "the full-text index tables are made by the migrations"

    def include_name(name: str | None, type_: str, parent_names: object) -> bool:
        # FTS virtual tables and their shadow tables (<name>_data, <name>_idx, …) are not ORM tables.
        if type_ != "table" or name is None:
            return True
        return not any(name == v or name.startswith(f"{v}_") for v in virtual)

    engine = create_engine(f"sqlite:///{library_path}")
    try:
        with engine.connect() as connection:
            ctx = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_name})
            diffs = compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()
    assert diffs == []


# refusals ----------------------------------------------------------------------------------


def _text_file(path: Path) -> None:
    path.write_text("这不是案例库，只是一段文字。\nplain text\n", encoding="utf-8")


def _empty_file(path: Path) -> None:
    path.write_bytes(b"")


def _png_file(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)


def _other_application(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE foo (id INTEGER PRIMARY KEY, bar TEXT)")
        conn.execute("INSERT INTO foo(bar) VALUES ('baz')")
        conn.commit()


def _other_application_with_meta(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE library_meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO library_meta VALUES ('application', 'someone-else')")
        conn.execute("INSERT INTO alembic_version VALUES ('0001')")
        conn.commit()


def _real_library(path: Path) -> None:
    Casebook.open(path, create=True).close()
    assert not _sidecars(path)


def _damaged_header_page(path: Path) -> None:
    _real_library(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = bytes((i * 37 + 11) % 256 for i in range(100, 4096))
    path.write_bytes(bytes(data))


def _truncated(path: Path) -> None:
    _real_library(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _newer_library(path: Path) -> None:
    _real_library(path)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()


REFUSALS: list[tuple[str, Callable[[Path], None], type[LibraryError], tuple[str, ...]]] = [
    ("text", _text_file, NotALibraryError, ("不是案例库",)),
    ("empty", _empty_file, NotALibraryError, ("空",)),
    ("png", _png_file, NotALibraryError, ("不是案例库",)),
    ("other-sqlite", _other_application, NotALibraryError, ("数据库", "不是案例库")),
    ("other-sqlite-meta", _other_application_with_meta, NotALibraryError, ("不是案例库",)),
    ("damaged", _damaged_header_page, DamagedLibraryError, ("损坏",)),
    ("truncated", _truncated, DamagedLibraryError, ("损坏",)),
    ("newer", _newer_library, NewerLibraryError, ("更新版本", "9999")),
]


@pytest.mark.parametrize(("make", "error", "words"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_unusable_file_is_refused_and_left_unchanged(
    tmp_path: Path, make: Callable[[Path], None], error: type[LibraryError], words: tuple[str, ...]
) -> None:
    path = tmp_path / "suspect.sqlite"
    make(path)
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before_sha, before_mtime, before_size = _sha(path), path.stat().st_mtime_ns, path.stat().st_size

    with pytest.raises(error) as info:
        open_library(path, create=True)

    message = str(info.value)
    assert "无法打开案例库" in message
    for word in words:
        assert word in message
    assert info.value.path == path
    assert _sha(path) == before_sha
    assert path.stat().st_mtime_ns == before_mtime
    assert path.stat().st_size == before_size


@pytest.mark.parametrize("make", [r[1] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_refusal_leaves_no_sidecar_files(tmp_path: Path, make: Callable[[Path], None]) -> None:
    path = tmp_path / "suspect.sqlite"
    make(path)
    assert not _sidecars(path)
    with pytest.raises(LibraryError):
        open_library(path)
    assert _sidecars(path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["suspect.sqlite"]


def test_folder_is_not_a_library(tmp_path: Path) -> None:
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()
    with pytest.raises(NotALibraryError) as info:
        open_library(folder, create=True)
    assert "文件夹" in str(info.value)
    assert list(folder.iterdir()) == []


def test_refused_file_is_also_refused_by_the_casebook(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    _text_file(path)
    before = _sha(path)
    with pytest.raises(NotALibraryError):
        Casebook.open(path, create=True)
    assert _sha(path) == before


# backup and restore ------------------------------------------------------------------------


def test_backup_copy_opens_with_the_same_cases(demo_book: Casebook, tmp_path: Path) -> None:
    target = tmp_path / "copies" / "backup.sqlite"
    assert demo_book.maintenance.backup(target) == target
    assert target.is_file()
    assert not Path(f"{target}.part").exists()
    copy = Casebook.open(target)
    try:
        assert _all_case_uuids(copy) == _all_case_uuids(demo_book)
        assert len(_all_case_uuids(copy)) == 9
        assert copy.library.library_id == demo_book.library.library_id
        assert copy.maintenance.check() == []
    finally:
        copy.close()


def test_backup_refuses_to_overwrite(demo_book: Casebook, tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite"
    target.write_text("先前的文件", encoding="utf-8")
    with pytest.raises(FileExistsError) as info:
        demo_book.maintenance.backup(target)
    assert "已存在" in str(info.value)
    assert target.read_text(encoding="utf-8") == "先前的文件"


def test_restore_replaces_content_and_keeps_the_previous_library(demo_book: Casebook, tmp_path: Path) -> None:
    backup = demo_book.maintenance.backup(tmp_path / "backup.sqlite")
    demo_uuids = _all_case_uuids(demo_book)

    target = tmp_path / "other" / "target.sqlite"
    other = Casebook.open(target, create=True, editor=Editor("另一人", "县农业农村局"))
    own = other.cases.create(ModelCase(title="恢复前自有案例")).value
    other.close()

    kept = restore_library(target, backup)

    assert ".before-restore-" in kept.name
    assert kept.parent == target.parent
    restored = Casebook.open(target)
    try:
        assert _all_case_uuids(restored) == demo_uuids
        assert restored.maintenance.check() == []
    finally:
        restored.close()
    previous = Casebook.open(kept)
    try:
        assert _all_case_uuids(previous) == {own.uuid}
    finally:
        previous.close()


def test_restore_refuses_a_backup_that_is_not_a_library(library_path: Path, tmp_path: Path) -> None:
    Casebook.open(library_path, create=True).close()
    before = _sha(library_path)
    bogus = tmp_path / "bogus.sqlite"
    _text_file(bogus)
    with pytest.raises(NotALibraryError):
        restore_library(library_path, bogus)
    assert _sha(library_path) == before
    assert not any(".before-restore-" in p.name for p in library_path.parent.iterdir())


# concurrent edits --------------------------------------------------------------------------


def test_second_writer_with_a_stale_copy_is_refused(book: Casebook, library_path: Path) -> None:
    county = book.regions.find("淳安县")
    created = book.cases.create(ModelCase(title="下姜村共富联合体", places=[Ref(county.uuid)], tags=["党建联建"])).value
    other = Casebook.open(library_path, editor=Editor("李四", "淳安县农业农村局"))
    try:
        uuid_ = created.uuid
        mine = book.cases.get(uuid_)
        theirs = other.cases.get(uuid_)
        assert mine.version == theirs.version

        saved = book.cases.update(replace(mine, subtitle="第一位编辑的修改")).value
        assert saved.version == mine.version + 1

        with pytest.raises(ConcurrentEditError) as info:
            other.cases.update(replace(theirs, subtitle="第二位编辑的修改"))
        message = str(info.value)
        assert "已被" in message and "修改" in message
        assert "测试员（省农业农村厅）" in message
        assert other.cases.get(uuid_).subtitle == "第一位编辑的修改"

        fresh = other.cases.get(uuid_)
        again = other.cases.update(replace(fresh, subtitle="第二位编辑重新打开后的修改")).value
        assert again.updated_by == "李四（淳安县农业农村局）"
        assert book.cases.get(uuid_).subtitle == "第二位编辑重新打开后的修改"
    finally:
        other.close()
