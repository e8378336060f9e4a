"""Attendance files in (INTERFACES.md §6): attendance-machine exports and the attendance workbook.

Two kinds of file, told apart by content:
- A machine export: CSV (UTF-8, with or without BOM, or GBK/GB18030 — tried in that order) or
  .xlsx whose first sheet has the columns 工号, 姓名, 打卡时间 (or 日期 + 时间).
- The attendance workbook (.xlsx) with any of the sheets 人员, 作息时间, 打卡, 请假, 值班, 节假日,
  imported in that order (people first, so a punch may name a person added in the same file).
  This is separate from the standard registry workbook (its own reader, same cell rules).

Rules: all or nothing in one transaction (the ledger is backed up first); every problem is
reported as `sheet!row 列名: 说明`, all of them; re-importing changes nothing (punches are
(工号, moment) pairs, people keyed by 工号, schedules by 开始日期, holidays by 日期, leave by
(工号, 类型, 开始时间, 结束时间), duty by (工号, 日期)). A 工号 the ledger does not know is an error;
a 姓名 that differs from the ledger's is only a warning (machines truncate names). Rows dated
in a posted (locked) month are errors. Imported leave keeps the status the file gives
(paper approvals entered after the fact); 待审批 leave gets its approval chain (a 局长's, whose
chain is empty, is stored as 报备). Leave types
are kept as written (any non-empty text). A punch later than now is imported with a warning
(a machine clock set wrong), not refused. In a CSV the header may follow a title line.

人员!登录账户 (optional) links the person to a login (a username of the users table) so that
the person requests and approves leave when signed in with it: an unknown username, or one
already linked to another person, is a row error; a blank cell keeps the current link (the
sheet never unlinks — that is done on the attendance tab's 人员 page); the same name again is
unchanged. Linking needs `assign_staff_roles` of the signed-in user (管理员, 局长/主任), as on
the page and from the command line (`--user`); the import itself needs `manage_attendance`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import accounts, audit
from app.attendance import calendar, leave, month_lock, punches, schedules
from app.attendance import staff as staff_mod
from app.errors import UserInputError
from app.exchange import cells, sheet_names, xlsx_guard
from app.exchange.workbook import (
    ImportFailed,
    ImportIssue,
    Row,
    Sheet,
    SheetSummary,
    check_file_kind,
    file_sha256,
    read_workbook,
)

if TYPE_CHECKING:
    from app.ledger import BackupBeside, Ledger

WORKBOOK_SHEETS = ("人员", "作息时间", "打卡", "请假", "值班", "节假日")
IMPORT_ORDER = ("人员", "节假日", "作息时间", "打卡", "请假", "值班")
COLUMNS = {
    "人员": ("工号*", "姓名*", "科室", "职务", "角色", "登录账户"),
    "作息时间": ("开始日期*", "上午上班*", "上午下班*", "下午上班*", "下午下班*"),
    "打卡": ("工号*", "姓名", "打卡时间*"),
    "请假": ("工号*", "姓名", "类型*", "开始时间*", "结束时间*", "状态*", "事由", "交接人", "销假时间"),
    "值班": ("工号*", "姓名", "日期*", "备注"),
    "节假日": ("日期*", "类型*", "名称"),
}
MACHINE_COLUMNS = ("工号*", "姓名", "打卡时间*", "日期", "时间", "打卡日期")
# Accepted spellings → the stored value (the first spelling of each is INTERFACES.md §6's).
HOLIDAY_KINDS = {calendar.STATUTORY: calendar.STATUTORY, "法定假日": calendar.STATUTORY,
                 "节假日": calendar.STATUTORY, "放假": calendar.STATUTORY, "休": calendar.STATUTORY,
                 calendar.SWAPPED_WORKDAY: calendar.SWAPPED_WORKDAY, "调休": calendar.SWAPPED_WORKDAY,
                 "补班": calendar.SWAPPED_WORKDAY, "上班": calendar.SWAPPED_WORKDAY, "班": calendar.SWAPPED_WORKDAY}
LEAVE_STATUSES = {leave.APPROVED: leave.APPROVED, "批准": leave.APPROVED, "已审批": leave.APPROVED,
                  "同意": leave.APPROVED, leave.PENDING: leave.PENDING, "审批中": leave.PENDING,
                  "未审批": leave.PENDING, leave.REJECTED: leave.REJECTED, "驳回": leave.REJECTED,
                  "不批准": leave.REJECTED, leave.RETURNED: leave.RETURNED, "销假": leave.RETURNED,
                  leave.FILED: leave.FILED, "已报备": leave.FILED}

_MOMENT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(上午|下午|\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?))?$")
_PLAIN_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2} [01]\d:[0-5]\d:[0-5]\d|\d{4}-\d{2}-\d{2} 2[0-3]:[0-5]\d:[0-5]\d")
_CLOCK = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2})(?:\.\d+)?)?$")  # fractions of a second dropped


@dataclass
class AttendanceImportResult:
    file_sha256: str
    kind: str                                         # 考勤机导出 / 考勤工作簿
    sheets: dict[str, SheetSummary] = field(default_factory=dict)
    warnings: list[ImportIssue] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"file_sha256": self.file_sha256, "kind": self.kind,
                "sheets": {name: s.as_dict() for name, s in self.sheets.items()},
                "warnings": [str(w) for w in self.warnings]}


# ---- reading cells ------------------------------------------------------------------------
def parse_clock(value: Any) -> time | None:
    """A clock time: a time cell, a fraction of a day, or text 8:00 / 08:00:00."""
    if cells.is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, time):
        return value.replace(microsecond=0)
    if isinstance(value, timedelta):
        value = value.total_seconds() / 86400
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        seconds = round(value * 86400)
        return time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
    raw = cells.text(value) or ""
    match = _CLOCK.match(raw)
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60 and int(match.group(3) or 0) < 60:
        return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))
    raise cells.CellError(f"“{raw}”不是可识别的时间（应为 8:00 或 08:00:00）")


def parse_moment(value: Any) -> tuple[date, time | str | None] | None:
    """A moment cell: (day, clock time | '上午'/'下午' | None when only a date was given)."""
    if cells.is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date(), value.time().replace(microsecond=0)
    if isinstance(value, date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 80000:
        whole = int(value)
        day = date(1899, 12, 30) + timedelta(days=whole)
        seconds = round((float(value) - whole) * 86400)
        if seconds >= 86400:
            day, seconds = day + timedelta(days=1), 0
        return day, time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
    raw = re.sub(r"\s+", " ", cells.text(value) or "")
    match = _MOMENT.match(raw)
    if not match:
        raise cells.CellError(f"“{raw}”不是可识别的时间（应为 2026-03-02 08:01 或 2026/3/2 8:01:30）")
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise cells.CellError(f"“{raw}”不是有效日期") from None
    rest = match.group(4)
    if rest is None or rest in {"上午", "下午"}:
        return day, rest
    return day, parse_clock(rest)


class _Reader:
    """Typed readers over the framework's Row for attendance columns."""

    def __init__(self, row: Row) -> None:
        self.row = row

    def _read(self, parse, column: str, required: bool):
        """Parse one cell; a parse failure or a blank required cell is a row error (None)."""
        try:
            value = parse(self.row.values.get(column))
        except cells.CellError as exc:
            self.row.error(column, str(exc))
            return None
        if value is None and required:
            self.row.error(column, "必填项为空")
        return value

    def moment(self, column: str, required: bool = False) -> tuple[date, time | str | None] | None:
        return self._read(parse_moment, column, required)

    def punch(self, column: str) -> datetime | None:
        raw = self.row.values.get(column)
        if raw.__class__ is str and _PLAIN_MOMENT.fullmatch(raw):
            # A machine's own `2026-03-02 08:01:30`: what parse_moment gives, at C speed (a
            # day that does not exist raises here and is read below, with its message).
            try:
                return datetime.fromisoformat(raw)
            except ValueError:
                pass
        value = self.moment(column, required=True)
        if value is None:
            return None
        day, clock = value
        raw = self.row.values.get(column)
        if clock is None and isinstance(raw, date) and not isinstance(raw, datetime):
            # An Excel date-time cell at exactly 00:00:00 reads back as a bare date: a punch at
            # midnight (the morning's range starts at midnight). Typed text without a time is
            # still refused below.
            return datetime.combine(day, time(0, 0))
        if not isinstance(clock, time):
            self.row.error(column, "只有日期没有时刻，无法作为打卡时间")
            return None
        return datetime.combine(day, clock)

    def clock(self, column: str, required: bool = False) -> time | None:
        return self._read(parse_clock, column, required)


