"""Attendance page: the holiday calendar (法定节假日 / 调休上班, editable, seeded from the built-in
calendar), the work schedules by date range, and the attendance settings (amounts, thresholds).

The built-in table knows the years announced when the program shipped; for a later year the page
says so and offers “手工录入放假安排”: a button that explains what to type (each day of the
State Council's notice) and opens that year in the add form (January of the year selected, the
date field focused). Each row's 来源 reads in Chinese (`calendar.source_label`).

Calendar and schedules need `manage_attendance`; settings need `manage_settings`. Every change
goes through `app.attendance` (audited; refused for posted months)."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.attendance import calendar, schedules, settings
from app.errors import LedgerError
from ui import messages
from ui.attendance_parts import AttendanceHost, make_table, py_date, table_item
from ui.i18n import t


class CalendarSettingsPage(QWidget):
    def __init__(self, tab: AttendanceHost) -> None:
        super().__init__(tab)
        self.tab = tab
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        self.year_label = QLabel(self)
        left.addWidget(self.year_label)
        self.missing_hint = QLabel(self)
        self.missing_hint.setObjectName("holidayMissingHint")
        self.missing_hint.setWordWrap(True)
        self.missing_hint.setStyleSheet("padding: 6px; background: #fff3cd; border: 1px solid #e0b040;")
        self.missing_hint.hide()
        left.addWidget(self.missing_hint)
        self.holidays = make_table(self, "holidayTable", [t("Date"), t("Kind"), t("Holiday name"), t("Source")])
        left.addWidget(self.holidays, 1)
        edit_row = QHBoxLayout()
        self.day = QDateEdit(self)
        self.day.setObjectName("holidayDay")
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        self.kind = QComboBox(self)
        self.kind.setObjectName("holidayKind")
        self.kind.addItems(list(calendar.KINDS))
        self.name = QLineEdit(self)
        self.name.setObjectName("holidayName")
        self.name.setPlaceholderText(t("Holiday name"))
        self.set_button = QPushButton(t("Set day"), self)
        self.set_button.setObjectName("setHoliday")
        self.set_button.clicked.connect(self.set_day)
        self.clear_button = QPushButton(t("Make ordinary"), self)
        self.clear_button.setObjectName("clearHoliday")
        self.clear_button.clicked.connect(self.clear_day)
        for widget in (self.day, self.kind, self.name, self.set_button, self.clear_button):
            edit_row.addWidget(widget)
        left.addLayout(edit_row)
        self.seed_button = QPushButton(t("Fill this year from the built-in calendar"), self)
        self.seed_button.setObjectName("seedYear")
        self.seed_button.clicked.connect(self.seed_year)
        self.by_hand_button = QPushButton(self)
        self.by_hand_button.setObjectName("enterYearByHand")
        self.by_hand_button.clicked.connect(self.enter_year_by_hand)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed_button)
        seed_row.addWidget(self.by_hand_button)
        seed_row.addStretch(1)
        left.addLayout(seed_row)
        outer.addLayout(left, 3)

        right = QVBoxLayout()
        schedule_box = QGroupBox(t("Work hours from a date (summer / winter)"), self)
        schedule_layout = QVBoxLayout(schedule_box)
        self.schedules = make_table(schedule_box, "scheduleTable", [t("From"), t("Morning"), t("Afternoon")])
        schedule_layout.addWidget(self.schedules)
        form = QFormLayout()
        self.valid_from = QDateEdit(schedule_box)
        self.valid_from.setObjectName("scheduleFrom")
        self.valid_from.setDisplayFormat("yyyy-MM-dd")
        self.valid_from.setCalendarPopup(True)
        self.times = []
        for name, default in (("amStart", time(8)), ("amEnd", time(12)), ("pmStart", time(14, 30)),
                              ("pmEnd", time(17, 30))):
            edit = QTimeEdit(QTime(default.hour, default.minute), schedule_box)
            edit.setObjectName(name)
            edit.setDisplayFormat("HH:mm")
            self.times.append(edit)
        morning, afternoon = QHBoxLayout(), QHBoxLayout()
        morning.addWidget(self.times[0])
        morning.addWidget(QLabel("–"))
        morning.addWidget(self.times[1])
        afternoon.addWidget(self.times[2])
        afternoon.addWidget(QLabel("–"))
        afternoon.addWidget(self.times[3])
        form.addRow(t("From"), self.valid_from)
        form.addRow(t("Morning"), morning)
        form.addRow(t("Afternoon"), afternoon)
        self.schedule_button = QPushButton(t("Save work hours"), schedule_box)
        self.schedule_button.setObjectName("saveSchedule")
        self.schedule_button.clicked.connect(self.save_schedule)
        form.addRow(self.schedule_button)
        schedule_layout.addLayout(form)
        right.addWidget(schedule_box)

        settings_box = QGroupBox(t("Rules and amounts"), self)
        settings_form = QFormLayout(settings_box)
        self.setting_edits: dict[str, QLineEdit] = {}
        for key, label in settings.LABELS.items():
            edit = QLineEdit(settings_box)
            edit.setObjectName(f"setting_{key}")
            self.setting_edits[key] = edit
            settings_form.addRow(label, edit)
        self.settings_button = QPushButton(t("Save settings"), settings_box)
        self.settings_button.setObjectName("saveSettings")
        self.settings_button.clicked.connect(self.save_settings)
        settings_form.addRow(self.settings_button)
        right.addWidget(settings_box)
        right.addStretch(1)
        outer.addLayout(right, 2)

    def year(self) -> int:
        return int(self.tab.month_code()[:4])

    def refresh(self) -> None:
        db, year = self.tab.ledger.db, self.year()
        self.year_label.setText(t("Holidays and swapped working days of {year}").format(year=year))
        rows = calendar.holiday_rows(db, year)
        self.holidays.setRowCount(len(rows))
        for row, entry in enumerate(rows):
            for column, key in enumerate(("day", "kind", "name", "source")):
                text = calendar.source_label(entry[key]) if key == "source" else str(entry[key])
                self.holidays.setItem(row, column, table_item(text))
        self.missing_hint.setText(calendar.missing_year_message(year))
        self.missing_hint.setVisible(not calendar.year_has_data(db, year))
        self.by_hand_button.setText(t("Enter the holidays of {year} by hand…").format(year=self.hand_year()))

        all_schedules = schedules.load(db)
        self.schedules.setRowCount(len(all_schedules))
        for row, schedule in enumerate(all_schedules):
            values = schedule.as_row()
            self.schedules.setItem(row, 0, table_item(values["valid_from"]))
            self.schedules.setItem(row, 1, table_item(f"{values['am_start']}–{values['am_end']}"))
            self.schedules.setItem(row, 2, table_item(f"{values['pm_start']}–{values['pm_end']}"))
        current = settings.load(db).as_dict()
        for key, edit in self.setting_edits.items():
            edit.setText("是" if key == "strict_early_punch" and current[key] == "1" else
                         "否" if key == "strict_early_punch" else current[key])
        may_calendar = self.tab.user.may("manage_attendance")
        for widget in (self.set_button, self.clear_button, self.schedule_button, self.by_hand_button):
            widget.setEnabled(may_calendar)
        self.seed_button.setEnabled(may_calendar and year in calendar.builtin_years())
        self.settings_button.setEnabled(self.tab.user.may("manage_settings"))
        if self.day.date().year() != year:
            self.day.setDate(QDate(year, 1, 1))
            self.valid_from.setDate(QDate(year, 1, 1))

    def hand_year(self) -> int:
        """The year to type in: the selected one when the ledger has no data for it, else the
        first year after the built-in table (next year's notice comes out each winter)."""
        year = self.year()
        if not calendar.year_has_data(self.tab.ledger.db, year):
            return year
        known = calendar.builtin_years()
        return max(year + 1, known[-1] + 1) if known else year + 1

    def enter_year_by_hand(self) -> None:
        """Explain what to type, then open the year in the add form (date field focused)."""
        year = self.hand_year()
        messages.info(self, t(
            "To enter the holidays of {year} by hand, take the State Council's notice (国务院办公厅关于{year}年"
            "部分节假日安排的通知) and, for every day it lists: choose the date, choose “法定节假日” for a day "
            "off or “调休上班” for a weekend day worked, type the holiday's name and press “Set day”. "
            "Weekends need no entry. The page now shows {year}.").format(year=year))
        if self.year() != year:
            self.tab.set_month(f"{year:04d}-01")
        self.day.setDate(QDate(year, 1, 1))
        self.kind.setCurrentText(calendar.STATUTORY)
        self.name.setText(t("New Year's Day (元旦)"))
        self.day.setFocus()

    def _run(self, action) -> None:
        try:
            action()
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.tab.refresh()

    def set_day(self) -> None:
        self._run(lambda: calendar.set_day(self.tab.ledger, py_date(self.day), self.kind.currentText(),
                                           self.name.text().strip()))

    def clear_day(self) -> None:
        self._run(lambda: calendar.clear_day(self.tab.ledger, py_date(self.day)))

    def seed_year(self) -> None:
        def seed() -> None:
            added = calendar.seed_year(self.tab.ledger, self.year())
            messages.info(self, t("{count} days added; days entered by hand were kept.").format(count=added))
        self._run(seed)

    def save_schedule(self) -> None:
        clocks = [time(e.time().hour(), e.time().minute()) for e in self.times]
        schedule = schedules.Schedule(py_date(self.valid_from), *clocks)
        self._run(lambda: schedules.set_schedule(self.tab.ledger, schedule))

    def save_settings(self) -> None:
        def save() -> None:
            current = settings.load(self.tab.ledger.db).as_dict()
            changes = {}
            for key, edit in self.setting_edits.items():
                value = edit.text().strip()
                if key == "strict_early_punch":
                    value = "1" if value in {"是", "1", "开"} else "0" if value in {"否", "0", "关", ""} else value
                if value != current[key]:
                    changes[key] = value
            if changes:
                settings.save_many(self.tab.ledger, changes)
        self._run(save)

