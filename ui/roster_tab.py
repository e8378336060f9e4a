"""The pregnancy-check roster tab (孕检/三查名册): round picker, unit tree, due list with fast result
entry, bulk 已查, rates per unit and category, the 未查 worklist, overdue certificates, printing.

Rules:
- Everything is computed by app.roster; this tab only draws and calls it. Loading a round runs
  app.roster.view.roster_view (due list, results, tree tallies, the unit's rates and worklists)
  on a worker Task with its own connection; meanwhile a progress bar with a cancel button shows
  in the tab and the round's widgets are disabled, but the event loop keeps running. The GUI
  thread only fills widgets from the returned plain data.
- Changing the unit computes `scope_of` on the worker from the round's view already loaded: the
  due list is not computed again. Saving a result (or bulk 已查) re-reads the results and
  figures on the worker, reusing the due list; the list and panel stay usable meanwhile, and
  the woman being typed in the panel is kept. `refresh()` (outside changes) reloads the round.
- Typing or scanning an ID number, its last digits or a name in the find box and pressing
  Enter selects the woman (app.roster.results.match_due) and puts the cursor in the panel;
  Enter in the panel saves. Refusals show the core's Chinese message in the panel.
- ID numbers and phones are masked everywhere in the tab (list, panel, worklists), as on the
  registry. 显示完整号码 (button, or the lists' context menu) shows the selected woman's full
  numbers through app.registry.reveal: only for roles that may `unmask_personal_data`, and
  written to the audit log. Revealed numbers are forgotten when a round is loaded again.
- Printing, bulk 已查 and closing a round run in the background (ui.tasks) on their own
  connection, with progress and cancel.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import registry
from app.accounts import User
from app.errors import LedgerError
from app.idcard import mask_id
from app.ledger import Ledger
from app.periods import Period
from app.roster import due, rates, results, rounds, summary_form
from app.roster import view as roster_view_mod
from app.roster.results import CERTIFICATE, CHECKED, MISSED
from ui import file_dialogs, messages
from ui.i18n import t
from ui.roster.bulk_dialog import BulkCheckedDialog
from ui.roster.entry_panel import EntryPanel
from ui.roster.models import DueModel, PlainModel, WorkModel
from ui.table_habits import fit_columns
from ui.table_habits import install as install_table_habits
from ui.tasks import Task, run_with_progress

# How many rows a column is sized from (Qt's default is 1000; a district list is ~70,000 rows,
# and every sampled cell is a Python call on the GUI thread).
RESIZE_PRECISION = 50


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


_gc_lock = threading.Lock()
_gc_pauses = 0


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause automatic garbage collection while a worker builds a view; freeze what it built.

    A district view is ~200,000 new objects. Built with the collector on, they trigger full
    collections that hold the GIL for 0.1–0.2 s each, and the screen stops with them. The
    view's objects form no reference cycles (plain records, lists, dicts), so reference
    counting frees them when the next view replaces them: moving them to the permanent
    generation (gc.freeze) keeps later collections as short as before the load. Nested and
    concurrent pauses are counted; the collector runs again when the last one ends.
    """
    global _gc_pauses
    with _gc_lock:
        _gc_pauses += 1
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0:
                gc.freeze()
                gc.enable()


def _compute_view(progress, given: list) -> list[roster_view_mod.RosterView]:
    """Worker: the round's whole view on the worker's own connection.

    In and out through one-item lists that the tab empties (see `_handoff`): `given` is
    [ledger, round, unit id, due list or None].
    """
    ledger, rnd, scope_id, women = given
    with ledger.reader() as view, _collector_paused():
        return [roster_view_mod.roster_view(view, rnd, scope_id, women=women, progress=progress)]


def _compute_scope(_progress, given: list) -> list[roster_view_mod.ScopeView]:
    """Worker: one unit's part of a view already loaded (no database); `given` = [view, unit id]."""
    data, unit_id = given
    with _collector_paused():
        return [roster_view_mod.scope_of(data, unit_id)]


