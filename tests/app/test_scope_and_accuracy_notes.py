"""Two wordings the office reads as it is: the analysis draft speaks of 全镇 / 全街道 / 全区 after
the office's own level (全辖区 when the ledger has no one root), and a 求实率 over 100 % says
why (the 多报/未核实 births the survey did not find) — in the JSON, the form, the CLI's
human output."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.analysis import half_year_draft
from app.cli import main
from app.reconcile.report import build_form
from app.reconcile.run import reconcile
from app.reconcile.survey import import_survey
from tests.builders import child, population, township, unit, woman
from tests.reconcile_synth import TruthRow, write_survey


def _opening(ledger, period: str = "2026H1") -> str:
    return half_year_draft(ledger.db, period).split("\n\n")[1]


@pytest.mark.parametrize(("kind", "name", "word"), [("乡镇", "仙庾镇", "全镇"), ("乡镇", "明照乡", "全乡"),
                                                    ("街道", "桂花街道", "全街道"), ("区县", "荷塘区", "全区"),
                                                    ("区县", "攸县", "全县")])
def test_the_draft_speaks_for_the_office_level(ledger, kind, name, word):
    township(ledger, 3, name=name, kind=kind)
    text = _opening(ledger)
    assert text.startswith(f"上半年，{word}总人口为") and f"{word}总出生3人" in text
    others = {"全镇", "全乡", "全街道", "全区", "全县", "全辖区"} - {word}
    assert not any(other in text for other in others)


def test_a_ledger_without_one_root_says_the_whole_jurisdiction_not_the_district(ledger):
    for i, code in enumerate(("430202100201", "430202100202")):
        unit(ledger, code, f"第{i + 1}村", "村")
        mother = woman(ledger, f"王{i}", unit=code, born="1992-01-01", married="2015-01-01")
        child(ledger, mother, 1, born="2026-01-15")
        population(ledger, code, "2026H1", 2000, 2)
    text = _opening(ledger)
    assert text.startswith("上半年，全辖区总人口为4000人") and "全区" not in text


# ---- 求实率 over 100 --------------------------------------------------------------------------
V1 = "430202100201"


def _survey(ledger, rows: list[dict], name: str = "survey.xlsx"):
    path = write_survey(ledger.path.parent / name, [TruthRow(values, None, "") for values in rows])
    survey, _ = import_survey(ledger, path, "2026H1")
    return path, survey


def _row(unit_code: str, mother: str, born: str, sex: str) -> dict:
    return {"单位代码": unit_code, "母亲姓名": mother, "母亲证件号码": None, "丈夫姓名": None, "子女姓名": None,
            "性别": sex, "出生日期": date.fromisoformat(born), "孩次": 1, "现住址": None}


@pytest.fixture
def partial(ledger):
    """A village with 4 ledger births of which a partial survey found one: 求实率 400 %."""
    township(ledger, 1)
    # township() gave 李0 a son born 2026-01-15; three more births the survey never saw
    for i in range(3):
        mother = woman(ledger, f"赵{i}", unit=V1, born="1991-01-01", married="2014-01-01")
        child(ledger, mother, 1, born=f"2026-02-0{i + 1}", sex="女")
    return ledger


def test_an_accuracy_over_100_explains_itself_in_the_json_and_on_the_form(partial):
    _, survey = _survey(partial, [_row(V1, "李0", "2026-01-15", "男")])
    rec = reconcile(partial.db, survey.id)
    doc = rec.as_json()
    assert doc["accuracy_percent"] == 400.0 and len(doc["ledger_only"]) == 3
    assert doc["accuracy_note"] == "求实率超过 100%：台帐有而调查未见（多报/未核实）3 人，见清单"
    form = build_form(rec, partial.office_name)
    assert any(doc["accuracy_note"] in note for note in form.notes)


def test_an_accuracy_of_100_or_less_has_no_note(partial):
    _, survey = _survey(partial, [_row(V1, "李0", "2026-01-15", "男"), _row(V1, "赵0", "2026-02-01", "女"),
                                  _row(V1, "赵1", "2026-02-02", "女"), _row(V1, "赵2", "2026-02-03", "女"),
                                  _row(V1, "孙某", "2026-03-01", "男")])
    rec = reconcile(partial.db, survey.id)
    assert rec.as_json()["accuracy_percent"] == 80.0 and rec.as_json()["accuracy_note"] is None
    assert not any("超过 100%" in note for note in build_form(rec).notes)


def test_the_cli_says_why_in_its_human_output_and_json(partial, tmp_path, capsys):
    path = write_survey(tmp_path / "partial.xlsx", [TruthRow(_row(V1, "李0", "2026-01-15", "男"), None, "")])
    db = partial.path
    partial.close()
    main(["reconcile", str(path), "--period", "2026H1", "--db", str(db)])
    text = capsys.readouterr().out
    assert "求实率 400.00%" in text
    assert "求实率超过 100%：台帐有而调查未见（多报/未核实）3 人，见清单" in text
    main(["reconcile", str(path), "--period", "2026H1", "--json", "--db", str(db)])

    assert json.loads(capsys.readouterr().out)["accuracy_note"].startswith("求实率超过 100%")
