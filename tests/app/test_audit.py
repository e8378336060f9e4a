"""The audit log is append-only and hash-chained; tampering is found and named."""

from __future__ import annotations

import json
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


# ---- the anchored chain: genesis, anchors in the backup folder and in export manifests -------------

def _rechain(db, rows: list[dict]) -> None:
    """What an attacker with the file can do: drop the triggers, replace the whole log and
    recompute every hash so that the chain itself holds."""
    db.execute("drop trigger if exists audit_log_no_update")
    db.execute("drop trigger if exists audit_log_no_delete")
    db.execute("delete from audit_log")
    prev = audit.GENESIS
    for number, row in enumerate(rows, start=1):
        digest = audit._row_hash(prev, row["at"], row["user"], row["action"], row["object_type"],
                                 row["object_id"], row["before"], row["after"])
        db.execute("insert into audit_log (id, at, user, action, object_type, object_id, before, after,"
                   " prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   [number, row["at"], row["user"], row["action"], row["object_type"], row["object_id"],
                    row["before"], row["after"], prev, digest])
        prev = digest
    db.conn.commit()


def _rows(db) -> list[dict]:
    return [dict(r) for r in db.query("select * from audit_log order by id")]


def _rewrite_row(db, number: int, **changes) -> None:
    rows = _rows(db)
    rows[number - 1].update(changes)
    _rechain(db, rows)


def _cut_after(db, number: int) -> None:
    db.execute("drop trigger if exists audit_log_no_delete")
    db.execute("delete from audit_log where id > ?", [number])
    db.conn.commit()


def _folder_anchors(ledger):
    from app import audit_anchors
    from app.paths import backup_dir_for

    return audit_anchors.read_folder(backup_dir_for(ledger.path)).anchors


def test_a_new_ledger_starts_with_its_genesis_row_and_a_log_without_one_is_broken(ledger):
    first = ledger.db.execute("select id, action, object_type, prev_hash from audit_log order by id limit 1").fetchone()
    assert first == (1, "创建台帐", "ledger", audit.GENESIS)
    _three_entries(ledger)
    _rechain(ledger.db, _rows(ledger.db)[1:])  # genesis cut off, the rest re-hashed from zero
    report = audit.verify_chain(ledger.db)
    assert not report.ok and report.first_broken_id == 1 and "起始记录" in report.reason


def test_an_empty_log_is_broken(ledger):
    _three_entries(ledger)
    ledger.db.execute("drop trigger audit_log_no_delete")
    ledger.db.execute("delete from audit_log")
    report = audit.verify_chain(ledger.db)
    assert not report.ok and report.rows_checked == 0 and "空" in report.reason


def test_a_rewrite_with_recomputed_hashes_contradicts_a_backup_anchor(ledger):
    _three_entries(ledger)
    made = ledger.backup("手动")  # anchors the 4 rows it holds
    ledger.audit("测试", "thing", 9)
    _rewrite_row(ledger.db, 3, user="mallory")
    assert audit.verify_chain(ledger.db).chain_ok  # the chain alone cannot tell
    report = audit.verify_chain(ledger.db, _folder_anchors(ledger))
    assert not report.ok
    [check] = report.contradicted
    assert check.status == audit.REWRITTEN and check.anchor.rows == 4 and check.anchor.source == made.path.name
    assert "记录 4 条" in check.message and "第 4 条的哈希不同：日志在此之前被改写" in check.message


def test_a_cut_tail_contradicts_the_anchors_past_the_cut(ledger):
    _three_entries(ledger)
    ledger.backup("手动")                 # 4 rows
    ledger.audit("测试", "thing", 9)
    ledger.audit("测试", "thing", 10)
    ledger.backup("手动")                 # 6 rows
    _cut_after(ledger.db, 5)
    report = audit.verify_chain(ledger.db, _folder_anchors(ledger))
    assert report.chain_ok and not report.ok
    assert [(c.anchor.rows, c.status) for c in report.anchors] == [(4, audit.ANCHOR_OK), (6, audit.TRUNCATED)]
    assert "现在只有 5 条：日志被截断" in report.contradicted[0].message
    ledger.audit("测试", "thing", 11)     # cut, then written on: the same length, a different row 6
    report = audit.verify_chain(ledger.db, _folder_anchors(ledger))
    assert [c.status for c in report.contradicted] == [audit.REWRITTEN]


def test_anchors_outlive_the_backups_rotation_deletes(ledger):
    from app import backups
    from app.paths import backup_dir_for

    for n in range(6):
        ledger.audit("测试", "thing", n)
        ledger.backup("手动")
    folder = backup_dir_for(ledger.path)
    assert len(backups.list_backups(folder)) < 6  # rotation kept the newest few
    _cut_after(ledger.db, 1)
    report = audit.verify_chain(ledger.db, _folder_anchors(ledger))
    assert [c.anchor.rows for c in report.contradicted] == [2, 3, 4, 5, 6, 7]


