"""What a clerk used to Excel/WPS expects of every table (表格习惯), given to a view by one call.

`install(view, open_card=None)` gives a QTableView/QTableWidget:
- Ctrl+C 复制（含表头）: the selected block as tab-separated text with the visible header row on
  top — it pastes into Excel/WPS as cells. Ctrl+Shift+C 复制 copies the same block without the
  header (to paste under an existing sheet's own header). The block is the selected rows ×
  the selected columns, in the order shown (a whole-row selection takes every visible column);
  a cell inside the block that is not selected is left empty. Tabs and line breaks inside a
  cell become spaces, so one cell stays one cell.
- A right-click menu: 复制（含表头）, 复制, 打开卡片 (only when the tab passes an `open_card`
  opener: the table's rows are women), 导出所选… (the selected rows as .xlsx through
  app.exchange.table_export: every cell text, never a formula). A table of a window over an
  open ledger (an ancestor widget with a `ledger`) exports through `export_rows`, which checks
  `export_forms` and audits who exported which table's rows (PIPL); a table outside any ledger
  (the first-run wizard's typed units) writes the file only. Right-clicking a row outside
  the selection selects that row first, as Excel does.
- Column widths the clerk sizes by dragging a header handle are remembered per table (ui.settings,
  key `columns/<named ancestors>/<objectName>`) and restored when the table is first shown;
  widths set by the program are not stored. `fit_columns(view)` sizes to contents only the
  columns the clerk has not sized; a double-click on a handle hands the column back to fitting.
- The last column stretches, so the table fills its window (no empty band at 1366×768).

`equip_tables(root)` installs on every table under `root` not yet equipped (the main window does
it for each tab it builds, dialogs for themselves). `remember_splitter(splitter)` does the same
for a splitter's sizes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QMenu, QSplitter, QTableView, QWidget

from ui import messages
from ui import settings as ui_settings
from ui.i18n import t

COPY_WITH_HEADERS = QKeySequence("Ctrl+C")
COPY_VALUES = QKeySequence("Ctrl+Shift+C")
OpenCard = Callable[[int], None]       # called with the model row under the cursor


def settings_key(widget: QWidget, prefix: str) -> str:
    """`prefix/<objectNames of the named ancestors>/<objectName>`; an unnamed widget stands as
    its class and place among its siblings of that class (`QSplitter0`)."""
    own = widget.objectName()
    if not own:
        parent = widget.parent()
        siblings = [c for c in parent.children() if type(c) is type(widget)] if parent is not None else [widget]
        own = f"{type(widget).__name__}{siblings.index(widget)}"
    names = [own]
    node: QObject | None = widget.parent()
    while node is not None:
        name = node.objectName()
        if name and not name.startswith("qt_"):
            names.append(name)
        node = node.parent()
    return prefix + "/" + "/".join(reversed(names))


def _clean(text: object) -> str:
    value = "" if text is None else str(text)
    return value.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


class TableHabits(QObject):
    """The copy actions, context menu and remembered widths of one view (a child of the view)."""

    def __init__(self, view: QTableView, open_card: OpenCard | None = None) -> None:
        super().__init__(view)
        self.extra_actions: list[QAction] = []
        self.setObjectName("tableHabits")
        self.view = view
        self.open_card = open_card
        self._restored = False
        self.user_sized: set[int] = set()
        self.copy_action = self._action("copyWithHeadersAction", t("Copy with headers"), COPY_WITH_HEADERS,
                                        lambda: self.copy(headers=True))
        self.copy_values_action = self._action("copyValuesAction", t("Copy"), COPY_VALUES,
                                               lambda: self.copy(headers=False))
        self.open_action = QAction(t("Open card"), view)
        self.open_action.setObjectName("openCardContextAction")
        self.open_action.triggered.connect(self._open_current)
        self.export_action = QAction(t("Export selected…"), view)
        self.export_action.setObjectName("exportSelectedAction")
        self.export_action.triggered.connect(self.export_selected)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self.show_menu)
        if view.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection:
            view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = view.horizontalHeader()
        header.setStretchLastSection(True)
        header.sectionResized.connect(self._section_resized)
        header.sectionHandleDoubleClicked.connect(self._double_clicked)
        self._dragging, self._dragged = False, set()
        self._header_viewport = header.viewport()
        self._header_viewport.installEventFilter(self)
        view.installEventFilter(self)
        if view.isVisible():
            self.restore_widths()

    def _action(self, name: str, text: str, keys: QKeySequence, slot) -> QAction:
        action = QAction(text, self.view)
        action.setObjectName(name)
        action.setShortcut(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)   # only while the table has focus
        action.triggered.connect(slot)
        self.view.addAction(action)
        return action

    # ---- the selected block ---------------------------------------------------------------------
    def block(self) -> tuple[list[int], list[int], set[tuple[int, int]]]:
        """(rows, columns) of the selected block in display order, and the selected cells."""
        view, model = self.view, self.view.model()
        selection = view.selectionModel()
        if model is None or selection is None:
            return [], [], set()
        cells = {(i.row(), i.column()) for i in selection.selectedIndexes()}
        if not cells and view.currentIndex().isValid():
            cells = {(view.currentIndex().row(), view.currentIndex().column())}
        header, vertical = view.horizontalHeader(), view.verticalHeader()
        rows = sorted({r for r, _ in cells if not view.isRowHidden(r)}, key=vertical.visualIndex)
        columns = sorted({c for _, c in cells if not view.isColumnHidden(c)}, key=header.visualIndex)
        return rows, columns, cells

    def headers(self, columns: list[int]) -> list[str]:
        model = self.view.model()
        return [_clean(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole))
                for c in columns]

    def block_rows(self) -> tuple[list[str], list[list[str]]]:
        rows, columns, cells = self.block()
        model = self.view.model()
        body = [[_clean(model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)) if (r, c) in cells else ""
                 for c in columns] for r in rows]
        return self.headers(columns), body

    def selection_text(self, headers: bool = True) -> str:
        """TSV of the block; the header line only when the table shows a header (a form preview
        draws its header tree in cells: those are copied as the rows they are)."""
        head, body = self.block_rows()
        shows_header = not self.view.horizontalHeader().isHidden()
        lines = ([head] if headers and body and shows_header else []) + body
        return "\n".join("\t".join(line) for line in lines)

    def copy(self, headers: bool = True) -> str:
        text = self.selection_text(headers)
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    # ---- the context menu -------------------------------------------------------------------------
    def menu(self) -> QMenu:
        """The menu as shown on a right-click (tests read its actions)."""
        menu = QMenu(self.view)
        menu.setObjectName("tableContextMenu")
        has_rows = bool(self.block()[0])
        for action in (self.copy_action, self.copy_values_action):
            action.setEnabled(has_rows)
            menu.addAction(action)
        if self.open_card is not None:
            menu.addSeparator()
            self.open_action.setEnabled(self.view.currentIndex().isValid())
            menu.addAction(self.open_action)
        if self.extra_actions:       # the tab's own row actions (e.g. 显示完整号码)
            menu.addSeparator()
            for action in self.extra_actions:
                menu.addAction(action)
        menu.addSeparator()
        self.export_action.setEnabled(has_rows)
        menu.addAction(self.export_action)
        return menu

    def show_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        selection = self.view.selectionModel()
        if index.isValid() and selection is not None and not selection.isSelected(index):
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
            if self.view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows:
                flags |= QItemSelectionModel.SelectionFlag.Rows
            selection.setCurrentIndex(index, flags)
        elif index.isValid() and selection is not None:
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.last_menu = self.menu()
        self.last_menu.popup(self.view.viewport().mapToGlobal(pos))

    def _open_current(self) -> None:
        index: QModelIndex = self.view.currentIndex()
        if self.open_card is not None and index.isValid():
            self.open_card(index.row())

    def ask_export_path(self) -> str:
        """The save dialog, opening in the last export folder (tests replace this)."""
        name = self.view.window().windowTitle().split(" — ")[0] or t("Selected rows")
        path, _ = QFileDialog.getSaveFileName(self.view, t("Export selected rows"),
                                              ui_settings.in_last_folder(f"{name}-{t('Selected rows')}.xlsx"),
                                              t("Excel workbook (*.xlsx)"))
        return path

    def ledger(self):
        """The open ledger whose data the table shows: the nearest ancestor's `ledger`, if any."""
        from app.ledger import Ledger

        widget = self.view
        while widget is not None:
            found = getattr(widget, "ledger", None)
            if isinstance(found, Ledger):
                return found
            widget = widget.parentWidget()
        return None

    def source_name(self) -> str:
        """Which table the rows came from, as the audit entry records it."""
        return " › ".join(part for part in (self.view.window().windowTitle(), self.view.objectName()) if part)

    def export_selected(self) -> Path | None:
        from app.errors import LedgerError
        from app.exchange.table_export import export_rows, write_table

        head, body = self.block_rows()
        if not body:
            messages.info(self.view, t("Select the rows to export first."))
            return None
        path = self.ask_export_path()
        if not path:
            return None
        target = Path(path) if Path(path).suffix.lower() == ".xlsx" else Path(path + ".xlsx")
        ledger = self.ledger()
        try:
            if ledger is not None:
                export_rows(ledger, target, head, body, self.source_name())
            else:
                write_table(target, head, body)
        except (LedgerError, OSError) as exc:
            messages.error(self.view, t("The file could not be written: {error}").format(error=exc))
            return None
        ui_settings.remember_folder(target)
        messages.info(self.view, t("{n} rows exported to {path}").format(n=len(body), path=target))
        return target

    # ---- remembered widths ------------------------------------------------------------------------
    def key(self) -> str:
        return settings_key(self.view, "columns")

    def _double_clicked(self, column: int) -> None:
        """A double-click on a handle fits the column to its content: it is no longer hand-sized."""
        self.user_sized.discard(column)
        self.save_widths()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if not shiboken6.isValid(self.view):     # the table is being destroyed
            return False
        if watched is self._header_viewport:
            self._header_event(event)
            return False
        if watched is not self.view:
            return False
        if event.type() == QEvent.Type.Show and not self._restored:
            self.restore_widths()
        elif event.type() == QEvent.Type.ShortcutOverride:
            pressed = QKeySequence(event.keyCombination())
            if pressed in (COPY_WITH_HEADERS, COPY_VALUES):
                # Qt's item view claims Ctrl+C for itself (it copies the current cell only): keep
                # the key from it so the copy actions' shortcuts run instead.
                event.ignore()
                return True
        elif event.type() == QEvent.Type.KeyPress:
            pressed = QKeySequence(event.keyCombination())
            if pressed in (COPY_WITH_HEADERS, COPY_VALUES):   # no shortcut ran (window not active)
                self.copy(headers=pressed == COPY_WITH_HEADERS)
                return True
        return False

    def restore_widths(self) -> None:
        self._restored = True
        widths = ui_settings.get_ints(self.key())
        header = self.view.horizontalHeader()
        for column, width in enumerate(widths[:header.count()]):
            if width > 0 and column < header.count() - 1:   # the last section stretches
                header.resizeSection(column, width)
                self.user_sized.add(column)

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if self._dragging:
            self._dragged.add(column)

    def _header_event(self, event: QEvent) -> None:
        """A drag on a header handle (press … release) is the clerk sizing columns: remember."""
        if event.type() == QEvent.Type.MouseButtonPress:
            self._dragging, self._dragged = True, set()
        elif event.type() == QEvent.Type.MouseButtonRelease and self._dragging:
            self._dragging = False
            last = self.view.horizontalHeader().count() - 1
            self.user_sized |= {c for c in self._dragged if c != last}
            if self._dragged:
                self.save_widths()

    def save_widths(self) -> None:
        """Store the widths of the columns the clerk sized (0 for the others: fitted to content)."""
        header = self.view.horizontalHeader()
        ui_settings.set_ints(self.key(), [header.sectionSize(c) if c in self.user_sized else 0
                                          for c in range(header.count())])


