"""One road for a closed period (DOMAIN.md §4): the report, the on-screen forms, the exported
Excel/PDF and figures.json of a closed period are its snapshot; a recomputation is asked for
and says 与已报送数不一致 on every page."""

from __future__ import annotations

import json
import shutil
import subprocess

import openpyxl
import pytest
from pypdf import PdfReader

from app import registry
from app.closing import close_period
from app.exchange import period_package
from app.exchange.export_package import MANIFEST
from app.forms.model import display
from app.forms.standard import standard_forms
from app.periods import Period
from app.reports_desk import births_by_month
from app.stats import report
from app.stats.period_figures import MISMATCH, period_figures
from tests.builders import child, population, procedure, unit, woman
from tests.halfyear_ledger import build

ROOT = "430202100"
VILLAGES = 45          # enough rows for the monthly form to run over two PDF pages


@pytest.fixture
def town(ledger):
    unit(ledger, ROOT, "仙庾镇", "乡镇")
    for i in range(1, VILLAGES + 1):
        unit(ledger, f"{ROOT}{i:03d}", f"第{i}村", "村", parent=ROOT)
    population(ledger, ROOT, "2026-03", 30000, 12)
    population(ledger, ROOT, "2026-02", 29990, 9)
    li = woman(ledger, "李丽", unit=f"{ROOT}001")
    ledger.girl = child(ledger, li, 1, born="2026-03-05", sex="女")
    wang = woman(ledger, "王芳", unit=f"{ROOT}002", hukou="非农业")
    child(ledger, wang, 1, born="2020-02-01", sex="女")
    child(ledger, wang, 2, born="2026-03-12", sex="男")
    zhou = woman(ledger, "周敏", unit=f"{ROOT}003")
    child(ledger, zhou, 1, born="2025-12-20", sex="男", reported="2026-03-02")      # 补报 of March
    chen = woman(ledger, "陈红", unit=f"{ROOT}004")
    child(ledger, chen, 1, born="2025-11-10", sex="女")                              # due 2026-03-10
    procedure(ledger, chen, "上环", "2026-03-15")
    procedure(ledger, wang, "女扎", "2026-03-20")
    return ledger


def _cells(forms, banner: bool = True) -> list[list[list[str]]]:
    """Every printed cell of every form: title (and banner), then each body row's leaves."""
    out = []
    for form in forms:
        leaves = form.leaves()
        out.append([[form.title] + ([form.banner] if banner else [])] + [[display(r.get(leaf.key), leaf) for leaf in leaves]
                                                  for r in form.body()])
    return out


def _edit_after_close(ledger) -> None:
    """The clerk corrects a child's sex and enters a backdated March birth after the close."""
    registry.update_child(ledger, ledger.girl, {"sex": "男"})
    zhao = woman(ledger, "赵敏", unit=f"{ROOT}005")
    registry.add_child(ledger, zhao, {"birth_order": 1, "sex": "女", "birth_date": "2026-03-08",
                                      "policy": "政策内", "reported_date": "2026-03-09"})


def _sheet(path):
    return openpyxl.load_workbook(path).active


def _rows(path) -> list[list]:
    return [list(r) for r in _sheet(path).iter_rows(values_only=True)]


def _files(out) -> dict[str, object]:
    files = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    return {f["name"].split("_", 2)[-1]: out / f["name"] for f in files}


def _pdf_lines(path) -> list[list[str]]:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [line.split() for line in text.splitlines()]


def _monthly_total(r: dict) -> list:
    p, late, la = r["procedures"], r["late_reported"], r["long_acting"]["total"]
    bos = r["births_by_order_sex"]
    assert bos  # (the form reads the order × sex split; the monthly form prints orders only)
    return [r["births"], r["births_male"], r["births_female"], r["births_by_order"]["1"],
            r["births_by_order"]["2"], r["births_by_order"]["3+"], r["policy_births"], r["non_policy_births"],
            late["total"], late["non_policy"], p["sterilization"], p["iud_insertion"], p["iud_removal"],
            p["implant"], p["abortion_and_induction"], la["due"], la["done"], r["first_marriages"]["total"]]


def _table1_total(r: dict) -> list:
    bos, o = r["births_by_order_sex"], r["births_by_order"]
    return [r["population"], r["births"], r["births_male"], r["births_female"],
            o["1"], bos["1"]["male"], bos["1"]["female"], o["2"], bos["2"]["male"], bos["2"]["female"],
            o["3+"], bos["3+"]["male"], bos["3+"]["female"], r["non_policy_births"], r["deaths"],
            r["birth_rate_permille"], r["death_rate_permille"], r["natural_growth_rate_permille"],
            r["sex_ratio"], r["sex_ratio_by_order"]["1"], r["sex_ratio_by_order"]["2"],
            r["policy_birth_rate_percent"], r["late_reported"]["total"], r["late_reported"]["policy"],
            r["late_reported"]["non_policy"]]


