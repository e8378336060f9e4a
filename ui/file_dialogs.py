"""File and folder dialogs that open where the clerk last saved, exported or printed.

Rules: every export/save/open dialog of the tabs goes through these three functions; they start
in `ui.settings.last_folder()` (unless the caller names a start folder) and remember the chosen
file's folder. Qt's dialogs read Chinese (qtbase_zh_CN plus resources/i18n/qtdialogs_zh_CN.ts).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from ui import settings as ui_settings


def choose_folder(parent: QWidget | None, title: str, start: str = "") -> str:
    folder = QFileDialog.getExistingDirectory(parent, title, start or ui_settings.last_folder())
    if folder:
        ui_settings.remember_folder(folder)
    return folder


def save_file(parent: QWidget | None, title: str, file_name: str, filters: str) -> str:
    start = str(Path(ui_settings.last_folder()) / file_name) if ui_settings.last_folder() else file_name
    path, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
    if path:
        ui_settings.remember_folder(Path(path).parent)
    return path


def open_file(parent: QWidget | None, title: str, filters: str, start: str = "") -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, start or ui_settings.last_folder(), filters)
    if path:
        ui_settings.remember_folder(Path(path).parent)
    return path
