"""Mistakes and a hostile environment at the command line: a Chinese message, a non-zero exit, no traceback.

Each test works on real library files and, where the whole path matters, on a real
``python -m desktop`` process; the library involved must be left as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from desktop.store import db
from desktop.store.db import DamagedLibraryError, LibraryError, open_library, probe
from tests.cli_helpers import main_cli, run_cli

PAGE = 4096
HUGE = "99999999999999999999"
BUSY_TIMEOUT_ENV = "CASEBOOK_BUSY_TIMEOUT_MS"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _case_count(path: Path) -> int:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return int(conn.execute("SELECT count(*) FROM model_case").fetchone()[0])


def _refused(result: subprocess.CompletedProcess[str], code: int = 1) -> None:
    """A refusal as the user must see it: the exit code, a Chinese message, no traceback."""
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in result.stderr), result.stderr


def _garble_pages(path: Path, offset: int = 2 * PAGE, pages: int = 3) -> None:
    """Overwrite whole pages past the header page with garbage, as a bad disk sector would."""
    with path.open("r+b") as fh:
        fh.seek(offset)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(pages * PAGE)))


@pytest.fixture(autouse=True)
def _no_library_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CASEBOOK_LIBRARY", "CASEBOOK_EDITOR", "CASEBOOK_UNIT", BUSY_TIMEOUT_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of a library with the demo, made by real processes; tests copy it, never change it."""
    folder = tmp_path_factory.mktemp("made")
    library = folder / "demo.sqlite"
    made = run_cli("--library", str(library), "demo")
    assert made.returncode == 0, made.stderr
    backup = folder / "good-backup.sqlite"
    saved = run_cli("--library", str(library), "backup", str(backup))
    assert saved.returncode == 0, saved.stderr
    assert _case_count(backup) == 9
    return backup


@pytest.fixture
def library(tmp_path: Path, good_backup: Path) -> Path:
    """A sound library of this test's own (a copy of the good backup)."""
    path = tmp_path / "lib" / "casebook.sqlite"
    path.parent.mkdir()
    path.write_bytes(good_backup.read_bytes())
    return path


# restore -----------------------------------------------------------------------------------


