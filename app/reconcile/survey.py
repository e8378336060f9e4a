"""The `抽样调查` sheet (INTERFACES.md §5): read, validate all-or-nothing, store as evidence.

Rules:
- Columns: 单位代码*, 母亲姓名*, 母亲证件号码, 丈夫姓名, 子女姓名, 性别*, 出生日期*, 孩次, 现住址,
  and the optional 政策属性. Errors are `抽样调查!row 列名: 说明`, all of them; any error and nothing
  is stored.
- A mother's ID number is what the surveyor wrote: a malformed or check-digit-failing ID is NOT
  an error (mistyped IDs are what matching tolerates); an ID cell stored as a number is, since
  its digits are lost.
- 单位代码 must name a unit that exists at the period's end. 性别 accepts 男/女 and the spellings
  男性/女性, 男孩/女孩.
- The file is stored byte for byte with its SHA-256; the rows as read. Both are never edited
  (triggers refuse it). Several surveys per period are allowed; the same file twice for the
  same period is refused (it would count every birth twice).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app import units
from app.errors import UserInputError
from app.exchange.workbook import ImportFailed, ImportIssue, Row, read_workbook
from app.periods import Period

if TYPE_CHECKING:
    from app.ledger import Ledger

SHEET = "抽样调查"
COLUMNS = ("单位代码*", "母亲姓名*", "母亲证件号码", "丈夫姓名", "子女姓名", "性别*", "出生日期*", "孩次",
           "现住址", "政策属性")
SEX = {"男": "男", "女": "女", "男性": "男", "女性": "女", "男孩": "男", "女孩": "女"}
POLICY = {"政策内": "政策内", "政策外": "政策外", "计划内": "政策内", "计划外": "政策外"}


@dataclass(frozen=True)
class SurveyRow:
    row_number: int
    unit_code: str
    mother_name: str
    mother_id_number: str | None
    husband_name: str | None
    child_name: str | None
    sex: str
    birth_date: date
    birth_order: int | None
    address: str | None
    policy: str | None = None


@dataclass(frozen=True)
class Survey:
    id: int
    period: str
    period_start: str
    period_end: str
    file_name: str
    file_sha256: str
    row_count: int
    imported_at: str
    imported_by: str


def parse_survey(db, path: Path, period: Period) -> tuple[list[SurveyRow], list[str]]:
    """Read and validate the sheet; returns (rows, warnings) or raises ImportFailed/UserInputError."""
    sheets = read_workbook(path, {SHEET})
    if SHEET not in sheets:
        raise UserInputError(f"“{path.name}”中没有“{SHEET}”工作表。")
    sheet = sheets[SHEET]
    known = {c.rstrip("*") for c in COLUMNS}
    issues: list[ImportIssue] = []
    warnings = [str(ImportIssue(SHEET, 1, c, "不认识的列，已忽略")) for c in sheet.header if c and c not in known]
    for column in (c.rstrip("*") for c in COLUMNS if c.endswith("*")):
        if column not in sheet.header:
            issues.append(ImportIssue(SHEET, 1, column, "缺少必填列"))
    if issues:
        raise ImportFailed(issues)
    if not sheet.rows:
        raise UserInputError(f"“{SHEET}”工作表没有数据行。")
    end = period.end.isoformat()
    known_units: dict[str, bool] = {}
    rows: list[SurveyRow] = []
    for number, values in sheet.rows:
        row = Row(SHEET, number, values, issues)
        code = row.text("单位代码", required=True, max_length=40)
        mother = row.text("母亲姓名", required=True, max_length=40)
        mother_id = row.id_number("母亲证件号码")
        husband = row.text("丈夫姓名", max_length=40)
        child = row.text("子女姓名", max_length=40)
        sex = row.choice("性别", SEX, required=True)
        born = row.date("出生日期", required=True)
        order = row.integer("孩次", minimum=1)
        address = row.text("现住址", max_length=200)
        policy = row.choice("政策属性", POLICY)
        if code and code not in known_units:
            known_units[code] = units.find(db, code, end) is not None
        if code and not known_units[code]:
            row.error("单位代码", f"“{code}”在 {end} 不存在")
        if row.ok:
            assert code is not None and mother is not None and sex is not None and born is not None  # required
            rows.append(SurveyRow(number, code, mother, mother_id, husband, child, sex, born, order,
                                  address, policy))
    if issues:
        raise ImportFailed(issues)
    return rows, warnings


def import_survey(ledger: Ledger, path: str | Path, period_code: str, note: str | None = None) -> tuple[Survey, list[str]]:
    """Validate and store a survey file for a period in one transaction (audited)."""
    ledger.require("import_workbook")
    path = Path(path)
    period = Period.parse(period_code, ledger.stat_year_start)
    rows, warnings = parse_survey(ledger.db, path, period)
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    same = ledger.db.execute("select id from surveys where file_sha256 = ? and period = ?",
                             [sha, period.code]).fetchone()
    if same:
        raise UserInputError(f"这份调查表（SHA-256 {sha[:12]}…）已于此前导入为第 {same[0]} 号调查，不能重复导入。")
    now = datetime.now().isoformat(timespec="seconds")
    with ledger.write("导入抽样调查", "survey", path.name,
                      after={"file": path.name, "sha256": sha, "period": period.code, "rows": len(rows)}):
        cursor = ledger.db.execute(
            "insert into surveys (period, period_start, period_end, file_name, file_sha256, file_bytes,"
            " row_count, imported_at, imported_by, note) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [period.code, period.start.isoformat(), period.end.isoformat(), path.name, sha, data, len(rows),
             now, ledger.actor_name, note])
        survey_id = cursor.lastrowid
        assert survey_id is not None  # an INSERT sets it
        ledger.db.conn.executemany(
            "insert into survey_rows (survey_id, row_number, unit_code, mother_name, mother_id_number,"
            " husband_name, child_name, sex, birth_date, birth_order, address, policy)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(survey_id, r.row_number, r.unit_code, r.mother_name, r.mother_id_number, r.husband_name,
              r.child_name, r.sex, r.birth_date.isoformat(), r.birth_order, r.address, r.policy) for r in rows])
    return get_survey(ledger.db, survey_id), warnings


_SURVEY_COLUMNS = "id, period, period_start, period_end, file_name, file_sha256, row_count, imported_at, imported_by"


def get_survey(db, survey_id: int) -> Survey:
    row = db.execute(f"select {_SURVEY_COLUMNS} from surveys where id = ?", [survey_id]).fetchone()
    if row is None:
        raise UserInputError(f"第 {survey_id} 号抽样调查不存在。")
    return Survey(*row)


def list_surveys(db, period_code: str | None = None) -> list[Survey]:
    sql = f"select {_SURVEY_COLUMNS} from surveys"
    params: list = []
    if period_code:
        sql += " where period = ?"
        params.append(period_code)
    return [Survey(*r) for r in db.execute(sql + " order by id", params).fetchall()]


def survey_rows(db, survey_id: int) -> list[SurveyRow]:
    out = []
    for r in db.execute(
            "select row_number, unit_code, mother_name, mother_id_number, husband_name, child_name, sex,"
            " birth_date, birth_order, address, policy from survey_rows where survey_id = ? order by row_number",
            [survey_id]).fetchall():
        out.append(SurveyRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], date.fromisoformat(r[7]), r[8], r[9], r[10]))
    return out


def stored_file(db, survey_id: int) -> bytes:
    return db.execute("select file_bytes from surveys where id = ?", [survey_id]).fetchone()[0]


def verify_stored(db, survey_id: int) -> bool:
    """True when the stored bytes still hash to the recorded SHA-256."""
    row = db.execute("select file_bytes, file_sha256 from surveys where id = ?", [survey_id]).fetchone()
    return row is not None and hashlib.sha256(row[0]).hexdigest() == row[1]


def stored_survey_id(db, path: str | Path, period_code: str) -> int | None:
    """The survey already stored from this very file (same SHA-256) for the period, if any."""
    path = Path(path)
    if not path.is_file():
        return None
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    row = db.execute("select id from surveys where file_sha256 = ? and period = ?", [sha, period_code]).fetchone()
    return row[0] if row else None
