"""Translation hook for text produced outside the Qt layer (CLI, services, validation).

Source strings are written in Chinese (zh_CN), the product's default language. ``_`` marks
them for extraction; a gettext catalogue named ``casebook`` under ``resources/translations``
supplies other languages when one is installed and selected with ``set_language``.
"""

from __future__ import annotations

import gettext
from pathlib import Path

#: The language the messages are written in; it needs no catalogue.
SOURCE_LANGUAGE = "zh_CN"
_DOMAIN = "casebook"
_LOCALE_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"
_translation: gettext.NullTranslations = gettext.NullTranslations()


def set_language(language: str) -> None:
    """Switch the non-Qt text to ``language`` (e.g. ``"en"``); Chinese when no catalogue exists."""
    global _translation
    _translation = gettext.translation(_DOMAIN, localedir=str(_LOCALE_DIR), languages=[language], fallback=True)


def _(message: str) -> str:
    """Return ``message`` in the current language."""
    return _translation.gettext(message)
