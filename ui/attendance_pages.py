"""Pages of the attendance tab: the roll call (点名 and 抽查) and leave (request, approval queue,
销假, business trips). Each page reads `tab.ledger`, `tab.user`, `tab.clock` and calls
`tab.refresh()` after a change; every change goes through `app.attendance` (audited)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.attendance import leave, punches, roll_call, schedules, trips
from app.attendance import month as month_mod
from app.attendance import staff as staff_mod
from app.errors import LedgerError
from ui import messages
from ui.attendance_parts import (
    AttendanceHost,
    date_edit,
    fill_staff,
    make_table,
    py_date,
    session_combo,
    staff_combo,
    table_item,
)
from ui.i18n import t


# ---- roll call --------------------------------------------------------------------------------
class RollCallPage(QWidget):
    """Tick who is present now (a punch at the tab's clock); untick corrects a roll-call tick
    (audited; machine punches cannot be unticked). Spot checks (抽查) are recorded below."""

    def __init__(self, tab: AttendanceHost) -> None:
        super().__init__(tab)
        self.tab = tab
        self._filling = False
        self.window: roll_call.RollCall | None = None
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setObjectName("rollCallHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.table = make_table(self, "rollCallTable", [
            t("Staff no."), t("Staff name"), t("Section"), t("Present"), t("Signed in at"), t("Source"), t("Status")])
        self.table.itemChanged.connect(self._ticked)
        layout.addWidget(self.table, 3)
        box = QGroupBox(t("Spot check (抽查)"), self)
        row = QHBoxLayout(box)
        self.spot_person = staff_combo(box, "spotPerson")
        self.spot_result = QComboBox(box)
        self.spot_result.setObjectName("spotResult")
        self.spot_result.addItems(list(punches.SPOT_RESULTS))
        self.spot_note = QLineEdit(box)
        self.spot_note.setObjectName("spotNote")
        self.spot_note.setPlaceholderText(t("Note (optional)"))
        self.spot_button = QPushButton(t("Record spot check"), box)
        self.spot_button.setObjectName("recordSpotCheck")
        self.spot_button.clicked.connect(self.record_spot_check)
        for label, widget in ((t("Person"), self.spot_person), (t("Found"), self.spot_result)):
            row.addWidget(QLabel(label, box))
            row.addWidget(widget)
        row.addWidget(self.spot_note, 1)
        row.addWidget(self.spot_button)
        layout.addWidget(box)
        self.checks = make_table(self, "spotCheckTable", [t("Time"), t("Staff name"), t("Found"), t("Spot-check note"), t("Checked by")])
        layout.addWidget(self.checks, 1)

    def current_window(self, now: datetime) -> roll_call.RollCall | None:
        """(session, from, to) of the roll call in progress at `now`, or None (rest day, after work)."""
        return roll_call.roll_call_at(self.tab.ledger.db, now)

    def refresh(self) -> None:
        db, now = self.tab.ledger.db, self.tab.clock()
        people = staff_mod.all_staff(db)
        fill_staff(self.spot_person, people)
        self.window = self.current_window(now)
        may = self.tab.user.may("manage_attendance")
        self.spot_button.setEnabled(may and bool(people))
        if self.window is None:
            self.heading.setText(t("{now}: no roll call now (rest day or after work).").format(
                now=now.strftime("%Y-%m-%d %H:%M")))
        else:
            self.heading.setText(t("{session} roll call, {now} — tick who is here now.").format(
                session=self.window[0], now=now.strftime("%Y-%m-%d %H:%M")))
        today = now.date()
        punch_map = punches.between(db, today, today)
        sheet = month_mod.compute(db, f"{today.year:04d}-{today.month:02d}", now)
        status_of = {}
        for person in sheet.people:
            day = person.days[today.day - 1]
            for result in day.sessions:
                if self.window and result.session == self.window[0]:
                    status_of[person.staff.id] = result.leave_type or result.status
        self._filling = True
        self.table.setRowCount(len(people))
        for row, person in enumerate(people):
            inside = []
            if self.window:
                inside = [p for p in punch_map.get(person.id, []) if roll_call.ticks(self.window, p.at)]
            first = min(inside, key=lambda p: p.at) if inside else None
            self.table.setItem(row, 0, table_item(person.staff_no, person.id))
            self.table.setItem(row, 1, table_item(person.name))
            self.table.setItem(row, 2, table_item(person.section))
            tick = QTableWidgetItem()
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
            machine = bool(inside) and all(p.source != punches.ROLL_CALL for p in inside)
            if not may or self.window is None or machine:
                flags = Qt.ItemFlag.ItemIsUserCheckable  # shown, not changeable
            tick.setFlags(flags)
            tick.setCheckState(Qt.CheckState.Checked if inside else Qt.CheckState.Unchecked)
            tick.setData(Qt.ItemDataRole.UserRole, person.id)
            self.table.setItem(row, 3, tick)
            self.table.setItem(row, 4, table_item(first.at.strftime("%H:%M:%S") if first else ""))
            self.table.setItem(row, 5, table_item(first.source if first else ""))
            self.table.setItem(row, 6, table_item(status_of.get(person.id, "")))
        self._filling = False
        checks = punches.spot_checks_between(db, today, today)
        self.checks.setRowCount(len(checks))
        for row, check in enumerate(checks):
            for column, key in enumerate(("at", "name", "result", "note", "checked_by")):
                text = check[key][11:16] if key == "at" else str(check[key])
                self.checks.setItem(row, column, table_item(text))

    def row_of(self, staff_no: str) -> int:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).text() == staff_no:
                return row
        raise KeyError(staff_no)

    def _ticked(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 3 or self.window is None:
            return
        staff_id = item.data(Qt.ItemDataRole.UserRole)
        try:
            if item.checkState() == Qt.CheckState.Checked:
                punches.roll_call_mark(self.tab.ledger, staff_id, self.tab.clock())
            else:
                name = self.table.item(item.row(), 1).text()
                if not messages.confirm(self, t("Remove the roll-call tick of {name}? The correction is "
                                                "recorded in the audit log.").format(name=name)):
                    self.tab.refresh()
                    return
                punches.roll_call_unmark(self.tab.ledger, staff_id, self.window[1], self.window[2])
        except LedgerError as exc:
            messages.error(self, str(exc))
        self.tab.refresh()

    def record_spot_check(self) -> None:
        staff_id = self.spot_person.currentData()
        if staff_id is None:
            return
        try:
            punches.record_spot_check(self.tab.ledger, staff_id, self.spot_result.currentText(),
                                      self.spot_note.text(), self.tab.clock())
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.spot_note.clear()
        self.tab.refresh()


# ---- leave ------------------------------------------------------------------------------------
class LeavePage(QWidget):
    """Left: the leave request form (with the approval chain it will take) and business trips.
    Right: the signed-in user's approval queue, and the leave list with 销假 / withdraw.

    The leave list follows the requests, not only the month selector: every request still open
    (待审批, 已批准 or 报备 not yet reported back from) is listed whatever its month, followed by
    the selected month's other requests; a request just submitted is selected in it. Every
    submit, approve, reject, 销假 and withdrawal is confirmed in a message box."""

    def __init__(self, tab: AttendanceHost) -> None:
        super().__init__(tab)
        self.tab = tab
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        request_box = QGroupBox(t("Request leave"), self)
        form = QFormLayout(request_box)
        self.person = staff_combo(request_box, "leavePerson")
        self.kind = QComboBox(request_box)
        self.kind.setObjectName("leaveType")
        self.kind.addItems(list(leave.LEAVE_TYPES))
        self.start_day = date_edit(request_box, "leaveStartDay")
        self.start_part = session_combo(request_box, "leaveStartPart", schedules.MORNING)
        self.end_day = date_edit(request_box, "leaveEndDay")
        self.end_part = session_combo(request_box, "leaveEndPart", schedules.AFTERNOON)
        self.reason = QLineEdit(request_box)
        self.reason.setObjectName("leaveReason")
        self.handover = QLineEdit(request_box)
        self.handover.setObjectName("leaveHandover")
        self.handover.setPlaceholderText(t("Who takes over the work"))
        self.chain = QLabel(request_box)
        self.chain.setObjectName("leaveChain")
        self.chain.setWordWrap(True)
        self.submit = QPushButton(t("Submit request"), request_box)
        self.submit.setObjectName("submitLeave")
        self.submit.clicked.connect(self.submit_request)
        start_row, end_row = QHBoxLayout(), QHBoxLayout()
        start_row.addWidget(self.start_day)
        start_row.addWidget(self.start_part)
        end_row.addWidget(self.end_day)
        end_row.addWidget(self.end_part)
        form.addRow(t("Person"), self.person)
        form.addRow(t("Type"), self.kind)
        form.addRow(t("From"), start_row)
        form.addRow(t("To"), end_row)
        form.addRow(t("Reason for leave"), self.reason)
        form.addRow(t("Handover to"), self.handover)
        form.addRow(t("Approval"), self.chain)
        form.addRow(self.submit)
        for widget in (self.start_day, self.end_day):
            widget.dateChanged.connect(lambda _d: self.update_chain())
        for combo in (self.start_part, self.end_part, self.person):
            combo.currentIndexChanged.connect(lambda _i: self.update_chain())
        left.addWidget(request_box)
        trip_box = QGroupBox(t("Register a business trip (因公外出)"), self)
        trip_form = QFormLayout(trip_box)
        self.trip_person = staff_combo(trip_box, "tripPerson")
        self.trip_start = date_edit(trip_box, "tripStartDay")
        self.trip_end = date_edit(trip_box, "tripEndDay")
        self.trip_place = QLineEdit(trip_box)
        self.trip_place.setObjectName("tripPlace")
        self.trip_button = QPushButton(t("Register trip"), trip_box)
        self.trip_button.setObjectName("registerTrip")
        self.trip_button.clicked.connect(self.register_trip)
        trip_form.addRow(t("Person"), self.trip_person)
        trip_form.addRow(t("From"), self.trip_start)
        trip_form.addRow(t("To"), self.trip_end)
        trip_form.addRow(t("Destination"), self.trip_place)
        trip_form.addRow(self.trip_button)
        left.addWidget(trip_box)
        left.addStretch(1)
        outer.addLayout(left, 2)

        right = QVBoxLayout()
        right.addWidget(QLabel(t("Waiting for my approval"), self))
        self.queue = make_table(self, "leaveQueue", [t("Applicant"), t("Type"), t("From"), t("To"), t("Days"),
                                                 t("Reason for leave"), t("Handover to"), t("Step")])
        right.addWidget(self.queue, 2)
        decide_row = QHBoxLayout()
        self.comment = QLineEdit(self)
        self.comment.setObjectName("approvalComment")
        self.comment.setPlaceholderText(t("Comment (required to reject)"))
        self.approve_button = QPushButton(t("Approve"), self)
        self.approve_button.setObjectName("approveLeave")
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button = QPushButton(t("Reject"), self)
        self.reject_button.setObjectName("rejectLeave")
        self.reject_button.clicked.connect(lambda: self.decide(False))
        decide_row.addWidget(self.comment, 1)
        decide_row.addWidget(self.approve_button)
        decide_row.addWidget(self.reject_button)
        right.addLayout(decide_row)
        self.list_label = QLabel(t("Open requests, and the leave of {month}"), self)
        self.list_label.setObjectName("leaveListLabel")
        right.addWidget(self.list_label)
        self.month_list = make_table(self, "leaveList", [t("Applicant"), t("Type"), t("From"), t("To"), t("Days"),
                                                     t("Status"), t("Approvals")])
        right.addWidget(self.month_list, 3)
        actions = QHBoxLayout()
        self.back_button = QPushButton(t("Report back (销假) now"), self)
        self.back_button.setObjectName("reportBack")
        self.back_button.clicked.connect(self.report_back)
        self.withdraw_button = QPushButton(t("Withdraw request"), self)
        self.withdraw_button.setObjectName("withdrawLeave")
        self.withdraw_button.clicked.connect(self.withdraw)
        actions.addStretch(1)
        actions.addWidget(self.back_button)
        actions.addWidget(self.withdraw_button)
        right.addLayout(actions)
        outer.addLayout(right, 3)

    def set_default_days(self, day: date) -> None:
        for edit in (self.start_day, self.end_day, self.trip_start, self.trip_end):
            edit.setDate(QDate(day.year, day.month, day.day))

    # ---- reading the form ------------------------------------------------------------------
    def own_staff(self) -> staff_mod.Staff | None:
        return staff_mod.for_user(self.tab.ledger.db, self.tab.user.id)

    def moments(self) -> tuple[datetime, datetime]:
        db = self.tab.ledger.db
        start = leave.session_moment(py_date(self.start_day), self.start_part.currentText(), False, db)
        end = leave.session_moment(py_date(self.end_day), self.end_part.currentText(), True, db)
        return start, end

    def update_chain(self) -> None:
        staff_id = self.person.currentData()
        start, end = self.moments()
        if staff_id is None or end <= start:
            self.chain.setText(t("Choose a person and an end after the start."))
            return
        person = staff_mod.get(self.tab.ledger.db, staff_id)
        length = leave.length_of(self.tab.ledger.db, start, end)
        if length <= 0:
            self.chain.setText(t("No working time in between (0 days): no leave is needed."))
            return
        chain = leave.approval_chain(length, person.role)
        if not chain:
            self.chain.setText(t("{days} working days; the director's own leave is registered with the office "
                                 "(报备), approved by no one").format(days=_decimal_days(length)))
            return
        self.chain.setText(t("{days} working days; approved by {chain}").format(
            days=_decimal_days(length), chain=" → ".join(chain)))

    def refresh(self) -> None:
        db = self.tab.ledger.db
        own = self.own_staff()
        may_manage = self.tab.user.may("manage_attendance")
        people = staff_mod.all_staff(db) if may_manage else ([own] if own else [])
        fill_staff(self.person, people, own.id if own and self.person.count() == 0 else None)
        fill_staff(self.trip_person, staff_mod.all_staff(db) if may_manage else [])
        self.submit.setEnabled(bool(people))
        self.trip_button.setEnabled(may_manage)
        self.update_chain()
        waiting = leave.queue(db, self.tab.user)
        self.queue.setRowCount(len(waiting))
        for row, item in enumerate(waiting):
            step = item.open_step
            values = [item.staff_name, item.leave_type, f"{item.start:%m-%d %H:%M}", f"{item.end:%m-%d %H:%M}",
                      _days_text(item), item.reason, item.handover, step.approver_role if step else ""]
            for column, value in enumerate(values):
                self.queue.setItem(row, column, table_item(value, item.id))
        self.approve_button.setEnabled(bool(waiting))
        self.reject_button.setEnabled(bool(waiting))
        code = self.tab.month_code()
        self.list_label.setText(t("Open requests, and the leave of {month}").format(month=code))
        listed = self.listed(code)
        self.month_list.setRowCount(len(listed))
        for row, item in enumerate(listed):
            history = "；".join(f"{s.approver_role}{(s.decided_by_name or '')}{s.decision or t('(waiting)')}"
                               + (f"：{s.comment}" if s.comment else "") for s in item.steps)
            values = [item.staff_name, item.leave_type, f"{item.start:%m-%d %H:%M}", f"{item.end:%m-%d %H:%M}",
                      _days_text(item), _status_text(item), history]
            for column, value in enumerate(values):
                self.month_list.setItem(row, column, table_item(value, item.id))

    def listed(self, code: str) -> list[leave.Leave]:
        """Open requests of any month, then the month's others (see the class docstring)."""
        db = self.tab.ledger.db
        first, last = month_mod.month_bounds(code)
        open_ones = [item for item in leave.between(db, date(1900, 1, 1), date(9999, 12, 30),
                                                    (leave.PENDING, leave.APPROVED, leave.FILED))
                     if item.returned_at is None]
        seen = {item.id for item in open_ones}
        return open_ones + [item for item in leave.between(db, first, last) if item.id not in seen]

    def select_request(self, leave_id: int) -> None:
        for row in range(self.month_list.rowCount()):
            if self.month_list.item(row, 0).data(Qt.ItemDataRole.UserRole) == leave_id:
                self.month_list.selectRow(row)
                self.month_list.scrollToItem(self.month_list.item(row, 0))
                return

    # ---- actions ---------------------------------------------------------------------------
    def submit_request(self) -> None:
        staff_id = self.person.currentData()
        if staff_id is None:
            return
        start, end = self.moments()
        try:
            item = leave.request(self.tab.ledger, staff_id, self.kind.currentText(), start, end,
                                 self.reason.text(), self.handover.text(), user=self.tab.user)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.reason.clear()
        self.handover.clear()
        self.tab.refresh()
        self.select_request(item.id)
        what = _summary(item)
        if item.status == leave.FILED:
            messages.info(self, t("Registered with the office (报备): {leave}. The director's own leave needs no "
                                  "approval; it counts as leave and is listed on the posting.").format(leave=what))
        else:
            messages.info(self, t("Request submitted: {leave}. It now waits for {role}.").format(
                leave=what, role=item.open_step.approver_role if item.open_step else ""))

    def _selected(self, table: QTableWidget) -> int | None:
        rows = table.selectionModel().selectedRows()
        if not rows:
            return None
        return table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def decide(self, approve: bool) -> None:
        leave_id = self._selected(self.queue)
        if leave_id is None:
            messages.warning(self, t("Select a request in the list first."))
            return
        try:
            item = leave.decide(self.tab.ledger, leave_id, approve, self.comment.text(), user=self.tab.user)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.comment.clear()
        self.tab.refresh()
        what = _summary(item)
        if not approve:
            messages.info(self, t("Rejected: {leave}.").format(leave=what))
        elif item.status == leave.APPROVED:
            messages.info(self, t("Approved: {leave}. The leave is fully approved and counts.").format(leave=what))
        else:
            step = item.open_step
            messages.info(self, t("Approved your step: {leave}. It now waits for {role}.").format(
                leave=what, role=step.approver_role if step else ""))

    def report_back(self) -> None:
        leave_id = self._selected(self.month_list)
        if leave_id is None:
            messages.warning(self, t("Select a request in the list first."))
            return
        try:
            item = leave.report_back(self.tab.ledger, leave_id, self.tab.clock(), user=self.tab.user)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.tab.refresh()
        messages.info(self, t("Reported back (销假) at {when}: {leave}. The leave stops counting from then.").format(
            when=f"{item.returned_at:%Y-%m-%d %H:%M}" if item.returned_at else "", leave=_summary(item)))

    def withdraw(self) -> None:
        leave_id = self._selected(self.month_list)
        if leave_id is None:
            messages.warning(self, t("Select a request in the list first."))
            return
        try:
            item = leave.withdraw(self.tab.ledger, leave_id, user=self.tab.user)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.tab.refresh()
        messages.info(self, t("Withdrawn: {leave}.").format(leave=_summary(item)))

    def register_trip(self) -> None:
        staff_id = self.trip_person.currentData()
        if staff_id is None:
            return
        db = self.tab.ledger.db
        start = leave.session_moment(py_date(self.trip_start), schedules.MORNING, False, db)
        end = leave.session_moment(py_date(self.trip_end), schedules.AFTERNOON, True, db)
        try:
            trips.register(self.tab.ledger, staff_id, start, end, self.trip_place.text())
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.trip_place.clear()
        self.tab.refresh()


def _days_text(item: leave.Leave) -> str:
    return _decimal_days(item.length_days)


def _summary(item: leave.Leave) -> str:
    """张丽 事假 03-17 08:00 – 03-17 12:00（0.5 天）, for the confirmation boxes."""
    return (f"{item.staff_name} {item.leave_type} {item.start:%Y-%m-%d %H:%M} – {item.end:%Y-%m-%d %H:%M}"
            f"（{_days_text(item)} {t('days (unit)')}）")


def _status_text(item: leave.Leave) -> str:
    if item.returned_at is not None and item.status == leave.FILED:
        return t("{status}, reported back {when}").format(status=item.status, when=f"{item.returned_at:%m-%d %H:%M}")
    return item.status


def _decimal_days(value) -> str:
    """Half-days print with one decimal (0.5, 1.0); odd lengths with two (0.67)."""
    return f"{value:.1f}" if value * 2 == int(value * 2) else f"{value:.2f}"

