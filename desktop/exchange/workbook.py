"""Excel workbooks of model cases: the fill-in template, reading a filled template back, the ledger (台账).

Pure openpyxl, no database: the caller hands in the library's vocabulary (themes, model types,
regions, pilots) as plain records and gets plain records back.

- ``write_template`` writes the template: sheet “案例” (one row per case, a drop-down list on the
  columns that take a theme, model type, place, pilot or review status), sheet “填写说明” and the
  hidden sheet “选项” that holds the lists and, in A1:B1, the marker and version that identify the file
  as our template.
- ``read_template`` streams a filled template (read-only, formulas never evaluated: a cell holding a
  formula is a problem at that cell), checks every row with the editor's rules (``validate_case``)
  and returns a ``ModelCase`` draft per clean row and the problems by sheet, row and column.
  A file that is not our template, not an xlsx or damaged raises ``WorkbookError`` naming the file.
- ``write_ledger`` streams any number of cases into a ledger with every field, a frozen header row
  and filters.

Every cell holding user text is written as a string (with Excel's quote prefix where it starts like a
formula), so no text can become a formula. Files are written to a temporary file in the target
folder and then moved over the target, so a failure never leaves half a file.

What goes into the workbooks (sheet names, headers, instructions, the cells' prompts, ledger values) is
a file format shared with other offices and stays Chinese whatever language the window is in; only the
messages to the user (problems at cells, errors) are marked for translation.
"""

from __future__ import annotations

import os
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from desktop.domain.enums import CHILD_LEVEL, RegionLevel, ReviewStatus
from desktop.domain.i18n import _
from desktop.domain.records import ModelCase, ModelType, Ref, Region, Theme
from desktop.domain.validation import TITLE_MAX, DomainError, ValidationError, validate_case, validate_region
from desktop.domain.wording import figure_value
from desktop.files import atomic_write, explain_os_error

TEMPLATE_MARKER = "pilot-casebook/case-template"
TEMPLATE_VERSION = 1
CASE_SHEET = "案例"
GUIDE_SHEET = "填写说明"
LISTS_SHEET = "选项"
LEDGER_SHEET = "案例台账"
#: Rows of the case sheet that get the drop-down lists and formats (more rows may still be filled).
TEMPLATE_ROWS = 10_000
URL_MAX = 500
TAG_MAX = 60
EXCEL_CELL_MAX = 32_767
#: What separates several themes, places or tags in one cell.
SEPARATORS = re.compile(r"\s*[；;\n]+\s*")
PATH_SEPARATORS = re.compile(r"\s*[/／]\s*")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_FORMULA_START = ("=", "+", "-", "@")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
_TEXT_FORMAT = "@"
_DATE_FORMAT = "yyyy-mm-dd"
_TIME_FORMAT = "yyyy-mm-dd hh:mm"
_PROGRESS_EVERY = 100

#: Called with (rows done, rows expected — 0 when unknown); may raise to stop the work.
Progress = Callable[[int, int], None]

_HEADER_FONT = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="C62828")
_HEADER_FILL = PatternFill("solid", fgColor="E8EEF4")
_TOP_WRAP = Alignment(vertical="top", wrap_text=True)

# What openpyxl may warn about while reading files written by Excel, WPS or other tools: parts it
# does not keep (we never write the file back) and styles it replaces (we only read values).
_READ_WARNINGS = (
    r".* extension is not supported and will be removed",
    r"Workbook contains no (default style|stylesheet)",
    r"Cell .* is marked as a date but the serial value .* is outside the limits",  # read as an error cell
    r"DrawingML support is incomplete",
)
# What a damaged or foreign file makes openpyxl, zipfile or the XML parsers raise.
_DAMAGE: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    SyntaxError,  # xml.etree and lxml parse errors
)


# columns ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A column of the case sheet: the ``ModelCase`` field it fills, its header and how it is filled."""

    key: str
    header: str
    width: float
    hint: str
    required: bool = False
    kind: str = "text"  # text | multi | choice | date | long


