"""关于试点案例库: the version, where the library lives, the Qt in use and the licences of what ships.

The licences are those of ``resources/licenses`` (gathered by ``packaging/licenses.py``): a list of
components with their licence, and the text of the one selected.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.paths import resources_dir
from desktop.ui.app_icon import app_icon


@dataclass(frozen=True)
class Licence:
    """One shipped component and its licence texts."""

    component: str
    license: str
    purpose: str
    homepage: str
    files: tuple[Path, ...]
    note: str

    def text(self) -> str:
        """The notes and every licence text of the component, one after another."""
        parts = [f"{self.component} — {self.license}", self.homepage]
        if self.note:
            parts.append(self.note)
        for path in self.files:
            parts += ["", "=" * 60, path.name, "=" * 60, path.read_text(encoding="utf-8")]
        return "\n".join(parts)


def licences_dir() -> Path:
    """The folder with the licence texts and their index."""
    return resources_dir() / "licenses"


def shipped_licences() -> list[Licence]:
    """The components listed in ``licenses.json`` (empty when the folder is missing)."""
    folder = licences_dir()
    try:
        entries = json.loads((folder / "licenses.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    return [
        Licence(
            component=e["component"],
            license=e["license"],
            purpose=e["purpose"],
            homepage=e["homepage"],
            files=tuple(folder / name for name in e["files"]),
            note=e.get("note", ""),
        )
        for e in entries
    ]


class AboutDialog(QDialog):
    """Version, library location with a button to open its folder, Qt version, licences."""

    def __init__(self, library: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.setWindowTitle(self.tr("关于试点案例库"))
        self.resize(860, 620)

        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        name = QLabel(self.tr("试点案例库 · Pilot Casebook"))
        title_font = name.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.5)
        title_font.setBold(True)
        name.setFont(title_font)
        summary = QLabel(self.tr("试点、探索事项与典型案例的离线案例库，一地创新、全省共享。"))
        summary.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(name)
        heading.addWidget(summary)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.version_label = QLabel(__version__)
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.library_label = QLabel(str(library))
        self.library_label.setWordWrap(True)
        self.library_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.library_label.setAccessibleName(self.tr("案例库位置"))
        self.open_folder_button = QPushButton(self.tr("打开所在文件夹"))
        self.open_folder_button.clicked.connect(self.open_library_folder)
        where = QHBoxLayout()
        where.addWidget(self.library_label, 1)
        where.addWidget(self.open_folder_button)
        self.qt_label = QLabel(f"Qt {qVersion()} · PySide6 {PySide6.__version__} · Python {sys.version.split()[0]}")
        facts = QFormLayout()
        facts.addRow(self.tr("版本："), self.version_label)
        facts.addRow(self.tr("案例库："), where)
        facts.addRow(self.tr("运行环境："), self.qt_label)

        notice = QLabel(
            self.tr(
                "本软件使用 Qt 与 PySide6（GNU LGPL 3.0）、ReportLab（BSD 许可证），随附 Noto 中文字体"
                "（SIL Open Font License 1.1）及下列开源组件。选中一项可查看许可证全文。"
            )
        )
        notice.setWordWrap(True)
        self.license_list = QListWidget()
        self.license_list.setAccessibleName(self.tr("开源组件"))
        self.license_text = QPlainTextEdit()
        self.license_text.setReadOnly(True)
        self.license_text.setAccessibleName(self.tr("许可证全文"))
        self.license_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.licences = shipped_licences()
        for licence in self.licences:
            item = QListWidgetItem(f"{licence.component}  ·  {licence.license}")
            item.setToolTip(licence.purpose)
            self.license_list.addItem(item)
        self.license_list.currentRowChanged.connect(self._show_licence)
        split = QSplitter()
        split.addWidget(self.license_list)
        split.addWidget(self.license_text)
        split.setSizes([300, 560])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(facts)
        layout.addWidget(notice)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        if self.licences:
            self.license_list.setCurrentRow(0)
        else:
            self.license_text.setPlainText(self.tr("找不到许可证文件：{p}").format(p=licences_dir()))

    def _show_licence(self, row: int) -> None:
        if 0 <= row < len(self.licences):
            self.license_text.setPlainText(self.licences[row].text())

    def open_library_folder(self) -> None:
        """Show the folder holding the library file in the system's file manager."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.library.parent)))