def _handoff(task: Task, given: list, deliver, fail, finished) -> Task:
    """Wire a worker Task so that it keeps nothing large once it has finished.

    A finished Task and its thread object refer to each other, so only the cyclic collector
    frees them, and `_collector_paused` may have frozen them: their arguments and result must
    not be the round's data. The inputs travel in `given` (emptied when the task finishes) and
    the result in a one-item list that is emptied on delivery; an error loses its traceback.
    """
    task.succeeded.connect(lambda box: deliver(box.pop()) if box else None)
    task.failed.connect(fail)

    def done() -> None:
        given.clear()
        if isinstance(task.result, list):
            task.result.clear()
        if task.error is not None:            # its traceback holds the worker's frames and data
            task.error.with_traceback(None)
        finished()

    task.finished.connect(done)
    return task


class RosterTab(QWidget):
    def __init__(self, ledger: Ledger, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger, self.user = ledger, user
        self.may_reveal = user is None or user.may("unmask_personal_data")
        self.round: rounds.Round | None = None
        self.view: roster_view_mod.RosterView | None = None
        self.scope: roster_view_mod.ScopeView | None = None
        self.scope_id: int | None = None
        self.revealed: dict[int, dict] = {}
        self.unit_names: dict[int, str] = {}
        self.running: list[Task] = []        # every task started here, until it has finished
        self.load_task: Task | None = None   # the round's view (full load or results refresh)
        self.scope_task: Task | None = None  # a unit change
        self._task = None                    # printing / bulk / closing (modal progress)
        self._keep_panel = False
        self._generation = 0                 # counts the views shown (a unit's scope must match)
        self._setup_top_bar()
        self._setup_loading_bar()
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
        for name, text, slot in (("revealNumbers", "Show full numbers", self.reveal_selected),
                                 ("newRound", "New round…", self.new_round),
                                 ("closeRound", "Close round (freeze due list)", self.close_round),
                                 ("printRosters", "Print rosters…", self.print_rosters),
                                 ("saveRosters", "Save roster files…", self.save_rosters),
                                 ("exportSummary", "Export summary form…", self.export_summary)):
            button = QPushButton(t(text), self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            bar.addWidget(button)
            setattr(self, name + "_button", button)
        self.revealNumbers_button.setEnabled(self.may_reveal)
        self.revealNumbers_button.setToolTip(
            t("Full ID and phone of the selected woman; the viewing is written to the audit log.") if self.may_reveal
            else t("Your role may not view full ID and phone numbers."))
        self.printRosters_button.setShortcut("Ctrl+P")  # active only while this tab is shown
        self.printRosters_button.setToolTip(t("Shortcut: {key}").format(key="Ctrl+P"))
        outer.addLayout(bar)
        self._outer = outer

    def _setup_loading_bar(self) -> None:
        self.loading = QWidget(self)
        self.loading.setObjectName("rosterLoading")
        row = QHBoxLayout(self.loading)
        row.setContentsMargins(0, 0, 0, 0)
        self.loading_label = QLabel(self.loading)
        self.loading_label.setObjectName("rosterLoadingText")
        row.addWidget(self.loading_label)
        self.loading_bar = QProgressBar(self.loading)
        self.loading_bar.setObjectName("rosterLoadingBar")
        self.loading_bar.setTextVisible(False)
        self.loading_bar.setMaximumWidth(240)
        row.addWidget(self.loading_bar)
        self.loading_cancel = QPushButton(t("Cancel"), self.loading)
        self.loading_cancel.setObjectName("rosterLoadingCancel")
        self.loading_cancel.clicked.connect(self.cancel_loading)
        row.addWidget(self.loading_cancel)
        row.addStretch(1)
        self.loading.hide()
        self._outer.addWidget(self.loading)

    def _setup_body(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter = splitter
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
        self.worklist = WorkModel(["name", "id", "unit", "residence", "phone", "husband", "result"],
                                  self.revealed, self)
        self.worklist.setObjectName("worklistTable")
        self.worklist_view = self._view(self.worklist, "worklistView", self)
        self.pages.addTab(self.worklist_view, t("Not checked worklist"))
        self.overdue = WorkModel(["name", "id", "unit", "phone", "days", "result"], self.revealed, self)
        self.overdue.setObjectName("overdueTable")
        self.overdue_view = self._view(self.overdue, "overdueView", self)
        self.pages.addTab(self.overdue_view, t("Outflow certificates overdue"))
        self._unsized: set[int] = set()
        self.pages.currentChanged.connect(self._size_page)
        for view in (self.table, self.worklist_view, self.overdue_view):
            action = QAction(t("Show full numbers"), view)
            action.setObjectName("revealAction")
            action.setEnabled(self.may_reveal)
            action.triggered.connect(self.reveal_selected)
            install_table_habits(view).extra_actions.append(action)   # in the table's right-click menu
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
        view.horizontalHeader().setResizeContentsPrecision(RESIZE_PRECISION)
        view.verticalHeader().setDefaultSectionSize(24)
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
        self.model = DueModel(self.revealed, self)
        self.table = self._view(self.model, "dueTable", page)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        install_table_habits(self.table, open_card=self.open_card_at)
        layout.addWidget(self.table, 1)
        return page

    # ---- loading ---------------------------------------------------------------------------------
    def _fill_round_combo(self) -> None:
        stored = [r.code for r in rounds.list_rounds(self.ledger.db)]
        codes = list(dict.fromkeys(stored + suggested_codes(self.ledger.stat_year_start, date.today())))
        self.round_combo.clear()
        self.round_combo.addItems(codes)

    def load_round(self, code: str) -> None:
        """Resolve the round and compute its view in the background (module rules)."""
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
        status = t("closed, due list frozen") if rnd.closed else t("open, due list follows the registry")
        self.round_info.setText(f"{rnd.period_label}  {rnd.start.isoformat()} – {rnd.end.isoformat()}  ({status})")
        self.closeRound_button.setEnabled(not rnd.closed)
        self.revealed.clear()
        self._start_view(women=None)

    def refresh(self) -> None:
        """The ledger changed outside this tab (import, restore, units): load the round again."""
        if self.round is not None:
            self.load_round(self.round.code)

    def _start_view(self, women: list[due.DueWoman] | None) -> None:
        """Compute the round's view on a worker: everything (women None) or results and figures only."""
        assert self.round is not None
        for old in (self.load_task, self.scope_task):
            if old is not None and not old.done:
                old.drop()
        self.scope_task = None
        full = women is None
        given = [self.ledger, self.round, self.scope_id, women]
        task = Task(_compute_view, given, parent=self)
        task.progressed.connect(self._show_progress)
        _handoff(task, given, lambda data, task=task: self._view_ready(task, data, rebuild=full),
                 lambda exc, task=task: self._view_failed(task, exc), lambda task=task: self._task_finished(task))
        self.load_task = task
        self._keep(task)
        if full:
            self._clear()
            self.splitter.setEnabled(False)
            self._show_loading(t("Computing the due list…"), cancellable=True)
        else:
            self._show_loading(t("Updating the rates…"), cancellable=False)
        self.exportSummary_button.setEnabled(False)
        task.start()

    def _clear(self) -> None:
        """Nothing of the previous round stays on screen while the new one is computed."""
        self.view = self.scope = None
        self._generation += 1
        self.tree.clear()
        self.model.load([], {}, {})
        for model in (self.unit_rates, self.category_rates):
            model.load([])
        for work in (self.worklist, self.overdue):
            work.load([], {})
        self.pages.setTabText(2, t("Not checked worklist"))
        self.pages.setTabText(3, t("Outflow certificates overdue"))
        self.empty_hint.hide()
        self.panel.set_woman(None, None)

    def _keep(self, task: Task) -> None:
        """Hold every started task until its thread has finished (drop() does not stop it at once)."""
        self.running = [other for other in self.running if not other.done] + [task]

    @property
    def busy(self) -> bool:
        """A round view or unit is still being computed (tests wait for this to turn False)."""
        return any(not task.done for task in self.running)

    def _show_loading(self, text: str, cancellable: bool) -> None:
        self.loading_label.setText(text)
        self.loading_bar.setRange(0, 0)      # busy until the first step is done
        self.loading_cancel.setVisible(cancellable)
        self.loading.show()

    def _show_progress(self, done: int, total: int, text: str) -> None:
        if done > 0:
            self.loading_bar.setRange(0, max(total, 1))
            self.loading_bar.setValue(min(done, max(total, 1)))
        if text:
            self.loading_label.setText(text)

    def cancel_loading(self) -> None:
        if self.load_task is not None and not self.load_task.done:
            self.load_task.cancel()
            self.loading_label.setText(t("Cancelling…"))

    def _task_finished(self, task: Task) -> None:
        if not self.busy:
            self.loading.hide()
        task.deleteLater()

    def _view_failed(self, task: Task, exc: BaseException) -> None:
        if task is not self.load_task:
            return
        self.splitter.setEnabled(self.view is not None)
        if isinstance(exc, roster_view_mod.ViewCancelled):
            self.find_status.setText(t("Cancelled. Choose the round again to compute its due list."))
            return
        messages.error(self, str(exc) if isinstance(exc, LedgerError) else repr(exc))

    def _view_ready(self, task: Task, data: roster_view_mod.RosterView, rebuild: bool) -> None:
        if task is not self.load_task:
            return
        self.view = data
        self._generation += 1
        self.unit_names = data.unit_names
        self.splitter.setEnabled(True)
        if rebuild:
            self._fill_tree(data)
        self._paint_tree()
        assert data.scope is not None
        if data.scope.unit_id != self.scope_id:    # the unit changed while this was computed
            self._start_scope(self.scope_id)
        else:
            self._show_scope(data.scope)

    def _fill_tree(self, data: roster_view_mod.RosterView) -> None:
        """The unit tree of the round's last day under 全部单位; the view's scope is selected.

        Walked with a stack, not a recursive closure: a closure that calls itself is a reference
        cycle, which `_collector_paused` could freeze together with the view it refers to.
        """
        assert data.scope is not None
        kids = data.kids
        ids = {u.id for u in data.units}
        self.tree.blockSignals(True)
        self.tree.clear()
        top = QTreeWidgetItem(self.tree, [t("All units"), "", ""])
        top.setData(0, Qt.ItemDataRole.UserRole, None)
        chosen = top
        stack = [(top, u) for u in reversed([u for u in data.units if u.parent_id is None or u.parent_id not in ids])]
        while stack:
            parent_item, unit = stack.pop()
            item = QTreeWidgetItem(parent_item, [unit.name, "", ""])
            item.setData(0, Qt.ItemDataRole.UserRole, unit.id)
            if unit.id == data.scope.unit_id:
                chosen = item
            stack.extend((item, child) for child in reversed(kids.get(unit.id, [])))
        self.tree.expandToDepth(1)
        item = top.child(0) if top.childCount() == 1 else None
        while item is not None:              # a lone root or township: open it down to the villages
            item.setExpanded(True)
            item = item.child(0) if item.childCount() == 1 else None
        self.tree.setCurrentItem(chosen)
        self.tree.blockSignals(False)
        self.scope_id = data.scope.unit_id

    def _paint_tree(self) -> None:
        """Due count and rate on every tree node (rolled up), from the view's tallies."""
        assert self.view is not None
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            tally = self.view.tally(item.data(0, Qt.ItemDataRole.UserRole))
            item.setText(1, str(tally.due))
            item.setText(2, _rate(tally.rate))
            stack.extend(item.child(i) for i in range(item.childCount()))

    def _on_unit_changed(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if item is None or self.round is None:
            return
        self.scope_id = item.data(0, Qt.ItemDataRole.UserRole)
        if self.view is not None and (self.scope is None or self.scope.unit_id != self.scope_id):
            self._start_scope(self.scope_id)

    def _start_scope(self, unit_id: int | None) -> None:
        """Filter the loaded view to a unit on a worker (no database, no due list)."""
        assert self.view is not None
        if self.scope_task is not None and not self.scope_task.done:
            self.scope_task.drop()
        given = [self.view, unit_id]
        generation = self._generation
        task = Task(_compute_scope, given, parent=self)
        _handoff(task, given, lambda scope, task=task: self._scope_ready(task, generation, scope),
                 lambda exc, task=task: self._view_failed(task, exc) if task is self.scope_task else None,
                 lambda task=task: self._task_finished(task))
        self.scope_task = task
        self._keep(task)
        task.start()

    def _scope_ready(self, task: Task, generation: int, scope: roster_view_mod.ScopeView) -> None:
        if task is not self.scope_task or generation != self._generation or scope.unit_id != self.scope_id:
            return
        self._show_scope(scope)

    def scope_women(self) -> list[due.DueWoman]:
        return self.scope.women if self.scope is not None else []

    def scope_code(self) -> str | None:
        return self.scope.unit_code if self.scope is not None else None

    def _show_scope(self, scope: roster_view_mod.ScopeView) -> None:
        """Fill the list, rates and worklists from computed data (no ledger reads here)."""
        assert self.view is not None
        data = self.view
        self.scope = scope
        current = self.panel.woman.woman_id if self.panel.woman else None
        self.empty_hint.setVisible(not data.women)
        self.model.load(scope.women, data.results, data.unit_names)
        figures = scope.figures
        rows = [[u.unit.name, *self._tally_cells(u.total)] for u in figures.units]
        rows.append([t("Total"), *self._tally_cells(figures.total)])
        self.unit_rates.load(rows, bold_last=True)
        self.category_rates.load([[name, *self._tally_cells(tally)] for name, tally in figures.by_category.items()])
        self.worklist.load(scope.missed, data.unit_names)
        self.overdue.load(scope.overdue, data.unit_names)
        self.pages.setTabText(2, t("Not checked worklist") + f" ({len(scope.missed)})")
        self.pages.setTabText(3, t("Outflow certificates overdue") + f" ({len(scope.overdue)})")
        self._unsized = set(range(self.pages.count()))
        self._size_page(self.pages.currentIndex())
        self.exportSummary_button.setEnabled(True)
        if current is None or not self.select_woman(current, keep_panel=True):
            self.panel.set_woman(None, None)

    def _size_page(self, page: int) -> None:
        """Fit the columns of a page's tables once its data changed, when the page is shown."""
        if page not in self._unsized:
            return
        self._unsized.discard(page)
        widget = self.pages.widget(page)
        for view in [widget] if isinstance(widget, QTableView) else widget.findChildren(QTableView):
            fit_columns(view)       # the last one stretches; columns the clerk sized keep their width

    @staticmethod
    def _tally_cells(tally: rates.Tally) -> list[str]:
        return [str(tally.due), str(tally.checked), str(tally.certificate), str(tally.missed), _rate(tally.rate)]

    # ---- full numbers (audited) --------------------------------------------------------------------
    def _page_view(self) -> tuple[QTableView, DueModel | WorkModel] | None:
        page = self.pages.currentIndex()
        if page == 0:
            return self.table, self.model
        if page == 2:
            return self.worklist_view, self.worklist
        if page == 3:
            return self.overdue_view, self.overdue
        return None

    def selected_woman(self) -> due.DueWoman | None:
        """The woman selected on the page shown (due list or a worklist)."""
        shown = self._page_view()
        if shown is None:
            return None
        view, model = shown
        index = view.currentIndex()
        return model.woman_at(index.row()) if index.isValid() else None

    def reveal_selected(self) -> None:
        """Show the selected woman's full ID and phone (app.registry.reveal: role-checked, audited)."""
        woman = self.selected_woman()
        if woman is None:
            messages.info(self, t("Select a woman first."))
            return
        try:
            self.revealed[woman.woman_id] = registry.reveal(self.ledger, woman.woman_id)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        for model in (self.model, self.worklist, self.overdue):
            model.redraw()
        if self.panel.woman is not None and self.panel.woman.woman_id == woman.woman_id:
            self.panel.who.setText(self.panel.who.text().replace(mask_id(woman.id_number), self.shown_id(woman)))

    def shown_id(self, woman: due.DueWoman) -> str:
        full = self.revealed.get(woman.woman_id)
        return (full.get("id_number") or "") if full else mask_id(woman.id_number)

    # ---- finding and entering ---------------------------------------------------------------------
    def _on_row_changed(self, current, _previous) -> None:
        woman = self.model.woman_at(current.row()) if current.isValid() else None
        if self._keep_panel and woman is not None and self.panel.woman is not None \
                and woman.woman_id == self.panel.woman.woman_id:
            return
        self._show_in_panel(woman)

    def _show_in_panel(self, woman: due.DueWoman | None) -> None:
        if woman is None or self.round is None:
            self.panel.set_woman(None, None)
            return
        stored = self.model.results.get(woman.woman_id)
        self.panel.set_woman(woman, stored, self.shown_id(woman))

    def select_woman(self, woman_id: int, keep_panel: bool = False) -> bool:
        """Select her row; `keep_panel` leaves what is typed in the panel for her as it is."""
        row = self.model.row_of(woman_id)
        if row < 0 and self.model.filter:
            self.filter_combo.setCurrentIndex(0)
            row = self.model.row_of(woman_id)
        if row < 0:
            return False
        self._keep_panel = keep_panel
        try:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._keep_panel = False
        same = self.panel.woman is not None and self.panel.woman.woman_id == woman_id
        if not (keep_panel and same):
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
        if woman is None or self.round is None or self.view is None:
            return
        try:
            results.record(self.ledger, self.round.code, woman.woman_id, self.panel.build())
        except LedgerError as exc:
            self.panel.show_error(str(exc))
            return
        self.round = rounds.resolve(self.ledger, self.round.code)
        stored = results.result_of(self.ledger.db, self.round, woman.woman_id)
        self.model.results = {**self.model.results, woman.woman_id: stored}   # the row at once
        self.model.redraw()
        self.panel.set_woman(woman, stored, self.shown_id(woman))
        self._start_view(women=self.view.women)                               # figures on the worker
        self.find_status.setText(t("Saved: {name}.").format(name=woman.name))
        self.find_edit.clear()
        self.find_edit.setFocus()

    def bulk_checked(self) -> None:
        if self.round is None or self.view is None:
            return
        chosen = [self.model.rows[i.row()] for i in self.table.selectionModel().selectedRows()]
        dialog = BulkCheckedDialog(self.model.all, chosen, self)
        if not self.exec_dialog(dialog):
            return
        code, ledger = self.round.code, self.ledger
        ids, day, place = dialog.woman_ids, dialog.check_date, dialog.place()

        def work(_progress):
            with ledger.worker() as view:
                return results.bulk_checked(view, code, ids, day, place)

        self._task = run_with_progress(self, t("Marking checked"), work, on_success=self._bulk_done,
                                       on_error=lambda exc: messages.error(self, str(exc)))

    def _bulk_done(self, outcome: results.BulkOutcome) -> None:
        if self.round is None or self.view is None:
            return
        self.round = rounds.resolve(self.ledger, self.round.code)
        self._start_view(women=self.view.women)
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
        code, ledger = self.round.code, self.ledger

        def work(_progress):
            with ledger.worker() as view:
                return rounds.close(view, code)

        self._task = run_with_progress(self, t("Closing the round"), work,
                                       on_success=lambda _n: self.load_round(code),
                                       on_error=lambda exc: messages.error(self, str(exc)))

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
        """The 查环查孕情况统计表 of the unit shown, from the figures on screen (not computed again)."""
        if self.round is None or self.scope is None or self.busy:
            return
        folder = self.ask_folder(t("Folder for the summary form"))
        if not folder:
            return
        try:
            stem, warnings = summary_form.export(self.ledger, self.round, self.scope_code(), folder,
                                                 data=self.scope.figures)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        messages.info(self, "\n".join([t("Written: {path}").format(path=f"{stem}.xlsx / .pdf"), *warnings]))
