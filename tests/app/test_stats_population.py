"""人口基数 resolution: own row, months, children; birth-rate base with a known start."""

from __future__ import annotations

import pytest

from app.stats import report
from tests.builders import child, population, unit, woman


@pytest.fixture
def town(ledger):
    unit(ledger, "430202100", "仙庾镇", "乡镇")
    unit(ledger, "430202100201", "仙庾村", "村", parent="430202100")
    unit(ledger, "430202100202", "湖塘村", "村", parent="430202100")
    return ledger


def test_a_unit_without_its_own_row_takes_the_sum_of_its_children(town):
    population(town, "430202100201", "2026H1", 3000, 4)
    population(town, "430202100202", "2026H1", 2000, 1)
    r = report(town.db, "2026H1")
    assert (r["population"], r["deaths"]) == (5000, 5)
    population(town, "430202100", "2026H1", 5100, 6)        # its own row wins
    assert report(town.db, "2026H1")["population"] == 5100


def test_a_period_without_its_own_row_uses_its_months(town):
    for month, pop, deaths in (("2025-10", 1000, 1), ("2025-11", 1002, 2), ("2026-01", 1005, 3)):
        population(town, "430202100", month, pop, deaths)
    r = report(town.db, "2026H1")
    assert (r["population"], r["deaths"]) == (1005, 6)      # last month with a row; sum of months


def test_birth_rate_uses_the_average_population_when_the_start_is_known(town):
    li = woman(town, "李丽", unit="430202100201")
    child(town, li, 1, born="2026-01-10")
    population(town, "430202100", "2026H1", 1100, 0)
    assert report(town.db, "2026H1")["birth_rate_permille"] == 0.91         # 1 / 1100
    population(town, "430202100", "2025H2", 900, 0)                           # the start
    r = report(town.db, "2026H1")
    assert (r["population_start"], r["population_average"], r["birth_rate_permille"]) == (900, 1000.0, 1.0)


def test_no_population_gives_blank_rates_not_zero(town):
    li = woman(town, "李丽", unit="430202100201")
    child(town, li, 1, born="2026-01-10")
    r = report(town.db, "2026H1")
    assert r["population"] is None and r["birth_rate_permille"] is None and r["natural_increase"] is None


def test_population_sheet_imports_and_refuses_bad_rows(town, tmp_path):
    import openpyxl

    from app.exchange.workbook import ImportFailed, import_workbook

    def workbook(rows):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "人口基数"
        ws.append(["单位代码", "统计期", "总人口", "死亡人数"])
        for row in rows:
            ws.append(row)
        path = tmp_path / f"p{len(rows)}.xlsx"
        wb.save(path)
        return path

    good = workbook([["430202100201", "2026H1", 3000, 4], ["430202100202", "2026H1", 2000, 1]])
    result = import_workbook(town, good)
    assert result.sheets["人口基数"].inserted == 2
    assert report(town.db, "2026H1")["population"] == 5000
    again = import_workbook(town, good)
    assert again.sheets["人口基数"].unchanged == 2
    changed = workbook([["430202100201", "2025-10-01..2026-03-31", 3100, 4]])
    summary = import_workbook(town, changed).sheets["人口基数"]
    assert summary.updated == 1 and "3000 → 3100" in summary.updates[0]
    bad = workbook([["999", "2026H1", 1, 0], ["430202100201", "2026X1", 1, 0], ["430202100202", "2026H1", -5, 0]])
    with pytest.raises(ImportFailed) as failure:
        import_workbook(town, bad)
    text = str(failure.value)
    assert "人口基数!2 单位代码" in text and "人口基数!3 统计期" in text and "人口基数!4 总人口" in text
    assert report(town.db, "2026H1")["population"] == 5100
