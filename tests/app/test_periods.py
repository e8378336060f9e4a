"""Period codes in the statistical year (DOMAIN.md §4)."""

from datetime import date

import pytest

from app.errors import UserInputError
from app.periods import Period


@pytest.mark.parametrize("code, start, end", [
    ("2026", "2025-10-01", "2026-09-30"),
    ("2026H1", "2025-10-01", "2026-03-31"),
    ("2026H2", "2026-04-01", "2026-09-30"),
    ("2026Q1", "2025-10-01", "2025-12-31"),
    ("2026Q2", "2026-01-01", "2026-03-31"),
    ("2026Q4", "2026-07-01", "2026-09-30"),
    ("2026-02", "2026-02-01", "2026-02-28"),
    ("2025-10-01..2026-03-31", "2025-10-01", "2026-03-31"),
])
def test_codes_in_a_statistical_year_from_october(code, start, end):
    period = Period.parse(code, 10)
    assert (period.start, period.end) == (date.fromisoformat(start), date.fromisoformat(end))


def test_calendar_years_work_too():
    assert (Period.parse("2026", 1).start, Period.parse("2026", 1).end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert Period.parse("2026H2", 1).start == date(2026, 7, 1)


def test_same_period_last_year_and_previous_period():
    assert Period.parse("2026H1").previous_year().code == "2025H1"
    assert Period.parse("2026H1").previous().code == "2025H2"
    assert Period.parse("2026Q1").previous().code == "2025Q4"
    assert Period.parse("2026-01").previous().code == "2025-12"
    leap = Period.parse("2024-02-29..2024-03-31").previous_year()
    assert leap.start == date(2023, 2, 28)


def test_months_of_a_half_year():
    assert [m.code for m in Period.parse("2026H1").months()][:3] == ["2025-10", "2025-11", "2025-12"]
    assert len(Period.parse("2026").months()) == 12


@pytest.mark.parametrize("bad", ["2026H3", "2026-13", "26H1", "2026-03-01..2026-02-01", ""])
def test_bad_codes_are_refused_with_the_accepted_forms(bad):
    with pytest.raises(UserInputError, match="统计期"):
        Period.parse(bad)
