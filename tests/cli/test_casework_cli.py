"""`fpledger registrations PERIOD --json` and `fpledger rewards screen YEAR --json` end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from app.casework import registrations
from app.ledger import Ledger
from tests.builders import child, make_id, unit, woman


def fpledger(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUTF8="1")
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


def test_registrations_of_a_period_with_counts_by_order_and_the_rewards_screening(tmp_path):
    db = tmp_path / "l.db"
    with Ledger.create(db, "仙庾镇计生办", 10, actor="test") as ledger:
        unit(ledger, "430202100", "仙庾镇", "乡镇")
        unit(ledger, "430202100201", "桃花村", "村", parent="430202100")
        a = woman(ledger, "李丽", "430202100201", born="1994-01-01", married="2018-01-01")
        b = woman(ledger, "王芳", "430202100201", born="1995-01-01", married="2019-01-01")
        child(ledger, b, 1, born="2020-02-02")
        registrations.register_birth(ledger, a, 1, registered_on="2026-03-02", expected_date="2026-10-01")
        registrations.register_birth(ledger, b, 2, registered_on="2026-03-09")
        registrations.register_birth(ledger, b, 1, registered_on="2025-09-09")   # before the statistical year
        old = woman(ledger, "赵兰", "430202100201", born="1960-05-05", married="1982-01-01", husband="钱福",
                    husband_id_number=make_id("1958-01-01", female=False), husband_hukou_type="农业",
                    exit_reason="超龄", exit_date="2010-05-05")
        child(ledger, old, 1, born="1984-01-01")
    done = fpledger("--db", str(db), "registrations", "2026", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["total"] == 2 and doc["by_order"] == {"1": 1, "2": 1, "3": 0}
    assert [r["number"] for r in doc["registrations"]] == ["2026-0001", "2026-0002"]
    assert doc["registrations"][0]["expected_date"] == "2026-10-01"
    human = fpledger("--db", str(db), "registrations", "2026")
    assert "一孩 1，二孩 1" in human.stdout and "**********" in human.stdout

    out = tmp_path / "out"
    done = fpledger("--db", str(db), "rewards", "screen", "2026", "--json", "--out", str(out))
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["year"] == 2026
    people = [p for p in doc["people"] if p["scheme"] == "奖励扶助"]
    assert {(p["name"], p["sex"], p["eligible"], p["new"]) for p in people} == {
        ("赵兰", "女", True, False), ("钱福", "男", True, False)}
    assert sorted(p.name for p in out.iterdir()) == ["2026_奖扶特扶公示名单.pdf", "2026_奖扶特扶公示名单.xlsx"]
    assert fpledger("--db", str(db), "rewards", "screen", "26x").returncode == 2