# ---- files --------------------------------------------------------------------------------
def read_csv(path: Path) -> Sheet:
    """A machine CSV in UTF-8 (BOM or not) or GBK/GB18030; the sheet is named after the file."""
    data = path.read_bytes()
    encodings = ("utf-16",) if data[:2] in {b"\xff\xfe", b"\xfe\xff"} else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            content = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UserInputError(f"“{path.name}”既不是 UTF-8 也不是 GBK 编码的文本，无法读取。")
    first_line = content.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    table = list(csv.reader(io.StringIO(content), delimiter=delimiter))
    if not table:
        raise UserInputError(f"“{path.name}”是空文件。")
    return _machine_table(path.name, table)


def _machine_table(name: str, table: list[list[Any]]) -> Sheet:
    """A machine export's rows as a Sheet. Some machines write a title line (考勤记录 2026年3月)
    above the header: the header is the first of the first five lines that names 工号 (else the
    first line); rows keep their line numbers in the file."""
    def names(raw: list[Any]) -> list[str]:
        return [(cells.text(h) or "").rstrip("*").strip() for h in raw]

    at = next((i for i, raw in enumerate(table[:5]) if "工号" in names(raw)), 0)
    header = names(table[at])
    rows = [(number, {h: v for h, v in zip(header, raw, strict=False) if h})
            for number, raw in enumerate(table[at + 1:], start=at + 2) if not all(cells.is_blank(v) for v in raw)]
    return Sheet(name, header, rows)


