"""Convert the open Noto SC faces (CFF outlines, which ReportLab cannot embed) to TrueType.

The fallback faces ship as ``.otf`` files in the ``pylopdf_fonts_zh_cn`` package under the SIL Open
Font License 1.1. ReportLab embeds only TrueType outlines, so each face is converted once: its cubic
CFF curves are approximated by quadratic TrueType curves (``fontTools.cu2qu``, error at most one font
unit) and written as a ``.ttf`` beside a copy of the licence. A face takes some 25-35 s and a few
hundred MB to convert; the result is reused from then on.

Run ``python -m desktop.briefs.fontconv DIR`` to convert ahead of time (``make fonts``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.domain.i18n import _
from desktop.files import atomic_write

#: Largest distance, in font units (1000 to the em), between a cubic curve and its quadratic stand-in.
MAX_ERROR = 1.0
LICENSE_FILE = "OFL.txt"


@dataclass(frozen=True)
class OpenFace:
    """One open face: the ``.otf`` it comes from and the ``.ttf`` it becomes."""

    key: str  # "serif" or "sans"
    ttf_name: str

    def source(self) -> Path:
        """The CFF source file from the installed ``pylopdf_fonts_zh_cn`` package."""
        import pylopdf_fonts_zh_cn as pkg

        return Path(pkg.serif_path() if self.key == "serif" else pkg.sans_path())


SERIF = OpenFace("serif", "NotoSerifSC-Regular.ttf")
SANS = OpenFace("sans", "NotoSansSC-Regular.ttf")
OPEN_FACES: tuple[OpenFace, ...] = (SERIF, SANS)


def converted(directory: Path, face: OpenFace) -> Path | None:
    """The converted face in ``directory``, when it is there (with its licence)."""
    path = directory / face.ttf_name
    if path.is_file() and path.stat().st_size > 0 and (directory / LICENSE_FILE).is_file():
        return path
    return None


def convert_face(source: Path, target: Path) -> float:
    """Write ``source`` (CFF-flavoured OpenType) to ``target`` as TrueType; returns the seconds taken.

    The file is written under a temporary name and then moved into place, so a reader never sees
    half a font and two processes converting at once do no harm.
    """
    cu2qu_pen = importlib.import_module("fontTools.pens.cu2quPen")
    tt_glyph_pen = importlib.import_module("fontTools.pens.ttGlyphPen")
    tt_lib = importlib.import_module("fontTools.ttLib")

    started = time.perf_counter()
    font = tt_lib.TTFont(str(source))
    if "CFF " not in font:
        raise ValueError(_("不是 CFF 字形的 OpenType 字体：{path}").format(path=source))
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs: dict[str, Any] = {}
    for name in order:
        tt_pen = tt_glyph_pen.TTGlyphPen(glyph_set)
        glyph_set[name].draw(cu2qu_pen.Cu2QuPen(tt_pen, MAX_ERROR, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()

    font["loca"] = tt_lib.newTable("loca")
    glyf = font["glyf"] = tt_lib.newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        # Left side bearings follow the new outlines' bounds.
        advance, _lsb = hmtx.metrics[name]
        hmtx.metrics[name] = (advance, getattr(glyph, "xMin", 0))

    maxp = font["maxp"] = tt_lib.newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = max((len(getattr(g, "components", ())) for g in glyphs.values()), default=0)
    post = font["post"]
    post.formatType = 3.0  # no glyph names: CID-keyed sources have none worth keeping
    post.extraNames = []
    post.mapping = {}
    font.sfntVersion = "\x00\x01\x00\x00"

    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(target) as tmp:
        font.save(str(tmp))
    return time.perf_counter() - started


def license_text(sources: Sequence[Path]) -> str:
    """The OFL 1.1 text with the copyright lines of the given faces above it."""
    tt_lib = importlib.import_module("fontTools.ttLib")
    notices: list[str] = []
    for source in sources:
        font = tt_lib.TTFont(str(source), lazy=True)
        names = font["name"]
        family = names.getDebugName(1) or source.stem
        notice = names.getDebugName(0) or ""
        notices.append(f"{family}: {notice}".strip())
        font.close()
    header = "\n".join(notices)
    body = _ofl_body()
    derived = (
        "The files in this folder are TrueType versions of the fonts above, converted from their CFF "
        "originals (https://github.com/notofonts/noto-cjk) with fontTools cu2qu. They remain under the "
        "SIL Open Font License 1.1, reproduced below."
    )
    return f"{header}\n\n{derived}\n\n{body}"


def _ofl_body() -> str:
    """The licence as shipped with the font package (the OFL 1.1 text)."""
    from importlib import metadata

    try:
        dist = metadata.distribution("pylopdf-fonts-zh-cn")
    except metadata.PackageNotFoundError:
        dist = None
    if dist is not None:
        for file in dist.files or ():
            if file.name.upper().startswith(("LICENSE", "OFL")):
                text = file.read_text(encoding="utf-8")
                if "SIL OPEN FONT LICENSE" in text.upper():
                    return text
    raise FileNotFoundError(_("找不到开源字体的许可证文本（SIL OFL 1.1）"))


def _convert_one(args: tuple[str, str]) -> float:
    source, target = args
    return convert_face(Path(source), Path(target))


def ensure_open_faces(
    directory: Path,
    faces: Sequence[OpenFace] = OPEN_FACES,
    *,
    parallel: bool = True,
    log: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Make sure ``directory`` holds the converted ``faces`` and the licence; returns key -> ``.ttf``.

    Faces already there are kept. Missing ones are converted, side by side in worker processes when
    ``parallel`` and there is more than one to do.
    """
    directory.mkdir(parents=True, exist_ok=True)
    lic = directory / LICENSE_FILE
    if not lic.is_file():
        lic.write_text(license_text([f.source() for f in OPEN_FACES]), encoding="utf-8")
    todo = [f for f in faces if converted(directory, f) is None]
    jobs = [(str(f.source()), str(directory / f.ttf_name)) for f in todo]
    if parallel and len(jobs) > 1 and (os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 1)) as pool:
            seconds = list(pool.map(_convert_one, jobs))
    else:
        seconds = [_convert_one(job) for job in jobs]
    if log is not None:
        for face, took in zip(todo, seconds, strict=True):
            log(_("已转换 {name}：{seconds:.1f} 秒").format(name=face.ttf_name, seconds=took))
    return {f.key: directory / f.ttf_name for f in faces}


def main(argv: Sequence[str] | None = None) -> int:
    """Convert the open faces into the folder given on the command line."""
    parser = argparse.ArgumentParser(description=_("把开源中文字体转换为 PDF 可嵌入的 TrueType 格式"))
    parser.add_argument("directory", type=Path)
    parser.add_argument("--serial", action="store_true", help=_("逐个转换（不并行）"))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    ensure_open_faces(args.directory, parallel=not args.serial, log=print)
    print(_("完成：{seconds:.1f} 秒").format(seconds=time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
