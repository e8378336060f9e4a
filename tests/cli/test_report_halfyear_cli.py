"""Acceptance: `fpledger report 2026H1 --json` reproduces every figure of the seeds' 篇三.

The ledger is tests/halfyear_ledger.py; the command runs in a real subprocess on the closed
file (so SQLite's `pragma optimize` statistics are in place, as in the office)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.ledger import Ledger
from tests.halfyear_ledger import build


def fpledger(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUTF8="1")
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    path = tmp_path_factory.mktemp("district") / "荷塘区.db"
    ledger = Ledger.create(path, "荷塘区人口计生局", 10, actor="test")
    build(ledger)
    ledger.db.execute("analyze")
    ledger.close()
    return path


@pytest.fixture(scope="module")
def half_year(district):
    result = fpledger("report", "2026H1", "--db", str(district), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_population_births_deaths_and_rates(half_year):
    r = half_year
    assert (r["period"], r["start"], r["end"], r["unit"]) == ("2026H1", "2025-10-01", "2026-03-31", "430202")
    assert (r["population"], r["births"], r["deaths"], r["natural_increase"]) == (220444, 1070, 307, 763)
    assert (r["birth_rate_permille"], r["natural_growth_rate_permille"], r["death_rate_permille"]) == (4.85, 3.46, 1.39)


def test_orders_and_sex_ratios(half_year):
    r = half_year
    assert r["births_by_order"] == {"1": 914, "2": 156, "3+": 0}
    assert r["order_share_percent"] == {"1": 85.42, "2": 14.58, "3+": 0.0}
    assert (r["births_male"], r["births_female"], r["sex_ratio"]) == (536, 534, 100.37)
    # the seed prints 98.69; 454/460 × 100 = 98.6956… rounds half up to 98.70
    assert r["sex_ratio_by_order"] == {"1": 98.7, "2": 110.81, "3+": None}
    assert (r["policy_births"], r["policy_birth_rate_percent"]) == (1070, 100.0)


def test_late_reports_and_procedures(half_year):
    r = half_year
    assert {k: r["late_reported"][k] for k in ("total", "policy", "non_policy")} == {
        "total": 173, "policy": 172, "non_policy": 1}
    p = r["procedures"]
    assert (p["sterilization"], p["iud_insertion"], p["iud_removal"], p["abortion_and_induction"], p["total"]) == (
        48, 321, 131, 33, 533)


def test_long_acting_table_row_by_row(half_year):
    la = half_year["long_acting"]
    assert la["total"] == {"due": 430, "done": 182, "owed": 248, "rate_percent": 42.33,
                           "rural_sterilization": 33, "rural_iud_insertion": 150}
    rows = {u["name"]: (u["due"], u["done"], u["owed"], u["rate_percent"], u["rural_sterilization"],
                        u["rural_iud_insertion"]) for u in la["units"]}
    assert rows == {"仙庾镇": (184, 85, 99, 46.2, 20, 65), "明照乡": (149, 56, 93, 37.58, 11, 45),
                    "桂花办事处": (41, 12, 29, 29.27, 1, 11), "宋家桥办事处": (19, 8, 11, 42.11, 0, 8),
                    "金山办事处": (37, 21, 16, 56.76, 1, 21)}


def test_previous_year_and_change(half_year):
    prev, change = half_year["previous_year"], half_year["change"]
    assert (prev["period"], prev["births"], prev["sex_ratio"]) == ("2025H1", 930, 122.49)
    assert change["births"] == 140
    assert change["sex_ratio"] == -22.12          # 100.37 − 122.49, not the exact −22.11…
    assert change["birth_rate_permille"] == 0.66
    assert change["natural_growth_rate_permille"] == 0.56
    assert change["births_by_order"] == {"1": 118, "2": 22, "3+": 0}
    assert change["order_share_percent"]["1"] == -0.17 and change["order_share_percent"]["2"] == 0.17
    assert change["late_reported"]["non_policy"] == -9
    assert change["procedures"]["total"] == -309
    assert change["long_acting"]["total"]["rural_sterilization"] == -11
    assert change["long_acting"]["total"]["rural_iud_insertion"] == -112
    # 篇三 二.2: 与去年同期比，结扎人数下降了584人、上环人数下降了109人 (methods in use)
    assert change["contraception"]["sterilization"] == -584
    assert change["contraception"]["by_method"]["宫内节育器"] == -109


def test_human_report_is_chinese_table(district):
    result = fpledger("report", "2026H1", "--db", str(district))
    assert result.returncode == 0, result.stderr
    assert "出生人数" in result.stdout and "1070" in result.stdout and "42.33%" in result.stdout


def test_analysis_draft_reads_like_the_seed(district):
    result = fpledger("analysis", "2026H1", "--db", str(district))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "上半年，全区总人口为220444人，全区总出生1070人，比去年同期多出生140人，死亡307人，净增长763人" in text
    assert "出生率为4.85‰，比去年同期上升了0.66个千分点，自然增长率为3.46‰，比去年同期增长0.56个千分点" in text
    assert "一孩出生914人，比去年同期增加118人，一孩率为85.42%，比去年同期下降了0.17个百分点" in text
    assert "出生性别比为100.37，比去年同期低22.12个点，一孩出生性别比为98.70，二孩出生性别比为110.81" in text
    assert "补报出生173人，其中补报计划内出生172人，补报违法生育1人，补报违法生育比去年同期减少9人" in text
    assert "施行计划生育手术533例，比去年同期减少309例，其中：结扎48例、上环321例、取环131例、人流引产人数33例" in text
    assert "仙庾镇结扎20例、上环65例" in text and "金山办事处结扎1例、上环21例" in text
    assert "共结扎33例，比去年同期减少11例，共上环150例，比去年同期减少112例" in text
    assert "金山办事处\t37\t21\t16\t56.76%" in text
    assert "结扎人数下降了584人、上环人数下降了109人" in text


def test_unknown_period_is_bad_input(district):
    result = fpledger("report", "2026X9", "--db", str(district))
    assert result.returncode == 2 and "无法识别的统计期" in result.stderr
