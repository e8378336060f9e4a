"""奖励扶助 / 特别扶助 screening (DOMAIN.md §11, app/rewards.py): each condition at its boundary."""

from __future__ import annotations

import pytest

from app import rewards
from app.rewards import REWARD, SPECIAL, screen
from tests.builders import child, make_id, unit, woman

YEAR = 2026


@pytest.fixture
def town(ledger):
    unit(ledger, "430202100", "仙庾镇", "乡镇")
    unit(ledger, "430202100201", "桃花村", "村", parent="430202100")
    return ledger


def couple(ledger, born="1960-06-01", husband_born="1958-03-03", hukou="农业", husband_hukou="农业",
           exit_reason="超龄", exit_date="2010-06-01", **extra):
    """A couple on one card (exited as 超龄 by default: the screened women are long past 49)."""
    return woman(ledger, f"李{born}", unit="430202100201", born=born, married="1980-01-01", hukou=hukou,
                 husband=f"王{husband_born}", husband_id_number=make_id(husband_born, female=False),
                 husband_hukou_type=husband_hukou, exit_reason=exit_reason, exit_date=exit_date, **extra)


def person(ledger, scheme=REWARD, role="女方", year=YEAR):
    found = [p for p in screen(ledger.db, year)["people"] if p["scheme"] == scheme and p["role"] == role]
    assert len(found) <= 1
    return found[0] if found else None


def test_a_rural_couple_with_one_child_qualifies_both_spouses_separately(town):
    w = couple(town)
    child(town, w, 1, born="1985-05-05", sex="男")
    doc = screen(town.db, YEAR)
    assert doc["year"] == YEAR
    rows = [p for p in doc["people"] if p["scheme"] == REWARD]
    assert {p["role"] for p in rows} == {"女方", "男方"}
    husband = next(p for p in rows if p["role"] == "男方")
    assert husband["sex"] == "男" and husband["birth_date"] == "1958-03-03"
    assert all(p["eligible"] and p["reasons"] == [] for p in rows)
    assert set(rows[0]) >= {"id_number", "name", "sex", "birth_date", "unit", "scheme", "eligible", "new", "reasons"}


def test_the_sixtieth_birthday_on_31_december_is_in_and_on_1_january_next_year_is_out(town):
    w = couple(town, born="1966-12-31", husband_born="1967-01-01")
    child(town, w, 1, born="1990-05-05")
    woman_entry, husband_entry = person(town), person(town, role="男方")
    assert woman_entry["eligible"] and woman_entry["new"] and woman_entry["age"] == 60
    assert husband_entry is None    # 59 at the year's end: not listed
    assert person(town, role="男方", year=YEAR + 1)["new"] is True
    assert person(town, year=YEAR + 1)["new"] is False   # continuing in her second year


def test_born_1933_01_01_qualifies_and_1932_12_31_does_not(town):
    a = couple(town, born="1933-01-01", husband_born="1932-12-31")
    child(town, a, 1, born="1960-01-01")
    assert person(town)["eligible"]
    husband = person(town, role="男方")
    assert not husband["eligible"]
    assert husband["reasons"] == ["出生于1933年1月1日以前（1932-12-31），不在扶助范围"]


@pytest.mark.parametrize(("born", "refused"), [("1972-12-31", False), ("1973-01-01", True),
                                                 ("2001-12-31", True), ("2002-01-01", False)])
def test_an_out_of_policy_birth_counts_only_between_1973_and_2001(town, born, refused):
    w = couple(town)
    child(town, w, 1, born=born, sex="女", policy="政策外")
    entry = person(town)
    assert entry["eligible"] is (not refused)
    assert any("政策外生育" in r for r in entry["reasons"]) is refused


@pytest.mark.parametrize(("sexes", "eligible"), [(("女", "女"), True), (("男", "女"), False)])
def test_two_daughters_qualify_a_son_and_a_daughter_do_not(town, sexes, eligible):
    w = couple(town)
    for order, sex in enumerate(sexes, start=1):
        child(town, w, order, born=f"198{order}-01-01", sex=sex)
    entry = person(town)
    assert entry["eligible"] is eligible
    if not eligible:
        assert entry["reasons"] == ["现有存活子女 2 个（1 男 1 女），不是“一个子女或两个女孩”"]


def test_no_living_child_after_a_childs_death_qualifies_but_no_child_ever_does_not(town):
    bereaved = couple(town)
    child(town, bereaved, 1, born="1984-01-01", died="2005-03-03")
    child(town, bereaved, 2, born="1986-01-01", sex="男", died="2010-03-03")
    childless = couple(town, born="1961-02-02", husband_born="1959-02-02")
    people = {p["card_id"]: p for p in screen(town.db, YEAR)["people"] if p["scheme"] == REWARD and p["role"] == "女方"}
    assert people[bereaved]["eligible"]
    assert people[childless]["reasons"] == ["没有子女（不属于“子女死亡现无子女”）"]


def test_a_son_and_a_daughter_of_whom_the_son_died_leave_one_living_child(town):
    w = couple(town)
    child(town, w, 1, born="1984-01-01", sex="男", died="2000-01-01")
    child(town, w, 2, born="1986-01-01", sex="女")
    assert person(town)["eligible"]


