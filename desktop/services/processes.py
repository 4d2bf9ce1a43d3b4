"""Long work in helper processes: setting documents (PDF, Word), reading files (Excel, share bundles)
and importing them, beside the window instead of inside it.

Laying out a 500-case collection or importing a 10,000-case bundle is seconds of pure Python; in a
thread of the window it would hold the interpreter's lock and stall typing and searches. A
``HelperProcess`` keeps one child process (started on first use, *spawned*, so it shares nothing with
the window) and runs one job at a time in it:

* ``run(fn, args)`` — a top-level function of plain, picklable records (``render_pdf`` …), never the
  library;
* ``run_on_library(path, writer, editor, fn, args)`` — a service operation on the same library file,
  opened in the child (``import_bundle`` …). The child writes under the window's writer id, so the
  change log does not report the window's own import back to it as another writer's; the operation's
  change set and undo step come back with its value, and the caller puts the step on the window's
  history.

The child reports progress back and stops at its next progress report once the parent asks it to.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import threading
import traceback
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from desktop.domain.i18n import _

#: Progress callback: (done, total, what).
Progress = Callable[[int, int, str], None]


class HelperCancelled(Exception):
    """The parent asked the running job to stop."""


class HelperFailed(RuntimeError):
    """The child process failed in a way that could not be sent back as the job's own error."""


class _Child:
    """What the child keeps between jobs: the library it last opened."""

    def __init__(self) -> None:
        self.library: Any = None

    def book(self, path: Path, writer: str, editor: Any) -> Any:
        from desktop.services.casebook import Casebook
        from desktop.services.context import ServiceContext, UndoHistory
        from desktop.store.db import open_library

        if self.library is None or self.library.path != path:
            if self.library is not None:
                self.library.close()
            self.library = open_library(path)
        self.library.writer_id = writer
        # a fresh history per job: the step the job pushes is sent back to the window's history
        return Casebook(self.library, ctx=ServiceContext(self.library, editor, history=UndoHistory()))


def _serve(conn: Connection) -> None:
    """The child's loop: run each job sent, answer with its result or its error. The libraries the
    jobs use are loaded first, while the parent is still idle."""
    with contextlib.suppress(Exception):
        import desktop.briefs.render
        import desktop.services.casebook  # noqa: F401
    child = _Child()
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message[0] == "stop":
            return
        if message[0] not in ("run", "library"):
            continue

        def progress(done: int, total: int, what: str = "") -> None:
            while conn.poll():
                if conn.recv()[0] == "cancel":
                    raise HelperCancelled
            conn.send(("progress", done, total, what))

        try:
            if message[0] == "run":
                _kind, fn, args = message
                result = fn(*args, progress=progress)
                step = None
            else:
                _kind, path, writer, editor, fn, args = message
                book = child.book(path, writer, editor)
                result = fn(book, *args, progress=progress)
                step = book.ctx.history.peek()
        except HelperCancelled:
            conn.send(("cancelled",))
        except BaseException as exc:  # sent back to the parent, which raises it there
            details = traceback.format_exc()
            try:
                pickle.loads(pickle.dumps(exc))  # what the parent cannot rebuild is sent as text
            except Exception:
                exc = HelperFailed(f"{type(exc).__name__}: {exc}")
            conn.send(("error", exc, details))
        else:
            conn.send(("done", result, step))


