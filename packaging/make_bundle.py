"""Build the one-folder bundle with PyInstaller, then measure it against its budget (``make package``).

    .venv/bin/python packaging/make_bundle.py            # build dist/casebook, then measure
    .venv/bin/python packaging/make_bundle.py --measure  # measure the bundle already in dist/

Budget: the unpacked bundle ≤ 250 MB; the frozen program's ``--version`` and window start no slower
than 1.2× the same from source. Each timing is the median of interleaved runs (frozen, source,
frozen …) in fresh processes, offscreen, with a scratch home folder:

* ``--version``: wall time of ``dist/casebook/casebook --version`` against ``.venv/bin/casebook --version``;
* window start: from launching the process until the main window shows the first rows of a library
  holding the demo cases — the frozen program against ``python packaging/entry.py`` from source, both
  with ``CASEBOOK_SMOKE_REPORT`` (packaging/entry.py), which reports that moment and closes the window.

The figures are printed and written to ``build/package-figures.json`` (read by tests/package). The
exit code is 1 when the bundle is over a budget (unless ``--no-check``: the Windows workflow reports
its figures without holding them to the Linux budget).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "casebook.spec"
DIST = ROOT / "dist"
BUNDLE = DIST / "casebook"
FIGURES = ROOT / "build" / "package-figures.json"
MAX_SIZE_MB = 250.0
MAX_RATIO = 1.2
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


def frozen_program(console: bool = True) -> Path:
    """The frozen executable in the bundle (on Windows the console one unless ``console`` is False)."""
    name = "casebook-cli" if (sys.platform == "win32" and console) else "casebook"
    return BUNDLE / (name + EXE_SUFFIX)


def build() -> float:
    """Run PyInstaller on the spec; returns the seconds it took."""
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(ROOT / "build" / "pyinstaller"),
            str(SPEC),
        ],
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - started


def bundle_size(folder: Path) -> tuple[int, int]:
    """Bytes and number of files of ``folder`` as unpacked on disk (links counted as links)."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_symlink() or path.is_file():
            total += path.lstat().st_size
            files += 1
    return total, files


def scratch_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment: a scratch home folder, offscreen Qt, a UTF-8 locale, nothing else of ours."""
    env = {
        "HOME": str(home),
        "USERPROFILE": str(home),
        "APPDATA": str(home / "AppData" / "Roaming"),
        "LOCALAPPDATA": str(home / "AppData" / "Local"),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "PATH": os.environ.get("SYSTEMROOT", "") + "\\System32" if sys.platform == "win32" else "/usr/bin:/bin",
    }
    for key in ("SYSTEMROOT", "WINDIR", "TEMP", "TMP"):
        if key in os.environ:
            env[key] = os.environ[key]
    env.update(extra)
    return env


def _time_command(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _time_window(command: list[str], env: dict[str, str], report: Path) -> float:
    report.unlink(missing_ok=True)
    started = time.time()
    subprocess.run(
        command,
        env={**env, "CASEBOOK_SMOKE_REPORT": str(report)},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    if data["timed_out"] or data["rows"] == 0:
        raise RuntimeError(f"the window did not show its rows: {data}")
    return float(data["ready_at"]) - started


def measure(runs: int) -> dict[str, Any]:
    """Time ``--version`` and the window start, frozen against source, ``runs`` times each."""
    source_cli = Path(sysconfig.get_path("scripts")) / ("casebook" + EXE_SUFFIX)
    entry = [sys.executable, str(ROOT / "packaging" / "entry.py")]
    with tempfile.TemporaryDirectory(prefix="casebook-measure-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        library = Path(tmp) / "library.sqlite"
        env = scratch_env(home, CASEBOOK_LIBRARY=str(library))
        frozen = str(frozen_program())
        subprocess.run([frozen, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([frozen, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        report = Path(tmp) / "report.json"
        version: dict[str, list[float]] = {"frozen": [], "source": []}
        window: dict[str, list[float]] = {"frozen": [], "source": []}
        # One unmeasured round warms the disk cache and writes the window's settings for both.
        _time_window([frozen], env, report)
        _time_window(entry, env, report)
        for _ in range(runs):
            version["frozen"].append(_time_command([frozen, "--version"], env))
            version["source"].append(_time_command([str(source_cli), "--version"], env))
            window["frozen"].append(_time_window([frozen], env, report))
            window["source"].append(_time_window(entry, env, report))
    result: dict[str, Any] = {}
    for name, samples in (("version", version), ("window", window)):
        frozen_s, source_s = statistics.median(samples["frozen"]), statistics.median(samples["source"])
        result[name] = {
            "frozen_s": round(frozen_s, 4),
            "source_s": round(source_s, 4),
            "ratio": round(frozen_s / source_s, 3),
            "runs": runs,
        }
    return result


def main(argv: list[str] | None = None) -> int:
    """Build (unless ``--measure``), measure, print and record the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--measure", action="store_true", help="measure the existing bundle without building")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each program (default 7)")
    parser.add_argument("--no-check", action="store_true", help="print the figures without failing on the budget")
    args = parser.parse_args(argv)
    build_s = None if args.measure else build()
    if not frozen_program().is_file():
        print(f"no bundle at {BUNDLE}", file=sys.stderr)
        return 1
    size, files = bundle_size(BUNDLE)
    timings = measure(args.runs)
    size_mb = size / 1e6
    checks = {
        "size": size_mb <= MAX_SIZE_MB,
        "version": timings["version"]["ratio"] <= MAX_RATIO,
        "window": timings["window"]["ratio"] <= MAX_RATIO,
    }
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    figures = {
        "measured_at": time.strftime("%Y-%m-%d %H:%M"),
        "machine": machine,
        "bundle": str(BUNDLE.relative_to(ROOT)),
        "size_bytes": size,
        "size_mb": round(size_mb, 1),
        "files": files,
        "build_s": round(build_s, 1) if build_s is not None else None,
        **timings,
        "budget": {"size_mb": MAX_SIZE_MB, "ratio": MAX_RATIO},
        "within_budget": checks,
    }
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")

    def verdict(ok: bool) -> str:
        return "ok" if ok else "OVER BUDGET"

    v, w = timings["version"], timings["window"]
    print(f"\nBundle {figures['bundle']} ({figures['machine']})")
    if build_s is not None:
        print(f"  build time       {build_s:.1f} s")
    print(f"  size unpacked    {size_mb:.1f} MB in {files:,} files (≤ {MAX_SIZE_MB:.0f} MB)  {verdict(checks['size'])}")
    print(
        f"  --version        frozen {v['frozen_s']:.3f} s, source {v['source_s']:.3f} s = {v['ratio']:.2f}×"
        f" (≤ {MAX_RATIO}×)  {verdict(checks['version'])}"
    )
    print(
        f"  window start     frozen {w['frozen_s']:.3f} s, source {w['source_s']:.3f} s = {w['ratio']:.2f}×"
        f" (≤ {MAX_RATIO}×)  {verdict(checks['window'])}"
    )
    print(f"  median of {args.runs} runs each; figures in {FIGURES.relative_to(ROOT)}")
    return 0 if args.no_check or all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
