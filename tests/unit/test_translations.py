"""The English catalogue of the Qt UI is complete: after `make lupdate` every new message must be
translated (and its placeholders and shortcut marks kept) before the tests pass again."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).resolve().parents[2] / "resources" / "translations" / "casebook_en.ts"
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
