"""Running the ``casebook`` command in tests: as a separate process, or in-process with captured output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main

SUBPROCESS_TIMEOUT = 120


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, as_user: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m desktop ARGS`` in a fresh process, without the caller's CASEBOOK_* settings;
    with ``as_user``, as that (unprivileged) user — what a coordinator's own account can do."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CASEBOOK_")}
    full_env["PYTHONIOENCODING"] = "utf-8"
    full_env.update(env or {})
    prefix: list[str] = []
    if as_user is not None:
        prefix = ["setpriv", f"--reuid={as_user}", f"--regid={as_user}", "--clear-groups", "--"]
        full_env["HOME"] = "/tmp"
    return subprocess.run(
        [*prefix, sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        cwd=cwd,
        timeout=SUBPROCESS_TIMEOUT,
        check=False,
    )


def main_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The CLI in this process: exit code, stdout, stderr."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
