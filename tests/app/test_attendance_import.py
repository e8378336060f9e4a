"""Attendance files in (INTERFACES.md §6): machine exports (CSV in GBK or UTF-8, .xlsx) and the
attendance workbook; idempotent, all or nothing, every problem named by sheet, row and column."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

from app.attendance import importer, month
from app.exchange.workbook import ImportFailed
from tests.attendance_builders import add_person

MACHINE_ROWS = [("工号", "姓名", "打卡时间"),
                ("011", "张三", "2026-03-02 07:58:12"),
                ("011", "张三", "2026/3/2 14:31"),
                ("012", "李四", "2026-03-02 08:12:00")]


def write_csv(path, rows, encoding):
    path.write_bytes("\r\n".join(",".join(r) for r in rows).encode(encoding))
    return path


def write_xlsx(path, sheets: dict[str, list[tuple]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def punch_count(ledger) -> int:
    return ledger.db.execute("select count(*) from att_punches").fetchone()[0]


@pytest.fixture
def people(ledger):
    add_person(ledger, "011", "张三")
    add_person(ledger, "012", "李四")
    return ledger


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_a_machine_csv_in_gbk_or_utf8_imports(people, tmp_path, encoding):
    path = write_csv(tmp_path / "kq.csv", MACHINE_ROWS, encoding)
    result = importer.import_file(people, path)
    assert result.kind == "考勤机导出"
    assert result.sheets["kq.csv"].inserted == 3
    assert punch_count(people) == 3


def test_a_reimported_machine_file_changes_nothing(people, tmp_path):
    path = write_csv(tmp_path / "kq.csv", MACHINE_ROWS, "gbk")
    importer.import_file(people, path)
    before = month.live_document(people.db, "2026-03")
    again = importer.import_file(people, path)
    assert (again.sheets["kq.csv"].inserted, again.sheets["kq.csv"].unchanged) == (0, 3)
    assert punch_count(people) == 3
    assert month.live_document(people.db, "2026-03") == before


def test_the_same_punch_twice_in_one_file_is_one_punch(people, tmp_path):
    path = write_csv(tmp_path / "kq.csv", [*MACHINE_ROWS, ("011", "张三", "2026-03-02 07:58:12")], "utf-8")
    importer.import_file(people, path)
    assert punch_count(people) == 3


def test_a_machine_xlsx_with_real_date_cells_imports(people, tmp_path):
    path = write_xlsx(tmp_path / "kq.xlsx", {"Sheet1": [("工号", "姓名", "打卡时间"),
                                                         (11, "张三", datetime(2026, 3, 2, 7, 58)),
                                                         ("012", "李四", datetime(2026, 3, 2, 8, 40))]})
    result = importer.import_file(people, path)
    assert result.kind == "考勤机导出"
    assert punch_count(people) == 2  # 11 matched 011 (the spreadsheet dropped the leading zero)
    sheet = month.compute(people.db, "2026-03")
    by_no = {p.staff.staff_no: p.days[1].sessions[0].status for p in sheet.people}
    assert by_no == {"011": "准时", "012": "旷工"}


def test_unknown_staff_and_unreadable_times_are_reported_by_row_and_nothing_is_written(people, tmp_path):
    rows = [*MACHINE_ROWS, ("099", "王五", "2026-03-02 08:00"), ("011", "张三", "三月二日早上"),
            ("012", "李四", "2026-02-30 08:00")]
    path = write_csv(tmp_path / "kq.csv", rows, "gbk")
    with pytest.raises(ImportFailed) as failed:
        importer.import_file(people, path)
    messages = [str(e) for e in failed.value.errors]
    assert messages[0] == "kq.csv!5 工号: 工号“099”不在人员名单中"
    assert messages[1].startswith("kq.csv!6 打卡时间: “三月二日早上”不是可识别的时间")
    assert messages[2] == "kq.csv!7 打卡时间: “2026-02-30 08:00”不是有效日期"
    assert punch_count(people) == 0


def test_a_different_name_is_a_warning_not_an_error(people, tmp_path):
    path = write_csv(tmp_path / "kq.csv", [("工号", "姓名", "打卡时间"), ("011", "张叁", "2026-03-02 08:00")], "utf-8")
    result = importer.import_file(people, path)
    assert [str(w) for w in result.warnings] == ["kq.csv!2 姓名: “张叁”与名单中工号 011 的“张三”不同，按工号导入"]


def test_a_file_without_the_columns_is_refused_clearly(people, tmp_path):
    path = write_csv(tmp_path / "kq.csv", [("编号", "时间"), ("011", "2026-03-02 08:00")], "utf-8")
    with pytest.raises(ImportFailed, match="kq.csv!1 工号: 缺少必填列"):
        importer.import_file(people, path)


WORKBOOK = {
    "人员": [("工号", "姓名", "科室", "职务", "角色"), ("001", "王局长", "局领导", "局长", "局长"),
           ("010", "陈主任", "办公室", "主任", "科室负责人"), ("011", "张三", "办公室", "科员", "工作人员")],
    "作息时间": [("开始日期", "上午上班", "上午下班", "下午上班", "下午下班"),
             ("2025-10-01", "08:00", "12:00", "14:00", "17:00"), ("2026-05-01", "8:00", "12:00", "15:00", "18:00")],
    "打卡": [("工号", "打卡时间"), ("011", "2026-03-02 07:55"), ("011", "2026-03-02 13:55")],
    "请假": [("工号", "类型", "开始时间", "结束时间", "状态", "事由"),
           ("011", "病假", "2026-03-03", "2026-03-03", "已批准", "感冒"),
           ("010", "事假", "2026-03-04 上午", "2026-03-04 上午", "待审批", "办事")],
    "值班": [("工号", "日期"), ("011", "2026-03-07")],
    "节假日": [("日期", "类型", "名称"), ("2026-03-06", "法定节假日", "测试假日"), ("2026-03-08", "调休上班", "")],
}


def test_the_attendance_workbook_imports_every_sheet_and_again_changes_nothing(ledger, tmp_path):
    path = write_xlsx(tmp_path / "考勤.xlsx", WORKBOOK)
    result = importer.import_file(ledger, path)
    assert result.kind == "考勤工作簿"
    assert {k: v.inserted for k, v in result.sheets.items()} == {
        "人员": 3, "节假日": 2, "作息时间": 2, "打卡": 2, "请假": 2, "值班": 1}
    pending_steps = ledger.db.execute("select approver_role from att_leave_steps").fetchall()
    assert pending_steps == [("分管领导",)]  # the section head's half day goes to the deputy
    zhang = next(p for p in month.compute(ledger.db, "2026-03").people if p.staff.staff_no == "011")
    assert [s.status for s in zhang.days[1].sessions] == ["准时", "准时"]
    assert [s.status for s in zhang.days[2].sessions] == ["请假", "请假"]
    assert zhang.days[5].working is False and zhang.days[7].working is True
    assert zhang.figures.duty_days == 1
    again = importer.import_file(ledger, path)
    assert all(s.inserted == 0 and s.updated == 0 for s in again.sheets.values())


def test_a_workbook_error_anywhere_writes_nothing(ledger, tmp_path):
    broken = dict(WORKBOOK) | {"打卡": [("工号", "打卡时间"), ("011", "2026-03-02 07:55"), ("077", "2026-03-02 08:00")],
                               "作息时间": [("开始日期", "上午上班", "上午下班", "下午上班", "下午下班"),
                                        ("2025-10-01", "8点", "12:00", "14:00", "17:00")]}
    path = write_xlsx(tmp_path / "考勤.xlsx", broken)
    with pytest.raises(ImportFailed) as failed:
        importer.import_file(ledger, path)
    assert [str(e) for e in failed.value.errors] == [
        "作息时间!2 上午上班: “8点”不是可识别的时间（应为 8:00 或 08:00:00）",
        "打卡!3 工号: 工号“077”不在人员名单中",
    ]
    assert ledger.db.execute("select count(*) from att_staff").fetchone()[0] == 0
