"""Attendance page 人员: the staff list (工号, 姓名, 科室, 职务, 角色, 登录账户, 在职), adding a
person, editing one, and linking a person to a login so that the login requests and approves
leave as that person.

Rules: every change goes through `app.attendance.staff.add/update` (audited; the core checks the
rights again). 姓名/科室/职务/在职 and adding need `manage_attendance`; the role and the login
need `assign_staff_roles` (管理员, 局长/主任). One login links to at most one person: the combo
names the person a login is already linked to, and the core refuses a second link. 工号 is the
key the attendance machine knows, so it is typed once when adding and not edited afterwards.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import accounts
from app.attendance import staff as staff_mod
from app.errors import LedgerError
from ui import messages
from ui.attendance_parts import AttendanceHost, make_table, table_item
from ui.i18n import t


class StaffPage(QWidget):
    """Left: everyone on the list (people who left included, marked 否). Right: the selected
    person's form, or an empty one for a new person."""

    def __init__(self, tab: AttendanceHost) -> None:
        super().__init__(tab)
        self.tab = tab
        self.editing: int | None = None
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        self.table = make_table(self, "staffTable", [t("Staff no."), t("Staff name"), t("Section"), t("Title"),
                                                 t("Role"), t("Login"), t("In post")])
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        left.addWidget(self.table, 1)
        self.linked_count = QLabel(self)
        self.linked_count.setObjectName("staffLinkedCount")
        left.addWidget(self.linked_count)
        outer.addLayout(left, 3)

        right = QVBoxLayout()
        self.box = QGroupBox(self)
        form = QFormLayout(self.box)
        self.staff_no = QLineEdit(self.box)
        self.staff_no.setObjectName("staffNo")
        self.name = QLineEdit(self.box)
        self.name.setObjectName("staffName")
        self.section = QComboBox(self.box)
        self.section.setObjectName("staffSection")
        self.section.setEditable(True)
        self.title = QLineEdit(self.box)
        self.title.setObjectName("staffTitle")
        self.role = QComboBox(self.box)
        self.role.setObjectName("staffRole")
        self.role.addItems(list(staff_mod.ROLES))
        self.login = QComboBox(self.box)
        self.login.setObjectName("staffLogin")
        self.login.setMinimumWidth(220)
        self.active = QCheckBox(t("In post (uncheck when the person has left)"), self.box)
        self.active.setObjectName("staffActive")
        form.addRow(t("Staff no."), self.staff_no)
        form.addRow(t("Staff name"), self.name)
        form.addRow(t("Section"), self.section)
        form.addRow(t("Title"), self.title)
        form.addRow(t("Role"), self.role)
        form.addRow(t("Login"), self.login)
        form.addRow("", self.active)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(t("New person"), self.box)
        self.new_button.setObjectName("newStaff")
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton(t("Save"), self.box)
        self.save_button.setObjectName("saveStaff")
        self.save_button.clicked.connect(self.save)
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        right.addWidget(self.box)
        self.hint = QLabel(t("A person linked to a login requests leave and sees the leave waiting for "
                             "their approval when signed in with it. Roles and logins are changed by the "
                             "administrator or the director; logins are created under Settings › Users."),
                           self)
        self.hint.setObjectName("staffHint")
        self.hint.setWordWrap(True)
        right.addWidget(self.hint)
        right.addStretch(1)
        outer.addLayout(right, 2)
        self.start_new()

    # ---- rights ----------------------------------------------------------------------------
    def may_edit(self) -> bool:
        return self.tab.user.may("manage_attendance")

    def may_assign(self) -> bool:
        return self.tab.user.may("assign_staff_roles")

    # ---- showing ---------------------------------------------------------------------------
    def refresh(self) -> None:
        db = self.tab.ledger.db
        people = staff_mod.all_staff(db, active_only=False)
        logins = staff_mod.usernames(db)
        keep = self.editing
        self.table.blockSignals(True)
        self.table.setRowCount(len(people))
        for row, person in enumerate(people):
            values = [person.staff_no, person.name, person.section, person.title, person.role,
                      logins.get(person.user_id, "") if person.user_id else "",
                      t("in post") if person.active else t("left")]
            for column, value in enumerate(values):
                self.table.setItem(row, column, table_item(value, person.id))
        self.table.blockSignals(False)
        linked = sum(1 for p in people if p.user_id is not None and p.active)
        self.linked_count.setText(t("{people} people, {linked} of those in post linked to a login").format(
            people=len(people), linked=linked))
        sections = sorted({p.section for p in people if p.section})
        text = self.section.currentText()
        self.section.clear()
        self.section.addItems(sections)
        self.section.setCurrentText(text)
        if keep is not None and any(p.id == keep for p in people):
            self.select(keep)
        else:
            self.start_new()

    def row_of(self, staff_no: str) -> int:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).text() == staff_no:
                return row
        raise KeyError(staff_no)

    def select(self, staff_id: int) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == staff_id:
                self.table.selectRow(row)
                self._show(staff_mod.get(self.tab.ledger.db, staff_id))
                return

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            staff_id = self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)
            self._show(staff_mod.get(self.tab.ledger.db, staff_id))

    def _fill_logins(self, own: staff_mod.Staff | None) -> None:
        """'(no login)', then every active account (and the current link even if disabled), each
        with the person it is already linked to."""
        db = self.tab.ledger.db
        linked = {p.user_id: p for p in staff_mod.all_staff(db, active_only=False) if p.user_id is not None}
        self.login.clear()
        self.login.addItem(t("(no login)"), None)
        for user in accounts.list_users(db):
            if not user["active"] and not (own and own.user_id == user["id"]):
                continue
            text = f"{user['username']}（{user['display_name']}，{user['role']}）"
            holder = linked.get(user["id"])
            if holder is not None and (own is None or holder.id != own.id):
                text += " " + t("— linked to {name}").format(name=holder.label)
            self.login.addItem(text, user["id"])
        self.login.setCurrentIndex(max(self.login.findData(own.user_id if own else None), 0))

    def _show(self, person: staff_mod.Staff) -> None:
        self.editing = person.id
        self.box.setTitle(t("Edit {name}").format(name=person.label))
        self.staff_no.setText(person.staff_no)
        self.staff_no.setReadOnly(True)
        self.name.setText(person.name)
        self.section.setCurrentText(person.section)
        self.title.setText(person.title)
        self.role.setCurrentText(person.role)
        self._fill_logins(person)
        self.active.setChecked(person.active)
        self._enable(new=False)

    def start_new(self) -> None:
        """An empty form: Save adds a person."""
        self.editing = None
        self.table.clearSelection()
        self.box.setTitle(t("New person"))
        self.staff_no.setReadOnly(False)
        for edit in (self.staff_no, self.name, self.title):
            edit.clear()
        self.section.setCurrentText("")
        self.role.setCurrentText(staff_mod.WORKER)
        self._fill_logins(None)
        self.active.setChecked(True)
        self._enable(new=True)

    def _enable(self, new: bool) -> None:
        edit, assign = self.may_edit(), self.may_assign()
        for widget in (self.name, self.section, self.title):
            widget.setEnabled(edit)
        self.staff_no.setEnabled(edit and new)
        self.active.setEnabled(edit and not new)
        self.role.setEnabled(assign and (edit or not new))
        self.login.setEnabled(assign and (edit or not new))
        self.new_button.setEnabled(edit)
        self.save_button.setEnabled(edit or (assign and not new))

    # ---- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        values = {"name": self.name.text().strip(), "section": self.section.currentText().strip(),
                  "title": self.title.text().strip(), "role": self.role.currentText(),
                  "user_id": self.login.currentData(), "active": self.active.isChecked()}
        ledger = self.tab.ledger
        try:
            if self.editing is None:
                person = staff_mod.add(ledger, self.staff_no.text(), values["name"], values["section"],
                                       values["title"], str(values["role"]), values["user_id"])
            else:
                current = staff_mod.get(ledger.db, self.editing)
                changes = {k: v for k, v in values.items() if getattr(current, k) != v}
                person = staff_mod.update(ledger, current.id, **changes) if changes else current
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.editing = person.id
        self.tab.refresh()
