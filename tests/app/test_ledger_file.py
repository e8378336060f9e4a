"""The ledger file: WAL, schema versions, damage detection, backups, restore, network paths."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta

import pytest

from app import backups, migrations
from app.errors import LedgerDamaged, LedgerLocked, LedgerTooNew, NetworkPathRefused
from app.ledger import Ledger, restore
from app.locking import network_reason
from app.paths import backup_dir_for


def test_new_ledger_uses_wal_full_sync_foreign_keys_and_our_application_id(ledger):
    assert ledger.conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert ledger.conn.execute("pragma synchronous").fetchone()[0] == 2  # FULL
    assert ledger.conn.execute("pragma foreign_keys").fetchone()[0] == 1
    assert ledger.conn.execute("pragma application_id").fetchone()[0] == backups.APPLICATION_ID
    assert ledger.conn.execute("pragma page_size").fetchone()[0] == 8192
    assert migrations.applied(ledger.db) == sorted(m.name for m in migrations.MIGRATIONS)
    assert ledger.office_name == "荷塘区人口计生局"
    assert ledger.stat_year_start == 10


def test_a_ledger_written_by_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Ledger.create(path, "计生办").close()
    conn = sqlite3.connect(path)
    conn.execute("insert into _migrations values ('9999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(LedgerTooNew, match="更新版本"):
        Ledger.open(path)


def test_second_instance_is_refused_naming_the_holder(tmp_path):
    path = tmp_path / "l.db"
    first = Ledger.create(path, "计生办")
    try:
        with pytest.raises(LedgerLocked) as caught:
            Ledger.open(path)
        assert "计算机" in str(caught.value) and "进程" in str(caught.value)
    finally:
        first.close()
    Ledger.open(path).close()  # released on close


def test_damaged_file_is_detected_at_open_and_restore_brings_it_back(tmp_path):
    path = tmp_path / "l.db"
    with Ledger.create(path, "计生办") as ledger:
        ledger.set_setting("marker", "before-damage")
        good = ledger.backup("手动")
    with open(path, "r+b") as handle:  # overwrite the middle of the file with garbage
        handle.seek(0)
        handle.write(b"this is not a database any more" * 200)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"l.db{suffix}").unlink(missing_ok=True)
    with pytest.raises(LedgerDamaged) as caught:
        Ledger.open(path)
    assert caught.value.backup == str(good.path)
    restore(path, caught.value.backup)
    with Ledger.open(path) as ledger:
        assert ledger.setting("marker") == "before-damage"
        assert ledger.quick_check() == "ok"


def test_restore_keeps_a_safety_copy_of_the_replaced_ledger(tmp_path):
    path = tmp_path / "l.db"
    with Ledger.create(path, "计生办") as ledger:
        ledger.backup(dest=tmp_path / "b.db")
        ledger.set_setting("marker", "after-backup")
    safety = restore(path, tmp_path / "b.db")
    with Ledger.open(path) as ledger:
        assert ledger.setting("marker") is None
    assert backups.verify_file(safety) is None
    conn = sqlite3.connect(safety)
    assert conn.execute("select value from meta where key='marker'").fetchone()[0] == "after-backup"
    conn.close()


def test_restore_refuses_a_file_that_is_not_a_ledger(tmp_path):
    path = tmp_path / "l.db"
    Ledger.create(path, "计生办").close()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"hello")
    with pytest.raises(Exception, match="不能用于恢复"):
        restore(path, junk)


def test_first_open_of_the_day_makes_a_verified_backup(tmp_path):
    path = tmp_path / "l.db"
    Ledger.create(path, "计生办").close()
    Ledger.open(path).close()
    Ledger.open(path).close()
    daily = [b for b in backups.list_backups(backup_dir_for(path)) if b.reason == "每日"]
    assert len(daily) == 1
    assert backups.verify_file(daily[0].path) is None


def test_rotation_keeps_seven_daily_four_weekly_twelve_monthly(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    start = datetime(2026, 11, 29, 9, 0, 0)
    for day in range(400):  # one backup a day for 400 days, newest first at index 0
        stamp = start - timedelta(days=day)
        (folder / f"l-{stamp:%Y%m%d-%H%M%S}-每日.db").write_bytes(b"x")
    backups.rotate(folder)
    kept = backups.list_backups(folder)
    days = {b.taken_at.date() for b in kept}
    # the 7 newest days
    assert all((start - timedelta(days=d)).date() in days for d in range(7))
    # one per ISO week for the 4 newest weeks, one per month for the 12 newest months
    assert len({b.taken_at.isocalendar()[:2] for b in kept}) >= 4
    months = {(b.taken_at.year, b.taken_at.month) for b in kept}
    assert len(months) == 12
    assert min(months) == (2025, 12)
    assert len(kept) <= 7 + 4 + 12


def test_rotation_never_touches_other_files(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    backups.rotate(folder)
    assert (folder / "notes.txt").exists()


@pytest.mark.parametrize("path", [r"\\server\share\ledger.db", "//server/share/ledger.db"])
def test_unc_paths_are_refused(path):
    assert "UNC" in network_reason(path)
    with pytest.raises(NetworkPathRefused, match="网络"):
        Ledger.open(path)


def test_nfs_and_cifs_mounts_are_refused_and_local_disks_accepted():
    mounts = "/dev/sda1 / ext4 rw 0 0\nserver:/x /mnt/office nfs4 rw 0 0\n//s/x /mnt/smb cifs rw 0 0\n"
    assert "nfs4" in network_reason("/mnt/office/ledger.db", mounts)
    assert "cifs" in network_reason("/mnt/smb/a/ledger.db", mounts)
    assert network_reason("/home/clerk/ledger.db", mounts) is None
    assert network_reason("/mnt/officex/ledger.db", mounts) is None


def test_the_lock_file_names_the_current_holder_not_an_earlier_one(tmp_path):
    import json

    from app.locking import LedgerLock

    path = tmp_path / "l.db"
    for _ in range(3):
        lock = LedgerLock(path)
        lock.acquire()
        lock.release()
    lock = LedgerLock(path)
    lock.acquire()
    try:
        raw = lock.path.read_bytes()
        assert len(raw) == 4096
        assert json.loads(raw.decode("utf-8"))["pid"] == os.getpid()
    finally:
        lock.release()


def test_backup_and_restore_work_in_folders_whose_names_look_like_uri_parts(tmp_path):
    folder = tmp_path / "计生办 #2 100%"
    folder.mkdir()
    path = folder / "l.db"
    with Ledger.create(path, "计生办") as ledger:
        ledger.backup(dest=folder / "b.db")
        ledger.set_setting("marker", "after")
    assert backups.verify_file(folder / "b.db") is None
    restore(path, folder / "b.db")
    with Ledger.open(path) as ledger:
        assert ledger.setting("marker") is None
