"""`fpledger roster ROUND --json` end to end (INTERFACES.md §4), with results from the workbook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook

from app.exchange.workbook import import_workbook
from app.ledger import Ledger
from tests.builders import measure, unit, woman


def fpledger(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUTF8="1")
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


def write_checks(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "孕检记录"
    ws.append(["证件号码", "轮次", "结果", "检查日期", "环情", "孕情", "病情"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def build(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    db = tmp_path / "roster.db"
    ids: dict[str, str] = {}
    with Ledger.create(db, "荷塘区人口计生局", 10, actor="test") as ledger:
        unit(ledger, "4302", "荷塘区", "区县")
        unit(ledger, "430201", "仙庾镇", "乡镇", parent="4302")
        unit(ledger, "430201001", "桃花村", "村", parent="430201")
        unit(ledger, "430202", "明照乡", "乡镇", parent="4302")
        unit(ledger, "430202001", "新村", "村", parent="430202")
        for name, code, method, residence in [
            ("甲", "430201001", "宫内节育器", "常住"), ("乙", "430201001", "宫内节育器", "常住"),
            ("丙", "430201001", "避孕套", "流出"), ("丁", "430202001", "皮下埋植", "常住"),
            ("戊", "430202001", None, "流入"),
        ]:
            wid = woman(ledger, name, code, residence=residence)
            ids[name] = ledger.db.execute("select id_number from women where id = ?", [wid]).fetchone()[0]
            if method:
                measure(ledger, wid, method, "2020-03-01")
        woman(ledger, "未婚者", "430201001", married=None)
        sterilized = woman(ledger, "早年结扎", "430202001")
        measure(ledger, sterilized, "女扎", "2015-01-01")
    return db, ids


def test_roster_json_matches_the_interface_and_counts_imported_results(tmp_path):
    db, ids = build(tmp_path)
    book = write_checks(tmp_path / "checks.xlsx", [
        [ids["甲"], "2026Q2", "已查", "2026-02-10", "正常", "未孕", None],
        [ids["丙"], "2026Q2", "寄回证明", "2026-04-08", None, "未孕", None],
        [ids["丁"], "2026Q2", "已查", "2026-03-01", None, "已孕12周", None],
        [ids["戊"], "2026Q2", "未查", None, None, None, None],
    ])
    with Ledger.open(db) as ledger:
        summary = import_workbook(ledger, book).sheets["孕检记录"]
        assert (summary.inserted, summary.updated, summary.unchanged) == (4, 0, 0)
        follow = ledger.db.execute("select weeks, status from pregnancy_followups").fetchall()
        assert follow == [(12, "跟踪中")]
    result = fpledger("--db", str(db), "roster", "2026Q2", "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert {k: doc[k] for k in ("round", "start", "end", "due", "checked", "certificate", "missed", "rate_percent")} == {
        "round": "2026Q2", "start": "2026-01-01", "end": "2026-03-31", "due": 5, "checked": 2,
        "certificate": 1, "missed": 2, "rate_percent": 60.0}
    assert doc["by_category"]["上环"] == {"due": 2, "checked": 1, "certificate": 0, "missed": 1, "rate_percent": 50.0}
    assert doc["by_category"]["药具"] == {"due": 1, "checked": 0, "certificate": 1, "missed": 0, "rate_percent": 100.0}
    assert doc["by_category"]["结扎不足一年"] == {"due": 0, "checked": 0, "certificate": 0, "missed": 0,
                                                "rate_percent": None}
    assert set(doc["by_category"]) == {"上环", "皮埋", "药具", "结扎不足一年", "未避孕/应落实未落实"}
    assert doc["units"] == [
        {"code": "430201", "name": "仙庾镇", "due": 3, "checked": 1, "certificate": 1, "missed": 1,
         "rate_percent": 66.67},
        {"code": "430202", "name": "明照乡", "due": 2, "checked": 1, "certificate": 0, "missed": 1,
         "rate_percent": 50.0},
    ]
    # 乙 has no result at all and 戊 has 未查: both are 未查.
    result = fpledger("roster", "2026Q2", "--db", str(db), "--missed", "--json")
    missed = json.loads(result.stdout)["missed_list"]
    assert sorted(m["name"] for m in missed) == ["乙", "戊"]
    assert all("*" in m["id_number"] for m in missed)


def test_reimporting_the_same_results_changes_nothing_and_a_change_is_an_update(tmp_path):
    db, ids = build(tmp_path)
    rows = [[ids["甲"], "2026Q2", "已查", "2026-02-10", "正常", "未孕", None]]
    book = write_checks(tmp_path / "checks.xlsx", rows)
    with Ledger.open(db) as ledger:
        import_workbook(ledger, book)
        again = import_workbook(ledger, book).sheets["孕检记录"]
        assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)
        changed = write_checks(tmp_path / "changed.xlsx", [[ids["甲"], "2026Q2", "已查", "2026-02-10", "脱落", "未孕", None]])
        update = import_workbook(ledger, changed).sheets["孕检记录"]
        assert update.updated == 1 and "环情 正常 → 脱落" in update.updates[0]


def test_bad_rows_are_refused_with_sheet_row_and_column(tmp_path):
    db, ids = build(tmp_path)
    book = write_checks(tmp_path / "bad.xlsx", [
        [ids["甲"], "2026Q5", "已查", "2026-02-10", None, None, None],
        [ids["乙"], "2026Q2", "查过", None, None, None, None],
        [ids["丙"], "2026Q2", "已查", None, None, None, None],
        ["430202199001011234", "2026Q2", "已查", "2026-02-10", None, None, None],
        [ids["丁"], "2026Q2", "已查", "2026-02-10", "松动", "未孕", None],
    ])
    result = fpledger("--db", str(db), "import", str(book), "--json")
    assert result.returncode == 2
    errors = json.loads(result.stdout)["errors"]
    assert any(e.startswith("孕检记录!2 轮次") for e in errors)
    assert any(e.startswith("孕检记录!3 结果") for e in errors)
    assert any(e.startswith("孕检记录!4 检查日期") for e in errors)
    assert any(e.startswith("孕检记录!5 证件号码") for e in errors)
    assert any(e.startswith("孕检记录!6 环情") for e in errors)
    with Ledger.open(db) as ledger:
        assert ledger.db.execute("select count(*) from check_results").fetchone()[0] == 0


def test_human_output_is_chinese(tmp_path):
    db, _ = build(tmp_path)
    result = fpledger("--db", str(db), "roster", "2026Q2")
    assert result.returncode == 0, result.stderr
    assert "应查 5" in result.stdout and "查环查孕率" in result.stdout
    assert fpledger("--db", str(db), "roster", "2026Q9").returncode == 2


def test_close_freezes_and_print_writes_one_pdf_and_xlsx_per_village(tmp_path):
    db, _ = build(tmp_path)
    out = tmp_path / "print"
    result = fpledger("--db", str(db), "roster", "2026Q2", "--close", "--print", str(out), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["frozen"] is True and doc["status"] == "已结束"
    assert sorted(Path(p).name for p in doc["printed"]) == [
        "2026Q2_430201001_桃花村_孕检名册.pdf", "2026Q2_430201001_桃花村_孕检名册.xlsx",
        "2026Q2_430202001_新村_孕检名册.pdf", "2026Q2_430202001_新村_孕检名册.xlsx"]
    again = fpledger("--db", str(db), "roster", "2026Q2", "--close")
    assert again.returncode == 2 and "已经结束" in again.stderr
