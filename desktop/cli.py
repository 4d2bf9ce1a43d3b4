"""The headless commands: ``casebook [--library PATH] COMMAND`` (same services as the window).

Errors a user can cause, and problems of the environment (a locked or read-only library, a
folder that cannot be written), go to stderr with a non-zero exit code, never a traceback.
Messages are in Chinese, or in the language ``CASEBOOK_LANGUAGE`` names (``en``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from desktop import __version__
from desktop.domain.enums import ReviewStatus
from desktop.domain.i18n import SOURCE_LANGUAGE, _, set_language
from desktop.domain.query import MOUNTAIN_ISLAND, CaseFilters, CaseQuery
from desktop.domain.validation import CONTROL_CHARACTERS, DomainError
from desktop.files import describe_os_error
from desktop.paths import default_library_path
from desktop.store.db import write_fault

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_UNSOUND = 0, 1, 2, 3
#: ``import``: nothing was imported because records conflict (4) or workbook rows have problems (5).
EXIT_CONFLICTS, EXIT_PROBLEMS = 4, 5
BUNDLE_SUFFIX = ".casebook"
MAX_LIMIT = 1_000_000_000
MAX_SAMPLE = 1_000_000


class UsageError(Exception):
    """The command line itself is wrong."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(_("命令行参数有误：{m}（用 casebook --help 查看用法）").format(m=_argparse_message(message)))


_ARGUMENT = re.compile(r"argument (?P<name>[^:]+): (?P<rest>.*)$", re.DOTALL)
_INVALID_CHOICE = re.compile(r"invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)$", re.DOTALL)
_INVALID_VALUE = re.compile(r"invalid \S+ value: (?P<value>.*)$", re.DOTALL)
_REQUIRED = re.compile(r"the following arguments are required: (?P<names>.*)$", re.DOTALL)
_UNRECOGNIZED = re.compile(r"unrecognized arguments: (?P<args>.*)$", re.DOTALL)


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else text


def _argparse_message(message: str) -> str:
    """argparse's own (English) message in Chinese where it is one of the usual ones."""
    if m := _REQUIRED.match(message):
        return _("缺少参数：{names}").format(names=m["names"])
    if m := _UNRECOGNIZED.match(message):
        return _("无法识别的参数：{args}").format(args=m["args"])
    m = _ARGUMENT.match(message)
    if not m:
        return message
    name, rest = m["name"], m["rest"]
    if c := _INVALID_CHOICE.match(rest):
        value = _unquote(c["value"])
        choices = _("、").join(_unquote(x.strip()) for x in c["choices"].split(","))
        if name == "COMMAND":
            return _("没有这个命令：{v}（可用的命令：{c}）").format(v=value, c=choices)
        return _("{name} 的取值无效：{v}（可选：{c}）").format(name=name, v=value, c=choices)
    if v := _INVALID_VALUE.match(rest):
        return _("{name} 的取值无效：{v}").format(name=name, v=_unquote(v["value"]))
    if rest.startswith("expected"):
        return _("{name} 后面缺少取值").format(name=name)
    return rest if rest.startswith(name) else _("{label}：{message}").format(label=name, message=rest)


