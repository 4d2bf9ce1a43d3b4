"""Excel exchange on a real library: the case template (lists, marker, instructions), importing a filled
template (every problem at its cell, nothing imported while any is left unless only the valid rows are
asked for), refusing files that are not the template, and the ledger (text never becomes a formula)."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import text

from desktop.domain.changes import RecordKind
from desktop.domain.enums import ReviewStatus
from desktop.domain.query import CaseQuery
from desktop.domain.records import Figure, ModelCase, Photo, PilotSite, Ref
from desktop.exchange import workbook as xl
from desktop.exchange.workbook import (
    CASE_SHEET,
    LIST_NAMES,
    LISTS_SHEET,
    TEMPLATE_COLUMNS,
    TEMPLATE_MARKER,
    TEMPLATE_ROWS,
    TEMPLATE_VERSION,
    WorkbookError,
)
from desktop.services.casebook import Casebook
from desktop.services.context import NotFoundError
from desktop.services.workbooks import WorkbookProblemsError
from tests.conftest import TEST_EDITOR

HEADERS = [c.header for c in TEMPLATE_COLUMNS]
LETTER = {c.header: chr(ord("A") + i) for i, c in enumerate(TEMPLATE_COLUMNS)}
RISKY = ["=1+1", "+86 571", "-10%", "@mention", '=HYPERLINK("http://x","点我")']


# helpers -----------------------------------------------------------------------------------------
def template(book: Casebook, tmp_path: Path) -> Path:
    out = tmp_path / "案例模板.xlsx"
    book.workbooks.write_template(out)
    return out


def fill(source: Path, out: Path, rows: dict[int, dict[str, Any]]) -> Path:
    """Put values (by header) into the given Excel rows of the template's case sheet."""
    wb = load_workbook(source)
    ws = wb[CASE_SHEET]
    for number, values in rows.items():
        for header, value in values.items():
            ws[f"{LETTER[header]}{number}"] = value
    wb.save(out)
    return out


