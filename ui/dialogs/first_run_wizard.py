"""First run (首次使用向导): make a new ledger — office, statistical year, units, administrator, demo.

Pages, in order: 单位名称、办公室级别（乡镇/街道 or 区/县, the ledger setting `office_level`,
app/district/level.py）与统计年度 → 单位设置 (ui.dialogs.first_run_units) → 管理员账户 →
确认 (the commit page: its button 创建台帐 creates the ledger) → 完成 (where the data lives,
and the demo data's progress when it was chosen).

Rules:
- Nothing is written before 创建台帐: every page checks its input when it is left (a workbook's
  单位 sheet is trial-imported into a throw-away ledger in a temporary folder). Cancelling at
  any page before that leaves no file behind.
- 创建台帐 does everything in one go: app.ledger.Ledger.create, the administrator (role 管理员,
  app.accounts.add_account: the ledger's first account, which needs no login, audited 创建用户
  under the OS-level actor `gui:<user>` since nobody is signed in yet; the password is only
  stored as a scrypt hash — never logged nor audited), then, signed in as that administrator,
  the typed units (app.units.add_units, one audited "建立单位", valid from 1900-01-01) or the
  workbook import. Should any
  step still fail, the ledger is closed and its files (ledger, -wal/-shm, lock, a backup folder
  made on the way) are removed, and the page shows why.
- The attendance holiday calendar is filled by Ledger.create itself (every year the built-in
  table knows, DOMAIN.md §8); the confirm page names the years so the office knows where
  later years are to be typed in.
- Demo data (app.demo.generate, township size, seed 1) may only be chosen with an empty unit
  tree; it runs in the background (ui.tasks.Task, its own connection) after the ledger exists,
  with progress and cancel on the last page. Cancelling it leaves the ledger created and empty
  (the demo data is one transaction); it can be loaded later from the registry tab.
- Once the ledger exists the wizard can no longer be cancelled: closing it keeps the ledger,
  which is complete, and the administrator is signed in (`ledger.user`).
- The last page answers "where is my data": the ledger file, its backup folder
  (app.paths.backup_dir_for), the data folder (app.paths.user_data_dir) and portable mode (a
  file named `portable` beside the program keeps everything in `userdata` beside it).
"""

from __future__ import annotations

import calendar
import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app import units
from app.accounts import MIN_PASSWORD_LENGTH
from app.attendance.calendar import builtin_years_text
from app.district.level import DISTRICT, TOWNSHIP, set_office_level
from app.errors import LedgerError, UserInputError
from app.exchange.workbook import import_workbook
from app.ledger import DEFAULT_STAT_YEAR_START, Ledger
from app.paths import backup_dir_for, is_portable, user_data_dir
from ui.dialogs.first_run_units import MODE_IMPORT, MODE_NONE, MODE_TYPED, UnitsPage
from ui.dialogs.first_start_dialog import create_administrator
from ui.i18n import t
from ui.tasks import Task

log = logging.getLogger(__name__)

PAGE_OFFICE, PAGE_UNITS, PAGE_ADMIN, PAGE_CONFIRM, PAGE_DONE = range(5)
DEMO_SIZE, DEMO_SEED = "township", 1


def stat_year_text(month: int) -> str:
    """The statistical year a start month gives, in words (month 1 = the calendar year)."""
    if month == 1:
        return t("The statistical year is the calendar year: 1 January to 31 December.")
    end = month - 1
    day = calendar.monthrange(2025, end)[1]
    day_text = t("{day} (29 in leap years)").format(day=day) if end == 2 else str(day)
    return t("The statistical year runs from {start}/1 to {end}/{day} of the following year.").format(
        start=month, end=end, day=day_text)


def _error_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020;")
    return label


