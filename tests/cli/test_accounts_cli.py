"""The command line logs in (INTERFACES.md §2): `--user`, FPLEDGER_PASSWORD, exit 4, `users add|list`,
the same role table as the window, and an audit log that names the person."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from openpyxl import Workbook

from app.accounts import ADMIN, DEPUTY, DIRECTOR, PERMISSIONS, ROLES, SECTION_HEAD, STAFF

PASSWORD = "pass-2026"
LOGIN_NAMES = {ADMIN: "admin", DIRECTOR: "zhang", DEPUTY: "wang", SECTION_HEAD: "li", STAFF: "zhao"}


def fpledger(*args: str, password: str | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUTF8="1")
    env.pop("FPLEDGER_PASSWORD", None)
    if password is not None:
        env["FPLEDGER_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=120, input=stdin or "")


def audit_rows(db) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("select user, action from audit_log order by id").fetchall()


@pytest.fixture
def fresh(tmp_path):
    db = tmp_path / "L.db"
    assert fpledger("init", "--db", str(db)).returncode == 0
    return db


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A ledger with one account per role (all with PASSWORD) and a one-row units workbook."""
    folder = tmp_path_factory.mktemp("office")
    db = folder / "L.db"
    assert fpledger("init", "--db", str(db)).returncode == 0
    first = fpledger("users", "add", "admin", "--role", ADMIN, "--password-stdin", "--db", str(db), stdin=PASSWORD + "\n")
    assert first.returncode == 0, first.stderr
    for role, name in LOGIN_NAMES.items():
        if role != ADMIN:
            added = fpledger("--user", "admin", "users", "add", name, "--role", role, "--full-name", f"{name}同志",
                             "--password-stdin", "--db", str(db), password=PASSWORD, stdin=PASSWORD + "\n")
            assert added.returncode == 0, added.stderr
    book = Workbook()
    sheet = book.active
    sheet.title = "单位"
    sheet.append(["单位代码*", "单位名称*", "单位类型*", "上级单位代码"])
    sheet.append(["430202", "荷塘区", "区县", None])
    book.save(folder / "units.xlsx")
    return db, folder


def test_a_ledger_without_accounts_needs_no_login_and_refuses_a_user_it_cannot_check(fresh):
    assert fpledger("check", "--db", str(fresh)).returncode == 0
    refused = fpledger("check", "--db", str(fresh), "--user", "admin", password=PASSWORD)
    assert refused.returncode == 4 and "还没有用户账户" in refused.stderr


def test_the_first_account_must_be_an_administrator_and_needs_no_login(fresh):
    staff = fpledger("users", "add", "li", "--role", STAFF, "--password-stdin", "--db", str(fresh), stdin=PASSWORD + "\n")
    assert staff.returncode == 2 and "第一个账户必须是管理员" in staff.stderr
    admin = fpledger("users", "add", "admin", "--role", ADMIN, "--full-name", "王主任", "--password-stdin",
                     "--db", str(fresh), "--json", stdin=PASSWORD + "\n")
    assert admin.returncode == 0, admin.stderr
    assert json.loads(admin.stdout)["role"] == ADMIN
    later = fpledger("users", "add", "li", "--role", STAFF, "--password-stdin", "--db", str(fresh), stdin=PASSWORD + "\n")
    assert later.returncode == 4 and "--user" in later.stderr   # later accounts need a 管理员 signed in


def test_once_a_ledger_has_accounts_every_command_needs_a_login(office):
    db, _folder = office
    for command in (["check"], ["report", "2026H1"], ["audit-verify"], ["users", "list"], ["backup", "x.db"]):
        result = fpledger(*command, "--db", str(db), "--json")
        assert result.returncode == 4, (command, result.stderr)
        document = json.loads(result.stdout)
        assert document["ok"] is False and document["exit_code"] == 4 and "--user" in document["error"]
    assert fpledger("template", str(db.parent / "t.xlsx")).returncode == 0   # no ledger, no login
    assert fpledger("--version").returncode == 0


