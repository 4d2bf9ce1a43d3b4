"""Benchmark of the Excel import (part of ``make bench``): a case template filled with 5,000 rows of
realistic length is checked and then imported into a fresh library, in a fresh process.

``python -m tests.perf.xlsx_bench`` prints the figures; ``measure()`` returns them for ``run_all``.
``CASEBOOK_XLSX_ROWS`` sets another row count.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = int(os.environ.get("CASEBOOK_XLSX_ROWS", "5000"))
SEED = 11
TOWNS = ["枫树岭镇", "大墅镇", "里商乡", "梓桐镇", "威坪镇"]
VILLAGES = ["下姜村", "坞根村", "墺里村", "东坑村", "前溪村", "大园村", "桃源村", "垟头村"]


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fill_template(template: Path, out: Path, rows: int, vocabulary: object) -> None:
    """Fill ``rows`` synthetic cases into the template: real themes, model types and counties; one
    row in four names a new town and village under its county (added by the import)."""
    from openpyxl import load_workbook

    from desktop.domain.enums import RegionLevel
    from desktop.exchange.workbook import Vocabulary
    from desktop.services.sample_text import SampleTextGenerator

    assert isinstance(vocabulary, Vocabulary)
    rng, gen = random.Random(SEED), SampleTextGenerator(SEED)
    counties = [r.full_name for r in vocabulary.regions if r.level == RegionLevel.COUNTY]
    themes = [t.name for t in vocabulary.themes if not t.code]  # the sub-themes
    model_types = [m.name for m in vocabulary.model_types]
    statuses = ["", "草稿", "已报送", "已审核", "推荐推广"]
    wb = load_workbook(template)
    ws = wb["案例"]
    for i in range(rows):
        county = rng.choice(counties)
        village = rng.choice(VILLAGES)
        chosen = rng.sample(themes, k=rng.randint(1, 3))
        mt = rng.choice(model_types)
        year = rng.randint(2020, 2025)
        t = gen.case(county, village, mt, chosen, year)
        place = f"{county}/{rng.choice(TOWNS)}/{village}" if i % 4 == 0 else county
        ws.append(
            [
                t.title[:200],
                t.subtitle[:200],
                mt,
                "；".join(chosen),
                place,
                "",
                t.basic_situation,
                t.practices,
                t.outcomes,
                t.lessons,
                "；".join(t.tags),
                t.source,
                "",
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(statuses),
                "",
            ]
        )
    wb.save(out)


def _child(rows: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="casebook-xlsx-bench-") as tmp:
        return _timed(Path(tmp), rows)


def _timed(folder: Path, rows: int) -> dict[str, float]:
    from desktop.services.casebook import Casebook

    book = Casebook.open(folder / "library.sqlite", create=True)
    try:
        template = folder / "template.xlsx"
        book.workbooks.write_template(template)
        filled = folder / "filled.xlsx"
        fill_template(template, filled, rows, book.workbooks.vocabulary())
        start = time.perf_counter()
        check = book.workbooks.check(filled)
        checked = time.perf_counter()
        result = book.workbooks.import_cases(filled).value
        imported = time.perf_counter()
        assert check.clean and check.valid_rows == rows, check.problems[:3]
        assert len(result.imported) == rows
        book.workbooks.write_ledger(folder / "ledger.xlsx", result.imported)
        ledger_s = time.perf_counter() - imported
    finally:
        book.close()
    # the same file into another fresh library without a check first (as the CLI does): read twice
    other = Casebook.open(folder / "other.sqlite", create=True)
    try:
        start_alone = time.perf_counter()
        assert len(other.workbooks.import_cases(filled).value.imported) == rows
        alone_s = time.perf_counter() - start_alone
    finally:
        other.close()
    return {
        "rows": rows,
        "file_mb": round(filled.stat().st_size / 1e6, 1),
        "check_s": round(checked - start, 2),
        "import_s": round(imported - checked, 2),
        "check_and_import_s": round(imported - start, 2),
        "import_alone_s": round(alone_s, 2),
        "ledger_s": round(ledger_s, 2),
        "peak_mb": round(_peak_mb()),
    }


def measure() -> dict[str, object]:
    """Check and import of a filled template in a fresh process; prints the figures."""
    out = subprocess.run(
        [sys.executable, "-m", "tests.perf.xlsx_bench", "child", str(ROWS)],
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    ).stdout
    data: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    print(
        f"Excel template, {data['rows']:.0f} rows ({data['file_mb']} MB): check {data['check_s']} s, "
        f"import {data['import_s']} s, check + import {data['check_and_import_s']} s (target ≤ 15 s); "
        f"import without a check first {data['import_alone_s']} s; ledger of the same cases {data['ledger_s']} s; "
        f"peak {data['peak_mb']:.0f} MB (filling the template included)"
    )
    return {"xlsx_import": data}


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "child":
        print(json.dumps(_child(int(sys.argv[2]))))
    else:
        measure()