def _is_machine_header(header: list[str]) -> bool:
    return "工号" in header and ("打卡时间" in header or {"日期", "时间"} <= set(header))


def _machine_sheet_below_title(path: Path, inspection: xlsx_guard.Inspection) -> Sheet | None:
    """The first sheet of an .xlsx whose 工号/打卡时间 header sits below a title row, if any."""
    workbook, _ = xlsx_guard.open_workbook(path, None, inspection)
    for sheet_name in workbook.sheet_names:
        sheet = _machine_table(sheet_name.strip(),
                               workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False) or [[]])
        if _is_machine_header(sheet.header):
            return sheet
    return None


def read_file(path: Path) -> tuple[str, dict[str, Sheet]]:
    """('考勤机导出' | '考勤工作簿', sheets by name)."""
    if not path.exists():
        raise UserInputError(f"文件“{path}”不存在。")
    if path.suffix.lower() in {".csv", ".txt"}:
        sheet = read_csv(path)
        return "考勤机导出", {sheet.name: sheet}
    check_file_kind(path)
    inspection = xlsx_guard.inspect(path)
    sheets = read_workbook(path, inspection=inspection)
    known = {name: s for name, s in sheets.items() if name in WORKBOOK_SHEETS}
    if known:  # a misspelt sheet beside them would be dropped silently: refuse it
        sheet_names.check(inspection.sheet_names, WORKBOOK_SHEETS, inspection.empty)
        return "考勤工作簿", known
    for sheet in sheets.values():
        if _is_machine_header(sheet.header):
            return "考勤机导出", {sheet.name: sheet}
    below = _machine_sheet_below_title(path, inspection)
    if below is not None:
        return "考勤机导出", {below.name: below}
    raise UserInputError(f"“{path.name}”中既没有考勤工作表（{'、'.join(WORKBOOK_SHEETS)}），"
                         "也没有含“工号、姓名、打卡时间”列的考勤机导出表。")


