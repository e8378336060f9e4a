"""`fpledger check / export-workbook / demo / template / due-exit` end to end, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import openpyxl

from app.ledger import Ledger
from tests import builders as b


def fpledger(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUTF8="1")
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=300)


def _office(path):
    ledger = Ledger.create(path, "荷塘区人口计生局", actor="test")
    b.unit(ledger, "430202", "荷塘区", "区县")
    b.unit(ledger, "430202101201", "桃花村", "村", parent="430202")
    return ledger


def test_check_exits_0_on_a_clean_ledger_and_1_with_findings(tmp_path):
    db = tmp_path / "L.db"
    with _office(db) as ledger:
        wid = b.woman(ledger, "李丽", unit="430202101201", born="1990-05-01")
        b.measure(ledger, wid, "宫内节育器", "2013-01-01")
    clean = fpledger("--db", str(db), "check")
    assert clean.returncode == 0, clean.stderr
    assert "未发现问题" in clean.stdout
    with Ledger.open(db) as ledger:
        b.child(ledger, wid, 1, "2016-05-01", reported="2016-04-01")
    found = fpledger("check", "--db", str(db), "--json")
    assert found.returncode == 1, found.stderr
    document = json.loads(found.stdout)
    assert document["errors"] >= 1
    assert any("上报日期 2016-04-01 早于出生日期" in f["message"] and f["name"] == "李丽" for f in document["findings"])
    human = fpledger("--db", str(db), "check")
    assert human.returncode == 1 and "【子女日期】" in human.stdout


def test_check_with_a_bad_date_is_bad_input(tmp_path):
    db = tmp_path / "L.db"
    _office(db).close()
    assert fpledger("--db", str(db), "check", "--as-of", "2026-13-01").returncode == 2


def test_export_workbook_template_and_refused_demo(tmp_path):
    db = tmp_path / "L.db"
    with _office(db) as ledger:
        b.woman(ledger, "李丽", unit="430202101201")
    out = tmp_path / "全部.xlsx"
    result = fpledger("--db", str(db), "export-workbook", str(out))
    assert result.returncode == 0, result.stderr
    assert openpyxl.load_workbook(out, read_only=True).sheetnames[:2] == ["单位", "育龄妇女"]
    template = tmp_path / "模板.xlsx"
    assert fpledger("template", str(template)).returncode == 0
    names = openpyxl.load_workbook(template, read_only=True).sheetnames
    assert names[0] == "填写说明" and {"育龄妇女", "子女", "节育措施", "手术"} <= set(names)
    refused = fpledger("--db", str(db), "demo")
    assert refused.returncode == 2 and "只能载入空台帐" in refused.stderr


def test_demo_fills_an_empty_ledger_and_due_exit_lists_women_turning_50(tmp_path):
    db = tmp_path / "D.db"
    assert fpledger("--db", str(db), "init").returncode == 0
    result = fpledger("--db", str(db), "demo", "--size", "township", "--seed", "7", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    assert 14000 <= rows["women"] <= 16000 and rows["children"] > 10000
    due = fpledger("--db", str(db), "due-exit", "--json")
    assert due.returncode == 1 and json.loads(due.stdout)["due"]
    applied = fpledger("--db", str(db), "due-exit", "--apply")
    assert applied.returncode == 0
    assert fpledger("--db", str(db), "due-exit").returncode == 0
