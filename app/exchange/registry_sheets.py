"""Workbook sheets of the registry (INTERFACES.md §1): 育龄妇女, 子女, 节育措施, 手术.

Keys (idempotent re-import): 育龄妇女 by 证件号码; 子女 by (母亲证件号码, 孩次); 节育措施 by
(证件号码, 措施, 开始日期); 手术 by (证件号码, 手术类型, 手术日期). A known key whose values
differ is an update (listed in the summary and audited on the card, object 'woman').

Choices made here (DOMAIN.md is silent):
- A blank cell in a present column keeps the ledger's value (a partial sheet never wipes
  data); a column absent from the sheet is not touched either.
- Malformed cells (required missing, unknown code or unit, impossible/future date, broken or
  duplicate ID) are row errors and the whole import is refused. Inconsistencies between
  well-formed facts (孩次 order, ID vs typed birth date, 取环 without an IUD …) are imported
  and listed afterwards as warnings under the pseudo-sheet `逻辑校核`.
- 节育措施 rows are facts as given (no automatic closing); a 终止日期 before its 开始日期 is
  two well-formed dates that disagree — imported and listed (`checks.check_measures`), as a
  死亡日期 before the birth is, while the card editor refuses it on save. A new 手术 row changes
  the history exactly as the card editor's entry does (`app.history`, one rule; the import uses its batch form):
  a row that opens a measure (上环/女扎/男扎/皮埋) adds it only when the history has no row of that
  method starting that day (e.g. from the 节育措施 sheet), closing the open measure — except that
  上环/皮埋 never close an open sterilization (上环 while sterilized is listed as a finding, and
  the import does not invent an end date for the 女扎/男扎); a 取环 closes the IUD in effect
  unless one already ends that day. So exporting and re-importing is stable.
- Extra optional columns beyond INTERFACES (证件类型, 工作单位, 流动原因, 流动日期, 婚育证明…,
  婚变日期, 丈夫工作单位, 出队原因, 出队日期, 免查原因; 健康状况, 非婚生育) let the export carry
  the whole card.
Rows are bulk-inserted (`registry_columns.bulk_insert`) inside the import's one transaction; existing keys
are loaded into dicts once (no per-row SELECT).

Errors point at their cause (one rule for the column-wise and the per-cell path, since the
column reader only ever declines a cell to `_Reader.read_woman_ref`):
- A 育龄妇女 row with an error gives its own errors and nothing more. The rows of 子女, 节育措施,
  手术 and 孕检记录 that name her are not keyed or compared with anything; instead ONE note per
  such woman, at the first row that names her, says `母亲在育龄妇女!15 行有错误` and lists every
  dependent row of every sheet (`dependency_notes`). Their own malformed cells are still errors.
- When nothing will be written (any error anywhere), each new woman of the sheet still gets
  her own stand-in id (negative, distinct), so the keys of 子女/节育措施/手术 stay per mother and no
  row is ever compared with another mother's rows.
- A row naming a woman in neither the workbook nor the ledger keeps its own error.
- The same for a 育龄妇女 row whose 单位代码 is that of a 单位 row with an error: one note per
  unit (`单位“…”在单位!4 行有错误`), and the woman's other cells and rows are still checked.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from operator import itemgetter
from typing import Any

from app import audit, checks, codes, history, idcard, late_entry
from app.exchange import cells
from app.exchange.import_base import ImportContext, ImportIssue, Row, Sheet, SheetSpec
from app.exchange.registry_columns import (
    FAIL,
    ColumnReader,
    bulk_insert,
    gc_paused,
    simple_new_women,
)
from app.exchange.registry_findings import report_findings
from app.pinyin import all_initials, initials
from app.schema import name_readings


@dataclass(frozen=True)
class Col:
    """One workbook column: header, database column, kind (text/date/int/id/bool/unit or a
    code-list name), required, and the 填写说明 text."""

    header: str
    column: str
    kind: str = "text"
    required: bool = False
    note: str = ""
    max_length: int = 100

    @property
    def spec(self) -> str:
        return self.header + ("*" if self.required else "")


WOMEN = (
    Col("证件号码", "id_number", "id", True, "18 位身份证号（15 位旧号自动转换），单元格设为文本"),
    Col("姓名", "name", "text", True, max_length=40),
    Col("出生日期", "birth_date", "date", note="可不填：按身份证号推算"),
    Col("民族", "ethnicity", codes.ETHNICITY),
    Col("文化程度", "education", codes.EDUCATION),
    Col("户口性质", "hukou_type", codes.HUKOU, True),
    Col("居住状态", "residence", codes.RESIDENCE, True),
    Col("单位代码", "unit_id", "unit", True, "所属村/社区/单位的代码（单位表或台帐中已有）"),
    Col("现居住地", "address", max_length=200),
    Col("户籍地", "hukou_place", max_length=200),
    Col("联系电话", "phone", max_length=40),
    Col("婚姻状况", "marital_status", codes.MARITAL, True, "复婚按再婚"),
    Col("初婚日期", "first_marriage_date", "date", note="已婚、离婚、丧偶者必填"),
    Col("丈夫姓名", "husband_name", max_length=40),
    Col("丈夫证件号码", "husband_id_number", "text", max_length=30),
    Col("丈夫户口性质", "husband_hukou_type", codes.HUKOU),
    Col("建卡日期", "card_date", "date", note="不填为导入当天"),
    Col("证件类型", "id_type", codes.ID_TYPE, note="不填为身份证"),
    Col("工作单位", "employer", max_length=200),
    Col("流动原因", "float_reason", codes.FLOAT_REASON, note="流入、流出者填写"),
    Col("流动日期", "float_date", "date"),
    Col("婚育证明编号", "float_cert_no", max_length=60),
    Col("婚育证明日期", "float_cert_date", "date"),
    Col("婚变日期", "marital_change_date", "date"),
    Col("丈夫工作单位", "husband_employer", max_length=200),
    Col("出队原因", "exit_reason", codes.EXIT_REASON),
    Col("出队日期", "exit_date", "date"),
    Col("免查原因", "check_exempt_reason", max_length=200),
)
CHILDREN = (
    Col("母亲证件号码", "mother_id", "mother", True, "母亲须在育龄妇女表或台帐中"),
    Col("孩次", "birth_order", "int", True, "1、2、3……"),
    Col("姓名", "name", max_length=40),
    Col("性别", "sex", codes.SEX, True),
    Col("出生日期", "birth_date", "date", True),
    Col("政策属性", "policy", codes.POLICY, True, "也接受计划内/计划外"),
    Col("血缘关系", "kinship", codes.KINSHIP, note="不填为亲生"),
    Col("上报日期", "reported_date", "date", note="出生上报计生办的日期；不填视为出生当天上报"),
    Col("死亡日期", "death_date", "date"),
    Col("健康状况", "health", codes.HEALTH),
    Col("非婚生育", "out_of_wedlock", "bool", note="是/否，不填为否"),
)
MEASURES = (
    Col("证件号码", "woman_id", "mother", True),
    Col("措施", "method", codes.METHOD, True, "也接受上环（=宫内节育器）、皮埋"),
    Col("开始日期", "start_date", "date", True),
    Col("终止日期", "end_date", "date", note="不填为当前措施"),
    Col("施术单位", "provider", max_length=100),
)
PROCEDURES = (
    Col("证件号码", "woman_id", "mother", True),
    Col("手术类型", "kind", codes.PROCEDURE, True),
    Col("手术日期", "date", "date", True),
    Col("手术单位", "provider", max_length=100),
)

_BOOL = {"是": 1, "否": 0, "1": 1, "0": 0, "Y": 1, "N": 0, "y": 1, "n": 0, "TRUE": 1, "FALSE": 0,
         "True": 1, "False": 0}


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class _Reader:
    """Per-import state shared by the sheets: unit codes, women by ID number, failed IDs."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.today = date.today()
        self.today_iso = self.today.isoformat()
        self.units = {code: (uid, dissolved) for uid, code, dissolved in
                      ctx.db.execute("select id, code, dissolved_on from units").fetchall()}
        self.women: dict[str, int] = dict(ctx.db.execute("select id_number, id from women").fetchall())
        self.new_women: set[int] = set()
        # Woman ID (as a reference reads it) -> the 育龄妇女 row that had an error for her.
        self.failed_women: dict[str, int] = {}
        # 单位代码 -> the 单位 row that had an error for it (`units_sheet`).
        self.failed_units: dict[str, int] = ctx.state.get("failed_units", {})
        # ("woman", ID) / ("unit", code) -> {sheet: (column, [rows that name it])}, for `dependency_notes`.
        self.dependents: dict[tuple[str, str], dict[str, tuple[str, list[int]]]] = {}
        self.touched: set[int] = set()
        self.identity_findings: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.ids = idcard.IdChecker(self.today)
        self._initials: dict[str, str | None] = {}
        self.fast: ColumnReader | None = None   # the last sheet's column converter
        self.closes = late_entry.Closes(ctx.db)   # standing closes (falsy: no close, nothing to do)

    def initials(self, name: str) -> str | None:
        """Pinyin initials, memoised per distinct name."""
        found = self._initials.get(name)
        if found is None:
            found = self._initials[name] = initials(name)
        return found

    def read(self, row: Row, col: Col) -> Any:
        """One cell through the `Row` readers, which normalise and report errors (the clean
        common case never gets here: `ColumnReader` converts whole columns first)."""
        return self._slow(row, col)

    def _slow(self, row: Row, col: Col) -> Any:
        kind = col.kind
        if kind == "text":
            return row.text(col.header, col.required, col.max_length)
        if kind == "date":
            value = row.date(col.header, col.required, today=self.today)
            return value.isoformat() if value else None
        if kind == "int":
            return row.integer(col.header, col.required, minimum=1)
        if kind == "bool":
            raw = cells.text(row.values.get(col.header))
            if raw is None:
                return None
            if raw not in _BOOL:
                row.error(col.header, f"“{raw}”应为 是 或 否")
            return _BOOL.get(raw)
        if kind == "id":
            return self.read_id(row, col)
        if kind == "unit":
            code = row.text(col.header, col.required, 40)
            if code is None:
                return None
            found = self.units.get(code)
            if found is None:
                if code in self.failed_units:
                    self._depends(("unit", code), row, col.header)
                else:
                    row.error(col.header, f"单位代码“{code}”在单位表和台帐中都没有")
                return None
            if found[1] is not None and found[1] <= self.today.isoformat():
                row.error(col.header, f"单位“{code}”已于 {found[1]} 撤销")
                return None
            return found[0]
        if kind == "mother":
            return self.read_woman_ref(row, col)
        return row.choice(col.header, codes.accepted(kind), col.required)

    def read_id(self, row: Row, col: Col) -> str | None:
        number = row.id_number(col.header, col.required)
        if number is None:
            return None
        kind = codes.normalize(codes.ID_TYPE, cells.text(row.values.get("证件类型")) or "身份证")
        if kind != "身份证":
            return number
        try:
            return idcard.parse(number, self.today).number
        except idcard.IdError as exc:
            row.error(col.header, str(exc))
            self.note_failed_woman(number, row.number)
            return None

    def note_failed_woman(self, raw: Any, row_number: int) -> None:
        """Remember that the 育龄妇女 row `row_number` for the ID `raw` had an error (the first
        such row counts), under the ID as the other sheets' references read it."""
        try:
            number = cells.id_number_text(raw)
        except cells.CellError:
            return
        if number:
            self.failed_women.setdefault(reference_key(number), row_number)

    def read_woman_ref(self, row: Row, col: Col) -> int | None:
        """The woman a row names (`col`: 母亲证件号码 / 证件号码): her id (a stand-in id when
        nothing will be written), or None — with an error when she is in neither the workbook
        nor the ledger, or noted as a dependent of her 育龄妇女 row when that row had an error."""
        number = row.id_number(col.header, col.required)
        if number is None:
            return None
        number = reference_key(number)
        found = self.women.get(number)
        if found is None:
            if number in self.failed_women:
                self._depends(("woman", number), row, col.header)
            else:
                row.error(col.header, f"{number} 在育龄妇女表和台帐中都没有")
        return found

    def _depends(self, on: tuple[str, str], row: Row, column: str) -> None:
        """Note that `row` names a woman or unit whose own row had an error (not an error of
        `row`: its cell is left unchecked and the note comes from `dependency_notes`)."""
        by_sheet = self.dependents.setdefault(on, {})
        by_sheet.setdefault(row.sheet, (column, []))[1].append(row.number)

    def dependency_notes(self) -> list[ImportIssue]:
        """One note per woman (unit) whose 育龄妇女 (单位) row had an error and whom rows of other
        sheets name: at the first such row, naming her (its) row and listing every dependent
        row by sheet."""
        notes = []
        for (what, key), by_sheet in self.dependents.items():
            sheet, (column, rows) = next(iter(by_sheet.items()))
            listed = "，".join(f"{name}第 {_row_list(found)} 行" for name, (_c, found) in by_sheet.items())
            if what == "woman":
                who = "母亲" if sheet == "子女" else "该妇女"
                cause = f"{who}在育龄妇女!{self.failed_women[key]} 行有错误，依赖她的"
            else:
                cause = f"单位“{key}”在单位!{self.failed_units[key]} 行有错误，依赖它的"
            notes.append(ImportIssue(sheet, rows[0], column, f"{cause}{listed}暂不能核对；请先改正该行"))
        return notes

    def check_identity(self, number: str, values: dict[str, Any]) -> None:
        """The ID checks of `app.checks` for one imported card, from values already parsed
        (so the post-import check run can skip re-parsing every ID number)."""
        if (values.get("id_type") or "身份证") != "身份证":
            return
        self.check_identity_values(number, values.get("birth_date"), values.get("husband_id_number"))

    def check_identity_values(self, number: str, typed: str | None, husband: str | None) -> None:
        """`check_identity` for a 身份证 card from its number, typed birth date and husband's ID."""
        if typed and typed.replace("-", "") != number[6:14]:
            born = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
            self.identity_findings[number].append(
                ("id_birth_sex", checks.ERROR, f"出生日期 {typed} 与证件号码中的 {born} 不一致"))
        if int(number[16]) % 2:
            self.identity_findings[number].append(
                ("id_birth_sex", checks.ERROR, "证件号码显示性别为男，与填写的女不一致"))
        if husband and not self.ids.valid(husband):
            for reason in idcard.problems(husband):
                self.identity_findings[number].append(
                    ("id_number", checks.WARNING, f"丈夫证件号码 {husband}：{reason}"))

    def read_row(self, row: Row, cols: tuple[Col, ...], present: set[str]) -> dict[str, Any]:
        return {c.column: self.read(row, c) for c in cols if c.header in present}

    def convert_columns(self, sheet: Sheet, cols: tuple[Col, ...]) -> list[list[Any]]:
        """Every column converted by `ColumnReader` (`FAIL` where the cell needs `read_row`)."""
        fast = self.fast = ColumnReader(self.today, self.units, self.women)
        return [fast.column(c.kind, c.required, c.max_length, raws)
                for c, raws in zip(cols, _raw_columns(sheet, [c.header for c in cols]), strict=True)]

    def read_rows(self, ctx: ImportContext, sheet: Sheet, cols: tuple[Col, ...],
                  columns: list[list[Any]] | None = None) -> Iterator[tuple[Row, dict]]:
        """Every row's values: columns converted column-wise (`convert_columns`); a row with any
        cell the fast path cannot vouch for is read cell by cell (`read_row`, which reports
        the errors)."""
        names = [c.column for c in cols]
        present = {c.header for c in cols}
        if columns is None:
            columns = self.convert_columns(sheet, cols)
        by_row = zip(*columns, strict=True) if columns else [()] * len(sheet.rows)
        for row, values in zip(ctx.rows(sheet), by_row, strict=True):
            if FAIL in values:
                yield row, self.read_row(row, cols, present)
            else:
                yield row, dict(zip(names, values, strict=True))


