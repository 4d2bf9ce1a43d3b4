"""Exporting through the services and the CLI: case choice, issue numbers per year, the history,
redoing an export, and refusals in Chinese that leave nothing half-written."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from desktop.domain.brief import BriefSpec, Template
from desktop.domain.validation import DomainError
from desktop.services.casebook import Casebook


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_issue_numbers_count_per_year_and_the_history_keeps_every_export(demo_book: Casebook, tmp_path: Path) -> None:
    book = demo_book
    uuids = book.briefs.choose(query="飞地")
    assert len(uuids) == 3
    assert book.briefs.next_issue_no(2026) == 1
    first = book.briefs.export(
        BriefSpec(issued_on=date(2026, 3, 1), year=2026, unit="省农业农村厅"), uuids, tmp_path / "a.pdf"
    ).value
    assert first.record.issue_no == 1 and first.record.pages >= 1
    assert book.briefs.next_issue_no(2026) == 2
    assert book.briefs.next_issue_no(2027) == 1
    second = book.briefs.export(BriefSpec(issued_on=date(2026, 4, 1), year=2026), uuids[:1], tmp_path / "b.pdf").value
    assert second.record.issue_no == 2
    history = book.briefs.history()
    assert [r.issue_no for r in history] == [2, 1]
    assert history[1].case_uuids == tuple(uuids)
    assert "第 1 期" in pdf_text(tmp_path / "a.pdf").replace("第1期", "第 1 期")
    (tmp_path / "a.pdf").unlink()
    again = book.briefs.redo(history[1].uuid).value
    assert again.record.file_path == (tmp_path / "a.pdf").resolve() and (tmp_path / "a.pdf").exists()


def test_refusals_leave_nothing_behind(demo_book: Casebook, tmp_path: Path) -> None:
    book = demo_book
    with pytest.raises(DomainError, match="没有选中"):
        book.briefs.export(BriefSpec(), [], tmp_path / "x.pdf")
    uuids = book.briefs.choose(everything=True)
    with pytest.raises(DomainError, match="文件夹"):
        book.briefs.export(BriefSpec(template=Template.CASE), uuids[:1], tmp_path)
    with pytest.raises(DomainError, match="不存在"):
        book.briefs.export(BriefSpec(template=Template.CASE), uuids[:1], tmp_path / "nope" / "x.pdf")
    assert list(tmp_path.iterdir()) == [] or all(p.suffix != ".part" for p in tmp_path.iterdir())
    assert book.briefs.history() == []


def run_cli(*args: str, library: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--library", str(library), *args], capture_output=True, text=True
    )


def test_cli_brief_end_to_end(tmp_path: Path) -> None:
    library = tmp_path / "l.sqlite"
    assert run_cli("demo", library=library).returncode == 0
    out = tmp_path / "汇编.pdf"
    done = run_cli(
        "brief",
        str(out),
        "--template",
        "collection",
        "--all",
        "--title",
        "典型案例汇编（示例）",
        "--group-by",
        "region",
        library=library,
    )
    assert done.returncode == 0, done.stderr
    assert "已导出" in done.stdout and out.exists()
    text = pdf_text(out)
    assert "典型案例汇编" in text.replace(" ", "")
    ids = json.loads(run_cli("search", "飞地", "--json", library=library).stdout)
    one = tmp_path / "one.pdf"
    done = run_cli("brief", str(one), "--template", "case", "--ids", ids["results"][0]["id"], library=library)
    assert done.returncode == 0, done.stderr
    fonts = subprocess.run(["pdffonts", str(one)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())
    bad = run_cli("brief", str(tmp_path / "x.pdf"), "--query", "飞地", "--all", library=library)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "请用" in bad.stderr
    none = run_cli("brief", str(tmp_path / "y.pdf"), "--query", "不存在的词语组合", library=library)
    assert none.returncode == 1 and "没有选中" in none.stderr