def dump(book: Casebook) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an import writes to."""
    tables = ["model_case", "case_place", "case_theme", "case_tag", "tag", "region", "review_event"]
    with book.library.engine.connect() as conn:
        out = {t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY 1, 2"))] for t in tables}
        out["index"] = [tuple(r) for r in conn.execute(text("SELECT * FROM search_digest ORDER BY 1"))]
    return out


def good_row(title: str) -> dict[str, Any]:
    return {"标题": title, "模式类型": "强村公司", "主题": "共富工坊", "地点": "杭州市淳安县"}


def problems_at(problems: list[Any]) -> set[tuple[int, str, str]]:
    return {(p.row, p.column, p.field) for p in problems}


@pytest.fixture
def pilot(book: Casebook) -> PilotSite:
    return book.pilots.save(PilotSite(name="淳安县下姜村片区组团试点")).value


# the template ------------------------------------------------------------------------------------
def test_template_has_its_sheets_lists_marker_and_instructions(
    book: Casebook, tmp_path: Path, pilot: PilotSite
) -> None:
    wb = load_workbook(template(book, tmp_path))
    assert wb.sheetnames == [CASE_SHEET, "填写说明", LISTS_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert wb[CASE_SHEET].sheet_state == "visible"
    lists = wb[LISTS_SHEET]
    assert (lists["A1"].value, lists["B1"].value) == (TEMPLATE_MARKER, TEMPLATE_VERSION)

    ws = wb[CASE_SHEET]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws.freeze_panes == "B2"
    assert ws.max_row == 1  # no example row that could be imported by mistake
    assert ws.column_dimensions[LETTER["标题"]].number_format == "@"
    assert ws.column_dimensions[LETTER["报送日期"]].number_format == "yyyy-mm-dd"

    vocabulary = book.workbooks.vocabulary()
    expected = {
        "主题": [t.name for t in vocabulary.themes],
        "模式类型": [m.name for m in vocabulary.model_types],
        "地点": [r.full_name for r in vocabulary.regions],
        "所属试点": [pilot.name],
        "审核状态": [s.value for s in ReviewStatus],
    }
    assert "杭州市淳安县" in expected["地点"] and "共富工坊" in expected["主题"]
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    for column in TEMPLATE_COLUMNS:
        letter = LETTER[column.header]
        dv = validations[f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"]
        assert dv.prompt and dv.showInputMessage
        if column.header not in expected:
            continue
        assert (dv.type, dv.formula1) == ("list", LIST_NAMES[column.key])
        assert dv.errorStyle == ("warning" if column.header in ("主题", "地点") else "stop")
        ref = wb.defined_names[LIST_NAMES[column.key]].attr_text
        sheet, cells = ref.split("!")
        assert sheet == f"'{LISTS_SHEET}'"
        m = re.fullmatch(r"\$([A-Z])\$(\d+):\$([A-Z])\$(\d+)", cells)
        assert m is not None and m[1] == m[3]
        values = [
            r[0]
            for r in wb[LISTS_SHEET].iter_rows(
                min_row=int(m[2]), max_row=int(m[4]), min_col=ord(m[1]) - 64, max_col=ord(m[1]) - 64, values_only=True
            )
        ]
        assert values == expected[column.header]
    assert validations[f"N2:N{TEMPLATE_ROWS + 1}"].type == "date"
    assert validations[f"A2:A{TEMPLATE_ROWS + 1}"].type == "textLength"

    guide = "\n".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "典型案例导入模板" in guide and "公式" in guide and "仅导入有效行" in guide
    for header in HEADERS:
        assert header in guide


def test_template_list_with_a_formula_like_name_stays_text(book: Casebook, tmp_path: Path) -> None:
    book.pilots.save(PilotSite(name='=HYPERLINK("http://x")'))
    out = template(book, tmp_path)
    cell = next(c for c in load_workbook(out)[LISTS_SHEET]["D"] if c.value and str(c.value).startswith("="))
    assert cell.data_type == "s" and cell.quotePrefix


# importing ---------------------------------------------------------------------------------------
def test_filled_template_is_imported_field_by_field(book: Casebook, tmp_path: Path, pilot: PilotSite) -> None:
    rows = {
        2: {
            "标题": "  下姜村“共富工坊”带富一方  ",
            "副标题": "淳安县枫树岭镇探索片区组团发展",
            "模式类型": "共富工坊",
            "主题": "共富工坊；（二）提升县城和中心镇承载力;重点村培育与片区组团",
            "地点": "杭州市淳安县/枫树岭镇/下姜村；淳安县",
            "所属试点": pilot.name,
            "基本情况": "下姜村位于淳安县西南部。\n全村 250 户。",
            "主要做法": "一是建工坊。\n二是引项目。",
            "取得成效": "村集体经营性收入达 310 万元。",
            "经验启示": "党建引领，抱团发展。",
            "标签": "共富工坊；片区组团；共富工坊",
            "来源": "淳安县农业农村局报送",
            "来源链接": "https://example.org/xiajiang",
            "报送日期": datetime(2025, 3, 1),
            "审核状态": "退回",
            "退回原因": "请补充数据来源",
        },
        3: {"标题": 2025, "报送日期": "2024年12月5日", "审核状态": "推荐推广"},
    }
    filled = fill(template(book, tmp_path), tmp_path / "filled.xlsx", rows)
    check = book.workbooks.check(filled)
    assert (check.total_rows, check.valid_rows, check.problems) == (2, 2, [])

    result = book.workbooks.import_cases(filled).value
    assert result.skipped_rows == [] and result.problems == []
    assert result.added_places == ["杭州市淳安县枫树岭镇下姜村"]
    first, second = book.cases.get_many(result.imported)

    assert first.title == "下姜村“共富工坊”带富一方"
    assert first.subtitle == "淳安县枫树岭镇探索片区组团发展"
    assert first.model_type is not None and first.model_type.name == "共富工坊"
    assert [t.name for t in first.themes] == ["共富工坊", "提升县城和中心镇承载力", "重点村培育与片区组团"]
    assert [p.name for p in first.places] == ["杭州市淳安县枫树岭镇下姜村", "杭州市淳安县"]
    assert first.pilot == Ref(pilot.uuid, pilot.name)
    assert first.basic_situation == "下姜村位于淳安县西南部。\n全村 250 户。"
    assert first.practices == "一是建工坊。\n二是引项目。"
    assert first.outcomes == "村集体经营性收入达 310 万元。"
    assert first.lessons == "党建引领，抱团发展。"
    assert first.tags == ["共富工坊", "片区组团"]
    assert first.source == "淳安县农业农村局报送"
    assert first.source_url == "https://example.org/xiajiang"
    assert first.reported_on == date(2025, 3, 1)
    assert (first.review_status, first.return_reason) == (ReviewStatus.RETURNED, "请补充数据来源")
    assert first.updated_by == TEST_EDITOR.label and first.created_at is not None

    assert (second.title, second.reported_on, second.review_status) == (
        "2025",
        date(2024, 12, 5),
        ReviewStatus.RECOMMENDED,
    )
    assert second.places == [] and second.themes == [] and second.model_type is None

    village = book.regions.find("杭州市淳安县枫树岭镇下姜村")
    assert village.name == "下姜村" and book.regions.get(village.parent_uuid or "").name == "枫树岭镇"
    # the search index was kept in step, as for a case added in the editor
    for words in ("带富一方", "下姜村", "片区组团", "310"):
        assert first.uuid in [h.uuid for h in book.search.search(CaseQuery(words)).hits], words
    assert book.maintenance.index_problems() == []


def test_every_problem_is_reported_at_its_cell_and_nothing_is_imported(book: Casebook, tmp_path: Path) -> None:
    book.regions.add(book.regions.find("杭州市淳安县").uuid, "城关镇")
    book.regions.add(book.regions.find("丽水市遂昌县").uuid, "城关镇")
    long_title = "很长的标题" * 41  # 205 characters
    rows: dict[int, dict[str, Any]] = {
        2: {**good_row("好案例一")},
        3: {**good_row("主题不存在"), "主题": "共富工坊；不存在的主题"},
        4: {**good_row("日期不对"), "报送日期": "2025-02-30"},
        5: {**good_row(""), "基本情况": "有内容但没有标题"},
        6: {**good_row("公式"), "主要做法": "=SUM(1,2)"},
        7: {**good_row(long_title)},
        8: {**good_row("类型不存在"), "模式类型": "不存在的模式"},
        9: {**good_row("状态不对"), "审核状态": "已通过"},
        10: {**good_row("退回无原因"), "审核状态": "退回"},
        11: {**good_row("地点同名"), "地点": "城关镇"},
        12: {**good_row("地点不存在"), "地点": "火星市"},
        13: {**good_row("村下加村"), "地点": "杭州市淳安县/枫树岭镇/下姜村/某组"},
        15: {**good_row("好案例二"), "标签": "甲；乙"},  # row 14 stays empty and is skipped
        16: {**good_row("两处问题"), "报送日期": 45000, "所属试点": "没有这个试点"},
    }
    filled = fill(template(book, tmp_path), tmp_path / "problems.xlsx", rows)
    wb = load_workbook(filled)
    wb[CASE_SHEET]["J17"] = "#N/A"
    wb[CASE_SHEET]["J17"].data_type = "e"
    wb[CASE_SHEET]["A17"] = "错误值"
    wb.save(filled)

    check = book.workbooks.check(filled)
    assert problems_at(check.problems) == {
        (3, "D", "主题"),
        (4, "N", "报送日期"),
        (5, "A", "标题"),
        (6, "H", "主要做法"),
        (7, "A", "标题"),
        (8, "C", "模式类型"),
        (9, "O", "审核状态"),
        (10, "P", "退回原因"),
        (11, "E", "地点"),
        (12, "E", "地点"),
        (13, "E", "地点"),
        (16, "F", "所属试点"),
        (16, "N", "报送日期"),
        (17, "J", "经验启示"),
    }
    assert (check.total_rows, check.valid_rows) == (15, 2)
    assert check.problem_rows == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17]
    by_cell = {(p.row, p.column): p for p in check.problems}
    assert str(by_cell[(3, "D")]) == "工作表“案例”第 3 行 D 列（主题）：找不到主题“不存在的主题”"
    assert "不是有效日期" in by_cell[(4, "N")].message
    assert by_cell[(5, "A")].message == "不能为空"
    assert "公式" in by_cell[(6, "H")].message
    assert by_cell[(7, "A")].message == "不能超过 200 个字"
    assert "多个地区" in by_cell[(11, "E")].message and "杭州市淳安县城关镇" in by_cell[(11, "E")].message
    assert "找不到地区“火星市”" in by_cell[(12, "E")].message
    assert "错误值" in by_cell[(17, "J")].message
    assert [p.column for p in check.problems if p.row == 16] == ["F", "N"]  # in column order

    before = dump(book)
    with pytest.raises(WorkbookProblemsError) as refused:
        book.workbooks.import_cases(filled)
    assert refused.value.problems == check.problems
    assert "problems.xlsx" in str(refused.value) and "14 处问题" in str(refused.value)
    assert dump(book) == before

    result = book.workbooks.import_cases(filled, valid_only=True).value
    assert [c.title for c in book.cases.get_many(result.imported)] == ["好案例一", "好案例二"]
    assert result.skipped_rows == check.problem_rows
    assert len(dump(book)["model_case"]) == len(before["model_case"]) + 2


def test_a_formula_is_never_computed(book: Casebook, tmp_path: Path) -> None:
    filled = fill(template(book, tmp_path), tmp_path / "f.xlsx", {2: {"标题": '=CONCAT("共富","工坊")'}})
    check = book.workbooks.check(filled)
    assert problems_at(check.problems) == {(2, "A", "标题")}
    assert check.problems[0].message.startswith("单元格含公式")
    assert check.valid_rows == 0
    with pytest.raises(WorkbookError, match="没有可导入的有效行"):
        book.workbooks.import_cases(filled, valid_only=True)


def test_a_file_changed_after_the_check_is_read_again(book: Casebook, tmp_path: Path) -> None:
    blank = template(book, tmp_path)
    filled = fill(blank, tmp_path / "c.xlsx", {2: good_row("第一版")})
    assert book.workbooks.check(filled).clean
    fill(blank, filled, {2: good_row("第一版"), 3: {**good_row("第二版"), "主题": "不存在"}})
    with pytest.raises(WorkbookProblemsError) as refused:
        book.workbooks.import_cases(filled)
    assert problems_at(refused.value.problems) == {(3, "D", "主题")}


def test_a_name_gone_from_the_library_after_the_check_leaves_the_library_untouched(
    book: Casebook, tmp_path: Path
) -> None:
    filled = fill(
        template(book, tmp_path),
        tmp_path / "late.xlsx",
        {
            2: {**good_row("先检查"), "地点": "杭州市淳安县/枫树岭镇/新村"},
            3: {**good_row("后删除"), "模式类型": "乡村运营"},
        },
    )
    reading = book.workbooks.parse(filled, book.workbooks.vocabulary())  # as the window reads it, then imports
    assert reading.check().clean
    book.maintenance.move_to_trash(RecordKind.MODEL_TYPE, book.catalog.find_model_type("乡村运营").uuid)
    before = dump(book)
    with pytest.raises(NotFoundError, match="模式类型"):
        book.workbooks.import_reading(filled, reading)
    assert dump(book) == before  # neither case, nor the village of the first row
    with pytest.raises(WorkbookProblemsError, match="乡村运营"):  # read again, the file says what is wrong
        book.workbooks.import_cases(filled)
    assert dump(book) == before


def test_data_validation_extensions_written_by_excel_are_read_quietly(book: Casebook, tmp_path: Path) -> None:
    filled = fill(template(book, tmp_path), tmp_path / "x14.xlsx", {2: good_row("带扩展")})
    ext = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations count="0"/></ext></extLst></worksheet>'
    )
    rewritten = tmp_path / "x14-excel.xlsx"
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"</worksheet>", ext.encode())
            dst.writestr(item, data)
    check = book.workbooks.check(rewritten)  # pytest turns any warning into an error
    assert (check.total_rows, check.valid_rows) == (1, 1)


def test_an_empty_template_imports_nothing(book: Casebook, tmp_path: Path) -> None:
    blank = template(book, tmp_path)
    assert book.workbooks.check(blank) == xl.WorkbookCheck(0, 0, [])
    before = dump(book)
    with pytest.raises(WorkbookError, match="没有填写任何案例"):
        book.workbooks.import_cases(blank)
    assert dump(book) == before


# refusals ----------------------------------------------------------------------------------------
def _not_template(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = CASE_SHEET
    ws.append(HEADERS)
    ws.append(["看似模板", "", "强村公司"])
    out = tmp_path / "别人的表.xlsx"
    wb.save(out)
    return out


def _random_bytes(tmp_path: Path) -> Path:
    out = tmp_path / "乱码.xlsx"
    out.write_bytes(os.urandom(4096))
    return out


def _empty_workbook(tmp_path: Path) -> Path:
    out = tmp_path / "空白.xlsx"
    Workbook().save(out)
    return out


def _empty_file(tmp_path: Path) -> Path:
    out = tmp_path / "零字节.xlsx"
    out.write_bytes(b"")
    return out


def _old_xls(tmp_path: Path) -> Path:
    out = tmp_path / "旧格式.xls"
    out.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088))
    return out


def _zip_not_xlsx(tmp_path: Path) -> Path:
    out = tmp_path / "压缩包.xlsx"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "不是表格")
    return out


def _wrong_version(tmp_path: Path, book: Casebook) -> Path:
    out = fill(template(book, tmp_path), tmp_path / "新版模板.xlsx", {2: good_row("新版")})
    wb = load_workbook(out)
    wb[LISTS_SHEET]["B1"] = TEMPLATE_VERSION + 1
    wb.save(out)
    return out


def _truncated(tmp_path: Path, book: Casebook) -> Path:
    source = fill(template(book, tmp_path), tmp_path / "完整.xlsx", {2: good_row("截断")})
    out = tmp_path / "损坏.xlsx"
    out.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    return out


def _damaged_sheet(tmp_path: Path, book: Casebook) -> Path:
    source = fill(template(book, tmp_path), tmp_path / "原件.xlsx", {2: good_row("坏表")})
    out = tmp_path / "表格损坏.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    return out


def _ledger(tmp_path: Path, book: Casebook) -> Path:
    case = book.cases.create(ModelCase(title="台账里的案例")).value
    out = tmp_path / "台账.xlsx"
    book.workbooks.write_ledger(out, [case.uuid])
    return out


REFUSALS = {
    "not the template": (lambda tmp, book: _not_template(tmp), "不是本软件的案例导入模板"),
    "random bytes": (lambda tmp, book: _random_bytes(tmp), "不是 Excel（.xlsx）文件，或文件已损坏"),
    "empty workbook": (lambda tmp, book: _empty_workbook(tmp), "不是本软件的案例导入模板"),
    "empty file": (lambda tmp, book: _empty_file(tmp), "文件是空的"),
    "old xls": (lambda tmp, book: _old_xls(tmp), "旧版 Excel"),
    "zip, not xlsx": (lambda tmp, book: _zip_not_xlsx(tmp), "不是 Excel（.xlsx）文件"),
    "newer template": (_wrong_version, "更新版本"),
    "truncated": (_truncated, "不是 Excel（.xlsx）文件，或文件已损坏"),
    "damaged sheet": (_damaged_sheet, "文件已损坏"),
    "a ledger": (_ledger, "案例台账"),
    "missing": (lambda tmp, book: tmp / "不存在.xlsx", "文件不存在"),
    "a folder": (lambda tmp, book: tmp, "文件夹"),
}


@pytest.mark.parametrize("kind", list(REFUSALS))
def test_files_that_are_not_the_template_are_refused(book: Casebook, tmp_path: Path, kind: str) -> None:
    make, reason = REFUSALS[kind]
    path = make(tmp_path, book)
    before = dump(book)
    for attempt in (book.workbooks.check, book.workbooks.import_cases):
        with pytest.raises(WorkbookError) as refused:
            attempt(path)
        message = str(refused.value)
        assert message.startswith(f"无法导入“{path.name}”：") and reason in message, message
        assert refused.value.path == path
    with pytest.raises(WorkbookError):
        book.workbooks.import_cases(path, valid_only=True)
    assert dump(book) == before


# the ledger --------------------------------------------------------------------------------------
def _risky_case(book: Casebook, title: str) -> ModelCase:
    vocabulary = book.workbooks.vocabulary()
    theme = next(t for t in vocabulary.themes if t.name == "共富工坊")
    region = next(r for r in vocabulary.regions if r.full_name == "杭州市淳安县")
    return book.cases.create(
        ModelCase(
            title=title,
            subtitle=RISKY[1],
            themes=[Ref(theme.uuid, theme.name)],
            places=[Ref(region.uuid, region.full_name)],
            tags=["@标签", "普通"],
            basic_situation=RISKY[2],
            practices=RISKY[4],
            outcomes="+30%",
            lessons="@所有人",
            source="-来源-",
            source_url="=http://x",
            reported_on=date(2025, 3, 1),
            review_status=ReviewStatus.SUBMITTED,
            figures=[Figure(label="村集体经营性收入", value=310.0, unit="万元", period="2024年", source="县统计局")],
            photos=[Photo(file_name="a.jpg", caption="工坊一角"), Photo(file_name="b.jpg")],
        )
    ).value


def test_ledger_writes_every_field_as_text_with_a_frozen_header_and_filters(book: Casebook, tmp_path: Path) -> None:
    plain = book.cases.create(ModelCase(title="普通案例")).value
    with book.library.engine.begin() as conn:  # a title stored before control characters were refused
        conn.exec_driver_sql("UPDATE model_case SET title = '普通' || char(7) || '案例' WHERE uuid = ?", (plain.uuid,))
    cases = [_risky_case(book, t) for t in RISKY[:4]] + [book.cases.get(plain.uuid)]
    out = tmp_path / "台账.xlsx"
    count = book.workbooks.write_ledger(out, [c.uuid for c in cases] + ["no-such-uuid", cases[0].uuid])
    assert count == len(cases)

    wb = load_workbook(out)
    ws = wb["案例台账"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["序号", "标题", "副标题"] and header[-1] == "UUID"
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=len(header)).column_letter}{len(cases) + 1}"
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    cells = {(r, h): ws.cell(row=r, column=i + 1) for r in range(2, len(cases) + 2) for i, h in enumerate(header)}
    for i, case in enumerate(cases[:4]):
        row = rows[i]
        assert row["序号"] == i + 1 and row["UUID"] == case.uuid
        assert row["标题"] == RISKY[i]
        for h, expected in (
            ("标题", RISKY[i]),
            ("副标题", RISKY[1]),
            ("基本情况", RISKY[2]),
            ("主要做法", RISKY[4]),
            ("取得成效", "+30%"),
            ("经验启示", "@所有人"),
            ("来源", "-来源-"),
            ("来源链接", "=http://x"),
            ("标签", "@标签；普通"),
        ):
            cell = cells[(i + 2, h)]
            assert (cell.value, cell.data_type) == (expected, "s"), h
            assert cell.quotePrefix == str(expected).startswith(("=", "+", "-", "@")), h
        assert row["主题"] == "共富工坊" and row["地点"] == "杭州市淳安县"
        assert row["数据"] == "村集体经营性收入：310万元（2024年），来源：县统计局"
        assert row["照片"] == "2 张：工坊一角；b.jpg"
        assert row["审核状态"] == "已报送"
        assert row["报送日期"] == datetime(2025, 3, 1)
        assert isinstance(row["创建时间"], datetime) and row["修改人"] == TEST_EDITOR.label
    assert rows[4]["标题"] == "普通案例"  # a control character xlsx cannot hold is dropped
    # no cell of the sheet is a formula, in the file itself
    with zipfile.ZipFile(out) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and all(b"<f>" not in z.read(n) and b"<f " not in z.read(n) for n in sheets)
    # and reading it back without evaluating anything gives the same strings
    ro = load_workbook(out, read_only=True)
    try:
        titles = [r[1] for r in ro["案例台账"].iter_rows(min_row=2, values_only=True)]
    finally:
        ro.close()
    assert titles == [*RISKY[:4], "普通案例"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    out.write_bytes(b"old contents")

    def cases() -> Iterator[ModelCase]:
        yield ModelCase(title="一")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        xl.write_ledger(out, cases())
    assert out.read_bytes() == b"old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["台账.xlsx"]


def test_writing_into_a_missing_or_locked_place_is_a_chinese_error(book: Casebook, tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="文件夹不存在") as missing:
        book.workbooks.write_template(tmp_path / "没有" / "模板.xlsx")
    assert "模板.xlsx" in str(missing.value)
    folder = tmp_path / "导出"
    folder.mkdir()
    target = folder / "是文件夹.xlsx"
    target.mkdir()
    with pytest.raises(WorkbookError, match="无法写入"):
        book.workbooks.write_ledger(target, [])
    assert sorted(p.name for p in folder.iterdir()) == ["是文件夹.xlsx"]
    if os.geteuid() != 0:  # permissions do not stop root
        locked = tmp_path / "只读"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            with pytest.raises(WorkbookError, match="只读或无权写入"):
                book.workbooks.write_template(locked / "模板.xlsx")
        finally:
            locked.chmod(0o700)