def reference_key(number: str) -> str:
    """A woman's ID as the sheets that name her look it up (a 15-digit ID as its 18-digit form)."""
    return idcard.to_18(number) if len(number) == 15 and number.isdigit() else number


def _row_list(rows: list[int], shown: int = 10) -> str:
    head = "、".join(map(str, rows[:shown]))
    return head if len(rows) <= shown else f"{head} 等 {len(rows)}"


def _raw_columns(sheet: Sheet, headers: list[str]) -> list[list[Any]]:
    """The raw cells of `headers`, one list per column (a C-speed transpose — every row's cells
    in one list, each column a slice of it — when every row carries every header, as
    `read_workbook` builds them; `.get` otherwise)."""
    grid = sheet.grid
    if grid is not None and headers and grid and all(h in sheet.header for h in headers) \
            and set(map(len, map(itemgetter(1), grid))) == {len(sheet.header)}:
        # Straight from the raw cells (no row dicts); a repeated header takes its last column,
        # as the row dicts do.
        where, width = {h: i for i, h in enumerate(sheet.header)}, len(sheet.header)
        cells_by_row = list(chain.from_iterable(map(itemgetter(1), grid)))
        return [cells_by_row[where[h]::width] for h in headers]
    if not headers or not sheet.rows:
        return [[None] * len(sheet.rows) for _h in headers]
    dicts = [v for _n, v in sheet.rows]
    try:
        if len(headers) == 1:
            return [list(map(itemgetter(headers[0]), dicts))]
        return [list(c) for c in zip(*map(itemgetter(*headers), dicts), strict=True)]
    except KeyError:
        return [[v.get(h) for v in dicts] for h in headers]


