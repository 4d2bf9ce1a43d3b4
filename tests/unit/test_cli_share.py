"""``casebook export`` and ``casebook import`` on real libraries: formats chosen by suffix, the
selection options, conflicts listed with exit code 4 and settled by --on-conflict, Excel problems
with exit code 5, refused files with exit code 1 and the library unchanged."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from desktop.cli import EXIT_CONFLICTS, EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from desktop.services.casebook import Casebook
from desktop.services.context import Editor
from tests.cli_helpers import main_cli
from tests.unit.test_share import dump


@pytest.fixture
def county(tmp_path: Path) -> Path:
    path = tmp_path / "county.sqlite"
    book = Casebook.open(path, create=True, editor=Editor("王五", "淳安县农业农村局"))
    book.load_demo()
    book.close()
    return path


def test_export_by_suffix_and_selection(county: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = ["--library", str(county)]
    code, out, _err = main_cli(capsys, *lib, "export", str(tmp_path / "all.casebook"), "--all")
    assert code == EXIT_OK and "案例 9" in out
    code, out, _err = main_cli(capsys, *lib, "export", str(tmp_path / "飞地.xlsx"), "--query", "飞地")
    assert code == EXIT_OK
    sheet = load_workbook(tmp_path / "飞地.xlsx").worksheets[0]
    listed = int(out.split("：")[1].split(" ")[0])
    assert 0 < listed < 9 and sheet.max_row - 1 == listed
    code, out, _err = main_cli(capsys, *lib, "export", str(tmp_path / "汇编.docx"), "--all", "--title", "典型案例汇编")
    assert code == EXIT_OK
    headings = [p.text for p in Document(str(tmp_path / "汇编.docx")).paragraphs if p.style.name.startswith("Heading")]
    assert len([h for h in headings if "示例" in h]) == 9
    code, _out, _err = main_cli(capsys, *lib, "export", str(tmp_path / "t.xlsx"), "--template-xlsx", "x.xlsx")
    assert code == EXIT_USAGE
    code, _out, err = main_cli(capsys, *lib, "export", str(tmp_path / "a.pdf"), "--all")
    assert code == EXIT_USAGE and ".casebook" in err
    code, _out, err = main_cli(capsys, *lib, "export", str(tmp_path / "a.casebook"))
    assert code == EXIT_USAGE and "--ids" in err


def test_import_lists_conflicts_and_settles_them(
    county: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    city = tmp_path / "city.sqlite"
    code, out, _err = main_cli(capsys, "--library", str(county), "export", str(tmp_path / "up.casebook"), "--all")
    code, out, _err = main_cli(capsys, "--library", str(city), "import", str(tmp_path / "up.casebook"))
    assert code == EXIT_OK and "新增 9 条" in out

    a, b = Casebook.open(county), Casebook.open(city)
    try:
        uuid = a.briefs.choose(everything=True)[0]
        a.cases.update(replace(a.cases.get(uuid), lessons="县里的版本"))
        b.cases.update(replace(b.cases.get(uuid), lessons="市里的版本"))
    finally:
        a.close()
        b.close()
    main_cli(capsys, "--library", str(city), "export", str(tmp_path / "down.casebook"), "--all")

    before = dump(county)
    code, out, err = main_cli(capsys, "--library", str(county), "import", str(tmp_path / "down.casebook"))
    assert code == EXIT_CONFLICTS
    assert "冲突 1 条" in out and uuid in err and "未导入任何内容" in err
    assert dump(county) == before
    code, out, _err = main_cli(capsys, "--library", str(county), "import", str(tmp_path / "down.casebook"), "--dry-run")
    assert code == EXIT_CONFLICTS and dump(county) == before

    code, out, _err = main_cli(
        capsys, "--library", str(county), "import", str(tmp_path / "down.casebook"), "--on-conflict", "theirs"
    )
    assert code == EXIT_OK and "更新 1 条" in out
    a = Casebook.open(county)
    try:
        assert a.cases.get(uuid).lessons == "市里的版本"
    finally:
        a.close()


def test_refused_files_and_workbook_problems(county: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "坏.casebook"
    bad.write_bytes(b"not a zip at all")
    before = dump(county)
    code, _out, err = main_cli(capsys, "--library", str(county), "import", str(bad))
    assert code == EXIT_ERROR and "坏.casebook" in err and "Traceback" not in err
    code, _out, err = main_cli(capsys, "--library", str(county), "import", str(tmp_path / "x.txt"))
    assert code == EXIT_USAGE
    assert dump(county) == before

    template = tmp_path / "模板.xlsx"
    code, _out, _err = main_cli(capsys, "--library", str(county), "export", "--template-xlsx", str(template))
    assert code == EXIT_OK
    book = load_workbook(template)
    sheet = book["案例"]
    headers = [c.value for c in sheet[1]]
    row = 2
    while any(sheet.cell(row, col).value for col in range(1, len(headers) + 1)):
        row += 1
    sheet.cell(row, headers.index("标题") + 1, "报送日期写错的案例")
    sheet.cell(row, headers.index("报送日期") + 1, "2025年13月45日")
    book.save(template)
    code, _out, err = main_cli(capsys, "--library", str(county), "import", str(template))
    assert code == EXIT_PROBLEMS and f"第 {row} 行" in err
    assert dump(county) == before