#: The case sheet's columns, in order. The headers are the file format; they and the hints are written
#: into the template, which stays Chinese whatever language the window is in.
TEMPLATE_COLUMNS: tuple[Column, ...] = (
    Column("title", "标题", 36, "案例标题，必填，不超过 200 字", required=True),
    Column("subtitle", "副标题", 28, "可不填，不超过 200 字"),
    Column("model_type", "模式类型", 18, "从下拉列表中选择一项", kind="choice"),
    Column("themes", "主题", 30, "从下拉列表中选择；多个主题用“；”分隔", kind="multi"),
    Column(
        "places",
        "地点",
        30,
        "从下拉列表中选择地区全称；多个用“；”分隔；列表中没有的乡镇、村写成“杭州市淳安县/枫树岭镇/下姜村”",
        kind="multi",
    ),
    Column("pilot", "所属试点", 24, "可不填；从下拉列表中选择", kind="choice"),
    Column("basic_situation", "基本情况", 40, "可分段（单元格内按 Alt+Enter 换行）", kind="long"),
    Column("practices", "主要做法", 40, "可分段（单元格内按 Alt+Enter 换行）", kind="long"),
    Column("outcomes", "取得成效", 40, "可分段（单元格内按 Alt+Enter 换行）", kind="long"),
    Column("lessons", "经验启示", 40, "可分段（单元格内按 Alt+Enter 换行）", kind="long"),
    Column("tags", "标签", 20, "自由填写；多个标签用“；”分隔，每个不超过 60 字", kind="multi"),
    Column("source", "来源", 24, "如：淳安县农业农村局报送"),
    Column("source_url", "来源链接", 24, "网址，可不填，不超过 500 字"),
    Column("reported_on", "报送日期", 13, "日期，如 2025-03-01", kind="date"),
    Column("review_status", "审核状态", 12, "从下拉列表中选择；不填为“草稿”", kind="choice"),
    Column("return_reason", "退回原因", 24, "审核状态为“退回”时必填"),
)
_BY_KEY = {c.key: c for c in TEMPLATE_COLUMNS}
_LETTER = {c.key: get_column_letter(i) for i, c in enumerate(TEMPLATE_COLUMNS, 1)}
_POSITION = {letter: i for i, letter in enumerate(_LETTER.values())}
#: Defined names of the drop-down lists, by column.
LIST_NAMES = {
    "themes": "CB_THEMES",
    "model_type": "CB_MODEL_TYPES",
    "places": "CB_REGIONS",
    "pilot": "CB_PILOTS",
    "review_status": "CB_REVIEW_STATUSES",
}
_LIST_HEADERS = {
    "themes": "主题",
    "model_type": "模式类型",
    "places": "地区",
    "pilot": "试点",
    "review_status": "审核状态",
}
_LIST_ORDER = ("themes", "model_type", "places", "pilot", "review_status")
_LIST_FIRST_ROW = 3


# results ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WorkbookProblem:
    """One problem of a filled template, at a cell: sheet, 1-based row, column letter and header."""

    sheet: str
    row: int
    column: str
    field: str
    message: str

    def __str__(self) -> str:
        return _("工作表“{sheet}”第 {row} 行 {column} 列（{field}）：{message}").format(
            sheet=self.sheet, row=self.row, column=self.column, field=self.field, message=self.message
        )


@dataclass(frozen=True)
class WorkbookCheck:
    """The outcome of checking a filled template: rows with content, clean rows, every problem."""

    total_rows: int
    valid_rows: int
    problems: list[WorkbookProblem] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Whether every row can be imported as it is."""
        return not self.problems

    @property
    def problem_rows(self) -> list[int]:
        """The rows with at least one problem, in order."""
        return sorted({p.row for p in self.problems})


@dataclass(frozen=True)
class NewPlace:
    """A town or village not yet in the library, to be added under a known region (``under``)."""

    under: Ref
    names: tuple[str, ...]

    @property
    def full_name(self) -> str:
        """The full name the new place will have, e.g. 杭州市淳安县枫树岭镇下姜村."""
        return self.under.name + "".join(self.names)


@dataclass
class CaseDraft:
    """A clean row of the template as a case; places not yet in the library are in ``new_places``
    (by position in ``case.places``, where they stand as a reference without UUID)."""

    row: int
    case: ModelCase
    new_places: dict[int, NewPlace] = field(default_factory=dict)


@dataclass
class TemplateReading:
    """Everything read from a filled template: the drafts of clean rows and the problems of the rest."""

    total_rows: int = 0
    drafts: list[CaseDraft] = field(default_factory=list)
    problems: list[WorkbookProblem] = field(default_factory=list)

    def check(self) -> WorkbookCheck:
        """The summary shown to the user."""
        return WorkbookCheck(self.total_rows, len(self.drafts), list(self.problems))


class WorkbookError(DomainError):
    """A workbook cannot be read (not our template, not an xlsx, damaged) or written; names the file."""

    def __init__(self, path: Path, reason: str, *, writing: bool = False) -> None:
        self.path = path
        self.reason = reason
        template = _("无法写入“{path}”：{reason}") if writing else _("无法导入“{name}”：{reason}")
        super().__init__(template.format(path=path, name=path.name, reason=reason))


@dataclass(frozen=True)
class Vocabulary:
    """The library's names a template offers and an import resolves: live themes (tree order), model
    types, regions (tree order, with full names) and pilots."""

    themes: Sequence[Theme] = ()
    model_types: Sequence[ModelType] = ()
    regions: Sequence[Region] = ()
    pilots: Sequence[Ref] = ()

    def lists(self) -> dict[str, list[str]]:
        """The drop-down lists of the template, by column key."""
        return {
            "themes": list(dict.fromkeys(t.name for t in self.themes)),
            "model_type": [m.name for m in self.model_types],
            "places": list(dict.fromkeys(r.full_name or r.name for r in self.regions)),
            "pilot": list(dict.fromkeys(p.name for p in self.pilots)),
            "review_status": [s.value for s in ReviewStatus],
        }


# writing ---------------------------------------------------------------------------------------
def safe_text(value: str) -> str:
    """``value`` as a cell can hold it: without the control characters xlsx forbids, cut at Excel's limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > EXCEL_CELL_MAX:
        note = "…（超出 Excel 单元格上限，已截断）"
        text = text[: EXCEL_CELL_MAX - len(note)] + note
    return text


