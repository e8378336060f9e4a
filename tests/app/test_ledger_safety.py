"""Issue 14 items 5 and 7 (data safety): the ledger file alone is complete after every action,
integrity_check where quick_check is blind, backups that keep the distinct states the rotation
promises, a daily backup per place, and files readable by their owner only.

The crash half of item 5 (SIGKILL right after a commit, -wal lost) is in test_crash_safety.py.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app import backups, registry
from app.errors import UserInputError
from app.exchange.export_workbook import export_workbook
from app.exchange.workbook import ImportFailed, import_workbook
from app.ledger import Ledger, restore
from app.paths import backup_dir_for
from tests import builders as b
from tests.app.test_registry_import import UNITS, WOMEN_HEAD, woman_row, write_book

POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="POSIX modes; Windows relies on the profile ACL")


def _card(number: str) -> dict:
    return {"id_number": number, "name": "王丽芳", "hukou_type": "农业", "residence": "常住",
            "marital_status": "未婚", "unit_code": "430202101201"}


def _office(ledger) -> None:
    b.unit(ledger, "430202", "荷塘区", "区县")
    b.unit(ledger, "430202101201", "桃花村", "村", parent="430202")


def _women_in(path: Path) -> int:
    conn = backups.connect_read_only(path)
    try:
        return conn.execute("select count(*) from women").fetchone()[0]
    finally:
        conn.close()


def _automatic(ledger_path: Path, reason: str | None = None) -> list[backups.Backup]:
    return [x for x in backups.list_backups(backup_dir_for(ledger_path)) if reason in (None, x.reason)]


# ---- item 5: the ledger file alone is complete ---------------------------------------------------
def test_copying_only_the_ledger_file_while_the_program_is_open_keeps_every_action(ledger, tmp_path):
    _office(ledger)
    saved = registry.save_woman(ledger, _card(b.make_id("1990-05-01")))
    copy = tmp_path / "拷贝" / "ledger.db"
    copy.parent.mkdir()
    shutil.copyfile(ledger.path, copy)  # the program is still open: -wal and -shm stay behind
    with Ledger.open(copy) as copied:
        assert copied.db.execute("select name from women where id = ?", [saved.id]).fetchone() == ("王丽芳",)
        assert copied.db.execute("select count(*) from audit_log where object_type = 'woman' and object_id = ?",
                                 [str(saved.id)]).fetchone()[0] == 1


def test_a_reader_on_an_older_snapshot_only_delays_the_copy_to_the_next_action(ledger, tmp_path):
    reader = sqlite3.connect(ledger.path)
    reader.execute("begin")
    reader.execute("select count(*) from meta").fetchone()  # holds the snapshot before the next action
    try:
        ledger.set_setting("first", "1")
        assert ledger.checkpoint() is False  # its pages may still be read: not copied yet
    finally:
        reader.rollback()
        reader.close()
    ledger.set_setting("second", "2")  # this action's checkpoint copies both
    copy = tmp_path / "copy" / "ledger.db"
    copy.parent.mkdir()
    shutil.copyfile(ledger.path, copy)
    with Ledger.open(copy, daily_backup=False) as copied:
        assert (copied.setting("first"), copied.setting("second")) == ("1", "2")


# ---- item 5: integrity_check where quick_check is blind -------------------------------------------
def _flip_a_bit_in_an_index_page(path: Path) -> None:
    """Change one bit of a woman's ID number inside the root page of the ID number's index."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("pragma page_size").fetchone()[0]
    root = conn.execute("select rootpage from sqlite_master where type = 'index'"
                        " and name = 'sqlite_autoindex_women_1'").fetchone()[0]
    number = conn.execute("select id_number from women").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    at = start + bytes(data[start:start + page_size]).index(number.encode()) + 10  # a digit of the birth date
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def _ledger_with_a_card(path: Path) -> None:
    with Ledger.create(path, "计生办") as ledger:
        _office(ledger)
        registry.save_woman(ledger, _card(b.make_id("1990-05-01")))


