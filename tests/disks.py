"""A small file system of its own for fault tests: a tmpfs mounted for one test (root only; the test is
skipped elsewhere), and filling it up to a few KiB."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def can_mount() -> bool:
    """Whether this process may mount a file system (root, with ``mount`` on PATH)."""
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount") is not None


@contextmanager
def small_disk_at(point: Path, size_mib: int = 24) -> Iterator[Path]:
    """A ``size_mib`` tmpfs mounted at ``point`` (created), unmounted afterwards; skips the test when
    mounting is not possible here."""
    if not can_mount():
        pytest.skip("mounting a small file system needs root")
    point.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mib}m", "tmpfs", str(point)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def fill_disk(disk: Path, leave: int = 8 * 1024) -> Path:
    """Fill the file system of ``disk`` but ``leave`` bytes, with ``disk/filler.bin``; its path."""
    filler = disk / "filler.bin"
    free = shutil.disk_usage(disk).free
    with filler.open("wb") as fh:
        fh.truncate(0)
        chunk = b"\0" * (1 << 20)
        left = free - leave
        while left > 0:
            fh.write(chunk[: min(len(chunk), left)])
            left -= len(chunk)
    return filler
