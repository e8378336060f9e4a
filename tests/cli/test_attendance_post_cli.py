"""A fresh ledger from `fpledger init`: the month's working days, its `warnings`, and
`fpledger attendance post YYYY-MM` (INTERFACES.md §2: exit 2 with the reason)."""

from __future__ import annotations

import json

from app.attendance import calendar
from app.cli import main


def _init(tmp_path, capsys):
    db = tmp_path / "fresh.db"
    assert main(["init", "--office", "荷塘区人口计生局", "--db", str(db)]) == 0
    capsys.readouterr()
    return db


def _staff_and_punches(tmp_path, db, capsys, punches: list[str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "人员"
    sheet.append(["工号", "姓名", "科室", "职务", "角色"])
    sheet.append(["011", "张三", "办公室", "", "工作人员"])
    if punches:
        punch_sheet = book.create_sheet("打卡")
        punch_sheet.append(["工号", "打卡时间"])
        for moment in punches:
            punch_sheet.append(["011", moment])
    path = tmp_path / "kq.xlsx"
    book.save(path)
    assert main(["attendance", "import", str(path), "--db", str(db)]) == 0
    capsys.readouterr()


def test_a_fresh_ledger_counts_the_holidays_of_2026(tmp_path, capsys):
    db = _init(tmp_path, capsys)
    _staff_and_punches(tmp_path, db, capsys, [])
    for code, days in (("2026-10", 18), ("2026-02", 16), ("2026-05", 19)):
        assert main(["attendance", "month", code, "--json", "--db", str(db)]) == 0
        document = json.loads(capsys.readouterr().out)
        assert document["working_days"] == days
        assert document["staff"][0]["days_due"] == days
        assert any("没有导入任何打卡记录" in w for w in document["warnings"])


def test_post_without_punches_exits_2_naming_the_reason(tmp_path, capsys):
    db = _init(tmp_path, capsys)
    _staff_and_punches(tmp_path, db, capsys, ["2026-03-02 07:55"])
    assert main(["attendance", "post", "2026-04", "--db", str(db)]) == 2
    assert "没有导入任何打卡记录" in capsys.readouterr().err
    assert main(["attendance", "month", "2026-04", "--json", "--db", str(db)]) == 0
    assert json.loads(capsys.readouterr().out)["posted"] is False
    assert main(["attendance", "post", "2026-03", "--json", "--db", str(db)]) == 0
    posted = json.loads(capsys.readouterr().out)
    assert posted["posted"] is True and posted["month"] == "2026-03"
    assert main(["attendance", "post", "2026-03", "--db", str(db)]) == 2
    assert "已经张榜公布" in capsys.readouterr().err


def test_post_of_a_year_without_holiday_data_exits_2_and_month_warns(tmp_path, capsys):
    year = calendar.builtin_years()[-1] + 1
    db = _init(tmp_path, capsys)
    _staff_and_punches(tmp_path, db, capsys, [])
    assert main(["attendance", "month", f"{year}-01", "--db", str(db)]) == 0
    assert f"注意：{year} 年没有节假日数据" in capsys.readouterr().out
    assert main(["attendance", "month", f"{year}-01", "--json", "--db", str(db)]) == 0
    assert any(f"{year} 年没有节假日数据" in w for w in json.loads(capsys.readouterr().out)["warnings"])