def test_a_rewrite_contradicts_an_export_manifest_anchor(tmp_path, capsys):
    from app.cli import main
    from app.exchange.export_package import MANIFEST, write_package
    from app.ledger import Ledger
    from tests.app.sample_forms import births_form

    path = tmp_path / "X.db"
    with Ledger.create(path, "荷塘区人口计生局", actor="test") as ledger:
        _three_entries(ledger)
        write_package(ledger, "2026H1", [births_form()], tmp_path / "U盘")
    manifest = tmp_path / "U盘" / MANIFEST
    assert json.loads(manifest.read_text(encoding="utf-8"))["audit_head"]["rows"] == 4
    assert main(["--db", str(path), "audit-verify", "--anchor", str(manifest)]) == 0
    capsys.readouterr()
    with Ledger.open(path, daily_backup=False) as ledger:
        _rewrite_row(ledger.db, 2, after='{"n": 99}')
    assert main(["--db", str(path), "audit-verify", "--anchor", str(manifest), "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["chain_ok"] is True and document["ok"] is False
    [check] = [a for a in document["anchors"] if a["kind"] == "导出清单"]
    assert check["status"] == "rewritten" and check["source"] == str(manifest)
    assert main(["--db", str(path), "audit-verify", "--anchor", str(manifest)]) == 1
    text = capsys.readouterr().out
    assert "的导出清单锚点" in text and "记录 4 条" in text and "日志在此之前被改写" in text
    assert "结论：审计日志不可信。" in text


def test_several_agreeing_anchors_verify_and_a_restore_supersedes_the_replaced_log(tmp_path, capsys):
    from app.cli import main
    from app.exchange.export_package import MANIFEST, write_package
    from app.ledger import Ledger, restore
    from tests.app.sample_forms import births_form

    path = tmp_path / "X.db"
    with Ledger.create(path, "荷塘区人口计生局", actor="test") as ledger:
        ledger.backup("手动")
        _three_entries(ledger)
        saved = ledger.backup("手动", tmp_path / "B.db")   # a copy to a chosen file is anchored too
        write_package(ledger, "2026H1", [births_form()], tmp_path / "U盘")
    with Ledger.open(path, daily_backup=False) as ledger:   # (a backup today exists: no daily one is due)
        ledger.backup("手动")
        ledger.audit("测试", "thing", 9)
        ledger.backup("手动")
    manifest = str(tmp_path / "U盘" / MANIFEST)
    assert main(["--db", str(path), "audit-verify", "--anchor", manifest, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [a["status"] for a in document["anchors"]] == ["ok"] * 5
    restore(path, saved.path, actor="test")                 # back to 4 rows: later anchors are void
    assert main(["--db", str(path), "audit-verify", "--anchor", manifest, "--json"]) == 0
    statuses = [(a["rows"], a["status"]) for a in json.loads(capsys.readouterr().out)["anchors"]]
    # folder: the first backup, B.db, the two manual ones of the replaced log (the verifying open
    # takes no daily backup: the folder has one from today); last, the manifest
    assert statuses == [(1, "ok"), (4, "ok"), (5, "superseded"), (6, "superseded"), (4, "ok")]
    assert main(["--db", str(path), "audit-verify"]) == 0
    assert "2 个记录的是恢复备份时被替换的日志" in capsys.readouterr().out


def test_an_anchor_of_another_ledger_contradicts(ledger, tmp_path):
    from app import audit_anchors
    from app.exchange.export_package import MANIFEST, write_package
    from app.ledger import Ledger
    from tests.app.sample_forms import births_form

    with Ledger.create(tmp_path / "other.db", "别的局", actor="test") as other:
        write_package(other, "2026H1", [births_form()], tmp_path / "U盘")
    anchor = audit_anchors.read_manifest(tmp_path / "U盘" / MANIFEST)
    [check] = audit.verify_chain(ledger.db, [anchor]).contradicted
    assert check.status == audit.FOREIGN and "另一个台帐" in check.message


def test_an_unreadable_anchor_line_is_skipped_and_counted(ledger):
    from app import audit_anchors
    from app.paths import backup_dir_for

    ledger.backup("手动")
    folder = backup_dir_for(ledger.path)
    with open(folder / audit_anchors.ANCHORS_FILE, "a", encoding="utf-8") as handle:
        handle.write('{"file": "half-writ')
    found = audit_anchors.read_folder(folder)
    assert len(found.anchors) == 1 and found.unreadable == 1
    assert audit.verify_chain(ledger.db, found.anchors).ok


def test_a_manifest_without_a_head_is_refused(tmp_path):
    from app import audit_anchors
    from app.errors import UserInputError

    old = tmp_path / "manifest.json"
    old.write_text(json.dumps({"format": "x", "created_at": "2026-03-05T10:00:00+08:00"}), encoding="utf-8")
    with pytest.raises(UserInputError, match="audit_head"):
        audit_anchors.read_manifest(old)