def _xlsx_total(path) -> list:
    rows = _rows(path)
    header = next(r for r in rows if r[0] == "甲")
    total = next(r for r in rows if r[0] == "合计")
    return [v for h, v in zip(header, total, strict=False) if h and h.isdigit()]


def _printed(value) -> str:
    return "" if value is None else (f"{value:.2f}" if isinstance(value, float) else str(value))


def test_forms_print_the_same_cells_from_the_snapshot_as_from_the_computation(ledger):
    build(ledger)
    before = _cells(standard_forms(ledger, "2026H1"))
    close_period(ledger, "2026H1")
    figures = period_figures(ledger.db, Period.parse("2026H1", 10))
    assert figures.source == "snapshot" and figures.computation is None     # nothing recomputed
    assert _cells(standard_forms(ledger, "2026H1", figures=figures)) == before
    recomputed = standard_forms(ledger, "2026H1", "430202100", live=True)   # nothing changed since
    assert _cells(standard_forms(ledger, "2026H1", "430202100")) == _cells(recomputed, banner=False)[:0] + [
        [[form[0][0], ""]] + form[1:] for form in _cells(recomputed, banner=False)]
    assert all(MISMATCH in form.banner for form in recomputed)


def test_a_closed_period_exports_its_snapshot_after_its_facts_are_edited(town, tmp_path):
    close_period(town, "2026-03")
    frozen = report(town.db, "2026-03")
    _edit_after_close(town)
    live = report(town.db, "2026-03", live=True)
    assert (live["births"], live["births_male"]) != (frozen["births"], frozen["births_male"])

    out = tmp_path / "U盘"
    period_package.write(town, period_package.prepare(town, "2026-03"), out)
    files = _files(out)
    answered = report(town.db, "2026-03")
    own = {k: v for k, v in answered.items() if k not in ("previous_year", "change")}
    assert own == {k: v for k, v in frozen.items() if k not in ("previous_year", "change")}
    assert answered["source"] == "snapshot" and answered["closed"]
    # (去年同期 2025-03 is open: the new card 赵敏 is married then, so it is recomputed — rightly)

    assert _xlsx_total(files["计划生育月报表.xlsx"]) == _monthly_total(answered)
    assert _xlsx_total(files["人口与出生情况.xlsx"]) == _table1_total(answered)
    document = json.loads(files["figures.json"].read_text(encoding="utf-8"))
    assert document["report"] == answered
    assert (document["closed"], document["source"], document["warning"]) == (True, "snapshot", None)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert (manifest["closed"], manifest["source"]) == (True, "snapshot")
    assert not any(MISMATCH in str(v) for f in files.values() if f.suffix == ".xlsx"
                   for row in _rows(f) for v in row)
    if shutil.which("pdftotext"):
        for name, expected in (("人口与出生情况.pdf", _table1_total(answered)),
                               ("计划生育月报表.pdf", _monthly_total(answered))):
            total = next(line for line in _pdf_lines(files[name]) if line[:1] == ["合计"] and line[1].isdigit())
            assert total[1:] == [_printed(v) for v in expected if v is not None]   # a blank cell prints nothing


def test_live_re_export_of_a_closed_period_differs_and_says_so_on_every_page(town, tmp_path):
    close_period(town, "2026-03")
    _edit_after_close(town)
    out = tmp_path / "重算"
    package = period_package.prepare(town, "2026-03", live=True)
    period_package.write(town, package, out)
    files = _files(out)
    live = report(town.db, "2026-03", live=True)
    assert _xlsx_total(files["计划生育月报表.xlsx"]) == _monthly_total(live)
    assert _monthly_total(live) != _monthly_total(report(town.db, "2026-03"))

    pages = 0
    for path in (f for f in files.values() if f.suffix == ".pdf"):
        for page in PdfReader(path).pages:
            pages += 1
            assert MISMATCH in page.extract_text().replace(" ", ""), path.name
    assert pages > 4                 # the monthly form runs over more than one page
    for path in (f for f in files.values() if f.suffix == ".xlsx"):
        sheet = _sheet(path)
        assert MISMATCH in str(sheet.cell(row=2, column=1).value)        # under the title
        assert MISMATCH in sheet.oddHeader.center.text                   # and atop every printed page
    document = json.loads(files["figures.json"].read_text(encoding="utf-8"))
    assert (document["closed"], document["source"]) == (True, "live_over_closed")
    assert MISMATCH in document["warning"] and document["report"]["births"] == live["births"]
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["source"] == "live_over_closed" and MISMATCH in manifest["warning"]


def test_an_open_period_has_no_banner_and_live_changes_nothing(town):
    package = period_package.prepare(town, "2026-03", live=True)
    assert package.source == "live" and package.warning is None
    assert all(form.banner == "" for form in package.forms)