def test_the_password_comes_from_the_environment_and_a_wrong_one_is_refused(office):
    db, _folder = office
    assert fpledger("--user", "zhao", "check", "--db", str(db), password="wrong-one").returncode == 4
    assert fpledger("check", "--db", str(db), "--user", "zhao", password=PASSWORD).returncode == 0
    assert fpledger("check", "--db", str(db), "--user", "nobody", password=PASSWORD).returncode == 4


def test_the_audit_log_names_the_person_who_acted_on_the_command_line(office):
    db, _folder = office
    assert fpledger("report", "2026H1", "--db", str(db), "--user", "wang", password=PASSWORD).returncode == 0
    rows = audit_rows(db)
    assert ("wang（命令行）", "登录") in rows and ("wang（命令行）", "查看统计报表") in rows
    assert ("admin（命令行）", "创建用户") in rows
    assert not any(user.startswith("cli:") and action == "查看统计报表" for user, action in rows[-3:])


# command, the permission the core decides it by
ROLE_COMMANDS = [
    (["reopen", "2026H1", "--reason", "更正"], "reopen_period"),
    (["users", "list"], "manage_users"),
    (["export-workbook", "{folder}/all.xlsx"], "unmask_personal_data"),
    (["backup", "{folder}/copy-{name}.db"], "backup_restore"),
    (["import", "{folder}/units.xlsx"], "import_workbook"),
    (["targets", "2026", "--unit", "430202", "--births", "10"], "manage_settings"),
]


@pytest.mark.parametrize("role", ROLES)
def test_the_role_table_holds_through_user(office, role):
    db, folder = office
    name = LOGIN_NAMES[role]
    for command, permission in ROLE_COMMANDS:
        argv = [part.format(folder=folder, name=name) for part in command]
        result = fpledger(*argv, "--db", str(db), "--user", name, password=PASSWORD)
        allowed = role in PERMISSIONS[permission]
        assert (result.returncode != 4) == allowed, (role, argv, result.returncode, result.stderr)
        if not allowed:
            assert "无权" in result.stderr


def test_five_wrong_passwords_lock_the_account_on_the_command_line_too(fresh):
    assert fpledger("users", "add", "admin", "--role", ADMIN, "--password-stdin", "--db", str(fresh),
                    stdin=PASSWORD + "\n").returncode == 0
    for _ in range(5):
        assert fpledger("check", "--db", str(fresh), "--user", "admin", password="wrong-one").returncode == 4
    locked = fpledger("check", "--db", str(fresh), "--user", "admin", password=PASSWORD)
    assert locked.returncode == 4 and "锁定" in locked.stderr
    assert [action for _user, action in audit_rows(fresh)].count("登录失败") == 6


def test_restore_over_a_damaged_ledger_asks_the_backups_accounts(fresh, tmp_path):
    assert fpledger("users", "add", "admin", "--role", ADMIN, "--password-stdin", "--db", str(fresh),
                    stdin=PASSWORD + "\n").returncode == 0
    backup = tmp_path / "B.db"
    assert fpledger("backup", str(backup), "--db", str(fresh), "--user", "admin", password=PASSWORD).returncode == 0
    fresh.write_bytes(b"not a ledger any more" * 100)
    for suffix in ("-wal", "-shm"):
        (fresh.parent / (fresh.name + suffix)).unlink(missing_ok=True)
    assert fpledger("restore", str(backup), "--db", str(fresh)).returncode == 4
    assert fpledger("restore", str(backup), "--db", str(fresh), "--user", "admin", password="wrong-one").returncode == 4
    done = fpledger("restore", str(backup), "--db", str(fresh), "--user", "admin", password=PASSWORD)
    assert done.returncode == 0, done.stderr
    assert audit_rows(fresh)[-1] == ("admin（命令行）", "恢复台帐")