KEYED_LOOKUP_SHARE = 4
"""A sheet naming fewer than 1 in this many of the ledger's women reads only their stored rows."""


def _stored_rows(ctx: ImportContext, select: str, woman_column: str, cols: tuple[Col, ...],
                 columns: list[list[Any]]) -> list[tuple]:
    """The stored rows a sheet may match: `select` (a whole-table query) limited to the women
    its converted woman column names, through the table's index on that column — when every
    cell of that column was read column-wise (a `FAIL` is read per cell later and may name
    anyone) and the sheet names a small share of the ledger's women (an incremental import:
    2,000 rows into a district ledger need not load 160,000 rows); else the whole table, one
    scan. Stand-in ids (negative: nothing will be written) match nothing stored."""
    position = next((i for i, c in enumerate(cols) if c.kind == "mother"), None)
    named = columns[position] if position is not None else [FAIL]
    if FAIL not in named:
        women = sorted({w for w in named if isinstance(w, int) and w > 0})
        if not women:
            return []
        if len(women) * KEYED_LOOKUP_SHARE < len(_reader(ctx).women):
            return ctx.db.execute(f"{select} where {woman_column} in (select value from json_each(?))",
                                  [json.dumps(women)]).fetchall()
    return ctx.db.execute(select).fetchall()


