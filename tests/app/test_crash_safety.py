"""Killing the process mid-write loses nothing committed and leaves nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from app.ledger import Ledger

WRITER = textwrap.dedent("""
    import sys
    from app.ledger import Ledger
    ledger = Ledger.open(sys.argv[1])
    with ledger.write():
        ledger.db.execute("create table if not exists crash_test (n integer, payload text)")
        ledger.conn.executemany("insert into crash_test values (?, 'committed')", [(i,) for i in range(1000)])
    # a large write transaction that never finishes
    ledger.conn.execute("begin")
    i = 0
    while True:
        ledger.conn.executemany("insert into crash_test values (?, 'uncommitted')", [(j,) for j in range(i, i + 5000)])
        i += 5000
        if i == 50000:
            print("mid-transaction", flush=True)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_in_the_middle_of_a_large_write_transaction(tmp_path):
    path = tmp_path / "l.db"
    Ledger.create(path, "计生办").close()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True,
                            cwd=os.getcwd())
    assert proc.stdout.readline().strip() == "mid-transaction"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with Ledger.open(path) as ledger:  # the dead process's lock is reclaimed
        assert ledger.quick_check() == "ok"
        rows = dict(ledger.db.execute("select payload, count(*) from crash_test group by payload").fetchall())
    assert rows == {"committed": 1000}


COMMIT_THEN_DIE = textwrap.dedent("""
    import os, signal, sys
    from app import registry, units
    from app.ledger import Ledger
    ledger = Ledger.open(sys.argv[1], actor="clerk")
    with ledger.write("新增单位", "unit", "430202"):
        units.add(ledger.db, "430202", "荷塘区", "区县")
        units.add(ledger.db, "430202101201", "桃花村", "村", "430202")
    saved = registry.save_woman(ledger, {"id_number": sys.argv[2], "name": "王丽芳", "hukou_type": "农业",
                                         "residence": "常住", "marital_status": "未婚",
                                         "unit_code": "430202101201"})
    print(saved.id, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # no close(): the last connection never checkpoints
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_the_ledger_file_alone_holds_an_action_after_a_kill_and_a_lost_wal(tmp_path):
    """Issue 14 item 5: every committed action is checkpointed into ledger.db, so a crash
    followed by losing -wal/-shm (or copying ledger.db alone) loses nothing committed."""
    from tests.builders import make_id

    path = tmp_path / "ledger.db"
    Ledger.create(path, "计生办").close()
    number = make_id("1990-05-01")
    proc = subprocess.run([sys.executable, "-c", COMMIT_THEN_DIE, str(path), number], capture_output=True,
                          text=True, cwd=os.getcwd(), timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    woman_id = int(proc.stdout.strip())
    assert (tmp_path / "ledger.db-wal").exists()  # the crash left its WAL behind …
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"ledger.db{suffix}").unlink()  # … and it is lost
    with Ledger.open(path) as ledger:
        assert ledger.quick_check() == "ok"
        assert ledger.db.execute("select name, id_number from women where id = ?", [woman_id]).fetchone() \
            == ("王丽芳", number)
        actions = [r[0] for r in ledger.db.execute(
            "select action from audit_log where object_type = 'woman' and object_id = ?", [str(woman_id)])]
        assert len(actions) == 1
        assert ledger.db.execute("select count(*) from units").fetchone()[0] == 2
