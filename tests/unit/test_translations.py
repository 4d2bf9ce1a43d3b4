"""The English catalogues are complete: the Qt UI's (.ts) and the gettext one of every other message (.po).

After `make lupdate` every new message must be translated (and its placeholders and shortcut marks kept)
before the tests pass again. The words printed in briefs, Word documents and Excel workbooks are document
content: they stay Chinese whatever the language, so they are not marked for translation at all.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import docx
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from desktop.domain import i18n
from desktop.domain.brief import BriefSpec, Recipients, Template
from desktop.domain.records import ModelCase
from desktop.domain.validation import ValidationError, validate_case
from desktop.domain.wording import cn_date, document_title, sections
from desktop.exchange.word import write_docx
from desktop.services.casebook import Casebook
from desktop.store.db import LibraryError
from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
TS = TRANSLATIONS / "casebook_en.ts"
POT = TRANSLATIONS / "casebook.pot"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "casebook.po"
MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "casebook.mo"
BRACES = re.compile(r"\{[^{}]*\}")
#: Chinese punctuation that has no place in an English message (“ ” and … are English too).
FULL_WIDTH = re.compile(r"[，。；：！？（）【】、《》]")
#: Messages whose English deliberately keeps a Chinese character, and why.
KEEPS_CHINESE = {
    # the value a user types for the option is the Chinese designation itself
    "地区标识，默认山区海岛县",
    # the example shows how to write a place that is not in the list, in the library's own names
    "找不到地区“{name}”；列表中没有的乡镇、村，请在县或乡镇的全称后用“/”接上名称，如“杭州市淳安县/某某镇/某某村”",
}
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%n|%L?\d")
RETIRED = {"vanished", "obsolete"}


def _messages() -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(TS).getroot()
    return [
        (context.findtext("name") or "", message.findtext("source") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def _translations(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.iter("numerusform")]
    return [translation.text or ""]


def test_catalogue_parses_and_names_its_languages() -> None:
    root = ET.parse(TS).getroot()
    assert root.tag == "TS"
    assert root.get("sourcelanguage") == "zh_CN"
    assert root.get("language") == "en"
    assert _messages(), "the catalogue holds no messages"


def test_every_message_is_translated() -> None:
    missing = []
    for context, source, message in _messages():
        translation = message.find("translation")
        assert translation is not None
        kind = translation.get("type")
        if kind in RETIRED:
            continue
        texts = _translations(message)
        if kind == "unfinished" or not texts or not all(t.strip() for t in texts):
            missing.append(f"{context}: {source!r}")
    assert not missing, (
        f"{len(missing)} message(s) of {TS.name} lack a finished English translation "
        '(translate them in the .ts and remove type="unfinished"):\n' + "\n".join(missing)
    )


def test_every_window_message_in_the_source_is_in_the_ts(tmp_path: Path) -> None:
    """``pyside6-lupdate`` run on the window's sources now finds no message the .ts lacks, and the .ts
    holds none the sources dropped (a new ``tr()`` would otherwise show Chinese in the English UI)."""
    fresh = tmp_path / "fresh.ts"
    sources = [*sorted(str(p) for p in (ROOT / "desktop" / "ui").rglob("*.py")), str(ROOT / "desktop" / "app.py")]
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run(
        [str(lupdate), *sources, "-ts", str(fresh), "-source-language", "zh_CN", "-target-language", "en"],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )

    def keys(path: Path) -> set[tuple[str, str]]:
        root = ET.parse(path).getroot()
        return {
            (context.findtext("name") or "", message.findtext("source") or "")
            for context in root.iter("context")
            for message in context.iter("message")
            if message.findtext("translation[@type='vanished']") is None
            and message.findtext("translation[@type='obsolete']") is None
        }

    in_source, in_ts = keys(fresh), keys(TS)
    assert not in_source - in_ts, "run `make lupdate` and translate; not in the .ts:\n" + "\n".join(
        f"{c}: {m!r}" for c, m in sorted(in_source - in_ts)
    )
    assert not in_ts - in_source, "run `make lupdate`; the .ts holds messages the source no longer has:\n" + (
        "\n".join(f"{c}: {m!r}" for c, m in sorted(in_ts - in_source))
    )


def test_translations_keep_placeholders_and_shortcuts() -> None:
    wrong = []
    for context, source, message in _messages():
        translation = message.find("translation")
        assert translation is not None
        if translation.get("type") in RETIRED | {"unfinished"}:
            continue
        wanted = sorted(PLACEHOLDER.findall(source))
        for text in _translations(message):
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                wrong.append(f"{context}: {source!r} → {text!r} (placeholders {wanted})")
            if "&" in source.replace("&&", "") and "&" not in text:
                wrong.append(f"{context}: {source!r} → {text!r} (keyboard shortcut & missing)")
    assert not wrong, "\n".join(wrong)


# the gettext catalogue of the messages outside the window -------------------------------------------------
def _catalogue(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _entries(catalog: Catalog) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of every message; the catalogue has no plural forms."""
    out = []
    for message in catalog:
        if not message.id:
            continue
        assert isinstance(message.id, str) and isinstance(message.string, str), f"plural form: {message.id!r}"
        out.append((message.id, message.string, message.fuzzy))
    return out


def _source_messages() -> dict[str, str]:
    """Every ``_("…")`` string of the modules outside ui/, with the first file that has it."""
    found: dict[str, str] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "desktop"), method_map=[("**.py", "python")], keywords={"_": None}, comment_tags=()
    ):
        if filename.startswith("ui/") or not isinstance(message, str):
            continue
        found.setdefault(message, f"desktop/{filename}")
    return found


