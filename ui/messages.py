"""Message boxes in Chinese (Qt's own buttons come from qtbase_zh_CN: 确定/取消/是/否).

Every blocking box of the shell goes through these four functions so tests can replace them
(`monkeypatch.setattr(messages, "confirm", ...)`) instead of waiting on a modal loop.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.i18n import t


def error(parent: QWidget | None, text: str, title: str | None = None) -> None:
    QMessageBox.critical(parent, title or t("Error"), text)


def warning(parent: QWidget | None, text: str, title: str | None = None) -> None:
    QMessageBox.warning(parent, title or t("Warning"), text)


def info(parent: QWidget | None, text: str, title: str | None = None) -> None:
    QMessageBox.information(parent, title or t("Information"), text)


def confirm(parent: QWidget | None, text: str, title: str | None = None, danger: bool = False) -> bool:
    """Yes/No question; No is the default button (a stray Enter never destroys anything)."""
    ask = QMessageBox.warning if danger else QMessageBox.question
    answer = ask(parent, title or t("Please confirm"), text,
                 QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                 QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
