"""Background work of the window, on three lanes; results come back by signal on the UI thread.

* ``Lane.WRITE`` — every database write, one after another on one thread (SQLite takes one writer).
* ``Lane.READ`` — searches, table pages, counts, record loads: a small pool beside the writes, so a
  long import never holds up a search. A read submitted with a ``key`` supersedes the earlier
  read of that key (a new search cancels the one still running).
* ``Lane.WORK`` — rendering (PDF, Word) and parsing files, on plain records handed to the job:
  no database, so it competes with neither. The heavy part runs in a child process (``helper``), so
  the window's thread keeps the interpreter to itself; long imports do so too, from the write lane.

``Workers.submit(lane, fn, on_done, on_error)`` runs ``fn(job)``; ``job`` reports progress and
notices a cancel request. A job that raises reaches ``on_error`` (by default the ``failed``
signal). Jobs never touch widgets: they get plain values and return plain values.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from threading import Event
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from desktop.services.processes import HelperProcess

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job when the user asked to cancel it."""


class Lane(Enum):
    """Where a job runs."""

    WRITE = "write"
    READ = "read"
    WORK = "work"


#: The shortest time between two progress reports of one job that reach the window.
PROGRESS_INTERVAL_S = 0.1
#: Threads per lane.
THREADS = {Lane.WRITE: 1, Lane.READ: 2, Lane.WORK: 1}


@dataclass
class Job:
    """What a running job sees: its id, a way to report progress, and the cancel flag."""

    id: int
    label: str
    lane: Lane
    _workers: Workers
    key: str | None = None
    _cancel: Event = field(default_factory=Event)
    _last_report: float = 0.0
    _last_text: str = ""

    def progress(self, done: int, total: int, text: str = "") -> None:
        """Report progress (thread-safe: delivered to the UI thread by signal), at most ten times a
        second, and always the last step and a change of what is being done."""
        now = time.monotonic()
        label = text or self.label
        if done < total and label == self._last_text and now - self._last_report < PROGRESS_INTERVAL_S:
            return
        self._last_report, self._last_text = now, label
        self._workers._relay.progressed.emit(self.id, done, total, label)

    def check(self) -> None:
        """Stop here with ``Cancelled`` if the user cancelled the job."""
        if self._cancel.is_set():
            raise Cancelled

    def reporter(self, label: str) -> Callable[[int, int], None]:
        """A progress callback for long work (a render, a check, an import): it stops the work
        with ``Cancelled`` once the user cancelled, and reports progress under ``label`` otherwise."""

        def step(done: int, total: int) -> None:
            self.check()
            self.progress(done, total, label)

        return step

    def stepper(self) -> Callable[[int, int, str], None]:
        """A progress callback of the services' kind, ``(done, total, what)``, that stops on cancel."""

        def step(done: int, total: int, what: str) -> None:
            self.check()
            self.progress(done, total, what)

        return step

    @property
    def cancelled(self) -> bool:
        """Whether cancel was asked for."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the job to stop at its next check; its result, if any, is dropped."""
        self._cancel.set()


@dataclass
class _Entry:
    job: Job
    fn: Callable[[Job], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException, str], None] | None


class _Relay(QObject):
    """Lives in the UI thread; worker threads emit on it, so its slots run on the UI thread."""

    finished = Signal(object, object)  # entry, result
    errored = Signal(object, object, str)  # entry, exception, traceback
    progressed = Signal(int, int, int, str)


