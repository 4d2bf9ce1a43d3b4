"""Registering a Chinese font with Qt so the UI never shows boxes on a machine without one."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

from desktop.paths import resources_dir

# Faces tried in order: shipped with the app, then Windows, then common Linux packages.
_CANDIDATES = [
    "fonts/wqy-microhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
]


def register_cjk_font() -> str | None:
    """Register the first Chinese font found and make it the application font; its family or None."""
    windir = os.environ.get("WINDIR")
    candidates = [
        resources_dir() / c if not Path(c).is_absolute() and not c.startswith("C:") else Path(c) for c in _CANDIDATES
    ]
    if windir:
        candidates.insert(1, Path(windir) / "Fonts" / "msyh.ttc")
    for path in candidates:
        if path.is_file():
            font_id = QFontDatabase.addApplicationFont(str(path))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if families:
                return families[0]
    return None


def apply_font(family: str | None, point_size: float = 10.0) -> QFont:
    """The application font: the registered Chinese family, at the chosen size."""
    font = QFont(family) if family else QFont()
    font.setPointSizeF(point_size)
    return font

