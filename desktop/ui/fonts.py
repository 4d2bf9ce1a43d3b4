"""Registering a Chinese font with Qt so the UI never shows boxes on a machine without one.

On Windows the office's own 微软雅黑 is used; everywhere else (and wherever it is missing) the
Noto Sans SC face installed with the application (SIL Open Font License 1.1) is registered.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase


def _candidates() -> list[Path]:
    paths: list[Path] = []
    windir = os.environ.get("WINDIR")
    if windir:
        paths += [Path(windir) / "Fonts" / name for name in ("msyh.ttc", "simhei.ttf", "simsun.ttc")]
    try:
        import pylopdf_fonts_zh_cn

        paths.append(pylopdf_fonts_zh_cn.sans_path())
    except ImportError:  # a bundle built without it still finds the system's fonts below
        pass
    paths += [
        Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
        Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
        Path("/System/Library/Fonts/PingFang.ttc"),
    ]
    return paths


def register_cjk_font() -> str | None:
    """Register the first Chinese font found and return its family (None if there is none)."""
    for path in _candidates():
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
