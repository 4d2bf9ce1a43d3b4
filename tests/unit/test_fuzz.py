"""The fuzz suite: mutated share bundles, Excel files and photos through the real ``casebook`` command.

A seeded mutation fuzzer starts from genuine files — a bundle of cases with photos, a filled Excel
template — and spoils them the ways files get spoiled or forged: flipped bytes, truncation, swapped
members, JSON values of the wrong type, fields duplicated or missing, huge strings, invalid UTF-8,
NUL bytes and terminal escapes, formulas, merged cells, extra sheets, photos cut short or of the
wrong kind. Each input goes to ``casebook import`` (in this process, so a traceback fails the test)
on a fresh copy of one library. The command must end with a documented exit code, within 30 s;
when it refuses, the library — every row of every table, and the photo folder — is as it was; when
it imports, the imported cases must print as a PDF. ``CASEBOOK_FUZZ_CASES`` sets the number of
inputs (300 in the normal run, 5,000 in ``make torture``). Every input that ever failed is kept
under ``tests/regressions/`` and replayed first.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
import signal
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PIL import Image

from desktop.cli import EXIT_CONFLICTS, EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, main
from desktop.domain.records import ModelCase, Photo
from desktop.exchange.bundle import MANIFEST
from desktop.services.casebook import Casebook
from desktop.store.media import media_dir_of
from tests.conftest import TEST_EDITOR
from tests.unit.test_share import dump, jpeg_file
from tests.unit.test_workbook import fill, good_row

CASES = int(os.environ.get("CASEBOOK_FUZZ_CASES", "300"))
DOCUMENTED = {EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_CONFLICTS, EXIT_PROBLEMS}
REGRESSIONS = Path(__file__).resolve().parents[1] / "regressions"
HANG_S = 30


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the run) when the block takes longer than ``seconds``."""

    def stop(_sig: int, _frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    if sys.platform == "win32":
        yield
        return
    before = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


def _media(path: Path) -> dict[str, bytes]:
    media = media_dir_of(path)
    return {p.name: hashlib.sha256(p.read_bytes()).digest() for p in media.glob("*") if p.is_file()}


# genuine inputs -----------------------------------------------------------------------------------
def _unzip(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as z:
        return {name: z.read(name) for name in z.namelist()}


def _rezip(members: dict[str, bytes], out: Path, *, fix_manifest: bool = True) -> Path:
    """A bundle of ``members``; with ``fix_manifest``, its manifest lists their true sizes and checksums
    (so a mutation inside a member reaches the checks behind the checksum)."""
    members = dict(members)
    if fix_manifest and MANIFEST in members:
        try:
            manifest = json.loads(members[MANIFEST])
            manifest["members"] = {
                n: {"sha256": hashlib.sha256(b).hexdigest(), "size": len(b)}
                for n, b in members.items()
                if n != MANIFEST
            }
            members[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
        except (ValueError, TypeError, AttributeError):
            pass
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out


# mutations --------------------------------------------------------------------------------------
NASTY = [
    "\x00",
    "\x1b[2J\x1b[31m红字",
    "\x9b31m",
    '=HYPERLINK("http://x")',
    "𠮷" * 3,
    "\ud800",
    "A" * 70_000,
    "",
    " ",
    "../../etc/passwd",
    "CON",
]


def _mutate_value(rng: random.Random, value: Any) -> Any:
    choice = rng.randrange(9)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([0, -1, 2**63, 1.5e308, float("inf")]) if not isinstance(value, int) else str(value)
    if choice == 2:
        return [value]
    if choice == 3:
        return {"x": value}
    if choice == 4:
        return rng.choice(NASTY)
    if choice == 5:
        return (str(value) if value is not None else "") + rng.choice(NASTY)
    if choice == 6:
        return True
    if choice == 7:
        return "2025-02-30"
    return "x" * rng.choice([201, 5000, 1_000_000])


def _mutate_json(rng: random.Random, obj: Any, depth: int = 0) -> Any:
    """One change somewhere in a JSON object: a value of another type, a field gone or doubled …"""
    if isinstance(obj, dict) and obj:
        key = rng.choice(list(obj))
        roll = rng.randrange(6)
        out = dict(obj)
        if roll == 0:
            del out[key]
        elif roll == 1:
            out[key + "_copy"] = out[key]
        elif roll == 2 or depth > 3:
            out[key] = _mutate_value(rng, out[key])
        else:
            out[key] = _mutate_json(rng, out[key], depth + 1)
        return out
    if isinstance(obj, list) and obj:
        out_list = list(obj)
        i = rng.randrange(len(out_list))
        roll = rng.randrange(4)
        if roll == 0:
            out_list.append(out_list[i])  # a duplicate (the same UUID twice)
        elif roll == 1:
            del out_list[i]
        else:
            out_list[i] = _mutate_json(rng, out_list[i], depth + 1)
        return out_list
    return _mutate_value(rng, obj)


def _mutate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    try:
        obj = json.loads(lines[i]) if lines[i].strip() else None
    except ValueError:
        obj = None
    roll = rng.randrange(5)
    if obj is not None and roll < 3:
        lines[i] = json.dumps(_mutate_json(rng, obj), ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
    elif roll == 3:
        lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)] + rng.choice([b"\xff\xfe", b"\xc0\xaf", b"\x00", b""])
    else:
        lines.insert(i, lines[i])  # a record twice
    return b"\n".join(lines)


def _spoil_photo(rng: random.Random, data: bytes) -> bytes:
    roll = rng.randrange(5)
    if roll == 0:
        return data[: rng.randrange(8, max(9, len(data) - 1))]  # cut short
    if roll == 1:
        return b"GIF89a" + data[6:]  # another kind's magic
    if roll == 2:
        return b"<script>alert(1)</script>"
    if roll == 3:  # an image claiming huge dimensions
        out = io.BytesIO()
        Image.new("1", (30_000, 30_000)).save(out, "PNG")
        return out.getvalue()
    spoiled = bytearray(data)
    for _ in range(rng.randrange(1, 20)):
        spoiled[rng.randrange(len(spoiled))] ^= 1 << rng.randrange(8)
    return bytes(spoiled)


def bundle_mutant(rng: random.Random, genuine: dict[str, bytes], raw: bytes, out: Path) -> Path:
    """A spoiled copy of the genuine bundle (members ``genuine``, file bytes ``raw``)."""
    roll = rng.randrange(10)
    if roll == 0:  # bytes of the file flipped (zip structure, deflate streams)
        spoiled = bytearray(raw)
        for _ in range(rng.randrange(1, 30)):
            spoiled[rng.randrange(len(spoiled))] ^= 1 << rng.randrange(8)
        out.write_bytes(bytes(spoiled))
        return out
    if roll == 1:  # truncated
        out.write_bytes(raw[: rng.randrange(len(raw))])
        return out
    members = dict(genuine)
    names = sorted(members)
    if roll == 2:  # two members' contents swapped
        a, b = rng.sample(names, 2)
        members[a], members[b] = members[b], members[a]
    elif roll == 3:  # a member missing or one too many
        if rng.random() < 0.5:
            del members[rng.choice(names)]
        else:
            members[rng.choice(["photos/extra.jpg", "records/unknown.jsonl", "../evil.txt"])] = b"x"
    elif roll == 4:  # the manifest spoiled
        try:
            manifest = json.loads(members[MANIFEST])
            members[MANIFEST] = json.dumps(_mutate_json(rng, manifest)).encode("utf-8", "surrogatepass")
        except ValueError:
            members[MANIFEST] = members[MANIFEST][: len(members[MANIFEST]) // 2]
        return _rezip(members, out, fix_manifest=False)
    elif roll in (5, 6, 7):  # a record spoiled
        records = [n for n in names if n.endswith(".jsonl")]
        name = rng.choice(records)
        members[name] = _mutate_lines(rng, members[name])
    else:  # a photo spoiled
        photos = [n for n in names if n.startswith("photos/")]
        name = rng.choice(photos)
        members[name] = _spoil_photo(rng, members[name])
    return _rezip(members, out, fix_manifest=rng.random() < 0.9)


def workbook_mutant(rng: random.Random, genuine: Path, out: Path) -> Path:
    """A spoiled copy of the genuine filled template."""
    wb = load_workbook(genuine)
    ws = wb.worksheets[0]
    for _ in range(rng.randrange(1, 6)):
        row, col = rng.randrange(1, 12), rng.randrange(1, ws.max_column + 2)
        roll = rng.randrange(8)
        cell = ws.cell(row=row, column=col)
        if roll == 0:
            cell.value = rng.choice([3.14, -1, 10**20, True, None])
        elif roll == 1:
            cell.value = rng.choice(["=1+1", '=HYPERLINK("http://x","点我")', "=A1/0", '=INDIRECT("A1")'])
        elif roll == 2:
            cell.value = "长" * 32_000
        elif roll == 3:
            import datetime

            cell.value = rng.choice([datetime.datetime(1900, 1, 1), datetime.date(9999, 12, 31), datetime.time(1, 2)])
        elif roll == 4 and row < 11:
            ws.merge_cells(start_row=row, start_column=max(1, col - 1), end_row=row + 1, end_column=col)
        elif roll == 5:
            wb.create_sheet(rng.choice(["Sheet2", "案例", "说明", "=x"])[:31])
        elif roll == 6:
            cell.value = rng.choice(["\u200b", "𠮷𠮷", "\ufeff标题", "a\tb\nc", "_x001B_[2J"])
        else:
            ws.delete_rows(rng.randrange(1, 4))
    wb.save(out)
    return out


# the world ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fuzz")
    photos = root / "photos"
    photos.mkdir()
    sender = Casebook.open(root / "sender" / "casebook.sqlite", create=True, editor=TEST_EDITOR)
    try:
        sender.load_demo()
        uuids = sender.briefs.choose(everything=True)[:4]
        png = photos / "p.png"
        Image.new("RGB", (80, 60), (20, 120, 60)).save(png)
        extra = [
            sender.cases.create(
                ModelCase(
                    title=f"飞地抱团案例{i}",
                    basic_situation="山区县与发达地区共建飞地。",
                    practices="一是共建；二是分红。",
                    photos=[
                        Photo(file_name=sender.cases.import_photo(jpeg_file(photos, f"{i}.jpg")), caption="园区"),
                        Photo(file_name=sender.cases.import_photo(png), caption="分红现场"),
                    ],
                )
            ).value.uuid
            for i in range(2)
        ]
        bundle = root / "genuine.casebook"
        sender.share.export(bundle, uuids + extra)
    finally:
        sender.close()
    base = root / "base" / "casebook.sqlite"
    book = Casebook.open(base, create=True, editor=TEST_EDITOR)
    try:
        book.load_demo()
        template = root / "template.xlsx"
        book.workbooks.write_template(template)
    finally:
        book.close()
    workbook = fill(template, root / "genuine.xlsx", {2 + r: good_row(f"台账案例{r}") for r in range(6)})
    return {"root": root, "base": base, "bundle": bundle, "workbook": workbook}


def _fresh_library(genuine: dict[str, Path], where: Path) -> Path:
    lib = where / "library" / "casebook.sqlite"
    lib.parent.mkdir(parents=True)
    shutil.copyfile(genuine["base"], lib)
    return lib


def _try(capsys: pytest.CaptureFixture[str], lib: Path, source: Path, keep_as: str) -> str:
    """Import ``source`` into ``lib``; fail (keeping the input as a regression file) on a traceback, an
    undocumented exit code, a hang, a changed library after a refusal, or an import that cannot print."""
    before, photos = dump(lib), _media(lib)
    try:
        with _deadline(HANG_S):
            code = main(["--library", str(lib), "import", str(source), "--on-conflict", "theirs"])
        out, err = capsys.readouterr()
        assert code in DOCUMENTED, f"exit code {code}: {err}"
        assert "\x1b" not in out + err and "\x00" not in out + err, "a control character reached the terminal"
        if code == EXIT_OK:  # what came in prints: the cases with photos, as case sheets
            book = Casebook.open(lib, editor=TEST_EDITOR)
            try:
                with_photos = [u for u in book.briefs.choose(everything=True) if book.cases.get(u).photos]
            finally:
                book.close()
            if with_photos:
                sheet = ["brief", str(lib.parent / "out.pdf"), "--template", "case", "--issue-no", "9"]
                with _deadline(HANG_S):
                    printed = main(["--library", str(lib), *sheet, "--ids", *with_photos])
                assert printed == EXIT_OK, capsys.readouterr().err
        else:
            assert dump(lib) == before and _media(lib) == photos, f"refused (exit {code}) but the library changed"
        return "ok" if code == EXIT_OK else f"refused {code}"
    except BaseException:
        REGRESSIONS.mkdir(exist_ok=True)
        shutil.copyfile(source, REGRESSIONS / keep_as)
        raise
    finally:
        capsys.readouterr()


def _regression_inputs() -> list[Path]:
    return sorted(REGRESSIONS.glob("*.casebook")) + sorted(REGRESSIONS.glob("*.xlsx")) if REGRESSIONS.is_dir() else []


@pytest.mark.parametrize("source", _regression_inputs(), ids=lambda p: p.name)
def test_inputs_that_once_failed_are_answered(
    genuine: dict[str, Path], capsys: pytest.CaptureFixture[str], source: Path, tmp_path: Path
) -> None:
    _try(capsys, _fresh_library(genuine, tmp_path), source, source.name)


def test_mutated_bundles_workbooks_and_photos_never_break_the_import(
    genuine: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rng = random.Random(20261207)
    members, raw = _unzip(genuine["bundle"]), genuine["bundle"].read_bytes()
    outcomes: dict[str, int] = {}
    makers: list[tuple[str, Callable[[Path], Path]]] = [
        ("bundle", lambda out: bundle_mutant(rng, members, raw, out.with_suffix(".casebook"))),
        ("workbook", lambda out: workbook_mutant(rng, genuine["workbook"], out.with_suffix(".xlsx"))),
    ]
    for n in range(CASES):
        kind, make = makers[0] if n % 4 else makers[1]  # three bundles to one workbook
        here = tmp_path / str(n)
        here.mkdir()
        source = make(here / "input")
        result = _try(capsys, _fresh_library(genuine, here), source, f"fuzz-{n}{source.suffix}")
        key = f"{kind} {result}"
        outcomes[key] = outcomes.get(key, 0) + 1
        shutil.rmtree(here)
    print(f"\nfuzz: {CASES} inputs: " + ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())))
    assert sum(v for k, v in outcomes.items() if "refused" in k) > CASES // 3  # the mutations did spoil


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("zlib-error-in-manifest.casebook", "manifest.json：无法读取（文件已损坏）"),
        ("zlib-error-in-cases.casebook", "records/cases.jsonl：无法读取（文件已损坏）"),
        ("zlib-error-in-regions.casebook", "records/regions.jsonl：无法读取（文件已损坏）"),
        ("truncated-png-photo.casebook", "照片已损坏或不完整"),
        ("terminal-escape-in-title.casebook", "字段 title 含有控制字符"),
    ],
)
def test_known_bad_bundles_are_refused_with_what_is_wrong_and_where(
    genuine: dict[str, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, says: str
) -> None:
    lib = _fresh_library(genuine, tmp_path)
    before = dump(lib)
    code = main(["--library", str(lib), "import", str(REGRESSIONS / name)])
    _out, err = capsys.readouterr()
    assert code == EXIT_ERROR and says in err, err
    assert name in err  # the file is named
    assert dump(lib) == before


def test_control_characters_are_refused_in_every_text_of_a_case(book: Casebook) -> None:
    from desktop.domain.validation import ValidationError

    with pytest.raises(ValidationError) as info:
        book.cases.create(ModelCase(title="强村公司\x00", practices="一是\x1b[2J", tags=["共富\x9b"]))
    assert {e.field for e in info.value.errors} == {"title", "practices", "tags[0]"}
    made = book.cases.create(ModelCase(title="强村公司", practices="一是统一运营；\n\t二是收益共享。")).value
    assert made.practices == "一是统一运营；\n\t二是收益共享。"  # line breaks and tabs are text


def test_a_name_with_a_terminal_escape_stored_earlier_prints_harmlessly(
    demo_book: Casebook, capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_book.library.path
    with demo_book.library.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE model_case SET title = '红字' || char(27) || '[2J' WHERE id = 1")
    demo_book.close()
    code = main(["--library", str(path), "list"])
    out, _err = capsys.readouterr()
    assert code == EXIT_OK
    assert "\x1b" not in out and "红字\\x1b[2J" in out
