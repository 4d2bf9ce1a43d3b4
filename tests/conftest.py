"""Shared fixtures: a fresh library file, a casebook on it, and one with the demo loaded."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from desktop.services.casebook import Casebook
from desktop.services.context import Editor

TEST_EDITOR = Editor("测试员", "省农业农村厅")


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    """Where a test's library file goes (not created yet)."""
    return tmp_path / "library" / "casebook.sqlite"


@pytest.fixture
def book(library_path: Path) -> Iterator[Casebook]:
    """A new library with the reference data, acting for the test editor."""
    casebook = Casebook.open(library_path, create=True, editor=TEST_EDITOR)
    try:
        yield casebook
    finally:
        casebook.close()


def demo_library(path: Path) -> Path:
    """Create a library at ``path`` with the demo cases loaded, closed again (for another process or window)."""
    book = Casebook.open(path, create=True, editor=TEST_EDITOR)
    try:
        book.load_demo()
    finally:
        book.close()
    return path


@pytest.fixture
def demo_book(book: Casebook) -> Casebook:
    """The new library with the demo cases and pilots added."""
    book.load_demo()
    return book


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MiB file system of its own (tmpfs, root only: skipped elsewhere), unmounted after the test."""
    from tests.disks import small_disk_at

    with small_disk_at(tmp_path / "disk") as point:
        yield point
