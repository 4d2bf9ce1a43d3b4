"""Writing files safely: one helper for every file the app writes, and the sweep of what a crash left.

``atomic_write(target)`` gives a temporary path beside ``target`` (the final rename must stay on one
file system) named ``.<name>.<pid>-<random>.casebook-part``. When the block ends normally the
temporary is flushed to disk (fsync), moved over the target, and the folder is synced so that the
rename itself survives a power cut; when it ends with an error the temporary is removed and the
target is as it was.

A process killed in the middle cannot remove its temporary, so each one is entered in a register
(the user's state folder, ``temporaries/``) for as long as it exists. ``sweep_temporaries`` — run when
the app starts — removes the temporaries of processes that are no longer running, wherever they
were written; ``stale_temporaries`` and ``sweep_folder`` do the same for one folder (``check``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop.domain.i18n import _
from desktop.paths import state_dir

#: Every temporary file the app writes ends in this.
TEMP_SUFFIX = ".casebook-part"
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-[0-9a-f]{8}" + re.escape(TEMP_SUFFIX) + r"$")


def explain_os_error(exc: OSError) -> str:
    """Why a file could not be read or written, in the user's words (the file itself is not named)."""
    reasons = {
        errno.ENOENT: _("文件或文件夹不存在"),
        errno.EACCES: _("没有访问权限"),
        errno.EPERM: _("不允许此操作"),
        errno.EROFS: _("文件系统只读"),
        errno.ENOSPC: _("磁盘空间不足"),
        getattr(errno, "EDQUOT", errno.ENOSPC): _("磁盘空间不足"),
        errno.EISDIR: _("这是一个文件夹"),
        errno.ENOTDIR: _("路径中有一段不是文件夹"),
        errno.EEXIST: _("文件已存在"),
    }
    if exc.errno is None:
        return str(exc)  # raised with a message of its own
    return reasons.get(exc.errno) or exc.strerror or str(exc)


def describe_os_error(exc: OSError) -> str:
    """What went wrong with a file, in the user's words, naming the file (a temporary by the name of
    the file it was to become)."""
    reason = explain_os_error(exc)
    if exc.errno is None or exc.filename is None:
        return reason
    where = Path(os.fsdecode(exc.filename))
    if found := _TEMP_NAME.match(where.name):
        where = where.with_name(found["name"])
    return _("无法打开或写入文件：{p}（{r}）").format(p=where, r=reason)


def temporary_name(target: Path) -> Path:
    """A fresh temporary path beside ``target``, carrying this process's id."""
    return target.with_name(f".{target.name[:80]}.{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}")


def owner_pid(path: Path) -> int | None:
    """The process id a temporary's name carries, or None when it is not one of the app's temporaries."""
    found = _TEMP_NAME.match(path.name)
    return int(found["pid"]) if found else None


def process_alive(pid: int) -> bool:
    """Whether a process with this id is running (a reused id counts as running: nothing live is removed)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate it on Windows
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (a no-op where folders cannot be opened)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a written file's data to disk."""
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _register_dir() -> Path:
    return state_dir() / "temporaries"


def _register(path: Path) -> Path | None:
    """Enter ``path`` in the register of temporaries; the entry, or None when the state folder cannot be
    written (a crash's leftover then waits for ``check --repair`` of its folder)."""
    entry = _register_dir() / f"{os.getpid()}-{secrets.token_hex(6)}"
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text(str(path.absolute()), encoding="utf-8")
    except OSError:
        return None
    return entry


def _unregister(entry: Path | None) -> None:
    if entry is not None:
        with contextlib.suppress(OSError):
            entry.unlink()


@dataclass(frozen=True)
class Staged:
    """A file written completely and synced to disk under a temporary name beside its target, waiting
    to be moved into place (``commit``) or dropped (``discard``) — by this process or another one."""

    temporary: Path
    target: Path
    entry: Path | None  # its entry in the register of temporaries
    mode: int = 0o644

    def commit(self) -> None:
        """Move the file over its target, durably; on failure the temporary is removed and it raises."""
        try:
            os.chmod(self.temporary, self.mode)
            os.replace(self.temporary, self.target)
        except BaseException:
            self.discard()
            raise
        _unregister(self.entry)
        fsync_folder(self.target.parent)

    def discard(self) -> None:
        """Drop the file; the target stays as it was."""
        with contextlib.suppress(OSError):
            self.temporary.unlink(missing_ok=True)
        _unregister(self.entry)


@contextlib.contextmanager
def staged_write(target: Path, *, mode: int = 0o644) -> Iterator[Staged]:
    """A ``Staged`` file whose ``temporary`` the block writes; synced when the block ends normally and
    left for the caller to commit, removed when it ends with an error (an ``OSError`` that names no file,
    a write to the open temporary failing, is raised again naming ``target``)."""
    tmp = temporary_name(target)
    staged = Staged(tmp, target, _register(tmp), mode)
    try:
        yield staged
        fsync_file(tmp)
    except OSError as exc:
        staged.discard()
        if exc.errno is not None and exc.filename is None:  # a write to the open file: name the target
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise
    except BaseException:
        staged.discard()
        raise


@contextlib.contextmanager
def atomic_write(target: Path, *, mode: int = 0o644) -> Iterator[Path]:
    """A temporary path to write ``target`` to; moved into place, durably, when the block ends normally.

    Errors of the block (and ``OSError`` of the move) propagate with the temporary removed and the
    target untouched.
    """
    with staged_write(target, mode=mode) as staged:
        yield staged.temporary
    staged.commit()


def stale_temporaries(folder: Path) -> list[Path]:
    """The app's temporaries in ``folder`` whose writing process is no longer running."""
    try:
        names = list(folder.iterdir())
    except OSError:
        return []
    out = []
    for path in names:
        pid = owner_pid(path)
        if pid is not None and not process_alive(pid):
            out.append(path)
    return sorted(out)


def sweep_folder(folder: Path) -> list[Path]:
    """Remove the stale temporaries of ``folder``; returns those removed."""
    removed = []
    for path in stale_temporaries(folder):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def sweep_temporaries() -> list[Path]:
    """Remove every temporary that a process no longer running left behind (from the register)."""
    removed: list[Path] = []
    try:
        entries = list(_register_dir().iterdir())
    except OSError:
        return removed
    for entry in entries:
        pid_text = entry.name.split("-", 1)[0]
        if not pid_text.isdigit() or process_alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError, UnicodeDecodeError):
            path = Path(entry.read_text(encoding="utf-8"))
            if owner_pid(path) is not None and path.is_file():  # only ever one of the app's own temporaries
                path.unlink()
                removed.append(path)
        with contextlib.suppress(OSError):
            entry.unlink()
    return removed
