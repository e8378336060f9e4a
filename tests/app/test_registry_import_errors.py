"""Import errors point at their cause (issue 12 item 5; INTERFACES.md §1).

A 育龄妇女 row with an error gives its own error(s); the rows of 子女, 节育措施, 手术 and 孕检记录
that name her say so ONCE (one note per woman, naming her row), and no row is ever compared
with another mother's rows — on the column-wise path and cell by cell alike. Built through the
real import from a 1,000-woman workbook.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from app import cli
from app.exchange import registry_columns
from app.exchange.registry_columns import FAIL
from app.exchange.workbook import ImportFailed, import_workbook
from app.ledger import Ledger
from tests import builders as b

UNITS = [("单位代码", "单位名称", "单位类型", "上级单位代码"),
         ("430202", "荷塘区", "区县", None), ("430202101201", "桃花村", "村", "430202")]
WOMEN_HEAD = ("证件号码", "姓名", "户口性质", "居住状态", "单位代码", "婚姻状况", "初婚日期")
CHILD_HEAD = ("母亲证件号码", "孩次", "性别", "出生日期", "政策属性")
MEASURE_HEAD = ("证件号码", "措施", "开始日期")
PROC_HEAD = ("证件号码", "手术类型", "手术日期")
CHECK_HEAD = ("证件号码", "轮次", "结果", "检查日期")
WOMEN = 1_000


def _numbers() -> list[str]:
    start = date(1980, 1, 1)
    return [b.make_id((start + timedelta(days=i)).isoformat(), serial=i) for i in range(WOMEN)]


def district_sheets(numbers: list[str]) -> dict[str, list[tuple]]:
    """1,000 married women, each with two children and an IUD; every third had the 上环 as a
    procedure, every fourth has a 2026Q2 pregnancy check."""
    women = [WOMEN_HEAD] + [(n, "王丽芳", "农业", "常住", "430202101201", "初婚", "2008-01-01") for n in numbers]
    children = [CHILD_HEAD]
    for n in numbers:
        children += [(n, 1, "男", "2010-03-01", "政策内"), (n, 2, "女", "2014-05-01", "政策内")]
    measures = [MEASURE_HEAD] + [(n, "宫内节育器", "2014-09-01") for n in numbers]
    procedures = [PROC_HEAD] + [(n, "上环", "2014-09-01") for n in numbers[::3]]
    roster = [CHECK_HEAD] + [(n, "2026Q2", "已查", "2026-02-10") for n in numbers[::4]]
    return {"单位": UNITS, "育龄妇女": women, "子女": children, "节育措施": measures, "手术": procedures,
            "孕检记录": roster}


def write(path: Path, sheets: dict[str, list[tuple]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    wb.save(path)
    return path


def wrong_check_digit(number: str) -> str:
    return number[:17] + ("1" if number[17] != "1" else "2")


def plant(sheets: dict[str, list[tuple]], index: int, **over) -> int:
    """Change woman `index`'s row (every column of `over`); returns its Excel row number. A new
    证件号码 is changed in every sheet that names her, as a clerk's typo copied along would be."""
    old = sheets["育龄妇女"][index + 1]
    new = tuple(over.get(h, v) for h, v in zip(WOMEN_HEAD, old, strict=True))
    sheets["育龄妇女"][index + 1] = new
    if new[0] != old[0]:
        for name in ("子女", "节育措施", "手术", "孕检记录"):
            sheets[name] = [(new[0], *r[1:]) if r[0] == old[0] else r for r in sheets[name]]
    return index + 2


def refused(ledger: Ledger, path: Path) -> list[str]:
    with pytest.raises(ImportFailed) as caught:
        import_workbook(ledger, path)
    assert ledger.db.execute("select count(*) from women").fetchone()[0] == 0
    return [str(e) for e in caught.value.errors]


