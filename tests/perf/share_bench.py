"""Benchmark of share bundles (part of ``make bench``): export and import of 10,000 cases with
2,000 photos, each in a fresh process, with its wall time and peak memory; the same for a quarter
of the cases, to show that memory does not grow with the bundle's size.

``python -m tests.perf.share_bench`` prints the figures; ``measure()`` returns them for ``run_all``.
``CASEBOOK_SHARE_CASES`` and ``CASEBOOK_SHARE_PHOTOS`` set other sizes.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
CASES = int(os.environ.get("CASEBOOK_SHARE_CASES", "10000"))
PHOTOS = int(os.environ.get("CASEBOOK_SHARE_PHOTOS", "2000"))
SEED = 5


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _photo(path: Path, rng: random.Random) -> None:
    """A 1024×768 JPEG with some texture (about 100–200 KB), like a phone photo scaled down."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1024, 768), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(400):
        x, y = rng.randrange(1024), rng.randrange(768)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x, y, x + rng.randrange(5, 80), y + rng.randrange(5, 80)), fill=colour)
    image.save(path, "JPEG", quality=80)


def build(cases: int, photos: int) -> Path:
    """A library of ``cases`` synthetic cases, ``photos`` of them with a photo (built once, reused)."""
    from desktop.domain.records import new_uuid
    from desktop.services.casebook import Casebook
    from desktop.services.sample import add_sample_cases

    OUT.mkdir(exist_ok=True)
    lib = OUT / f"share-{cases}-{photos}.sqlite"
    if lib.exists():
        return lib
    for p in OUT.glob(f"share-{cases}-{photos}.*"):
        if p.is_dir():
            for f in p.iterdir():
                f.unlink()
            p.rmdir()
        else:
            p.unlink()
    book = Casebook.open(lib, create=True)
    add_sample_cases(book.ctx, cases, seed=SEED)
    media = book.library.media_dir
    book.close()
    media.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    with sqlite3.connect(lib) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM model_case ORDER BY id")]
        rows = []
        for case_id in rng.sample(ids, photos):
            name = f"{new_uuid()}.jpg"
            _photo(media / name, rng)
            rows.append((new_uuid(), case_id, 0, name, "村貌", "县融媒体中心"))
        conn.executemany(
            "INSERT INTO case_photo (uuid, case_id, position, file_name, caption, credit) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    return lib


def _export(lib: str, out: str, limit: str) -> dict[str, float]:
    from desktop.services.casebook import Casebook

    book = Casebook.open(Path(lib))
    uuids = book.briefs.choose(everything=True)[: int(limit)]
    start = time.perf_counter()
    report = book.share.export(Path(out), uuids).value
    seconds = time.perf_counter() - start
    book.close()
    return {
        "seconds": round(seconds, 2),
        "peak_mb": round(_peak_mb(), 1),
        "cases": report.counts["cases"],
        "photos": report.counts["photos"],
        "bundle_mb": round(Path(out).stat().st_size / 1e6, 1),
    }


def _import(lib: str, bundle: str) -> dict[str, float]:
    from desktop.services.casebook import Casebook

    for p in Path(lib).parent.glob(Path(lib).name + "*"):
        p.unlink()
    shutil.rmtree(Path(lib).with_suffix(".media"), ignore_errors=True)  # photos of an earlier run would be reused
    book = Casebook.open(Path(lib), create=True)
    start = time.perf_counter()
    plan = book.share.preview(Path(bundle))
    previewed = time.perf_counter() - start
    report = book.share.apply(plan).value
    seconds = time.perf_counter() - start
    book.close()
    return {
        "seconds": round(seconds, 2),
        "preview_seconds": round(previewed, 2),
        "peak_mb": round(_peak_mb(), 1),
        "added": report.added,
        "photos": report.photos,
    }


def _child(*args: str) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-m", "tests.perf.share_bench", *args], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def measure() -> dict[str, object]:
    """Export and import the full library and a quarter of it; returns every figure."""
    lib = build(CASES, PHOTOS)
    figures: dict[str, object] = {}
    for label, n in (("full", CASES), ("quarter", CASES // 4)):
        bundle = OUT / f"share-{label}.casebook"
        exported = _child("export", str(lib), str(bundle), str(n))
        target = OUT / f"share-import-{label}.sqlite"
        imported = _child("import", str(target), str(bundle))
        figures[f"export_{label}"] = exported
        figures[f"import_{label}"] = imported
        print(
            f"share bundle, {exported['cases']} cases + {exported['photos']} photos ({exported['bundle_mb']} MB): "
            f"export {exported['seconds']} s, peak {exported['peak_mb']} MB; "
            f"import {imported['seconds']} s (preview {imported['preview_seconds']} s), peak {imported['peak_mb']} MB"
        )
    return figures


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "export":
        print(json.dumps(_export(*sys.argv[2:5])))
    elif len(sys.argv) > 1 and sys.argv[1] == "import":
        print(json.dumps(_import(*sys.argv[2:4])))
    else:
        print(json.dumps(measure(), ensure_ascii=False, indent=1))