def test_a_bit_flip_in_an_index_page_passes_quick_check_and_is_refused_by_backup_verification(tmp_path):
    from app import integrity

    path = tmp_path / "l.db"
    _ledger_with_a_card(path)
    damaged = tmp_path / "拷贝" / "l.db"
    damaged.parent.mkdir()
    shutil.copyfile(path, damaged)
    _flip_a_bit_in_an_index_page(damaged)
    conn = backups.connect_read_only(damaged)
    try:
        assert conn.execute("pragma quick_check").fetchone()[0] == "ok"
        assert conn.execute("pragma integrity_check").fetchone()[0] != "ok"
    finally:
        conn.close()
    assert backups.verify_file(damaged) is None  # the check at open is blind to it …
    assert "完整性检查" in backups.verify_file(damaged, thorough=True)  # … a backup's is not
    with pytest.raises(UserInputError, match="不能用于恢复"):
        restore(path, damaged)
    with Ledger.open(damaged) as opened:  # opening (and its daily backup) checks quickly only
        with pytest.raises(backups.BackupRefused, match="完整性检查"):
            opened.backup("手动")
        assert [x.reason for x in _automatic(damaged)] == ["每日"]  # the damaged copy got no name
        assert not integrity.last(opened.db).ok  # the refused backup was recorded as the check
        outcome = integrity.run(opened)
        assert not outcome.ok and "sqlite_autoindex_women_1" in outcome.result
    with Ledger.open(path, daily_backup=False) as good:
        assert integrity.run(good).ok


def test_every_verified_backup_counts_as_a_check_and_the_weekly_check_falls_due(ledger):
    from app import integrity

    assert integrity.last(ledger.db) is None and integrity.due(ledger.db)
    made = ledger.backup("手动")
    outcome = integrity.last(ledger.db)
    assert outcome.ok and outcome.at == made.taken_at.replace(microsecond=0)
    assert not integrity.due(ledger.db, outcome.at + timedelta(days=6))
    later = outcome.at + timedelta(days=7)
    assert integrity.due(ledger.db, later)
    assert integrity.run(ledger, later).ok
    assert not integrity.due(ledger.db, later + timedelta(hours=1))


def test_the_idle_check_stops_when_asked_and_records_nothing(ledger, monkeypatch):
    from app import integrity

    monkeypatch.setattr(integrity, "STOP_POLL_STEPS", 1)  # an empty ledger is checked in a few steps
    with pytest.raises(integrity.CheckStopped):
        integrity.run(ledger, should_stop=lambda: True)
    assert integrity.last(ledger.db) is None


