"""统计报表 tab: choose a period and unit, preview each standard form as printed, export the
package to a USB stick, close/reopen the period, the half-year analysis draft, the population
base (人口基数) entry, and two charts.

Threading: the forms and figures are computed by a background Task on its own connection
(`Ledger.worker()`); the export runs behind a progress dialog with cancel. Widgets are touched
only in the GUI thread. Figures come only from app.exchange.period_package (which asks
app.stats.period_figures once): the preview, the analysis draft and the export are one
package, so what is exported is what was shown. A closed period shows its snapshot ("已关账 …，
显示报送时冻结的数字"); the 按当前数据重新计算 box (off by default, only for a closed period,
confirmed) recomputes it, and every form then says 与已报送数不一致, on screen and on paper.
关账 and 重新打开 act on the period whose figures are on screen (`computed_for`), never on the text
of the period box: they are disabled until that computation is done and again as soon as the
box or the unit changes; the close's confirmation lists the figures it freezes.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import closing, reports_desk, units
from app.analysis import save_draft
from app.errors import LedgerError
from app.exchange import period_package
from app.exchange.export_package import removable_drives
from app.ledger import Ledger
from app.periods import Period
from ui import messages
from ui.dialogs.differences_dialog import show_differences
from ui.i18n import t
from ui.table_habits import install as install_table_habits
from ui.tasks import Task, run_with_progress
from ui.widgets.bar_chart import BarChart
from ui.widgets.form_preview import FormPreview
from ui.widgets.unit_picker import UnitPicker


def _compute(progress, ledger: Ledger, period_code: str, unit_code: str | None,
             live: bool = False) -> dict[str, Any]:
    """Worker: the period's package (forms, report, figures.json) on a connection of its own."""
    from app.analysis import half_year_draft

    with ledger.worker() as view:
        progress(0, 3, "")
        package = period_package.prepare(view, period_code, unit_code, live=live,
                                         tick=lambda done, total: progress(done, total, ""))
        draft = half_year_draft(view.db, period_code, unit_code, figures=package.report)
        return {"period": period_code, "unit": unit_code, "live": live, "package": package,
                "forms": package.forms, "report": package.report, "draft": draft}


def _births_chart(progress, ledger: Ledger, year_code: str, unit_code: str | None) -> tuple:
    with ledger.worker() as view:
        return reports_desk.births_by_month(view.db, year_code, view.stat_year_start, unit_code)


def _export(progress, ledger: Ledger, package: period_package.PeriodPackage, folder: str) -> dict:
    with ledger.worker() as view:
        return period_package.write(view, package, folder, progress=progress)