def test_figures_json_counts_add_up_to_the_report_for_the_root_and_each_child(town):
    close_period(town, "2026-02")                       # last year's and this year's neighbours
    package = period_package.prepare(town, "2026-03")
    block = package.figures["counts"]["period"]
    assert block["complete"] and block["source"] == "live"
    rows = block["units"]
    assert [r["role"] for r in rows] == ["root"] + ["child"] * VILLAGES
    assert rows[0]["code"] == ROOT and rows[1]["parent"] == ROOT
    for row in rows:
        c = row["counts"]
        unit_code = row["code"]
        r = report(town.db, "2026-03", unit_code)

        def total(prefix, c=c):
            return sum(v for k, v in c.items() if k.startswith(prefix))

        assert total("births|") == r["births"]
        assert total("births|3+|") == r["births_by_order"]["3+"]
        assert total("births|1|男|") == r["births_by_order_sex"]["1"]["male"]
        assert sum(v for k, v in c.items() if k.startswith("births|") and k.endswith("政策外")) == r["non_policy_births"]
        assert total("late|") == r["late_reported"]["total"]
        assert total("procedures|上环|") == r["procedures"]["iud_insertion"]
        assert total("procedures|") == r["procedures"]["total"]
        assert total("long_acting_due|") == r["long_acting"]["total"]["due"]
        assert total("long_acting_done|") == r["long_acting"]["total"]["done"]
        assert c["procedures|上环|农业"] == r["long_acting"]["total"]["rural_iud_insertion"]
        assert total("contraception|") == c["married_women"] == r["contraception"]["married_women"]
        assert c["married_women"] - c["contraception|未避孕"] == r["contraception"]["users"]
        assert total("first_marriages|") == r["first_marriages"]["total"]
    assert rows[0]["counts"]["population"] == 30000 and rows[0]["counts"]["deaths"] == 12
    assert rows[0]["counts"]["population_start"] == 29990
    previous = package.figures["counts"]["previous_year"]
    assert previous["period"] == "2025-03" and previous["units"][0]["counts"]["births|1|女|政策内"] == 0


def test_a_closed_period_keeps_its_tree_counts_and_setting_after_later_changes(town):
    close_period(town, "2026-03")
    before = _cells(standard_forms(town, "2026-03"))
    with town.write("改名", "unit", ROOT):
        from app import units

        units.rename(town.db, f"{ROOT}001", "新名村", "2026-01-01")     # renamed back into the closed month
    town.set_setting("long_acting_enabled", 0)
    _edit_after_close(town)
    assert _cells(standard_forms(town, "2026-03")) == before
    counts = period_package.prepare(town, "2026-03").figures["counts"]["period"]["units"]
    assert counts[1]["name"] == "第1村" and counts[0]["counts"]["births|1|女|政策内"] == 1


def test_long_acting_switched_off_before_the_close_takes_the_rural_counts_from_the_snapshot(town):
    town.set_setting("long_acting_enabled", 0)
    before = _cells(standard_forms(town, "2026-03"))
    close_period(town, "2026-03")
    procedure(town, woman(town, "吴燕", unit=f"{ROOT}006"), "上环", "2026-03-28")   # a late-entered procedure
    after = _cells(standard_forms(town, "2026-03"))
    assert after == before
    la_total = after[3][-1]
    assert la_total[:5] == ["合计", "", "", "", ""] and la_total[5:] == ["0", "1"]   # 王芳 is 非农业


def test_a_snapshot_from_before_this_version_still_answers_without_recomputing(town):
    close_period(town, "2026-03")
    before = _cells(standard_forms(town, "2026-03"))
    row = town.db.execute("select id, snapshot from period_closures").fetchone()
    old = json.loads(row[1])
    del old["tree"], old["counts"]
    town.db.execute("update period_closures set snapshot = ? where id = ?", [json.dumps(old), row[0]])
    _edit_after_close(town)
    after = standard_forms(town, "2026-03")
    assert _cells(after)[:4] == before[:4]      # the four forms from the frozen figures
    # the forms built on counts (app/forms/population_forms.py) have none to show: blank, never recomputed
    assert after[4].total_row["births"] is None and after[4].notes[0].startswith("本期关账快照早于本表")
    block = period_package.prepare(town, "2026-03").figures["counts"]["period"]
    assert block["source"] == "snapshot" and not block["complete"] and block["units"][0]["counts"] is None


def test_the_births_chart_shows_a_closed_month_as_submitted(town):
    close_period(town, "2026-03")
    _edit_after_close(town)
    labels, this_year, _ = births_by_month(town.db, "2026", 10)
    assert this_year[labels.index("3月")] == report(town.db, "2026-03")["births"] == 2