class HelperProcess:
    """One child process for long jobs, run one at a time (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None

    def start(self) -> None:
        """Start the child process now (the first job would otherwise pay for it)."""
        with self._lock:
            self._start()

    def _start(self) -> Connection:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return self._conn
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe(duplex=True)
        self._process = ctx.Process(target=_serve, args=(child,), name="casebook-helper", daemon=True)
        self._process.start()
        child.close()
        self._conn = parent
        return parent

    def run(
        self, fn: Callable[..., Any], args: tuple[Any, ...], progress: Progress, cancelled: Callable[[], bool]
    ) -> Any:
        """Run ``fn(*args, progress=…)`` in the child; relay its progress; cancel it when ``cancelled()``
        turns true (then ``HelperCancelled`` is raised here). Its own errors are raised here."""
        result, _step = self._job(("run", fn, args), progress, cancelled)
        return result

    def run_on_library(
        self,
        path: Path,
        writer: str,
        editor: Any,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        progress: Progress,
        cancelled: Callable[[], bool],
    ) -> tuple[Any, Any]:
        """Run ``fn(book, *args, progress=…)`` on the library at ``path`` in the child, acting for
        ``editor`` and writing as ``writer``; returns its result and the undo step it left (or None)."""
        return self._job(("library", path, writer, editor, fn, args), progress, cancelled)

    def _job(self, message: tuple[Any, ...], progress: Progress, cancelled: Callable[[], bool]) -> tuple[Any, Any]:
        with self._lock:
            conn = self._start()
            conn.send(message)
            asked = False
            while True:
                if not asked and cancelled():
                    conn.send(("cancel",))
                    asked = True
                if not conn.poll(0.05):
                    if self._process is not None and not self._process.is_alive():
                        self._conn = None
                        raise HelperFailed(_("后台进程意外退出"))
                    continue
                answer = conn.recv()
                if answer[0] == "progress":
                    progress(answer[1], answer[2], answer[3])
                elif answer[0] == "done":
                    return answer[1], answer[2]
                elif answer[0] == "cancelled":
                    raise HelperCancelled
                elif answer[0] == "error":
                    raise answer[1]

    def close(self) -> None:
        """Stop the child process."""
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(OSError):
                    self._conn.send(("stop",))
                self._conn.close()
                self._conn = None
            if self._process is not None:
                self._process.join(timeout=5)
                if self._process.is_alive():
                    self._process.terminate()
                self._process = None


# the jobs: documents from records ----------------------------------------------------------------


def render_pdf(
    prepared: Any, out: Path, fonts: dict[str, Path] | None, staged: bool = False, *, progress: Progress
) -> Any:
    """A prepared brief or collection set as a PDF (``BriefService.render``; ``staged`` for an export
    that ``BriefService.record`` then moves into place)."""
    from desktop.services.briefs import BriefService

    return BriefService.render(
        prepared, out, progress=lambda done, total: progress(done, total, ""), font_preferences=fonts, staged=staged
    )


def render_docx(prepared: Any, out: Path, *, progress: Progress) -> Any:
    """A prepared brief or collection written as a Word file (``WordService.render_docx``)."""
    from desktop.services.documents import WordService

    progress(0, 1, "")
    return WordService.render_docx(prepared, out)


def read_workbook(path: Path, vocabulary: Any, *, progress: Progress) -> Any:
    """A filled Excel template read against the library's vocabulary (``WorkbookService.parse``)."""
    from desktop.services.workbooks import WorkbookService

    return WorkbookService.parse(path, vocabulary, progress=lambda done, total: progress(done, total, ""))


# the jobs: operations on the library -------------------------------------------------------------


def preview_bundle(book: Any, path: Path, *, progress: Progress) -> Any:
    """What importing a share bundle would do (``ShareService.preview``)."""
    return book.share.preview(path, progress=progress)


def import_bundle(
    book: Any, plan: Any, decisions: Mapping[str, Any], default: Any = None, *, progress: Progress
) -> Any:
    """A previewed bundle imported (``ShareService.apply``): an ``Op``."""
    return book.share.apply(plan, decisions, default=default, progress=progress)


def import_workbook(book: Any, path: Path, reading: Any, valid_only: bool, *, progress: Progress) -> Any:
    """The cases of a read template imported (``WorkbookService.import_reading``): an ``Op``."""
    progress(0, 1, "")
    return book.workbooks.import_reading(path, reading, valid_only=valid_only)