def _analyzed(ctx: ImportContext) -> set[str]:
    """The tables this import's bulk inserts analysed (see `app.exchange.workbook._analyze_after_import`)."""
    return ctx.state.setdefault("analyzed", set())


def _reader(ctx: ImportContext) -> _Reader:
    if "registry" not in ctx.state:
        reader = ctx.state["registry"] = _Reader(ctx)
        ctx.closing.append(lambda: ctx.issues.extend(reader.dependency_notes()))
    return ctx.state["registry"]


def _findings_at_close(ctx: ImportContext) -> None:
    """The logic checks over every card the import touched (`report_findings`), run ONCE after
    the last sheet — after the dependency notes, so not at all when anything failed. (Each
    registry sheet used to run them again over every card touched so far: four passes over
    150,000 cards for a district workbook; the checks read no sheet that comes later.)"""
    if not ctx.state.get("findings_due"):
        ctx.state["findings_due"] = True
        reader = _reader(ctx)
        ctx.closing.append(lambda: report_findings(ctx, reader))


def woman_reference(ctx: ImportContext, row: Row, column: str) -> int | None:
    """`_Reader.read_woman_ref` for another module's sheet (孕检记录): the same rule and messages."""
    return _reader(ctx).read_woman_ref(row, Col(column, "woman_id", "mother", True))


