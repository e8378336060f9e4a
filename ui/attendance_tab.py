"""The staff attendance tab (考勤及请销假): month grid, roll call, leave, wall-board posting.

Pages under one month selector (month grid, roll call, leave, posting, staff, calendar and rules).
Under the selector, a yellow band repeats `month.warnings` for the selected month (a year without
holiday data, a month without punches); the posting page refuses such a month with the reason. Everything the tab changes goes through `app.attendance`
(one audited transaction per action), then the pages redraw from the ledger. Importing a
machine file runs off the GUI thread (ui.tasks, own connection). `clock` (a callable returning
now) is an attribute so tests can fix the time; the roll call always uses it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.accounts import User
from app.attendance import month as month_mod
from app.attendance import posting, rules, settings
from app.attendance.importer import import_file
from app.attendance.posting_form import export_month, month_form, posted_date, year_form
from app.errors import LedgerError
from app.exchange.workbook import ImportFailed
from app.ledger import Ledger
from ui import file_dialogs, messages
from ui.attendance_pages import LeavePage, RollCallPage
from ui.attendance_parts import AttendanceHost
from ui.attendance_settings_page import CalendarSettingsPage
from ui.attendance_staff_page import StaffPage
from ui.i18n import t
from ui.tasks import run_with_progress
from ui.widgets.form_preview import FormPreview

COLOURS = {
    rules.ABSENT: "#f4a6a6", rules.LATE: "#ffd27f", rules.LEAVE: "#a9cbf5",
    rules.BUSINESS: "#b7e1b7", rules.REST: "#e4e4e4",
}
SEVERITY = [rules.ABSENT, rules.LATE, rules.LEAVE, rules.BUSINESS]


def symbols() -> dict[str, str]:
    """One character per session status (translated, so the grid reads 迟 旷 公 in Chinese)."""
    return {rules.ON_TIME: "✓", rules.LATE: t("late (symbol)"), rules.ABSENT: t("absent (symbol)"),
            rules.BUSINESS: t("business trip (symbol)"), rules.PENDING: "·", rules.REST: t("rest day (symbol)")}


def session_symbol(result: rules.SessionResult) -> str:
    if result.leave_type:  # taken leave, or approved leave still ahead (pending)
        return result.leave_type[0]
    return symbols()[result.status]


class MonthGrid(QWidget):
    """People × days; each day cell holds the morning and afternoon symbols, coloured by the
    worse of the two (absent > late > leave > business trip); rest days grey, with 值 for duty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.empty_hint = QLabel(t("No staff yet. Use “Import attendance file…” to import a workbook with a "
                                   "“人员” sheet, or load the demo data."), self)
        self.empty_hint.setObjectName("attendanceEmptyHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("padding: 8px; background: #fff8dc; border: 1px solid #e0d090;")
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)
        self.table = QTableWidget(self)
        self.table.setObjectName("attendanceGrid")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setMinimumSectionSize(24)
        layout.addWidget(self.table, 1)
        self.legend = QLabel(self)
        self.legend.setObjectName("attendanceLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.legend)
        self._set_legend()

    def _set_legend(self) -> None:
        marks = symbols()

        def chip(colour: str, text: str) -> str:
            return f"<span style='background:{colour}'>&nbsp;{text}&nbsp;</span>"

        parts = [
            chip("#ffffff", f"{marks[rules.ON_TIME]} {t('on time')}"),
            chip(COLOURS[rules.LATE], f"{marks[rules.LATE]} {t('late')}"),
            chip(COLOURS[rules.ABSENT], f"{marks[rules.ABSENT]} {t('absent')}"),
            chip(COLOURS[rules.LEAVE], t("leave (first character of its type)")),
            chip(COLOURS[rules.BUSINESS], f"{marks[rules.BUSINESS]} {t('business trip')}"),
            chip(COLOURS[rules.REST], f"{marks[rules.REST]} {t('rest day')}, {t('duty (symbol)')} {t('duty')}"),
            f"{marks[rules.PENDING]} {t('not yet due')}",
            t("Each cell: morning then afternoon."),
        ]
        self.legend.setText("&nbsp;&nbsp;".join(parts))

    def show_month(self, sheet: month_mod.MonthSheet) -> None:
        days = [date(sheet.first.year, sheet.first.month, d) for d in range(1, sheet.last.day + 1)]
        self.empty_hint.setVisible(not sheet.people)
        self.table.clear()
        self.table.setRowCount(len(sheet.people))
        self.table.setColumnCount(len(days))
        self.table.setHorizontalHeaderLabels([str(d.day) for d in days])
        self.table.setVerticalHeaderLabels([p.staff.name for p in sheet.people])
        marks = symbols()
        for row, person in enumerate(sheet.people):
            for column, day in enumerate(person.days):
                if not day.working:
                    text = t("duty (symbol)") if day.duty else marks[rules.REST]
                    colour = COLOURS[rules.REST]
                    tip = f"{day.day.isoformat()} {day.holiday_kind or t('weekend')}"
                else:
                    text = "".join(session_symbol(s) for s in day.sessions)
                    statuses = [rules.LEAVE if s.leave_type else s.status for s in day.sessions]
                    worst = next((s for s in SEVERITY if s in statuses), None)
                    colour = COLOURS.get(worst or "", "")
                    tip = day.day.isoformat() + "\n" + "\n".join(
                        f"{s.session}: {s.leave_type or s.status}"
                        + (f" {s.punch:%H:%M:%S}" if s.punch else "") + (f" {s.note}" if s.note else "")
                        for s in day.sessions)
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip(tip)
                if colour:
                    item.setBackground(QBrush(QColor(colour)))
                self.table.setItem(row, column, item)

    def cell_text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item else ""


class PostingPage(QWidget):
    """The wall-board preview (month or year ranking), export, post & lock, reopen."""

    def __init__(self, tab: AttendanceTab) -> None:
        super().__init__(tab)
        self.tab = tab
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.month_choice = QRadioButton(t("Monthly posting"), self)
        self.month_choice.setChecked(True)
        self.year_choice = QRadioButton(t("Year ranking (先进个人)"), self)
        for button in (self.month_choice, self.year_choice):
            button.toggled.connect(lambda _on: self.refresh())
            bar.addWidget(button)
        bar.addStretch(1)
        self.status = QLabel(self)
        self.status.setObjectName("postingStatus")
        bar.addWidget(self.status)
        self.export_button = QPushButton(t("Export PDF and Excel…"), self)
        self.export_button.setObjectName("exportPosting")
        self.export_button.clicked.connect(self.export)
        self.print_button = QPushButton(t("Print…"), self)
        self.print_button.setObjectName("printPosting")
        self.print_button.clicked.connect(self.print_posting)
        self.post_button = QPushButton(t("Post and lock the month"), self)
        self.post_button.setObjectName("postMonth")
        self.post_button.clicked.connect(self.post)
        self.reopen_button = QPushButton(t("Reopen…"), self)
        self.reopen_button.setObjectName("reopenMonth")
        self.reopen_button.clicked.connect(self.reopen)
        for button in (self.export_button, self.print_button, self.post_button, self.reopen_button):
            bar.addWidget(button)
        layout.addLayout(bar)
        self.preview = FormPreview(self)
        self.preview.setObjectName("postingPreview")
        layout.addWidget(self.preview, 1)

    def refresh(self) -> None:
        ledger, code = self.tab.ledger, self.tab.month_code()
        if self.year_choice.isChecked():
            year = int(code[:4])
            rows, months = month_mod.year_ranking(ledger.db, year)
            self.preview.set_form(year_form(rows, months, year, ledger.office_name))
        else:
            document = month_mod.document(ledger.db, code, self.tab.clock())
            self.preview.set_form(month_form(document, ledger.office_name, settings.load(ledger.db),
                                             posted_date(ledger.db, code)))
        state = posting.status(ledger.db, code)
        if state["locked"]:
            self.status.setText(t("Posted and locked on {when}").format(when=state["posted_at"]))
        elif state["reopen_reason"]:
            self.status.setText(t("Reopened: {reason}").format(reason=state["reopen_reason"]))
        else:
            self.status.setText(t("Not posted yet"))
        may_lock = self.tab.user.may("lock_attendance_month")
        self.post_button.setEnabled(may_lock and not state["locked"])
        self.reopen_button.setEnabled(may_lock and state["locked"])

    def export(self) -> None:
        folder = self.tab.choose_folder(t("Folder for the posting files"))
        if not folder:
            return
        try:
            if self.year_choice.isChecked():
                pdf, xlsx = self._export_year(Path(folder))
            else:
                pdf, xlsx, warnings = export_month(self.tab.ledger, self.tab.month_code(), folder, self.tab.clock())
                if warnings:
                    messages.warning(self, "\n".join(warnings))
        except (LedgerError, OSError) as exc:
            messages.error(self, str(exc))
            return
        self.tab.last_export = (pdf, xlsx)
        messages.info(self, t("Written:\n{pdf}\n{xlsx}").format(pdf=pdf, xlsx=xlsx))

    def print_posting(self):
        """打印…: the wall-board form shown (month or year ranking) in the print preview."""
        from ui.print_preview import print_forms

        if self.preview.form is None:
            return None
        self.print_task = print_forms(self, [self.preview.form], self.preview.form.title)
        return self.print_task

    def _export_year(self, folder: Path) -> tuple[Path, Path]:
        from app.attendance.posting_form import export_year

        return export_year(self.tab.ledger, int(self.tab.month_code()[:4]), folder)

    def post(self) -> None:
        code = self.tab.month_code()
        if not messages.confirm(self, t("Post {month} on the wall board and lock it? After posting, nothing "
                                        "dated in that month can be changed until it is reopened.").format(month=code)):
            return
        try:
            posting.post(self.tab.ledger, code, self.tab.user, self.tab.clock())
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.tab.refresh()

    def reopen(self) -> None:
        reason = self.tab.ask_text(t("Reopen the month"), t("Why must the posted month be reopened?"))
        if reason is None:
            return
        try:
            posting.reopen(self.tab.ledger, self.tab.month_code(), reason, self.tab.user)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.tab.refresh()


class AttendanceTab(AttendanceHost):
    """The attendance tab: `AttendanceTab(ledger, user, parent)` (see the module docstring)."""

    def __init__(self, ledger: Ledger, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.user = user
        self.clock: Callable[[], datetime] = datetime.now
        self.last_export: tuple[Path, Path] | None = None
        self._task = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(t("Month:"), self))
        self.month_edit = QDateEdit(self)
        self.month_edit.setObjectName("attendanceMonth")
        self.month_edit.setDisplayFormat("yyyy-MM")
        today = date.today()
        self.month_edit.setDate(QDate(today.year, today.month, 1))
        self.month_edit.dateChanged.connect(lambda _d: self.refresh())
        bar.addWidget(self.month_edit)
        self.import_button = QPushButton(t("Import attendance file…"), self)
        self.import_button.setObjectName("importAttendance")
        self.import_button.setToolTip(t("Attendance-machine export (CSV or Excel: 工号, 姓名, 打卡时间) or the "
                                        "attendance workbook (人员, 作息时间, 打卡, 请假, 值班, 节假日)"))
        self.import_button.clicked.connect(self.import_dialog)
        self.import_button.setEnabled(user.may("manage_attendance"))
        bar.addWidget(self.import_button)
        refresh = QPushButton(t("Refresh"), self)
        refresh.clicked.connect(self.refresh)
        refresh.setObjectName("attendanceRefresh")
        refresh.setShortcut("F5")  # active only while this tab is shown
        refresh.setToolTip(t("Shortcut: {key}").format(key="F5"))
        bar.addWidget(refresh)
        bar.addStretch(1)
        self.summary = QLabel(self)
        self.summary.setObjectName("attendanceSummary")
        bar.addWidget(self.summary)
        layout.addLayout(bar)
        self.warnings = QLabel(self)
        self.warnings.setObjectName("attendanceWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("padding: 6px; background: #fff3cd; border: 1px solid #e0b040; color: #7a4b00;")
        self.warnings.hide()
        layout.addWidget(self.warnings)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("attendancePages")
        self.grid = MonthGrid(self)
        self.roll_call = RollCallPage(self)
        self.leave = LeavePage(self)
        self.posting = PostingPage(self)
        self.staff_page = StaffPage(self)
        self.calendar_page = CalendarSettingsPage(self)
        self.pages.addTab(self.grid, t("Month grid"))
        self.pages.addTab(self.roll_call, t("Roll call"))
        self.pages.addTab(self.leave, t("Leave"))
        self.pages.addTab(self.posting, t("Posting"))
        self.pages.addTab(self.staff_page, t("Staff"))
        self.pages.addTab(self.calendar_page, t("Calendar and rules"))
        layout.addWidget(self.pages, 1)
        self.leave.set_default_days(self.clock().date())
        self.refresh()

    # ---- shared helpers (tests replace the two dialogs) ------------------------------------
    def month_code(self) -> str:
        value = self.month_edit.date()
        return f"{value.year():04d}-{value.month():02d}"

    def set_month(self, code: str) -> None:
        first, _ = month_mod.month_bounds(code)
        self.month_edit.setDate(QDate(first.year, first.month, 1))

    def choose_folder(self, title: str) -> str:
        return file_dialogs.choose_folder(self, title)

    def choose_file(self) -> str:
        path = file_dialogs.open_file(self, t("Import attendance file"), t("Attendance files (*.csv *.xlsx)"))
        return path

    def ask_text(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text if ok else None

    # ---- actions ---------------------------------------------------------------------------
    def refresh(self) -> None:
        sheet = month_mod.compute(self.ledger.db, self.month_code(), self.clock())
        self.grid.show_month(sheet)
        people = len(sheet.people)
        late = sum(p.figures.late for p in sheet.people)
        absent = sum(p.figures.absent_sessions for p in sheet.people)
        self.summary.setText(t("{people} people · {late} late · {absent} absent sessions").format(
            people=people, late=late, absent=absent))
        problems = month_mod.warnings(self.ledger.db, self.month_code())
        self.warnings.setText("\n".join(f"⚠ {p}" for p in problems))
        self.warnings.setVisible(bool(problems))
        self.roll_call.refresh()
        self.leave.refresh()
        self.posting.refresh()
        self.staff_page.refresh()
        self.calendar_page.refresh()

    def import_dialog(self) -> None:
        path = self.choose_file()
        if path:
            self.import_path(path)

    def import_path(self, path: str) -> None:
        """Import in the background behind a progress dialog; the result is reported in a box."""
        def work(_progress, ledger: Ledger, file: str):
            with ledger.worker() as view:
                return import_file(view, file)

        def done(result) -> None:
            lines = [t("Imported ({kind}):").format(kind=result.kind)]
            for name, summary in result.sheets.items():
                lines.append(t("{sheet}: {inserted} new, {updated} updated, {unchanged} unchanged").format(
                    sheet=name, inserted=summary.inserted, updated=summary.updated, unchanged=summary.unchanged))
            lines.extend(str(w) for w in result.warnings[:20])
            self.refresh()
            messages.info(self, "\n".join(lines))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ImportFailed):
                messages.error(self, str(exc))
            else:
                messages.error(self, str(exc) if isinstance(exc, LedgerError) else repr(exc))

        self._task = run_with_progress(self, t("Importing attendance file"), work, self.ledger, path,
                                       on_success=done, on_error=failed)
