"""The command line end to end: real processes and real library files."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop import __version__
from desktop.cli import main
from tests.cli_helpers import SUBPROCESS_TIMEOUT, main_cli, run_cli


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code, out, err = main_cli(capsys, *args)
    assert code == 0, err
    assert err == ""
    return json.loads(out)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def _no_library_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CASEBOOK_LIBRARY", "CASEBOOK_EDITOR", "CASEBOOK_UNIT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def demo_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One library with the demo, made by real processes and shared by the read-only tests below."""
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    init = run_cli("--library", str(path), "init")
    assert init.returncode == 0, init.stderr
    assert "已新建案例库" in init.stdout
    first = run_cli("--library", str(path), "demo")
    assert first.returncode == 0, first.stderr
    assert "新增案例 9 个" in first.stdout
    return path


# processes ---------------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"casebook {__version__}"


def test_init_through_the_environment_variable(tmp_path: Path) -> None:
    path = tmp_path / "from-env" / "lib.sqlite"
    result = run_cli("init", env={"CASEBOOK_LIBRARY": str(path)}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.is_file()
    assert "已新建案例库" in result.stdout and str(path) in result.stdout
    assert "Traceback" not in result.stderr
    again = run_cli("init", env={"CASEBOOK_LIBRARY": str(path)}, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "案例库已存在" in again.stdout
    assert "新增 0 条" in again.stdout


def test_demo_twice_adds_nothing_the_second_time(demo_library: Path) -> None:
    second = run_cli("--library", str(demo_library), "demo")
    assert second.returncode == 0, second.stderr
    assert "新增案例 0 个、试点 0 个、探索事项 0 项" in second.stdout


def test_search_json_from_a_process(demo_library: Path) -> None:
    result = run_cli("--library", str(demo_library), "search", "飞地", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == len(data["results"]) == 3
    for hit in data["results"]:
        assert hit["id"] and hit["title"] and hit["snippet"]
        assert "飞地" in hit["title"] + hit["snippet"] + " ".join(hit["places"]) + hit["model_type"]


def test_missing_library_is_an_error_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "absent.sqlite"
    result = run_cli("--library", str(path), "search", "飞地")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "错误" in result.stderr and "文件不存在" in result.stderr
    assert result.stdout == ""
    assert not path.exists()


def test_text_file_given_as_library_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要：不是案例库。\n", encoding="utf-8")
    before, mtime = _sha(path), path.stat().st_mtime_ns
    result = run_cli("--library", str(path), "search", "飞地")
    assert result.returncode == 1
    assert "不是案例库" in result.stderr
    assert "Traceback" not in result.stderr
    assert _sha(path) == before and path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


# searching (in-process) --------------------------------------------------------------------


def test_search_with_a_limit_reports_the_full_total(demo_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "--library", str(demo_library), "search", "共", "--json", "--limit", "2")
    assert data["total"] > 2
    assert len(data["results"]) == 2
    rest = _json(capsys, "--library", str(demo_library), "search", "共", "--json", "--offset", "2", "--limit", "50")
    assert len(rest["results"]) == data["total"] - 2
    assert not {h["id"] for h in data["results"]} & {h["id"] for h in rest["results"]}


def test_search_by_region(demo_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "--library", str(demo_library), "search", "--region", "淳安县", "--json")
    assert data["total"] == len(data["results"]) >= 1
    for hit in data["results"]:
        assert any(p.startswith("杭州市淳安县") for p in hit["places"])
    assert any("大下姜" in h["title"] for h in data["results"])


def test_search_by_theme_includes_sub_themes(demo_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parent = _json(capsys, "--library", str(demo_library), "search", "--theme", "（一）", "--json")
    child = _json(capsys, "--library", str(demo_library), "search", "--theme", "山海协作与飞地经济", "--json")
    assert child["total"] >= 1
    assert {h["id"] for h in child["results"]} <= {h["id"] for h in parent["results"]}
    assert any("消薄飞地" in h["title"] for h in parent["results"])
    everything = _json(capsys, "--library", str(demo_library), "search", "--theme", "三大差距", "--json")
    assert everything["total"] == 9


def test_search_by_review_status(demo_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "--library", str(demo_library), "search", "--status", "推荐推广", "--json")
    assert data["total"] == len(data["results"]) == 3
    assert {h["review_status"] for h in data["results"]} == {"推荐推广"}


def test_search_by_designation_on_a_date(demo_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(demo_library)
    in_2023 = _json(capsys, "--library", lib, "search", "--designation", "--as-of", "2023-06-01", "--json")
    in_2025 = _json(
        capsys, "--library", lib, "search", "--designation", "山区海岛县", "--as-of", "2025-01-01", "--json"
    )
    titles_2023 = {h["title"] for h in in_2023["results"]}
    titles_2025 = {h["title"] for h in in_2025["results"]}
    yudong = next(t for t in titles_2023 if "余东" in t)
    assert yudong not in titles_2025
    assert titles_2025 < titles_2023
    assert any("大下姜" in t for t in titles_2025)


def test_search_text_output(demo_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = main_cli(capsys, "--library", str(demo_library), "search", "飞地")
    assert code == 0, err
    assert out.startswith("共找到 3 个案例")
    assert "消薄飞地" in out


# show, list, check -------------------------------------------------------------------------


def test_show_json_round_trips_the_title(demo_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hit = _json(capsys, "--library", str(demo_library), "search", "鲁家村", "--json")["results"][0]
    case = _json(capsys, "--library", str(demo_library), "show", hit["id"], "--json")
    assert case["id"] == hit["id"]
    assert case["title"] == hit["title"]
    assert case["is_demo"] is True
    assert case["figures"] and all(f["unit"] and f["period"] for f in case["figures"])
    code, out, err = main_cli(capsys, "--library", str(demo_library), "show", hit["id"])
    assert code == 0, err
    assert out.splitlines()[0] == hit["title"]
    assert "【主要做法】" in out


def test_show_unknown_id_is_an_error(demo_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = main_cli(capsys, "--library", str(demo_library), "show", "00000000-0000-0000-0000-000000000000")
    assert code == 1
    assert out == ""
    assert "找不到案例" in err


def test_list_json(demo_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "--library", str(demo_library), "list", "--json")
    assert data["total"] == len(data["results"]) == 9
    assert all(h["demo"] for h in data["results"])
    assert len({h["id"] for h in data["results"]}) == 9


def test_check_on_a_sound_library(demo_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = main_cli(capsys, "--library", str(demo_library), "check")
    assert code == 0, err
    assert "案例库完好" in out
    code, out, err = main_cli(capsys, "--library", str(demo_library), "check", "--repair")
    assert code == 0, err
    assert "收录 9 个案例" in out


def test_bad_limit_is_a_usage_error(demo_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = main_cli(capsys, "--library", str(demo_library), "search", "飞地", "--limit", "x")
    assert code == 2
    assert out == ""
    assert "命令行参数有误" in err
    code, _out, err = main_cli(capsys, "--library", str(demo_library), "search", "飞地", "--limit", "-1")
    assert code == 2
    assert "不能为负数" in err


def test_unknown_region_is_an_error(demo_library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = main_cli(capsys, "--library", str(demo_library), "search", "--region", "火星县")
    assert code == 1
    assert "找不到地区" in err


# writing commands (in-process, each on its own library) ------------------------------------


def test_backup_then_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "source.sqlite"
    assert main_cli(capsys, "--library", str(source), "demo")[0] == 0
    out_file = tmp_path / "copies" / "backup.sqlite"
    code, out, err = main_cli(capsys, "--library", str(source), "backup", str(out_file))
    assert code == 0, err
    assert out_file.is_file() and "已备份到" in out
    code, _out, err = main_cli(capsys, "--library", str(source), "backup", str(out_file))
    assert code == 1
    assert "已存在" in err

    target = tmp_path / "target.sqlite"
    assert main_cli(capsys, "--library", str(target), "init")[0] == 0
    assert _json(capsys, "--library", str(target), "list", "--json")["total"] == 0

    code, out, err = main_cli(capsys, "--library", str(target), "restore", str(out_file))
    assert code == 0, err
    assert "已从" in out and "恢复" in out

    restored = _json(capsys, "--library", str(target), "list", "--json")
    original = _json(capsys, "--library", str(source), "list", "--json")
    assert {h["id"] for h in restored["results"]} == {h["id"] for h in original["results"]}
    kept = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1
    assert _json(capsys, "--library", str(kept[0]), "list", "--json")["total"] == 0
    assert main_cli(capsys, "--library", str(target), "check")[0] == 0


def test_restore_from_a_text_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "target.sqlite"
    assert main_cli(capsys, "--library", str(target), "init")[0] == 0
    before = _sha(target)
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_text("不是备份", encoding="utf-8")
    code, _out, err = main_cli(capsys, "--library", str(target), "restore", str(bogus))
    assert code == 1
    assert "不是案例库" in err
    assert _sha(target) == before


def test_sample_adds_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sample.sqlite"
    code, out, err = main_cli(capsys, "--library", str(path), "sample", "30", "--seed", "3")
    assert code == 0, err
    assert "30" in out
    data = _json(capsys, "--library", str(path), "list", "--json")
    assert data["total"] == 30
    assert not any(h["demo"] for h in data["results"])
    assert main_cli(capsys, "--library", str(path), "check")[0] == 0


def test_sample_is_repeatable_for_a_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    titles = []
    for name in ("a.sqlite", "b.sqlite"):
        path = tmp_path / name
        assert main_cli(capsys, "--library", str(path), "sample", "5", "--seed", "3")[0] == 0
        titles.append(sorted(h["title"] for h in _json(capsys, "--library", str(path), "list", "--json")["results"]))
    assert titles[0] == titles[1]
    assert len(titles[0]) == 5


def test_negative_sample_count_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = main_cli(capsys, "--library", str(tmp_path / "s.sqlite"), "sample", "-3")
    assert code == 2
    assert "不能为负数" in err or "命令行参数有误" in err


def test_output_into_a_closed_pipe_is_not_reported_as_an_error(tmp_path: Path) -> None:
    path = tmp_path / "many.sqlite"
    made = run_cli("--library", str(path), "sample", "200", "--seed", "1")
    assert made.returncode == 0, made.stderr
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone away, like `casebook list | head -1` after one line
    try:
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("CASEBOOK_")}
        result = subprocess.run(
            [sys.executable, "-m", "desktop", "--library", str(path), "list"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=full_env,
            timeout=SUBPROCESS_TIMEOUT,
            check=False,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr
    assert "错误" not in result.stderr
