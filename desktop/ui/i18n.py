"""The language of the window: Qt's own translations and ours, installed on the application.

Chinese (zh_CN) is the source language of every UI string, so it needs no catalogue of ours;
Qt's ``qtbase_zh_CN`` still supplies the texts Qt draws itself (确定, 取消, context menus …).
For another language our ``resources/translations/casebook_<lang>.qm`` (built from the ``.ts``
by ``make translations``) is loaded next to Qt's, and the non-Qt text follows via desktop.domain.i18n.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from desktop.domain import i18n
from desktop.paths import resources_dir

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "zh_CN"

_installed: list[QTranslator] = []
_language: str | None = None


def translations_dir() -> str:
    """The folder holding our ``casebook_<lang>.qm`` files."""
    return str(resources_dir() / "translations")


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for ``language`` on ``app`` and return them.

    They replace the ones an earlier call installed. A missing catalogue is logged and skipped:
    the window then shows the Chinese source text.
    """
    global _language
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    wanted = [("qtbase_" + language, qt_dir)]
    if language != SOURCE_LANGUAGE:
        wanted.append(("casebook_" + language, translations_dir()))
    for name, folder in wanted:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            log.warning("translation %s not found in %s", name, folder)
    i18n.set_language(language)
    _language = language
    return list(_installed)


def current_language() -> str | None:
    """The language installed by the last ``install_translators`` call, or None before any."""
    return _language
