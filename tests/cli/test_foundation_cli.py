"""`fpledger` foundation commands end to end, in a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from app import __version__
from app.ledger import Ledger


def fpledger(*args: str, cwd=None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUTF8="1")
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env=env, timeout=120)


def test_version():
    result = fpledger("--version")
    assert result.returncode == 0 and __version__ in result.stdout


def test_init_backup_restore_round(tmp_path):
    db, backup = tmp_path / "X.db", tmp_path / "B.db"
    result = fpledger("--db", str(db), "init", "--office", "荷塘区人口计生局", "--stat-year-start", "10")
    assert result.returncode == 0, result.stderr
    assert "荷塘区人口计生局" in result.stdout
    assert fpledger("--db", str(db), "backup", str(backup)).returncode == 0
    with Ledger.open(db) as ledger:
        ledger.set_setting("marker", "after")
    result = fpledger("restore", str(backup), "--db", str(db), "--json")  # --db after the command
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["restored_from"] == str(backup)
    with Ledger.open(db) as ledger:
        assert ledger.setting("marker") is None
        assert ledger.office_name == "荷塘区人口计生局"


def test_init_refuses_an_existing_file_and_a_bad_month(tmp_path):
    db = tmp_path / "X.db"
    assert fpledger("--db", str(db), "init").returncode == 0
    assert fpledger("--db", str(db), "init").returncode == 2
    assert fpledger("--db", str(tmp_path / "Y.db"), "init", "--stat-year-start", "13").returncode == 2


def test_second_writer_exits_3_naming_the_holder(tmp_path):
    db = tmp_path / "X.db"
    assert fpledger("--db", str(db), "init").returncode == 0
    with Ledger.open(db):
        result = fpledger("--db", str(db), "backup", str(tmp_path / "B.db"))
    assert result.returncode == 3
    assert "计算机" in result.stderr and "用户" in result.stderr and "进程" in result.stderr


def test_missing_ledger_and_unknown_command_exit_2(tmp_path):
    assert fpledger("--db", str(tmp_path / "none.db"), "backup", "b.db").returncode == 2
    assert fpledger("no-such-command").returncode == 2


def test_audit_verify_reports_the_chain(tmp_path):
    db = tmp_path / "X.db"
    fpledger("--db", str(db), "init")
    result = fpledger("audit-verify", "--db", str(db), "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["ok"] is True


def test_audit_verify_calls_an_emptied_log_broken(tmp_path):
    import sqlite3

    db = tmp_path / "X.db"
    fpledger("--db", str(db), "init")
    conn = sqlite3.connect(db)
    conn.execute("drop trigger audit_log_no_delete")  # as an attacker with the file would
    conn.execute("delete from audit_log")
    conn.commit()
    conn.close()
    result = fpledger("audit-verify", "--db", str(db))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "审计日志是空的" in result.stdout and "完好，共 0 条" not in result.stdout
