"""Faults from outside: a full disk under the library, an export or a backup; the photo folder gone.

The full disk is real: a small tmpfs mounted for the test (root only; skipped elsewhere), filled up
to a few KiB with a filler file. Each command must say in Chinese what happened, exit 1, write no
partial file and leave the library as it was — and say nothing of damage.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.services.casebook import Casebook
from desktop.store.media import media_dir_of
from tests.cli_helpers import run_cli
from tests.conftest import TEST_EDITOR, demo_library
from tests.disks import fill_disk
from tests.unit.test_share import dump


@pytest.fixture
def library_on(small_disk: Path, tmp_path: Path) -> Path:
    """A library with the demo on the small disk."""
    return demo_library(small_disk / "casebook.sqlite")


def _said_disk_full(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "磁盘空间不足" in result.stderr, result.stderr
    assert "损坏" not in result.stderr, result.stderr


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".casebook-part", ".part")))


def test_writing_into_a_library_on_a_full_disk_is_refused_and_changes_nothing(library_on: Path) -> None:
    before = dump(library_on)
    fill_disk(library_on.parent)
    result = run_cli("--library", str(library_on), "sample", "400")
    _said_disk_full(result)
    (library_on.parent / "filler.bin").unlink()
    assert dump(library_on) == before
    assert run_cli("--library", str(library_on), "check").returncode == 0


def test_exports_and_a_backup_to_a_full_disk_leave_no_partial_file(small_disk: Path, tmp_path: Path) -> None:
    library = tmp_path / "library" / "casebook.sqlite"
    book = Casebook.open(library, create=True, editor=TEST_EDITOR)
    try:
        book.load_demo()
    finally:
        book.close()
    before = dump(library)
    fill_disk(small_disk)
    for args in (
        ["brief", str(small_disk / "简报.pdf"), "--all", "--issue-no", "3"],
        ["export", str(small_disk / "台账.xlsx"), "--all"],
        ["export", str(small_disk / "汇编.docx"), "--all"],
        ["export", str(small_disk / "报送.casebook"), "--all"],
        ["backup", str(small_disk / "备份.sqlite")],
    ):
        result = run_cli("--library", str(library), *args)
        _said_disk_full(result)
        assert "ZipFile" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
        assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin"], args
    assert dump(library) == before


def test_a_missing_photo_folder_is_named_by_check_and_the_brief_still_prints(tmp_path: Path) -> None:
    from tests.unit.test_share import case_with_everything

    library = tmp_path / "library" / "casebook.sqlite"
    book = Casebook.open(library, create=True, editor=TEST_EDITOR)
    try:
        case = case_with_everything(book, tmp_path)
    finally:
        book.close()
    shutil.rmtree(media_dir_of(library))
    result = run_cli("--library", str(library), "check")
    assert result.returncode == 3 and "照片的文件不在照片文件夹" in result.stderr, result.stderr
    out = tmp_path / "单页.pdf"
    printed = run_cli("--library", str(library), "brief", str(out), "--template", "case", "--ids", case.uuid)
    assert printed.returncode == 0, printed.stderr
    assert out.read_bytes().startswith(b"%PDF")
