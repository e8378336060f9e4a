"""A date field a clerk can type fast: `20260315`, `2026-03-15`, `2026.3.15`, `2026/3/15`.

Rules:
- Parsing is the workbook's (`app.exchange.cells.parse_date`), so the screen and the import
  accept the same spellings; full-width digits are normalised there too.
- On leaving the field a valid date is rewritten as `YYYY-MM-DD`; an invalid one stays as
  typed, is marked (red border) and its reason is in the tooltip. `iso()` is None when empty;
  `is_valid()` is False only for text that is not a date (empty is valid: optional fields).
- No calendar pop-up on purpose: typing eight digits is faster than clicking.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLineEdit, QWidget

from app.exchange import cells
from ui.i18n import t


class DateLineEdit(QLineEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(t("e.g. 20260315"))
        self.setMaxLength(20)
        self.editingFinished.connect(self.normalise)
        self.textChanged.connect(self._clear_mark)

    def _parse(self) -> date | None:
        return cells.parse_date(self.text())

    def problem(self) -> str | None:
        """Why the text is not a date (Chinese), or None."""
        try:
            self._parse()
        except cells.CellError as exc:
            return str(exc)
        return None

    def is_valid(self) -> bool:
        return self.problem() is None

    def iso(self) -> str | None:
        """The date as `YYYY-MM-DD`, or None when empty or not a date."""
        try:
            parsed = self._parse()
        except cells.CellError:
            return None
        return parsed.isoformat() if parsed else None

    def set_iso(self, value: str | date | None) -> None:
        self.setText(value.isoformat() if isinstance(value, date) else (value or ""))

    def normalise(self) -> None:
        problem = self.problem()
        if problem:
            self.setStyleSheet("QLineEdit { border: 1px solid #c0392b; }")
            self.setToolTip(problem)
            return
        iso = self.iso()
        if iso and iso != self.text():
            self.blockSignals(True)
            self.setText(iso)
            self.blockSignals(False)

    def _clear_mark(self) -> None:
        if self.styleSheet():
            self.setStyleSheet("")
            self.setToolTip("")
