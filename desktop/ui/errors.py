"""Errors the user sees, and the log behind them.

``setup_logging`` writes the application log to a rotating file; ``ErrorDialog`` tells the user
in plain Chinese what went wrong (a ``DomainError`` speaks for itself, anything else is an
unexpected error), with the traceback one click away and the log file named; ``show_error`` opens
it; ``install_excepthook`` sends uncaught exceptions to the log and the dialog instead of ending
the program.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
import traceback
from html import escape
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import DBAPIError

from desktop.domain.validation import DomainError
from desktop.files import describe_os_error
from desktop.paths import log_dir
from desktop.store.db import write_fault

log = logging.getLogger(__name__)

LOG_FILE_NAME = "casebook.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

_handler: RotatingFileHandler | None = None


def setup_logging(level: int = logging.INFO) -> Path:
    """Log to ``log_dir()/casebook.log`` (rotated at 1 MB, three old files kept); its path.

    The folder is created if missing. Calling again replaces the handler of the earlier call.
    """
    global _handler
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    _handler = RotatingFileHandler(path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    _handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(_handler)
    root.setLevel(level)
    return path


def log_file() -> Path | None:
    """The file ``setup_logging`` writes to, or None when logging to a file was not set up."""
    return Path(_handler.baseFilename) if _handler is not None else None


def _traceback_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def user_message(exc: BaseException) -> str | None:
    """The user's words for an error that is not a bug: a ``DomainError`` speaks for itself; a file that
    could not be read or written (a full disk, a read-only folder) and a library file that refused a
    write are named with their reason. None for anything else (an unexpected error)."""
    if isinstance(exc, DomainError):
        return str(exc)
    if isinstance(exc, OSError) and exc.errno is not None:
        return describe_os_error(exc)
    if isinstance(exc, sqlite3.Error | DBAPIError) and (fault := write_fault(exc, None)) is not None:
        return str(fault).rstrip("：: ")
    return None


class ErrorDialog(QDialog):
    """What went wrong, in the user's words, with the technical details folded away."""

    def __init__(
        self,
        exc: BaseException,
        details: str = "",
        parent: QWidget | None = None,
        log_path: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.exc = exc
        self.details = details or _traceback_text(exc)
        self.log_path = log_path if log_path is not None else log_file()
        said = user_message(exc)
        expected = said is not None
        self.setWindowTitle(self.tr("无法完成操作") if expected else self.tr("意外错误"))

        if said is not None:
            self.message = said
        else:
            technical = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            self.message = self.tr("操作未能完成，出现了意外错误。") + "\n" + technical
        icon_kind = (
            QStyle.StandardPixmap.SP_MessageBoxWarning if expected else QStyle.StandardPixmap.SP_MessageBoxCritical
        )
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(icon_kind).pixmap(48, 48))
        icon.setAccessibleName(self.tr("错误图标"))
        self.message_label = QLabel(self.message)
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setAccessibleName(self.tr("错误信息"))
        self.message_label.setMinimumWidth(self.fontMetrics().averageCharWidth() * 50)
        top = QHBoxLayout()
        top.addWidget(icon, 0)
        top.addWidget(self.message_label, 1)

        self.log_label = QLabel()
        self.log_label.setWordWrap(True)
        self.log_label.setTextFormat(Qt.TextFormat.RichText)
        self.log_label.setOpenExternalLinks(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.log_label.setAccessibleName(self.tr("日志文件"))
        if self.log_path is not None:
            folder_url = QUrl.fromLocalFile(str(self.log_path.parent)).toString()
            prefix = escape(self.tr("日志文件："))
            self.log_label.setText(f'{prefix}<a href="{escape(folder_url)}">{escape(str(self.log_path))}</a>')
            self.log_label.setToolTip(self.tr("打开日志所在文件夹"))
        else:
            self.log_label.hide()

        self.details_button = QToolButton()
        self.details_button.setText(self.tr("详细信息"))
        self.details_button.setCheckable(True)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setAutoRaise(True)
        self.details_button.toggled.connect(self._show_details)
        self.details_edit = QPlainTextEdit(self.details)
        self.details_edit.setReadOnly(True)
        self.details_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details_edit.setAccessibleName(self.tr("详细信息"))
        fixed = self.details_edit.fontMetrics()
        self.details_edit.setMinimumSize(fixed.horizontalAdvance("M") * 80, fixed.height() * 14)
        self.details_edit.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button: QPushButton = self.buttons.addButton(
            self.tr("复制详细信息"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_details)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.log_label)
        layout.addWidget(self.details_button)
        layout.addWidget(self.details_edit, 1)
        layout.addWidget(self.buttons)
        self._show_details(False)

    def _show_details(self, shown: bool) -> None:
        self.details_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.details_edit.setVisible(shown)
        self.adjustSize()

    def report(self) -> str:
        """The text the copy button puts on the clipboard: message, traceback and log file."""
        parts = [self.message, "", self.details.rstrip()]
        if self.log_path is not None:
            parts += ["", self.tr("日志文件：") + str(self.log_path)]
        return "\n".join(parts) + "\n"

    def copy_details(self) -> None:
        """Put the report on the clipboard."""
        QGuiApplication.clipboard().setText(self.report())


_open_dialogs: set[ErrorDialog] = set()


def show_error(parent: QWidget | None, exc: BaseException, details: str = "") -> ErrorDialog:
    """Open an ``ErrorDialog`` for ``exc`` (modal, without blocking the caller) and return it.

    ``details`` is the traceback text (``Workers.failed`` passes it); without it the
    exception's own traceback is shown. Logging is the caller's job: the task runner and the
    excepthook log before they get here.
    """
    dialog = ErrorDialog(exc, details, parent)
    _open_dialogs.add(dialog)
    dialog.finished.connect(lambda _result: _open_dialogs.discard(dialog))
    dialog.open()
    return dialog


class _ErrorRelay(QObject):
    """Lives on the UI thread; an exception reported from any thread is shown there."""

    raised = Signal(object, str)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.showing: ErrorDialog | None = None
        self.raised.connect(self._show)

    @Slot(object, str)
    def _show(self, exc: BaseException, details: str) -> None:
        if self.showing is not None and self.showing.isVisible():
            return  # one dialog at a time; the log has every exception
        self.showing = show_error(QApplication.activeWindow(), exc, details)


_relay: _ErrorRelay | None = None


def _report_uncaught(
    exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None, thread: str = ""
) -> None:
    if issubclass(exc_type, KeyboardInterrupt) or _relay is None:
        sys.__excepthook__(exc_type, exc or exc_type(), tb)
        return
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    log.error("uncaught exception%s\n%s", f" in thread {thread}" if thread else "", details)
    _relay.raised.emit(exc if exc is not None else exc_type(), details)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    _report_uncaught(args.exc_type, args.exc_value, args.exc_traceback, args.thread.name if args.thread else "")


def install_excepthook() -> None:
    """Route uncaught exceptions to the log and an ``ErrorDialog`` instead of ending the program.

    Call once the ``QApplication`` exists. Exceptions raised in Python threads are logged too and
    shown on the UI thread. Ctrl+C keeps Python's default behaviour.
    """
    global _relay
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("install_excepthook needs a QApplication")
    if _relay is None:
        _relay = _ErrorRelay(app)
        _relay.destroyed.connect(_forget_relay)
    sys.excepthook = _report_uncaught
    threading.excepthook = _thread_hook


def _forget_relay() -> None:
    global _relay
    _relay = None