def _set_text(cell: Any, value: str) -> None:
    """Put user text into a cell as a string, never as a formula."""
    text = safe_text(value)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True  # Excel keeps it text even when the cell is edited


@contextmanager
def _atomic_target(out: Path) -> Iterator[Path]:
    """A new temporary file beside ``out`` to write to; moved over ``out`` when the block succeeds."""
    if not out.parent.is_dir():
        raise WorkbookError(out, _("文件夹不存在"), writing=True)
    stage = "create"
    try:
        with atomic_write(out) as tmp:
            tmp.open("xb").close()
            stage = "write"
            yield tmp
            stage = "replace"
    except PermissionError as exc:
        if stage == "create":
            raise WorkbookError(out, _("文件夹只读或无权写入"), writing=True) from exc
        if stage == "replace":
            raise WorkbookError(
                out, _("文件正被其他程序（如 Excel、WPS）打开，或无权覆盖，请关闭后重试"), writing=True
            ) from exc
        raise WorkbookError(out, _("无法保存（{err}）").format(err=explain_os_error(exc)), writing=True) from exc
    except OSError as exc:
        if stage == "create":
            raise WorkbookError(
                out, _("无法在文件夹中建立文件（{err}）").format(err=explain_os_error(exc)), writing=True
            ) from exc
        raise WorkbookError(out, _("无法保存（{err}）").format(err=explain_os_error(exc)), writing=True) from exc


def _save(wb: Workbook, out: Path) -> None:
    with _atomic_target(out) as tmp:
        wb.save(tmp)