class OfficePage(QWizardPage):
    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("officePage")
        self.setTitle(t("Office and statistical year"))
        self.setSubTitle(t("No ledger exists yet at {path}. This wizard creates it.").format(path=path))
        form = QFormLayout(self)
        self.office = QLineEdit(self)
        self.office.setObjectName("officeEdit")
        self.office.setPlaceholderText(t("e.g. {example}").format(example="荷塘区仙庾镇计生办"))
        form.addRow(t("Office name"), self.office)
        self.level = QComboBox(self)
        self.level.setObjectName("levelCombo")
        self.level.addItem(t("Township / sub-district office (乡镇/街道)"), TOWNSHIP)
        self.level.addItem(t("District / county office (区/县): consolidates the townships' packages"), DISTRICT)
        form.addRow(t("Office level"), self.level)
        self.month = QSpinBox(self)
        self.month.setObjectName("monthSpin")
        self.month.setRange(1, 12)
        self.month.setValue(DEFAULT_STAT_YEAR_START)
        self.month.setSuffix(t(" (month)"))
        form.addRow(t("Statistical year starts in month"), self.month)
        self.explain = QLabel(self)
        self.explain.setObjectName("statYearText")
        self.explain.setWordWrap(True)
        form.addRow("", self.explain)
        note = QLabel(t("Family-planning statistics run from 1 October to 30 September of the following "
                        "year (统计年度), so the default is 10. Choose 1 if your district counts calendar "
                        "years. The setting can be changed later under Settings › Statistical year."), self)
        note.setWordWrap(True)
        form.addRow("", note)
        self.error = _error_label(self, "officeError")
        form.addRow("", self.error)
        self.month.valueChanged.connect(lambda value: self.explain.setText(stat_year_text(value)))
        self.explain.setText(stat_year_text(self.month.value()))

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        if not self.office.text().strip():
            self.error.setText(t("Please enter the office name."))
            return False
        self.error.clear()
        return True


class AdminPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adminPage")
        self.setTitle(t("Administrator account"))
        self.setSubTitle(t("The administrator manages units, user accounts and backups. Other staff "
                           "get their own accounts later under Settings › Users."))
        form = QFormLayout(self)
        self.username = QLineEdit("admin", self)
        self.username.setObjectName("usernameEdit")
        form.addRow(t("Administrator user name"), self.username)
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("displayNameEdit")
        form.addRow(t("Full name"), self.display_name)
        self.password = QLineEdit(self)
        self.password.setObjectName("passwordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(t("at least {n} characters").format(n=MIN_PASSWORD_LENGTH))
        form.addRow(t("Password"), self.password)
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("confirmEdit")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(t("Password again"), self.confirm)
        note = QLabel(t("Keep the password safe: it is stored only as a one-way hash and nobody can read "
                        "it back. If it is forgotten, another administrator can reset it."), self)
        note.setWordWrap(True)
        form.addRow("", note)
        self.error = _error_label(self, "adminError")
        form.addRow("", self.error)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        problem = None
        if not self.username.text().strip():
            problem = t("Please enter a user name.")
        elif len(self.password.text()) < MIN_PASSWORD_LENGTH:
            problem = t("The password needs at least {n} characters.").format(n=MIN_PASSWORD_LENGTH)
        elif self.password.text() != self.confirm.text():
            problem = t("The two passwords differ.")
        self.error.setText(problem or "")
        return problem is None


class ConfirmPage(QWizardPage):
    """The commit page: a summary, the demo-data choice and the 创建台帐 button."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self.setObjectName("confirmPage")
        self.setTitle(t("Create the ledger"))
        self.setSubTitle(t("Check the summary, then press “Create the ledger”. Nothing has been written yet."))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, t("Create the ledger"))
        self._wizard = wizard
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("summaryText")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.demo = QCheckBox(t("Load demo data (one township, about 15,000 invented women) to try the program"), self)
        self.demo.setObjectName("demoCheck")
        layout.addWidget(self.demo)
        self.demo_note = QLabel(self)
        self.demo_note.setObjectName("demoNote")
        self.demo_note.setWordWrap(True)
        layout.addWidget(self.demo_note)
        layout.addStretch(1)
        self.error = _error_label(self, "createError")
        layout.addWidget(self.error)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        wizard = self._wizard
        empty = wizard.units_page.mode == MODE_NONE
        self.demo.setEnabled(empty)
        if not empty:
            self.demo.setChecked(False)
        self.demo_note.setText(
            t("Demo data are invented people for practice. Do not mix them with real records: for real "
              "work, create a new ledger (File › New ledger).") if empty else
            t("Demo data can only be loaded into a ledger without units; you chose a unit tree."))
        username = wizard.admin_page.username.text().strip()
        display_name = wizard.admin_page.display_name.text().strip()
        rows = [
            (t("Ledger file"), str(wizard.path)),
            (t("Office name"), wizard.office_page.office.text().strip()),
            (t("Units"), wizard.units_page.summary()),
            (t("Administrator"), f"{username}（{display_name or username}）"),
            (t("Holiday calendar"), t("the statutory holidays and swapped working days of {years} from the built-in "
                                      "table (State Council notices) are filled in; later years are entered on the "
                                      "attendance tab, “Calendar and rules”").format(years=builtin_years_text())),
        ]
        lines = [f"{label}：{value}" for label, value in rows]
        lines.insert(2, stat_year_text(wizard.office_page.month.value()))
        self.summary.setText("\n".join(lines))
        self.error.clear()

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            self._wizard.create_ledger()
        except (LedgerError, OSError) as exc:
            self.error.setText(t("The ledger could not be created: {error}").format(error=exc))
            return False
        return True


class DonePage(QWizardPage):
    """Where the data lives, and the demo data's progress (Finish waits until it is over)."""

    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__(wizard)
        self.setObjectName("donePage")
        self.setTitle(t("The ledger is ready"))
        self.setFinalPage(True)
        self._wizard = wizard
        self.task: Task | None = None
        layout = QVBoxLayout(self)
        self.where = QLabel(self)
        self.where.setObjectName("whereText")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.where)
        self.demo_status = QLabel(self)
        self.demo_status.setObjectName("demoStatus")
        self.demo_status.setWordWrap(True)
        layout.addWidget(self.demo_status)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("demoProgress")
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.cancel_demo = QPushButton(t("Stop loading demo data"), self)
        self.cancel_demo.setObjectName("cancelDemoButton")
        self.cancel_demo.setVisible(False)
        self.cancel_demo.clicked.connect(self.stop_demo)
        layout.addWidget(self.cancel_demo, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self.where.setText(where_is_my_data(self._wizard.path))
        if self._wizard.confirm_page.demo.isChecked():
            self.start_demo()
        else:
            self.demo_status.setText(t("Press Finish to start working. Help › User guide (F1) explains each tab."))

    def start_demo(self) -> None:
        ledger = self._wizard.ledger
        self.demo_status.setText(t("Loading demo data…"))
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_demo.setVisible(True)
        self.task = Task(_generate_demo, ledger, parent=self)
        self.task.progressed.connect(self._progressed)
        self.task.succeeded.connect(self._succeeded)
        self.task.failed.connect(self._failed)
        self.task.finished.connect(self._finished)
        self.task.start()
        self.completeChanged.emit()

    def stop_demo(self) -> None:
        if self.task is not None and not self.task.done:
            self.task.cancel()
            self.demo_status.setText(t("Cancelling…"))

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        if text:
            self.demo_status.setText(t("Loading demo data…") + " " + text)

    def _succeeded(self, counts: dict) -> None:
        self.demo_status.setText(t("Demo data loaded: {units} units, {women} women, {children} children. "
                                   "Press Finish to start.").format(
            units=counts.get("units", 0), women=counts.get("women", 0), children=counts.get("children", 0)))

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserInputError):
            log.error("demo data failed", exc_info=exc)
        self.demo_status.setText(t("No demo data was loaded ({error}). The ledger is created and empty; "
                                   "demo data can be loaded later from the registry tab.").format(error=exc))

    def _finished(self) -> None:
        self.progress.setVisible(False)
        self.cancel_demo.setVisible(False)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.task is None or self.task.done


