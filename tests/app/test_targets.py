"""Annual targets with progress, and the 一票否决 list with the supervising unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.errors import UserInputError
from app.targets import list_targets, progress, set_target, veto_list
from tests.builders import child, population, unit, woman


@pytest.fixture
def street(ledger):
    unit(ledger, "430202003", "金山办事处", "街道")
    unit(ledger, "430202003001", "金钩山社区", "社区", parent="430202003")
    unit(ledger, "430202900", "区卫生局", "公共单位", parent="430202003")
    unit(ledger, "430202003101", "区人民医院", "公共单位", parent="430202003", supervisor="430202900")
    unit(ledger, "430202003102", "金山小学", "公共单位", parent="430202003")
    return ledger


def test_progress_against_the_annual_targets(street):
    population(street, "430202003", "2026H1", 10000, 5)
    for i in range(3):
        child(street, woman(street, f"母{i}", unit="430202003001"), 1, born=f"2025-1{i}-05",
              policy="政策外" if i == 0 else "政策内")
    set_target(street, "2026", "430202003", births=60, birth_rate_permille="7.37",
               natural_growth_rate_permille="1", policy_rate_percent="99")
    p = progress(street.db, "2026H1")
    assert (p["year"], p["births"], p["target_births"]) == ("2026", 3, 60)
    assert p["births_share_percent"] == Decimal(5)
    assert p["birth_rate_permille"] == Decimal("0.3") and p["target_birth_rate_permille"] == Decimal("7.37")
    assert p["policy_target_met"] is False                  # 66.67% < 99%
    assert progress(street.db, "2026H1", "430202003001") is None     # no target for the community
    assert list_targets(street.db, "2026")[0]["unit"] == "430202003"
    with pytest.raises(UserInputError):
        set_target(street, "2026H1", "430202003", births=1)
    with pytest.raises(UserInputError):
        set_target(street, "2026", "430202003", birth_rate_permille="七")


def test_veto_lists_public_units_with_a_non_policy_birth_and_their_supervisor(street):
    nurse = woman(street, "护士", unit="430202003101")
    child(street, nurse, 3, born="2026-02-01", policy="政策外", reported="2026-09-01")
    teacher = woman(street, "老师", unit="430202003102")
    child(street, teacher, 2, born="2026-02-01")                               # 政策内: no veto
    child(street, woman(street, "居民", unit="430202003001"), 3, born="2026-02-01", policy="政策外")  # not public
    late = woman(street, "老师二", unit="430202003102")
    child(street, late, 3, born="2025-08-01", policy="政策外", reported="2025-11-01")  # born in the 2025 year
    wrong = woman(street, "错卡", unit="430202003102", exit_reason="录入错误", exit_date="2026-03-01")
    child(street, wrong, 3, born="2026-03-01", policy="政策外")
    flagged = veto_list(street.db, "2026")
    assert [(u["name"], u["supervisor_name"], u["count"]) for u in flagged] == [("区人民医院", "区卫生局", 1)]
    assert [u["name"] for u in veto_list(street.db, "2025")] == ["金山小学"]
