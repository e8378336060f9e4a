"""The audit log is append-only and hash-chained; tampering is found and named."""

from __future__ import annotations

import sqlite3

import pytest

from app import audit


def _three_entries(ledger):
    for n in range(3):
        ledger.audit("测试", "thing", n, before={"n": n}, after={"n": n + 1})


def test_update_and_delete_are_refused(ledger):
    _three_entries(ledger)
    with pytest.raises(sqlite3.DatabaseError, match="只能追加"):
        ledger.db.execute("update audit_log set user = 'mallory' where id = 2")
    with pytest.raises(sqlite3.DatabaseError, match="只能追加"):
        ledger.db.execute("delete from audit_log where id = 2")


def test_an_intact_chain_verifies(ledger):
    _three_entries(ledger)
    report = audit.verify_chain(ledger.db)
    assert report.ok and report.rows_checked == 4  # creation + three


def test_a_tampered_row_is_found_and_named(ledger):
    _three_entries(ledger)
    ledger.db.execute("drop trigger audit_log_no_update")  # what someone with a hex editor could do
    ledger.db.execute("update audit_log set after = '{\"n\": 99}' where id = 3")
    report = audit.verify_chain(ledger.db)
    assert not report.ok and report.first_broken_id == 3 and "篡改" in report.reason


def test_a_deleted_row_is_found(ledger):
    _three_entries(ledger)
    ledger.db.execute("drop trigger audit_log_no_delete")
    ledger.db.execute("delete from audit_log where id = 2")
    report = audit.verify_chain(ledger.db)
    assert report.first_broken_id == 3 and "缺失" in report.reason


def test_a_change_and_its_audit_entry_land_together_or_not_at_all(ledger):
    before = ledger.db.execute("select count(*) from audit_log").fetchone()[0]
    with pytest.raises(RuntimeError), ledger.write("修改设置", "setting", "x"):
        ledger.db.execute("insert into meta values ('x', '1')")
        raise RuntimeError("power cut")
    assert ledger.setting("x") is None
    assert ledger.db.execute("select count(*) from audit_log").fetchone()[0] == before


def test_history_of_one_object(ledger):
    ledger.set_setting("office_phone", "123")
    ledger.set_setting("office_phone", "456")
    entries = list(audit.entries_for(ledger.db, "setting", "office_phone"))
    assert [e["after"] for e in entries] == ["123", "456"]
    assert entries[1]["before"] == "123"