def write_template(out: Path, vocabulary: Vocabulary) -> None:
    """Write the fill-in template for ``vocabulary`` to ``out`` (replacing it atomically)."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = CASE_SHEET
    lists = vocabulary.lists()
    _write_case_sheet(ws, lists)
    _write_guide(wb.create_sheet(GUIDE_SHEET), lists)
    _write_lists(wb, lists)
    wb.properties.title = "典型案例导入模板"
    wb.properties.creator = "试点案例库"
    _save(wb, out)


def _write_lists(wb: Workbook, lists: dict[str, list[str]]) -> None:
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    ws["A1"] = TEMPLATE_MARKER
    ws["B1"] = TEMPLATE_VERSION
    _set_text(ws["C1"], "此工作表供下拉列表使用，请勿修改")
    for col, key in enumerate(_LIST_ORDER, 1):
        letter = get_column_letter(col)
        _set_text(ws.cell(row=2, column=col), _LIST_HEADERS[key])
        ws.column_dimensions[letter].width = 30
        values = lists[key]
        for row, value in enumerate(values, _LIST_FIRST_ROW):
            _set_text(ws.cell(row=row, column=col), value)
        if values:
            last = _LIST_FIRST_ROW + len(values) - 1
            ref = f"'{LISTS_SHEET}'!${letter}${_LIST_FIRST_ROW}:${letter}${last}"
            wb.defined_names[LIST_NAMES[key]] = DefinedName(LIST_NAMES[key], attr_text=ref)


def _write_case_sheet(ws: Worksheet, lists: dict[str, list[str]]) -> None:
    for col, column in enumerate(TEMPLATE_COLUMNS, 1):
        letter = get_column_letter(col)
        cell = ws.cell(row=1, column=col)
        _set_text(cell, column.header)
        cell.font = _REQUIRED_FONT if column.required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        dim = ws.column_dimensions[letter]
        dim.width = column.width
        dim.number_format = _DATE_FORMAT if column.kind == "date" else _TEXT_FORMAT
        if column.kind == "long":
            dim.alignment = _TOP_WRAP
        dv = _validation(column, bool(lists.get(column.key)))
        dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "B2"
    ws.row_dimensions[1].height = 22


def _validation(column: Column, has_list: bool) -> DataValidation:
    """The data validation of a column: its drop-down list or limit, and the prompt shown in the cell."""
    dv = DataValidation(allow_blank=True, showInputMessage=True, promptTitle=column.header[:32], prompt=column.hint)
    if column.key in LIST_NAMES and has_list:
        dv.type, dv.formula1 = "list", LIST_NAMES[column.key]
        dv.showErrorMessage = True
        if column.kind == "multi":
            # several values in one cell are allowed: Excel warns, the user may keep them
            dv.errorStyle, dv.error = "warning", "不在列表中。填写多个时请用“；”分隔，导入时会逐一核对。"
        else:
            dv.errorStyle, dv.error = "stop", "请从下拉列表中选择。"
    elif column.key in ("title", "subtitle", "source_url"):
        limit = URL_MAX if column.key == "source_url" else TITLE_MAX
        dv.type, dv.operator, dv.formula1 = "textLength", "lessThanOrEqual", str(limit)
        dv.showErrorMessage, dv.errorStyle = True, "stop"
        dv.error = f"不能超过 {limit} 个字"
    elif column.kind == "date":
        dv.type, dv.operator = "date", "between"
        dv.formula1, dv.formula2 = "DATE(1990,1,1)", "DATE(2100,12,31)"
        dv.showErrorMessage, dv.errorStyle = True, "stop"
        dv.error = "请填写日期，如 2025-03-01"
    if dv.error:
        dv.errorTitle = column.header[:32]
    return dv


def _write_guide(ws: Worksheet, lists: dict[str, list[str]]) -> None:
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 8
    ws.column_dimensions["C"].width = 90
    title = ws.cell(row=1, column=1)
    _set_text(title, "典型案例导入模板 · 填写说明")
    title.font = Font(bold=True, size=14)
    steps = [
        "1. 在“案例”工作表中每行填写一个案例，从第 2 行开始；第 1 行表头请勿修改、移动或删除。",
        "2. 红色表头（标题）为必填；其他列可不填。单元格内可按 Alt+Enter 换行分段。",
        "3. 模式类型、主题、地点、所属试点、审核状态可从下拉列表中选择；主题、地点、标签可填多个，用“；”分隔。",
        (
            "4. 地点填写地区全称（如“杭州市淳安县”）。列表中没有的乡镇（街道）、村（社区），"
            "在所属县或乡镇的全称后用“/”接上名称，如“杭州市淳安县/枫树岭镇/下姜村”，导入时自动添加。"
        ),
        "5. 请直接填写内容，不要使用公式：含公式的单元格不会被计算，会被列为问题。",
        (
            "6. 导入前会逐行检查，问题按工作表、行、列列出；全部改正后才能导入，"
            "也可以明确选择“仅导入有效行”，有问题的行不导入。"
        ),
        "7. 表头右侧增加的列不会导入。名为“选项”的隐藏工作表供下拉列表使用，请勿修改或删除。",
    ]
    row = 3
    for text in steps:
        cell = ws.cell(row=row, column=1)
        _set_text(cell, text)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 32
        row += 1
    row += 1
    for col, header in enumerate(("列", "字段", "填写要求"), 1):
        cell = ws.cell(row=row, column=col)
        _set_text(cell, header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for col, column in enumerate(TEMPLATE_COLUMNS, 1):
        row += 1
        _set_text(ws.cell(row=row, column=1), column.header)
        _set_text(ws.cell(row=row, column=2), get_column_letter(col))
        hint = column.hint + ("（必填）" if column.required and "必填" not in column.hint else "")
        _set_text(ws.cell(row=row, column=3), hint)
    row += 2
    statuses = "、".join(lists["review_status"])
    _set_text(ws.cell(row=row, column=1), f"审核状态可选：{statuses}")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)


# reading ---------------------------------------------------------------------------------------
@contextmanager
def _reading_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        for message in _READ_WARNINGS:
            warnings.filterwarnings("ignore", message=message, category=UserWarning, module=r"openpyxl\.")
        yield


def _rows(path: Path, it: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The rows of a read-only sheet; damage met on the way becomes a ``WorkbookError``."""
    while True:
        try:
            row = next(it)
        except StopIteration:
            return
        except _DAMAGE as exc:
            raise WorkbookError(path, _("文件已损坏，无法读取（{err}）").format(err=_short(exc))) from exc
        except OSError as exc:
            raise WorkbookError(path, _("文件无法读取（{err}）").format(err=explain_os_error(exc))) from exc
        yield row


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "…"


