"""What a user does, as real input events on real widgets: clicks, key presses, typing — and the
waits a user makes until the window has caught up. UI tests drive the window through these only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDeadlineTimer, QModelIndex, QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QWidget
from pytestqt.qtbot import QtBot

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 10_000


def click(qtbot: QtBot, widget: QWidget, button: Qt.MouseButton = Qt.MouseButton.LeftButton) -> None:
    """Click the middle of a visible, enabled widget (a button, a check box …)."""
    assert widget.isVisible(), f"{widget!r} is not visible"
    assert widget.isEnabled(), f"{widget!r} is not enabled"
    qtbot.mouseClick(widget, button, pos=widget.rect().center())


def click_index(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex, *, double: bool = False) -> None:
    """Click (or double-click) a row of a list, table or tree where it is drawn, scrolling to it first."""
    view.scrollTo(index)
    rect = view.visualRect(index)
    assert rect.isValid() and view.viewport().rect().intersects(rect), "the row is not on screen"
    pos = QPoint(rect.left() + min(20, max(rect.width() // 2, 1)), rect.center().y())
    if double:  # a double click is a click and then a second press, as the mouse delivers it
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    else:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def find_row(view: QAbstractItemView, text: str, *, column: int = 0, starts: bool = True) -> QModelIndex:
    """The first row (depth first, in a tree) whose text in ``column`` starts with (or equals) ``text``."""
    model = view.model()

    def walk(parent: QModelIndex) -> QModelIndex | None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, column, parent)
            shown = str(index.data() or "")
            if shown.startswith(text) if starts else shown == text:
                return index
            found = walk(model.index(row, 0, parent))
            if found is not None:
                return found
        return None

    found = walk(QModelIndex())
    assert found is not None, f"no row “{text}” in {view.accessibleName() or view!r}"
    return found


def enter(widget: QWidget, text: str) -> None:
    """Type ``text`` into the focused ``widget`` as a user does: Latin letters, digits and punctuation
    key by key, Chinese through the input method (committed phrase by phrase, as an IME commits)."""
    run = ""

    def commit() -> None:
        nonlocal run
        if run:
            event = QInputMethodEvent("", [])
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)
            run = ""

    for ch in text:
        if ch.isascii() and ch.isprintable():
            commit()
            QTest.keyClicks(widget, ch)
        elif ch == "\n":
            commit()
            QTest.keyClick(widget, Qt.Key.Key_Return)
        else:
            run += ch
    commit()


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Give a field the keyboard focus by clicking it, then type ``text`` at the end of what is there."""
    click(qtbot, widget)
    QTest.keyClick(widget, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # the end of a text area
    QTest.keyClick(widget, Qt.Key.Key_End)  # the end of a one-line field (which ignores Ctrl+End)
    enter(widget, text)


def replace_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Click a field, select all of it (Ctrl+A) and type ``text`` over it (Delete when it is empty)."""
    click(qtbot, widget)
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        enter(widget, text)
    else:
        QTest.keyClick(widget, Qt.Key.Key_Delete)


def press(
    qtbot: QtBot, widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """Press a key (a shortcut) with the focus in ``widget``."""
    if not widget.hasFocus():
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
    QTest.keyClick(widget, key, modifiers)


def shortcut(
    qtbot: QtBot, window: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """Press a window shortcut with the focus wherever it is now (the focused widget, else the window).
    A window that is not the active one (a dialog just closed) is brought to the front first, as the
    user's click on it would."""
    if not window.isActiveWindow():
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT_MS)
    target = QApplication.focusWidget() or window
    QTest.keyClick(target, key, modifiers)


def button(parent: QWidget, text: str) -> QAbstractButton:
    """The visible button whose text (or accessible name) is ``text``."""
    for b in parent.findChildren(QAbstractButton):
        if b.isVisible() and text in (b.text().replace("&", ""), b.accessibleName()):
            return b
    raise AssertionError(f"no visible button “{text}”")


def wait(qtbot: QtBot, condition: Callable[[], Any], timeout: int = TIMEOUT_MS) -> None:
    """Wait until ``condition()`` holds, as a user waits for the window."""
    qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)


def active_modal(qtbot: QtBot, cls: type[QWidget] | None = None, timeout: int = TIMEOUT_MS) -> QWidget:
    """The modal dialog that opened (of ``cls`` when given)."""
    found: list[QWidget] = []

    def opened() -> bool:
        widget = QApplication.activeModalWidget()
        if widget is not None and (cls is None or isinstance(widget, cls)) and widget.isVisible():
            found[:] = [widget]
            return True
        return False

    qtbot.waitUntil(opened, timeout=timeout)
    return found[0]