# ---- the import ---------------------------------------------------------------------------
class _Context:
    def __init__(self, ledger: Ledger, result: AttendanceImportResult, issues: list[ImportIssue]) -> None:
        self.ledger, self.db, self.result, self.issues = ledger, ledger.db, result, issues
        self.locked = month_lock.locked_months(ledger.db)
        self.staff = {s.staff_no: s for s in staff_mod.all_staff(ledger.db, active_only=False)}
        self._people: dict[tuple, tuple[staff_mod.Staff, str | None]] = {}

    def rows(self, sheet: Sheet):
        for number, values in sheet.rows:
            yield Row(sheet.name, number, values, self.issues)

    def person(self, row: Row, column: str = "工号") -> staff_mod.Staff | None:
        """The person a row names (`_person`), memoised per raw (工号, 姓名) pair that named
        someone without an error — the same person and the same name warning for this row."""
        key = (column, row.values.get(column), row.values.get("姓名"))
        try:
            found, warning = self._people[key]
        except KeyError:
            pass
        except TypeError:   # an unhashable cell: read it as it is
            return self._person(row, column)
        else:
            if warning is not None:
                self.result.warnings.append(ImportIssue(row.sheet, row.number, "姓名", warning))
            return found
        errors, warnings = len(self.issues), len(self.result.warnings)
        fresh = self._person(row, column)
        if fresh is not None and len(self.issues) == errors and len(self.result.warnings) - warnings <= 1:
            added = self.result.warnings[warnings:]
            self._people[key] = (fresh, added[0].message if added else None)
        return fresh

    def forget_people(self) -> None:
        """The people changed (the 人员 sheet): the memo of `person` no longer holds."""
        self._people.clear()

    def _person(self, row: Row, column: str) -> staff_mod.Staff | None:
        number = row.text(column, required=True)
        if number is None:
            return None
        found = self.staff.get(number)
        if found is None:
            # Machines and spreadsheets drop leading zeros (0012 → 12): accept a unique match.
            stripped = number.lstrip("0")
            matches = [s for no, s in self.staff.items() if no.lstrip("0") == stripped]
            found = matches[0] if len(matches) == 1 else None
        if found is None:
            row.error(column, f"工号“{number}”不在人员名单中")
            return None
        name = row.text("姓名")
        if name and name != found.name:
            self.result.warnings.append(ImportIssue(row.sheet, row.number, "姓名",
                                                    f"“{name}”与名单中工号 {found.staff_no} 的“{found.name}”不同，按工号导入"))
        return found

    def open_day(self, row: Row, column: str, day: date) -> bool:
        if month_lock.month_code(day) in self.locked:
            row.error(column, f"{month_lock.month_code(day)} 的考勤已张榜锁定，不能再导入")
            return False
        return True


def _import_people(ctx: _Context, sheet: Sheet, summary: SheetSummary) -> None:
    for row in ctx.rows(sheet):
        number, name = row.text("工号", required=True, max_length=40), row.text("姓名", required=True, max_length=40)
        section, title = row.text("科室") or "", row.text("职务") or ""
        role = row.choice("角色", {r: r for r in staff_mod.ROLES} | {"局长/主任": staff_mod.DIRECTOR,
                                                                      "主任": staff_mod.DIRECTOR}) or staff_mod.WORKER
        if not row.ok or number is None or name is None:
            continue
        current = ctx.staff.get(number)
        user_id = _linked_account(ctx, row, current)
        _check_role_right(ctx, row, current, role)
        if not row.ok:
            continue
        new = {"name": name, "section": section, "title": title, "role": role, "user_id": user_id}
        if current is None:
            cursor = ctx.db.execute("insert into att_staff (staff_no, name, section, title, role, user_id)"
                                    " values (?, ?, ?, ?, ?, ?)", [number, name, section, title, role, user_id])
            assert cursor.lastrowid is not None  # an INSERT sets it
            ctx.staff[number] = staff_mod.get(ctx.db, cursor.lastrowid)
            ctx.forget_people()
            summary.inserted += 1
            continue
        old = {k: getattr(current, k) for k in new}
        if old == new:
            summary.unchanged += 1
            continue
        ctx.db.execute("update att_staff set name = ?, section = ?, title = ?, role = ?, user_id = ? where id = ?",
                       [name, section, title, role, user_id, current.id])
        logins = staff_mod.usernames(ctx.db)
        changed = [f"{'登录账户' if k == 'user_id' else k} {_shown(old, k, logins)} → {_shown(new, k, logins)}"
                   for k in new if old[k] != new[k]]
        summary.updated += 1
        summary.updates.append(f"{number}: {'，'.join(changed)}")
        audit.record(ctx.db, ctx.ledger.actor_name, "导入更新考勤人员", "att_staff", number,
                     before=old, after=new)
        ctx.staff[number] = staff_mod.get(ctx.db, current.id)
        ctx.forget_people()


def _check_role_right(ctx: _Context, row: Row, current: staff_mod.Staff | None, role: str) -> None:
    """A role decides whose leave one approves: giving one (other than 工作人员 to a new person)
    or changing one needs `assign_staff_roles`, as in app.attendance.staff.add/update."""
    changes_role = role != current.role if current else role != staff_mod.WORKER
    if changes_role and not ctx.ledger.may("assign_staff_roles"):
        row.error("角色", f"{accounts.who(ctx.ledger.user)}无权设定或修改审批角色")


