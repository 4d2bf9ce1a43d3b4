"""The frozen program in dist/casebook (built by ``make package``), run as a coordinator would run it:
in fresh processes, offscreen, with a scratch home folder and no Python on PATH.

``make package-test`` builds the bundle and runs these; without a bundle they are skipped, unless
``CASEBOOK_REQUIRE_BUNDLE=1`` (set by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "casebook"
PROGRAM = BUNDLE / ("casebook-cli.exe" if sys.platform == "win32" else "casebook")
FIGURES = ROOT / "build" / "package-figures.json"
QT_MODULES_USED = {"QtCore", "QtGui", "QtWidgets", "QtPdf", "QtPdfWidgets", "QtDBus"}

if not PROGRAM.is_file():
    if os.environ.get("CASEBOOK_REQUIRE_BUNDLE") == "1":
        raise RuntimeError(f"no frozen program at {PROGRAM}: run `make package` first")
    pytest.skip("no bundle in dist/ (run `make package`)", allow_module_level=True)


def package_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    (folder / "bin").mkdir(parents=True)
    return folder


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """Nothing of the developer's: a scratch home, an empty PATH, no Python variables, offscreen Qt."""
    env = {
        "HOME": str(home),
        "PATH": str(home / "bin"),  # an empty folder: no python, no other tools
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.update(extra)
    return env


def run(home: Path, *args: str, timeout: float = 120, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PROGRAM), *args],
        env=clean_env(home, **extra),
        cwd=home,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def demo_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A library made by the frozen program with ``init`` and ``demo``: (home, library)."""
    base = tmp_path_factory.mktemp("frozen")
    home = base / "home"
    (home / "bin").mkdir(parents=True)
    library = base / "库" / "casebook.sqlite"
    init = run(home, "--library", str(library), "init")
    assert init.returncode == 0, init.stderr
    assert "已新建案例库" in init.stdout
    demo = run(home, "--library", str(library), "demo")
    assert demo.returncode == 0, demo.stderr
    assert "新增案例 9 个" in demo.stdout
    yield home, library


def test_version_is_the_package_version(home: Path) -> None:
    result = run(home, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"casebook {package_version()}"


def test_a_wrong_command_is_explained_in_chinese(home: Path) -> None:
    result = run(home, "nonsense")
    assert result.returncode == 2
    assert "没有这个命令" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_commands_speak_english_when_asked(home: Path) -> None:
    result = run(home, "nonsense", CASEBOOK_LANGUAGE="en")
    assert result.returncode == 2
    assert result.stderr.startswith("Invalid command line: no such command: nonsense"), result.stderr


def test_init_and_demo_make_a_sound_library(demo_library: tuple[Path, Path]) -> None:
    home, library = demo_library
    check = run(home, "--library", str(library), "check")
    assert check.returncode == 0, check.stderr
    found = run(home, "--library", str(library), "search", "飞地", "--json")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["total"] >= 1


def test_brief_pdf_has_embedded_fonts_and_chinese_text(demo_library: tuple[Path, Path], tmp_path: Path) -> None:
    home, library = demo_library
    out = tmp_path / "简报" / "cases.pdf"
    out.parent.mkdir()
    result = run(home, "--library", str(library), "brief", str(out), "--template", "case", "--all")
    assert result.returncode == 0, result.stderr
    assert "已导出" in result.stdout
    assert out.stat().st_size > 10_000
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows, fonts
    # columns: name type encoding emb sub uni object ID (type may be two words, e.g. "CID TrueType")
    assert all(row[-5] == "yes" for row in rows), fonts
    assert any("Noto" in row[0] for row in rows), fonts
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "典型案例" in text and "示例" in text


def test_window_shows_offscreen_and_closes(demo_library: tuple[Path, Path], tmp_path: Path) -> None:
    home, library = demo_library
    report = tmp_path / "report.json"
    result = run(home, "--library", str(library), CASEBOOK_SMOKE_REPORT=str(report))
    assert result.returncode == 0, result.stderr
    shown = json.loads(report.read_text(encoding="utf-8"))
    assert shown["timed_out"] is False
    assert shown["title"] == f"{library.name}（{library.parent.name}）— 试点案例库"
    assert shown["rows"] == shown["total"] >= 9
    assert shown["library"] == str(library)
    assert shown["icon"] is True
    assert "帮助(&H)" in shown["menus"]


def test_a_share_bundle_given_on_the_command_line_opens_its_import_preview(
    demo_library: tuple[Path, Path], tmp_path: Path
) -> None:
    home, library = demo_library
    bundle = tmp_path / "淳安县案例.casebook"
    exported = run(home, "--library", str(library), "export", str(bundle), "--all")
    assert exported.returncode == 0, exported.stderr
    report = tmp_path / "report.json"
    other = tmp_path / "city.sqlite"
    result = run(home, "--library", str(other), str(bundle), CASEBOOK_SMOKE_REPORT=str(report))
    assert result.returncode == 0, result.stderr
    shown = json.loads(report.read_text(encoding="utf-8"))
    assert shown["timed_out"] is False
    # the new library got the same demo cases on its first start: nothing new, nothing in conflict
    assert "无变化 9 条" in shown["import_preview"] and "冲突 0 条" in shown["import_preview"]


def test_first_start_creates_the_library_in_the_user_data_folder(home: Path, tmp_path: Path) -> None:
    """A machine with no Python: the window opens in Chinese on a new library holding the demo cases."""
    assert shutil.which("python3", path=str(home / "bin")) is None
    report = tmp_path / "report.json"
    result = run(home, CASEBOOK_SMOKE_REPORT=str(report))
    assert result.returncode == 0, result.stderr
    shown = json.loads(report.read_text(encoding="utf-8"))
    expected = home / ".local" / "share" / "PilotCasebook" / "casebook.sqlite"
    assert shown["library"] == str(expected)
    assert shown["language"] == "zh_CN"
    assert shown["title"] == f"{expected.name}（{expected.parent.name}）— 试点案例库"
    assert shown["welcome"] is True  # a first start asks who is editing
    assert shown["qt_cancel"] == "取消"  # Qt's own Chinese texts are in the bundle
    assert shown["font"] == "Noto Sans SC"  # the bundled face, as no system font is registered
    assert shown["rows"] == 9
    with sqlite3.connect(f"file:{expected}?mode=ro", uri=True) as db:
        (cases,) = db.execute("SELECT count(*) FROM model_case WHERE is_demo AND deleted_at IS NULL").fetchone()
        (pilots,) = db.execute("SELECT count(*) FROM pilot_site WHERE is_demo").fetchone()
    assert (cases, pilots) == (9, 2)


def test_bundle_holds_what_it_needs_and_no_more() -> None:
    internal = BUNDLE / "_internal"
    assert (BUNDLE / "licenses" / "README.md").is_file()
    assert (BUNDLE / "licenses" / "Qt.LGPL-3.txt").is_file()
    assert (internal / "resources" / "licenses" / "licenses.json").is_file()
    for font in ("NotoSerifSC-Regular.ttf", "NotoSansSC-Regular.ttf", "OFL.txt"):
        assert (internal / "resources" / "fonts" / font).is_file()
    assert (internal / "resources" / "translations" / "casebook_en.qm").is_file()
    assert (internal / "resources" / "translations" / "en" / "LC_MESSAGES" / "casebook.mo").is_file()
    for source in ("*.ts", "*.po", "*.pot"):
        assert not list((internal / "resources").rglob(source)), source
    assert not (internal / "babel").exists()  # only compiles the catalogue at build time
    assert (internal / "desktop" / "store" / "migrations" / "versions" / "0001_initial_schema.py").is_file()
    modules = {p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.*") if p.is_file()}
    assert modules <= QT_MODULES_USED, modules - QT_MODULES_USED
    unwanted = ("WebEngine", "Quick", "Qml", "3D", "Multimedia", "Designer", "Charts", "VirtualKeyboard")
    libraries = [p.name for p in internal.rglob("*Qt6*")]
    assert not [n for n in libraries if any(u in n for u in unwanted)]
    qt_translations = {p.name for p in (internal / "PySide6" / "Qt" / "translations").glob("*.qm")}
    assert qt_translations == {"qtbase_zh_CN.qm", "qtbase_en.qm"}


def test_budget_figures_of_the_build() -> None:
    figures = json.loads(FIGURES.read_text(encoding="utf-8"))
    assert figures["size_mb"] <= 250
    assert figures["version"]["ratio"] <= 1.2
    assert figures["window"]["ratio"] <= 1.2
    assert all(figures["within_budget"].values())