def habits_of(view: QTableView) -> TableHabits | None:
    return view.findChild(TableHabits, "tableHabits", Qt.FindChildOption.FindDirectChildrenOnly)


def install(view: QTableView, open_card: OpenCard | None = None) -> TableHabits:
    """Give `view` the habits (idempotent: a second call only sets the opener)."""
    found = habits_of(view)
    if found is not None:
        if open_card is not None:
            found.open_card = open_card
        return found
    return TableHabits(view, open_card)


def equip_tables(root: QWidget) -> list[TableHabits]:
    """Install on every table view under `root` (and `root` itself) and remember its splitters."""
    views = [root] if isinstance(root, QTableView) else []
    views += root.findChildren(QTableView)
    for splitter in root.findChildren(QSplitter):
        remember_splitter(splitter)
    return [install(view) for view in views]


def fit_columns(view: QTableView) -> None:
    """Size to contents the columns the clerk has not sized by hand (or restored)."""
    habits = habits_of(view)
    sized = habits.user_sized if habits is not None else set()
    header = view.horizontalHeader()
    for column in range(header.count() - 1):
        if column not in sized and header.sectionResizeMode(column) == header.ResizeMode.Interactive:
            view.resizeColumnToContents(column)


class _SplitterMemory(QObject):
    def __init__(self, splitter: QSplitter) -> None:
        super().__init__(splitter)
        self.setObjectName("splitterMemory")
        self.splitter = splitter
        splitter.splitterMoved.connect(self.save)
        splitter.installEventFilter(self)
        self._restored = False
        if splitter.isVisible():
            self.restore()

    def key(self) -> str:
        return settings_key(self.splitter, "splitters")

    def restore(self) -> None:
        self._restored = True
        state = ui_settings.get_bytes(self.key())
        if state is not None:
            self.splitter.restoreState(state)

    def save(self, *_args) -> None:
        ui_settings.set_bytes(self.key(), self.splitter.saveState())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.splitter and event.type() == QEvent.Type.Show and not self._restored:
            self.restore()
        return False


def remember_splitter(splitter: QSplitter) -> None:
    """Restore the splitter's sizes when first shown and save them when the clerk drags it."""
    if splitter.findChild(
            _SplitterMemory, "splitterMemory", Qt.FindChildOption.FindDirectChildrenOnly) is None:
        _SplitterMemory(splitter)