def _shown(values: dict, key: str, logins: dict[int, str]) -> object:
    if key != "user_id":
        return values[key]
    return logins.get(values[key], "（无）") if values[key] is not None else "（无）"


def _linked_account(ctx: _Context, row: Row, current: staff_mod.Staff | None) -> int | None:
    """The users.id the row's 登录账户 names (blank: the current link), or a row error."""
    username = row.text("登录账户", max_length=60)
    kept = current.user_id if current else None
    if username is None:
        return kept
    user_id = staff_mod.user_id_for(ctx.db, username)
    if user_id is None:
        row.error("登录账户", f"没有用户名为“{username}”的登录账户（先在“设置 › 用户管理”中建立）")
        return kept
    if user_id == kept:
        return kept
    other = ctx.db.execute("select staff_no, name from att_staff where user_id = ? and id is not ?",
                           [user_id, current.id if current else None]).fetchone()
    if other:
        row.error("登录账户", f"登录账户“{username}”已关联到 {other[1]}（工号 {other[0]}）")
        return kept
    if not ctx.ledger.may("assign_staff_roles"):
        row.error("登录账户", f"{accounts.who(ctx.ledger.user)}无权关联登录账户")
        return kept
    return user_id


def _import_holidays(ctx: _Context, sheet: Sheet, summary: SheetSummary) -> None:
    for row in ctx.rows(sheet):
        day = row.date("日期", required=True, allow_future=True)
        kind = row.choice("类型", HOLIDAY_KINDS, required=True)
        name = row.text("名称") or ""
        if not row.ok or day is None or kind is None or not ctx.open_day(row, "日期", day):
            continue
        old = ctx.db.execute("select kind, name from att_holidays where day = ?", [day.isoformat()]).fetchone()
        if old is not None and (old[0], old[1]) == (kind, name):
            summary.unchanged += 1
            continue
        ctx.db.execute("insert or replace into att_holidays (day, kind, name, source) values (?, ?, ?, '导入')",
                       [day.isoformat(), kind, name])
        if old is None:
            summary.inserted += 1
        else:
            summary.updated += 1
            summary.updates.append(f"{day.isoformat()}: {old[0]} → {kind}")


def _import_schedules(ctx: _Context, sheet: Sheet, summary: SheetSummary) -> None:
    for row in ctx.rows(sheet):
        reader = _Reader(row)
        start = row.date("开始日期", required=True, allow_future=True)
        clocks = [reader.clock(c, required=True) for c in ("上午上班", "上午下班", "下午上班", "下午下班")]
        if not row.ok or start is None or None in clocks:
            continue
        schedule = schedules.Schedule(start, *clocks)  # type: ignore[arg-type]
        try:
            schedules.validate(schedule)
        except UserInputError as exc:
            row.error("上午上班", str(exc))
            continue
        later_locked = [m for m in ctx.locked if m >= month_lock.month_code(start)]
        if later_locked and not ctx.open_day(row, "开始日期", date.fromisoformat(min(later_locked) + "-01")):
            continue
        new = schedule.as_row()
        old = ctx.db.execute("select am_start, am_end, pm_start, pm_end from att_schedules where valid_from = ?",
                             [new["valid_from"]]).fetchone()
        values = [new["am_start"], new["am_end"], new["pm_start"], new["pm_end"]]
        if old is not None and list(old) == values:
            summary.unchanged += 1
            continue
        ctx.db.execute("insert or replace into att_schedules (valid_from, am_start, am_end, pm_start, pm_end)"
                       " values (?, ?, ?, ?, ?)", [new["valid_from"], *values])
        if old is None:
            summary.inserted += 1
        else:
            summary.updated += 1
            summary.updates.append(f"{new['valid_from']}: {'/'.join(old)} → {'/'.join(values)}")


def _is_clock_only(value: Any) -> bool:
    """A time of day without a date: a time cell, a fraction of a day, or text like 08:01."""
    if isinstance(value, time):
        return True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return 0 <= value < 1
    return isinstance(value, str) and _CLOCK.match(value.strip()) is not None


