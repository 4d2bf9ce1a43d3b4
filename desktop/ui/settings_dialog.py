"""The settings dialog: who is editing (recorded on every change), the briefs' default compiling
unit, the interface language and the font size."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.services.briefs import BriefService
from desktop.services.context import Editor
from desktop.ui.i18n import current_language
from desktop.ui.settings import (
    BRIEF_FONTS,
    BRIEF_UNIT,
    EDITOR_NAME,
    EDITOR_UNIT,
    FONT_SIZE,
    LANGUAGE,
    LANGUAGES,
    Settings,
)

FONT_SIZE_MIN = 8
FONT_SIZE_MAX = 20


@dataclass(frozen=True)
class SettingsValues:
    """What the dialog holds: the editor, the briefs' unit, the language and the font size."""

    name: str
    unit: str
    brief_unit: str
    language: str
    font_size: int

    @property
    def editor(self) -> Editor:
        """The editor recorded on the records changed from now on."""
        return Editor(self.name, self.unit)


class SettingsDialog(QDialog):
    """Edit the settings; OK writes them to the ``Settings`` store, Cancel leaves it untouched."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("设置"))
        self._running_language = current_language() or settings.get(LANGUAGE)

        self.name_edit = QLineEdit(settings.get(EDITOR_NAME))
        self.name_edit.setAccessibleName(self.tr("姓名"))
        self.unit_edit = QLineEdit(settings.get(EDITOR_UNIT))
        self.unit_edit.setAccessibleName(self.tr("单位"))
        self.unit_edit.setPlaceholderText(self.tr("如：淳安县农业农村局"))
        editor_note = QLabel(self.tr("您新建或修改的记录上会注明此姓名和单位。"))
        editor_note.setWordWrap(True)
        editor_box = QGroupBox(self.tr("修改人"))
        editor_form = QFormLayout(editor_box)
        editor_form.addRow(editor_note)
        self._add_row(editor_form, self.tr("姓名(&N)"), self.name_edit)
        self._add_row(editor_form, self.tr("单位(&U)"), self.unit_edit)

        self.brief_unit_edit = QLineEdit(settings.get(BRIEF_UNIT))
        self.brief_unit_edit.setAccessibleName(self.tr("简报默认编印单位"))
        brief_box = QGroupBox(self.tr("简报"))
        brief_form = QFormLayout(brief_box)
        self._add_row(brief_form, self.tr("默认编印单位(&B)"), self.brief_unit_edit)
        font_note = QLabel(self.tr("可为各字体角色选用 .ttf/.ttc 字体；留空则用本机公文字体，没有则用开源字体。"))
        font_note.setWordWrap(True)
        brief_form.addRow(font_note)
        self.font_edits: dict[str, QLineEdit] = {}
        role_labels = {
            "body": self.tr("正文（仿宋）"),
            "heading": self.tr("一级标题（黑体）"),
            "kai": self.tr("二级标题与编者按（楷体）"),
            "title": self.tr("标题与报头（小标宋）"),
            "song": self.tr("页码（宋体）"),
        }
        self.font_in_use: dict[str, QLabel] = {}  # role → the face an export really uses
        self._fonts_timer = QTimer(self)  # said again a moment after the user stops typing a path
        self._fonts_timer.setSingleShot(True)
        self._fonts_timer.setInterval(250)
        self._fonts_timer.timeout.connect(self._show_fonts_in_use)
        for role, option in BRIEF_FONTS.items():
            edit = QLineEdit(settings.get(option))
            edit.setPlaceholderText(self.tr("自动"))
            edit.setAccessibleName(role_labels[role])
            choose = QPushButton(self.tr("选择…"))
            choose.setAccessibleName(self.tr("选择字体文件"))
            choose.clicked.connect(lambda _checked=False, e=edit: self._choose_font(e))
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(choose)
            self._add_row(brief_form, role_labels[role], edit, row)
            in_use = QLabel()
            in_use.setWordWrap(True)
            in_use.setEnabled(False)  # drawn in the quieter colour of a hint
            brief_form.addRow("", in_use)
            edit.textChanged.connect(self._fonts_timer.start)
            self.font_edits[role] = edit
            self.font_in_use[role] = in_use
        self._show_fonts_in_use()

        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(self.tr("界面语言"))
        for code, label in LANGUAGES.items():  # each language named in its own words, untranslated
            self.language_combo.addItem(label, code)
        index = self.language_combo.findData(settings.get(LANGUAGE))
        self.language_combo.setCurrentIndex(max(index, 0))
        self.restart_note = QLabel(self.tr("重启后生效"))
        self.restart_note.setAccessibleName(self.tr("界面语言重启后生效"))
        self.font_size_spin = QSpinBox()
        self.font_size_spin.setRange(FONT_SIZE_MIN, FONT_SIZE_MAX)
        self.font_size_spin.setSuffix(self.tr(" 磅"))
        self.font_size_spin.setValue(min(max(settings.get(FONT_SIZE), FONT_SIZE_MIN), FONT_SIZE_MAX))
        self.font_size_spin.setAccessibleName(self.tr("字号"))
        ui_box = QGroupBox(self.tr("界面"))
        ui_form = QFormLayout(ui_box)
        language_row = QHBoxLayout()
        language_row.addWidget(self.language_combo)
        language_row.addWidget(self.restart_note)
        language_row.addStretch(1)
        self._add_row(ui_form, self.tr("界面语言(&L)"), self.language_combo, language_row)
        size_row = QHBoxLayout()
        size_row.addWidget(self.font_size_spin)
        size_row.addStretch(1)
        self._add_row(ui_form, self.tr("字号(&S)"), self.font_size_spin, size_row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(editor_box)
        layout.addWidget(brief_box)
        layout.addWidget(ui_box)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

        self.language_combo.currentIndexChanged.connect(self._update_restart_note)
        self._update_restart_note()

    @staticmethod
    def _add_row(form: QFormLayout, text: str, buddy: QWidget, field: QLayout | None = None) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        if field is None:
            form.addRow(label, buddy)
        else:
            form.addRow(label, field)
        return label

    def _choose_font(self, edit: QLineEdit) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择字体文件"), edit.text(), self.tr("TrueType 字体 (*.ttf *.ttc *.TTF *.TTC)")
        )
        if path:
            edit.setText(path)

    def _show_fonts_in_use(self) -> None:
        """Under each font role, the face an export will use with the files as the fields name them."""
        chosen = {role: Path(edit.text().strip()) for role, edit in self.font_edits.items() if edit.text().strip()}
        for role, text in BriefService.faces(chosen).items():
            self.font_in_use[role].setText(self.tr("现用：{face}").format(face=text))

    def _update_restart_note(self) -> None:
        self.restart_note.setVisible(self.language_combo.currentData() != self._running_language)

    def values(self) -> SettingsValues:
        """The values as edited (trimmed), whether or not they were saved yet."""
        return SettingsValues(
            name=self.name_edit.text().strip(),
            unit=self.unit_edit.text().strip(),
            brief_unit=self.brief_unit_edit.text().strip(),
            language=str(self.language_combo.currentData()),
            font_size=self.font_size_spin.value(),
        )

    def accept(self) -> None:
        """Write the values to the settings store, then close."""
        values = self.values()
        self.settings.set(EDITOR_NAME, values.name)
        self.settings.set(EDITOR_UNIT, values.unit)
        self.settings.set(BRIEF_UNIT, values.brief_unit)
        self.settings.set(LANGUAGE, values.language)
        self.settings.set(FONT_SIZE, values.font_size)
        for role, edit in self.font_edits.items():
            self.settings.set(BRIEF_FONTS[role], edit.text().strip())
        self.settings.sync()
        super().accept()


def apply_font_size(point_size: int) -> None:
    """Set the application font to ``point_size``, keeping its family (takes effect at once)."""
    font = QApplication.font()
    font.setPointSize(point_size)
    QApplication.setFont(font)


def edit_settings(settings: Settings, parent: QWidget | None = None) -> SettingsValues | None:
    """Show the dialog; after OK apply the font size at once and return the saved values, else None.

    The caller hands ``values.editor`` to the open library; a new language applies after a restart.
    """
    dialog = SettingsDialog(settings, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        values = dialog.values()
    finally:
        dialog.deleteLater()
    apply_font_size(values.font_size)
    return values


class WelcomeDialog(QDialog):
    """First start: who is editing. The name and unit are written on every record the user touches
    and the unit is the briefs' default compiling unit; without them records would say 本机用户."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("欢迎使用试点案例库"))
        intro = QLabel(
            self.tr(
                "请填写您的姓名和单位。您新建或修改的案例、试点上会注明修改人；单位也是简报默认的编印单位。"
                "以后可在“设置”中修改。"
            )
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(settings.get(EDITOR_NAME))
        self.name_edit.setAccessibleName(self.tr("姓名"))
        self.name_edit.setPlaceholderText(self.tr("如：张三"))
        self.unit_edit = QLineEdit(settings.get(EDITOR_UNIT))
        self.unit_edit.setAccessibleName(self.tr("单位"))
        self.unit_edit.setPlaceholderText(self.tr("如：淳安县农业农村局"))
        form = QFormLayout()
        SettingsDialog._add_row(form, self.tr("姓名(&N)"), self.name_edit)
        SettingsDialog._add_row(form, self.tr("单位(&U)"), self.unit_edit)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(self.tr("开始使用"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.later_button = self.buttons.addButton(self.tr("以后再说"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.ok_button.setDefault(True)
        self.name_edit.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)
        self._update_ok()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.name_edit.text().strip()))

    def accept(self) -> None:
        """Keep the name and unit; the unit becomes the briefs' compiling unit if none is set yet."""
        name, unit = self.name_edit.text().strip(), self.unit_edit.text().strip()
        if not name:
            return
        self.settings.set(EDITOR_NAME, name)
        self.settings.set(EDITOR_UNIT, unit)
        if unit and not self.settings.get(BRIEF_UNIT):
            self.settings.set(BRIEF_UNIT, unit)
        self.settings.sync()
        super().accept()


def welcome_if_unknown(settings: Settings, parent: QWidget | None = None) -> bool:
    """On a start without an editor's name, ask for it (the user may put it off until the next
    start). Returns whether the name is known afterwards."""
    if settings.get(EDITOR_NAME).strip():
        return True
    dialog = WelcomeDialog(settings, parent)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()
    return bool(settings.get(EDITOR_NAME).strip())
