"""The pregnancy-check roster tab (孕检/三查名册): round picker, unit tree, due list with fast result
entry, bulk 已查, rates per unit and category, the 未查 worklist, overdue certificates, printing.

Rules:
- Everything is computed by app.roster; this tab only draws and calls it. The round's due list
  is computed once per round (or read frozen) and filtered per unit in memory.
- Typing or scanning an ID number, its last digits or a name in the find box and pressing
  Enter selects the woman (app.roster.results.match_due) and puts the cursor in the panel;
  Enter in the panel saves. Refusals show the core's Chinese message in the panel.
- ID numbers and phones are masked unless the user may `unmask_personal_data`; the 未查 and
  overdue worklists show full phone numbers (they exist to phone the women from the office).
- Printing runs in the background (ui.tasks) on its own connection, with progress and cancel.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import units as units_mod
from app.accounts import User
from app.errors import LedgerError
from app.idcard import mask_id
from app.ledger import Ledger
from app.periods import Period
from app.roster import due, rates, results, rounds, summary_form
from app.roster.results import CERTIFICATE, CHECKED, MISSED
from ui import file_dialogs, messages
from ui.i18n import t
from ui.roster.bulk_dialog import BulkCheckedDialog
from ui.roster.entry_panel import EntryPanel
from ui.roster.models import DueModel, PlainModel
from ui.table_habits import fit_columns
from ui.table_habits import install as install_table_habits
from ui.tasks import run_with_progress


def suggested_codes(stat_year_start: int, today: date) -> list[str]:
    """This quarter, the previous one and this half-year, as round codes."""
    out = []
    for year in (today.year, today.year + 1):
        for part in ("Q1", "Q2", "Q3", "Q4"):
            period = Period.parse(f"{year}{part}", stat_year_start)
            if period.contains(today):
                out += [period.code, period.previous().code]
        for part in ("H1", "H2"):
            period = Period.parse(f"{year}{part}", stat_year_start)
            if period.contains(today):
                out.append(period.code)
    return list(dict.fromkeys(out))


def _rate(value) -> str:
    return summary_form.rate_text(value)


class RosterTab(QWidget):
    def __init__(self, ledger: Ledger, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.user = ledger, user
        self.unmask = user.may("unmask_personal_data")
        self.round: rounds.Round | None = None
        self.women: list[due.DueWoman] = []
        self.scope_id: int | None = None
        self.unit_names: dict[int, str] = {}
        self._task = None
        self._setup_top_bar()
        self._setup_body()
        self._fill_round_combo()
        self.load_round(self.round_combo.currentText())

    # ---- layout ------------------------------------------------------------------------------
    def _setup_top_bar(self) -> None:
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(t("Round"), self))
        self.round_combo = QComboBox(self)
        self.round_combo.setObjectName("roundCombo")
        self.round_combo.setEditable(True)
        self.round_combo.setMinimumWidth(110)
        self.round_combo.activated.connect(lambda _i: self.load_round(self.round_combo.currentText()))
        self.round_combo.lineEdit().returnPressed.connect(lambda: self.load_round(self.round_combo.currentText()))
        bar.addWidget(self.round_combo)
        self.round_info = QLabel(self)
        self.round_info.setObjectName("roundInfo")
        bar.addWidget(self.round_info, 1)
        for name, text, slot in (("newRound", "New round…", self.new_round),
                                 ("closeRound", "Close round (freeze due list)", self.close_round),
                                 ("printRosters", "Print rosters…", self.print_rosters),
                                 ("saveRosters", "Save roster files…", self.save_rosters),
                                 ("exportSummary", "Export summary form…", self.export_summary)):
            button = QPushButton(t(text), self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            bar.addWidget(button)
            setattr(self, name + "_button", button)
        self.printRosters_button.setShortcut("Ctrl+P")  # active only while this tab is shown
        self.printRosters_button.setToolTip(t("Shortcut: {key}").format(key="Ctrl+P"))
        outer.addLayout(bar)
        self._outer = outer

    def _setup_body(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.tree = QTreeWidget(splitter)
        self.tree.setObjectName("unitTree")
        self.tree.setHeaderLabels([t("Unit"), t("Due"), t("Rate")])
        self.tree.setMinimumWidth(280)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            self.tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._on_unit_changed)
        self.pages = QTabWidget(splitter)
        self.pages.setObjectName("rosterPages")
        self.pages.addTab(self._due_page(), t("Due list"))
        self.unit_rates = self._table_page("unitRatesTable", [t("Unit"), t("Due"), t("Checked"), t("Certificate"),
                                                              t("Not checked"), t("Rate")])
        self.category_rates = PlainModel([t("Category"), t("Due"), t("Checked"), t("Certificate"),
                                          t("Not checked"), t("Rate")], self)
        rates_page = QWidget(self)
        rates_layout = QVBoxLayout(rates_page)
        rates_layout.addWidget(QLabel(t("By unit (each rolled up over its subtree)"), rates_page))
        rates_layout.addWidget(self._view(self.unit_rates, "unitRatesView", rates_page), 3)
        rates_layout.addWidget(QLabel(t("By category"), rates_page))
        rates_layout.addWidget(self._view(self.category_rates, "categoryRatesView", rates_page), 2)
        self.pages.addTab(rates_page, t("Rates"))
        self.worklist = self._table_page("worklistTable", [t("Woman's name"), t("ID number"), t("Unit"), t("Residence"),
                                                           t("Phone"), t("Husband"), t("Result")])
        self.pages.addTab(self._view(self.worklist, "worklistView", self), t("Not checked worklist"))
        self.overdue = self._table_page("overdueTable", [t("Woman's name"), t("ID number"), t("Unit"), t("Phone"),
                                                         t("Days overdue"), t("Result")])
        self.pages.addTab(self._view(self.overdue, "overdueView", self), t("Outflow certificates overdue"))
        self.panel = EntryPanel(splitter)
        self.panel.save_requested.connect(self.save_result)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 6)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([290, 720, 330])
        self._outer.addWidget(splitter, 1)

    def _table_page(self, name: str, headers: list[str]) -> PlainModel:
        model = PlainModel(headers, self)
        model.setObjectName(name)
        return model

    def _view(self, model, name: str, parent: QWidget) -> QTableView:
        view = QTableView(parent)
        view.setObjectName(name)
        view.setModel(model)
        view.verticalHeader().setVisible(False)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.horizontalHeader().setStretchLastSection(True)
        view.setAlternatingRowColors(True)
        return view

    def _due_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        self.find_edit = QLineEdit(page)
        self.find_edit.setObjectName("findWoman")
        self.find_edit.setPlaceholderText(t("Type or scan an ID number, its last digits, or a name; Enter"))
        self.find_edit.returnPressed.connect(self.find_woman)
        row.addWidget(self.find_edit, 3)
        self.filter_combo = QComboBox(page)
        self.filter_combo.setObjectName("resultFilter")
        for text, kind in ((t("All"), ""), (t("Not checked"), MISSED), (t("Checked"), CHECKED),
                           (t("Certificate"), CERTIFICATE)):
            self.filter_combo.addItem(text, kind)
        self.filter_combo.currentIndexChanged.connect(lambda _i: self.model.apply_filter(self.filter_combo.currentData()))
        row.addWidget(self.filter_combo)
        bulk = QPushButton(t("Bulk checked…"), page)
        bulk.setObjectName("bulkChecked")
        bulk.clicked.connect(self.bulk_checked)
        row.addWidget(bulk)
        exempt = QPushButton(t("Exempt…"), page)
        exempt.setObjectName("markExempt")
        exempt.clicked.connect(self.mark_exempt)
        row.addWidget(exempt)
        layout.addLayout(row)
        self.find_status = QLabel(page)
        self.find_status.setObjectName("findStatus")
        layout.addWidget(self.find_status)
        self.empty_hint = QLabel(t("Nobody is due for a check in this round: the ledger has no women who need one "
                                   "yet. Import or enter cards on the registry tab (or load the demo data there), "
                                   "then come back to this round."), page)
        self.empty_hint.setObjectName("rosterEmptyHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("padding: 8px; background: #fff8dc; border: 1px solid #e0d090;")
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)
        self.model = DueModel(self.unmask, self)
        self.table = self._view(self.model, "dueTable", page)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        install_table_habits(self.table, open_card=self.open_card_at)
        layout.addWidget(self.table, 1)
        return page

    # ---- loading -----------------------------------------------------------------------------
    def _fill_round_combo(self) -> None:
        stored = [r.code for r in rounds.list_rounds(self.ledger.db)]
        codes = list(dict.fromkeys(stored + suggested_codes(self.ledger.stat_year_start, date.today())))
        self.round_combo.clear()
        self.round_combo.addItems(codes)

    def load_round(self, code: str) -> None:
        try:
            rnd = rounds.resolve(self.ledger, code)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.round = rnd
        if self.round_combo.currentText() != rnd.code:
            index = self.round_combo.findText(rnd.code)
            if index < 0:
                self.round_combo.addItem(rnd.code)
                index = self.round_combo.count() - 1
            self.round_combo.setCurrentIndex(index)
        self.women = due.due_list(self.ledger, rnd)
        status = t("closed, due list frozen") if rnd.closed else t("open, due list follows the registry")
        self.round_info.setText(f"{rnd.period_label}  {rnd.start.isoformat()} – {rnd.end.isoformat()}  ({status})")
        self.closeRound_button.setEnabled(not rnd.closed)
        self._fill_tree()

    def _fill_tree(self) -> None:
        assert self.round is not None
        everything = units_mod.units_on(self.ledger.db, self.round.end)
        self.unit_names = {u.id: u.name for u in everything}
        kids = units_mod.children_map(everything)
        ids = {u.id for u in everything}
        self.tree.blockSignals(True)
        self.tree.clear()
        top = QTreeWidgetItem(self.tree, [t("All units"), "", ""])
        top.setData(0, Qt.ItemDataRole.UserRole, None)

        def add(parent_item: QTreeWidgetItem, unit: units_mod.Unit) -> None:
            item = QTreeWidgetItem(parent_item, [unit.name, "", ""])
            item.setData(0, Qt.ItemDataRole.UserRole, unit.id)
            for child in kids.get(unit.id, []):
                add(item, child)

        for unit in [u for u in everything if u.parent_id is None or u.parent_id not in ids]:
            add(top, unit)
        self._figure_tree(top)
        self.tree.expandToDepth(1)
        self.tree.blockSignals(False)
        self.tree.setCurrentItem(top)
        self._on_unit_changed(top, None)

    def _figure_tree(self, top: QTreeWidgetItem) -> None:
        """Due count and rate on every tree node (rolled up), from one pass over the due list."""
        assert self.round is not None
        res = results.results_for(self.ledger.db, self.round)
        parent_of = {u.id: u.parent_id for u in units_mod.units_on(self.ledger.db, self.round.end)}
        tallies: dict[int | None, rates.Tally] = {}
        place = rates.unit_at(self.ledger, self.round.end)
        for woman in self.women:
            node: int | None = place(woman.unit_id)
            seen = set()
            while node is not None and node not in seen:
                seen.add(node)
                tallies.setdefault(node, rates.Tally()).add(res.get(woman.woman_id))
                node = parent_of.get(node)
            tallies.setdefault(None, rates.Tally()).add(res.get(woman.woman_id))

        def paint(item: QTreeWidgetItem) -> None:
            tally = tallies.get(item.data(0, Qt.ItemDataRole.UserRole), rates.Tally())
            item.setText(1, str(tally.due))
            item.setText(2, _rate(tally.rate))
            for i in range(item.childCount()):
                paint(item.child(i))

        paint(top)

    def _on_unit_changed(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if item is None or self.round is None:
            return
        self.scope_id = item.data(0, Qt.ItemDataRole.UserRole)
        self.refresh()

    def scope_women(self) -> list[due.DueWoman]:
        if self.scope_id is None or self.round is None:
            return self.women
        inside = set(units_mod.subtree_ids(self.ledger.db, self.scope_id, self.round.end))
        place = rates.unit_at(self.ledger, self.round.end)
        return [w for w in self.women if place(w.unit_id) in inside]

    def scope_code(self) -> str | None:
        if self.scope_id is None:
            return None
        return units_mod.code_for_id(self.ledger.db, self.scope_id)

    def refresh(self) -> None:
        """Redraw the list, rates and worklists for the round and the selected unit."""
        assert self.round is not None
        current = self.panel.woman.woman_id if self.panel.woman else None
        res = results.results_for(self.ledger.db, self.round)
        scoped = self.scope_women()
        self.empty_hint.setVisible(not self.women)
        self.model.load(scoped, res, self.unit_names)
        data = rates.figures(self.ledger, self.round, self.scope_code(), women=self.women)
        rows = [[u.unit.name, *self._tally_cells(u.total)] for u in data.units]
        rows.append([t("Total"), *self._tally_cells(data.total)])
        self.unit_rates.load(rows, bold_last=True)
        self.category_rates.load([[name, *self._tally_cells(tally)] for name, tally in data.by_category.items()])
        mask_i = (lambda v: v) if self.unmask else mask_id
        # The worklists are for phoning from the office: full phone numbers, IDs masked as usual.
        mask_p = lambda v: v or ""  # noqa: E731
        self.worklist.load([[w.name, mask_i(w.id_number), self.unit_names.get(w.unit_id, ""), w.residence,
                             mask_p(w.phone), w.husband_name or "",
                             res[w.woman_id].describe() if w.woman_id in res else t("no result")]
                            for w in scoped if not (w.woman_id in res and res[w.woman_id].counts_as_checked)])
        late = rates.overdue_certificates(self.ledger, self.round, date.today(), {w.unit_id for w in scoped})
        self.overdue.load([[i.woman.name, mask_i(i.woman.id_number), self.unit_names.get(i.woman.unit_id, ""),
                            mask_p(i.woman.phone), str(i.days_overdue),
                            i.result.describe() if i.result else t("no result")] for i in late])
        self.pages.setTabText(2, t("Not checked worklist") + f" ({len(self.worklist.rows)})")
        self.pages.setTabText(3, t("Outflow certificates overdue") + f" ({len(late)})")
        for view in self.findChildren(QTableView):   # columns the clerk sized keep their width
            fit_columns(view)
        if current is not None:
            self.select_woman(current)
        else:
            self.panel.set_woman(None, None)

    @staticmethod
    def _tally_cells(tally: rates.Tally) -> list[str]:
        return [str(tally.due), str(tally.checked), str(tally.certificate), str(tally.missed), _rate(tally.rate)]

    # ---- finding and entering ---------------------------------------------------------------------
    def _on_row_changed(self, current, _previous) -> None:
        woman = self.model.woman_at(current.row()) if current.isValid() else None
        self._show_in_panel(woman)

    def _show_in_panel(self, woman: due.DueWoman | None) -> None:
        if woman is None or self.round is None:
            self.panel.set_woman(None, None)
            return
        stored = self.model.results.get(woman.woman_id)
        shown = woman.id_number if self.unmask else mask_id(woman.id_number)
        self.panel.set_woman(woman, stored, shown)

    def select_woman(self, woman_id: int) -> bool:
        row = self.model.row_of(woman_id)
        if row < 0 and self.model.filter:
            self.filter_combo.setCurrentIndex(0)
            row = self.model.row_of(woman_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.scrollTo(self.model.index(row, 0))
        self._show_in_panel(self.model.woman_at(row))
        return True

    def find_woman(self) -> None:
        found = results.match_due(self.model.all, self.find_edit.text())
        if not found:
            self.find_status.setText(t("No due woman in this unit matches “{text}”.").format(text=self.find_edit.text()))
            return
        if len(found) > 1:
            self.find_status.setText(t("{count} women match; showing the first. Type more digits to narrow.")
                                     .format(count=len(found)))
        else:
            self.find_status.setText("")
        self.select_woman(found[0].woman_id)
        focus = {CHECKED: self.panel.check_date, CERTIFICATE: self.panel.certificate_date,
                 MISSED: self.panel.followup}[self.panel.kind()]
        focus.setFocus()
        focus.selectAll()

    def save_result(self) -> None:
        woman = self.panel.woman
        if woman is None or self.round is None:
            return
        try:
            results.record(self.ledger, self.round.code, woman.woman_id, self.panel.build())
        except LedgerError as exc:
            self.panel.show_error(str(exc))
            return
        self.round = rounds.resolve(self.ledger, self.round.code)
        self.refresh()
        self._figure_tree(self.tree.topLevelItem(0))
        self.find_status.setText(t("Saved: {name}.").format(name=woman.name))
        self.find_edit.clear()
        self.find_edit.setFocus()

    def bulk_checked(self) -> None:
        if self.round is None:
            return
        prefill = [self.model.rows[i.row()].id_number for i in self.table.selectionModel().selectedRows()]
        dialog = BulkCheckedDialog(self.model.all, prefill, self)
        if not self.exec_dialog(dialog):
            return
        try:
            outcome = results.bulk_checked(self.ledger, self.round.code, dialog.woman_ids, dialog.check_date,
                                           dialog.place())
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.round = rounds.resolve(self.ledger, self.round.code)
        self.refresh()
        self._figure_tree(self.tree.topLevelItem(0))
        self.find_status.setText(t("Marked checked: {done}; kept their earlier result: {kept}.")
                                 .format(done=len(outcome.recorded), kept=len(outcome.skipped)))

    def open_card_at(self, row: int) -> None:
        """右键 › 打开卡片: the woman's registry card; the round is redrawn after it closes."""
        from ui.dialogs.card_editor import CardEditor

        woman = self.model.woman_at(row)
        if woman is None:
            return
        self.exec_dialog(CardEditor(self.ledger, self.user, woman.woman_id, self))
        if self.round is not None:
            self.load_round(self.round.code)

    def exec_dialog(self, dialog) -> bool:
        """Run a modal dialog (tests replace this to drive the dialog without a modal loop)."""
        return bool(dialog.exec())

    def mark_exempt(self) -> None:
        woman = self.panel.woman
        if woman is None:
            messages.info(self, t("Select a woman first."))
            return
        reason, ok = QInputDialog.getText(self, t("Exempt from checks"),
                                          t("Reason (e.g. hysterectomy); the woman leaves the open rounds' due lists:"))
        if not ok or not reason.strip():
            return
        try:
            results.set_exempt(self.ledger, woman.woman_id, reason)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.load_round(self.round.code if self.round else "")

    # ---- rounds, printing, export -----------------------------------------------------------------
    def new_round(self) -> None:
        code, ok = QInputDialog.getText(self, t("New round"), t("Period code of the round (e.g. 2026Q3, 2026H2):"))
        if not ok or not code.strip():
            return
        try:
            rnd = rounds.create(self.ledger, code)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self._fill_round_combo()
        self.load_round(rnd.code)

    def close_round(self) -> None:
        if self.round is None or not messages.confirm(
                self, t("Close round {code}? Its due list will be frozen as it is now.").format(code=self.round.code)):
            return
        try:
            rounds.close(self.ledger, self.round.code)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.load_round(self.round.code)

    def ask_folder(self, title: str) -> str:
        return file_dialogs.choose_folder(self, title)

    def print_rosters(self):
        """打印名册…: every village's roster (each village from a new page) in the print preview,
        the same PDF pages the saved files hold; nothing is written into the clerk's folders."""
        from ui.print_preview import print_in_background

        if self.round is None:
            return None
        rnd, unit_code, ledger = self.round, self.scope_code(), self.ledger

        def make(progress, folder):
            from app.roster import printing

            with ledger.worker() as view:
                outcome = printing.write_all(view, rnd, folder, unit_code, formats=("pdf",), progress=progress)
            return outcome.files, outcome.warnings

        self._task = print_in_background(self, t("Pregnancy-check rosters {code}").format(code=rnd.code), make)
        return self._task

    def save_rosters(self) -> None:
        """保存名册文件…: one PDF and one Excel file per village into a chosen folder."""
        if self.round is None:
            return
        folder = self.ask_folder(t("Folder for the printed rosters"))
        if not folder:
            return
        rnd, unit_code, ledger = self.round, self.scope_code(), self.ledger

        def work(progress):
            from app.roster import printing

            with ledger.worker() as view:
                return printing.write_all(view, rnd, Path(folder), unit_code, progress=progress)

        self._task = run_with_progress(self, t("Printing rosters"), work, on_success=self._printed,
                                       on_error=lambda exc: messages.error(self, str(exc)))

    def _printed(self, outcome) -> None:
        text = t("{count} files written.").format(count=len(outcome.files))
        if outcome.warnings:
            text += "\n" + "\n".join(outcome.warnings[:10])
        self.find_status.setText(text.splitlines()[0])
        messages.info(self, text)

    def export_summary(self) -> None:
        if self.round is None:
            return
        folder = self.ask_folder(t("Folder for the summary form"))
        if not folder:
            return
        try:
            stem, warnings = summary_form.export(self.ledger, self.round, self.scope_code(), folder)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        messages.info(self, "\n".join([t("Written: {path}").format(path=f"{stem}.xlsx / .pdf"), *warnings]))
