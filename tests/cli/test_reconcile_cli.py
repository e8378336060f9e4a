"""`fpledger reconcile SURVEY.xlsx --period P --json` (INTERFACES.md §5) end to end."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date

from app.cli import main
from app.ledger import Ledger
from app.periods import Period
from tests import reconcile_synth as synth


def _setup(tmp_path):
    path = tmp_path / "ledger.db"
    rng = random.Random(7)
    with Ledger.create(path, "荷塘区人口计生局", 10, actor="test") as ledger:
        info = synth.build_ledger(ledger, rng, villages=3, women_per_village=40)
        rows = synth.make_survey(ledger.db, Period.parse("2026H1"), info["villages"][:2], rng,
                                 new_mothers=2, existing_mothers=2)
    survey = synth.write_survey(tmp_path / "survey.xlsx", rows)
    return path, survey, rows


def test_reconcile_json_has_the_fixed_keys_and_rows_by_sheet_row_number(tmp_path, capsys):
    db, survey, rows = _setup(tmp_path)
    digest = hashlib.sha256(survey.read_bytes()).hexdigest()
    code = main(["reconcile", str(survey), "--period", "2026H1", "--json", "--db", str(db)])
    document = json.loads(capsys.readouterr().out)
    assert code == 1   # the survey holds 漏报: findings
    for key in ("period", "survey_births", "matched", "unreported", "misreported", "duplicated", "late", "review",
                "accuracy_percent", "unreported_percent", "units", "rows", "ledger_only"):
        assert key in document
    assert document["period"] == "2026H1"
    assert [r["row"] for r in document["rows"]] == list(range(2, len(rows) + 2))
    for r, truth in zip(document["rows"], rows, strict=True):
        assert r["outcome"] in ("matched", "unreported", "misreported", "duplicated", "late", "review")
        if r["outcome"] in ("matched", "misreported", "late", "duplicated"):
            assert r["child_id"] == truth.child_id
            assert set(r["ledger_child"]) == {"mother_id_number", "birth_date", "order", "sex"}
        if r["outcome"] == "unreported":
            assert truth.child_id is None and "ledger_child" not in r
    assert {u["code"] for u in document["units"]} <= {rows[0].values["单位代码"], *[t.values["单位代码"] for t in rows]}
    assert hashlib.sha256(survey.read_bytes()).hexdigest() == digest


def test_rerunning_the_same_file_reuses_the_stored_survey(tmp_path, capsys):
    db, survey, _rows = _setup(tmp_path)
    main(["reconcile", str(survey), "--period", "2026H1", "--json", "--db", str(db)])
    first = json.loads(capsys.readouterr().out)
    main(["--db", str(db), "reconcile", str(survey), "--period", "2026H1", "--json"])
    second = json.loads(capsys.readouterr().out)
    assert first["survey_id"] == second["survey_id"]
    assert first["rows"] == second["rows"]


def test_a_bad_survey_row_is_refused_with_sheet_row_and_column(tmp_path, capsys):
    from openpyxl import Workbook

    db, _survey, _rows = _setup(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.title = "抽样调查"
    ws.append(["单位代码", "母亲姓名", "性别", "出生日期"])
    ws.append(["430202001001", "王丽", "男", "2026-02-30"])
    ws.append(["999", "", "未知", "2026-01-01"])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    code = main(["reconcile", str(bad), "--period", "2026H1", "--json", "--db", str(db)])
    document = json.loads(capsys.readouterr().out)
    assert code == 2 and document["ok"] is False
    assert "抽样调查!2 出生日期: “2026-02-30”不是有效日期" in document["errors"]
    assert any(e.startswith("抽样调查!3 母亲姓名") for e in document["errors"])
    assert any(e.startswith("抽样调查!3 性别") for e in document["errors"])
    assert any(e.startswith("抽样调查!3 单位代码") for e in document["errors"])
    with Ledger.open(db) as ledger:
        assert ledger.db.execute("select count(*) from surveys").fetchone()[0] == 0


def test_out_writes_the_reconciliation_form_as_xlsx_and_pdf(tmp_path, capsys):
    db, survey, _rows = _setup(tmp_path)
    main(["reconcile", str(survey), "--period", "2026H1", "--out", str(tmp_path / "out"), "--db", str(db)])
    text = capsys.readouterr().out
    assert "求实率" in text
    names = sorted(p.suffix for p in (tmp_path / "out").iterdir())
    assert names == [".pdf", ".xlsx"]


def test_json_rates_read_the_ledgers_own_births_of_the_sampled_units(tmp_path, capsys):
    """求实率 = 100 − (survey births − ledger births) / survey births × 100, ledger births being the
    ledger's §5 births of the sampled villages in the period (unfound ones included), per unit and
    overall; 漏报率 = 漏报 / survey births; both rounded half up to 2 decimals."""
    from tests.builders import child, unit, woman
    from tests.reconcile_synth import TruthRow, write_survey

    path = tmp_path / "ledger.db"
    with Ledger.create(path, "荷塘区人口计生局", 10, actor="test") as ledger:
        unit(ledger, "430202001", "仙庾镇", "乡镇")
        unit(ledger, "430202001001", "桃花村", "村", parent="430202001")
        found = child(ledger, woman(ledger, "陈静", "430202001001", husband="王强"), 1, born="2026-01-10")
        unfound = child(ledger, woman(ledger, "周敏", "430202001001", husband="吴军"), 1, born="2026-02-02")
        child(ledger, woman(ledger, "何琴", "430202001001", husband="许刚"), 1, born="2026-03-30",
              reported="2026-04-02")   # reported after the period: no ledger birth of 2026H1
    rows = [{"单位代码": "430202001001", "母亲姓名": name, "母亲证件号码": None, "丈夫姓名": husband, "子女姓名": None,
             "性别": "男", "出生日期": date.fromisoformat(born), "孩次": None, "现住址": None}
            for name, husband, born in (("陈静", "王强", "2026-01-10"), ("冯丽", "马超", "2026-03-03"),
                                        ("林娟", "高鹏", "2026-03-04"))]
    survey = write_survey(tmp_path / "survey.xlsx", [TruthRow(v, None, "") for v in rows])
    code = main(["reconcile", str(survey), "--period", "2026H1", "--json", "--db", str(path)])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(r["outcome"], r["child_id"]) for r in document["rows"]] == [
        ("matched", found), ("unreported", None), ("unreported", None)]
    assert [o["child_id"] for o in document["ledger_only"]] == [unfound]
    assert (document["survey_births"], document["ledger_births"], document["unreported"]) == (3, 2, 2)
    assert document["accuracy_percent"] == 66.67 and document["unreported_percent"] == 66.67
    (u,) = document["units"]
    assert (u["code"], u["survey_births"], u["unreported"], u["accuracy_percent"]) == ("430202001001", 3, 2, 66.67)


def test_date_slips_count_as_matched_and_are_listed_for_the_clerk(tmp_path, capsys):
    """A 2-day slip and a day/month swap are 一致 with a note (JSON `notes`, human 待核日期 lines);
    a 5-day shift is 错报 on 出生日期. 求实率 reads births only, so it is the same either way."""
    from tests.builders import child, unit, woman
    from tests.reconcile_synth import TruthRow, write_survey

    path = tmp_path / "ledger.db"
    with Ledger.create(path, "荷塘区人口计生局", 10, actor="test") as ledger:
        unit(ledger, "430202001", "仙庾镇", "乡镇")
        unit(ledger, "430202001001", "桃花村", "村", parent="430202001")
        kids = [child(ledger, woman(ledger, name, "430202001001", husband=husband), 1, born=born)
                for name, husband, born in (("陈静", "王强", "2026-03-10"), ("周敏", "吴军", "2026-03-04"),
                                            ("何琴", "许刚", "2026-01-20"))]
    rows = [{"单位代码": "430202001001", "母亲姓名": name, "母亲证件号码": None, "丈夫姓名": husband, "子女姓名": None,
             "性别": "男", "出生日期": date.fromisoformat(born), "孩次": 1, "现住址": None}
            for name, husband, born in (("陈静", "王强", "2026-03-12"), ("周敏", "吴军", "2026-04-03"),
                                        ("何琴", "许刚", "2026-01-25"))]
    survey = write_survey(tmp_path / "survey.xlsx", [TruthRow(v, None, "") for v in rows])
    code = main(["reconcile", str(survey), "--period", "2026H1", "--json", "--db", str(path)])
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(r["outcome"], r["child_id"], r["differences"], r["notes"]) for r in document["rows"]] == [
        ("matched", kids[0], [], ["出生日期：调查 2026-03-12，台帐 2026-03-10（相差 2 天，待核）"]),
        ("matched", kids[1], [], ["出生日期：调查 2026-04-03，台帐 2026-03-04（日月颠倒，待核）"]),
        ("misreported", kids[2], ["出生日期"], [])]
    assert (document["matched"], document["misreported"], document["accuracy_percent"]) == (2, 1, 100.0)
    main(["reconcile", str(survey), "--period", "2026H1", "--db", str(path)])
    text = capsys.readouterr().out
    assert "一致 2，错报 1" in text
    assert "待核日期 2 行" in text
    assert "第 2 行（一致）：出生日期：调查 2026-03-12，台帐 2026-03-10（相差 2 天，待核）" in text
    assert "第 3 行（一致）：出生日期：调查 2026-04-03，台帐 2026-03-04（日月颠倒，待核）" in text
