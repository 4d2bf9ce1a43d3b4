"""Background work: every database job runs on one serial worker thread; results come back
by signal on the UI thread.

``TaskRunner.run(fn, on_done)`` queues ``fn(job)`` on the worker. ``job`` lets long work report
progress and notice a cancel request. A job that raises reaches ``on_error`` (by default the
runner's ``failed`` signal, which the window turns into an error dialog and a log entry).
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from threading import Event
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a job when the user asked to cancel it."""


@dataclass
class Job:
    """What a running job sees: its id, a way to report progress, and the cancel flag."""

    id: int
    label: str
    _runner: TaskRunner
    _cancel: Event = field(default_factory=Event)

    def progress(self, done: int, total: int, text: str = "") -> None:
        """Report progress (thread-safe: delivered to the UI thread by signal)."""
        self._runner._worker.progressed.emit(self.id, done, total, text or self.label)

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

    @property
    def cancelled(self) -> bool:
        """Whether cancel was asked for."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the job to stop at its next check."""
        self._cancel.set()


@dataclass
class _Entry:
    job: Job
    fn: Callable[[Job], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException, str], None] | None


class _Worker(QObject):
    """Lives in the worker thread and runs jobs one after another."""

    run_job = Signal(object)
    finished = Signal(int, object)
    errored = Signal(int, object, str)
    progressed = Signal(int, int, int, str)

    def __init__(self) -> None:
        super().__init__()
        self.run_job.connect(self._run)

    @Slot(object)
    def _run(self, entry: _Entry) -> None:
        try:
            entry.job.check()
            result = entry.fn(entry.job)
        except BaseException as exc:  # everything is reported to the UI thread
            self.errored.emit(entry.job.id, exc, traceback.format_exc())
        else:
            self.finished.emit(entry.job.id, result)


class TaskRunner(QObject):
    """The serial worker of the window: one thread, jobs in submission order."""

    busy_changed = Signal(bool)
    progress = Signal(int, int, int, str)  # job id, done, total, text
    failed = Signal(object, str)  # exception, traceback text

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Entry] = {}
        self._thread = QThread()
        self._thread.setObjectName("casebook-worker")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._worker.finished.connect(self._finished)
        self._worker.errored.connect(self._errored)
        self._worker.progressed.connect(self.progress)
        self._thread.start()

    def run(
        self,
        fn: Callable[[Job], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException, str], None] | None = None,
        *,
        label: str = "",
    ) -> Job:
        """Queue ``fn`` on the worker; ``on_done(result)`` runs on the UI thread afterwards."""
        job = Job(next(self._ids), label, self)
        self._pending[job.id] = _Entry(job, fn, on_done, on_error)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self._worker.run_job.emit(self._pending[job.id])
        return job

    @property
    def busy(self) -> bool:
        """Whether any job is queued or running."""
        return bool(self._pending)

    def _pop(self, job_id: int) -> _Entry | None:
        entry = self._pending.pop(job_id, None)
        if not self._pending:
            self.busy_changed.emit(False)
        return entry

    @Slot(int, object)
    def _finished(self, job_id: int, result: Any) -> None:
        entry = self._pop(job_id)
        if entry is not None and entry.on_done is not None and not entry.job.cancelled:
            entry.on_done(result)

    @Slot(int, object, str)
    def _errored(self, job_id: int, exc: BaseException, details: str) -> None:
        entry = self._pop(job_id)
        if entry is None or isinstance(exc, Cancelled):
            return
        log.error("job %s failed: %s\n%s", entry.job.label or job_id, exc, details)
        if entry.on_error is not None:
            entry.on_error(exc, details)
        else:
            self.failed.emit(exc, details)

    def wait_idle(self, timeout_ms: int = 30_000) -> None:
        """Block until every queued job has run (for shutdown and tests); delivers results."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop

        deadline = QDeadlineTimer(timeout_ms)
        while self._pending and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def shutdown(self) -> None:
        """Finish the queued jobs, then stop the thread."""
        self.wait_idle()
        self._thread.quit()
        self._thread.wait()
