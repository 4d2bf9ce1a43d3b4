"""The one way the window changes the library, and the one way it hears of changes.

``Operations.write(label, op, on_done)`` runs ``op(book, job)`` — a service operation returning
``Op`` — on the write lane, for the editor identity the window has *when the operation is
started*. When it succeeds, its change set is broadcast once with ``changed(changes, initiator)``
and then ``on_done(value)`` runs; when it fails, the error goes to the caller's ``on_error`` or is
shown over the widget that started it. Reads (``read``) and rendering or parsing (``work``) run on
their own lanes. Changes other writers make (another window, the command line) are read from the
library's change log every second and broadcast the same way, with no initiator.

Every view listens to ``changed`` and decides from the change set what to refresh; nothing else
tells a view to reload.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desktop.domain.changes import ChangeSet
from desktop.services.casebook import Casebook
from desktop.services.context import Editor, Op
from desktop.services.processes import HelperCancelled
from desktop.services.undo import NothingToUndoError, UndoConflictError
from desktop.store.changelog import LogPosition
from desktop.ui.errors import show_error
from desktop.ui.tasks import Cancelled, Job, Lane, Workers

T = TypeVar("T")

#: How often the change log is read for other writers' changes.
WATCH_MS = 1000


class Operations(QObject):
    """Runs the window's operations and broadcasts what they (and other writers) changed."""

    changed = Signal(object, object)  # ChangeSet, initiator (the object that started it; None: another writer)
    history_changed = Signal()  # the undo and redo steps may be others now

    def __init__(self, book: Casebook, workers: Workers, editor: Editor, window: QWidget | None = None) -> None:
        super().__init__(window)
        self.book = book
        self.workers = workers
        self.editor = editor
        self.window = window
        self._position: LogPosition | None = None
        self._watch = QTimer(self, interval=WATCH_MS)
        self._watch.timeout.connect(self.poll)
        self._polling = False

    # running ---------------------------------------------------------------------------------
    def acting(self) -> Casebook:
        """The services acting for the editor as the window knows them now."""
        return self.book.acting_as(self.editor)

    def write(
        self,
        label: str,
        op: Callable[[Casebook, Job], Op[T]],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException, str], None] | None = None,
        *,
        initiator: object = None,
        progress: str | None = None,
    ) -> Job:
        """Run a service operation on the write lane (see the module's text); ``progress``: a title for
        a progress dialog with a cancel button, shown when the operation takes a while."""
        book = self.acting()

        def done(result: Op[T]) -> None:
            self.broadcast(result.changes, initiator)
            self.history_changed.emit()
            if on_done is not None:
                on_done(result.value)

        def failed(exc: BaseException, details: str) -> None:
            self.history_changed.emit()
            (on_error or self._error_over(initiator))(exc, details)

        job = self.workers.submit(Lane.WRITE, lambda j: op(book, j), done, failed, label=label)
        if progress is not None:
            self.show_progress(job, progress)
        return job

    def read(
        self,
        label: str,
        fn: Callable[[Casebook, Job], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException, str], None] | None = None,
        *,
        key: str | None = None,
        initiator: object = None,
    ) -> Job:
        """Read on the read lane; a read with ``key`` supersedes the earlier one of that key."""
        book = self.book
        return self.workers.submit(
            Lane.READ, lambda j: fn(book, j), on_done, on_error or self._error_over(initiator), label=label, key=key
        )

    def work(
        self,
        label: str,
        fn: Callable[[Job], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException, str], None] | None = None,
        *,
        initiator: object = None,
        progress: str | None = None,
    ) -> Job:
        """Render or parse on the work lane; ``fn`` gets only what it was handed, never the library."""
        job = self.workers.submit(Lane.WORK, fn, on_done, on_error or self._error_over(initiator), label=label)
        if progress is not None:
            self.show_progress(job, progress)
        return job

    def render(
        self,
        label: str,
        fn: Callable[..., T],
        args: tuple[object, ...],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException, str], None] | None = None,
        *,
        initiator: object = None,
        progress: str | None = None,
    ) -> Job:
        """Set a document in the render helper process (``desktop.services.processes``):
        ``fn(*args, progress=…)``, a top-level function of plain records; progress and cancel go
        through the job."""
        helper = self.workers.helper("render")

        def run(job: Job) -> T:
            try:
                result: T = helper.run(fn, args, job.progress, lambda: job.cancelled)
            except HelperCancelled:
                raise Cancelled from None
            return result

        return self.work(label, run, on_done, on_error, initiator=initiator, progress=progress)

    def _on_helper(self, fn: Callable[..., object], args: tuple[object, ...], job: Job) -> tuple[object, object]:
        helper = self.workers.helper("library")
        library = self.book.library
        try:
            return helper.run_on_library(
                library.path, library.writer_id, self.editor, fn, args, job.progress, lambda: job.cancelled
            )
        except HelperCancelled:
            raise Cancelled from None

    def write_apart(
        self,
        label: str,
        fn: Callable[..., Op[T]],
        args: tuple[object, ...],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[BaseException, str], None] | None = None,
        *,
        initiator: object = None,
        progress: str | None = None,
    ) -> Job:
        """A long service operation (an import) run in the library helper process, on the same file,
        still one write of the write lane: ``fn(book, *args, progress=…)`` returns an ``Op``; its undo
        step joins this window's history and its change set is broadcast as ``write`` does."""
        history = self.book.ctx.history

        def op(_book: Casebook, job: Job) -> Op[T]:
            result, step = self._on_helper(fn, args, job)
            if step is not None:
                history.push(step)  # type: ignore[arg-type]
            assert isinstance(result, Op)
            return result

        return self.write(label, op, on_done, on_error, initiator=initiator, progress=progress)

    def read_apart(
        self,
        label: str,
        fn: Callable[..., T],
        args: tuple[object, ...],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException, str], None] | None = None,
        *,
        initiator: object = None,
        progress: str | None = None,
    ) -> Job:
        """A long read that also parses a file (a bundle's preview), in the library helper process."""

        def run(_book: Casebook, job: Job) -> T:
            result, _step = self._on_helper(fn, args, job)
            return result  # type: ignore[return-value]

        job = self.read(label, run, on_done, on_error, initiator=initiator)
        if progress is not None:
            self.show_progress(job, progress)
        return job

    def _error_over(self, initiator: object) -> Callable[[BaseException, str], None]:
        parent = initiator if isinstance(initiator, QWidget) else self.window

        def shown(exc: BaseException, details: str) -> None:
            show_error(parent, exc, details)

        return shown

    def show_progress(self, job: Job, title: str, *, cancellable: bool = True) -> QProgressDialog:
        """A window-modal progress dialog for ``job`` (shown after 300 ms) whose button cancels it."""
        dialog = QProgressDialog(title, self.tr("取消") if cancellable else "", 0, 0, self.window)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.setWindowTitle(self.tr("试点案例库"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)

        def moved(job_id: int, n: int, total: int, text: str) -> None:
            if job_id == job.id:
                dialog.setMaximum(max(total, 1))
                dialog.setValue(min(n, max(total, 1)))
                if text:
                    dialog.setLabelText(text)

        def ended(job_id: int) -> None:
            if job_id == job.id:
                self.workers.progress.disconnect(moved)
                self.workers.ended.disconnect(ended)
                dialog.reset()
                dialog.deleteLater()

        self.workers.progress.connect(moved)
        self.workers.ended.connect(ended)
        dialog.canceled.connect(job.cancel)
        return dialog

    # change sets -----------------------------------------------------------------------------
    def broadcast(self, changes: ChangeSet, initiator: object = None) -> None:
        """Tell every view what changed (once per operation)."""
        if not changes.empty:
            self.changed.emit(changes, initiator)

    def start_watching(self) -> None:
        """Read the change log from where it stands now; poll it every second for other writers."""

        def placed(position: LogPosition) -> None:
            self._position = position
            self._watch.start()

        self.read(self.tr("读取更改"), lambda b, _j: b.library.log_position(), placed, lambda *_a: None)

    def stop_watching(self) -> None:
        """Stop polling the change log."""
        self._watch.stop()

    def poll(self) -> None:
        """Read (on the read lane) what other writers committed since the last look, and broadcast it."""
        if self._position is None or self._polling:
            return
        self._polling = True
        since = self._position

        def arrived(result: tuple[LogPosition, ChangeSet]) -> None:
            self._polling = False
            self._position, changes = result
            self.broadcast(changes, None)

        def failed(_exc: BaseException, _details: str) -> None:
            self._polling = False  # a locked file or a passing error: the next poll tries again

        self.read(self.tr("读取更改"), lambda b, _j: b.library.changes_since(since), arrived, failed)

    # undo and redo ---------------------------------------------------------------------------
    def undo(self, *, redo: bool = False, before: Callable[[], bool] | None = None) -> None:
        """Undo (or redo) the last step, on the write lane; when it would overwrite someone else's
        later change, ask first. ``before`` runs first (an editor saving what is typed)."""
        if before is not None and not before():
            return
        self._undo(redo=redo, force=False)

    def _undo(self, *, redo: bool, force: bool) -> None:
        label = self.tr("重做") if redo else self.tr("撤销")

        def run(book: Casebook, _job: Job) -> Op[str]:
            return book.undo.redo(force=force) if redo else book.undo.undo(force=force)

        def failed(exc: BaseException, details: str) -> None:
            if isinstance(exc, NothingToUndoError):
                return
            if isinstance(exc, UndoConflictError):
                answer = QMessageBox.question(
                    self.window,
                    label,
                    str(exc) + "\n\n" + (self.tr("仍要重做吗？") if redo else self.tr("仍要撤销吗？")),
                )
                if answer == QMessageBox.StandardButton.Yes:
                    self._undo(redo=redo, force=True)
                return
            show_error(self.window, exc, details)

        def done(step: str) -> None:
            if self.window is not None and hasattr(self.window, "statusBar"):
                text = self.tr("已重做：{step}") if redo else self.tr("已撤销：{step}")
                self.window.statusBar().showMessage(text.format(step=step), 4000)

        self.write(label, run, done, failed)

    def labels(self) -> tuple[str | None, str | None]:
        """The names of the next undo and redo steps."""
        return self.book.undo.labels()
