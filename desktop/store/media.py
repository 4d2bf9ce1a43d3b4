"""The library's media folder: photo files written crash-safely, and the audit of files against rows.

A photo file is written before the transaction that refers to it commits, so a process killed in
between would leave a file nothing refers to. Every photo a process writes is therefore first entered
in a journal of that process (``<media>/.journal/<pid>-<random>``, one name per line, flushed before
the file is made). When the transaction commits, the journal is dropped; when it fails, the files
and the journal are removed. A journal whose process is no longer running is *recovered* the next
time the library is opened: its files that a photo row refers to stay (the transaction committed),
the others are removed.

``audit`` compares the folder with the photo rows: files nothing refers to (orphans) and rows
whose file is missing; ``check`` reports both and ``check --repair`` removes the orphans.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from desktop.files import TEMP_SUFFIX, atomic_write, fsync_file, fsync_folder, process_alive

JOURNAL_DIR = ".journal"


def is_photo_file(path: Path) -> bool:
    """Whether an entry of the media folder is a photo of the library (not the journals, not a temporary)."""
    return not path.name.startswith(".") and not path.name.endswith(TEMP_SUFFIX) and path.is_file()


class PhotoJournal:
    """The photo files one unit of work is creating (see the module's description)."""

    def __init__(self, media: Path) -> None:
        self.media = media
        self.path = media / JOURNAL_DIR / f"{os.getpid()}-{secrets.token_hex(6)}"
        self.names: list[str] = []

    def add(self, name: str) -> Path:
        """Enter ``name`` before its file is written; returns the file's path."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:  # closed: on disk for the next process to read
            fh.write(name + "\n")
        self.names.append(name)
        return self.media / name

    def make_durable(self) -> None:
        """Flush the files written to disk (and their names in the folder): called before the commit
        that refers to them, so that a power cut after it never leaves a row without its photo."""
        for name in self.names:
            with contextlib.suppress(FileNotFoundError):
                fsync_file(self.media / name)
        if self.names:
            fsync_folder(self.media)

    def committed(self) -> None:
        """The transaction referring to the files committed: they are the library's now."""
        self._drop()

    def rolled_back(self) -> None:
        """The transaction failed: remove the files it wrote."""
        for name in self.names:
            with contextlib.suppress(OSError):
                (self.media / name).unlink(missing_ok=True)
        self._drop()

    def _drop(self) -> None:
        if self.names:
            with contextlib.suppress(OSError):
                self.path.unlink(missing_ok=True)
        self.names.clear()


def _journals(media: Path) -> list[Path]:
    try:
        return sorted((media / JOURNAL_DIR).iterdir())
    except OSError:
        return []


def _journal_pid(path: Path) -> int | None:
    head = path.name.split("-", 1)[0]
    return int(head) if head.isdigit() else None


def pending_journal(journal: Path) -> bool:
    """Whether a journal belongs to a process still running."""
    pid = _journal_pid(journal)
    return pid is not None and process_alive(pid)


def pending_names(media: Path) -> set[str]:
    """Photo names that a running process is still writing (never orphans, whatever the rows say)."""
    names: set[str] = set()
    for journal in _journals(media):
        pid = _journal_pid(journal)
        if pid is not None and process_alive(pid):
            with contextlib.suppress(OSError, UnicodeDecodeError):
                names.update(line for line in journal.read_text(encoding="utf-8").splitlines() if line)
    return names


def recover(media: Path, referenced: Callable[[Iterable[str]], set[str]]) -> list[Path]:
    """Complete or roll back the journals of processes no longer running; returns the files removed.

    ``referenced(names)`` says which of ``names`` a photo row refers to.
    """
    removed: list[Path] = []
    for journal in _journals(media):
        pid = _journal_pid(journal)
        if pid is None or process_alive(pid):
            continue
        try:
            lines = journal.read_text(encoding="utf-8").splitlines()
            names = [n for n in lines if n and "/" not in n and "\\" not in n]
        except (OSError, UnicodeDecodeError):
            continue
        keep = referenced(names) if names else set()
        for name in names:
            path = media / name
            if name not in keep and path.is_file():
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
        with contextlib.suppress(OSError):
            journal.unlink()
    return removed


@dataclass(frozen=True)
class MediaAudit:
    """What the media folder holds against what the photo rows refer to."""

    orphans: tuple[Path, ...]
    missing: tuple[str, ...]  # file names referred to by a row, with no file


def audit(media: Path, referenced: set[str]) -> MediaAudit:
    """Files nothing refers to (and no running process is writing), and referred names with no file."""
    try:
        present = {p.name: p for p in media.iterdir() if is_photo_file(p)}
    except OSError:
        present = {}
    pending = pending_names(media)
    orphans = tuple(sorted(p for name, p in present.items() if name not in referenced and name not in pending))
    missing = tuple(sorted(name for name in referenced if name and name not in present))
    return MediaAudit(orphans, missing)


def media_dir_of(library: Path) -> Path:
    """The media folder of the library (or backup) file at ``library``: ``<name>.media`` beside it."""
    return library.with_name(library.stem + ".media")


def photo_names_in(library: Path) -> set[str]:
    """The media file names the photo rows of a library file refer to (read-only)."""
    uri = f"{library.resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        return {str(r[0]) for r in conn.execute("SELECT file_name FROM case_photo") if r[0]}


def copy_photos(source: Path, target: Path, names: Iterable[str]) -> int:
    """Copy the photos ``names`` from the media folder ``source`` to ``target`` (each atomically; one
    already there with the same size is kept, one missing at the source is left to ``check``)."""
    copied = 0
    for name in sorted(names):
        if "/" in name or "\\" in name or name.startswith("."):
            continue
        src, dst = source / name, target / name
        try:
            size = src.stat().st_size
        except OSError:
            continue
        with contextlib.suppress(OSError):
            if dst.stat().st_size == size:
                continue
        target.mkdir(parents=True, exist_ok=True)
        with atomic_write(dst) as tmp:
            shutil.copyfile(src, tmp)
        copied += 1
    return copied
