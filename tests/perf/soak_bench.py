"""Soak: the window open on the big library for an hour of scripted use (``make soak``).

Every few seconds a step of a coordinator's routine, in turn: a search, an edit of the selected case's
text (autosaved), undo of that edit, and — every fourth round — a PDF of 20 cases set in the render
helper, a share bundle of 20 cases written, and a bundle of 20 new cases from another library imported.
Between steps the event loop runs freely; a 10 ms ticker measures its stalls.

Once a minute it samples the process's resident memory, open file descriptors and threads (and the
count of Python objects). The figures: memory, descriptors and threads at the start (taken after the
first four rounds, one of each step: caches and helper processes warm) and at the end, growth in per
cent, the longest stall and how many stalls were over 200 ms.

``python -m tests.perf.soak_bench [MINUTES] [LIBRARY]`` (default 60 minutes on the 100,000-case bench
library, which the run works on a copy of). Targets: growth ≤ 10 %, no growing
descriptor or thread count, no stall over 200 ms.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
QUERIES = ["飞地", "共富工坊", "乡村振兴联合体", "强村", "山海协作", "农创客", "片区组团", "党建联建", ""]
BUNDLES = 120
BUNDLE_CASES = 20


def _status() -> dict[str, int]:
    fields: dict[str, int] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmRSS", "Threads"):
            fields[key] = int(value.split()[0])
    return {
        "rss_kib": fields.get("VmRSS", 0),
        "threads": fields.get("Threads", 0),
        "fds": len(os.listdir("/proc/self/fd")),
        "objects": len(gc.get_objects()),
    }


def _bundles() -> list[Path]:
    """BUNDLES bundles of BUNDLE_CASES new cases each, from another library (made once)."""
    folder = OUT / "soak-bundles"
    made = sorted(folder.glob("*.casebook")) if folder.exists() else []
    if len(made) == BUNDLES:
        return made
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    source = folder / "source.sqlite"
    cli = [sys.executable, "-m", "desktop", "--library", str(source)]
    subprocess.run([*cli, "init"], check=True, capture_output=True)
    subprocess.run([*cli, "sample", str(BUNDLES * BUNDLE_CASES), "--seed", "23"], check=True, capture_output=True)
    from desktop.services.casebook import Casebook

    book = Casebook.open(source)
    try:
        uuids = book.search.uuids(_all())
        for i in range(BUNDLES):
            book.share.export(folder / f"{i:03d}.casebook", uuids[i * BUNDLE_CASES : (i + 1) * BUNDLE_CASES])
    finally:
        book.close()
    for p in folder.glob("source.sqlite*"):
        p.unlink()
    return sorted(folder.glob("*.casebook"))


def _all() -> Any:
    from desktop.domain.query import CaseQuery

    return CaseQuery("", limit=None)


def _child(minutes: float, library: Path) -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer

    from desktop.app import build
    from desktop.domain.brief import BriefSpec, Template
    from desktop.services.processes import import_bundle, render_pdf
    from desktop.services.sharing import Resolution
    from desktop.ui.case_table import UUID_ROLE
    from desktop.ui.settings import Settings

    bundles = _bundles()
    work = Path(tempfile.mkdtemp(prefix="casebook-soak-"))
    app, book, window = build(library, Settings.in_file(str(work / "settings.ini")))
    model, editor = window.model, window.editor

    def wait(cond: Callable[[], Any], timeout_s: float = 120) -> bool:
        end = time.monotonic() + timeout_s
        while not cond() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.002)
        return bool(cond())

    def idle(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.002)

    def first_rows() -> bool:
        return model.rowCount() > 0 and model.index(0, 0).data() not in (None, "…")

    wait(first_rows)
    wait(lambda: window._overview is not None)

    stalls = {"longest": 0.0, "over_200": 0}
    clock = QElapsedTimer()
    clock.start()
    last = {"t": clock.elapsed()}

    watch = None
    if os.environ.get("CASEBOOK_BENCH_DEBUG"):
        from tests.perf.stall_watch import StallWatch

        watch = StallWatch()
        watch.start()
    step = {"name": "start"}

    def tick() -> None:
        if watch is not None:
            watch.beat(f"(round {counts['rounds']}, {step['name']})")
        now = clock.elapsed()
        gap = float(now - last["t"] - 10)
        stalls["longest"] = max(stalls["longest"], gap)
        if gap > 200:
            stalls["over_200"] += 1
            if os.environ.get("CASEBOOK_BENCH_DEBUG"):
                print(f"stall {gap:.0f} ms at {now / 1000:.0f} s", file=sys.stderr)
        last["t"] = now

    ticker = QTimer()
    ticker.timeout.connect(tick)
    last["t"] = clock.elapsed()
    ticker.start(10)

    samples: list[dict[str, Any]] = []
    counts = {"rounds": 0, "searches": 0, "saves": 0, "undos": 0, "pdfs": 0, "exports": 0, "imports": 0}
    failures: list[str] = []
    started = time.monotonic()
    next_sample = started
    deadline = started + minutes * 60
    baseline: dict[str, int] | None = None

    saves_seen: list[str] = []
    editor.saved.connect(saves_seen.append)

    def failed(what: str) -> Callable[[BaseException, str], None]:
        return lambda exc, _details: failures.append(f"{what}: {exc}")

    while time.monotonic() < deadline:
        r = counts["rounds"]
        # search
        step["name"] = "search"
        window.search_box.setText(QUERIES[r % len(QUERIES)])
        window.run_query()
        wait(lambda: first_rows() and window._shown_query is not None, 30)
        counts["searches"] += 1
        idle(1.5)
        # edit the selected case, let it autosave, undo it
        step["name"] = "edit"
        row = r % max(1, min(model.rowCount(), 20))
        target = model.index(row, 0).data(UUID_ROLE)
        window.table.selectRow(row)
        shown = wait(
            lambda target=target: (
                editor.current_uuid == target and editor._snapshot is not None and editor._snapshot.uuid == target
            ),
            30,
        )
        if shown:
            text = editor.text_edits["practices"]
            before = len(saves_seen)
            text.setPlainText(text.toPlainText() + f"第{r}轮补充。")
            editor._save_now()
            if wait(lambda before=before: len(saves_seen) > before, 30):  # type: ignore[misc]
                counts["saves"] += 1
            idle(1.5)
            step["name"] = "undo"
            window.undo()
            counts["undos"] += 1
        idle(1.5)
        if r % 4 == 3:
            step["name"] = "pdf"
            shown = (model.index(i, 0).data(UUID_ROLE) for i in range(min(model.rowCount(), 20)))
            uuids = [str(u) for u in shown if u]
            done: list[object] = []
            out = work / f"brief-{r}.pdf"

            def prepared(brief: Any, out: Path = out, done: list[object] = done) -> None:
                window.ops.render("render", render_pdf, (brief, out, None), done.append, failed("pdf"))

            window.ops.read(
                "prepare",
                lambda b, _j, uuids=uuids: b.briefs.prepare(BriefSpec(template=Template.COLLECTION), uuids[:20]),
                prepared,
                failed("prepare"),
            )
            if wait(lambda done=done: bool(done), 120):  # type: ignore[misc]
                counts["pdfs"] += 1
            out.unlink(missing_ok=True)
            step["name"] = "export"
            shared: list[object] = []
            target = work / f"share-{r}.casebook"
            window.ops.read(
                "export",
                lambda b, _j, target=target, uuids=uuids: b.share.export(target, uuids[:20]),
                shared.append,
                failed("export"),
            )
            if wait(lambda shared=shared: bool(shared), 120):  # type: ignore[misc]
                counts["exports"] += 1
            target.unlink(missing_ok=True)
            step["name"] = "import"
            bundle = bundles[(r // 4) % len(bundles)]
            imported: list[object] = []

            def previewed(plan: Any, imported: list[object] = imported) -> None:
                window.ops.write_apart(
                    "import", import_bundle, (plan, {}, Resolution.THEIRS), imported.append, failed("import")
                )

            window.ops.read(
                "preview", lambda b, _j, bundle=bundle: b.share.preview(bundle), previewed, failed("preview")
            )
            if wait(lambda imported=imported: bool(imported), 300):  # type: ignore[misc]
                counts["imports"] += 1
            idle(1.5)
        counts["rounds"] += 1
        now = time.monotonic()
        if baseline is None and counts["rounds"] == 4:  # after one whole cycle: caches and helpers warm
            gc.collect()
            baseline = _status()
            samples.append({"t_s": round(now - started), **baseline})
            next_sample = now + 60
            stalls["longest"], stalls["over_200"] = 0.0, 0
        elif baseline is not None and now >= next_sample:
            samples.append({"t_s": round(now - started), **_status()})
            next_sample = now + 60
    ticker.stop()
    gc.collect()
    end = _status()
    samples.append({"t_s": round(time.monotonic() - started), **end})
    assert baseline is not None
    result = {
        "minutes": minutes,
        **counts,
        "failures": failures[:10],
        "start": baseline,
        "end": end,
        "rss_growth_pct": round((end["rss_kib"] - baseline["rss_kib"]) * 100 / baseline["rss_kib"], 1),
        "fds_growth": end["fds"] - baseline["fds"],
        "threads_growth": end["threads"] - baseline["threads"],
        "longest_stall_ms": round(stalls["longest"]),
        "stalls_over_200_ms": stalls["over_200"],
        "samples": samples,
    }
    print(json.dumps(result), flush=True)
    window.workers.shutdown()
    window.close()
    book.close()
    shutil.rmtree(work, ignore_errors=True)


def measure(big: Path, minutes: float = 60) -> dict[str, Any]:
    """Run the soak in a fresh window process on a copy of ``big``; prints and returns its figures."""
    copy = OUT / "soak.sqlite"
    for p in OUT.glob("soak.sqlite*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    shutil.copyfile(big, copy)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-m", "tests.perf.soak_bench", "--child", str(minutes), str(copy)],
        env=env,
        stdout=subprocess.PIPE,  # stderr passes through (CASEBOOK_BENCH_DEBUG=1 prints each stall there)
        text=True,
        check=True,
        timeout=minutes * 60 + 1800,
    ).stdout
    data: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    for p in OUT.glob("soak.sqlite*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    s, e = data["start"], data["end"]
    print(
        f"soak {minutes:g} min, {data['rounds']} rounds ({data['searches']} searches, {data['saves']} saves, "
        f"{data['undos']} undos, {data['pdfs']} PDFs, {data['exports']} exports, {data['imports']} imports; "
        f"failures: {len(data['failures'])}): RSS {s['rss_kib'] / 1024:.0f} → {e['rss_kib'] / 1024:.0f} MiB "
        f"({data['rss_growth_pct']:+.1f} %), fds {s['fds']} → {e['fds']}, threads {s['threads']} → {e['threads']}, "
        f"Python objects {s['objects']} → {e['objects']}; longest stall {data['longest_stall_ms']} ms, "
        f"{data['stalls_over_200_ms']} over 200 ms"
    )
    return data


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(float(sys.argv[2]), Path(sys.argv[3]))
    else:
        minutes = float(sys.argv[1]) if len(sys.argv) > 1 else 60
        if len(sys.argv) > 2:
            big = Path(sys.argv[2])
        else:
            from tests.perf.run_all import build_big

            big = build_big({})  # the 100,000-case bench library, made once
        result = measure(big, minutes)
        (OUT / "soak.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
