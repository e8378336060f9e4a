"""The registry tab (育龄妇女台帐): unit tree, search as you type, filters, the lazy card list.

Keyboard: Ctrl+F jumps to the search box, Down/Enter there moves into the list, Enter on a row
opens the card, Ctrl+N starts a new card. Everything the tab changes goes through
`app.registry` (one audited transaction per action); the list then reloads from SQL.
Long work (the whole-ledger logic check, loading demo data) runs in ui.tasks with progress.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import codes, search, units
from app.accounts import User
from app.ledger import Ledger
from ui import file_dialogs, messages
from ui.i18n import t
from ui.models.women_model import WomenModel
from ui.table_habits import install as install_table_habits
from ui.table_habits import remember_splitter
from ui.widgets.date_edit import DateLineEdit

SEARCH_DELAY_MS = 120
MARRIED_GROUP = "__married__"


class RegistryTab(QWidget):
    def __init__(self, ledger: Ledger, user: User | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.user = user
        self.model = WomenModel(ledger, user, self)
        self._tasks: list = []
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_query)
        self._setup_toolbar()
        self._setup_units()
        self._setup_search_and_filters()
        self._setup_table()
        self._setup_layout()
        self._setup_shortcuts()
        self.model.counted.connect(self._update_status)
        self.reload_units()
        self.model.set_query(self.current_query())   # the first page on opening, at once

    # ---- set-up ----------------------------------------------------------------------------
    def _action(self, name: str, text: str, slot, shortcut: str | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        return action

    def _setup_toolbar(self) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("registryToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action = self._action("newCardAction", t("New card (Ctrl+N)"), self.new_card, "Ctrl+N")
        self.open_action = self._action("openCardAction", t("Open card (Enter)"), self.open_current)
        self.reveal_action = self._action("revealAction", t("Show full numbers"), self.reveal_current)
        self.reveal_action.setEnabled(self.model.may_unmask())
        self.toolbar.addSeparator()
        self.checks_action = self._action("checksAction", t("Logic checks"), self.show_checks)
        self.over_age_action = self._action("overAgeAction", t("Over age (due to exit)"), self.show_over_age)
        self.toolbar.addSeparator()
        self._setup_casework_actions()
        self.toolbar.addSeparator()
        self.demo_action = self._action("demoAction", t("Load demo data"), self.load_demo)
        self.template_action = self._action("templateAction", t("Download import template"),
                                            self.save_template)
        editable = self.user is None or self.user.may("edit_registry")
        for action in (self.new_action, self.over_age_action, self.demo_action):
            action.setEnabled(editable)

    def _setup_units(self) -> None:
        self.unit_filter = QLineEdit(self)
        self.unit_filter.setObjectName("unitFilter")
        self.unit_filter.setPlaceholderText(t("Find a unit…"))
        self.unit_filter.setClearButtonEnabled(True)
        self.unit_filter.textChanged.connect(self._filter_unit_tree)
        self.unit_tree = QTreeWidget(self)
        self.unit_tree.setObjectName("unitTree")
        self.unit_tree.setHeaderHidden(True)
        self.unit_tree.currentItemChanged.connect(lambda *_: self.apply_query())

    def _combo(self, name: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda *_: self.apply_query())
        return combo

    def _setup_search_and_filters(self) -> None:
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("searchBox")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(
            t("Search: name, husband's name, ID number or its last digits, pinyin initials (Ctrl+F)"))
        self.search_box.textChanged.connect(lambda *_: self._search_timer.start())
        self.search_box.installEventFilter(self)
        everyone = t("All")
        self.status_combo = self._combo("statusFilter", [
            (t("On the register"), search.ACTIVE), (t("Exited"), search.EXITED), (t("All cards"), search.ALL)])
        self.residence_combo = self._combo(
            "residenceFilter", [(t("Residence: all"), None)] + [(v, v) for v in codes.values(codes.RESIDENCE)])
        self.marital_combo = self._combo(
            "maritalFilter", [(t("Marriage: all"), None), (t("Married (first or re-married)"), MARRIED_GROUP)]
            + [(v, v) for v in codes.values(codes.MARITAL)])
        self.measure_combo = self._combo(
            "measureFilter", [(t("Measure: all"), None), (t("No measure"), search.NO_MEASURE)]
            + [(v, v) for v in codes.values(codes.METHOD)])
        self.age_min = self._spin("ageMin", everyone)
        self.age_max = self._spin("ageMax", everyone)
        self.children_from = DateLineEdit(self)
        self.children_from.setObjectName("childrenFrom")
        self.children_to = DateLineEdit(self)
        self.children_to.setObjectName("childrenTo")
        for edit in (self.children_from, self.children_to):
            edit.setMaximumWidth(110)
            edit.editingFinished.connect(self.apply_query)

    def _spin(self, name: str, special: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(0, 99)
        spin.setSpecialValueText(special)
        spin.valueChanged.connect(lambda *_: self._search_timer.start())
        return spin

    def _setup_table(self) -> None:
        self.table = QTableView(self)
        self.table.setObjectName("womenTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # copy/export rows
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().hide()
        for column, width in enumerate((80, 160, 90, 44, 120, 66, 72, 80, 44, 110, 110)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(lambda index: self.open_card(self.model.woman_id(index.row())))
        install_table_habits(self.table, open_card=lambda row: self.open_card(self.model.woman_id(row)))
        self.status = QLabel(self)
        self.status.setObjectName("registryStatus")

    def _setup_layout(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(t("Units"), left))
        left_layout.addWidget(self.unit_filter)
        left_layout.addWidget(self.unit_tree)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.status_combo)
        right_layout.addLayout(top)
        filters = QHBoxLayout()
        for widget in (self.residence_combo, self.marital_combo, self.measure_combo):
            filters.addWidget(widget)
        filters.addWidget(QLabel(t("Age"), right))
        filters.addWidget(self.age_min)
        filters.addWidget(QLabel("–", right))
        filters.addWidget(self.age_max)
        filters.addWidget(QLabel(t("Child born"), right))
        filters.addWidget(self.children_from)
        filters.addWidget(QLabel("–", right))
        filters.addWidget(self.children_to)
        filters.addStretch(1)
        right_layout.addLayout(filters)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.status)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("registrySplitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([210, 1100])
        remember_splitter(splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter, 1)

    def _setup_shortcuts(self) -> None:
        find = QShortcut(QKeySequence("Ctrl+F"), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_search)

    # ---- units -----------------------------------------------------------------------------
    def reload_units(self) -> None:
        """Rebuild the tree of today's units; the top item 全部单位 means no unit filter."""
        self.unit_tree.blockSignals(True)
        self.unit_tree.clear()
        top = QTreeWidgetItem([t("All units")])
        top.setData(0, Qt.ItemDataRole.UserRole, None)
        self.unit_tree.addTopLevelItem(top)
        today_units = units.units_on(self.ledger.db, date.today())
        kids = units.children_map(today_units)
        known = {u.id for u in today_units}

        def add(parent_item: QTreeWidgetItem, unit: units.Unit) -> None:
            item = QTreeWidgetItem([unit.name])
            item.setData(0, Qt.ItemDataRole.UserRole, unit.id)
            item.setToolTip(0, f"{unit.name}（{unit.code}）")
            parent_item.addChild(item)
            for child in kids.get(unit.id, []):
                add(item, child)

        for root in [u for u in today_units if u.parent_id is None or u.parent_id not in known]:
            add(top, root)
        top.setExpanded(True)
        for index in range(top.childCount()):
            top.child(index).setExpanded(True)
        self.unit_tree.setCurrentItem(top)
        self.unit_tree.blockSignals(False)

    def _filter_unit_tree(self, text: str) -> None:
        text = text.strip()

        def visit(item: QTreeWidgetItem) -> bool:
            shown = any([visit(item.child(i)) for i in range(item.childCount())])
            mine = not text or text in item.text(0) or text in item.toolTip(0)
            item.setHidden(not (mine or shown))
            if text and shown:
                item.setExpanded(True)
            return mine or shown

        for index in range(self.unit_tree.topLevelItemCount()):
            visit(self.unit_tree.topLevelItem(index))

    def select_unit(self, unit_id: int | None) -> None:
        """Select a unit in the tree (tests and jumps); None selects 全部单位."""
        found = self.unit_tree.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive)
        for item in found:
            if item.data(0, Qt.ItemDataRole.UserRole) == unit_id:
                self.unit_tree.setCurrentItem(item)
                return

    # ---- querying --------------------------------------------------------------------------
    def current_query(self) -> search.Query:
        item = self.unit_tree.currentItem()
        marital = self.marital_combo.currentData()
        statuses: tuple[str, ...] = ()
        if marital == MARRIED_GROUP:
            statuses = codes.MARRIED
        elif marital:
            statuses = (marital,)
        filters = search.Filters(
            unit_id=item.data(0, Qt.ItemDataRole.UserRole) if item else None,
            residence=self.residence_combo.currentData(),
            marital_statuses=statuses,
            measure=self.measure_combo.currentData(),
            age_min=self.age_min.value() or None,
            age_max=self.age_max.value() or None,
            children_from=self.children_from.iso(),
            children_to=self.children_to.iso(),
            status=self.status_combo.currentData(),
        )
        old = self.model.latest_query
        return search.Query(self.search_box.text().strip(), filters, old.sort, old.descending)

    def apply_query(self) -> None:
        """Search with what the box and filters say, on a worker (typing never waits for it)."""
        self._search_timer.stop()
        self.model.search_async(self.current_query())

    def _update_status(self, total: int) -> None:
        counts = search.status_counts(self.ledger.db)
        self.status.setText(t("Found {found} · on the register {active}, exited {exited}").format(
            found=f"{total:,}", active=f"{counts['active']:,}", exited=f"{counts['exited']:,}"))

    def refresh(self, woman_id: int | None = None) -> None:
        """Reload after a change; keep (or move to) the given card when it is still listed."""
        keep = woman_id if woman_id is not None else self.model.woman_id(self.table.currentIndex().row())
        self.model.reload()
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            self.table.selectRow(row)

    # ---- keyboard ----------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.search_box and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            if self._search_timer.isActive():
                self.apply_query()
            self.model.settle()      # Enter/Down wants the rows of what was typed, now
            if self.model.rowCount():
                self.table.setFocus()
                self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)

    # ---- actions ---------------------------------------------------------------------------
    def current_woman(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.woman_id(index.row()) if index.isValid() else None

    def open_current(self) -> None:
        woman_id = self.current_woman()
        if woman_id is None:
            messages.info(self, t("Select a card in the list first."))
            return
        self.open_card(woman_id)

    def editor_for(self, woman_id: int | None):
        """The card editor (not yet shown); tests drive it directly."""
        from ui.dialogs.card_editor import CardEditor

        return CardEditor(self.ledger, self.user, woman_id, self)

    def open_card(self, woman_id: int | None) -> None:
        if woman_id is None:
            return
        editor = self.editor_for(woman_id)
        editor.exec()
        self.refresh(editor.woman_id)

    def new_card(self) -> None:
        editor = self.editor_for(None)
        item = self.unit_tree.currentItem()
        if item is not None and item.data(0, Qt.ItemDataRole.UserRole) is not None:
            editor.preset_unit(item.data(0, Qt.ItemDataRole.UserRole))
        editor.exec()
        self.refresh(editor.woman_id)

    def reveal_current(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            messages.info(self, t("Select a card in the list first."))
            return
        try:
            self.model.reveal(index.row())
        except Exception as exc:  # noqa: BLE001 - PermissionDenied / UserInputError shown as text
            messages.error(self, str(exc))

    def show_checks(self) -> None:
        from ui.dialogs.checks_dialog import ChecksDialog

        dialog = ChecksDialog(self.ledger, self)
        dialog.open_card.connect(self.open_card)
        dialog.start()
        dialog.exec()
        self.refresh()

    def show_over_age(self) -> None:
        from ui.dialogs.over_age_dialog import OverAgeDialog

        dialog = OverAgeDialog(self.ledger, self)
        dialog.exec()
        if dialog.exited:
            self.refresh()

    # ---- casework (ui/dialogs/casework_*.py) -------------------------------------------------------
    def _setup_casework_actions(self) -> None:
        self.registration_action = self._action("birthRegistrationAction", t("Birth registration…"),
                                                lambda: self.casework("registration"))
        self.certificate_action = self._action("certificateAction", t("Issue certificate…"),
                                               lambda: self.casework("certificate"))
        self.registrations_action = self._action("registrationsAction", t("Registrations list"),
                                                 lambda: self.casework_list("registrations").exec())
        self.rewards_action = self._action("rewardsAction", t("Reward assistance screening"),
                                           lambda: self.casework_list("rewards").exec())
        self.registration_action.setEnabled(self.user is None or self.user.may("edit_registry"))
        self.certificate_action.setEnabled(self.user is None or self.user.may("issue_certificates"))

    def casework(self, which: str) -> None:
        """生育登记 / 开具证明 for the selected card; without one, a new card first (生育登记)."""
        woman_id = self.current_woman()
        if woman_id is None:
            if which != "registration":
                messages.info(self, t("Select a card in the list first."))
                return
            if not messages.confirm(self, t("No card is selected. Create a new card for the couple first?")):
                return
            editor = self.editor_for(None)
            editor.exec()
            woman_id = editor.woman_id
            if woman_id is None:
                return
        editor = self.editor_for(woman_id)
        editor.casework_dialog(which).exec()
        self.refresh()

    def casework_list(self, which: str):
        """生育登记列表 / 奖扶特扶筛查 (not yet shown; tests drive them directly)."""
        from ui.dialogs.casework_lists import RegistrationsDialog, RewardsDialog

        if which == "registrations":
            return RegistrationsDialog(self.ledger, self)
        return RewardsDialog(self.ledger, self.user, self)

    def load_demo(self) -> None:
        from ui.registry_demo import load_demo

        load_demo(self)

    def save_template(self) -> None:
        from ui.registry_demo import save_template

        path = file_dialogs.save_file(self, t("Save the import template"), "标准导入模板.xlsx",
                                      t("Excel workbook (*.xlsx)"))
        if path:
            save_template(self, path)
