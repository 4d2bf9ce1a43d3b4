"""Benchmarks of the case library core (``make bench``): sample speed, search latency and recall,
the CLI search process against an empty library, peak memory, and file size.

Prints every figure and writes them to ``tests/perf/results.json``; ``tests/perf/README.md``
records them with the command that produced them. Set ``CASEBOOK_BENCH_N`` for a smaller run.
"""

from __future__ import annotations

import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from desktop.domain.query import CaseQuery
from desktop.search.text import fold
from desktop.services.casebook import Casebook

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
N = int(os.environ.get("CASEBOOK_BENCH_N", "100000"))
SEED = 7
CLI = [sys.executable, "-m", "desktop"]

QUERIES = {
    "1 char": ["共", "村", "岙", "山", "富", "坞", "飞", "湾"],
    "2 chars": ["飞地", "共富", "乡村", "工坊", "农创", "片区", "山海", "强村", "运营", "帮扶"],
    "3 chars": ["农创客", "共富工", "联合体", "强村公", "土特产", "党建联", "数字乡", "新农人"],
    "6 chars": ["乡村振兴联合", "共富工坊带动", "村集体经营性", "山区海岛县一", "飞地抱团发展", "未来乡村建设"],
    "two terms": ["飞地 共富", "工坊 就业", "片区 组团", "强村 公司", "农创客 孵化", "山海 协作"],
}


def _run(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall time, peak RSS (KiB) and stdout of one CLI process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before), proc.stdout


def _env(library: Path) -> dict[str, str]:
    return {**os.environ, "CASEBOOK_LIBRARY": str(library)}


def build_big(results: dict[str, object]) -> Path:
    """The N-case library (built once; reused while it matches N and SEED)."""
    OUT.mkdir(exist_ok=True)
    lib = OUT / f"bench-{N}-{SEED}.sqlite"
    if not lib.exists():
        part = OUT / "building.sqlite"
        for p in OUT.glob("building.sqlite*"):
            p.unlink()
        subprocess.run([*CLI, "init"], env=_env(part), check=True, capture_output=True)
        start = time.perf_counter()
        subprocess.run([*CLI, "sample", str(N), "--seed", str(SEED)], env=_env(part), check=True, capture_output=True)
        results["sample_seconds"] = round(time.perf_counter() - start, 1)
        print(f"sample {N}: {results['sample_seconds']} s")
        part.rename(lib)
    else:
        print(f"sample {N}: reusing {lib.name} (delete it to time the sample again)")
    return lib


def file_size(lib: Path, results: dict[str, object]) -> None:
    with sqlite3.connect(f"{lib.as_uri()}?mode=ro", uri=True) as conn:
        raw = conn.execute(
            "SELECT sum(length(CAST(title || subtitle || basic_situation || practices || outcomes || lessons"
            " || source AS BLOB))) FROM model_case"
        ).fetchone()[0]
    size = lib.stat().st_size
    results["file_mb"] = round(size / 1e6, 1)
    results["raw_text_mb"] = round(raw / 1e6, 1)
    results["file_over_raw"] = round(size / raw, 2)
    print(
        f"file {results['file_mb']} MB, raw text (UTF-8) {results['raw_text_mb']} MB, ratio {results['file_over_raw']}"
    )


def search_latency(lib: Path, results: dict[str, object]) -> None:
    book = Casebook.open(lib)
    try:
        book.search.search(CaseQuery("预热"))  # open the connection, warm the page cache
        latency: dict[str, dict[str, float]] = {}
        for kind, queries in QUERIES.items():
            times = []
            for _round in range(5):
                for q in queries:
                    start = time.perf_counter()
                    book.search.search(CaseQuery(q, limit=20))
                    times.append((time.perf_counter() - start) * 1000)
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            latency[kind] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1)}
            print(f"search {kind:9}: p50 {latency[kind]['p50_ms']:6.1f} ms  p95 {latency[kind]['p95_ms']:6.1f} ms")
        results["search"] = latency
        results["recall"] = recall(book)
    finally:
        book.close()


