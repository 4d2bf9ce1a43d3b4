"""Fixtures of the window tests: the CJK font, the lanes of background work and the operations runner
on a real library (shut down after each test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from desktop.services.casebook import Casebook
from desktop.services.context import Editor
from desktop.ui.fonts import apply_font, register_cjk_font
from desktop.ui.operations import Operations
from desktop.ui.tasks import Workers
from tests.conftest import TEST_EDITOR


@pytest.fixture
def cjk(qapp: QApplication) -> QApplication:
    """The application with the bundled Chinese font, as the window sets it."""
    qapp.setFont(apply_font(register_cjk_font()))
    return qapp


@pytest.fixture
def workers(cjk: QApplication) -> Iterator[Workers]:
    """The read, write and work lanes, stopped after the test."""
    lanes = Workers()
    yield lanes
    lanes.shutdown()


def operations(book: Casebook, workers: Workers, editor: Editor = TEST_EDITOR) -> Operations:
    """The operations runner of a widget tested on its own (no window)."""
    return Operations(book, workers, editor)


@pytest.fixture
def ops(book: Casebook, workers: Workers) -> Operations:
    """Operations on the test's (empty) library."""
    return operations(book, workers)


@pytest.fixture
def demo_ops(demo_book: Casebook, workers: Workers) -> Operations:
    """Operations on the library with the demo cases."""
    return operations(demo_book, workers)


@pytest.fixture(autouse=True)
def _no_dialog_left_open(qapp: QApplication) -> Iterator[None]:
    """Dialogs a test left open (an error message nobody closed) are closed after it: the next test
    starts with none on screen."""
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
