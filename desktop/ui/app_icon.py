"""The application's icon (title bar, task bar, About dialog), from the PNG sizes in ``resources/icons``.

The PNGs are rendered from ``resources/icons/casebook.svg`` by ``packaging/icons.py``; loading them
needs no SVG support at run time.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon

from desktop.paths import resources_dir


def app_icon() -> QIcon:
    """Every size of the icon that is present (an empty icon when none is)."""
    icon = QIcon()
    for path in sorted((resources_dir() / "icons").glob("casebook-*.png")):
        icon.addFile(str(path))
    return icon