class Workers(QObject):
    """The window's lanes of background work."""

    busy_changed = Signal(bool)
    progress = Signal(int, int, int, str)  # job id, done, total, text
    failed = Signal(object, str)  # exception, traceback text (jobs without an error handler of their own)
    ended = Signal(int)  # job id: the job finished, failed or was cancelled (before its result is handled)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Entry] = {}
        self._keyed: dict[str, Job] = {}
        self._relay = _Relay(self)
        self._relay.finished.connect(self._finished)
        self._relay.errored.connect(self._errored)
        self._relay.progressed.connect(self.progress)
        self._queues: dict[Lane, queue.SimpleQueue[_Entry | None]] = {}
        self._threads: list[threading.Thread] = []
        self._held: list[_Entry] | None = None
        self._helpers: dict[str, HelperProcess] = {}
        for lane, count in THREADS.items():
            q: queue.SimpleQueue[_Entry | None] = queue.SimpleQueue()
            self._queues[lane] = q
            for n in range(count):
                t = threading.Thread(target=self._loop, args=(q,), name=f"casebook-{lane.value}-{n}", daemon=True)
                t.start()
                self._threads.append(t)

    # submitting ------------------------------------------------------------------------------
    def submit(
        self,
        lane: Lane,
        fn: Callable[[Job], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException, str], None] | None = None,
        *,
        label: str = "",
        key: str | None = None,
    ) -> Job:
        """Queue ``fn`` on ``lane``; ``on_done(result)`` runs on the UI thread afterwards (not when
        the job was cancelled, unless it is a write that committed all the same). ``key``: a newer job
        of the same key cancels this one."""
        job = Job(next(self._ids), label, lane, self, key)
        if key is not None:
            earlier = self._keyed.get(key)
            if earlier is not None:
                earlier.cancel()
            self._keyed[key] = job
        entry = _Entry(job, fn, on_done, on_error)
        self._pending[job.id] = entry
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        if self._held is not None and lane != Lane.WRITE:
            self._held.append(entry)
        else:
            self._queues[lane].put(entry)
        return job

    def hold(self) -> None:
        """Keep reads and work queued (not started) until ``release``: writes go on, so a library
        can be prepared (upgraded, re-indexed) before anything reads it."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Start the reads and work held back by ``hold``."""
        held, self._held = self._held or [], None
        for entry in held:
            self._queues[entry.job.lane].put(entry)

    def helper(self, name: str) -> HelperProcess:
        """A child process for long jobs (``render`` for documents, ``library`` for imports and
        previews), started on first use."""
        if name not in self._helpers:
            self._helpers[name] = HelperProcess()
        return self._helpers[name]

    def prewarm(self) -> None:
        """Start the helper processes in the background, so that the first preview or import does not
        wait for them."""
        self.submit(Lane.WORK, lambda _job: self.helper("render").start(), label="")
        self.submit(Lane.WORK, lambda _job: self.helper("library").start(), label="")

    @property
    def busy(self) -> bool:
        """Whether any job is queued or running."""
        return bool(self._pending)

    def pending_on(self, lane: Lane) -> int:
        """How many jobs of ``lane`` are queued or running."""
        return sum(1 for e in self._pending.values() if e.job.lane == lane)

    # the worker threads -----------------------------------------------------------------------
    def _loop(self, q: queue.SimpleQueue[_Entry | None]) -> None:
        while True:
            entry = q.get()
            if entry is None:
                return
            try:
                entry.job.check()
                result = entry.fn(entry.job)
            except BaseException as exc:  # everything is reported to the UI thread
                self._relay.errored.emit(entry, exc, traceback.format_exc())
            else:
                self._relay.finished.emit(entry, result)

    # results, on the UI thread -------------------------------------------------------------------
    def _pop(self, entry: _Entry) -> bool:
        found = self._pending.pop(entry.job.id, None) is not None
        key = entry.job.key
        if key is not None and self._keyed.get(key) is entry.job:
            del self._keyed[key]
        if found:
            self.ended.emit(entry.job.id)
            if not self._pending:
                self.busy_changed.emit(False)
        return found

    @Slot(object, object)
    def _finished(self, entry: _Entry, result: Any) -> None:
        # A write that finished has committed: its result is delivered even when a cancel came too late.
        wanted = not entry.job.cancelled or entry.job.lane == Lane.WRITE
        if self._pop(entry) and entry.on_done is not None and wanted:
            entry.on_done(result)

    @Slot(object, object, str)
    def _errored(self, entry: _Entry, exc: BaseException, details: str) -> None:
        if not self._pop(entry) or isinstance(exc, Cancelled) or entry.job.cancelled:
            return
        log.error("job %s failed: %s\n%s", entry.job.label or entry.job.id, exc, details)
        if entry.on_error is not None:
            entry.on_error(exc, details)
        else:
            self.failed.emit(exc, details)

    def wait_idle(self, timeout_ms: int = 30_000) -> None:
        """Block until every queued job has run (for shutdown and tests); delivers results."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop

        if self._held is not None:
            self.release()
        deadline = QDeadlineTimer(timeout_ms)
        while self._pending and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def shutdown(self) -> None:
        """Finish the queued jobs, then stop the threads."""
        self.wait_idle()
        for lane, q in self._queues.items():
            for _ in range(THREADS[lane]):
                q.put(None)
        for t in self._threads:
            t.join(timeout=10)
        for helper in self._helpers.values():
            helper.close()