def _generate_demo(progress, ledger: Ledger) -> dict:
    """The worker: demo data on its own connection (ui.tasks contract)."""
    from app import demo

    with ledger.worker() as view:
        return demo.generate(view, DEMO_SIZE, DEMO_SEED, progress=progress)


def where_is_my_data(ledger_path: Path) -> str:
    """The plain answer to "where is my data", shown at the end of the wizard (and in the help)."""
    portable = is_portable()
    return t("Your data is kept here:\n\nLedger file: {ledger}\nBackup folder: {backups}\n"
             "Data folder: {data}\n\nThe program backs the ledger up into the backup folder at the first "
             "start of each day and before imports and upgrades; File › Back up to a file copies it onto a "
             "USB stick.\n\n{portable}").format(
        ledger=ledger_path, backups=backup_dir_for(ledger_path), data=user_data_dir(),
        portable=t("Portable mode is ON: a file named “portable” lies beside the program, so the data "
                   "stay in the “userdata” folder beside it.") if portable else
        t("Portable mode is off. To run from a USB stick, put an empty file named “portable” beside the "
          "program (FPLedger.exe): the data are then kept in the “userdata” folder beside it."))


class FirstRunWizard(QWizard):
    """After exec() == Accepted: `ledger` is the new, open ledger with its administrator signed in."""

    def __init__(self, path: Path, actor: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(t("First start"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setMinimumSize(760, 560)
        self.path = Path(path)
        self.actor = actor
        self.ledger: Ledger | None = None
        self.office_page = OfficePage(self.path, self)
        self.units_page = UnitsPage(self)
        self.admin_page = AdminPage(self)
        self.confirm_page = ConfirmPage(self)
        self.done_page = DonePage(self)
        for page_id, page in ((PAGE_OFFICE, self.office_page), (PAGE_UNITS, self.units_page),
                              (PAGE_ADMIN, self.admin_page), (PAGE_CONFIRM, self.confirm_page),
                              (PAGE_DONE, self.done_page)):
            self.setPage(page_id, page)
        self.finished.connect(lambda _result: self.units_page.cleanup())

    # ---- the one step that writes ----------------------------------------------------------------
    def create_ledger(self) -> Ledger:
        """Create the ledger, the administrator and the units in one go; undone if a step fails."""
        if self.ledger is not None:
            return self.ledger
        backups = backup_dir_for(self.path.resolve())
        had_backups = backups.exists()
        ledger = Ledger.create(self.path, self.office_page.office.text(), self.office_page.month.value(),
                               actor=self.actor)
        try:
            admin = self.admin_page
            ledger.user = create_administrator(ledger, admin.username.text(), admin.display_name.text(),
                                               admin.password.text())
            if self.office_page.level.currentData() == DISTRICT:   # a township office is the default
                set_office_level(ledger, DISTRICT)
            page = self.units_page
            if page.mode == MODE_TYPED and page.typed_units:
                units.add_units(ledger, [(u.code, u.name, u.kind, u.parent or None) for u in page.typed_units])
            elif page.mode == MODE_IMPORT and page.workbook_copy is not None:
                import_workbook(ledger, page.workbook_copy)
        except BaseException:
            ledger.close()
            _remove_ledger_files(ledger.path, backups if not had_backups else None)
            raise
        self.ledger = ledger
        self.path = ledger.path
        log.info("first run: ledger created at %s", ledger.path)
        return ledger

    # ---- closing -----------------------------------------------------------------------------------
    def reject(self) -> None:
        """Before 创建台帐: cancel (nothing was written). After: the ledger exists, so keep it."""
        if self.ledger is None:
            super().reject()
            return
        task = self.done_page.task
        if task is not None and not task.done:
            task.cancel()
            task.wait()
        self.accept()


def _remove_ledger_files(path: Path, backup_folder: Path | None) -> None:
    """Undo a half-made ledger: the file, its -wal/-shm and lock, and a backup folder made for it."""
    import shutil

    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    if backup_folder is not None:
        shutil.rmtree(backup_folder, ignore_errors=True)
