"""`fpledger attendance import FILE` and `fpledger attendance month YYYY-MM --json` (INTERFACES.md §6)."""

from __future__ import annotations

import json

from app.cli import main
from app.ledger import Ledger
from tests.attendance_builders import add_person

STAFF_KEYS = {"staff_no", "name", "days_due", "present_sessions", "late", "absent_sessions", "leave_days",
              "fines_yuan", "bonus_forfeited", "duty_days", "attendance_rate_percent"}


def _ledger(tmp_path):
    path = tmp_path / "l.db"
    with Ledger.create(path, "荷塘区人口计生局", 10, actor="test") as ledger:
        add_person(ledger, "011", "张三")
    return path


def test_import_then_month_json_has_the_interface_keys(tmp_path, capsys):
    db = _ledger(tmp_path)
    csv_file = tmp_path / "kq.csv"
    csv_file.write_bytes("工号,姓名,打卡时间\r\n011,张三,2026-03-02 08:10\r\n011,张三,2026-03-02 14:20\r\n"
                         .encode("gbk"))
    assert main(["attendance", "import", str(csv_file), "--db", str(db)]) == 0
    assert "新增 2" in capsys.readouterr().out
    assert main(["--db", str(db), "attendance", "import", str(csv_file), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["sheets"]["kq.csv"]["inserted"] == 0 and again["sheets"]["kq.csv"]["unchanged"] == 2

    assert main(["attendance", "month", "2026-03", "--json", "--db", str(db)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["month"] == "2026-03"
    person = document["staff"][0]
    assert set(person) >= STAFF_KEYS
    assert person["staff_no"] == "011" and person["days_due"] == 22
    assert person["present_sessions"] == 2 and person["late"] == 1 and person["absent_sessions"] == 42
    assert person["leave_days"] == {} and person["fines_yuan"] == 421
    assert person["bonus_forfeited"] is True and person["duty_days"] == 0
    assert person["attendance_rate_percent"] == 4.55
    assert isinstance(person["days_due"], int) and isinstance(person["bonus_forfeited"], bool)


def test_month_human_output_is_chinese(tmp_path, capsys):
    db = _ledger(tmp_path)
    assert main(["attendance", "month", "2026-03", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "2026-03 考勤" in out and "张三" in out


def test_bad_month_and_bad_file_exit_2_with_a_chinese_message(tmp_path, capsys):
    db = _ledger(tmp_path)
    assert main(["attendance", "month", "2026-13", "--db", str(db)]) == 2
    assert "不是有效的月份" in capsys.readouterr().err
    bad = tmp_path / "kq.csv"
    bad.write_bytes("工号,姓名,打卡时间\r\n099,王五,2026-03-02 08:00\r\n".encode())
    assert main(["attendance", "import", str(bad), "--db", str(db), "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["errors"] == ["kq.csv!2 工号: 工号“099”不在人员名单中"]
