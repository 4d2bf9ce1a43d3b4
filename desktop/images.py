"""Whether a photo is whole: the bytes decode to the end, not only their header.

A header tells an image's kind and size; a file cut short (a copy interrupted, a download broken
off) still has one. Share bundles check each incoming photo with ``decode_problem`` before it is
stored, and the briefs before one is laid out, so that a broken photo is refused (or printed as
missing) instead of breaking every PDF of its case. JPEGs are decoded at an eighth of their size
(libjpeg still reads every byte), other kinds in full; both are bounded by the pixel limit the
callers apply first.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image


def decode_problem(source: bytes | Path) -> str | None:
    """Why the image cannot be decoded to its end (Pillow's words), or None when it can."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(stream) as image:
                if image.format == "JPEG":
                    image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
    except Exception as exc:  # any failure of any decoder means the same: the file is not whole
        return str(exc) or type(exc).__name__
    return None
