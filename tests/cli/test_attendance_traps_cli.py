"""`fpledger attendance month YYYY-MM --json` traps: the month is counted whole (DOMAIN.md §8:
days_due = the month's working days) whatever today's date is, the keys and number types are
INTERFACES.md §6's, and the files of §6 import as the office's machines write them."""

from __future__ import annotations

import json
from datetime import date, timedelta

import openpyxl

from app.cli import main
from app.ledger import Ledger


def _ledger(tmp_path):
    path = tmp_path / "l.db"
    with Ledger.create(path, "荷塘区人口计生局", 10, actor="test"):
        pass
    return path


def _workbook(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def _month(db, code, capsys, *extra) -> dict:
    assert main(["attendance", "month", code, "--json", "--db", str(db), *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_month_after_today_is_counted_whole_from_its_punches(tmp_path, capsys):
    db = _ledger(tmp_path)
    year = date.today().year + 1
    weekdays = [date(year, 3, d) for d in range(1, 32) if date(year, 3, d).weekday() < 5]
    punches = [("011", f"{d.isoformat()} 07:58") for d in weekdays] + \
        [("011", f"{d.isoformat()} 14:40") for d in weekdays]
    book = _workbook(tmp_path / "考勤.xlsx", {"人员": [("工号", "姓名"), ("011", "张三")],
                                            "打卡": [("工号", "打卡时间"), *punches]})
    assert main(["attendance", "import", str(book), "--db", str(db)]) == 0
    capsys.readouterr()
    row = _month(db, f"{year}-3", capsys)["staff"][0]
    assert row["days_due"] == len(weekdays)
    assert (row["present_sessions"], row["late"], row["absent_sessions"]) == (2 * len(weekdays), len(weekdays), 0)
    assert row["fines_yuan"] == len(weekdays) and row["attendance_rate_percent"] == 100
    live = _month(db, f"{year}-03", capsys, "--so-far")["staff"][0]
    assert live["days_due"] == 0 and live["present_sessions"] == 0  # nothing of it has happened yet


def test_the_current_month_is_counted_whole_by_default(tmp_path, capsys):
    db = _ledger(tmp_path)
    _workbook(tmp_path / "p.xlsx", {"人员": [("工号", "姓名"), ("011", "张三")]})
    assert main(["attendance", "import", str(tmp_path / "p.xlsx"), "--db", str(db)]) == 0
    capsys.readouterr()
    today = date.today()
    first = today.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    due = sum(1 for i in range((last - first).days + 1) if (first + timedelta(days=i)).weekday() < 5)
    row = _month(db, f"{today:%Y-%m}", capsys)["staff"][0]
    assert row["days_due"] == due and row["absent_sessions"] == 2 * due


def test_the_json_numbers_have_the_interface_types(tmp_path, capsys):
    db = _ledger(tmp_path)
    book = _workbook(tmp_path / "考勤.xlsx", {
        "人员": [("工号", "姓名"), (11, "张三")],
        "打卡": [("工号", "打卡时间"), ("011", "2026-03-02 08:05"), ("011", "2026-03-02 14:20")],
        "请假": [("工号", "类型", "开始时间", "结束时间", "状态"),
               ("011", "事假", "2026-03-03 上午", "2026-03-03 上午", "已批准"),
               ("011", "病假", "2026-03-04", "2026-03-04", "已销假")],
        "节假日": [("日期", "类型"), ("2026-03-05", "法定节假日"), ("2026-03-07", "调休上班")],
        "值班": [("工号", "日期"), ("011", "2026-03-05"), ("011", "2026-03-08")],
    })
    assert main(["attendance", "import", str(book), "--db", str(db), "--json"]) == 0
    capsys.readouterr()
    document = _month(db, "2026-03", capsys)
    assert document["month"] == "2026-03"
    row = document["staff"][0]
    assert row["staff_no"] == "11" and row["name"] == "张三"
    assert row["days_due"] == 22  # 22 weekdays − the 5th + the swapped Saturday the 7th
    assert row["leave_days"] == {"事假": 0.5, "病假": 1}
    assert isinstance(row["leave_days"]["病假"], int) and isinstance(row["leave_days"]["事假"], float)
    assert (row["present_sessions"], row["late"]) == (2, 1)
    assert row["absent_sessions"] == 44 - 2 - 3
    assert row["fines_yuan"] == 1 + 10 * 39 and isinstance(row["fines_yuan"], int)
    assert row["bonus_forfeited"] is True
    assert row["duty_days"] == 2
    assert row["attendance_rate_percent"] == 4.55 and isinstance(row["attendance_rate_percent"], float)


def test_holiday_and_status_spellings_the_office_uses_are_accepted(tmp_path, capsys):
    db = _ledger(tmp_path)
    book = _workbook(tmp_path / "考勤.xlsx", {
        "人员": [("工号", "姓名"), ("011", "张三")],
        "请假": [("工号", "类型", "开始时间", "结束时间", "状态"),
               ("011", "事假", "2026-03-02", "2026-03-02", "批准")],
        "节假日": [("日期", "类型"), ("2026-03-03", "法定假日"), ("2026-03-07", "补班")],
    })
    assert main(["attendance", "import", str(book), "--db", str(db)]) == 0
    capsys.readouterr()
    row = _month(db, "2026-03", capsys)["staff"][0]
    assert row["days_due"] == 22 and row["leave_days"] == {"事假": 1}


def test_a_utf16_machine_export_imports_and_reimports_to_nothing(tmp_path, capsys):
    db = _ledger(tmp_path)
    _workbook(tmp_path / "p.xlsx", {"人员": [("工号", "姓名"), ("011", "张三")]})
    assert main(["attendance", "import", str(tmp_path / "p.xlsx"), "--db", str(db)]) == 0
    export = tmp_path / "kq.csv"
    export.write_bytes("工号\t姓名\t打卡时间\r\n011\t张三\t2026-03-02 07:58:00\r\n".encode("utf-16"))
    assert main(["attendance", "import", str(export), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["attendance", "import", str(export), "--db", str(db), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)["sheets"]["kq.csv"]
    assert (summary["inserted"], summary["unchanged"]) == (0, 1)
