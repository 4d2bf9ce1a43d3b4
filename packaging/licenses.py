"""Gather the licences of everything the installed application ships into ``resources/licenses/``.

Each component's licence text is copied from where its authors put it — the ``dist-info`` folder of
the installed Python package, Python's own ``LICENSE.txt``, the GNU texts Debian keeps in
``/usr/share/common-licenses`` for Qt's LGPL — never retyped. The folder then holds those texts,
``licenses.json`` (component → licence → files, read by the About dialog) and a ``README.md`` with
the same table. Run it after adding or upgrading a dependency that goes into the bundle:

    .venv/bin/python packaging/licenses.py

The results are kept in git (Windows and macOS builds copy them as they are), and
``packaging/casebook.spec`` puts the folder into the bundle as ``resources/licenses`` and, for anyone
looking through the installed folder, ``licenses/``.
"""

from __future__ import annotations

import json
import re
import sys
import sysconfig
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "licenses"
COMMON_LICENSES = Path("/usr/share/common-licenses")


@dataclass(frozen=True)
class Component:
    """One shipped component: its name, licence (SPDX), where the texts come from, what it is for."""

    name: str
    license: str
    purpose: str
    homepage: str
    dist: str | None = None  # the installed distribution whose dist-info holds the texts
    files: tuple[str, ...] = ()  # file names inside that dist-info (default: every licence file)
    texts: tuple[Path, ...] = field(default_factory=tuple)  # texts from elsewhere
    note: str = ""
    key: str = ""  # file-name prefix of its texts (default: from the name)