class ReportsTab(QWidget):
    def __init__(self, ledger: Ledger, user, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportsTab")
        self.ledger, self.user = ledger, user
        self.forms: list = []
        self.figures: dict | None = None
        self.package: period_package.PeriodPackage | None = None
        self.live_for: str | None = None      # the period whose recomputation was confirmed
        self.computed_for: tuple[str, str | None] | None = None
        self.task: Task | None = None
        self.chart_task: Task | None = None
        self.export_task: Task | None = None
        self.last_export: dict[str, dict] = {}
        self.running: list[Task] = []     # every started task stays referenced until it ends
        self._build()
        self.set_period(reports_desk.quick_periods(date.today(), ledger.stat_year_start)[2][1])

    # ---- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(t("Period")))
        self.period_edit = QLineEdit(objectName="periodEdit")
        self.period_edit.setPlaceholderText("2026H1 / 2026-03 / 2026")
        self.period_edit.setMaximumWidth(200)
        self.period_edit.returnPressed.connect(self.refresh)
        self.period_edit.textChanged.connect(self._update_close_buttons)   # typed ≠ displayed
        bar.addWidget(self.period_edit)
        self.quick = QComboBox(objectName="quickPeriods")
        self.quick.addItem(t("Quick pick…"), None)
        for label, code in reports_desk.quick_periods(date.today(), self.ledger.stat_year_start):
            self.quick.addItem(f"{label}（{code}）", code)
        self.quick.activated.connect(self._quick_picked)
        bar.addWidget(self.quick)
        bar.addWidget(QLabel(t("Unit")))
        self.unit_picker = UnitPicker(self.ledger, self)
        self.unit_picker.setObjectName("unitPicker")
        self.unit_picker.setMinimumWidth(220)
        self.unit_picker.currentTextChanged.connect(self._update_close_buttons)
        bar.addWidget(self.unit_picker)
        self.compute_button = QPushButton(t("Compute"), objectName="computeButton")
        self.compute_button.clicked.connect(self.refresh)
        self.compute_button.setShortcut("F5")  # active only while this tab is shown
        self.compute_button.setToolTip(t("Shortcut: {key}").format(key="F5"))
        bar.addWidget(self.compute_button)
        bar.addStretch(1)
        self.status = QLabel(objectName="periodStatus")
        bar.addWidget(self.status)
        layout.addLayout(bar)

        actions = QHBoxLayout()
        self.export_button = QPushButton(t("Export to USB stick…"), objectName="exportButton")
        self.export_button.clicked.connect(self.export)
        self.print_button = QPushButton(t("Print…"), objectName="printFormsButton")
        self.print_button.clicked.connect(self.print_forms)
        self.close_button = QPushButton(t("Close period"), objectName="closeButton")
        self.close_button.clicked.connect(self.close_period)
        self.reopen_button = QPushButton(t("Reopen period…"), objectName="reopenButton")
        self.reopen_button.clicked.connect(self.reopen_period)
        self.differences_button = QPushButton(t("Changes since the close…"), objectName="differencesButton")
        self.differences_button.clicked.connect(self.show_differences)
        self.differences_button.setEnabled(False)
        for button in (self.export_button, self.print_button, self.close_button, self.reopen_button,
                       self.differences_button):
            actions.addWidget(button)
        self.live_box = QCheckBox(t("Recompute from the current data (differs from the submitted figures)"),
                                  objectName="liveCheck")
        self.live_box.setEnabled(False)
        self.live_box.toggled.connect(self._live_toggled)
        actions.addWidget(self.live_box)
        actions.addStretch(1)
        layout.addLayout(actions)

        self.tabs = QTabWidget(objectName="reportsInnerTabs")
        self.previews: list[FormPreview] = []
        self.analysis = QWidget(objectName="analysisPage")
        self._build_analysis(self.analysis)
        self.base_page = QWidget(objectName="populationPage")
        self._build_base(self.base_page)
        self.chart_page = QWidget(objectName="chartsPage")
        self._build_charts(self.chart_page)
        self.tabs.currentChanged.connect(self._inner_tab_changed)
        layout.addWidget(self.tabs, 1)
        self.district_page = self._district_page()
        self._add_district_tab()
        self._apply_permissions()

    def _district_page(self):
        """A district office's 汇总 page (ui/district_page.py); None for a township office."""
        from app.district.level import is_district

        if not is_district(self.ledger):
            return None
        from ui.district_page import DistrictPage

        period = self.period
        return DistrictPage(self.ledger, lambda: (p.code if (p := period()) else None), self.choose_folder, self)

    def _add_district_tab(self) -> None:
        if self.district_page is not None:
            self.tabs.addTab(self.district_page, t("Consolidation"))

    def _build_analysis(self, page: QWidget) -> None:
        layout = QVBoxLayout(page)
        self.draft = QPlainTextEdit(objectName="analysisDraft")
        layout.addWidget(self.draft, 1)
        row = QHBoxLayout()
        self.copy_button = QPushButton(t("Copy"), objectName="copyDraftButton")
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.draft.toPlainText()))
        self.draft_pdf_button = QPushButton(t("Export draft to PDF…"), objectName="draftPdfButton")
        self.draft_pdf_button.clicked.connect(self.export_draft_pdf)
        row.addWidget(self.copy_button)
        row.addWidget(self.draft_pdf_button)
        row.addStretch(1)
        layout.addLayout(row)

    def _build_base(self, page: QWidget) -> None:
        layout = QVBoxLayout(page)
        self.base_hint = QLabel(wordWrap=True)
        layout.addWidget(self.base_hint)
        self.base_table = QTableWidget(0, 3, objectName="populationTable")
        self.base_table.setHorizontalHeaderLabels([t("Unit"), t("Total population"), t("Deaths")])
        self.base_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        install_table_habits(self.base_table)
        layout.addWidget(self.base_table, 1)
        row = QHBoxLayout()
        self.base_save = QPushButton(t("Save population base"), objectName="saveBaseButton")
        self.base_save.clicked.connect(self.save_base)
        row.addWidget(self.base_save)
        row.addStretch(1)
        layout.addLayout(row)

    def _build_charts(self, page: QWidget) -> None:
        layout = QVBoxLayout(page)
        splitter = QSplitter()
        self.births_chart = BarChart()
        self.births_chart.setObjectName("birthsChart")
        self.sex_chart = BarChart()
        self.sex_chart.setObjectName("sexRatioChart")
        splitter.addWidget(self.births_chart)
        splitter.addWidget(self.sex_chart)
        layout.addWidget(splitter, 1)

    def _apply_permissions(self) -> None:
        may = (lambda action: True) if self.user is None else self.user.may
        self.export_button.setEnabled(may("export_forms"))
        self._update_close_buttons()

    # ---- period and unit -------------------------------------------------------------------------
    def set_period(self, code: str) -> None:
        self.period_edit.setText(code)
        self.refresh()

    def _quick_picked(self, index: int) -> None:
        code = self.quick.itemData(index)
        if code:
            self.set_period(code)
        self.quick.setCurrentIndex(0)

    def unit_code(self) -> str | None:
        unit_id = self.unit_picker.unit_id()
        if unit_id is None:
            return None
        return units.code_for_id(self.ledger.db, unit_id)

    def period(self) -> Period | None:
        try:
            return Period.parse(self.period_edit.text(), self.ledger.stat_year_start)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return None

    # ---- computing ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        period = self.period()
        if period is None:
            return
        self.period_edit.setText(period.code)
        if self.task is not None and not self.task.done:
            self.task.cancel()
        self.status.setText(t("Computing…"))
        self.compute_button.setEnabled(False)
        if self.live_box.isChecked() and self.live_for != period.code:
            self._set_live(False)      # a recomputation was confirmed for another period only
        live = self.live_box.isChecked()
        task = Task(_compute, self.ledger, period.code, self.unit_code(), live, parent=self)
        task.succeeded.connect(lambda result, task=task: self._computed(task, result))
        task.failed.connect(lambda exc, task=task: self._failed(task, exc))
        self.task = task
        self._keep(task)
        task.start()
        self._load_base(period)
        self._show_status(period)

    def _computed(self, task: Task, result: dict) -> None:
        if task is not self.task:
            return
        self.compute_button.setEnabled(True)
        self.forms, self.figures, self.package = result["forms"], result["report"], result["package"]
        self.computed_for = (result["period"], result["unit"])
        current = self.tabs.currentIndex()
        while self.tabs.count():
            self.tabs.removeTab(0)
        self.previews = []
        for form in self.forms:
            preview = FormPreview()
            preview.setObjectName(f"preview_{form.form_id}")
            preview.set_form(form)
            self.previews.append(preview)
            self.tabs.addTab(preview, form.title)
        self.tabs.addTab(self.analysis, t("Analysis draft"))
        self.tabs.addTab(self.base_page, t("Population base"))
        self.tabs.addTab(self.chart_page, t("Charts"))
        self._add_district_tab()
        self.tabs.setCurrentIndex(max(0, min(current, self.tabs.count() - 1)))
        self.draft.setPlainText(result["draft"])
        self._sex_ratio_chart()
        period = Period.parse(result["period"], self.ledger.stat_year_start)
        self._show_status(period, self.package)

    def _failed(self, task: Task, exc: BaseException) -> None:
        if task is not self.task:
            return
        self.compute_button.setEnabled(True)
        self.status.setText("")
        self._update_close_buttons()
        messages.error(self, str(exc) if isinstance(exc, LedgerError) else repr(exc))

    def _show_status(self, period: Period, package: period_package.PeriodPackage | None = None) -> None:
        """Say whether the period is closed and which figures the previews show."""
        closure = closing.current_closure(self.ledger.db, period)
        if closure:
            who, when = closure["closed_by"], closure["closed_at"].replace("T", " ")
            live = package.source == "live_over_closed" if package is not None else self.live_box.isChecked()
            if live:
                text = t("Closed {when} {who}; showing a recomputation from the current data, which differs "
                         "from the submitted figures")
            else:
                text = t("Closed {when} {who}; showing the figures frozen when submitted")
            self.status.setText(text.format(who=who, when=when))
        else:
            self.status.setText(t("Open (not closed)"))
        self.live_box.setEnabled(closure is not None)
        if closure is None and self.live_box.isChecked():
            self._set_live(False)
        self._update_close_buttons()

    def _set_live(self, checked: bool) -> None:
        """Set the recompute box without acting on it."""
        self.live_box.blockSignals(True)
        self.live_box.setChecked(checked)
        self.live_box.blockSignals(False)
        if not checked:
            self.live_for = None

    def _live_toggled(self, checked: bool) -> None:
        """Recomputing a closed period is an explicit, confirmed choice; unchecking goes back
        to the snapshot."""
        if checked and not messages.confirm(self, t(
                "Recompute this closed period from the current data? The forms will differ from the "
                "figures submitted at the close, and every page will say so.")):
            self._set_live(False)
            return
        period = self.period()
        self.live_for = period.code if (checked and period is not None) else None
        self.refresh()

    def _keep(self, task: Task) -> None:
        """Hold a reference to a running task (its thread must outlive the Python wrapper)."""
        self.running = [t for t in self.running if not t.done] + [task]

    # ---- charts ------------------------------------------------------------------------------------
    def _sex_ratio_chart(self) -> None:
        f = self.figures or {}
        by_order = f.get("sex_ratio_by_order") or {}
        prev = (f.get("previous_year") or {}).get("sex_ratio_by_order") or {}
        cats = [t("All"), t("1st"), t("2nd"), t("3rd+")]
        this = [f.get("sex_ratio"), by_order.get("1"), by_order.get("2"), by_order.get("3+")]
        last = [(f.get("previous_year") or {}).get("sex_ratio"), prev.get("1"), prev.get("2"), prev.get("3+")]
        self.sex_chart.set_data(t("Sex ratio at birth by order (girls = 100)"), cats,
                                [(t("This period"), this), (t("Same period last year"), last)])

    def _inner_tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.chart_page:
            self.load_births_chart()

    def load_births_chart(self) -> None:
        period = self.period()
        if period is None or (self.chart_task is not None and not self.chart_task.done):
            return
        year = reports_desk.quick_periods(period.end, self.ledger.stat_year_start)[4][1]
        task = Task(_births_chart, self.ledger, year, self.unit_code(), parent=self)
        task.succeeded.connect(lambda result: self.births_chart.set_data(
            t("Births by month, statistical year {year}").format(year=year), result[0],
            [(t("This year"), result[1]), (t("Last year"), result[2])]))
        task.failed.connect(lambda exc: messages.error(self, str(exc)))
        self.chart_task = task
        self._keep(task)
        task.start()

    # ---- population base -------------------------------------------------------------------------
    def _load_base(self, period: Period) -> None:
        self.base_period = period
        self.base_hint.setText(t("Population base for {period}. A unit left blank takes the sum of its "
                                 "sub-units.").format(period=f"{period.label}（{period.code}）"))
        self.base_entries = reports_desk.base_entries(self.ledger.db, period)
        self.base_table.setRowCount(len(self.base_entries))
        for row, entry in enumerate(self.base_entries):
            name = QTableWidgetItem("　" * entry.depth + f"{entry.name}（{entry.code}）")
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.base_table.setItem(row, 0, name)
            for col, value in ((1, entry.population), (2, entry.deaths)):
                self.base_table.setItem(row, col, QTableWidgetItem("" if value is None else str(value)))

    def save_base(self) -> None:
        values = {}
        try:
            for row, entry in enumerate(self.base_entries):
                population = reports_desk.parse_count(self.base_table.item(row, 1).text(), t("Total population"),
                                                      entry.name)
                deaths = reports_desk.parse_count(self.base_table.item(row, 2).text(), t("Deaths"), entry.name)
                values[entry.unit_id] = (population, deaths)
            changed = reports_desk.save_base(self.ledger, self.base_period, values)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        messages.info(self, t("{n} units' population base saved.").format(n=changed))
        self.refresh()

    # ---- export, close, reopen ---------------------------------------------------------------------
    def choose_folder(self) -> str | None:
        """Folder picker with removable drives first (in the side bar and as the start folder)."""
        drives = removable_drives()
        dialog = QFileDialog(self, t("Choose the USB stick or folder to export to"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        urls = [QUrl.fromLocalFile(str(d)) for d in drives] + [QUrl.fromLocalFile(QDir.homePath())]
        dialog.setSidebarUrls(urls)
        dialog.setDirectory(str(drives[0]) if drives else QDir.homePath())
        if dialog.exec() and dialog.selectedFiles():
            return dialog.selectedFiles()[0]
        return None

    def _current_ready(self) -> bool:
        period = self.period()
        if period is None:
            return False
        if not self.forms or self.package is None or self.computed_for != (period.code, self.unit_code()):
            messages.warning(self, t("Compute the forms of this period first."))
            return False
        return True

    def export(self) -> None:
        if not self._current_ready():
            return
        folder = self.choose_folder()
        if not folder:
            return
        period_code, _ = self.computed_for
        package = self.package

        def done(result: dict) -> None:
            self.last_export[period_code] = result
            text = result["message"] + "\n" + t("Folder: {folder}").format(folder=result["out_dir"])
            if result["warnings"]:
                text += "\n\n" + "\n".join(result["warnings"])
                messages.warning(self, text)
            else:
                messages.info(self, text)

        self.export_task = run_with_progress(self, t("Exporting forms"), _export, self.ledger, package,
                                             folder, on_success=done,
                                             on_error=lambda exc: messages.error(self, str(exc)))

    def print_forms(self):
        """打印…: the computed forms in the print preview (the export's PDF, page for page)."""
        from ui.print_preview import print_forms

        if not self._current_ready():
            return None
        self.print_task = print_forms(self, list(self.forms), self.computed_for[0])
        return self.print_task

    # 关账 acts on the period whose figures are on screen (`computed_for`), never on what is typed
    # in the box: 关账/重新打开 stay disabled until a computation of the displayed period and unit
    # is done, and are disabled again as soon as the box (or the unit) changes.
    def _displayed(self) -> tuple[str, str | None] | None:
        """(period code, unit code) of the figures on screen, when they are those of the box."""
        task = self.task
        computing = task is not None and not task.done and task.result is None and task.error is None
        if self.computed_for is None or self.package is None or computing:
            return None
        try:
            typed = Period.parse(self.period_edit.text(), self.ledger.stat_year_start).code
        except LedgerError:
            return None
        return self.computed_for if self.computed_for == (typed, self.unit_code()) else None

    def _update_close_buttons(self, *_args) -> None:
        may = (lambda action: True) if self.user is None else self.user.may
        shown = self._displayed()
        closed = shown is not None and self.package.closed
        self.close_button.setEnabled(shown is not None and not closed and may("close_period"))
        self.reopen_button.setEnabled(shown is not None and closed and may("reopen_period"))
        self.differences_button.setEnabled(shown is not None and closed)
        hint = "" if shown is not None else t("Compute this period's forms first (F5): closing acts on the "
                                               "figures shown.")
        self.close_button.setToolTip(hint)
        self.reopen_button.setToolTip(hint)

    def close_question(self, period: Period) -> str:
        """The confirmation: the period on screen and the key figures the close freezes."""
        f = self.figures or {}
        la = (f.get("long_acting") or {}).get("total")
        deaths = f.get("deaths")
        unit = f.get("unit_name") or self.ledger.office_name
        figures = [
            t("Births: {n}").format(n=f.get("births")),
            t("Late-reported births (补报): {n}").format(n=(f.get("late_reported") or {}).get("total")),
            t("Deaths: not entered") if deaths is None else t("Deaths: {n}").format(n=deaths),
            t("Family-planning procedures: {n}").format(n=(f.get("procedures") or {}).get("total")),
            (t("Long-acting methods: due {due}, done {done}").format(due=la.get("due"), done=la.get("done"))
             if la else t("Long-acting methods: indicator switched off")),
        ]
        lines = [t("Close {period}? These figures of {unit} will be frozen:").format(
            period=f"{period.label}（{period.code}）", unit=unit), ""]
        lines += ["　　" + line for line in figures] + [""]
        if self.computed_for and self.computed_for[1] is not None:
            lines.append(t("The close applies to every unit of the ledger, not only {unit}.").format(unit=unit))
        lines.append(t("After the close the forms show these frozen figures; later changes to the ledger do not "
                       "alter them."))
        return "\n".join(lines)

    def close_period(self) -> None:
        shown = self._displayed()
        if shown is None:
            messages.warning(self, t("Compute the forms of this period first."))
            return
        period = Period.parse(shown[0], self.ledger.stat_year_start)
        if not messages.confirm(self, self.close_question(period)):
            return
        exported = self.last_export.get(period.code)
        files = {f["name"]: f["sha256"] for f in exported["files"]} if exported else None
        try:
            closing.close_period(self.ledger, period.code, files=files)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.refresh()

    def ask_reason(self) -> str | None:
        text, ok = QInputDialog.getMultiLineText(self, t("Reopen period"), t("Reason for reopening (required):"))
        return text if ok else None

    def show_differences(self) -> None:
        """关账后差异 of the displayed closed period (figures and late-entered facts)."""
        shown = self._displayed()
        if shown is None:
            return
        period = Period.parse(shown[0], self.ledger.stat_year_start)
        self._keep(show_differences(self, self.ledger, period.code, f"{period.label}（{period.code}）",
                                    on_error=lambda exc: messages.error(self, str(exc))))

    def reopen_period(self) -> None:
        shown = self._displayed()
        if shown is None:
            messages.warning(self, t("Compute the forms of this period first."))
            return
        period = Period.parse(shown[0], self.ledger.stat_year_start)
        reason = self.ask_reason()
        if reason is None:
            return
        try:
            closing.reopen_period(self.ledger, period.code, reason)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.refresh()

    # ---- analysis draft -----------------------------------------------------------------------------
    def export_draft_pdf(self) -> None:
        period = self.period()
        if period is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, t("Save the analysis draft as PDF"),
                                              str(Path(QDir.homePath()) / f"{period.code}_分析.pdf"), "PDF (*.pdf)")
        if not path:
            return
        self.write_draft_pdf(path)

    def write_draft_pdf(self, path: str) -> None:
        period = Period.parse(self.period_edit.text(), self.ledger.stat_year_start)
        try:
            warnings = save_draft(self.ledger, period.code, self.draft.toPlainText(), path)
        except (LedgerError, OSError) as exc:
            messages.error(self, str(exc))
            return
        if warnings:
            messages.warning(self, "\n".join(warnings))
        else:
            messages.info(self, t("Saved: {path}").format(path=path))
