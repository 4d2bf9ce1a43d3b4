"""Files the library writes: atomic replacement, the sweep of a killed process's leftovers, photos
under their journal, and what ``check`` and ``check --repair`` say of the media folder."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.files import TEMP_SUFFIX, atomic_write, owner_pid, stale_temporaries, sweep_temporaries
from desktop.services.casebook import Casebook
from desktop.store.db import DamagedLibraryError, LibraryInUseError, others_have_open
from desktop.store.media import JOURNAL_DIR, PhotoJournal
from tests.conftest import TEST_EDITOR
from tests.unit.test_share import jpeg_file


def _child(code: str, state: Path) -> subprocess.Popen[str]:
    """A Python process running ``code`` that prints ``ready`` and then waits to be killed."""
    env = dict(os.environ, CASEBOOK_STATE_DIR=str(state))
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code) + "\nprint('ready', flush=True)\nimport time\ntime.sleep(60)\n"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


def _kill_when_ready(child: subprocess.Popen[str]) -> None:
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    child.kill()
    child.wait(timeout=30)
    child.stdout.close()


def test_an_atomic_write_replaces_the_target_or_leaves_it_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "简报.pdf"
    target.write_bytes(b"old")
    with atomic_write(target) as tmp:
        assert tmp.parent == tmp_path and tmp.name.endswith(TEMP_SUFFIX) and owner_pid(tmp) == os.getpid()
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    with pytest.raises(RuntimeError), atomic_write(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("stopped")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["简报.pdf"]


def test_a_killed_writer_leaves_a_temporary_that_the_next_start_removes(tmp_path: Path) -> None:
    state, out = tmp_path / "state", tmp_path / "out"
    out.mkdir()
    child = _child(
        f"""
        from pathlib import Path
        from desktop.files import atomic_write
        writing = atomic_write(Path({str(out / "汇编.pdf")!r}))
        tmp = writing.__enter__()
        tmp.write_bytes(b"half a PDF")
        """,
        state,
    )
    _kill_when_ready(child)
    left = list(out.iterdir())
    assert len(left) == 1 and left[0].name.endswith(TEMP_SUFFIX)
    assert stale_temporaries(out) == left

    alive = out / f".other.pdf.{os.getpid()}-0123abcd{TEMP_SUFFIX}"  # a live process's temporary stays
    alive.write_bytes(b"")
    os.environ["CASEBOOK_STATE_DIR"], before = str(state), os.environ.get("CASEBOOK_STATE_DIR")
    try:
        assert sweep_temporaries() == left
        assert sweep_temporaries() == []
    finally:
        if before is None:
            del os.environ["CASEBOOK_STATE_DIR"]
        else:
            os.environ["CASEBOOK_STATE_DIR"] = before
    assert list(out.iterdir()) == [alive]
    assert list((state / "temporaries").iterdir()) == []


def test_photos_of_a_killed_import_are_rolled_back_when_the_library_next_opens(book: Casebook, tmp_path: Path) -> None:
    kept = book.cases.import_photo(jpeg_file(tmp_path))
    case = book.cases.get(book.cases.create(_case_with_photo(book, kept)).value.uuid)
    media = book.library.media_dir
    child = _child(
        f"""
        from pathlib import Path
        from desktop.store.media import PhotoJournal
        media = Path({str(media)!r})
        journal = PhotoJournal(media)
        for i in range(3):
            journal.add(f"half-{{i}}.jpg").write_bytes(b"x")
        journal.add({kept!r})  # a name a committed row refers to: the transaction got that far
        """,
        tmp_path / "state",
    )
    _kill_when_ready(child)
    assert {p.name for p in media.glob("half-*")} == {"half-0.jpg", "half-1.jpg", "half-2.jpg"}
    assert any("不属于任何案例" in p for p in book.maintenance.check())
    book.close()

    reopened = Casebook.open(book.library.path, editor=TEST_EDITOR)
    try:
        assert list(media.glob("half-*")) == [] and (media / kept).is_file()
        # only this process's own journal (of the photo it added for editing) is left
        assert [j.name.split("-")[0] for j in (media / JOURNAL_DIR).iterdir()] == [str(os.getpid())]
        assert reopened.maintenance.check() == []
        assert reopened.cases.get(case.uuid).photos[0].file_name == kept
    finally:
        reopened.close()


def test_check_reports_orphan_and_missing_photos_and_repair_removes_the_orphans(book: Casebook, tmp_path: Path) -> None:
    name = book.cases.import_photo(jpeg_file(tmp_path))
    book.cases.create(_case_with_photo(book, name))
    media = book.library.media_dir
    (media / "stray.jpg").write_bytes(b"nobody's")
    (tmp_path / "library" / f".x.sqlite.999999999-0badcafe{TEMP_SUFFIX}").write_bytes(b"")
    problems = book.maintenance.check()
    assert any("1 个文件不属于任何案例" in p and "stray.jpg" in p for p in problems), problems
    assert any("临时文件" in p for p in problems), problems
    assert book.maintenance.repair_files() == (1, 1)
    assert book.maintenance.check() == []

    (media / name).unlink()
    problems = book.maintenance.check()
    assert any("1 张照片的文件不在照片文件夹" in p and name in p for p in problems), problems


def test_a_photo_added_while_editing_is_no_orphan_while_the_window_lives(book: Casebook, tmp_path: Path) -> None:
    book.cases.import_photo(jpeg_file(tmp_path))  # not saved yet: this process may still save it
    assert book.maintenance.check() == []
    assert book.maintenance.repair_files() == (0, 0)
    assert len(list(book.library.media_dir.glob("*.jpg"))) == 1


def test_backup_takes_the_photos_and_restore_brings_them_back(book: Casebook, tmp_path: Path) -> None:
    name = book.cases.import_photo(jpeg_file(tmp_path))
    case = book.cases.create(_case_with_photo(book, name)).value
    backup = book.maintenance.backup(tmp_path / "备份" / "casebook-2026.sqlite")
    assert (backup.with_name("casebook-2026.media") / name).read_bytes() == (book.library.media_dir / name).read_bytes()
    path = book.library.path
    book.close()
    for p in book.library.media_dir.iterdir():
        if p.is_file():
            p.unlink()

    from desktop.services.maintenance import restore_library

    restore_library(path, backup)
    restored = Casebook.open(path, editor=TEST_EDITOR)
    try:
        assert restored.cases.photo_path(restored.cases.get(case.uuid).photos[0].file_name).is_file()
        assert restored.maintenance.check() == []
    finally:
        restored.close()


def test_restore_is_refused_while_another_process_has_the_library_open(book: Casebook, tmp_path: Path) -> None:
    from desktop.services.maintenance import restore_library

    backup = book.maintenance.backup(tmp_path / "backup.sqlite")
    path = book.library.path
    book.cases.create(_case_with_photo(book, None))  # the open library has been read and written
    assert others_have_open(path)
    before = path.read_bytes()
    with pytest.raises(LibraryInUseError, match="正被其他窗口或命令打开"):
        restore_library(path, backup)
    assert path.read_bytes() == before
    book.close()
    assert not others_have_open(path)


def test_a_damaged_library_is_not_backed_up(book: Casebook, tmp_path: Path) -> None:
    from desktop.services.sample import add_sample_cases

    add_sample_cases(book.ctx, 300, seed=3, workers=1)
    book.library.close()
    _flip_pages_far_in(book.library.path)
    with pytest.raises(DamagedLibraryError):
        book.maintenance.backup(tmp_path / "copy.sqlite")
    assert not (tmp_path / "copy.sqlite").exists()
    assert [p for p in tmp_path.iterdir() if p.name.endswith(TEMP_SUFFIX)] == []


def _case_with_photo(book: Casebook, file_name: str | None):  # type: ignore[no-untyped-def]
    from desktop.domain.records import ModelCase, Photo

    photos = [Photo(file_name=file_name, caption="全景")] if file_name else []
    return ModelCase(title="下姜村联合体", basic_situation="概况。", photos=photos)


def test_a_journal_of_a_committed_write_is_dropped(tmp_path: Path) -> None:
    media = tmp_path / "casebook.media"
    journal = PhotoJournal(media)
    journal.add("a.jpg").write_bytes(b"a")
    assert journal.path.is_file()
    journal.committed()
    assert not journal.path.exists() and (media / "a.jpg").is_file()
    journal.add("b.jpg").write_bytes(b"b")
    journal.rolled_back()
    assert not (media / "b.jpg").exists() and not journal.path.exists()


@pytest.mark.parametrize("checked_at", ["open", "first write"])
def test_a_damaged_library_is_not_written_into(
    book: Casebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checked_at: str
) -> None:
    from desktop.services.sample import add_sample_cases
    from desktop.store import db

    add_sample_cases(book.ctx, 300, seed=3, workers=1)
    book.close()
    path = book.library.path
    _flip_pages_far_in(path)
    before = path.read_bytes()
    if checked_at == "open":
        with pytest.raises(DamagedLibraryError):
            Casebook.open(path, editor=TEST_EDITOR)
    else:  # a big file: opened at once, checked before its first write
        monkeypatch.setattr(db, "QUICK_CHECK_AT_OPEN_BYTES", 0)
        damaged = Casebook.open(path, editor=TEST_EDITOR)
        try:
            with pytest.raises(DamagedLibraryError, match="完整性检查未通过"):
                damaged.cases.create(_case_with_photo(damaged, None))
        finally:
            damaged.close()
    assert path.read_bytes() == before


def _flip_pages_far_in(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    data = bytearray(path.read_bytes())
    for page in range(pages // 2, pages // 2 + 4):  # bytes in the middle of some pages far in
        data[page * page_size + page_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
