"""The registry list as a lazy table model: search, filter and sort run in SQL (app.search).

Rules:
- Rows arrive in pages of PAGE_SIZE (`canFetchMore`/`fetchMore`, Qt's fetchmore pattern);
  `beginInsertRows(parent, first, first + n - 1)` — the last index is inclusive.
- A new query or sort resets the model and re-reads the first page and the total count.
- Search as you type runs OFF the GUI thread (`search_async`): each keystroke's query runs as
  a ui.tasks.Task on its own connection; a newer keystroke drops the older task and interrupts
  its SQL (`sqlite3.Connection.interrupt`, and a progress handler for the statement after),
  and a result is applied only if it belongs to the
  latest request (a generation number), so the list always shows the last keystroke's hits
  and typing never waits for SQLite. `set_query`/`reload` stay synchronous (the first page on
  opening, a refresh after an edit, a sort) and also cancel a pending search; `settle()` runs
  a pending search at once (Enter in the search box wants the rows now).
- ID numbers and phones are always shown masked on the list. A user whose role may
  `unmask_personal_data` can reveal one card's numbers (`reveal`), which goes through
  `app.registry.reveal` and is written to the audit log; revealed numbers are forgotten on
  the next reset.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app import idcard, search
from app.accounts import User
from app.ledger import Ledger
from ui.i18n import t
from ui.tasks import Task

Index = QModelIndex | QPersistentModelIndex

# (row key, header source text, sort key in app.search.SORT_KEYS or None)
COLUMNS: list[tuple[str, str, str | None]] = [
    ("name", "Person's name", "name"),
    ("id_number", "ID number", "id_number"),
    ("birth_date", "Date of birth", "birth_date"),
    ("age", "Age", "birth_date"),
    ("unit", "Unit", "unit"),
    ("residence", "Residence", "residence"),
    ("marital_status", "Marital status", "marital_status"),
    ("husband_name", "Husband", "husband_name"),
    ("children", "Children", None),
    ("measure", "Current measure", None),
    ("phone", "Phone", "phone"),
    ("exit_reason", "Exit", "exit_reason"),
]


def age_on(birth_date: str | None, on: date) -> int | None:
    if not birth_date:
        return None
    born = date.fromisoformat(birth_date)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class WomenModel(QAbstractTableModel):
    """Cards matching a `search.Query`; emits `counted(total)` after each reset."""

    counted = Signal(int)

    def __init__(self, ledger: Ledger, user: User | None, parent: Any = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.user = user
        self.query = search.Query()
        self.rows: list[dict] = []
        self.total = 0
        self.revealed: dict[int, dict] = {}
        self.unit_names: dict[int, str] = {}
        self.today = date.today()
        self._generation = 0
        self._pending: _PendingSearch | None = None

    # ---- loading ---------------------------------------------------------------------------
    @property
    def latest_query(self) -> search.Query:
        """The query the list will show: a pending search's, else the shown one."""
        return self._pending.query if self._pending is not None else self.query

    @property
    def searching(self) -> bool:
        return self._pending is not None

    def set_query(self, query: search.Query) -> None:
        """Show `query`'s rows now (on this thread); a pending search is dropped."""
        self._cancel_pending()
        self.query = query
        self._read()

    def reload(self) -> None:
        """Re-read the first page and the count (after a change, a sort), on this thread; a
        pending search's query is the one re-read."""
        self.query = self.latest_query
        self._cancel_pending()
        self._read()

    def _read(self) -> None:
        today = date.today()
        rows, total = search.first_page(self.ledger.db, self.query, search.PAGE_SIZE)
        self._show(self.query, rows, total, search.unit_names(self.ledger.db, today), today)

    def search_async(self, query: search.Query) -> None:
        """Run `query` on a worker; the list changes when its result arrives (see the rules)."""
        self._cancel_pending()
        self._generation += 1
        pending = _PendingSearch(self._generation, query)
        task = Task(_run_search, self.ledger, query, pending, parent=self)
        pending.task = task
        task.succeeded.connect(lambda result, p=pending: self._arrived(p, result))
        task.failed.connect(lambda exc, p=pending: self._failed(p, exc))
        task.finished.connect(task.deleteLater)
        self._pending = pending
        task.start()

    def settle(self) -> None:
        """Show a pending search's rows now (run here, on this thread)."""
        if self._pending is not None:
            self.set_query(self._pending.query)

    def _cancel_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.cancel()

    def _arrived(self, pending: _PendingSearch, result: tuple) -> None:
        if pending is not self._pending or pending.generation != self._generation or result is None:
            return      # an older keystroke's result: the newer one is on its way
        self._pending = None
        rows, total, names, today = result
        self._show(pending.query, rows, total, names, today)

    def _failed(self, pending: _PendingSearch, exc: BaseException) -> None:
        if pending is not self._pending:
            return      # an interrupted (superseded) search
        self._pending = None
        raise exc      # a real error: Qt's excepthook shows it like any other slot's

    def _show(self, query: search.Query, rows: list[dict], total: int, names: dict[int, str], today: date) -> None:
        self.beginResetModel()
        self.query = query
        self.today = today
        self.unit_names = names
        self.revealed = {}
        self.rows = rows
        self.total = total
        self.endResetModel()
        self.counted.emit(self.total)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt signature
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt signature
        if parent.isValid():
            return
        more = search.page(self.ledger.db, self.query, len(self.rows), search.PAGE_SIZE, self.total)
        if not more:
            self.total = len(self.rows)
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    # ---- the table -------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return t(COLUMNS[section][1])
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, key)
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("age", "children"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def display(self, row: dict, key: str) -> str:
        revealed = self.revealed.get(row["id"])
        if key == "id_number":
            return revealed["id_number"] if revealed else idcard.mask_id(row["id_number"])
        if key == "phone":
            return (revealed["phone"] or "") if revealed else idcard.mask_phone(row["phone"])
        if key == "age":
            age = age_on(row["birth_date"], self.today)
            return "" if age is None else str(age)
        if key == "unit":
            return self.unit_names.get(row["unit_id"], "")
        if key == "children":
            return str(row["children"]) if row["children"] else ""
        if key == "exit_reason":
            return f"{row['exit_reason']} {row['exit_date'] or ''}".strip() if row["exit_reason"] else ""
        value = row.get(key)
        return "" if value is None else str(value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL; columns without a sort key (per-row subqueries) keep the current order."""
        key = COLUMNS[column][2]
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if column == 3:   # age: older first is an earlier birth date
            descending = not descending
        latest = self.latest_query
        self.query = search.Query(latest.text, latest.filters, key, descending)
        self.reload()

    # ---- helpers for the tab ---------------------------------------------------------------
    def woman_id(self, row: int) -> int | None:
        return self.rows[row]["id"] if 0 <= row < len(self.rows) else None

    def row_of(self, woman_id: int) -> int | None:
        for number, row in enumerate(self.rows):
            if row["id"] == woman_id:
                return number
        return None

    def may_unmask(self) -> bool:
        return self.user is None or self.user.may("unmask_personal_data")

    def reveal(self, row: int) -> None:
        """Show one card's full ID and phone (role-checked and audited by app.registry)."""
        from app import registry

        woman_id = self.woman_id(row)
        if woman_id is None:
            return
        self.revealed[woman_id] = registry.reveal(self.ledger, woman_id)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))


class _PendingSearch:
    """One keystroke's search on a worker: its generation, query, task and stop handle."""

    def __init__(self, generation: int, query: search.Query) -> None:
        self.generation = generation
        self.query = query
        self.task: Task | None = None
        self.stop = search.SearchStop()

    @property
    def cancelled(self) -> bool:
        return self.stop.cancelled

    def cancel(self) -> None:
        """Drop the task (nothing is delivered) and stop its SQL where it is."""
        if self.task is not None:
            self.task.drop()
        self.stop.cancel()


def _run_search(_progress, ledger: Ledger, query: search.Query, pending: _PendingSearch) -> tuple | None:
    """On the worker: the first page, the count and the unit names (app.search, which stops when
    the next keystroke cancels it); None when superseded."""
    return search.first_page_stoppable(ledger, query, pending.stop)