def read_template(path: Path, vocabulary: Vocabulary, *, progress: Progress | None = None) -> TemplateReading:
    """Read and check a filled template; ``WorkbookError`` if ``path`` is not one (nothing else is raised
    for what the file holds: every problem is listed in the result)."""
    if path.is_dir():
        raise WorkbookError(path, _("这是一个文件夹，不是 Excel 文件"))
    try:
        fh = path.open("rb")
    except FileNotFoundError as exc:
        raise WorkbookError(path, _("文件不存在")) from exc
    except PermissionError as exc:
        raise WorkbookError(path, _("文件正被其他程序（如 Excel、WPS）占用或无权读取，请关闭后重试")) from exc
    except OSError as exc:
        raise WorkbookError(path, _("文件无法读取（{err}）").format(err=explain_os_error(exc))) from exc
    with fh, _reading_warnings():
        head = fh.read(4)
        fh.seek(0)
        if not head:
            raise WorkbookError(path, _("文件是空的"))
        if head == _OLE2_MAGIC:
            raise WorkbookError(path, _("这是旧版 Excel（.xls）或其他 Office 文件；请在 Excel 中另存为 .xlsx 后再导入"))
        try:
            wb = load_workbook(fh, read_only=True, data_only=False, keep_links=False)
        except _DAMAGE as exc:
            raise WorkbookError(path, _("不是 Excel（.xlsx）文件，或文件已损坏")) from exc
        try:
            _check_marker(path, wb)
            ws = wb[CASE_SHEET]
            expected = ws.max_row if isinstance(ws.max_row, int) else 0  # as recorded: for progress only
            ws.reset_dimensions()  # some writers record a wrong size; read every row there is
            return _Reader(path, vocabulary).read(_rows(path, ws.iter_rows()), expected, progress)
        finally:
            wb.close()


def _check_marker(path: Path, wb: Any) -> None:
    names = list(wb.sheetnames)
    marker: tuple[Any, ...] = ()
    if LISTS_SHEET in names:
        marker = next(_rows(path, wb[LISTS_SHEET].iter_rows(max_row=1, max_col=2, values_only=True)), ())
    if len(marker) < 2 or marker[0] != TEMPLATE_MARKER:
        if LEDGER_SHEET in names:
            raise WorkbookError(path, _("这是导出的案例台账，不是导入模板；请把案例填入案例模板后再导入"))
        raise WorkbookError(path, _("不是本软件的案例导入模板；请先下载案例模板，在模板中填写后再导入"))
    version = marker[1]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise WorkbookError(path, _("模板标识已损坏；请重新下载案例模板"))
    if version > TEMPLATE_VERSION:
        raise WorkbookError(path, _("模板由更新版本的软件生成（模板版本 {v}），请升级软件后再导入").format(v=version))
    if CASE_SHEET not in names:
        raise WorkbookError(path, _("找不到工作表“{sheet}”（可能被改名或删除）").format(sheet=CASE_SHEET))


