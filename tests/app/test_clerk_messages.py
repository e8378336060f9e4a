"""Messages a clerk reads in the window name what she knows (the mother, her ID number, the 孩次),
never an internal record id, and never send her to the command line."""

from __future__ import annotations

import pytest

from app import registry
from app.errors import UserInputError
from app.exchange.workbook import import_workbook
from app.ledger import Ledger
from tests import builders as b
from tests.app.test_registry_import import UNITS, WOMEN_HEAD, woman_row, write_book

CHILD_HEAD = ("母亲证件号码", "孩次", "性别", "出生日期", "政策属性")


def test_a_changed_child_is_listed_by_mother_and_order_without_its_record_id(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    rows = {"单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(number)],
            "子女": [CHILD_HEAD, (number, 1, "女", "2014-03-01", "政策内")]}
    import_workbook(ledger, write_book(tmp_path / "a.xlsx", rows))
    child_id = ledger.db.execute("select id from children").fetchone()[0]
    rows["子女"] = [CHILD_HEAD, (number, 1, "男", "2014-03-01", "政策内")]
    changed = import_workbook(ledger, write_book(tmp_path / "b.xlsx", rows))
    [line] = changed.sheets["子女"].updates
    assert line == f"王丽芳 {number} 第 1 孩: 性别 女 → 男"
    assert "编号" not in line and str(child_id) not in line.split(":")[1]
    entry = ledger.db.execute("select before from audit_log where action = '导入修改子女'").fetchone()[0]
    assert "child_id" in entry                   # the audit keeps the record it changed


def test_import_findings_point_to_the_logic_checks_button_not_the_command_line(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    rows = {"单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(number)],
            "子女": [CHILD_HEAD, (number, 1, "女", "2016-03-01", "政策内"), (number, 2, "男", "2014-03-01", "政策内")]}
    result = import_workbook(ledger, write_book(tmp_path / "a.xlsx", rows))
    first = str(result.warnings[0])
    assert "“逻辑校核”" in first and "fpledger" not in first


def test_missing_records_and_ledgers_are_described_without_ids(ledger, tmp_path):
    with pytest.raises(UserInputError) as card:
        registry.update_child(ledger, 15487, {"sex": "男"})
    with pytest.raises(UserInputError) as missing:
        Ledger.open(tmp_path / "nowhere.db")
    for text in (str(card.value), str(missing.value)):
        assert "15487" not in text and "fpledger" not in text and "编号" not in text
