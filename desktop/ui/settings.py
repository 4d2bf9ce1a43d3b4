"""The window's settings, declared once in a typed registry and kept with QSettings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")


@dataclass(frozen=True)
class Option(Generic[T]):
    """One setting: its key, default and type."""

    key: str
    default: T
    kind: type[T]


# the coordinator ---------------------------------------------------------------------
EDITOR_NAME = Option("user/name", "", str)
EDITOR_UNIT = Option("user/unit", "", str)
BRIEF_UNIT = Option("briefs/unit", "", str)
#: A TrueType face (.ttf/.ttc) per role of the PDF briefs; empty: the office's own, else the open face.
BRIEF_FONTS = {role: Option(f"briefs/font_{role}", "", str) for role in ("body", "heading", "kai", "title", "song")}
# appearance ----------------------------------------------------------------------------
LANGUAGE = Option("ui/language", "zh_CN", str)
FONT_SIZE = Option("ui/font_size", 10, int)
# layout, restored on the next start ---------------------------------------------------
GEOMETRY = Option("window/geometry", QByteArray(), QByteArray)
WINDOW_STATE = Option("window/state", QByteArray(), QByteArray)
SPLITTER = Option("window/splitter", QByteArray(), QByteArray)
TABLE_HEADER = Option("table/header", QByteArray(), QByteArray)
SORT_COLUMN = Option("table/sort_column", -1, int)
SORT_DESCENDING = Option("table/sort_descending", False, bool)
LAST_NAV = Option("window/last_nav", "", str)
LAST_CASE = Option("window/last_case", "", str)
LAST_FOLDER = Option("files/last_folder", "", str)  # where the last import or export went

LANGUAGES = {"zh_CN": "中文（简体）", "en": "English"}


class Settings:
    """Typed access to the settings store (the platform's, or an INI file for tests)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings("PilotCasebook", "PilotCasebook")

    @classmethod
    def in_file(cls, path: str) -> Settings:
        """Settings kept in an INI file (used by tests and portable installs)."""
        return cls(QSettings(path, QSettings.Format.IniFormat))

    def get(self, option: Option[T]) -> T:
        """The stored value, or the default when missing or unreadable."""
        value = self.store.value(option.key, option.default)
        if option.kind is bool and isinstance(value, str):
            return cast(T, value.lower() in ("true", "1"))
        if option.kind in (int, float, str) and not isinstance(value, option.kind):
            try:
                converted: Any = cast(Any, option.kind)(value)
            except (TypeError, ValueError):
                return option.default
            return cast(T, converted)
        return value if isinstance(value, option.kind) else option.default

    def set(self, option: Option[Any], value: Any) -> None:
        """Store a value."""
        self.store.setValue(option.key, value)

    def brief_fonts(self) -> dict[str, Path]:
        """The faces chosen per role for the PDF briefs (only those set)."""
        return {role: Path(self.get(opt)) for role, opt in BRIEF_FONTS.items() if self.get(opt)}

    def sync(self) -> None:
        """Write pending changes to disk."""
        self.store.sync()