class _Lookups:
    """Name → reference tables of the vocabulary, for resolving what a row names."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.themes: dict[str, list[Ref]] = {}
        for t in vocabulary.themes:
            ref = Ref(t.uuid, t.name)
            keys = {t.name, t.code, f"{t.code}{t.name}", f"{t.code} {t.name}"} if t.code else {t.name}
            for key in keys:
                self.themes.setdefault(key, []).append(ref)
        self.model_types = {m.name: Ref(m.uuid, m.name) for m in vocabulary.model_types}
        self.pilots: dict[str, list[Ref]] = {}
        for p in vocabulary.pilots:
            self.pilots.setdefault(p.name, []).append(p)
        self.regions: dict[str, list[Region]] = {}
        self.children: dict[tuple[str, str], Region] = {}
        for r in vocabulary.regions:
            full = r.full_name or r.name
            self.regions.setdefault(full, []).append(r)
            if r.name != full:
                self.regions.setdefault(r.name, []).append(r)
            if r.parent_uuid:
                self.children[(r.parent_uuid, r.name)] = r

    def region(self, text: str) -> Region | str:
        """The region ``text`` names by full or unique short name, or the reason it names none."""
        found = self.regions.get(text, [])
        exact = [r for r in found if (r.full_name or r.name) == text]
        if len(exact) == 1 or len(found) == 1:
            return exact[0] if exact else found[0]
        if not found:
            return _(
                "找不到地区“{name}”；列表中没有的乡镇、村，请在县或乡镇的全称后用“/”接上名称，如“杭州市淳安县/某某镇/某某村”"
            ).format(name=text)
        examples = _("、").join(r.full_name for r in found[:3])
        return _("有多个地区叫“{name}”，请写全称（如 {examples}）").format(name=text, examples=examples)


class _Reader:
    """Reads the rows of the case sheet into drafts and problems."""

    def __init__(self, path: Path, vocabulary: Vocabulary) -> None:
        self.path = path
        self.lookups = _Lookups(vocabulary)
        self.result = TemplateReading()

    def read(self, rows: Iterator[tuple[Any, ...]], expected: int, progress: Progress | None) -> TemplateReading:
        header = next(rows, ())
        header_ok = self._check_header(header)
        width = len(TEMPLATE_COLUMNS)
        for number, cells in enumerate(rows, 2):
            padded = tuple(cells[:width]) + (None,) * (width - len(cells))
            if progress is not None and number % _PROGRESS_EVERY == 0:
                progress(number - 1, max(expected - 1, 0))
            if all(_is_blank(c) for c in padded):
                continue
            self.result.total_rows += 1
            if header_ok:
                self._read_row(number, padded)
        if progress is not None:
            progress(self.result.total_rows, self.result.total_rows)
        return self.result

    def _problem(self, row: int, key: str, message: str) -> None:
        self.result.problems.append(WorkbookProblem(CASE_SHEET, row, _LETTER[key], _BY_KEY[key].header, message))

    def _check_header(self, header: tuple[Any, ...]) -> bool:
        ok = True
        for i, column in enumerate(TEMPLATE_COLUMNS):
            value = getattr(header[i], "value", None) if i < len(header) else None
            found = str(value).strip() if value is not None else ""
            if found != column.header:
                ok = False
                message = (
                    _("表头应为“{expected}”，现为“{found}”").format(expected=column.header, found=found)
                    if found
                    else _("缺少表头“{expected}”").format(expected=column.header)
                )
                self._problem(1, column.key, message)
        return ok

    def _read_row(self, number: int, cells: tuple[Any, ...]) -> None:
        before = len(self.result.problems)
        values: dict[str, Any] = {}
        for column, cell in zip(TEMPLATE_COLUMNS, cells, strict=True):
            data_type = getattr(cell, "data_type", None)
            value = getattr(cell, "value", None)
            if data_type == "f":
                self._problem(number, column.key, _("单元格含公式，公式不会被计算；请改为直接填写内容"))
            elif data_type == "e":
                self._problem(number, column.key, _("单元格是错误值 {v}；请改为直接填写内容").format(v=value))
            elif column.kind == "date":
                values[column.key] = self._date(number, column, value)
            else:
                values[column.key] = _cell_text(value, keep_lines=column.kind == "long")
        bad = {p.column for p in self.result.problems[before:]}
        case, new_places = self._case(number, values)
        try:
            validate_case(case)
        except ValidationError as exc:
            for err in exc.errors:
                key = err.field if err.field in _BY_KEY else "title"
                if _LETTER[key] not in bad:
                    self._problem(number, key, err.message)
        if len(self.result.problems) == before:
            self.result.drafts.append(CaseDraft(number, case, new_places))
        else:
            self.result.problems[before:] = sorted(self.result.problems[before:], key=lambda p: _POSITION[p.column])

    def _date(self, number: int, column: Column, value: Any) -> date | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            m = _DATE.match(value.strip())
            if m:
                try:
                    return date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    pass
        shown = value if isinstance(value, str) else _cell_text(value, keep_lines=False)
        self._problem(number, column.key, _("“{v}”不是有效日期，请填写如 2025-03-01").format(v=shown))
        return None

    def _case(self, number: int, v: dict[str, Any]) -> tuple[ModelCase, dict[int, NewPlace]]:
        get = lambda key: str(v.get(key) or "")  # noqa: E731
        model_type = None
        if get("model_type"):
            model_type = self.lookups.model_types.get(get("model_type"))
            if model_type is None:
                self._problem(number, "model_type", _("找不到模式类型“{name}”").format(name=get("model_type")))
        themes: list[Ref] = []
        for name in _split(get("themes")):
            refs = self.lookups.themes.get(name, [])
            if len(refs) == 1:
                themes.append(refs[0])
            elif refs:
                self._problem(number, "themes", _("有多个主题叫“{name}”，请在案例库中改名后再导入").format(name=name))
            else:
                self._problem(number, "themes", _("找不到主题“{name}”").format(name=name))
        places: list[Ref] = []
        new_places: dict[int, NewPlace] = {}
        for text in _split(get("places")):
            place = self._place(text)
            if isinstance(place, str):
                self._problem(number, "places", place)
            elif isinstance(place, NewPlace):
                new_places[len(places)] = place
                places.append(Ref("", place.full_name))
            else:
                places.append(place)
        pilot = None
        if get("pilot"):
            pilots = self.lookups.pilots.get(get("pilot"), [])
            if len(pilots) == 1:
                pilot = pilots[0]
            else:
                message = _("有多个试点叫“{name}”，请在案例库中改名后再导入") if pilots else _("找不到试点“{name}”")
                self._problem(number, "pilot", message.format(name=get("pilot")))
        tags = _split(get("tags"))
        for tag in tags:
            if len(tag) > TAG_MAX:
                self._problem(number, "tags", _("标签“{t}…”超过 {n} 个字").format(t=tag[:10], n=TAG_MAX))
        if len(get("source_url")) > URL_MAX:
            self._problem(number, "source_url", _("不能超过 {n} 个字").format(n=URL_MAX))
        status = ReviewStatus.DRAFT
        if get("review_status"):
            try:
                status = ReviewStatus(get("review_status"))
            except ValueError:
                choices = _("、").join(s.value for s in ReviewStatus)
                self._problem(
                    number,
                    "review_status",
                    _("“{v}”不是审核状态，只能是：{choices}").format(v=get("review_status"), choices=choices),
                )
        reported = v.get("reported_on")
        case = ModelCase(
            title=get("title"),
            subtitle=get("subtitle"),
            model_type=model_type,
            places=places,
            themes=list(dict.fromkeys(themes)),
            tags=list(dict.fromkeys(tags)),
            basic_situation=get("basic_situation"),
            practices=get("practices"),
            outcomes=get("outcomes"),
            lessons=get("lessons"),
            source=get("source"),
            source_url=get("source_url"),
            reported_on=reported if isinstance(reported, date) else None,
            review_status=status,
            return_reason=get("return_reason"),
            pilot=pilot,
        )
        return case, new_places

    def _place(self, text: str) -> Ref | NewPlace | str:
        parts = [p for p in PATH_SEPARATORS.split(text) if p]
        if not parts:
            return _("地点“{name}”不完整").format(name=text)
        base = self.lookups.region(parts[0])
        if isinstance(base, str):
            return base
        here = base
        rest = parts[1:]
        while rest and (here.uuid, rest[0]) in self.lookups.children:
            here = self.lookups.children[(here.uuid, rest.pop(0))]
        here_ref = Ref(here.uuid, here.full_name or here.name)
        if not rest:
            return here_ref
        level: RegionLevel | None = here.level
        for name in rest:
            level = CHILD_LEVEL[level] if level is not None else None
            if level not in (RegionLevel.TOWN, RegionLevel.VILLAGE):
                return _(
                    "“{under}”下不能添加“{name}”：只能在县（市、区）下添加乡镇（街道），在乡镇下添加村（社区）"
                ).format(under=here_ref.name, name=name)
            try:
                validate_region(Region(name=name, level=level))
            except ValidationError as exc:
                return _("地区名称“{name}”：{err}").format(name=name, err=exc.errors[0].message)
        return NewPlace(here_ref, tuple(rest))


def _is_blank(cell: Any) -> bool:
    value = getattr(cell, "value", None)
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value: Any, *, keep_lines: bool) -> str:
    """A cell's value as text: numbers without needless decimals, dates as 2025-03-01."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if keep_lines:
        return "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return " ".join(text.split()) if "\n" in text else text.strip()


