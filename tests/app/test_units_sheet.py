"""The 单位 sheet of the standard workbook: all or nothing, every error named, idempotent."""

from __future__ import annotations

import openpyxl
import pytest

from app import units
from app.errors import UserInputError
from app.exchange.workbook import ImportFailed, import_workbook

HEADER = ["单位代码", "单位名称", "单位类型", "上级单位代码", "生效日期", "主管单位代码"]


def workbook(path, rows, header=HEADER, sheet="单位"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


GOOD = [
    ["43020101", "新华社区", "社区", "430201", None, None],   # child before its parent
    ["4302", "荷塘区", "区县", None, None, None],
    ["430201", "月塘街道", "街道", "4302", None, None],
    ["43020199", "区教育局", "公共单位", "430201", None, "4302"],
]


def test_import_creates_the_tree_in_any_row_order(ledger, tmp_path):
    result = import_workbook(ledger, workbook(tmp_path / "u.xlsx", GOOD))
    assert result.sheets["单位"].inserted == 4
    community = units.get(ledger.db, "43020101")
    assert community.parent_id == units.id_for_code(ledger.db, "430201")
    assert units.get(ledger.db, "43020199").supervisor_code == "4302"


def test_reimporting_the_same_workbook_changes_nothing(ledger, tmp_path):
    path = workbook(tmp_path / "u.xlsx", GOOD)
    import_workbook(ledger, path)
    audit_rows = ledger.db.execute("select count(*) from audit_log").fetchone()[0]
    again = import_workbook(ledger, path).sheets["单位"]
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 4)
    # only the import itself is recorded
    assert ledger.db.execute("select count(*) from audit_log").fetchone()[0] == audit_rows + 1


def test_a_changed_name_is_an_update_listed_in_the_summary(ledger, tmp_path):
    import_workbook(ledger, workbook(tmp_path / "u.xlsx", GOOD))
    changed = [r[:] for r in GOOD]
    changed[2][1], changed[2][4] = "月塘街道办事处", "2026-01-01"
    summary = import_workbook(ledger, workbook(tmp_path / "v.xlsx", changed)).sheets["单位"]
    assert summary.updated == 1 and "月塘街道办事处" in summary.updates[0]
    assert units.get(ledger.db, "430201", "2025-12-31").name == "月塘街道"


def test_every_broken_row_is_reported_and_nothing_is_written(ledger, tmp_path):
    rows = GOOD + [
        ["", "无代码", "村", "4302", None, None],
        ["5", "坏类型", "大队", "4302", None, None],
        ["6", "孤儿村", "村", "9999", None, None],
        ["7", "坏日期", "村", "4302", "2026-02-30", None],
        ["4302", "重复", "区县", None, None, None],
    ]
    with pytest.raises(ImportFailed) as caught:
        import_workbook(ledger, workbook(tmp_path / "u.xlsx", rows))
    messages = [str(e) for e in caught.value.errors]
    assert "单位!6 单位代码: 必填项为空" in messages
    assert any(m.startswith("单位!7 单位类型: “大队”不是有效值") for m in messages)
    assert any(m.startswith("单位!8 上级单位代码: “9999”") for m in messages)
    assert any(m.startswith("单位!9 生效日期: “2026-02-30”不是有效日期") for m in messages)
    assert any(m.startswith("单位!10 单位代码: 与第 3 行重复") for m in messages)
    assert ledger.db.execute("select count(*) from units").fetchone()[0] == 0


def test_a_missing_required_column_is_named(ledger, tmp_path):
    path = workbook(tmp_path / "u.xlsx", [["1", "x"]], header=["单位代码", "单位名称"])
    with pytest.raises(ImportFailed) as caught:
        import_workbook(ledger, path)
    assert [str(e) for e in caught.value.errors] == ["单位!1 单位类型: 缺少必填列"]


def test_unknown_columns_are_ignored_with_a_warning(ledger, tmp_path):
    path = workbook(tmp_path / "u.xlsx", [["4302", "荷塘区", "区县", None, None, None, "x"]],
                    header=HEADER + ["备注"])
    result = import_workbook(ledger, path)
    assert [str(w) for w in result.warnings] == ["单位!1 备注: 不认识的列，已忽略"]


@pytest.mark.parametrize("name, content, message", [
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为"),
    ("secret.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "密码"),
    ("notes.xlsx", "这不是工作簿".encode(), "不是 Excel 工作簿"),
    ("broken.xlsx", b"PK\x03\x04 truncated zip", "已损坏"),
])
def test_files_that_are_not_workbooks_get_a_clear_message(ledger, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserInputError, match=message):
        import_workbook(ledger, path)