def both_paths(tmp_path: Path, monkeypatch, sheets: dict[str, list[tuple]]) -> list[str]:
    """The errors on the column-wise path and cell by cell (the column reader vouching for
    nothing); asserts they are the same list and returns it."""
    path = write(tmp_path / "district.xlsx", sheets)
    found = []
    for cell_by_cell in (False, True):
        with monkeypatch.context() as patch:
            if cell_by_cell:
                patch.setattr(registry_columns.ColumnReader, "column",
                              lambda self, kind, required, max_length, raws: [FAIL] * len(raws))
            with Ledger.create(tmp_path / f"{cell_by_cell}.db", "荷塘区人口计生局", actor="test") as ledger:
                found.append(refused(ledger, path))
    assert found[0] == found[1]
    return found[0]


def test_one_planted_error_in_1000_women_gives_its_error_and_one_note_naming_that_row(tmp_path, monkeypatch):
    numbers = _numbers()
    sheets = district_sheets(numbers)
    bad = wrong_check_digit(numbers[500])
    row = plant(sheets, 500, 证件号码=bad)
    errors = both_paths(tmp_path, monkeypatch, sheets)
    assert 1 <= len(errors) <= 3, errors
    assert all(f"育龄妇女!{row}" in e for e in errors), errors
    assert errors[0].startswith(f"育龄妇女!{row} 证件号码: ") and "校验位" in errors[0]
    # Her two children, her measure, her procedure (500 is not a multiple of 3: none) and her
    # check (500 = 4 × 125) are listed once, at the first of them.
    assert errors[1:] == [f"子女!{2 * 500 + 2} 母亲证件号码: 母亲在育龄妇女!{row} 行有错误，依赖她的"
                          f"子女第 {2 * 500 + 2}、{2 * 500 + 3} 行，节育措施第 {500 + 2} 行，孕检记录第 {125 + 2} 行"
                          "暂不能核对；请先改正该行"]


def test_six_planted_errors_give_six_errors_and_at_most_one_note_each(tmp_path, monkeypatch):
    numbers = _numbers()
    sheets = district_sheets(numbers)
    future = (date.today() + timedelta(days=3)).isoformat()
    rows = [plant(sheets, 3, 证件号码=wrong_check_digit(numbers[3])),
            plant(sheets, 120, 单位代码="999999"),
            plant(sheets, 301, 姓名=None),
            plant(sheets, 480, 婚姻状况="同居"),
            plant(sheets, 777, 初婚日期=future),
            plant(sheets, 998, 居住状态="暂住")]
    stranger = b.make_id("1979-06-06", serial=7)
    sheets["子女"].append((stranger, 1, "男", "2010-01-01", "政策内"))   # her own clear error stays
    errors = both_paths(tmp_path, monkeypatch, sheets)
    own = [e for e in errors if e.startswith("育龄妇女!")]
    assert [int(re.match(r"育龄妇女!(\d+) ", e).group(1)) for e in own] == rows
    notes = [e for e in errors if "行有错误，依赖她的" in e]
    named = [int(re.search(r"在育龄妇女!(\d+) 行有错误", e).group(1)) for e in notes]
    assert sorted(named) == rows and len(set(named)) == len(named)   # one note per woman
    assert errors == own + notes + [f"子女!{len(sheets['子女'])} 母亲证件号码: {stranger} 在育龄妇女表和台帐中都没有"]
    assert not any("重复" in e for e in errors)


def test_a_dependent_row_keeps_its_own_malformed_cells_and_her_rows_are_not_compared(tmp_path, monkeypatch):
    numbers = _numbers()[:50]
    sheets = district_sheets(numbers)
    row = plant(sheets, 10, 单位代码="999999")
    n = numbers[10]
    sheets["子女"] += [(n, 1, "不详", "2011-01-01", "政策内"),          # her order 1 again, and a bad 性别
                      (numbers[11], 1, "男", "2010-03-01", "政策内")]   # another mother's real duplicate
    errors = both_paths(tmp_path, monkeypatch, sheets)
    last = len(sheets["子女"])
    assert errors == [f"育龄妇女!{row} 单位代码: 单位代码“999999”在单位表和台帐中都没有",
                      f"子女!22 母亲证件号码: 母亲在育龄妇女!{row} 行有错误，依赖她的子女第 22、23、{last - 1} 行，"
                      "节育措施第 12 行暂不能核对；请先改正该行",
                      f"子女!{last - 1} 性别: “不详”不是有效值，应为：男、女",
                      f"子女!{last} 孩次: 与第 24 行重复（同一母亲的同一孩次）"]