def _split(text: str) -> list[str]:
    return list(dict.fromkeys(p for p in SEPARATORS.split(text.strip()) if p))


# ledger ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _LedgerColumn:
    header: str
    width: float
    value: Callable[[ModelCase], str | date | None]
    number_format: str | None = None


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone().replace(tzinfo=None, microsecond=0) if moment is not None else None


def _figures(case: ModelCase) -> str:
    lines = []
    for f in case.figures:
        line = f"{f.label}：{figure_value(f)}{f.unit}（{f.period}）"
        if f.source:
            line += f"，来源：{f.source}"
        lines.append(line)
    return "\n".join(lines)


def _photos(case: ModelCase) -> str:
    if not case.photos:
        return ""
    captions = "；".join(p.caption or p.file_name for p in case.photos)
    return f"{len(case.photos)} 张：{captions}"


def _names(refs: Iterable[Ref]) -> str:
    return "；".join(r.name for r in refs)


LEDGER_COLUMNS: tuple[_LedgerColumn, ...] = (
    _LedgerColumn("标题", 36, lambda c: c.title),
    _LedgerColumn("副标题", 24, lambda c: c.subtitle),
    _LedgerColumn("模式类型", 16, lambda c: c.model_type.name if c.model_type else ""),
    _LedgerColumn("主题", 28, lambda c: _names(c.themes)),
    _LedgerColumn("地点", 28, lambda c: _names(c.places)),
    _LedgerColumn("所属试点", 22, lambda c: c.pilot.name if c.pilot else ""),
    _LedgerColumn("标签", 20, lambda c: "；".join(c.tags)),
    _LedgerColumn("基本情况", 40, lambda c: c.basic_situation),
    _LedgerColumn("主要做法", 40, lambda c: c.practices),
    _LedgerColumn("取得成效", 40, lambda c: c.outcomes),
    _LedgerColumn("经验启示", 40, lambda c: c.lessons),
    _LedgerColumn("数据", 32, _figures),
    _LedgerColumn("照片", 24, _photos),
    _LedgerColumn("来源", 24, lambda c: c.source),
    _LedgerColumn("来源链接", 24, lambda c: c.source_url),
    _LedgerColumn("报送日期", 12, lambda c: c.reported_on, _DATE_FORMAT),
    _LedgerColumn("审核状态", 10, lambda c: c.review_status.value),
    _LedgerColumn("退回原因", 20, lambda c: c.return_reason),
    _LedgerColumn("演示数据", 9, lambda c: "是" if c.is_demo else ""),
    _LedgerColumn("创建时间", 17, lambda c: _local(c.created_at), _TIME_FORMAT),
    _LedgerColumn("修改时间", 17, lambda c: _local(c.updated_at), _TIME_FORMAT),
    _LedgerColumn("修改人", 20, lambda c: c.updated_by),
    _LedgerColumn("UUID", 38, lambda c: c.uuid),
)


