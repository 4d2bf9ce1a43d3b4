"""Benchmarks of the window (part of ``make bench``): start-up to the first rows on a big and an
empty library, the longest stall of the event loop while a query is typed, and memory while
scrolling through the whole table.

Each measurement runs in a fresh process (``python -m tests.perf.gui_bench MODE LIBRARY``) with
``QT_QPA_PLATFORM=offscreen``; the parent times start-up from launching the process until the
child reports that the first rows are on screen.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READY = "FIRST-ROWS"


def _child(mode: str, library: Path) -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer

    from desktop.app import build
    from desktop.ui.settings import Settings

    ini = Path(tempfile.mkdtemp()) / "settings.ini"
    app, book, window = build(library, Settings.in_file(str(ini)))
    model = window.model

    def first_rows_ready() -> bool:
        return model.rowCount() > 0 and model.index(0, 0).data() not in (None, "…")

    def wait(cond: object, timeout_s: float = 60) -> None:
        end = time.monotonic() + timeout_s
        while not cond() and time.monotonic() < end:  # type: ignore[operator]
            app.processEvents()
            time.sleep(0.001)

    def empty_shown() -> bool:
        return model.rowCount() == 0 and window.total == 0 and bool(window.count_label.text())

    wait(lambda: first_rows_ready() or empty_shown())
    print(READY, flush=True)
    result: dict[str, float] = {}
    if mode == "stall":
        # A 10 ms ticker measures the longest gap of the event loop while a query is typed.
        longest = {"ms": 0.0}
        clock = QElapsedTimer()
        clock.start()
        last = {"t": clock.elapsed()}

        def tick() -> None:
            now = clock.elapsed()
            longest["ms"] = max(longest["ms"], float(now - last["t"]))
            last["t"] = now

        ticker = QTimer()
        ticker.timeout.connect(tick)
        ticker.start(10)
        for query in [
            "乡",
            "乡村",
            "乡村振",
            "乡村振兴",
            "乡村振兴联",
            "乡村振兴联合体",
            "飞",
            "飞地",
            "共",
            "共富 飞地",
        ]:
            window.search_box.setText(query)
            end = time.monotonic() + 0.15  # a quick typist
            while time.monotonic() < end:
                app.processEvents()
                time.sleep(0.002)
        window.workers.wait_idle()
        wait(first_rows_ready, 10)
        ticker.stop()
        result["longest_stall_ms"] = longest["ms"] - 10
    elif mode == "scroll":
        window.search_box.setText("")
        window.workers.wait_idle()
        wait(first_rows_ready)
        rows = model.rowCount()
        bar = window.table.verticalScrollBar()
        step = max(1, bar.pageStep())
        value = 0
        while value < bar.maximum():
            value += step * 20
            bar.setValue(value)
            app.processEvents()
            window.workers.wait_idle()
        result["rows"] = rows
        result["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(result), flush=True)
    window.workers.shutdown()
    window.close()
    book.close()


def _peak_rss_mb() -> float:
    """This process's own peak memory. Linux's ru_maxrss keeps the parent's peak across exec, so the
    per-address-space high-water mark (VmHWM) is read where it exists."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _start_time(library: Path) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.perf.gui_bench", "start", str(library)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == READY:
            elapsed = time.perf_counter() - start
            break
    else:
        raise RuntimeError("the window never showed its rows")
    proc.communicate(timeout=60)
    return elapsed


def _mode(mode: str, library: Path) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-m", "tests.perf.gui_bench", mode, str(library)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    data: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return data


def measure(big: Path, empty: Path) -> dict[str, object]:
    """Every window figure; prints them too."""
    starts = {
        name: statistics.median(_start_time(lib) for _ in range(3)) for name, lib in (("empty", empty), ("big", big))
    }
    ratio = starts["big"] / starts["empty"]
    print(
        f"window start to first rows: empty library {starts['empty']:.2f} s, big library {starts['big']:.2f} s, "
        f"ratio {ratio:.2f}"
    )
    stall = _mode("stall", big)
    print(f"longest event-loop stall while typing a query: {stall['longest_stall_ms']:.0f} ms")
    scroll = _mode("scroll", big)
    print(f"scrolling through {scroll['rows']:.0f} rows: peak memory {scroll['peak_rss_mb']:.0f} MB")
    return {
        "gui_start_s": {k: round(v, 2) for k, v in starts.items()},
        "gui_start_ratio": round(ratio, 2),
        "longest_stall_ms": round(stall["longest_stall_ms"]),
        "scroll_peak_mb": round(scroll["peak_rss_mb"]),
    }


if __name__ == "__main__":
    _child(sys.argv[1], Path(sys.argv[2]))
