"""Entry point of ``casebook`` and ``python -m desktop``: a command, or the window when none is given."""

from __future__ import annotations

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