def _describe(value: Any) -> str:
    return "空" if value is None else str(value)


AUDIT_ONLY = {"child_id"}


def _note_update(ctx: ImportContext, summary, key: str, woman_id: int, changes: dict[str, tuple],
                 labels: dict[str, str], what: str) -> None:
    summary.updated += 1
    # The summary names what a clerk knows (the mother, the 孩次); a record's internal id
    # (child_id) goes to the audit entry only.
    summary.updates.append(f"{key}: " + "；".join(f"{labels[c]} {_describe(a)} → {_describe(b)}"
                                                  for c, (a, b) in changes.items() if c not in AUDIT_ONLY))
    audit.record(ctx.db, ctx.actor, f"导入修改{what}", "woman", woman_id,
                 before={c: a for c, (a, _b) in changes.items()}, after={c: b for c, (_a, b) in changes.items()})


# ---- 育龄妇女 -----------------------------------------------------------------------------
def handle_women(ctx: ImportContext, sheet: Sheet) -> None:
    with gc_paused():   # 100,000s of tuples and dicts, no cycles: collections would only cost time
        _handle_women(ctx, sheet)


def _handle_women(ctx: ImportContext, sheet: Sheet) -> None:
    reader = _reader(ctx)
    summary = ctx.summary(sheet.name)
    present = set(sheet.header)
    cols = tuple(c for c in WOMEN if c.header in present)
    names = [c.column for c in cols]
    labels = {c.column: c.header for c in WOMEN} | {"name_initials": "拼音首字母"}
    # 出队原因 without a 出队日期 column: the date defaults to today (so it is written too).
    extra = ["exit_date"] if "exit_reason" in names and "exit_date" not in names else []
    columns = reader.convert_columns(sheet, cols)
    # The stored cards this sheet may update: only those with its ID numbers when every ID cell
    # was read cleanly (an import into a big ledger does not load every card), else all.
    numbers = columns[names.index("id_number")] if "id_number" in names else [FAIL]
    select = f"select id_number, id, {', '.join(names + extra)} from women"
    if FAIL not in numbers and reader.women.keys().isdisjoint(numbers):
        existing = {}   # `reader.women` holds every card of the ledger: none of these is stored
    elif FAIL in numbers:
        existing = {r[0]: r for r in ctx.db.execute(select).fetchall()}
    else:
        existing = {r[0]: r for r in ctx.db.execute(
            f"{select} where id_number in (select value from json_each(?))", [json.dumps(numbers)]).fetchall()}
    seen: dict[str, int] = {}
    inserts: list[tuple] = []
    insert_cols = list(dict.fromkeys(["id_number", "name", "birth_date", "card_date", "id_type", *names, *extra]))
    simple = simple_new_women(ctx, sheet, reader, names, columns, existing, insert_cols, reader.fast)
    written, constants, check_identities = [*insert_cols, "name_initials", "created_at", "updated_at"], None, None
    readings: list[tuple[str, str]] = []   # the new cards' other pinyin readings: (reading, ID number)
    if simple is not None:
        written, inserts, constants, check_identities, readings = simple
        if reader.closes:
            _women_dated_warnings(ctx, sheet, reader.closes, names, columns)
    else:
        _read_women(ctx, sheet, reader, cols, columns, existing, seen, inserts, insert_cols, names + extra,
                    labels, summary, readings)
    # The raw cells are not read again (the rows hold the converted values): free them before
    # the insert, which is where this sheet's memory peaks.
    sheet.release()
    if inserts and not ctx.issues:
        before = ctx.db.execute("select coalesce(max(id), 0) from women").fetchone()[0]

        def register(new: dict[str, int]) -> None:
            reader.women.update(new)
            new_ids = set(new.values())
            reader.new_women |= new_ids
            reader.touched |= new_ids
            # Nothing reads the converted columns or the rows again: free them now (beside
            # the index rebuild, when run from there), not when the import returns.
            columns.clear()
            inserts.clear()

        def beside(ids: range | None) -> None:
            """Run by `bulk_insert` while it rebuilds the indexes: the new cards' identity checks,
            and their ids noted when provably consecutive."""
            if check_identities is not None:
                check_identities()
            if ids is not None:
                register(dict(zip([r[0] for r in inserts], ids, strict=True)))

        summary.inserted += len(inserts)
        if bulk_insert(ctx.db, "women", written, inserts, _analyzed(ctx), constants, beside) is None:
            register(dict(ctx.db.execute("select id_number, id from women where id > ?", [before]).fetchall()))
        name_readings.add(ctx.db, [(reading, reader.women[number]) for reading, number in readings])
    elif inserts:
        # Errors elsewhere: nothing will be written, but later sheets must still find these mothers,
        # each under her own stand-in id (one shared id would compare every mother's rows).
        for r in inserts:
            reader.women.setdefault(r[0], -len(reader.women) - 1)
    _findings_at_close(ctx)