def test_a_child_who_dies_after_the_year_end_still_counts_as_living(town):
    w = couple(town)
    child(town, w, 1, born="1984-01-01", sex="男", died=f"{YEAR + 1}-01-01")
    child(town, w, 2, born="1986-01-01", sex="女")
    assert not person(town)["eligible"]


def test_both_spouses_must_be_rural_and_each_reason_is_its_own(town):
    w = couple(town, husband_hukou="非农业")
    child(town, w, 1, born="1981-01-01", sex="男", policy="政策外")
    child(town, w, 2, born="1983-01-01", sex="男")
    entry = person(town)
    assert entry["reasons"] == [
        "夫妻双方不都是农业户口（男方户口性质为“非农业”）",
        "1973年1月1日至2001年12月31日期间有政策外生育（第1孩 1981-01-01）",
        "现有存活子女 2 个（2 男 0 女），不是“一个子女或两个女孩”"]
    assert person(town, role="男方")["reasons"] == entry["reasons"]


def test_a_void_card_is_never_screened_and_an_exited_one_is(town):
    couple(town, exit_reason="录入错误", exit_date="2001-01-01")
    kept = couple(town, born="1950-01-01", husband_born="1949-01-01", exit_reason="超龄", exit_date="2000-01-01")
    child(town, kept, 1, born="1975-01-01")
    cards = {p["card_id"] for p in screen(town.db, YEAR)["people"]}
    assert cards == {kept}


def test_a_husband_without_a_readable_id_is_listed_as_unscreened(town):
    w = woman(town, "赵兰", unit="430202100201", born="1960-01-01", married="1980-01-01", husband="钱福",
              husband_hukou_type="农业")
    child(town, w, 1, born="1982-01-01")
    doc = screen(town.db, YEAR)
    assert [p["role"] for p in doc["people"]] == ["女方"]
    assert doc["unscreened"][0]["reason"] == "丈夫证件号码未登记"


def test_an_adopted_only_child_who_died_qualifies_the_family_for_special_assistance(town):
    w = couple(town, born="1976-05-05", husband_born="1975-01-01", exit_reason=None, exit_date=None)
    child(town, w, 1, born="2000-01-01", kinship="收养", died="2020-02-02")
    both = [p for p in screen(town.db, YEAR)["people"] if p["scheme"] == SPECIAL]
    assert {p["role"] for p in both} == {"女方", "男方"}
    assert all(p["eligible"] for p in both)
    assert not any(p["new"] for p in both)   # she turned 49 in 2025 and the child died in 2020


def test_special_assistance_needs_the_woman_aged_49_at_the_year_end(town):
    w = couple(town, born="1978-01-01", husband_born="1970-01-01", exit_reason=None, exit_date=None)
    child(town, w, 1, born="2000-01-01", died="2021-01-01")
    assert person(town, SPECIAL) is None                   # 48 at the end of 2026
    entry = person(town, SPECIAL, year=2027)
    assert entry["eligible"] and entry["new"]              # turns 49 in 2027


def test_special_assistance_refuses_a_second_child_and_an_ungraded_disability(town):
    two = couple(town, born="1970-01-01", husband_born="1969-01-01", exit_reason=None, exit_date=None)
    child(town, two, 1, born="1995-01-01", died="2015-01-01")
    child(town, two, 2, born="1998-01-01")
    ungraded = couple(town, born="1971-01-01", husband_born="1968-01-01", exit_reason=None, exit_date=None)
    child(town, ungraded, 1, born="1996-01-01", health="残疾")
    graded = couple(town, born="1972-01-01", husband_born="1968-05-01", exit_reason=None, exit_date=None)
    child(town, graded, 1, born="1997-01-01", health="残疾（三级以上）")
    women = {p["card_id"]: p for p in screen(town.db, YEAR)["people"] if p["scheme"] == SPECIAL and p["role"] == "女方"}
    assert women[two]["reasons"] == ["共有 2 个亲生或收养子女，不是独生子女家庭"]
    assert women[ungraded]["reasons"] == ["独生子女登记为“残疾”，未注明伤残三级以上（健康状况应为“残疾（三级以上）”）"]
    assert women[graded]["eligible"]


def test_the_only_child_dying_in_the_year_makes_the_family_new(town):
    w = couple(town, born="1965-01-01", husband_born="1964-01-01", exit_reason=None, exit_date=None)
    child(town, w, 1, born="1990-01-01", died=f"{YEAR}-07-07")
    assert person(town, SPECIAL)["new"] is True


def test_stepchildren_are_not_counted(town):
    w = couple(town)
    child(town, w, 1, born="1984-01-01", sex="男", kinship="继子女")
    child(town, w, 2, born="1986-01-01", sex="女")
    assert person(town)["eligible"]
    assert rewards.counted_children([], YEAR) == []


def test_the_health_code_for_certified_disability_is_accepted_by_the_registry(town):
    from app import registry

    w = couple(town, exit_reason=None, exit_date=None, born="1990-01-01", husband_born="1988-01-01")
    result = registry.add_child(town, w, {"birth_order": 1, "sex": "女", "birth_date": "2015-01-01",
                                          "policy": "政策内", "health": "伤残三级以上"})
    assert town.db.execute("select health from children where id = ?", [result.id]).fetchone()[0] == rewards.DISABLED
