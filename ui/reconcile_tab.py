"""The sampling reconciliation tab (抽样核对): load a survey, results by outcome, rates, review, 手工台帐.

Threading: loading a survey and every (re)run of the matching happen on a worker thread with its
own connection (`Ledger.worker()`) behind a progress dialog with cancel; the result (plain data,
app.reconcile.run.Reconciliation) comes back by signal and only then are widgets filled.
Decisions, adding a 漏报 and correcting a 错报 are single audited writes on the GUI connection,
each behind a visible confirmation, followed by a rerun.

Date slips (DOMAIN.md §7): a row whose birth date differs from the tied child's only by a
surveyor's slip (≤ 3 days, day/month swapped) shows the slip in the 待核日期 column (amber cell,
the full note as its tooltip), the full note in the row detail under the table, and can be
listed alone with the 待核日期 filter; it counts by its other fields (一致 unless one differs).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import LedgerError
from app.forms.model import display, rounded
from app.idcard import mask_id
from app.ledger import Ledger
from app.periods import Period
from app.reconcile import decisions
from app.reconcile.report import export_report
from app.reconcile.run import OUTCOME_LABELS, Reconciliation, reconcile, save_results
from app.reconcile.survey import import_survey, list_surveys
from ui import file_dialogs, messages
from ui.dialogs.add_unreported_dialog import AddUnreportedDialog
from ui.i18n import t
from ui.reconcile_manual import ManualLedgerPage
from ui.reconcile_review import ReviewPanel
from ui.tasks import run_with_progress

COLORS = {"unreported": "#f8d0d0", "misreported": "#fff1c2", "duplicated": "#ffd9b3", "late": "#d6e6fa",
          "review": "#e4e4e4"}
SLIP_COLOR = "#ffb74d"      # the 待核日期 cell: stands out on every outcome colour
SLIP_COLUMN = 11


def result_columns() -> list[str]:
    return [t("Survey row"), t("Unit code"), t("Mother"), t("Mother's ID"), t("Husband"), t("Child"), t("Sex"), t("Born"),
            t("Order"), t("Outcome"), t("Differences"), t("Date to verify"), t("Score"), t("Ledger child"),
            t("Remarks")]


def unit_columns() -> list[str]:
    return [t("Unit code"), t("Unit name"), t("Survey births"), t("Matched"), t("Misreported"), t("Duplicated"),
            t("Late"), t("Unreported"), t("In review"), t("Ledger births"), t("Accuracy %"), t("Unreported %")]


def default_half(stat_year_start: int, today: date | None = None) -> str:
    """The half-year code that contains today (a survey usually covers a half-year)."""
    today = today or date.today()
    for year in (today.year, today.year + 1):
        for half in ("H1", "H2"):
            p = Period.parse(f"{year}{half}", stat_year_start)
            if p.contains(today):
                return p.code
    return f"{today.year}H1"


def _run(progress, ledger: Ledger, survey_id: int) -> Reconciliation:
    with ledger.worker() as view:
        rec = reconcile(view.db, survey_id, progress)
        save_results(view, rec)
        return rec


def _load(progress, ledger: Ledger, path: str, period_code: str) -> Reconciliation:
    with ledger.worker() as view:
        progress(0, 3, t("Reading the survey"))
        survey, _warnings = import_survey(view, path, period_code)
        rec = reconcile(view.db, survey.id, progress)
        save_results(view, rec)
        return rec


class ReconcileTab(QWidget):
    def __init__(self, ledger: Ledger, user, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.user = ledger, user
        self.rec: Reconciliation | None = None
        self._task = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(t("Survey:"), self))
        self.survey_combo = QComboBox(self)
        self.survey_combo.setObjectName("surveyCombo")
        self.survey_combo.setMinimumWidth(360)
        self.survey_combo.activated.connect(lambda _i: self.run())
        bar.addWidget(self.survey_combo, 1)
        self.load_button = QPushButton(t("Load survey…"), self)
        self.load_button.setObjectName("loadSurvey")
        self.load_button.clicked.connect(self.load_dialog)
        self.run_button = QPushButton(t("Match again"), self)
        self.run_button.setObjectName("runMatching")
        self.run_button.clicked.connect(self.run)
        self.export_button = QPushButton(t("Export report…"), self)
        self.export_button.setObjectName("exportReport")
        self.export_button.clicked.connect(self.export)
        for b in (self.load_button, self.run_button, self.export_button):
            bar.addWidget(b)
        layout.addLayout(bar)
        self.summary = QLabel(t("Load the district's survey workbook (sheet 抽样调查) to match it against the ledger."),
                              self)
        self.summary.setObjectName("reconcileSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("reconcilePages")
        layout.addWidget(self.pages, 1)
        self._build_results()
        self.review = ReviewPanel(ledger, user, self.run, self.pages)
        self.review.setObjectName("reviewPage")
        self.pages.addTab(self.review, t("Review queue"))
        self.manual = ManualLedgerPage(ledger, user, self.pages)
        self.manual.setObjectName("manualPage")
        self.manual.period_edit.setText(default_half(ledger.stat_year_start))
        self.pages.addTab(self.manual, t("Manual vs computer ledger"))
        self.load_button.setEnabled(user is None or user.may("import_workbook"))
        self.fill_surveys()

    # ---- results page ---------------------------------------------------------------------
    def _build_results(self) -> None:
        page = QWidget(self.pages)
        page.setObjectName("resultsPage")
        box = QVBoxLayout(page)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(t("Show:"), page))
        self.filter_combo = QComboBox(page)
        self.filter_combo.setObjectName("outcomeFilter")
        self.filter_combo.addItem(t("All rows"), None)
        for key, label in OUTCOME_LABELS.items():
            self.filter_combo.addItem(label, key)
        self.filter_combo.addItem(t("Date to verify"), "date_notes")
        self.filter_combo.addItem(t("In the ledger, not found by the survey (多报/未核实)"), "ledger_only")
        self.filter_combo.currentIndexChanged.connect(lambda _i: self.fill_results())
        bar.addWidget(self.filter_combo)
        self.add_button = QPushButton(t("Add unreported birth to the ledger…"), page)
        self.add_button.setObjectName("addUnreported")
        self.add_button.clicked.connect(self.add_unreported)
        self.correct_button = QPushButton(t("Correct the card from the survey…"), page)
        self.correct_button.setObjectName("correctMisreport")
        self.correct_button.clicked.connect(self.correct_misreport)
        bar.addWidget(self.add_button)
        bar.addWidget(self.correct_button)
        bar.addStretch(1)
        box.addLayout(bar)
        split = QSplitter(Qt.Orientation.Vertical, page)
        upper = QWidget(split)
        upper_box = QVBoxLayout(upper)
        upper_box.setContentsMargins(0, 0, 0, 0)
        self.results = QTableWidget(0, len(result_columns()), upper)
        self.results.setObjectName("resultsTable")
        self.results.setHorizontalHeaderLabels(result_columns())
        self.results.verticalHeader().hide()
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.itemSelectionChanged.connect(self._selection_changed)
        self.units_table = QTableWidget(0, len(unit_columns()), split)
        self.units_table.setObjectName("unitRates")
        self.units_table.setHorizontalHeaderLabels(unit_columns())
        self.units_table.verticalHeader().hide()
        self.units_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.row_detail = QLabel("", upper)   # the selected row in words, its 待核日期 notes included
        self.row_detail.setObjectName("rowDetail")
        self.row_detail.setWordWrap(True)
        self.row_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        upper_box.addWidget(self.results, 1)
        upper_box.addWidget(self.row_detail)
        split.addWidget(upper)
        split.addWidget(self.units_table)
        split.setSizes([440, 160])
        box.addWidget(split, 1)
        self.pages.addTab(page, t("Results"))
        may = self.user is None or self.user.may("edit_registry")
        self.add_button.setEnabled(False)
        self.correct_button.setEnabled(False)
        self._may_edit = may

    def fill_surveys(self, select: int | None = None) -> None:
        self.survey_combo.clear()
        for s in list_surveys(self.ledger.db):
            self.survey_combo.addItem(t("No. {id} · {period} · {file} · {rows} rows").format(
                id=s.id, period=s.period, file=s.file_name, rows=s.row_count), s.id)
        if select is not None:
            self.survey_combo.setCurrentIndex(max(0, self.survey_combo.findData(select)))
        has = self.survey_combo.count() > 0
        self.run_button.setEnabled(has)
        self.export_button.setEnabled(has)

    def load_dialog(self) -> None:
        path = file_dialogs.open_file(self, t("Choose the survey workbook"), t("Excel workbook (*.xlsx)"))
        if not path:
            return
        period, ok = QInputDialog.getText(self, t("Survey period"), t("Which period does the survey cover? (e.g. 2026H1)"),
                                          text=default_half(self.ledger.stat_year_start))
        if ok and period.strip():
            self.load(path, period.strip())

    def load(self, path: str, period_code: str) -> None:
        self._task = run_with_progress(self, t("Loading and matching the survey"), _load, self.ledger, path,
                                       period_code, on_success=self._shown, on_error=self._failed)

    def run(self) -> None:
        survey_id = self.survey_combo.currentData()
        if survey_id is None:
            return
        self._task = run_with_progress(self, t("Matching the survey against the ledger"), _run, self.ledger,
                                       survey_id, on_success=self._shown, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        messages.error(self, str(exc) if isinstance(exc, LedgerError) else repr(exc))

    def _shown(self, rec: Reconciliation) -> None:
        self.rec = rec
        self.fill_surveys(rec.survey.id)
        total = rec.total

        def pct(value) -> str:
            return "—" if value is None else f"{rounded(value)}%"

        self.summary.setText(t("{period} ({start} – {end}), survey {file}: {n} births; matched {m}, misreported {e}, "
                               "duplicated {d}, late {l}, unreported {u}, in review {r}. Accuracy {acc}, unreported "
                               "rate {ur}. In the ledger but not found by the survey: {lo}.").format(
            period=rec.survey.period, start=rec.survey.period_start, end=rec.survey.period_end,
            file=rec.survey.file_name, n=total.survey_births, m=total.counts["matched"],
            e=total.counts["misreported"], d=total.counts["duplicated"], l=total.counts["late"],
            u=total.counts["unreported"], r=total.counts["review"], acc=pct(total.accuracy),
            ur=pct(total.unreported_rate), lo=len(rec.ledger_only))
            + t(" Birth dates to verify (off by at most 3 days or day and month swapped; not misreports): {k}.")
            .format(k=sum(1 for r in rec.results if r.notes))
            + (f"\n{rec.accuracy_note()}" if rec.accuracy_note() else ""))
        self.fill_results()
        self.fill_units()
        self.review.set_rows(rec.survey.id, rec.results)
        self.pages.setTabText(1, t("Review queue ({n})").format(n=total.counts["review"]))

    def fill_results(self) -> None:
        if self.rec is None:
            return
        wanted = self.filter_combo.currentData()
        self.results.setRowCount(0)
        if wanted == "ledger_only":
            self._shown_rows = []
            self.results.setRowCount(len(self.rec.ledger_only))
            for i, item in enumerate(self.rec.ledger_only):
                values = ["", item["unit"], "", "", "", "", "", item["birth_date"], "", t("Ledger only"), "", "", "",
                          str(item["child_id"]), t("in review") if item["in_review"] else ""]
                for j, value in enumerate(values):
                    self.results.setItem(i, j, QTableWidgetItem(value))
            self._selection_changed()
            return
        shown = [r for r in self.rec.results
                 if wanted is None or r.outcome == wanted or (wanted == "date_notes" and r.notes)]
        self._shown_rows = shown
        self.results.setRowCount(len(shown))
        for i, r in enumerate(shown):
            row = r.row
            values = [str(row.row_number), row.unit_code, row.mother_name, mask_id(row.mother_id_number),
                      row.husband_name or "", row.child_name or "", row.sex, row.birth_date.isoformat(),
                      "" if row.birth_order is None else str(row.birth_order), OUTCOME_LABELS[r.outcome],
                      "、".join(r.differences), (r.date_slip or "") if r.notes else "",
                      "" if r.score is None else f"{r.score:.2f}",
                      str(r.child.id) if r.child else (str(r.added_child_id) if r.added_child_id else ""),
                      r.note or (t("mother in the ledger") if r.outcome == "unreported" and r.mother_woman_id else "")]
            color = COLORS.get(r.outcome)
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                if j == SLIP_COLUMN and r.notes:
                    item.setBackground(QBrush(QColor(SLIP_COLOR)))
                    item.setToolTip("\n".join(r.notes))
                elif color:
                    item.setBackground(QBrush(QColor(color)))
                self.results.setItem(i, j, item)
        self.results.resizeColumnsToContents()
        self._selection_changed()

    def fill_units(self) -> None:
        rec = self.rec
        tallies = [*rec.units, rec.total]
        self.units_table.setRowCount(len(tallies))
        from app.forms.model import Column

        pct = Column("", kind="percent")
        for i, u in enumerate(tallies):
            values = [u.code, u.name if u is not rec.total else "", u.survey_births, u.counts["matched"],
                      u.counts["misreported"], u.counts["duplicated"], u.counts["late"], u.counts["unreported"],
                      u.counts["review"], u.ledger_births, display(u.accuracy, pct), display(u.unreported_rate, pct)]
            for j, value in enumerate(values):
                self.units_table.setItem(i, j, QTableWidgetItem(str(value)))
        self.units_table.resizeColumnsToContents()

    def selected(self):
        rows = self.results.selectionModel().selectedRows() if self.results.selectionModel() else []
        if not rows or not getattr(self, "_shown_rows", None):
            return None
        index = rows[0].row()
        return self._shown_rows[index] if index < len(self._shown_rows) else None

    def _selection_changed(self) -> None:
        r = self.selected()
        self.row_detail.setText(self._detail_text(r) if r is not None else "")
        self.add_button.setEnabled(bool(self._may_edit and r and r.outcome == "unreported" and r.added_child_id is None))
        self.correct_button.setEnabled(bool(self._may_edit and r and r.outcome == "misreported" and r.child
                                            and r.note != "已按调查更正台帐"))

    def _detail_text(self, r) -> str:
        """The selected row in words: outcome, the differing fields, and every date note (待核日期)."""
        parts = [t("Survey row {row}: {outcome}").format(row=r.row.row_number, outcome=OUTCOME_LABELS[r.outcome])]
        if r.child is not None:
            parts.append(t("ledger child {id} (born {born})").format(id=r.child.id, born=r.child.birth_date.isoformat()))
        if r.differences:
            parts.append(t("differs in {fields}").format(fields="、".join(r.differences)))
        text = "，".join(parts) + "。"
        for note in r.notes:
            text += "\n" + t("Date to verify: {note}").format(note=note)
        return text

    def select_row(self, row_number: int) -> None:
        """Select a survey row in the results table (by its sheet row number)."""
        for i, r in enumerate(getattr(self, "_shown_rows", [])):
            if r.row.row_number == row_number:
                self.results.selectRow(i)
                return

    # ---- actions ---------------------------------------------------------------------------
    def add_unreported(self) -> None:
        r = self.selected()
        if r is None or self.rec is None:
            return
        dialog = AddUnreportedDialog(self.ledger, self.rec.survey.id, r.row, r.mother_woman_id, self)
        if dialog.exec():
            messages.info(self, t("The birth was added to the ledger (child {id}); it counts as a late report in "
                                  "the open period.").format(id=dialog.child_id))
            self.run()

    def correct_misreport(self) -> None:
        r = self.selected()
        if r is None or self.rec is None or r.child is None:
            return
        fields = [f for f in r.differences if f in decisions.CORRECTABLE]
        current = {"孩次": r.child.order, "性别": r.child.sex, "出生日期": r.child.birth_date.isoformat(),
                   "政策属性": r.child.policy}
        wanted = {"孩次": r.row.birth_order, "性别": r.row.sex, "出生日期": r.row.birth_date.isoformat(),
                  "政策属性": r.row.policy}
        lines = "\n".join(f"{f}：{current[f]} → {wanted[f]}" for f in fields)
        if not fields or not messages.confirm(self, t("Change the ledger card of child {id} as the survey says?\n{lines}")
                                              .format(id=r.child.id, lines=lines)):
            return
        try:
            decisions.correct_misreport(self.ledger, self.rec.survey.id, r.row.row_number, r.child.id, fields)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.run()

    def export(self) -> None:
        if self.rec is None:
            messages.warning(self, t("Match a survey first."))
            return
        folder = file_dialogs.choose_folder(self, t("Choose the folder for the report"))
        if not folder:
            return
        try:
            files = export_report(self.ledger, self.rec, folder)
        except (LedgerError, OSError) as exc:
            messages.error(self, str(exc))
            return
        messages.info(self, t("Written:\n{files}").format(files="\n".join(str(p) for p in files)))