def cli(library: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``casebook`` as another program would, on the same library."""
    environment = {**os.environ, "CASEBOOK_EDITOR": "命令行", "CASEBOOK_UNIT": "市农业农村局", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--library", str(library), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def stored_case(library: Path, uuid: str) -> dict[str, Any]:
    """A case as another program reads it back from the library (``casebook show ID --json``)."""
    result = cli(library, "show", uuid, "--json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


class ModalScript:
    """Acts in a modal dialog that a click or key press is about to open (and that blocks until closed):
    ``with ModalScript(qtbot) as script: script.when(QFileDialog, choose_file); click(...)``. Each step
    runs when a dialog of its class is the active modal window; errors inside come back out."""

    def __init__(self, qtbot: QtBot) -> None:
        from PySide6.QtCore import QTimer

        self.qtbot = qtbot
        self.steps: list[tuple[type[QWidget], Callable[[Any], None]]] = []
        self.errors: list[BaseException] = []
        self.timer = QTimer()
        self.timer.setInterval(30)
        self.timer.timeout.connect(self._tick)
        self.deadline = QDeadlineTimer(TIMEOUT_MS * 2)
        self.last: QWidget | None = None

    def when(self, cls: type[QWidget], action: Callable[[Any], None]) -> ModalScript:
        """Add a step: when a ``cls`` dialog is active and visible, do ``action(dialog)``."""
        self.steps.append((cls, action))
        return self

    def _tick(self) -> None:
        if not self.steps:
            self._watch_last()
            return
        cls, action = self.steps[0]
        widget = _open_dialog(cls)
        if widget is None:
            if self.deadline.hasExpired():  # never let a dialog left open block the test run
                self._give_up(f"no {cls.__name__} opened, or it was not answered in time")
            return
        self.steps.pop(0)
        self.deadline = QDeadlineTimer(TIMEOUT_MS * 2)
        self.last = widget
        try:
            action(widget)
        except BaseException as exc:  # reported when the script ends
            self.errors.append(exc)
            widget.close()

    def _watch_last(self) -> None:
        """After the last step: stop once its dialog has closed; close it (as a failure) if it stays open."""
        last = self.last
        if last is None or not last.isVisible():
            self.timer.stop()
        elif self.deadline.hasExpired():
            self._give_up(f"the {type(last).__name__} stayed open after its step")

    def _give_up(self, why: str) -> None:
        from PySide6.QtWidgets import QDialog

        self.errors.append(AssertionError(why))
        self.steps.clear()
        self.last = None
        for stuck in [QApplication.activeModalWidget(), *QApplication.topLevelWidgets()]:
            if isinstance(stuck, QDialog) and stuck.isVisible():
                stuck.reject()

    def __enter__(self) -> ModalScript:
        self.deadline = QDeadlineTimer(TIMEOUT_MS * 2)
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            wait(self.qtbot, lambda: not self.steps or self.errors)
        self.timer.stop()
        if self.errors:
            raise self.errors[0]
        assert not self.steps, f"{len(self.steps)} dialog step(s) never ran"


def _open_dialog(cls: type[QWidget]) -> QWidget | None:
    """The modal dialog of ``cls`` on screen now, if any (the active one first)."""
    widget = QApplication.activeModalWidget()
    if isinstance(widget, cls) and widget.isVisible():
        return widget
    for top in QApplication.topLevelWidgets():
        if isinstance(top, cls) and top.isVisible():
            return top
    return None


def choose_file(qtbot: QtBot, path: Path) -> Callable[[Any], None]:
    """A step for ``ModalScript``: type ``path`` into a file dialog's name field and press Enter."""
    from PySide6.QtWidgets import QFileDialog, QLineEdit

    def act(dialog: QFileDialog) -> None:
        field = dialog.findChild(QLineEdit, "fileNameEdit")
        assert field is not None, "the file dialog has no file name field"
        # As a user does: wait for the dialog to list its folder, type the path, check what the field
        # shows (the dialog's completion may take keys while it is still loading) and type it again if
        # need be, close the completion list, press Enter.
        QTest.qWait(150)
        for _attempt in range(8):
            field.setFocus()
            QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            enter(field, str(path))
            completer = field.completer()
            if completer is not None and completer.popup().isVisible():
                QTest.keyClick(completer.popup(), Qt.Key.Key_Escape)
            if field.text() == str(path):
                QTest.keyClick(field, Qt.Key.Key_Return)
                if not dialog.isVisible():
                    return
            QTest.qWait(150)
        raise AssertionError(f"the file dialog did not take {path} (its field shows {field.text()!r})")

    return act
