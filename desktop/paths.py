"""Where things live: the shipped resources (from source or a frozen bundle) and user folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "PilotCasebook"
_DIRS = PlatformDirs(appname=APP_NAME, appauthor=False)


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package in a source tree, inside a frozen bundle."""
    override = os.environ.get("CASEBOOK_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def default_library_path() -> Path:
    """The default library file in the user's data folder."""
    return Path(_DIRS.user_data_dir) / "casebook.sqlite"


def log_dir() -> Path:
    """The folder for the application's log files (``CASEBOOK_LOG_DIR`` overrides it)."""
    override = os.environ.get("CASEBOOK_LOG_DIR")
    if override:
        return Path(override)
    return Path(_DIRS.user_log_dir)


def state_dir() -> Path:
    """The folder for the application's own working state (``CASEBOOK_STATE_DIR`` overrides it)."""
    override = os.environ.get("CASEBOOK_STATE_DIR")
    if override:
        return Path(override)
    return Path(_DIRS.user_state_dir)