def recall(book: Casebook) -> dict[str, object]:
    """For one query of each kind, compare with a substring scan over every case's text."""
    rng = random.Random(SEED)
    picks = {kind: rng.choice(qs) for kind, qs in QUERIES.items()}
    with sqlite3.connect(f"{book.library.path.as_uri()}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT c.uuid, c.title, c.subtitle, c.basic_situation, c.practices, c.outcomes, c.lessons,"
            " coalesce((SELECT group_concat(t.name, ' ') FROM case_tag ct JOIN tag t ON t.id = ct.tag_id"
            "   WHERE ct.case_id = c.id), ''),"
            " coalesce((SELECT group_concat(r.full_name, ' ') FROM case_place cp JOIN region r ON r.id = cp.region_id"
            "   WHERE cp.case_id = c.id), ''),"
            " coalesce((SELECT m.name FROM model_type m WHERE m.id = c.model_type_id), '')"
            " FROM model_case c WHERE c.deleted_at IS NULL"
        ).fetchall()
    folded = [(r[0], [fold(f) for f in r[1:]]) for r in rows]
    out: dict[str, object] = {}
    for q in picks.values():
        terms = [fold(t) for t in q.split()]
        expected = {u for u, fs in folded if all(any(t in f for f in fs) for t in terms)}
        result = book.search.search(CaseQuery(q, limit=len(rows)))
        same = {h.uuid for h in result.hits} == expected and result.total == len(expected)
        out[q] = {"total": result.total, "scan": len(expected), "identical": same}
        print(f"recall {q!r}: index {result.total}, substring scan {len(expected)}, identical {same}")
    return out


def cli_process(lib: Path, results: dict[str, object]) -> None:
    fresh = OUT / "fresh.sqlite"
    for p in OUT.glob("fresh.sqlite*"):
        p.unlink()
    subprocess.run([*CLI, "init"], env=_env(fresh), check=True, capture_output=True)
    args = [*CLI, "search", "飞地", "--json"]
    timings: dict[str, float] = {}
    peaks: dict[str, int] = {}
    for name, library in (("fresh", fresh), ("big", lib)):
        runs = []
        for _ in range(7):
            elapsed, _peak, out = _run(args, _env(library))
            json.loads(out)
            runs.append(elapsed)
        timings[name] = statistics.median(runs)
        peaks[name] = _peak_of(args, library)
    ratio = timings["big"] / timings["fresh"]
    results["cli_search_seconds"] = {k: round(v, 3) for k, v in timings.items()}
    results["cli_ratio"] = round(ratio, 2)
    results["cli_peak_mb"] = round(peaks["big"] / 1024, 1)
    print(
        f"casebook search 飞地 --json: fresh {timings['fresh']:.3f} s, {N} cases {timings['big']:.3f} s, "
        f"ratio {ratio:.2f}; peak memory {results['cli_peak_mb']} MB"
    )


def _peak_of(args: list[str], library: Path) -> int:
    """Peak RSS (KiB) of one process, measured by a fresh child that runs it."""
    code = (
        "import resource, subprocess, sys;"
        f"subprocess.run({args!r}, check=True, capture_output=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=_env(library), check=True, capture_output=True, text=True)
    return int(out.stdout.strip())


def main() -> int:
    results: dict[str, object] = {
        "n": N,
        "seed": SEED,
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "cores": os.cpu_count(),
    }
    lib = build_big(results)
    file_size(lib, results)
    search_latency(lib, results)
    cli_process(lib, results)
    from tests.perf.gui_bench import measure

    results.update(measure(lib, OUT / "fresh.sqlite"))
    from tests.perf.ops_bench import measure as measure_ops

    results.update(measure_ops(lib))
    from tests.perf.briefs_bench import measure as measure_briefs

    results.update(measure_briefs())
    from tests.perf.xlsx_bench import measure as measure_xlsx

    results.update(measure_xlsx())
    from tests.perf.share_bench import measure as measure_share

    results.update(measure_share())
    (HERE / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {HERE / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