def _read_women(ctx: ImportContext, sheet: Sheet, reader: _Reader, cols: tuple[Col, ...], columns: list[list[Any]],
                existing: dict, seen: dict[str, int], inserts: list[tuple], insert_cols: list[str], names: list[str],
                labels: dict[str, str], summary, readings: list[tuple[str, str]]) -> None:
    today = reader.today_iso
    now = _now()
    blank = dict.fromkeys(insert_cols)
    pick = itemgetter(*insert_cols)
    for row, values in reader.read_rows(ctx, sheet, cols, columns):
        number = values.get("id_number")
        if number:
            if number in seen:
                row.error("证件号码", f"与第 {seen[number]} 行重复")
            else:
                seen[number] = row.number
        if not row.ok:
            reader.note_failed_woman(row.values.get("证件号码"), row.number)
            if number:
                reader.failed_women.setdefault(number, row.number)
            continue
        assert number is not None  # required: the row is ok
        if values.get("husband_id_number") and len(values["husband_id_number"]) == 15:
            values["husband_id_number"] = idcard.to_18(values["husband_id_number"]) \
                if values["husband_id_number"].isdigit() else values["husband_id_number"]
        reader.check_identity(number, values)
        old = existing.get(number)
        if values.get("exit_reason") and not values.get("exit_date") \
                and (old is None or old[2 + names.index("exit_date")] is None):
            values["exit_date"] = today
        if old is None:
            if values.get("birth_date") is None and (values.get("id_type") or "身份证") == "身份证":
                values["birth_date"] = idcard.parse(number).birth_date.isoformat()
            if values.get("birth_date") is None:
                row.error("出生日期", "证件类型不是身份证时必填")
                continue
            values["card_date"] = values.get("card_date") or today
            values["id_type"] = values.get("id_type") or "身份证"
            if reader.closes:
                _dated_warnings(ctx, sheet.name, row.number, reader.closes,
                                [(h, values.get(c)) for c, h in late_entry.WOMAN_DATED.items()])
            inserts.append((*pick(blank | values), reader.initials(values["name"]), now, now))
            readings.extend((reading, number) for reading in all_initials(values["name"])[1:])
            continue
        woman_id = old[1]
        before = dict(zip(names, old[2:], strict=True))
        changes = {c: (before[c], v) for c, v in values.items() if v is not None and before.get(c) != v}
        if not changes:
            summary.unchanged += 1
            continue
        if reader.closes:
            _dated_warnings(ctx, sheet.name, row.number, reader.closes,
                            [(h, changes[c][1]) for c, h in late_entry.WOMAN_DATED.items() if c in changes])
        if "name" in changes:
            changes["name_initials"] = (None, initials(values["name"]))
        ctx.db.execute(f"update women set {', '.join(f'{c} = ?' for c in changes)}, updated_at = ? where id = ?",
                       [v for _a, v in changes.values()] + [now, woman_id])
        if "name" in changes:   # the rename trigger dropped the old name's other readings
            name_readings.add_names(ctx.db, [(woman_id, values["name"])])
        changes.pop("name_initials", None)
        reader.touched.add(woman_id)
        _note_update(ctx, summary, f"{values.get('name') or before.get('name')} {number}", woman_id, changes,
                     labels, "卡片")


# ---- 子女 --------------------------------------------------------------------------------
def handle_children(ctx: ImportContext, sheet: Sheet) -> None:
    reader = _reader(ctx)
    summary = ctx.summary(sheet.name)
    present = set(sheet.header)
    cols = tuple(c for c in CHILDREN if c.header in present)
    value_cols = [c.column for c in cols if c.column not in ("mother_id", "birth_order")]
    labels = {c.column: c.header for c in CHILDREN} | {"counted_on": "计入上报日"}
    columns = reader.convert_columns(sheet, cols)
    existing = {(r[0], r[1]): r for r in _stored_rows(
        ctx, f"select mother_id, birth_order, id, birth_date, reported_date, counted_on"
        f"{''.join(', ' + c for c in value_cols)} from children", "mother_id", cols, columns)}
    seen: dict[tuple, int] = {}
    inserts: list[tuple] = []
    now = _now()
    all_cols = [c.column for c in CHILDREN]
    closes = reader.closes
    for row, values in reader.read_rows(ctx, sheet, cols, columns):
        key: tuple[Any, Any] = (values.get("mother_id"), values.get("birth_order"))  # None only on a failed row
        if None not in key:
            if key in seen:
                row.error("孩次", f"与第 {seen[key]} 行重复（同一母亲的同一孩次）")
            seen[key] = row.number
        if not row.ok or None in key:
            continue
        old = existing.get(key)
        if old is None:
            values["kinship"] = values.get("kinship") or "亲生"
            values["out_of_wedlock"] = values.get("out_of_wedlock") or 0
            counted = _late_child(ctx, sheet.name, row.number, closes, values) if closes else None
            inserts.append(tuple(values.get(c) for c in all_cols) + (counted, now, now))
            continue
        before = dict(zip(value_cols, old[6:], strict=True))
        changes = {c: (before[c], values[c]) for c in value_cols if values.get(c) is not None and before[c] != values[c]}
        if not changes:
            summary.unchanged += 1
            continue
        if closes or old[5] is not None:
            _late_child(ctx, sheet.name, row.number, closes, values, old[3:6], changes)
        ctx.db.execute(f"update children set {', '.join(f'{c} = ?' for c in changes)}, updated_at = ? where id = ?",
                       [v for _a, v in changes.values()] + [now, old[2]])
        reader.touched.add(key[0])
        _note_update(ctx, summary, f"{_mother_label(ctx, key[0])} 第 {key[1]} 孩", key[0],
                     {"child_id": (old[2], old[2])} | changes, labels | {"child_id": "子女编号"}, "子女")
    sheet.release()   # the cells are not read again: the next sheet may be parsed
    if inserts and not ctx.issues:
        bulk_insert(ctx.db, "children", [*all_cols, "counted_on", "created_at", "updated_at"], inserts, _analyzed(ctx))
        summary.inserted += len(inserts)
        _touch_inserted(ctx, reader, [r[0] for r in inserts], "导入新增子女")
    _findings_at_close(ctx)


