"""`fpledger export / close / reopen / differences / targets / veto-list` end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import openpyxl
import pytest

from app.ledger import Ledger
from tests.builders import child, population, unit, woman


def fpledger(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUTF8="1")
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "镇.db"
    with Ledger.create(path, "仙庾镇计生办", 10, actor="test") as ledger:
        unit(ledger, "430202100", "仙庾镇", "乡镇")
        unit(ledger, "430202100201", "仙庾村", "村", parent="430202100")
        unit(ledger, "430202100202", "湖塘村", "村", parent="430202100")
        unit(ledger, "430202100900", "镇中学", "公共单位", parent="430202100", supervisor="430202100901")
        unit(ledger, "430202100901", "区教育局", "公共单位", parent="430202100")
        population(ledger, "430202100", "2026-03", 30000, 12)
        li = woman(ledger, "李丽", unit="430202100201")
        child(ledger, li, 1, born="2026-03-05", sex="女")
        teacher = woman(ledger, "周老师", unit="430202100900")
        child(ledger, teacher, 3, born="2026-02-01", policy="政策外")
    return str(path)


def test_export_close_differences_reopen(db, tmp_path):
    out = tmp_path / "U盘"
    result = fpledger("export", "2026-03", "--out", str(out), "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    names = [f["name"] for f in manifest["files"]]
    assert len(names) == 16 and "dhis2/dataValueSets.json" in names and sum(n.endswith(".pdf") for n in names) == 7 and "figures.json" in names
    [monthly] = [out / n for n in names if n.endswith(".xlsx") and "计划生育月报表" in n]
    rows = [list(r) for r in openpyxl.load_workbook(monthly).active.iter_rows(values_only=True)]
    [village] = [r for r in rows if r[0] == "仙庾村"]
    [total] = [r for r in rows if r[0] == "合计"]
    assert village[2:5] == [1, 0, 1] and total[2] == 1

    closed = fpledger("close", "2026-03", "--manifest", str(out / "manifest.json"), "--db", db, "--json")
    assert closed.returncode == 0, closed.stderr
    assert len(json.loads(closed.stdout)["files"]) == 16
    assert fpledger("close", "2026-03", "--db", db).returncode == 2
    assert fpledger("differences", "2026-03", "--db", db).returncode == 0

    with Ledger.open(db, daily_backup=False) as ledger:
        ledger.db.execute("update children set sex = '男' where birth_date = '2026-03-05'")
    diff = fpledger("differences", "2026-03", "--db", db, "--json")
    assert diff.returncode == 1
    keys = {d["key"] for d in json.loads(diff.stdout)["differences"] if d["unit"] == "*"}
    assert {"births_male", "births_female"} <= keys
    frozen = json.loads(fpledger("report", "2026-03", "--db", db, "--json").stdout)
    assert frozen["births_female"] == 1 and frozen["closed"]

    assert fpledger("reopen", "2026-03", "--db", db).returncode == 2          # --reason is required
    reopened = fpledger("reopen", "2026-03", "--reason", "性别录错", "--db", db)
    assert reopened.returncode == 0 and "性别录错" in reopened.stdout
    live = json.loads(fpledger("report", "2026-03", "--db", db, "--json").stdout)
    assert live["births_male"] == 1 and live["closed"] is None


def test_targets_and_veto_list(db):
    set_ = fpledger("targets", "2026", "--unit", "430202100", "--births", "400", "--birth-rate", "7.37",
                    "--growth-rate", "1", "--policy-rate", "99", "--db", db, "--json")
    assert set_.returncode == 0, set_.stderr
    [target] = json.loads(set_.stdout)["targets"]
    assert (target["births"], target["birth_rate_permille"], target["policy_rate_percent"]) == (400, "7.37", "99")
    assert fpledger("targets", "2026", "--births", "1", "--db", db).returncode == 2     # which unit?
    veto = fpledger("veto-list", "2026", "--db", db, "--json")
    assert veto.returncode == 0, veto.stderr
    [flagged] = json.loads(veto.stdout)["units"]
    assert (flagged["name"], flagged["supervisor_name"], flagged["count"]) == ("镇中学", "区教育局", 1)
    human = fpledger("veto-list", "2026", "--db", db).stdout
    assert "镇中学" in human and "区教育局" in human and "连带责任" in human
    assert "没有一票否决单位" in fpledger("veto-list", "2025", "--db", db).stdout


def test_as_of_option(db):
    r = json.loads(fpledger("report", "2026-03", "--as-of", "2026-03-04", "--db", db, "--json").stdout)
    assert r["births"] == 0 and r["as_of"] == "2026-03-04"
    bad = fpledger("report", "2026-03", "--as-of", "2026/13/01", "--db", db)
    assert bad.returncode == 2 and "日期" in bad.stderr


def _xlsx_values(path) -> list:
    return [v for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True) for v in row]


def _monthly_total(out):
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    [monthly] = [out / f["name"] for f in manifest["files"] if f["name"].endswith("计划生育月报表.xlsx")]
    rows = [list(r) for r in openpyxl.load_workbook(monthly).active.iter_rows(values_only=True)]
    return next(r for r in rows if r[0] == "合计")[2:5], manifest, monthly


def test_export_of_a_closed_period_is_its_snapshot_unless_live_which_says_so(db, tmp_path):
    assert fpledger("close", "2026-03", "--db", db).returncode == 0
    from app import registry

    with Ledger.open(db, daily_backup=False) as ledger:
        [child_id] = [r[0] for r in ledger.db.execute("select id from children where birth_date = '2026-03-05'")]
        registry.update_child(ledger, child_id, {"sex": "男"})
    submitted = json.loads(fpledger("report", "2026-03", "--db", db, "--json").stdout)
    assert (submitted["births_male"], submitted["births_female"], submitted["source"]) == (0, 1, "snapshot")

    out = tmp_path / "快照"
    result = fpledger("export", "2026-03", "--out", str(out), "--db", db)
    assert result.returncode == 0, result.stderr
    assert "显示报送时冻结的数字" in result.stdout
    total, manifest, monthly = _monthly_total(out)
    assert total == [submitted["births"], submitted["births_male"], submitted["births_female"]]
    figures = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    assert figures["report"] == submitted and figures["closed"] is True
    [entry] = [f for f in manifest["files"] if f["name"] == "figures.json"]
    import hashlib

    assert entry["sha256"] == hashlib.sha256((out / "figures.json").read_bytes()).hexdigest()
    assert not any("与已报送数不一致" in str(v) for v in _xlsx_values(monthly))

    live_out = tmp_path / "重算"
    result = fpledger("export", "2026-03", "--out", str(live_out), "--live", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["source"] == "live_over_closed"
    total, manifest, monthly = _monthly_total(live_out)
    assert total == [1, 1, 0] and manifest["source"] == "live_over_closed"
    assert any("与已报送数不一致" in str(v) for v in _xlsx_values(monthly))
    assert json.loads((live_out / "figures.json").read_text(encoding="utf-8"))["source"] == "live_over_closed"
