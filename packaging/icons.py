"""Render the application icon from ``resources/icons/casebook.svg`` into the files that use it.

Writes the PNG sizes the window loads at run time (``resources/icons/casebook-<size>.png``) and the
platform icons PyInstaller puts on the executable or app bundle: ``packaging/icons/casebook.ico``
(Windows) and ``packaging/icons/casebook.icns`` (macOS). The SVG is drawn by Qt's SVG renderer;
Pillow writes the ``.ico`` and ``.icns`` containers. Run it after changing the SVG:

    .venv/bin/python packaging/icons.py

The results are kept in git, so a build machine needs nothing but this repository.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "casebook.svg"
PNG_DIR = ROOT / "resources" / "icons"
PLATFORM_DIR = ROOT / "packaging" / "icons"
#: Sizes the window's icon is offered in (title bar, task bar, Alt+Tab, the About dialog).
WINDOW_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(size: int) -> Any:
    """The SVG drawn at ``size`` × ``size`` pixels, as a Pillow RGBA image."""
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    return Image.frombytes("RGBA", (size, size), bytes(rgba.constBits()), "raw", "RGBA", rgba.bytesPerLine())


def main() -> int:
    """Render every icon file."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    sizes = sorted(set(WINDOW_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))
    images = {size: render(size) for size in sizes}
    for size in WINDOW_SIZES:
        images[size].save(PNG_DIR / f"casebook-{size}.png", optimize=True)
    PLATFORM_DIR.mkdir(parents=True, exist_ok=True)
    largest_ico = images[max(ICO_SIZES)]
    largest_ico.save(
        PLATFORM_DIR / "casebook.ico",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    largest_icns = images[max(ICNS_SIZES)]
    largest_icns.save(
        PLATFORM_DIR / "casebook.icns",
        append_images=[images[s] for s in ICNS_SIZES if s != max(ICNS_SIZES)],
    )
    del app
    for path in sorted(PNG_DIR.glob("casebook-*.png")) + sorted(PLATFORM_DIR.iterdir()):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