COMPONENTS: tuple[Component, ...] = (
    Component(
        "Qt 6 / PySide6 / Shiboken6",
        "LGPL-3.0-only",
        "窗口界面 / the window (Qt Core, Gui, Widgets, Pdf, PdfWidgets)",
        "https://www.qt.io/qt-for-python",
        key="Qt",
        texts=(COMMON_LICENSES / "LGPL-3", COMMON_LICENSES / "GPL-3"),
        note=(
            "Used under the GNU LGPL 3.0 (whose terms build on the GNU GPL 3.0, included). The Qt libraries "
            "are shipped unmodified as separate shared libraries that can be replaced. Source code: "
            "https://download.qt.io/official_releases/qt/ and https://download.qt.io/official_releases/"
            "QtForPython/. Qt contains third-party code under its own licences (ICU, HarfBuzz, FreeType, "
            "PCRE2, zlib, libpng and others): https://doc.qt.io/qt-6/licenses-used-in-qt.html"
        ),
    ),
    Component(
        "ReportLab",
        "BSD-3-Clause",
        "PDF 简报 / PDF briefs",
        "https://www.reportlab.com/opensource/",
        dist="reportlab",
    ),
    Component(
        "Noto Sans SC, Noto Serif SC",
        "OFL-1.1",
        "窗口与 PDF 的中文字体 / Chinese fonts of the window and the PDFs",
        "https://github.com/notofonts/noto-cjk",
        dist="pylopdf-fonts-zh-cn",
        key="Noto-CJK-SC",
        note="The PDF faces are TrueType conversions of the originals (see resources/fonts/OFL.txt).",
    ),
    Component(
        "Python",
        "PSF-2.0",
        "运行环境 / the runtime",
        "https://www.python.org/",
        texts=(Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt",),
    ),
    Component(
        "PyInstaller bootloader",
        "GPL-2.0-or-later WITH Bootloader-exception",
        "启动程序 / the program launcher",
        "https://pyinstaller.org/",
        dist="pyinstaller",
        note="The exception allows the bootloader to be distributed with programs under any licence.",
    ),
    Component("SQLAlchemy", "MIT", "数据库访问 / database access", "https://www.sqlalchemy.org/", dist="sqlalchemy"),
    Component("Alembic", "MIT", "案例库升级 / library upgrades", "https://alembic.sqlalchemy.org/", dist="alembic"),
    Component("Mako", "MIT", "used by Alembic", "https://www.makotemplates.org/", dist="mako"),
    Component(
        "MarkupSafe", "BSD-3-Clause", "used by Mako", "https://palletsprojects.com/p/markupsafe/", dist="markupsafe"
    ),
    Component(
        "typing_extensions",
        "PSF-2.0",
        "used by SQLAlchemy and Alembic",
        "https://github.com/python/typing_extensions",
        dist="typing-extensions",
    ),
    Component(
        "platformdirs",
        "MIT",
        "用户文件夹 / user folders",
        "https://github.com/tox-dev/platformdirs",
        dist="platformdirs",
    ),
    Component(
        "Pillow",
        "MIT-CMU",
        "图片 / photos (with the image libraries its licence file lists)",
        "https://python-pillow.github.io/",
        dist="pillow",
    ),
    Component(
        "openpyxl",
        "MIT",
        "Excel 导入导出 / Excel import and export",
        "https://openpyxl.readthedocs.io/",
        dist="openpyxl",
    ),
    Component(
        "et_xmlfile", "MIT", "used by openpyxl", "https://foss.heptapod.net/openpyxl/et_xmlfile", dist="et-xmlfile"
    ),
    Component(
        "python-docx",
        "MIT",
        "Word 导出 / Word export",
        "https://github.com/python-openxml/python-docx",
        dist="python-docx",
    ),
    Component("lxml", "BSD-3-Clause", "used by python-docx", "https://lxml.de/", dist="lxml"),
    Component(
        "jsonschema",
        "MIT",
        "共享包校验 / checking share bundles",
        "https://github.com/python-jsonschema/jsonschema",
        dist="jsonschema",
    ),
    Component(
        "jsonschema-specifications",
        "MIT",
        "used by jsonschema",
        "https://github.com/python-jsonschema/jsonschema-specifications",
        dist="jsonschema-specifications",
    ),
    Component(
        "referencing",
        "MIT",
        "used by jsonschema",
        "https://github.com/python-jsonschema/referencing",
        dist="referencing",
    ),
    Component("rpds-py", "MIT", "used by jsonschema", "https://github.com/crate-py/rpds", dist="rpds-py"),
    Component("attrs", "MIT", "used by jsonschema", "https://www.attrs.org/", dist="attrs"),
    Component(
        "charset-normalizer",
        "MIT",
        "used by ReportLab",
        "https://github.com/jawah/charset_normalizer",
        dist="charset-normalizer",
    ),
)


def _slug(name: str) -> str:
    return re.sub(r"[^0-9A-Za-z_]+", "-", name).strip("-")


def _dist_texts(component: Component) -> list[tuple[str, str]]:
    """(file name, text) of the licence files in the component's dist-info."""
    assert component.dist is not None
    dist = metadata.distribution(component.dist)
    found: list[tuple[str, str]] = []
    for file in dist.files or ():
        name = Path(str(file)).name
        inside = ".dist-info" in str(file)
        wanted = name in component.files if component.files else name.upper().startswith(("LICEN", "COPYING"))
        if inside and wanted:
            found.append((name, file.read_text(encoding="utf-8")))
    if not found:
        raise SystemExit(f"no licence file in the dist-info of {component.dist}")
    return found


def collect() -> list[dict[str, object]]:
    """Write every text into OUT; return the index entries."""
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.txt"):
        old.unlink()
    index: list[dict[str, object]] = []
    for component in COMPONENTS:
        texts = _dist_texts(component) if component.dist else [(p.name, p.read_text("utf-8")) for p in component.texts]
        names: list[str] = []
        for original, text in texts:
            stem = original.rsplit(".", 1)[0] if original.lower().endswith((".txt", ".rst")) else original
            name = f"{component.key or _slug(component.name)}.{_slug(stem)}.txt"
            (OUT / name).write_text(text, encoding="utf-8")
            names.append(name)
        index.append(
            {
                "component": component.name,
                "license": component.license,
                "purpose": component.purpose,
                "homepage": component.homepage,
                "files": names,
                "note": component.note,
            }
        )
    return index


def readme(index: list[dict[str, object]]) -> str:
    """The folder's README: the table of components, licences and files."""
    lines = [
        "# 许可证 · Licences",
        "",
        "试点案例库 · Pilot Casebook 安装包中随附的第三方组件及其许可证。许可证原文取自各组件自带的文件。",
        "",
        "*The third-party components shipped in the Pilot Casebook installer and their licences; each text is",
        "copied from the component's own distribution by `packaging/licenses.py`.*",
        "",
        "| 组件 · component | 许可证 · licence | 用途 · used for | 原文 · text |",
        "|---|---|---|---|",
    ]
    for entry in index:
        files = ", ".join(f"[{f}]({f})" for f in entry["files"])  # type: ignore[attr-defined]
        lines.append(f"| {entry['component']} | {entry['license']} | {entry['purpose']} | {files} |")
    lines += ["", "## 说明 · Notes", ""]
    for entry in index:
        if entry["note"]:
            lines.append(f"- **{entry['component']}**: {entry['note']}")
    lines += [
        "- **Linux bundle**: PyInstaller also copies some shared libraries of the build machine's system that "
        "Qt links against (libxkbcommon, libxcb and others); their licences are in "
        "`/usr/share/doc/<package>/copyright` of any Debian system.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    """Collect the texts and write the index and README."""
    index = collect()
    (OUT / "licenses.json").write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (OUT / "README.md").write_text(readme(index), encoding="utf-8")
    for entry in index:
        print(f"{entry['component']:<32} {entry['license']:<44} {', '.join(entry['files'])}")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
