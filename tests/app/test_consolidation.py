"""Issue 18: a district consolidates its townships' packages offline (DOMAIN.md §10).

The 篇三 district (tests/halfyear_ledger.py) is split into its five townships, each its own
ledger made through the real export-workbook → import (tests/district_split.py); each exports
its 2026H1 package; the district office's ledger (district + townships, its own 人口基数 rows)
consolidates them. The figures must be exactly those of the whole-district ledger.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app import cli, units
from app.district import consolidate as district
from app.exchange import period_package
from app.forms.standard import standard_forms
from app.ledger import Ledger
from app.periods import Period
from app.reports_desk import view_report
from app.stats.period_figures import period_figures
from tests import builders, district_split, halfyear_ledger

PERIOD = "2026H1"
PROVENANCE = {"source"}        # where the figures came from, not a figure: live vs consolidated


@pytest.fixture(scope="module")
def district_setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("district")
    whole = Ledger.create(folder / "whole.db", "荷塘区人口计生局", 10, actor="test")
    halfyear_ledger.build(whole)
    townships = district_split.split(whole, folder / "split")
    packages = {}
    for code, ledger in townships.items():
        packages[code] = folder / "packages" / code
        period_package.write(ledger, period_package.prepare(ledger, PERIOD), packages[code])
    yield {"folder": folder, "whole": whole, "townships": townships, "packages": packages}
    for ledger in [whole, *townships.values()]:
        ledger.close()


@pytest.fixture
def office(district_setup, tmp_path):
    """A fresh district office ledger for each test (its receipts are the test's own)."""
    ledger = district_split.district_ledger(district_setup["whole"], district_setup["folder"] / "split",
                                            tmp_path / "district.db")
    yield ledger
    ledger.close()


def run(capsys, *argv) -> tuple[int, dict | str, str]:
    code = cli.main([*map(str, argv)])
    out, err = capsys.readouterr()
    try:
        return code, json.loads(out), err
    except ValueError:
        return code, out, err


def _without(document: dict, keys: set[str]) -> dict:
    out = {k: v for k, v in document.items() if k not in keys}
    if isinstance(out.get("previous_year"), dict):
        out["previous_year"] = {k: v for k, v in out["previous_year"].items() if k not in keys}
    return out


def _state(ledger: Ledger) -> tuple[int, int]:
    receipts = ledger.db.execute("select count(*) from received_packages").fetchone()[0]
    return receipts, ledger.audit_head()["rows"]


# ---- the acceptance: exactly the whole-district figures -------------------------------------------------
def test_consolidating_the_split_district_gives_every_figure_of_the_whole_ledger(district_setup, office, capsys,
                                                                                tmp_path):
    whole = district_setup["whole"]
    # what `fpledger report 2026H1 --json` prints on the whole ledger (held open by the fixture)
    expected = json.loads(json.dumps(view_report(whole, PERIOD), ensure_ascii=False, default=str))
    office.close()
    out = tmp_path / "out"
    code, got, err = run(capsys, "--db", office.path, "consolidate", PERIOD,
                         *district_setup["packages"].values(), "--out", out, "--json")
    assert code == 0, err
    assert got["source"] == "consolidated" and expected["source"] == "live"
    consolidated = {k: v for k, v in got.items() if k not in {"packages", "missing_units", "warnings", "out"}}
    assert _without(consolidated, PROVENANCE) == _without(expected, PROVENANCE)
    assert set(consolidated) == set(expected)
    # the seed's figures, to be sure the comparison is not of two empty documents
    assert got["births"] == 1070 and got["birth_rate_permille"] == 4.85 and got["sex_ratio"] == 100.37
    assert got["change"]["births"] == 140 and got["previous_year"]["population"] == 222000
    assert [r["name"] for r in got["long_acting"]["units"]] == [t[1] for t in halfyear_ledger.TOWNSHIPS]
    assert got["long_acting"]["total"] == {"due": 430, "done": 182, "owed": 248, "rate_percent": 42.33,
                                           "rural_sterilization": 33, "rural_iud_insertion": 150}
    assert got["missing_units"] == [] and got["out"]["out_dir"] == str(out)
    assert {p["unit"] for p in got["packages"]} == set(district_setup["packages"])
    assert all(p["received_at"] and p["status"] == district.RECEIVED and p["files"]["figures.json"]
               for p in got["packages"])

    # the written package: figures.json holds the district's counts and each township's
    figures = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    rows = figures["counts"]["period"]["units"]
    whole_pf = period_figures(whole.db, Period.parse(PERIOD))
    for row in rows:
        assert row["counts"] == whole_pf.counts(whole_pf.find(row["code"])), row["name"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {f["name"] for f in manifest["files"]} >= {"figures.json", "dhis2/dataValueSets.json"}
    assert len(manifest["consolidated_from"]) == 5


def test_every_township_row_and_the_forms_are_the_whole_ledgers(district_setup, office):
    whole = district_setup["whole"]
    result = district.consolidate(office, PERIOD, list(district_setup["packages"].values()))
    whole_pf = period_figures(whole.db, Period.parse(PERIOD))
    for code, *_ in halfyear_ledger.TOWNSHIPS:
        mine, theirs = result.current.find(code), whole_pf.find(code)
        assert result.current.figures(mine) == whole_pf.figures(theirs), code
        for village in whole_pf.children()[theirs.id]:     # the villages the district does not keep
            assert result.current.figures(result.current.find(village.code)) == whole_pf.figures(village)
    expected = standard_forms(whole, PERIOD)
    assert [f.form_id for f in result.package.forms] == [f.form_id for f in expected]
    for got, want in zip(result.package.forms, expected, strict=True):
        assert (got.title, got.rows, got.total_row, got.notes) == (want.title, want.rows, want.total_row, want.notes)
        assert [c.title for c in got.columns] == [c.title for c in want.columns]
    monthly = result.package.forms[0]
    assert len(monthly.rows) == 10 and monthly.rows[0]["parent"] == "仙庾镇"
    # the half-year analysis draft: the district's, with each township's row
    assert "全区总出生1070人" in result.draft
    for _code, name, *_ in halfyear_ledger.TOWNSHIPS:
        assert f"{name}应落实" in result.draft


def test_receipts_are_recorded_with_who_when_and_hashes(district_setup, office):
    district.consolidate(office, PERIOD, list(district_setup["packages"].values()))
    rows = district.received(office, PERIOD)
    assert {r["unit_code"] for r in rows} == set(district_setup["packages"])
    row = rows[0]
    assert row["received_by"] == "test" and row["received_at"] and len(row["manifest_sha256"]) == 64
    assert row["figures"]["counts"]["period"]["units"][0]["code"] == row["unit_code"]
    assert row["audit_head"]["rows"] > 0 and row["resubmissions"] == 0
    actions = [a for (a,) in office.db.execute("select action from audit_log where object_type = 'received_package'")]
    assert actions == [district.RECEIVE_ACTION] * 5
    before = _state(office)
    district.consolidate(office, PERIOD, list(district_setup["packages"].values()))   # the same packages again
    assert _state(office) == before


# ---- refusals: nothing written ------------------------------------------------------------------------------
def _copy(packages: dict, tmp_path: Path) -> dict[str, Path]:
    out = {}
    for code, folder in packages.items():
        out[code] = tmp_path / "copies" / code
        shutil.copytree(folder, out[code])
    return out


def _refused(capsys, office, folders, tmp_path) -> str:
    before = _state(office)
    office.close()
    out = tmp_path / "should-not-exist"
    code, document, err = run(capsys, "--db", office.path, "consolidate", PERIOD, *folders, "--out", out, "--json")
    assert code == 2, err
    assert document["ok"] is False and "汇总未进行，没有写入任何内容" in document["error"]
    assert not out.exists()
    with Ledger.open(office.path, actor="test") as again:
        assert _state(again) == before
    return document["error"]


def test_a_package_with_one_byte_changed_is_refused(district_setup, office, tmp_path, capsys):
    folders = _copy(district_setup["packages"], tmp_path)
    target = folders["430202101"] / "2026H1_02_人口与出生情况.xlsx"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    error = _refused(capsys, office, folders.values(), tmp_path)
    assert str(folders["430202101"]) in error and "2026H1_02_人口与出生情况.xlsx 的 SHA-256 与清单不符" in error


def test_a_package_of_another_period_is_refused(district_setup, office, tmp_path, capsys):
    folders = dict(district_setup["packages"])
    other = tmp_path / "other-period"
    ledger = district_setup["townships"]["430202003"]
    period_package.write(ledger, period_package.prepare(ledger, "2025H1"), other)
    folders["430202003"] = other
    error = _refused(capsys, office, folders.values(), tmp_path)
    assert str(other) in error and "是统计期 2025H1" in error and "不是 2026H1" in error


def test_two_packages_of_one_township_are_refused(district_setup, office, tmp_path, capsys):
    twin = tmp_path / "twin"
    shutil.copytree(district_setup["packages"]["430202001"], twin)
    folders = [*district_setup["packages"].values(), twin]
    error = _refused(capsys, office, folders, tmp_path)
    assert "同一乡镇（桂花办事处）的数据包" in error and str(twin) in error


def test_a_package_of_a_township_missing_from_the_tree_is_refused(district_setup, office, tmp_path, capsys):
    stranger = Ledger.create(tmp_path / "stranger.db", "白关镇计生办", 10, actor="test")
    builders.township(stranger, villages=2, code="430211100", name="白关镇")
    period_package.write(stranger, period_package.prepare(stranger, PERIOD), tmp_path / "stranger")
    stranger.close()
    error = _refused(capsys, office, [*district_setup["packages"].values(), tmp_path / "stranger"], tmp_path)
    assert "单位代码 430211100（白关镇）不在本台帐的单位树中" in error and str(tmp_path / "stranger") in error


def test_a_folder_without_a_manifest_is_refused(district_setup, office,
                                                                                       tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    error = _refused(capsys, office, [*district_setup["packages"].values(), empty], tmp_path)
    assert f"{empty}：没有 manifest.json" in error


# ---- missing townships and resubmissions ---------------------------------------------------------------------
def test_townships_without_a_package_are_listed_and_hold_back_the_forms(district_setup, office, tmp_path, capsys):
    folders = [p for code, p in district_setup["packages"].items() if code != "430202002"]
    office.close()
    code, document, _ = run(capsys, "--db", office.path, "consolidate", PERIOD, *folders, "--out", tmp_path / "o",
                            "--json")
    assert code == 1
    assert document["missing_units"] == [{"code": "430202002", "name": "宋家桥办事处"}]
    assert document["out"] is None and not (tmp_path / "o").exists()
    code, document, _ = run(capsys, "--db", office.path, "consolidate", PERIOD, *folders, "--out", tmp_path / "o",
                            "--allow-missing", "--json")
    assert code == 0 and (tmp_path / "o" / "manifest.json").exists()
    assert document["births"] < 1070
    code, text, _ = run(capsys, "--db", office.path, "consolidate", PERIOD, *folders)
    assert code == 1 and "未收到  宋家桥办事处（430202002）" in text


def test_a_resubmitted_package_replaces_the_earlier_one_and_shows_its_differences(district_setup, office, tmp_path,
                                                                                    capsys):
    folders = dict(district_setup["packages"])
    district.consolidate(office, PERIOD, list(folders.values()))
    township = district_setup["townships"]["430202101"]
    mother = builders.woman(township, "补录", unit="430202101201", born="1993-05-05", married="2016-01-01")
    builders.child(township, mother, 1, born="2026-02-01", sex="女")
    folders["430202101"] = tmp_path / "resubmitted"
    period_package.write(township, period_package.prepare(township, PERIOD), folders["430202101"])

    survey = district.inspect(office, PERIOD, list(folders.values()))
    statuses = {r["unit"]: r["status"] for r in survey.rows()}
    assert statuses["430202101"] == district.RESUBMITTED
    assert {s for c, s in statuses.items() if c != "430202101"} == {district.RECEIVED}
    office.close()
    code, text, err = run(capsys, "--db", office.path, "consolidate", PERIOD, *folders.values())
    assert code == 0, err
    assert "重报  明照乡（430202101）" in text and "变化：births  " in text and "变化：births_female" in text
    with Ledger.open(office.path, actor="test") as again:
        rows = {r["unit_code"]: r for r in district.received(again, PERIOD)}
        assert len(rows) == 5 and rows["430202101"]["resubmissions"] == 1
        assert rows["430202101"]["folder"] == str(folders["430202101"])
        entry = again.db.execute("select before, after from audit_log where action = ?",
                                 [district.RESUBMIT_ACTION]).fetchone()
        after = json.loads(entry[1])
        births = next(d for d in after["differences"] if d["figure"] == "births")
        assert births["after"] == births["before"] + 1
        assert json.loads(entry[0])["manifest_sha256"] != after["manifest_sha256"]


def test_a_closed_townships_snapshot_consolidates_the_same(district_setup, office, tmp_path):
    """A township that closed the period hands in its snapshot's counts: the same sums."""
    from app.closing import close_period

    folders = dict(district_setup["packages"])
    township = district_setup["townships"]["430202003"]
    close_period(township, PERIOD)
    folders["430202003"] = tmp_path / "closed"
    package = period_package.prepare(township, PERIOD)
    assert package.source == "snapshot"
    period_package.write(township, package, folders["430202003"])
    result = district.consolidate(office, PERIOD, list(folders.values()), record=False)
    theirs = period_figures(district_setup["whole"].db, Period.parse(PERIOD))
    assert result.current.figures(result.current.find("430202003")) == theirs.figures(theirs.find("430202003"))
    assert not any("金山办事处：乡镇尚未关账" in w for w in result.warnings)
    assert units.find(office.db, "430202003001") is None      # the villages were placed, not added to the ledger
