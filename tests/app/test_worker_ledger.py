"""Ledger.worker() / Ledger.reader(): a background task's own connection that never owns the lock."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

from app.accounts import STAFF, User


def _locked_for_another_process(path) -> bool:
    result = subprocess.run([sys.executable, "-m", "app", "check", "--db", str(path)], capture_output=True,
                            text=True, encoding="utf-8", env=dict(os.environ, PYTHONUTF8="1"), timeout=120)
    return result.returncode == 3


def test_a_worker_has_its_own_connection_the_same_user_and_full_sync(ledger):
    ledger.user = User(7, "li", "李丽", STAFF)
    with ledger.worker() as view:
        assert view.conn is not ledger.conn
        assert view.user == ledger.user and view.actor_name == "li"
        assert view.conn.execute("pragma synchronous").fetchone()[0] == 2  # FULL
        with view.write("测试写入", "test", 1):
            pass
    with pytest.raises(sqlite3.ProgrammingError):       # closed on leaving the with
        view.conn.execute("select 1")
    assert ledger.db.execute("select user from audit_log where action = '测试写入'").fetchone() == ("li",)


def test_closing_a_worker_never_releases_the_ledgers_lock(ledger):
    with ledger.worker() as view:
        view.close()                       # what worker_ledger's callers had to avoid
    assert _locked_for_another_process(ledger.path)
    assert ledger.conn.execute("select 1").fetchone() == (1,)


def test_a_reader_refuses_writes(ledger):
    with ledger.reader() as view:
        assert view.db.execute("select count(*) from audit_log").fetchone()[0] >= 1
        with pytest.raises(sqlite3.OperationalError):
            view.db.execute("insert into meta (key, value) values ('x', 'y')")
