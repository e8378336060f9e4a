"""The four standard forms as data: layout, legal block from settings, figures from app.stats."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.forms.model import column_numbers, display
from app.forms.standard import FORM_IDS, standard_forms
from tests.halfyear_ledger import build


@pytest.fixture
def district(ledger):
    build(ledger)
    return ledger


def by_id(forms):
    return {f.form_id: f for f in forms}


def test_four_forms_in_order_with_office_as_filler(district):
    forms = standard_forms(district, "2026H1")
    assert [f.form_id for f in forms] == list(FORM_IDS)
    assert [f.title for f in forms] == ["计划生育报表", "人口与出生情况", "节育情况", "长效节育措施落实情况表",
                                        "人口变动情况表", "育龄妇女年龄结构", "已婚育龄妇女孩次、节育情况"]
    assert all(f.filler == "荷塘区人口计生局" and "2026年上半年" in f.period_label for f in forms)
    assert standard_forms(district, "2026-03")[0].title == "计划生育月报表"


def test_monthly_form_has_one_row_per_village_and_a_total(district):
    monthly = by_id(standard_forms(district, "2026H1"))["monthly"]
    assert len(monthly.rows) == 10 and monthly.rows[0]["name"] == "仙庾村" and monthly.rows[0]["parent"] == "仙庾镇"
    assert sum(r["births"] for r in monthly.rows) == monthly.total_row["births"] == 1070
    assert monthly.total_row["la_due"] == 430 and monthly.total_row["late"] == 173


def test_population_form_is_table_1_with_exact_rates(district):
    form = by_id(standard_forms(district, "2026H1"))["population_births"]
    leaves = [leaf.title for leaf in form.leaves()]
    assert leaves[:5] == ["单位", "总人口", "合计", "男", "女"] and leaves[-3:] == ["合计", "政策内", "政策外"]
    assert form.header_depth() == 2
    total = form.total_row
    assert total["population"] == 220444 and total["o1_m"] == 454 and total["late"] == 173
    assert isinstance(total["birth_rate"], Decimal)
    rate_column = next(c for c in form.leaves() if c.key == "birth_rate")
    assert display(total["birth_rate"], rate_column) == "4.85"
    sex_column = next(c for c in form.leaves() if c.key == "sex_ratio")
    assert display(total["sex_ratio"], sex_column) == "100.37"
    assert column_numbers(form.leaves())[:3] == ["甲", "1", "2"]


def test_long_acting_form_matches_the_seed_table(district):
    form = by_id(standard_forms(district, "2026H1"))["long_acting"]
    rows = [(r["name"], r["due"], r["done"], r["owed"]) for r in form.body()]
    assert rows == [("仙庾镇", 184, 85, 99), ("明照乡", 149, 56, 93), ("桂花办事处", 41, 12, 29),
                    ("宋家桥办事处", 19, 8, 11), ("金山办事处", 37, 21, 16), ("合计", 430, 182, 248)]
    rate = next(c for c in form.leaves() if c.key == "rate_percent")
    assert display(form.total_row["rate_percent"], rate) == "42.33"


def test_contraception_form_columns_add_up(district):
    form = by_id(standard_forms(district, "2026H1"))["contraception"]
    t = form.total_row
    methods = sum(t[k] for k in ("m_male", "m_female", "m_iud", "m_implant", "m_pill", "m_condom", "m_topical", "m_other"))
    assert methods == t["users"] and t["p_total"] == 533


def test_legal_block_and_signers_come_from_settings(district):
    district.set_setting("form.population_births.approval_no", "国统制〔2026〕12号")
    district.set_setting("form.population_births.valid_until", "2028年12月")
    district.set_setting("form.signer.filler", "张统计")
    form = by_id(standard_forms(district, "2026H1"))["population_births"]
    assert form.legal.approval_no == "国统制〔2026〕12号"
    assert "批准文号：国统制〔2026〕12号" in form.legal.lines()
    assert form.legal.table_no == "人口计生统表1" and form.legal.authority == "国家卫生健康委员会"
    assert "填表人：张统计" in form.footer


def test_forms_for_a_unit_list_its_children(district):
    forms = by_id(standard_forms(district, "2026H1", "430202100"))
    assert [r["name"] for r in forms["long_acting"].rows] == ["仙庾村", "湖塘村"]
    assert forms["long_acting"].total_row["due"] == 184
    assert [r["name"] for r in forms["monthly"].rows] == ["仙庾村", "湖塘村"]