def _ledger_cell(ws: Any, column: _LedgerColumn, case: ModelCase) -> Cell | None:
    value = column.value(case)
    if value is None or value == "":
        return None
    cell = WriteOnlyCell(ws)
    if isinstance(value, str):
        _set_text(cell, value)
    else:
        cell.value = value
        if column.number_format:
            cell.number_format = column.number_format
    return cell


def _discard(ws: Any) -> None:
    """End the stream a write-only sheet has begun and delete it (openpyxl keeps it in a temporary file)."""
    try:
        ws.close()
    finally:
        writer = getattr(ws, "_writer", None)
        if writer is not None and isinstance(getattr(writer, "out", None), str) and os.path.exists(writer.out):
            writer.cleanup()


def write_ledger(out: Path, cases: Iterable[ModelCase], *, progress: Progress | None = None, total: int = 0) -> int:
    """Write a ledger (台账) of ``cases`` to ``out``, streamed (any number of cases); returns how many."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(LEDGER_SHEET)
    headers = ["序号", *(c.header for c in LEDGER_COLUMNS)]
    widths = [6, *(c.width for c in LEDGER_COLUMNS)]
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "C2"  # the header row, and 序号 and 标题 while scrolling right
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws)
        _set_text(cell, header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        header_cells.append(cell)
    ws.append(header_cells)
    count = 0
    try:
        for case in cases:
            count += 1
            ws.append([count, *(_ledger_cell(ws, column, case) for column in LEDGER_COLUMNS)])
            if progress is not None and count % _PROGRESS_EVERY == 0:
                progress(count, total)
    except BaseException:
        _discard(ws)
        raise
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    wb.properties.title = "案例台账"
    wb.properties.creator = "试点案例库"
    _save(wb, out)
    if progress is not None:
        progress(count, total or count)
    return count
