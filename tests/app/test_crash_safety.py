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