def test_restore_refuses_a_backup_damaged_past_its_first_pages(
    tmp_path: Path, good_backup: Path, library: Path
) -> None:
    damaged = tmp_path / "damaged-backup.sqlite"
    damaged.write_bytes(good_backup.read_bytes())
    _garble_pages(damaged)
    probe(damaged)  # the quick look at the header and the meta table does not notice
    for sidecar in (Path(f"{damaged}-wal"), Path(f"{damaged}-shm")):
        sidecar.unlink(missing_ok=True)
    before = _sha(library)

    result = run_cli("--library", str(library), "restore", str(damaged))

    _refused(result)
    assert "损坏" in result.stderr and "完整性检查" in result.stderr
    assert str(damaged) in result.stderr
    assert _sha(library) == before
    assert sorted(p.name for p in library.parent.iterdir()) == ["casebook.sqlite"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged-backup.sqlite", "lib"]


def test_restore_replaces_a_library_sqlite_cannot_read(tmp_path: Path, good_backup: Path) -> None:
    damaged = tmp_path / "d.sqlite"
    damaged.write_bytes(b"garbage\n")

    result = run_cli("--library", str(damaged), "restore", str(good_backup))

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "恢复" in result.stdout
    listed = run_cli("--library", str(damaged), "list")
    assert listed.returncode == 0, listed.stderr
    assert "共 9 个案例" in listed.stdout
    kept = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1
    assert kept[0].name.startswith("d.before-restore-") and kept[0].suffix == ".sqlite"
    assert kept[0].read_bytes() == b"garbage\n"
    assert str(kept[0]) in result.stdout


def test_restore_into_a_folder_is_refused(tmp_path: Path, good_backup: Path) -> None:
    folder = tmp_path / "folder.sqlite"
    folder.mkdir()

    result = run_cli("--library", str(folder), "restore", str(good_backup))

    _refused(result)
    assert "文件夹" in result.stderr
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.sqlite"]


# check -------------------------------------------------------------------------------------


def test_check_reports_a_library_too_damaged_to_check(library: Path) -> None:
    _garble_pages(library)

    result = run_cli("--library", str(library), "check")

    _refused(result, code=3)
    assert "损坏" in result.stderr
    assert "案例库完好" not in result.stdout


# locked, read-only, unwritable -------------------------------------------------------------


def test_busy_timeout_comes_from_the_environment(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for value, expected in ((None, 10_000), ("250", 250), ("abc", 10_000), ("-5", 10_000)):
        if value is None:
            monkeypatch.delenv(BUSY_TIMEOUT_ENV, raising=False)
        else:
            monkeypatch.setenv(BUSY_TIMEOUT_ENV, value)
        opened = open_library(library)
        try:
            with opened.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == expected
        finally:
            opened.close()


def test_library_locked_by_another_program(library: Path) -> None:
    before = _case_count(library)
    holder = sqlite3.connect(library, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        result = run_cli("--library", str(library), "sample", "1", env={BUSY_TIMEOUT_ENV: "200"})
        holder.execute("ROLLBACK")
    finally:
        holder.close()

    _refused(result)
    assert "案例库正被其他程序使用，请稍后再试" in result.stderr
    assert _case_count(library) == before


def _read_only_engine(path: Path) -> Engine:
    """An engine SQLite itself opens read-only, as it does for a file without write permission."""
    engine = create_engine(f"sqlite:///file:{path.resolve()}?mode=ro&uri=true")

    def pragmas(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout = 1000")

    event.listen(engine, "connect", pragmas)
    return engine


def test_write_refused_as_read_only_is_reported(
    library: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _sha(library)
    monkeypatch.setattr(db, "make_engine", _read_only_engine)

    code, out, err = main_cli(capsys, "--library", str(library), "sample", "1")

    assert code == 1, (out, err)
    assert "Traceback" not in err
    assert f"案例库文件或所在文件夹只读，无法写入：{library}" in err
    assert _sha(library) == before


#: The unprivileged account the read-only test runs the program as when the tests run as root
#: (root writes whatever the permissions say). ``.ci/run`` creates it.
UNPRIVILEGED = "casebook-ci"


@pytest.fixture
def read_only_library(library: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str | None]]:
    """The library file 0444 in a folder 0555, and the account to open it with: the test's own, or
    (as root) an unprivileged one, in a folder that account can reach."""
    user: str | None = None
    if os.geteuid() == 0:
        user = UNPRIVILEGED
        probe_run = subprocess.run(
            [
                "setpriv",
                f"--reuid={user}",
                f"--regid={user}",
                "--clear-groups",
                "--",
                sys.executable,
                "-c",
                "import desktop",
            ],
            capture_output=True,
            text=True,
        )
        assert probe_run.returncode == 0, (
            f"the read-only test runs as {user} when the tests run as root; create that account and let it run "
            f"this Python ({sys.executable}), as .ci/run does: {probe_run.stderr.strip()}"
        )
        shared = Path(tempfile.mkdtemp(prefix="casebook-ro-", dir="/tmp"))
        shared.chmod(0o755)
        folder = shared / "library"
        folder.mkdir()
        shutil.copy2(library, folder / library.name)
        library = folder / library.name
    library.chmod(0o444)
    library.parent.chmod(0o555)
    try:
        if user is None and (os.access(library, os.W_OK) or os.access(library.parent, os.W_OK)):
            pytest.fail("this user can write whatever the permissions say, yet is not root")
        yield library, user
    finally:
        library.parent.chmod(stat.S_IRWXU)
        library.chmod(stat.S_IRUSR | stat.S_IWUSR)
        if user is not None:
            shutil.rmtree(library.parent.parent, ignore_errors=True)


def test_read_only_library_in_a_read_only_folder(read_only_library: tuple[Path, str | None]) -> None:
    library, user = read_only_library
    before = _sha(library)
    for args in (("sample", "1"), ("list",), ("check",)):
        result = run_cli("--library", str(library), *args, as_user=user)
        _refused(result)
        assert "只读" in result.stderr and "损坏" not in result.stderr
        assert str(library) in result.stderr
    assert _sha(library) == before
    assert sorted(p.name for p in library.parent.iterdir()) == ["casebook.sqlite"]


@pytest.mark.parametrize("target", ["/proc/x.sqlite", "/proc/nonexistent/x.sqlite"])
def test_backup_to_a_place_that_cannot_be_written(library: Path, target: str) -> None:
    if not Path("/proc/self").exists():
        pytest.skip("needs /proc")
    before = _sha(library)

    result = run_cli("--library", str(library), "backup", target)

    _refused(result)
    assert "无法打开或写入文件" in result.stderr
    assert str(Path(target).parent) in result.stderr
    assert not Path(target).exists() and not Path(target + ".part").exists()
    assert _sha(library) == before


# a library whose folder does not let SQLite create the files beside it ---------------------


def test_library_whose_companion_file_cannot_be_created_is_not_called_damaged(library: Path) -> None:
    # The write-ahead log's place is taken by a folder: SQLite cannot open the library at all,
    # just as when the folder is read-only. The library itself is fine.
    Path(f"{library}-wal").mkdir()
    before = _sha(library)

    with pytest.raises(LibraryError) as info:
        open_library(library)
    assert not isinstance(info.value, DamagedLibraryError)
    assert "案例库所在文件夹只读或无法访问" in str(info.value)

    result = run_cli("--library", str(library), "list")
    _refused(result)
    assert "案例库所在文件夹只读或无法访问" in result.stderr
    assert "损坏" not in result.stderr
    assert _sha(library) == before


# the command line itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", "--limit", HUGE), f"--limit 须为 0 到 1000000000 之间的整数：{HUGE}"),
        (("search", "--offset", HUGE), f"--offset 须为 0 到 1000000000 之间的整数：{HUGE}"),
        (("search", "--limit", "1000000001"), "--limit 须为 0 到 1000000000 之间的整数：1000000001"),
        (("search", "--offset", "-2"), "--offset 不能为负数：-2"),
        (("search", "--limit", "二十"), "--limit 须为 0 到 1000000000 之间的整数：二十"),
        (("sample", HUGE), f"N 须为 1 到 1000000 之间的整数：{HUGE}"),
        (("sample", "0"), "N 须为 1 到 1000000 之间的整数：0"),
        (("search", "--from", "2024-13-01"), "日期格式应为 YYYY-MM-DD：2024-13-01"),
        (("search", "--to", "昨天"), "日期格式应为 YYYY-MM-DD：昨天"),
        (("search", "--designation", "--as-of", "2024-02-30"), "日期格式应为 YYYY-MM-DD：2024-02-30"),
        (("search", "--status", "不存在"), "--status 的取值无效：不存在（可选：草稿、已报送、已审核、推荐推广、退回）"),
        (("nonsense",), "没有这个命令：nonsense"),
        (("show",), "缺少参数：id"),
        (("search", "--limit"), "--limit 后面缺少取值"),
        (("list", "--verbose"), "无法识别的参数：--verbose"),
    ],
)
def test_bad_arguments_are_explained_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    path = tmp_path / "never-created.sqlite"
    code, out, err = main_cli(capsys, "--library", str(path), *args)
    assert code == 2
    assert out == ""
    assert err.startswith("命令行参数有误：")
    assert message in err
    for english in ("invalid", "argument", "expected", "required", "choose from"):
        assert english not in err
    assert not path.exists()


def test_huge_numbers_from_a_process(library: Path) -> None:
    result = run_cli("--library", str(library), "search", "--limit", HUGE)
    _refused(result, code=2)
    assert "--limit 须为 0 到 1000000000 之间的整数" in result.stderr
    largest = run_cli("--library", str(library), "search", "--limit", "1000000000", "--offset", "1000000000", "--json")
    assert largest.returncode == 0, largest.stderr
    assert '"results": []' in largest.stdout


def test_check_while_another_program_holds_the_lock_says_so_and_not_damage(library: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({str(library)!r}, isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('ready', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        result = run_cli("--library", str(library), "check", env={"CASEBOOK_BUSY_TIMEOUT_MS": "300"})
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    _refused(result)
    assert "正被其他程序使用" in result.stderr, result.stderr
    assert "损坏" not in result.stderr and "SELECT" not in result.stderr and "INSERT" not in result.stderr
    assert run_cli("--library", str(library), "check").returncode == 0
