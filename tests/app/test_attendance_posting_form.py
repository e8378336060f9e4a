"""The wall-board form (张榜公布): one row per person with the posted figures, as PDF and Excel."""

from __future__ import annotations

import subprocess
from datetime import datetime

import openpyxl

from app.attendance import leave, posting
from app.attendance.posting_form import export_month, month_form
from app.attendance.settings import AttendanceSettings
from tests.attendance_builders import add_person, punch


def test_the_month_form_has_a_leave_column_per_type_that_occurs():
    document = {"month": "2026-03", "posted": True, "staff": [
        {"staff_no": "011", "name": "张三", "section": "办公室", "days_due": 22, "present_sessions": 40, "late": 2,
         "absent_sessions": 1, "leave_days": {"病假": 1, "事假": 0.5}, "fines_yuan": 12, "bonus_forfeited": False,
         "duty_days": 1, "attendance_rate_percent": 90.91}]}
    form = month_form(document, "荷塘区人口计生局", AttendanceSettings())
    leaf_titles = [c.title for c in form.leaves()]
    assert leaf_titles[7:9] == ["事假", "病假"]
    assert form.rows[0]["bonus"] == "照发"
    assert form.total_row["fines"] == 12
    assert form.period_label == "2026年3月" and form.filler == "荷塘区人口计生局"


def test_export_writes_the_posted_figures_to_pdf_and_excel(ledger, tmp_path):
    person, user = add_person(ledger, "011", "张三")
    punch(ledger, person, "2026-03-02 08:10", "2026-03-02 14:20")
    item = leave.request(ledger, person.id, "事假", datetime(2026, 3, 3, 8), datetime(2026, 3, 3, 12), "办事")
    ledger.db.execute("update att_leave set status = '已批准' where id = ?", [item.id])
    posting.post(ledger, "2026-03", now=datetime(2026, 4, 2, 9))
    pdf, xlsx, warnings = export_month(ledger, "2026-03", tmp_path)
    assert warnings == []
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "考勤情况公布表" in text and "荷塘区人口计生局" in text and "2026年3月" in text
    assert "张三" in text and "公布日期：2026-04-02" in text
    sheet = openpyxl.load_workbook(xlsx).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "张三" in values and "事假" in values
    assert ledger.db.execute("select count(*) from audit_log where action = '导出考勤公布表'").fetchone()[0] == 1
