"""A small base for the shell's form dialogs: fields, a red error line, 确定/取消.

Rule: pressing 确定 calls `submit()`; a LedgerError it raises (its message is Chinese) is
shown in the error line and the dialog stays open with what was typed; anything else closes
the dialog with accept().
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import LedgerError


class FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        outer = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.hide()
        outer.addWidget(self.intro)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        outer.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    def set_intro(self, text: str) -> None:
        self.intro.setText(text)
        self.intro.show()

    def add_row(self, label: str, widget: QWidget, name: str | None = None) -> QWidget:
        if name:
            widget.setObjectName(name)
        self.form.addRow(label, widget)
        return widget

    def password_field(self, label: str, name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_row(label, field, name)
        return field

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def submit(self) -> None:
        """Do the dialog's work; raise LedgerError (Chinese message) to keep it open."""

    def _on_ok(self) -> None:
        try:
            self.submit()
        except LedgerError as exc:
            self.show_error(str(exc))
            return
        self.accept()
