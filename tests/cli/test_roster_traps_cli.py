"""`fpledger roster 2026Q2 --json` to the digit on a ledger full of traps (INTERFACES.md §4).

The results arrive by workbook import, which runs ANALYZE, and every CLI run closes the ledger
with `pragma optimize`; the document is compared whole, before and after closing the round.
"""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook

from app.exchange.workbook import import_workbook
from app.ledger import Ledger
from tests.builders import make_id, measure, unit, woman
from tests.cli.test_roster_cli import fpledger

_area = iter(range(200000, 999999, 11))


def _woman(ledger, name: str, code: str, born: str = "1990-01-01", **kw) -> tuple[int, str]:
    number = make_id(born, area=f"{next(_area):06d}")
    return woman(ledger, name, code, born=born, id_number=number, **kw), number


def build(tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "traps.db"
    rows = []
    with Ledger.create(db, "荷塘区人口计生局", 10, actor="test") as ledger:
        unit(ledger, "4302", "荷塘区", "区县")
        unit(ledger, "430201", "仙庾镇", "乡镇", parent="4302")
        unit(ledger, "430201001", "桃花村", "村", parent="430201")
        unit(ledger, "430202", "明照乡", "乡镇", parent="4302")
        unit(ledger, "430202001", "新村", "村", parent="430202")
        # due, with results
        w, n = _woman(ledger, "上环已查", "430201001")
        measure(ledger, w, "宫内节育器", "2019-01-01")
        rows.append([n, "2026Q2", "已查", "2026-02-10", "正常", "未孕", None])
        w, n = _woman(ledger, "流出寄回", "430201001", residence="流出")
        measure(ledger, w, "避孕套", "2021-01-01")
        rows.append([n, "2026Q2", "寄回证明", "2026-04-08", None, "未孕", None])
        rows.append([n, "2026Q1", "已查", "2025-11-08", None, "未孕", None])      # another round
        w, n = _woman(ledger, "结扎整十二个月", "430202001")
        measure(ledger, w, "女扎", "2025-01-01")
        rows.append([n, "2026Q2", "未查", None, None, None, None])
        w, n = _woman(ledger, "其他措施", "430202001", residence="流入")
        measure(ledger, w, "其他", "2022-01-01")
        _woman(ledger, "五十岁在次日", "430202001", born="1976-04-01")             # no result: 未查
        # not due, some with results that must not count
        w, n = _woman(ledger, "五十岁在末日", "430201001", born="1976-03-31")
        rows.append([n, "2026Q2", "已查", "2026-02-10", None, "未孕", None])
        w, n = _woman(ledger, "结扎十三个月", "430201001")
        measure(ledger, w, "女扎", "2024-12-01")
        rows.append([n, "2026Q2", "已查", "2026-02-10", None, "未孕", None])
        _woman(ledger, "未婚", "430201001", married=None)
        _woman(ledger, "免查", "430202001", check_exempt_reason="子宫切除")
        _woman(ledger, "轮内迁出", "430202001", exit_reason="迁出", exit_date="2026-03-01")
    book = tmp_path / "checks.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "孕检记录"
    ws.append(["证件号码", "轮次", "结果", "检查日期", "环情", "孕情", "病情"])
    for row in rows:
        ws.append(row)
    wb.save(book)
    return db, book


EXPECTED = {
    "round": "2026Q2", "start": "2026-01-01", "end": "2026-03-31",
    "due": 5, "checked": 1, "certificate": 1, "missed": 3, "rate_percent": 40.0,
    "by_category": {
        "上环": {"due": 1, "checked": 1, "certificate": 0, "missed": 0, "rate_percent": 100.0},
        "皮埋": {"due": 0, "checked": 0, "certificate": 0, "missed": 0, "rate_percent": None},
        "药具": {"due": 1, "checked": 0, "certificate": 1, "missed": 0, "rate_percent": 100.0},
        "结扎不足一年": {"due": 1, "checked": 0, "certificate": 0, "missed": 1, "rate_percent": 0.0},
        "未避孕/应落实未落实": {"due": 2, "checked": 0, "certificate": 0, "missed": 2, "rate_percent": 0.0},
    },
    "units": [
        {"code": "430201", "name": "仙庾镇", "due": 2, "checked": 1, "certificate": 1, "missed": 0,
         "rate_percent": 100.0},
        {"code": "430202", "name": "明照乡", "due": 3, "checked": 0, "certificate": 0, "missed": 3,
         "rate_percent": 0.0},
    ],
}


def _interface_part(doc: dict) -> dict:
    return {key: doc[key] for key in EXPECTED}


def test_roster_json_is_right_to_the_digit_on_a_ledger_of_traps(tmp_path):
    db, book = build(tmp_path)
    with Ledger.open(db) as ledger:
        assert import_workbook(ledger, book).sheets["孕检记录"].inserted == 6
    first = fpledger("--db", str(db), "roster", "2026Q2", "--json")
    assert first.returncode == 0, first.stderr
    assert _interface_part(json.loads(first.stdout)) == EXPECTED
    again = fpledger("roster", "2026Q2", "--json", "--db", str(db))       # after pragma optimize
    assert _interface_part(json.loads(again.stdout)) == EXPECTED
    closed = fpledger("--db", str(db), "roster", "2026Q2", "--close", "--json")
    assert closed.returncode == 0, closed.stderr
    doc = json.loads(closed.stdout)
    assert doc["frozen"] is True and _interface_part(doc) == EXPECTED
