"""Undo and redo of edits (Ctrl+Z / Ctrl+Shift+Z): every change to cases is a command whose
redo and undo write case snapshots through the services on the worker."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.domain.records import ModelCase
from desktop.services.casebook import Casebook
from desktop.ui.tasks import TaskRunner


class Changes(QObject):
    """Tells every view what changed, so each can decide whether to reload (one signal)."""

    cases_changed = Signal(list)  # uuids of changed cases ([] means "many/unknown")
    structure_changed = Signal()  # themes, regions, tags, pilots, saved searches …


class _SnapshotCommand(QUndoCommand):
    def __init__(self, history: History, text: str, before: Sequence[ModelCase], after: Sequence[ModelCase]) -> None:
        super().__init__(text)
        self.history = history
        self.before = list(before)
        self.after = list(after)

    def redo(self) -> None:
        self.history._write(self.after)

    def undo(self) -> None:
        self.history._write(self.before)


class _CallCommand(QUndoCommand):
    def __init__(self, history: History, text: str, do: Callable[[], object], undo: Callable[[], object]) -> None:
        super().__init__(text)
        self.history, self._do, self._undo = history, do, undo
        self.on_first_done: Callable[[Any], None] | None = None

    def redo(self) -> None:
        callback, self.on_first_done = self.on_first_done, None
        self.history._call(self._do, callback)

    def undo(self) -> None:
        self.history._call(self._undo)


class History(QObject):
    """The window's undo stack, wired to the worker and the change signal."""

    def __init__(self, book: Casebook, runner: TaskRunner, changes: Changes, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.book, self.runner, self.changes = book, runner, changes
        self.stack = QUndoStack(self)

    def edit(self, text: str, before: Sequence[ModelCase], after: Sequence[ModelCase]) -> None:
        """Record and perform an edit of cases from ``before`` to ``after`` snapshots."""
        self.stack.push(_SnapshotCommand(self, text, before, after))

    def create(self, case: ModelCase, on_created: Callable[[ModelCase], None]) -> None:
        """Add a new case, undoably (undo moves it to the trash, redo brings it back)."""
        cases = self.book.cases
        state = {"created": False}

        def do() -> object:
            if state["created"]:
                return cases.restore([case.uuid])
            state["created"] = True
            return cases.create(case)

        command = _CallCommand(self, self.tr("新建案例"), do, lambda: cases.trash([case.uuid]))
        command.on_first_done = on_created
        self.stack.push(command)

    def trash(self, uuids: list[str]) -> None:
        """Move cases to the trash, undoably."""
        cases = self.book.cases
        self.stack.push(
            _CallCommand(
                self,
                self.tr("删除 %n 个案例", "", len(uuids)),
                lambda: cases.trash(uuids),
                lambda: cases.restore(uuids),
            )
        )

    def restore(self, uuids: list[str]) -> None:
        """Bring cases back from the trash, undoably."""
        cases = self.book.cases
        self.stack.push(
            _CallCommand(
                self,
                self.tr("恢复 %n 个案例", "", len(uuids)),
                lambda: cases.restore(uuids),
                lambda: cases.trash(uuids),
            )
        )

    def _write(self, snapshots: list[ModelCase]) -> None:
        uuids = [c.uuid for c in snapshots]
        self.runner.run(
            lambda _job: self.book.cases.write_snapshots(snapshots),
            lambda _result: self.changes.cases_changed.emit(uuids),
            label=self.tr("保存"),
        )

    def _call(self, fn: Callable[[], object], then: Callable[[Any], None] | None = None) -> None:
        def done(result: object) -> None:
            self.changes.cases_changed.emit([])
            if then is not None:
                then(result)

        self.runner.run(lambda _job: fn(), done, label=self.tr("保存"))