def _late_child(ctx: ImportContext, sheet: str, number: int, closes: late_entry.Closes, values: dict,
                before: tuple | None = None, changes: dict | None = None) -> str | None:
    """A child row's `counted_on` by `late_entry.counted_on` (the registry's rule), with its
    closed-period warnings naming the row. For an update (`before` = the stored 出生日期,
    上报日期, counted_on) a new `counted_on` is added to `changes`; returns it."""
    born = values.get("birth_date") or (before[0] if before else None)
    reported = values.get("reported_date") or (before[1] if before else None)
    assert born is not None  # 出生日期 is required (a new row) or stored (an update)
    counted = late_entry.counted_on(closes, born, reported, date.today(), before)
    if before is not None and changes is not None and counted != before[2]:
        changes["counted_on"] = (before[2], counted)
    other = bool(changes and set(changes) - {"birth_date", "reported_date", "counted_on"})
    for message in late_entry.child_notes(closes, born, reported, counted, before, other):
        ctx.warnings.append(ImportIssue(sheet, number, None, message))
    return counted


def _women_dated_warnings(ctx: ImportContext, sheet: Sheet, closes: late_entry.Closes, names: list[str],
                          columns: list[list[Any]]) -> None:
    """`_dated_warnings` for the new cards of the column-wise path (every row clean, in sheet order)."""
    dated = [(late_entry.WOMAN_DATED[c], columns[i]) for i, c in enumerate(names) if c in late_entry.WOMAN_DATED]
    if not dated:
        return
    numbers = [n for n, _cells in sheet.grid] if sheet.grid is not None else [n for n, _v in sheet.rows]
    for header, days in dated:
        for number, day in zip(numbers, days, strict=True):
            if day and closes.holding(day):
                _dated_warnings(ctx, sheet.name, number, closes, [(header, day)])


def _dated_warnings(ctx: ImportContext, sheet: str, number: int, closes: late_entry.Closes,
                    dated: list[tuple[str, str | None]]) -> None:
    """Closed-period warnings for a row's other dated facts: (column header, date) pairs."""
    for header, day in dated:
        message = late_entry.dated_note(closes, header, day)
        if message:
            ctx.warnings.append(ImportIssue(sheet, number, header, message))


def _mother_label(ctx: ImportContext, woman_id: int) -> str:
    row = ctx.db.execute("select name, id_number from women where id = ?", [woman_id]).fetchone()
    return f"{row[0]} {row[1]}" if row else str(woman_id)


def _touch_inserted(ctx: ImportContext, reader: _Reader, woman_ids: list[int], action: str) -> None:
    """Mark cards as touched; cards that existed before this import get an audit entry."""
    counts: dict[int, int] = {}
    for wid in woman_ids:
        counts[wid] = counts.get(wid, 0) + 1
    reader.touched.update(counts)
    for wid, n in counts.items():
        if wid not in reader.new_women:
            audit.record(ctx.db, ctx.actor, action, "woman", wid, after={"rows": n})


