"""Small widgets shared by the editors: an optional date, the colour of field errors."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject
from PySide6.QtWidgets import QDateEdit, QWidget

#: The red of validation messages and invalid fields.
ERROR_RED = "#c62828"


class OptionalDateEdit(QDateEdit):
    """A date that may be left blank: the lowest date stands for 未填."""

    BLANK = QDate(1900, 1, 1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(self.BLANK)
        self.setSpecialValueText(self.tr("未填"))
        self.setDate(self.BLANK)
        self.calendarWidget().installEventFilter(self)

    def value(self) -> date | None:
        """The date, or None when blank."""
        d = self.date()
        return None if d == self.BLANK else date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        """Show a date, or 未填 for None."""
        self.setDate(QDate(value.year, value.month, value.day) if value else self.BLANK)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.calendarWidget() and event.type() == QEvent.Type.Show and self.value() is None:
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)
