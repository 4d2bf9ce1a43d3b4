"""Benchmarks of operations and change sets in the window (part of ``make bench``), on the big library:

* **autosave refresh** — 50 saves of a case's text in the editor; for each, the time the UI thread
  spends refreshing from its change set (broadcasting it, the row fetched again, any count or list it
  triggers) within the second after the save returned. p50, p95, max.
* **search while busy** — while a 500-case collection PDF is set on the work lane, and while a
  10,000-case bundle is imported on the write lane: time from starting a search to its first rows on
  screen, and the longest stall of the event loop meanwhile.

Each runs in a fresh window process (``python -m tests.perf.ops_bench MODE LIBRARY [BUNDLE]``).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SAVES = 50
BUNDLE_CASES = int(os.environ.get("CASEBOOK_BUSY_BUNDLE", "10000"))
QUERIES = ["飞地", "共富工坊", "乡村振兴联合体", "强村", "山海协作", "农创客", "片区组团", "党建联建"]


def _child(mode: str, library: Path, extra: str = "") -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer

    from desktop.app import build
    from desktop.ui.settings import Settings

    ini = Path(tempfile.mkdtemp()) / "settings.ini"
    app, book, window = build(library, Settings.in_file(str(ini)))
    model = window.model

    def wait(cond: Callable[[], Any], timeout_s: float = 120) -> None:
        end = time.monotonic() + timeout_s
        while not cond() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.0005)

    def first_rows() -> bool:
        return model.rowCount() > 0 and model.index(0, 0).data() not in (None, "…")

    wait(first_rows)
    wait(lambda: window._overview is not None)
    result: dict[str, Any] = {}
    if os.environ.get("CASEBOOK_BENCH_DEBUG"):
        import gc

        gc_start: list[float] = [0.0]

        def gc_timing(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                gc_start[0] = time.perf_counter()
            elif (took := (time.perf_counter() - gc_start[0]) * 1000) > 20:
                print(f"gc gen {info['generation']}: {took:.0f} ms", file=sys.stderr)

        gc.callbacks.append(gc_timing)

    # UI-thread time spent in results delivered by the lanes (the window's refresh work runs there)
    busy: list[tuple[float, float]] = []
    workers = window.workers
    deliver_done, deliver_error = workers._finished, workers._errored

    def timed(fn: Callable[..., None]) -> Callable[..., None]:
        def run(*args: Any) -> None:
            start = time.perf_counter()
            try:
                fn(*args)
            finally:
                took = time.perf_counter() - start
                busy.append((start, took))
                if took > 0.05 and os.environ.get("CASEBOOK_BENCH_DEBUG"):
                    print(f"slow delivery {took * 1000:.0f} ms: {args[0].job.label}", file=sys.stderr)

        return run

    workers._relay.finished.disconnect(deliver_done)
    workers._relay.errored.disconnect(deliver_error)
    workers._relay.finished.connect(timed(deliver_done))
    workers._relay.errored.connect(timed(deliver_error))

    if mode == "autosave":
        window.ops.stop_watching()  # the poll of the change log is not part of a save's refresh
        window.table.selectRow(0)
        wait(lambda: window.editor.current_uuid is not None and window.editor.title_edit.text() not in ("",))
        editor = window.editor
        text = editor.text_edits["practices"]
        costs = []
        saved: list[str] = []
        editor.saved.connect(saved.append)  # the window's own slots stay connected
        for i in range(SAVES):
            text.setPlainText(text.toPlainText() + f"第{i}次补充。")
            count = len(saved)
            editor._save_now()
            wait(lambda count=count: len(saved) > count, 30)  # type: ignore[misc]
            returned = time.perf_counter()
            end = returned + 1.0
            while time.perf_counter() < end:
                app.processEvents()
                time.sleep(0.001)
            # the save's own delivery (it broadcasts the change set) and everything delivered after it
            start_of_save = max((s for s, _d in busy if s <= returned), default=returned)
            costs.append(sum(d for s, d in busy if s >= start_of_save and s < end) * 1000)
        costs.sort()
        result = {
            "p50_ms": round(statistics.median(costs), 1),
            "p95_ms": round(costs[int(len(costs) * 0.95) - 1], 1),
            "max_ms": round(costs[-1], 1),
        }
    else:
        longest = {"ms": 0.0}
        clock = QElapsedTimer()
        clock.start()
        last = {"t": clock.elapsed()}

        def tick() -> None:
            now = clock.elapsed()
            gap = float(now - last["t"] - 10)
            if gap > 100 and os.environ.get("CASEBOOK_BENCH_DEBUG"):
                print(f"stall {gap:.0f} ms at {now} ms, query {window.search_box.text()}", file=sys.stderr)
            longest["ms"] = max(longest["ms"], gap)
            last["t"] = now

        ticker = QTimer()
        ticker.timeout.connect(tick)
        background_done: list[object] = []
        if mode == "render":
            from desktop.domain.brief import BriefSpec, Template
            from desktop.services.processes import render_pdf

            uuids = book.search.uuids(book_query(500))
            out = Path(tempfile.mkdtemp()) / "collection.pdf"

            def prepared(brief: Any) -> None:
                window.ops.render("render", render_pdf, (brief, out, None), background_done.append)

            window.ops.read(
                "prepare",
                lambda b, _j: b.briefs.prepare(BriefSpec(template=Template.COLLECTION), uuids),
                prepared,
            )
            wait(lambda: workers.pending_on(_lane("WORK")) > 0, 60)
        elif mode == "import":
            from desktop.services.processes import import_bundle
            from desktop.services.sharing import Resolution

            plan = book.share.preview(Path(extra))
            window.ops.write_apart("import", import_bundle, (plan, {}, Resolution.THEIRS), background_done.append)
        else:  # idle: the same searches with nothing in the background, for comparison
            background_done = []
        last["t"] = clock.elapsed()
        ticker.start(10)
        firsts = []
        for q in QUERIES * 2:
            if background_done and mode != "idle":
                break
            window.search_box.blockSignals(True)
            window.search_box.setText(q)
            window.search_box.blockSignals(False)
            start = time.perf_counter()
            window.run_query()
            wait(lambda q=q: window._shown_query is not None and window._shown_query.text == q and first_rows(), 30)  # type: ignore[misc]
            firsts.append((time.perf_counter() - start) * 1000)
            end = time.perf_counter() + 0.3
            while time.perf_counter() < end:
                app.processEvents()
                time.sleep(0.002)
        still_busy = not background_done
        ticker.stop()
        if mode != "idle":
            wait(lambda: bool(background_done), 600)
        firsts.sort()
        result = {
            "searches": len(firsts),
            "during_background": still_busy,
            "first_rows_p50_ms": round(statistics.median(firsts), 1),
            "first_rows_max_ms": round(firsts[-1], 1),
            "longest_stall_ms": round(longest["ms"]),
        }
    print(json.dumps(result), flush=True)
    workers.shutdown()
    window.close()
    book.close()


def _lane(name: str) -> Any:
    from desktop.ui.tasks import Lane

    return Lane[name]


def book_query(n: int) -> Any:
    from desktop.domain.query import CaseQuery

    return CaseQuery("共富", limit=n)


def _mode(mode: str, library: Path, extra: str = "") -> dict[str, Any]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-m", "tests.perf.ops_bench", mode, str(library), extra],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    ).stdout
    data: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return data


def _bundle() -> Path:
    """A bundle of BUNDLE_CASES new synthetic cases (another library's), made once."""
    OUT.mkdir(exist_ok=True)
    bundle = OUT / f"busy-{BUNDLE_CASES}.casebook"
    if bundle.exists():
        return bundle
    source = OUT / f"busy-source-{BUNDLE_CASES}.sqlite"
    for p in OUT.glob(f"busy-source-{BUNDLE_CASES}.sqlite*"):
        p.unlink()
    cli = [sys.executable, "-m", "desktop", "--library", str(source)]
    subprocess.run([*cli, "init"], check=True, capture_output=True)
    subprocess.run([*cli, "sample", str(BUNDLE_CASES), "--seed", "11"], check=True, capture_output=True)
    subprocess.run([*cli, "export", str(bundle), "--all"], check=True, capture_output=True)
    return bundle


def measure(big: Path) -> dict[str, object]:
    """Every figure; prints them too. The import runs on a copy of the big library."""
    autosave = _mode("autosave", big)
    print(
        f"autosave refresh on the UI thread ({SAVES} saves): p50 {autosave['p50_ms']} ms, "
        f"p95 {autosave['p95_ms']} ms, max {autosave['max_ms']} ms"
    )
    render = _mode("render", big)
    print(
        f"search while a 500-case PDF renders: first rows p50 {render['first_rows_p50_ms']} ms, "
        f"max {render['first_rows_max_ms']} ms over {render['searches']} searches; "
        f"longest stall {render['longest_stall_ms']} ms"
    )
    bundle = _bundle()
    copy = OUT / "busy-import.sqlite"
    for p in OUT.glob("busy-import.*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    shutil.copyfile(big, copy)
    imported = _mode("import", copy, str(bundle))
    print(
        f"search while a {BUNDLE_CASES}-case bundle imports: first rows p50 {imported['first_rows_p50_ms']} ms, "
        f"max {imported['first_rows_max_ms']} ms over {imported['searches']} searches; "
        f"longest stall {imported['longest_stall_ms']} ms"
    )
    copy.unlink(missing_ok=True)
    return {"autosave_refresh_ms": autosave, "search_while_rendering": render, "search_while_importing": imported}


if __name__ == "__main__":
    _child(sys.argv[1], Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "")