def _import_punches(ctx: _Context, sheet: Sheet, summary: SheetSummary, source: str) -> None:
    found: list[tuple[int, datetime]] = []
    for row in ctx.rows(sheet):
        reader = _Reader(row)
        person = ctx.person(row)
        day_column = next((c for c in ("日期", "打卡日期") if c in row.values), None)
        if day_column and _is_clock_only(row.values.get("打卡时间")):
            # 日期 (or 打卡日期) in one column and only the clock time under 打卡时间
            day = row.date(day_column, required=True, allow_future=True)
            clock = reader.clock("打卡时间", required=True)
            moment = datetime.combine(day, clock) if day and clock else None
        elif "打卡时间" in row.values or not ({"日期", "时间"} <= set(row.values)):
            moment = reader.punch("打卡时间")
        else:
            day = row.date("日期", required=True, allow_future=True)
            clock = reader.clock("时间", required=True)
            moment = datetime.combine(day, clock) if day and clock else None
        if person is None or moment is None or not row.ok:
            continue
        if moment > datetime.now() + timedelta(minutes=5):
            # A warning, not an error: a wrong machine clock should not block the whole file
            # (and INTERFACES.md §6 does not refuse such punches); the office checks the clock.
            ctx.result.warnings.append(ImportIssue(row.sheet, row.number, "打卡时间",
                                                   f"{moment:%Y-%m-%d %H:%M} 晚于当前时间，请核对考勤机时钟"))
        if ctx.open_day(row, "打卡时间", moment.date()):
            found.append((person.id, moment))
    if ctx.issues:
        return
    new = punches.add_many(ctx.db, found, source, ctx.ledger.actor_name)
    summary.inserted += new
    summary.unchanged += len(found) - new


def _leave_moment(ctx: _Context, value: tuple[date, time | str | None], at_end: bool) -> datetime:
    day, part = value
    if isinstance(part, time):
        return datetime.combine(day, part)
    session = part or (schedules.AFTERNOON if at_end else schedules.MORNING)
    return leave.session_moment(day, session, at_end, ctx.db)


def _import_leave(ctx: _Context, sheet: Sheet, summary: SheetSummary) -> None:
    for row in ctx.rows(sheet):
        reader = _Reader(row)
        person = ctx.person(row)
        # Any type the office uses is kept as written (leave_days is keyed by it); a business
        # type (因公外出, 出差 …) counts as present, see leave.is_business.
        kind = row.text("类型", required=True, max_length=20)
        status = row.choice("状态", LEAVE_STATUSES, required=True)
        start_raw, end_raw = reader.moment("开始时间", required=True), reader.moment("结束时间", required=True)
        returned_raw = reader.moment("销假时间")
        if not row.ok or person is None or kind is None or status is None or start_raw is None or end_raw is None:
            continue
        start, end = _leave_moment(ctx, start_raw, False), _leave_moment(ctx, end_raw, True)
        if end <= start:
            row.error("结束时间", "结束时间应晚于开始时间")
            continue
        returned = _leave_moment(ctx, returned_raw, False) if returned_raw else None
        if status == leave.RETURNED and returned is None:
            returned = end
        if not all(ctx.open_day(row, "开始时间", start.date() + timedelta(days=i))
                   for i in range((end.date() - start.date()).days + 1)):
            continue
        length = leave.length_of(ctx.db, start, end)
        if status == leave.PENDING and not leave.approval_chain(length, person.role):
            status = leave.FILED  # a 局长's own leave: nobody approves it, it is registered (报备)
        key = [person.id, kind, start.isoformat(sep=" "), end.isoformat(sep=" ")]
        old = ctx.db.execute("select id, status, returned_at from att_leave where staff_id = ? and leave_type = ?"
                             " and start_at = ? and end_at = ?", key).fetchone()
        returned_text = returned.isoformat(sep=" ") if returned else None
        if old is not None:
            if (old[1], old[2]) == (status, returned_text):
                summary.unchanged += 1
                continue
            ctx.db.execute("update att_leave set status = ?, returned_at = ? where id = ?",
                           [status, returned_text, old[0]])
            summary.updated += 1
            summary.updates.append(f"{person.staff_no} {kind} {key[2]}: {old[1]} → {status}")
            audit.record(ctx.db, ctx.ledger.actor_name, "导入更新请假", "att_leave", old[0],
                         before={"status": old[1]}, after={"status": status})
            continue
        cursor = ctx.db.execute(
            "insert into att_leave (staff_id, leave_type, start_at, end_at, length_days, reason, handover, status,"
            " requested_by, requested_at, returned_at, note) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '导入')",
            [*key, str(length), row.text("事由") or "", row.text("交接人") or "", status, ctx.ledger.actor_name,
             datetime.now().isoformat(sep=" ", timespec="seconds"), returned_text])
        if status == leave.PENDING:
            for seq, role in enumerate(leave.approval_chain(length, person.role), start=1):
                ctx.db.execute("insert into att_leave_steps (leave_id, seq, approver_role, section) values (?, ?, ?, ?)",
                               [cursor.lastrowid, seq, role, person.section if role == staff_mod.SECTION_HEAD else ""])
        summary.inserted += 1