def test_an_error_in_another_sheet_never_makes_the_mothers_rows_duplicates(ledger, tmp_path):
    """The root cause of the 7,025 false "孩次 重复" errors: with any error, no new woman is
    written, and every new mother used to share ONE stand-in id, so everyone's first child
    was "the same mother's" first child."""
    numbers = _numbers()[:200]
    sheets = district_sheets(numbers)
    sheets["单位"] = [*UNITS, ("430202101299", "新村", "自然村", "430202")]
    errors = refused(ledger, write(tmp_path / "in.xlsx", sheets))
    assert errors == ["单位!4 单位类型: “自然村”不是有效值，应为：区县、乡镇、街道、村、社区、组、公共单位"]


def test_a_unit_row_with_an_error_gives_one_note_for_its_women_not_one_error_each(tmp_path, monkeypatch):
    numbers = _numbers()[:200]
    sheets = district_sheets(numbers)
    sheets["单位"] = [UNITS[0], UNITS[1], ("430202101201", "桃花村", "自然村", "430202")]
    plant(sheets, 7, 婚姻状况="同居")   # a woman's own error in that unit is still hers
    errors = both_paths(tmp_path, monkeypatch, sheets)
    rows = "、".join(str(r) for r in range(2, 12))
    assert errors == ["单位!3 单位类型: “自然村”不是有效值，应为：区县、乡镇、街道、村、社区、组、公共单位",
                      f"育龄妇女!2 单位代码: 单位“430202101201”在单位!3 行有错误，依赖它的育龄妇女第 {rows} 等 200 行"
                      "暂不能核对；请先改正该行",
                      "育龄妇女!9 婚姻状况: “同居”不是有效值，应为：未婚、初婚、再婚、离婚、丧偶",
                      "子女!16 母亲证件号码: 母亲在育龄妇女!9 行有错误，依赖她的子女第 16、17 行，节育措施第 9 行"
                      "暂不能核对；请先改正该行"]


def test_the_clean_1000_woman_workbook_imports_every_row(ledger, tmp_path):
    numbers = _numbers()
    result = import_workbook(ledger, write(tmp_path / "clean.xlsx", district_sheets(numbers)))
    assert {k: v.inserted for k, v in result.sheets.items()} == {
        "单位": 2, "育龄妇女": 1000, "子女": 2000, "节育措施": 1000, "手术": 334, "孕检记录": 250}


def test_the_cli_lists_50_errors_then_how_many_more_and_json_lists_all(tmp_path, capsys):
    numbers = _numbers()[:120]
    sheets = district_sheets(numbers)
    for i in range(0, 120, 2):   # 60 women with an unknown unit: 60 errors and 60 notes
        plant(sheets, i, 单位代码="999999")
    path = write(tmp_path / "bad.xlsx", sheets)
    db = tmp_path / "cli.db"
    Ledger.create(db, "荷塘区人口计生局", actor="test").close()
    assert cli.main(["--db", str(db), "import", str(path)]) == cli.EXIT_BAD_INPUT
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "导入失败，未写入任何数据。发现 120 处错误："
    assert len(lines) == 52 and all(line.startswith("育龄妇女!") for line in lines[1:51])
    assert lines[-1] == "还有 70 条错误未显示；用 --json 查看全部"
    assert cli.main(["--db", str(db), "import", str(path), "--json"]) == cli.EXIT_BAD_INPUT
    document = json.loads(capsys.readouterr().out)
    assert document["ok"] is False and document["exit_code"] == 2 and document["error_count"] == 120
    assert len(document["errors"]) == 120 and document["errors"][:50] == lines[1:51]