def test_message_catalogue_parses_and_names_its_language() -> None:
    catalog = _catalogue(PO)
    assert str(catalog.locale) == "en"
    assert len(_entries(catalog)) > 300


def test_every_message_outside_the_window_is_translated() -> None:
    missing = [msgid for msgid, msgstr, fuzzy in _entries(_catalogue(PO)) if fuzzy or not msgstr.strip()]
    assert not missing, (
        f"{len(missing)} message(s) of {PO.name} lack a finished English translation "
        "(translate them in the .po and drop the fuzzy flag):\n" + "\n".join(map(repr, missing))
    )


def test_message_translations_keep_placeholders_and_leave_chinese_punctuation_out() -> None:
    wrong = []
    for msgid, msgstr, _fuzzy in _entries(_catalogue(PO)):
        if sorted(BRACES.findall(msgid)) != sorted(BRACES.findall(msgstr)):
            wrong.append(f"{msgid!r} → {msgstr!r}: placeholders differ")
        if FULL_WIDTH.search(msgstr):
            wrong.append(f"{msgid!r} → {msgstr!r}: Chinese punctuation")
        if msgid not in KEEPS_CHINESE and re.search(r"[\u4e00-\u9fff]", msgstr):
            wrong.append(f"{msgid!r} → {msgstr!r}: Chinese characters")
    assert not wrong, "\n".join(wrong)


def test_every_message_in_the_source_is_in_the_catalogue() -> None:
    in_source = _source_messages()
    for path in (POT, PO):
        in_catalogue = {msgid for msgid, _msgstr, _fuzzy in _entries(_catalogue(path))}
        new = sorted(set(in_source) - in_catalogue)
        gone = sorted(in_catalogue - set(in_source))
        assert not new, f"run `make lupdate` and translate; not in {path.name}:\n" + "\n".join(
            f"{in_source[m]}: {m!r}" for m in new
        )
        assert not gone, f"run `make lupdate`; {path.name} holds messages the source no longer has:\n" + "\n".join(
            map(repr, gone)
        )


@pytest.fixture
def english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The messages in English from the .po as it is now (compiled here); Chinese again afterwards."""
    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "casebook.mo").open("wb") as fh:
        write_mo(fh, _catalogue(PO))
    monkeypatch.setattr(i18n, "_LOCALE_DIR", tmp_path)
    i18n.set_language("en")
    try:
        yield
    finally:
        i18n.set_language(i18n.SOURCE_LANGUAGE)


def test_service_errors_follow_the_language(english: None, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "casebook.sqlite"
    with pytest.raises(LibraryError) as opened:
        Casebook.open(missing)
    assert str(opened.value) == (
        f"Cannot open the library {missing}: the file does not exist; run casebook init to create it"
    )
    with pytest.raises(ValidationError) as checked:
        validate_case(ModelCase(title=" ", subtitle="长" * 201))
    assert str(checked.value) == "Title: cannot be empty; Subtitle: at most 200 characters"

    i18n.set_language("zh_CN")
    with pytest.raises(ValidationError) as again:
        validate_case(ModelCase(title=" "))
    assert str(again.value) == "标题：不能为空"
    with pytest.raises(LibraryError) as reopened:
        Casebook.open(missing)
    assert "文件不存在；可先运行 casebook init 创建" in str(reopened.value)


def test_document_words_stay_chinese_in_english(english: None) -> None:
    case = ModelCase(title="下姜村", basic_situation="一段。", lessons="一条。")
    assert [label for label, _paras in sections(case)] == ["基本情况", "经验启示"]
    assert cn_date(date(2025, 11, 28)) == "2025年11月28日"
    assert document_title(BriefSpec(template=Template.COLLECTION), [case, case]) == "典型案例汇编"
    in_catalogue = {msgid for msgid, _msgstr, _fuzzy in _entries(_catalogue(PO))}
    assert not {"编者按：", "第{n}期", "目　录", "报：", "共印{n}份", "主要指标", "{y}年{m}月{d}日"} & in_catalogue


def test_a_word_brief_written_in_english_mode_is_chinese(english: None, tmp_path: Path) -> None:
    case = ModelCase(title="下姜村片区组团发展", basic_situation="一段。", practices="一条。")
    spec = BriefSpec(
        template=Template.BRIEF,
        issue_no=3,
        unit="省农业农村厅",
        issued_on=date(2025, 11, 28),
        editor_note="请各地参考。",
        recipients=Recipients(report_to="省委办公厅", copies=20),
    )
    out = tmp_path / "brief.docx"
    write_docx(spec, [case], out)
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    text += "\n".join(c.text for t in docx.Document(str(out)).tables for row in t.rows for c in row.cells)
    for word in ("工作简报", "第3期", "2025年11月28日", "编者按：", "基本情况", "主要做法", "报：", "共印20份"):
        assert word in text, word
    assert not re.search(r"Background|Editor|issue", text)


def test_cli_speaks_english_when_asked(tmp_path: Path) -> None:
    assert MO.is_file(), f"{MO.relative_to(ROOT)} is missing: run `make translations`"
    missing = tmp_path / "nowhere" / "casebook.sqlite"
    english = run_cli("--library", str(missing), "list", env={"CASEBOOK_LANGUAGE": "en"})
    assert english.returncode == 1
    assert english.stderr.strip() == (
        f"Error: Cannot open the library {missing}: the file does not exist; run casebook init to create it"
    )
    wrong = run_cli("nonsense", env={"CASEBOOK_LANGUAGE": "en"})
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("Invalid command line: no such command: nonsense (commands: gui, init, ")
    chinese = run_cli("--library", str(missing), "list")
    assert chinese.returncode == 1
    assert chinese.stderr.startswith("错误：无法打开案例库")
