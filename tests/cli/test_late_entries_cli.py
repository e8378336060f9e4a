"""`fpledger close / import / report / differences` with a birth that arrives after the close:
the import names the row, the open month's 补报 rises by one, the closed month stays as
submitted and `differences` lists the late entry (exit 1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import openpyxl

from app.ledger import Ledger
from tests.builders import make_id, population, unit, woman

THIS_MONTH = f"{date.today():%Y-%m}"


def fpledger(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUTF8="1")
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


def report(db: str, period: str, *extra: str) -> dict:
    done = fpledger("report", period, "--db", db, "--json", *extra)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_backdated_birth_imported_after_the_close(tmp_path):
    db = str(tmp_path / "镇.db")
    number = make_id("1990-05-01")
    with Ledger.create(db, "仙庾镇计生办", 10, actor="test") as ledger:
        unit(ledger, "430202100", "仙庾镇", "乡镇")
        unit(ledger, "430202100201", "仙庾村", "村", parent="430202100")
        population(ledger, "430202100", "2026-03", 30000, 12)
        woman(ledger, "李丽", unit="430202100201", id_number=number)
    assert fpledger("close", "2026-03", "--db", db).returncode == 0
    with Ledger.open(db, daily_backup=False) as ledger:   # times are kept to the second: date the close
        ledger.db.execute("update period_closures set closed_at = strftime('%Y-%m-%dT%H:%M:%S', closed_at, '-1 hour')")  # an hour back
        ledger.db.conn.commit()
    march = report(db, "2026-03")
    before = report(db, THIS_MONTH)["late_reported"]["total"]
    assert fpledger("differences", "2026-03", "--db", db).returncode == 0

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "子女"
    sheet.append(["母亲证件号码", "孩次", "性别", "出生日期", "政策属性", "上报日期"])
    sheet.append([number, 1, "女", "2026-02-01", "政策内", "2026-03-10"])
    book.save(tmp_path / "补录.xlsx")
    imported = fpledger("import", str(tmp_path / "补录.xlsx"), "--db", db, "--json")
    assert imported.returncode == 0, imported.stderr
    [warning] = [w for w in json.loads(imported.stdout)["warnings"] if "已关账" in w]
    assert warning.startswith("子女!2: 上报日期 2026-03-10 属于已关账的统计期 2026年3月：该出生按录入日")
    human = fpledger("import", str(tmp_path / "补录.xlsx"), "--db", db)
    assert human.returncode == 0 and "已关账" not in human.stdout   # the same rows again: unchanged, no warning

    assert report(db, THIS_MONTH)["late_reported"]["total"] == before + 1
    assert report(db, "2026-03")["late_reported"] == march["late_reported"]
    assert report(db, "2026-03", "--live")["late_reported"] == march["late_reported"]
    differences = fpledger("differences", "2026-03", "--db", db, "--json")
    assert differences.returncode == 1
    document = json.loads(differences.stdout)
    assert document["differences"] == []
    [entry] = document["late_entries"]
    assert (entry["kind"], entry["woman"], entry["change"]) == ("子女", "李丽", "新增")
    text = fpledger("differences", "2026-03", "--db", db).stdout
    assert "关账后录入或修改的本期事实 1 条" in text and number not in text