# ---- item 7: refused imports, distinct states, a daily backup per place ---------------------------
def _good_book(tmp_path: Path, name: str = "good.xlsx") -> Path:
    return write_book(tmp_path / name, {"单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(b.make_id("1990-05-01"))]})


def _refused_book(tmp_path: Path, name: str) -> Path:
    """Parses, has every column, and is refused by the row checks inside the transaction."""
    return write_book(tmp_path / name, {"单位": UNITS, "育龄妇女": [
        WOMEN_HEAD, woman_row(b.make_id("1991-01-01"), "赵敏", 户口性质="城市")]})


def test_an_import_refused_by_its_row_checks_or_cancelled_deletes_its_backup(ledger, tmp_path):
    with pytest.raises(ImportFailed):
        import_workbook(ledger, _refused_book(tmp_path, "bad.xlsx"))
    assert _automatic(ledger.path, "导入前") == []
    many = write_book(tmp_path / "many.xlsx", {"单位": UNITS, "育龄妇女": [
        WOMEN_HEAD, *[woman_row(b.make_id("1985-01-01")) for _ in range(600)]]})
    with pytest.raises(UserInputError, match="取消"):
        import_workbook(ledger, many, progress=lambda *_: False)
    assert _automatic(ledger.path, "导入前") == []
    assert ledger.last_backup is None
    import_workbook(ledger, _good_book(tmp_path))
    assert len(_automatic(ledger.path, "导入前")) == 1
    assert Path(f"{ledger.path}-wal").stat().st_size == 0  # a bulk import empties the WAL


def test_a_refused_attendance_import_deletes_its_backup(ledger, tmp_path):
    from app.attendance import importer
    from tests.attendance_builders import add_person

    add_person(ledger, "011", "张三")
    path = tmp_path / "kq.csv"
    path.write_bytes("工号,姓名,打卡时间\r\n099,王五,2026-03-02 08:00".encode("gbk"))
    with pytest.raises(ImportFailed, match="不在人员名单中"):
        importer.import_file(ledger, path)
    assert _automatic(ledger.path, "导入前") == []
    path.write_bytes("工号,姓名,打卡时间\r\n011,张三,2026-03-02 08:00".encode("gbk"))
    importer.import_file(ledger, path)
    assert len(_automatic(ledger.path, "导入前")) == 1


@pytest.fixture
def minutes_apart(monkeypatch):
    """Each backup is taken a minute after the one before, all on one day (in real use they are
    minutes apart; within one second their numbers order them)."""
    ticks = iter(range(1000))

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2026, 5, 1, 8, 0, 0) + timedelta(minutes=next(ticks))

    monkeypatch.setattr(backups, "datetime", Clock)


def test_three_refused_imports_in_a_day_keep_the_state_before_the_days_good_import(tmp_path, minutes_apart):
    path = tmp_path / "l.db"
    Ledger.create(path, "计生办").close()
    with Ledger.open(path) as ledger:  # the day's first open: the daily backup of the empty ledger
        import_workbook(ledger, _good_book(tmp_path))
        for i in range(3):
            with pytest.raises(ImportFailed):
                import_workbook(ledger, _refused_book(tmp_path, f"bad{i}.xlsx"))
        assert ledger.db.execute("select count(*) from women").fetchone()[0] == 1
    assert 0 in {_women_in(x.path) for x in _automatic(path)}


def test_backups_of_one_state_never_push_an_older_state_out(ledger):
    first = ledger.backup("手动")
    ledger.set_setting("marker", "later")
    later = [ledger.backup("手动") for _ in range(4)]  # four copies of one state
    kept = {x.path for x in _automatic(ledger.path)}
    assert kept == {first.path, later[-1].path}  # the older state stays; the extra copies go
    conn = backups.connect_read_only(first.path)
    try:
        assert conn.execute("select value from meta where key = 'marker'").fetchone() is None
    finally:
        conn.close()


def test_rotation_keeps_the_three_newest_distinct_states():
    stamp = datetime(2026, 5, 1, 9, 0, 0)
    made = [backups.Backup(Path(f"/b/l-{stamp + timedelta(minutes=i):%Y%m%d-%H%M%S}-手动.db"),
                           stamp + timedelta(minutes=i), "手动") for i in range(8)]
    newest_first = list(reversed(made))
    state = {m.path: s for m, s in zip(made, "AABBBCCC", strict=True)}
    kept = backups.to_keep(newest_first, state=state.__getitem__)
    assert {state[p] for p in kept} == {"A", "B", "C"}
    assert kept == {made[1].path, made[4].path, made[7].path}  # the newest backup of each


def test_a_ledger_copied_elsewhere_takes_its_own_daily_backup(tmp_path):
    path = tmp_path / "办公室" / "l.db"
    path.parent.mkdir()
    Ledger.create(path, "计生办").close()
    Ledger.open(path).close()
    assert len(_automatic(path, "每日")) == 1
    copy = tmp_path / "U盘" / "l.db"
    copy.parent.mkdir()
    shutil.copyfile(path, copy)  # the same day: its meta says today's backup was taken
    Ledger.open(copy).close()
    Ledger.open(copy).close()
    assert len(_automatic(copy, "每日")) == 1
    assert len(_automatic(path, "每日")) == 1


# ---- item 7: readable by the owner only ------------------------------------------------------------
@pytest.fixture
def wide_umask():
    """The usual desktop umask (022), so nothing below passes because of a stricter one."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@POSIX_ONLY
def test_the_ledger_its_backups_and_exports_are_readable_by_the_owner_only(tmp_path, wide_umask):
    path = tmp_path / "l.db"
    Ledger.create(path, "计生办").close()
    with Ledger.open(path) as ledger:  # the daily backup
        _office(ledger)
        import_workbook(ledger, _good_book(tmp_path))  # the 导入前 backup
        side_files = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}.lock")]
        assert all(p.exists() for p in side_files)
        modes = {p.name: p.stat().st_mode for p in side_files}
        manual = ledger.backup("手动")
        to_file = ledger.backup("手动", tmp_path / "给区里的拷贝.db").path
        export_workbook(ledger, tmp_path / "导出.xlsx")
    safety = restore(path, manual.path)
    for made in [*(x.path for x in _automatic(path)), to_file, safety, tmp_path / "导出.xlsx", path]:
        modes[made.name] = made.stat().st_mode
    assert {"每日", "导入前", "手动", "恢复前"} <= {x.reason for x in _automatic(path)}
    assert {name: oct(mode & 0o777) for name, mode in modes.items() if mode & 0o077} == {}
    assert backup_dir_for(path).stat().st_mode & 0o077 == 0


@POSIX_ONLY
def test_an_export_package_is_readable_by_the_owner_only(ledger, tmp_path, wide_umask):
    from app.exchange.export_package import write_package
    from tests.app.sample_forms import births_form

    out = tmp_path / "stick"
    write_package(ledger, "2026H1", [births_form()], out)
    files = list(out.iterdir())
    assert files and {f.name: oct(f.stat().st_mode & 0o777) for f in files if f.stat().st_mode & 0o077} == {}


@POSIX_ONLY
def test_a_world_readable_ledger_is_narrowed_to_its_owner_when_opened(tmp_path, wide_umask):
    path = tmp_path / "l.db"
    Ledger.create(path, "计生办").close()
    os.chmod(path, 0o644)  # made by an earlier version
    with Ledger.open(path) as ledger:
        ledger.set_setting("x", "1")
        for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert name.stat().st_mode & 0o077 == 0, name