# ---- 节育措施 ------------------------------------------------------------------------------
def handle_measures(ctx: ImportContext, sheet: Sheet) -> None:
    reader = _reader(ctx)
    summary = ctx.summary(sheet.name)
    present = set(sheet.header)
    cols = tuple(c for c in MEASURES if c.header in present)
    labels = {c.column: c.header for c in MEASURES}
    columns = reader.convert_columns(sheet, cols)
    existing = {(r[0], r[1], r[2]): r for r in _stored_rows(
        ctx, "select woman_id, method, start_date, id, end_date, provider from contraception", "woman_id",
        cols, columns)}
    seen: dict[tuple, int] = {}
    inserts: list[tuple] = []
    closes = reader.closes
    for row, values in reader.read_rows(ctx, sheet, cols, columns):
        key: tuple[Any, Any, Any] = (values.get("woman_id"), values.get("method"), values.get("start_date"))  # as above
        if None not in key:
            if key in seen:
                row.error("开始日期", f"与第 {seen[key]} 行重复（同一人、同一措施、同一开始日期）")
            seen[key] = row.number
        if not row.ok or None in key:
            continue
        old = existing.get(key)
        if old is None:
            inserts.append((*key, values.get("end_date"), values.get("provider")))
            if closes:
                _dated_warnings(ctx, sheet.name, row.number, closes,
                                [("开始日期", key[2]), ("终止日期", values.get("end_date"))])
            continue
        changes = {c: (old[i], values[c]) for c, i in (("end_date", 4), ("provider", 5))
                   if values.get(c) is not None and old[i] != values[c]}
        if not changes:
            summary.unchanged += 1
            continue
        if closes and "end_date" in changes:
            _dated_warnings(ctx, sheet.name, row.number, closes, [("终止日期", values["end_date"])])
        ctx.db.execute(f"update contraception set {', '.join(f'{c} = ?' for c in changes)} where id = ?",
                       [v for _a, v in changes.values()] + [old[3]])
        reader.touched.add(key[0])
        _note_update(ctx, summary, f"{_mother_label(ctx, key[0])} {key[1]} {key[2]} 起", key[0],
                     changes, labels, "节育措施")
    sheet.release()   # the cells are not read again: the next sheet may be parsed
    if inserts and not ctx.issues:
        bulk_insert(ctx.db, "contraception", ["woman_id", "method", "start_date", "end_date", "provider"], inserts,
                    _analyzed(ctx), {"created_at": _now()})
        summary.inserted += len(inserts)
        _touch_inserted(ctx, reader, [r[0] for r in inserts], "导入新增节育措施")
    _findings_at_close(ctx)


# ---- 手术 --------------------------------------------------------------------------------
def handle_procedures(ctx: ImportContext, sheet: Sheet) -> None:
    reader = _reader(ctx)
    summary = ctx.summary(sheet.name)
    present = set(sheet.header)
    cols = tuple(c for c in PROCEDURES if c.header in present)
    columns = reader.convert_columns(sheet, cols)
    existing = {(r[0], r[1], r[2]): r for r in _stored_rows(
        ctx, "select woman_id, kind, date, id, provider from procedures", "woman_id", cols, columns)}
    seen: dict[tuple, int] = {}
    inserts: list[tuple] = []
    now = _now()
    closes = reader.closes
    for row, values in reader.read_rows(ctx, sheet, cols, columns):
        key: tuple[Any, Any, Any] = (values.get("woman_id"), values.get("kind"), values.get("date"))  # as above
        if None not in key:
            if key in seen:
                row.error("手术日期", f"与第 {seen[key]} 行重复（同一人、同一手术、同一日期）")
            seen[key] = row.number
        if not row.ok or None in key:
            continue
        old = existing.get(key)
        if old is None:
            inserts.append((*key, values.get("provider"), now))
            if closes:
                _dated_warnings(ctx, sheet.name, row.number, closes, [("手术日期", key[2])])
            continue
        if values.get("provider") is not None and values["provider"] != old[4]:
            ctx.db.execute("update procedures set provider = ? where id = ?", [values["provider"], old[3]])
            reader.touched.add(key[0])
            _note_update(ctx, summary, f"{_mother_label(ctx, key[0])} {key[1]} {key[2]}", key[0],
                         {"provider": (old[4], values["provider"])}, {"provider": "手术单位"}, "手术")
        else:
            summary.unchanged += 1
    sheet.release()   # the cells are not read again: the next sheet may be parsed
    if inserts and not ctx.issues:
        _analyzed(ctx).discard("contraception")   # the history changes below: analyse it again at the end
        history.add_procedures(ctx.db, sorted(inserts, key=lambda r: (r[0], r[2])),
                               lambda table, columns, rows: bulk_insert(ctx.db, table, columns, rows, _analyzed(ctx)))
        _analyzed(ctx).discard("contraception")   # end dates were updated after its insert
        summary.inserted += len(inserts)
        _touch_inserted(ctx, reader, [r[0] for r in inserts], "导入新增手术")
    _findings_at_close(ctx)


WOMEN_SPEC = SheetSpec("育龄妇女", tuple(c.spec for c in WOMEN), handle_women)
CHILDREN_SPEC = SheetSpec("子女", tuple(c.spec for c in CHILDREN), handle_children)
MEASURES_SPEC = SheetSpec("节育措施", tuple(c.spec for c in MEASURES), handle_measures)
PROCEDURES_SPEC = SheetSpec("手术", tuple(c.spec for c in PROCEDURES), handle_procedures)
SPECS = [WOMEN_SPEC, CHILDREN_SPEC, MEASURES_SPEC, PROCEDURES_SPEC]