def _import_duty(ctx: _Context, sheet: Sheet, summary: SheetSummary) -> None:
    for row in ctx.rows(sheet):
        person = ctx.person(row)
        day = row.date("日期", required=True, allow_future=True)
        if not row.ok or person is None or day is None or not ctx.open_day(row, "日期", day):
            continue
        cursor = ctx.db.execute("insert or ignore into att_duty (staff_id, day, note) values (?, ?, ?)",
                                [person.id, day.isoformat(), row.text("备注") or ""])
        if cursor.rowcount:
            summary.inserted += 1
        else:
            summary.unchanged += 1


def import_file(ledger: Ledger, path: str | Path) -> AttendanceImportResult:
    """Import a machine export or the attendance workbook, all or nothing; raises ImportFailed.
    Needs `manage_attendance` (and `assign_staff_roles` for rows that change roles or links)."""
    ledger.require("manage_attendance")
    path = Path(path)
    kind, sheets = read_file(path)
    result = AttendanceImportResult(file_sha256(path), kind)
    issues: list[ImportIssue] = []
    specs = {sheet.name: MACHINE_COLUMNS for sheet in sheets.values()} if kind == "考勤机导出" else COLUMNS
    for sheet in sheets.values():
        known = {c.rstrip("*") for c in specs[sheet.name]}
        for column in sheet.header:
            if column and column not in known:
                result.warnings.append(ImportIssue(sheet.name, 1, column, "不认识的列，已忽略"))
        required = [c.rstrip("*") for c in specs[sheet.name] if c.endswith("*")]
        if kind == "考勤机导出" and "打卡时间" not in sheet.header and {"日期", "时间"} <= set(sheet.header):
            required = ["工号"]
        for column in required:
            if column not in sheet.header:
                issues.append(ImportIssue(sheet.name, 1, column, "缺少必填列"))
    if issues:
        raise ImportFailed(issues)
    # The '导入前' backup is deleted again when the import is refused below: a refused import
    # changed nothing, and its backup must not push an older state out of rotation.
    backup = ledger.backup_beside("导入前")
    try:
        backup.copied()   # verified beside the import; waited for before the commit
        _write(ledger, path, kind, sheets, result, issues, backup)
    except BaseException:
        backup.discard()
        raise
    backup.keep()
    return result


def _write(ledger: Ledger, path: Path, kind: str, sheets: dict, result: AttendanceImportResult,
           issues: list[ImportIssue], backup: BackupBeside) -> None:
    with ledger.write() as db:
        ctx = _Context(ledger, result, issues)
        if kind == "考勤机导出":
            for sheet in sheets.values():
                _import_punches(ctx, sheet, result.sheets.setdefault(sheet.name, SheetSummary()),
                                punches.MACHINE)
        else:
            handlers = {"人员": _import_people, "节假日": _import_holidays, "作息时间": _import_schedules,
                        "请假": _import_leave, "值班": _import_duty}
            for name in IMPORT_ORDER:
                if name not in sheets:
                    continue
                summary = result.sheets.setdefault(name, SheetSummary())
                if name == "打卡":
                    _import_punches(ctx, sheets[name], summary, punches.WORKBOOK)
                else:
                    handlers[name](ctx, sheets[name], summary)
        if issues:
            order = {name: i for i, name in enumerate(IMPORT_ORDER)}
            raise ImportFailed(sorted(issues, key=lambda i: (order.get(i.sheet, 99), i.row or 0)))
        audit.record(db, ledger.actor_name, "导入考勤文件", "import", path.name,
                     after={"sha256": result.file_sha256, "kind": kind,
                            "sheets": {k: {"inserted": v.inserted, "updated": v.updated, "unchanged": v.unchanged}
                                       for k, v in result.sheets.items()}})
        backup.wait()   # a backup that fails its check refuses the import: nothing is written