def _whole_number(name: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer from ``low`` to ``high``, else a Chinese message naming ``name``."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = None
        if value is not None and value < 0 <= low:
            raise argparse.ArgumentTypeError(_("{name} 不能为负数：{v}").format(name=name, v=text))
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(
                _("{name} 须为 {low} 到 {high} 之间的整数：{v}").format(name=name, low=low, high=high, v=text)
            )
        return value

    return parse


def _iso_date(text: str) -> date:
    """An argparse type: a calendar date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(_("日期格式应为 YYYY-MM-DD：{v}").format(v=text)) from None


def library_path(arg: str | None) -> Path:
    """The library to use: ``--library``, else ``CASEBOOK_LIBRARY``, else the user data folder."""
    chosen = arg or os.environ.get("CASEBOOK_LIBRARY")
    return Path(chosen).expanduser() if chosen else default_library_path()


def _editor() -> Any:
    from desktop.services.context import Editor

    return Editor(name=os.environ.get("CASEBOOK_EDITOR", ""), unit=os.environ.get("CASEBOOK_UNIT", ""))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    p = _Parser(prog="casebook", description=_("试点案例库：试点、探索事项与典型案例"))
    p.add_argument("--version", action="version", version=f"casebook {__version__}")
    p.add_argument("--library", metavar="PATH", help=_("案例库文件（默认取 CASEBOOK_LIBRARY 或用户数据目录）"))
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sg = sub.add_parser("gui", help=_("打开窗口（不带命令时亦然）"))
    sg.add_argument("--import", dest="import_file", type=Path, metavar="FILE", help=_("打开窗口并预览导入此案例包"))
    sub.add_parser("init", help=_("新建案例库并载入参考数据（已存在时补充参考数据）"))
    sub.add_parser("demo", help=_("加入示例案例和试点（可重复运行）"))
    sp = sub.add_parser("sample", help=_("加入 N 个合成案例（测试与性能评估用）"))
    sp.add_argument("n", metavar="N", type=_whole_number("N", 1, MAX_SAMPLE))
    sp.add_argument("--seed", type=int, default=1)
    sq = sub.add_parser("search", help=_("检索案例"))
    sq.add_argument("query", nargs="?", default="")
    sq.add_argument("--theme", help=_("主题名称或编号，含下级主题"))
    sq.add_argument("--region", help=_("地区名称，含下辖地区"))
    sq.add_argument("--model-type", help=_("模式类型"))
    sq.add_argument("--status", choices=[s.value for s in ReviewStatus], help=_("审核状态"))
    sq.add_argument("--from", dest="date_from", type=_iso_date, help=_("起始日期 YYYY-MM-DD"))
    sq.add_argument("--to", dest="date_to", type=_iso_date, help=_("截止日期 YYYY-MM-DD"))
    sq.add_argument("--designation", nargs="?", const=MOUNTAIN_ISLAND, help=_("地区标识，默认山区海岛县"))
    sq.add_argument("--as-of", type=_iso_date, help=_("地区标识的生效日期 YYYY-MM-DD"))
    sq.add_argument("--limit", type=_whole_number("--limit", 0, MAX_LIMIT), default=20)
    sq.add_argument("--offset", type=_whole_number("--offset", 0, MAX_LIMIT), default=0)
    sq.add_argument("--json", action="store_true")
    ss = sub.add_parser("show", help=_("显示一个案例"))
    ss.add_argument("id")
    ss.add_argument("--json", action="store_true")
    sd = sub.add_parser(
        "edit",
        help=_("修改一个案例的字段或审核状态"),
        description=_("给出的版本号与库中不符（他人已修改）时不保存，退出码 1"),
    )
    sd.add_argument("id")
    for name, label in (
        ("title", _("标题")),
        ("subtitle", _("副标题")),
        ("basic_situation", _("基本情况")),
        ("practices", _("主要做法")),
        ("outcomes", _("取得成效")),
        ("lessons", _("经验启示")),
        ("source", _("来源")),
        ("tags", _("标签，用顿号或逗号分隔")),
    ):
        sd.add_argument("--" + name.replace("_", "-"), dest=name, metavar=_("文字"), help=label)
    sd.add_argument("--status", choices=[s.value for s in ReviewStatus], help=_("审核状态"))
    sd.add_argument("--reason", default="", help=_("退回原因"))
    sd.add_argument("--version", type=_whole_number("--version", 1, MAX_LIMIT), help=_("修改所依据的版本号"))
    sl = sub.add_parser("list", help=_("列出全部案例"))
    sl.add_argument("--json", action="store_true")
    sc = sub.add_parser("check", help=_("检查案例库完整性（完好时退出码为 0）"))
    sc.add_argument("--repair", action="store_true", help=_("重建检索索引"))
    sb = sub.add_parser("backup", help=_("备份案例库到文件"))
    sb.add_argument("out", type=Path)
    sr = sub.add_parser("restore", help=_("用备份文件替换当前案例库（原库另存一份）"))
    sr.add_argument("source", type=Path)
    sf = sub.add_parser("brief", help=_("把案例导出为 PDF：工作简报、典型案例汇编或案例单页"))
    sf.add_argument("out", type=Path, metavar="OUT.pdf")
    sf.add_argument("--template", choices=["brief", "collection", "case"], default="brief")
    _selection_options(sf)
    sf.add_argument("--title", default="", help=_("标题"))
    sf.add_argument("--issue-no", type=_whole_number("--issue-no", 1, 9999), help=_("期号（默认为本年度下一期）"))
    sf.add_argument("--unit", default="", help=_("编印单位"))
    sf.add_argument("--date", dest="issued_on", type=_iso_date, help=_("印发日期 YYYY-MM-DD（默认今天）"))
    sf.add_argument("--note", default="", help=_("编者按"))
    sf.add_argument("--group-by", choices=["theme", "region", "model-type", "none"], default="theme")
    se = sub.add_parser(
        "export",
        help=_("导出案例：案例包（.casebook）、Excel 台账（.xlsx）或 Word（.docx），按文件后缀区分"),
    )
    se.add_argument("out", type=Path, nargs="?", metavar="OUT")
    se.add_argument("--template-xlsx", type=Path, metavar="OUT.xlsx", help=_("写出空白的 Excel 案例模板"))
    _selection_options(se)
    se.add_argument(
        "--template",
        choices=["brief", "collection", "case"],
        help=_("Word 的版式（默认：一个案例为案例单页，多个为汇编）"),
    )
    se.add_argument("--title", default="", help=_("Word 的标题"))
    se.add_argument("--unit", default="", help=_("编印单位"))
    se.add_argument("--group-by", choices=["theme", "region", "model-type", "none"], default="theme")
    si = sub.add_parser(
        "import",
        help=_("导入案例包（.casebook）或填好的 Excel 模板（.xlsx）"),
        description=_(
            "退出码：0 已导入（或无需导入）；1 文件被拒绝；2 命令行有误；4 有冲突未导入；5 Excel 有问题未导入"
        ),
    )
    si.add_argument("file", type=Path, metavar="FILE")
    si.add_argument(
        "--on-conflict",
        choices=["abort", "mine", "theirs", "both"],
        default="abort",
        help=_("两边都改过的记录：abort 不导入并列出（默认）、mine 保留本机、theirs 采用对方、both 两者都保留"),
    )
    si.add_argument("--valid-only", action="store_true", help=_("Excel：只导入没有问题的行"))
    si.add_argument("--dry-run", action="store_true", help=_("只检查和预览，不导入"))
    return p


def _selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ids", nargs="+", default=[], metavar="ID", help=_("案例编号，按给出的顺序"))
    parser.add_argument("--query", help=_("检索词：导出检索到的案例"))
    parser.add_argument("--theme", help=_("主题名称或编号：导出该主题（含下级）的案例"))
    parser.add_argument("--all", action="store_true", help=_("导出全部案例"))


def _chosen_cases(book: Any, args: argparse.Namespace) -> list[str]:
    chosen = [args.ids, args.query, args.theme, args.all]
    if sum(bool(c) for c in chosen) != 1:
        raise UsageError(_("请用 --ids、--query、--theme、--all 中的一个选定要导出的案例"))
    theme = book.catalog.find_theme(args.theme).uuid if args.theme else None
    uuids: list[str] = book.briefs.choose(uuids=args.ids, query=args.query, theme_uuid=theme, everything=args.all)
    return uuids


def _json_default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    raise TypeError(type(value).__name__)


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, default=_json_default, indent=None)
    sys.stdout.write("\n")


class _Printable:
    """A text stream that shows control characters (a terminal escape sequence, NUL …) as ``\\x1b``
    instead of passing them to the terminal: names that came in from a file cannot paint it."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(CONTROL_CHARACTERS.sub(lambda m: f"\\x{ord(m.group()):02x}", text))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, encoding, isatty … of the real stream
        return getattr(self._stream, name)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; returns the exit code."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Printable(out), _Printable(err)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: Sequence[str] | None) -> int:
    path: Path | None = None
    set_language(os.environ.get("CASEBOOK_LANGUAGE", "").strip() or SOURCE_LANGUAGE)
    try:
        args = build_parser().parse_args(_bundle_as_gui_import(list(sys.argv[1:] if argv is None else argv)))
        path = library_path(args.library)
        return _run(args, path)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except DomainError as exc:
        print(_("错误：{m}").format(m=exc), file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped into a command that stopped reading
        # Python's own advice: point stdout at devnull so the exit flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        print(_("错误：{m}").format(m=describe_os_error(exc)), file=sys.stderr)
        return EXIT_ERROR
    except ValueError as exc:
        print(_("错误：{m}").format(m=exc), file=sys.stderr)
        return EXIT_ERROR
    except (SQLAlchemyError, sqlite3.Error) as exc:
        print(_("错误：{m}").format(m=_database_error_message(exc, path)), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(_("已中断"), file=sys.stderr)
        return 130


def _bundle_as_gui_import(argv: list[str]) -> list[str]:
    """``casebook FILE.casebook`` (how the file manager opens a bundle) means ``gui --import FILE``."""
    if argv and argv[-1].lower().endswith(BUNDLE_SUFFIX) and not argv[-1].startswith("-"):
        rest = argv[:-1]
        if not rest or (len(rest) == 2 and rest[0] == "--library"):
            return [*rest, "gui", "--import", argv[-1]]
    return argv


def _database_error_message(exc: SQLAlchemyError | sqlite3.Error, path: Path | None) -> str:
    """An error SQLite reported while working on the library, in Chinese."""
    if (fault := write_fault(exc, path)) is not None:
        return str(fault)
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    if "unable to open" in text.lower():
        return _("无法打开或写入文件：{p}").format(p=path if path is not None else "")
    return _("数据库出错：{m}").format(m=text)


def _run(args: argparse.Namespace, path: Path) -> int:
    from desktop.services.casebook import Casebook

    cmd = args.command
    if cmd in (None, "gui"):
        from desktop.app import run_gui

        return run_gui(path, getattr(args, "import_file", None))
    if cmd == "restore":
        from desktop.services.maintenance import restore_library

        kept = restore_library(path, args.source)
        Casebook.open(path).close()  # upgrades an older backup after the swap
        if kept.exists():
            print(_("已从 {src} 恢复案例库 {p}；原库另存为 {k}").format(src=args.source, p=path, k=kept))
        else:
            print(_("已从 {src} 恢复案例库 {p}").format(src=args.source, p=path))
        return EXIT_OK
    create = cmd in ("init", "demo", "sample", "import")
    book = Casebook.open(path, create=create, editor=_editor(), prepare=False, verify=cmd != "check")
    try:
        if book.needs_preparing():
            book.prepare(_progress_on_stderr())
        return _COMMANDS[cmd](book, args)
    finally:
        book.close()


def _progress_on_stderr() -> Callable[[int, int, str], None]:
    """Progress of long work as lines on stderr: at most one a second (and the last one)."""
    import time

    last = [0.0]

    def show(done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if total == 0 or (done < total and now - last[0] < 1.0):
            return
        last[0] = now
        print(_("{what}：{done}/{total}").format(what=what, done=done, total=total), file=sys.stderr, flush=True)

    return show


def _edit(book: Any, args: argparse.Namespace) -> int:
    from desktop.services.cases import edit_fields

    case = book.cases.get(args.id, include_trashed=False)
    version = args.version if args.version is not None else case.version
    changes = {name: getattr(args, name) for name in _EDITABLE if getattr(args, name) is not None}
    if args.status is None and not changes:
        raise UsageError(_("没有给出要修改的内容（如 --title、--practices、--status）"))
    if changes:
        case = book.cases.update(edit_fields(case, changes, version=version)).value
        version = case.version
    if args.status is not None:
        case = book.cases.set_review_status(case.uuid, ReviewStatus(args.status), args.reason, version=version).value
    print(_("已保存案例“{t}”（版本 {v}）").format(t=case.title, v=case.version))
    return EXIT_OK


#: The case fields ``casebook edit`` can set, with their option help.
_EDITABLE = ("title", "subtitle", "basic_situation", "practices", "outcomes", "lessons", "source", "tags")


def _init(book: Any, args: argparse.Namespace) -> int:
    report = book.created_with or book.load_reference()
    added = sum(report.added.values())
    print((_("已新建案例库：{p}") if book.created_with else _("案例库已存在：{p}")).format(p=book.library.path))
    print(
        _("参考数据：新增 {a} 条，更新 {u} 条，保留用户修改 {k} 条").format(
            a=added, u=sum(report.updated.values()), k=sum(report.kept_user_edits.values())
        )
    )
    return EXIT_OK


def _demo(book: Any, args: argparse.Namespace) -> int:
    r = book.load_demo()
    print(_("示例数据：新增案例 {c} 个、试点 {p} 个、探索事项 {e} 项").format(c=r.cases, p=r.pilots, e=r.experiments))
    return EXIT_OK


def _sample(book: Any, args: argparse.Namespace) -> int:
    from desktop.services.sample import add_sample_cases

    added = add_sample_cases(book.ctx, args.n, seed=args.seed)
    print(_("已加入合成案例 {n} 个").format(n=added))
    return EXIT_OK


def _filters(book: Any, args: argparse.Namespace) -> CaseFilters:
    return CaseFilters(
        theme_uuid=book.catalog.find_theme(args.theme).uuid if args.theme else None,
        region_uuid=book.regions.find(args.region).uuid if args.region else None,
        model_type_uuid=book.catalog.find_model_type(args.model_type).uuid if args.model_type else None,
        review_status=ReviewStatus(args.status) if args.status else None,
        date_from=args.date_from,
        date_to=args.date_to,
        designation=args.designation,
        designation_on=args.as_of,
    )


def _search(book: Any, args: argparse.Namespace) -> int:
    result = book.search.search(CaseQuery(args.query, _filters(book, args), args.limit, args.offset))
    if args.json:
        _print_json(
            {
                "total": result.total,
                "results": [
                    {
                        "id": h.uuid,
                        "title": h.title,
                        "subtitle": h.subtitle,
                        "snippet": h.snippet,
                        "highlights": h.highlights,
                        "model_type": h.model_type,
                        "places": h.places,
                        "review_status": h.review_status,
                        "reported_on": h.reported_on,
                        "title_hit": h.title_hit,
                        "demo": h.is_demo,
                    }
                    for h in result.hits
                ],
            }
        )
        return EXIT_OK
    print(_("共找到 {n} 个案例").format(n=result.total))
    for h in result.hits:
        from desktop.search.text import Snippet

        print(f"\n{h.title}  [{h.review_status}]  {h.uuid}")
        meta = " · ".join(x for x in (_("、").join(h.places), h.model_type) if x)
        if meta:
            print(f"  {meta}")
        print("  " + Snippet(h.snippet, h.highlights).marked())
    return EXIT_OK


def _case_dict(case: Any) -> dict[str, Any]:
    data = dataclasses.asdict(case)
    data["id"] = data.pop("uuid")
    return data


def _show(book: Any, args: argparse.Namespace) -> int:
    case = book.cases.get(args.id)
    if args.json:
        _print_json(_case_dict(case))
        return EXIT_OK
    print(case.title + (_("（已在回收站）") if case.in_trash else ""))
    if case.subtitle:
        print(case.subtitle)
    rows = [
        (_("编号"), case.uuid),
        (_("模式类型"), case.model_type.name if case.model_type else ""),
        (_("地区"), _("、").join(p.name for p in case.places)),
        (_("主题"), _("、").join(t.name for t in case.themes)),
        (_("标签"), _("、").join(case.tags)),
        (_("审核状态"), case.review_status.value),
        (_("日期"), case.reported_on.isoformat() if case.reported_on else ""),
        (_("来源"), case.source),
        (_("最后修改"), f"{case.updated_by} {case.updated_at:%Y-%m-%d %H:%M}" if case.updated_at else ""),
    ]
    for label, value in rows:
        if value:
            print(_("{label}：{message}").format(label=label, message=value))
    for label, body in (
        (_("基本情况"), case.basic_situation),
        (_("主要做法"), case.practices),
        (_("取得成效"), case.outcomes),
        (_("经验启示"), case.lessons),
    ):
        if body:
            print("\n" + _("【{label}】").format(label=label) + "\n" + body)
    if case.figures:
        print("\n" + _("【{label}】").format(label=_("数据")))
        for f in case.figures:
            figure = _("{label}：{value}{unit}（{period}；{source}）").format(
                label=f.label, value=f"{f.qualifier}{f.value:g}", unit=f.unit, period=f.period, source=f.source
            )
            print("  " + figure)
    return EXIT_OK


def _list(book: Any, args: argparse.Namespace) -> int:
    result = book.search.search(CaseQuery("", CaseFilters(), limit=1_000_000))
    if args.json:
        _print_json(
            {
                "total": result.total,
                "results": [
                    {
                        "id": h.uuid,
                        "title": h.title,
                        "model_type": h.model_type,
                        "places": h.places,
                        "review_status": h.review_status,
                        "reported_on": h.reported_on,
                        "demo": h.is_demo,
                    }
                    for h in result.hits
                ],
            }
        )
        return EXIT_OK
    for h in result.hits:
        print(f"{h.uuid}  {h.review_status}  {h.title}")
    print(_("共 {n} 个案例").format(n=result.total))
    return EXIT_OK


def _check(book: Any, args: argparse.Namespace) -> int:
    if args.repair:
        n = book.maintenance.rebuild_index()
        print(_("已重建检索索引，收录 {n} 个案例").format(n=n))
        photos, temporaries = book.maintenance.repair_files()
        if photos or temporaries:
            print(_("已删除 {p} 个不属于任何案例的照片文件、{t} 个临时文件").format(p=photos, t=temporaries))
    problems = book.maintenance.check()
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        return EXIT_UNSOUND
    print(_("案例库完好：{p}").format(p=book.library.path))
    return EXIT_OK


def _backup(book: Any, args: argparse.Namespace) -> int:
    out = book.maintenance.backup(args.out)
    print(_("已备份到 {p}").format(p=out))
    return EXIT_OK


def _brief(book: Any, args: argparse.Namespace) -> int:
    from desktop.domain.brief import BriefSpec, GroupBy, Template

    uuids = _chosen_cases(book, args)
    issued_on = args.issued_on or date.today()
    spec = BriefSpec(
        template=Template(args.template),
        title=args.title,
        issue_no=args.issue_no,
        year=issued_on.year,
        unit=args.unit or os.environ.get("CASEBOOK_UNIT", ""),
        issued_on=issued_on,
        editor_note=args.note,
        group_by=GroupBy(args.group_by),
    )
    result = book.briefs.export(spec, uuids, args.out).value
    record = result.record
    issue = _("第 {n} 期，").format(n=record.issue_no) if record.issue_no else ""
    print(
        _("已导出 {p}：{issue}{c} 个案例，共 {n} 页").format(
            p=record.file_path, issue=issue, c=len(uuids), n=record.pages
        )
    )
    if result.unset_characters:
        print(
            _("注意：以下字符没有任何字体能够排印，已留空：{chars}").format(
                chars="".join(sorted(result.unset_characters))
            ),
            file=sys.stderr,
        )
    return EXIT_OK


def _selection_label(args: argparse.Namespace) -> str:
    if args.ids:
        return _("选定的 {n} 个案例").format(n=len(args.ids))
    if args.query:
        return _("检索“{q}”").format(q=args.query)
    if args.theme:
        return _("主题“{t}”").format(t=args.theme)
    return _("全部案例")


def _export(book: Any, args: argparse.Namespace) -> int:
    if args.template_xlsx:
        if args.out or any([args.ids, args.query, args.theme, args.all]):
            raise UsageError(_("--template-xlsx 只写出空白模板，不能同时指定导出文件或案例"))
        book.workbooks.write_template(args.template_xlsx)
        print(_("已写出 Excel 案例模板：{p}").format(p=args.template_xlsx))
        return EXIT_OK
    if args.out is None:
        raise UsageError(_("请给出导出文件（.casebook、.xlsx 或 .docx），或用 --template-xlsx 写出模板"))
    suffix = args.out.suffix.lower()
    if suffix not in (BUNDLE_SUFFIX, ".xlsx", ".docx"):
        raise UsageError(_("不认识的导出格式“{s}”：请用 .casebook、.xlsx 或 .docx").format(s=args.out.suffix))
    uuids = _chosen_cases(book, args)
    if not uuids:
        raise UsageError(_("没有选中任何案例"))
    if suffix == BUNDLE_SUFFIX:
        report = book.share.export(args.out, uuids, selection=_selection_label(args)).value
        print(report.summary())
        for warning in report.warnings:
            print(_("注意：{m}").format(m=warning), file=sys.stderr)
    elif suffix == ".xlsx":
        n = book.workbooks.write_ledger(args.out, uuids)
        print(_("已导出台账 {p}：{n} 个案例").format(p=args.out, n=n))
    else:
        from desktop.domain.brief import BriefSpec, GroupBy, Template

        template = (
            Template(args.template) if args.template else (Template.CASE if len(uuids) == 1 else Template.COLLECTION)
        )
        spec = BriefSpec(
            template=template,
            title=args.title,
            unit=args.unit or os.environ.get("CASEBOOK_UNIT", ""),
            group_by=GroupBy(args.group_by),
        )
        word = book.word.export_docx(spec, uuids, args.out)
        print(_("已导出 Word 文档 {p}：{n} 个案例").format(p=word.path, n=word.cases))
        for warning in word.warnings:
            print(_("注意：{m}").format(m=warning), file=sys.stderr)
    return EXIT_OK


def _import(book: Any, args: argparse.Namespace) -> int:
    suffix = args.file.suffix.lower()
    if suffix == ".xlsx":
        return _import_workbook(book, args)
    if suffix != BUNDLE_SUFFIX:
        raise UsageError(_("不认识的导入格式“{s}”：请用 .casebook 或 .xlsx").format(s=args.file.suffix))
    from desktop.exchange.bundle import kind_label
    from desktop.services.sharing import Outcome, Resolution, outcome_label

    plan = book.share.preview(args.file)
    print(_("来自：{sender}").format(sender=plan.sender()))
    print(_("预览：{summary}").format(summary=plan.summary()))
    for r in plan.records:
        if r.outcome != Outcome.UNCHANGED:
            note = _("（{note}）").format(note=r.note) if r.note else ""
            print(f"  {outcome_label(r.outcome)}  {kind_label(r.kind)}  {r.title}{note}  {r.uuid}")
    if args.dry_run:
        return EXIT_CONFLICTS if plan.conflicts and args.on_conflict == "abort" else EXIT_OK
    if plan.conflicts and args.on_conflict == "abort":
        print(
            _(
                "有 {n} 条记录两边都改过，未导入任何内容；请用 --on-conflict mine|theirs|both 决定或在窗口中逐条决定："
            ).format(n=len(plan.conflicts)),
            file=sys.stderr,
        )
        for c in plan.conflicts:
            print(
                _("  {what}“{title}”（{uuid}）：对方 {theirs}，本机 {mine}").format(
                    what=kind_label(c.kind),
                    title=c.title,
                    uuid=c.uuid,
                    theirs=_who_when(c.theirs_by, c.theirs_at),
                    mine=_who_when(c.mine_by, c.mine_at),
                ),
                file=sys.stderr,
            )
        return EXIT_CONFLICTS
    default = None if args.on_conflict == "abort" else Resolution(args.on_conflict)
    report = book.share.apply(plan, default=default).value
    print(report.summary())
    return EXIT_OK


def _who_when(who: str, when: datetime | None) -> str:
    return f"{who} {when.astimezone():%Y-%m-%d %H:%M}" if when else who


def _import_workbook(book: Any, args: argparse.Namespace) -> int:
    reading = book.workbooks.parse(args.file, book.workbooks.vocabulary())
    if args.dry_run or not args.valid_only:
        check = reading.check()
        print(
            _("共 {n} 行，有效 {v} 行，问题 {p} 处").format(
                n=check.total_rows, v=check.valid_rows, p=len(check.problems)
            )
        )
        for problem in check.problems:
            print(f"  {problem}", file=sys.stderr)
        if check.problems and not args.valid_only:
            print(_("未导入任何案例：请改正后再导入，或加 --valid-only 只导入有效行"), file=sys.stderr)
            return EXIT_PROBLEMS
        if args.dry_run:
            return EXIT_OK
    result = book.workbooks.import_reading(args.file, reading, valid_only=args.valid_only).value
    print(_("已导入 {n} 个案例").format(n=len(result.imported)))
    if result.skipped_rows:
        print(
            _("跳过有问题的行：{rows}").format(rows=_("、").join(str(r) for r in result.skipped_rows)),
            file=sys.stderr,
        )
    return EXIT_OK


_COMMANDS = {
    "init": _init,
    "demo": _demo,
    "sample": _sample,
    "search": _search,
    "show": _show,
    "list": _list,
    "check": _check,
    "backup": _backup,
    "brief": _brief,
    "export": _export,
    "import": _import,
    "edit": _edit,
}
