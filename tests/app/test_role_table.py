"""The core decides: every role × every permission-bearing core function is allowed or refused
exactly as the one role table (app.accounts.PERMISSIONS) says — no window involved.

A call is *refused* when it raises PermissionDenied; anything else (success, or a refusal of
the dummy arguments after the check passed) means the role was let through. The arguments are
chosen so that an allowed call stays cheap; a refused one must be refused before it reads them.
"""

from __future__ import annotations

import ast
import itertools
from datetime import date, datetime
from pathlib import Path

import pytest

from app import (
    accounts,
    audit_log,
    demo,
    registry,
    reports_desk,
    rewards,
    rewards_forms,
    safekeeping,
    targets,
    units,
)
from app.accounts import PERMISSIONS, ROLES, User
from app.analysis import save_draft
from app.attendance import (
    calendar,
    importer,
    posting,
    posting_form,
    punches,
    schedules,
    staff,
    trips,
)
from app.casework import certificates, registrations
from app.closing import close_period, reopen_period, set_files
from app.district import consolidate
from app.errors import PermissionDenied
from app.exchange.export_package import write_package
from app.exchange.export_workbook import export_workbook
from app.exchange.table_export import export_rows
from app.exchange.workbook import import_workbook
from app.periods import Period
from app.reconcile import decisions, manual
from app.reconcile.report import export_report
from app.reconcile.run import save_results
from app.reconcile.survey import import_survey
from app.roster import printing, results, rounds, summary_form

APP = Path(__file__).resolve().parents[2] / "app"
DAY = date(2026, 1, 5)
MOMENT = datetime(2026, 1, 5, 9, 0)
_numbers = itertools.count(1)


def _restore_on_a_view(ledger, tmp):
    with ledger.worker() as view:   # restore_open_ledger closes what it is given
        return safekeeping.restore_open_ledger(view, tmp / "missing-backup.db")


# (the core function, the permission the table must decide it by, how to call it)
CASES = [
    ("registry.save_woman", "edit_registry", lambda lg, tmp: registry.save_woman(lg, {})),
    ("registry.exit_card", "edit_registry", lambda lg, tmp: registry.exit_card(lg, 999, "超龄", DAY)),
    ("registry.restore_card", "edit_registry", lambda lg, tmp: registry.restore_card(lg, 999)),
    ("registry.bulk_exit_over_age", "edit_registry", lambda lg, tmp: registry.bulk_exit_over_age(lg, DAY)),
    ("registry.add_child", "edit_registry", lambda lg, tmp: registry.add_child(lg, 999, {})),
    ("registry.update_child", "edit_registry", lambda lg, tmp: registry.update_child(lg, 999, {})),
    ("registry.add_measure", "edit_registry", lambda lg, tmp: registry.add_measure(lg, 999, "女扎", DAY)),
    ("registry.end_measure", "edit_registry", lambda lg, tmp: registry.end_measure(lg, 999, DAY)),
    ("registry.record_procedure", "edit_registry", lambda lg, tmp: registry.record_procedure(lg, 999, "上环", DAY)),
    ("registry.reveal", "unmask_personal_data", lambda lg, tmp: registry.reveal(lg, 999)),
    ("reports_desk.save_base", "edit_registry", lambda lg, tmp: reports_desk.save_base(lg, Period.parse("2026H1", 10), {})),
    ("decisions.decide", "edit_registry", lambda lg, tmp: decisions.decide(lg, 999, 2, "x")),
    ("decisions.add_unreported", "edit_registry", lambda lg, tmp: decisions.add_unreported(lg, 999, 2)),
    ("decisions.correct_misreport", "edit_registry", lambda lg, tmp: decisions.correct_misreport(lg, 999, 2, 1, [])),
    ("manual.set_manual", "edit_registry", lambda lg, tmp: manual.set_manual(lg, "nope", "2026H1", "x", 1)),
    ("run.save_results", "import_workbook", lambda lg, tmp: save_results(lg, None)),
    ("survey.import_survey", "import_workbook", lambda lg, tmp: import_survey(lg, tmp / "none.xlsx", "2026H1")),
    ("report.export_report", "export_forms", lambda lg, tmp: export_report(lg, None, tmp)),
    ("workbook.import_workbook", "import_workbook", lambda lg, tmp: import_workbook(lg, tmp / "none.xlsx")),
    ("export_workbook.export_workbook", "unmask_personal_data", lambda lg, tmp: export_workbook(lg, tmp / "x.txt")),
    ("export_package.write_package", "export_forms", lambda lg, tmp: write_package(lg, "bad", [], tmp / "out")),
    ("table_export.export_rows", "export_forms", lambda lg, tmp: export_rows(lg, tmp / "x.xlsx", ["a"], [], "test")),
    ("analysis.save_draft", "export_forms", lambda lg, tmp: save_draft(lg, "bad", "x", tmp / "x.txt")),
    ("demo.generate", "import_workbook", lambda lg, tmp: demo.generate(lg)),
    ("closing.close_period", "close_period", lambda lg, tmp: close_period(lg, "bad")),
    ("closing.reopen_period", "reopen_period", lambda lg, tmp: reopen_period(lg, "bad", "x")),
    ("closing.set_files", "close_period", lambda lg, tmp: set_files(lg, "bad", {})),
    ("targets.set_target", "manage_settings", lambda lg, tmp: targets.set_target(lg, "bad", "nope")),
    ("Ledger.set_setting", "manage_settings", lambda lg, tmp: lg.set_setting("test_only", "1")),
    ("units.add_unit", "manage_units", lambda lg, tmp: units.add_unit(lg, "", "", "村")),
    ("units.add_units", "manage_units", lambda lg, tmp: units.add_units(lg, [("", "", "村", None)])),
    ("units.rename_unit", "manage_units", lambda lg, tmp: units.rename_unit(lg, "nope", "x", DAY)),
    ("units.move_unit", "manage_units", lambda lg, tmp: units.move_unit(lg, "nope", "nope", DAY)),
    ("units.merge_unit", "manage_units", lambda lg, tmp: units.merge_unit(lg, "nope", "nope", DAY)),
    ("units.split_unit", "manage_units", lambda lg, tmp: units.split_unit(lg, "nope", [], DAY)),
    ("accounts.account_rows", "manage_users", lambda lg, tmp: accounts.account_rows(lg)),
    ("accounts.add_account", "manage_users", lambda lg, tmp: accounts.add_account(lg, "new", "", accounts.STAFF, "1")),
    ("accounts.reset_account_password", "manage_users", lambda lg, tmp: accounts.reset_account_password(lg, "nope", "1")),
    ("accounts.set_account_active", "manage_users", lambda lg, tmp: accounts.set_account_active(lg, "nope", True)),
    ("safekeeping.back_up", "backup_restore", lambda lg, tmp: safekeeping.back_up(lg, tmp / f"b{next(_numbers)}.db")),
    ("safekeeping.restore_open_ledger", "backup_restore", _restore_on_a_view),
    ("audit_log.browse", "view_audit_log", lambda lg, tmp: audit_log.browse(lg)),
    ("audit_log.export", "view_audit_log", lambda lg, tmp: audit_log.export(lg, tmp / "x.txt")),
    ("rounds.create", "edit_registry", lambda lg, tmp: rounds.create(lg, "bad")),
    ("rounds.close", "close_period", lambda lg, tmp: rounds.close(lg, "bad")),
    ("rounds.reopen", "close_period", lambda lg, tmp: rounds.reopen(lg, "bad", "x")),
    ("results.record", "edit_registry", lambda lg, tmp: results.record(lg, "bad", 999, None)),
    ("results.bulk_checked", "edit_registry", lambda lg, tmp: results.bulk_checked(lg, "bad", [], DAY)),
    ("registrations.register_birth", "edit_registry", lambda lg, tmp: registrations.register_birth(lg, 999, 1)),
    ("registrations.link", "edit_registry", lambda lg, tmp: registrations.link(lg, 999, 999)),
    ("registrations.add_child_registered", "edit_registry",
     lambda lg, tmp: registrations.add_child_registered(lg, 999, {}, None)),
    ("registrations.print_service_sheet", "edit_registry",
     lambda lg, tmp: registrations.print_service_sheet(lg, 999, tmp / "x.pdf")),
    ("registrations.view_period", "view_registry", lambda lg, tmp: registrations.view_period(lg, "bad")),
    ("certificates.issue", "issue_certificates",
     lambda lg, tmp: certificates.issue(lg, 999, certificates.MARRIAGE_BIRTH, "x")),
    ("certificates.print_letter", "issue_certificates", lambda lg, tmp: certificates.print_letter(lg, 999, tmp / "x.pdf")),
    ("rewards.view", "view_registry", lambda lg, tmp: rewards.view(lg, 0)),
    ("rewards_forms.export", "export_forms", lambda lg, tmp: rewards_forms.export(lg, 0, tmp / "rw")),
    ("results.set_exempt", "edit_registry", lambda lg, tmp: results.set_exempt(lg, 999, None)),
    ("printing.write_all", "export_forms", lambda lg, tmp: printing.write_all(lg, None, tmp)),
    ("summary_form.export", "export_forms", lambda lg, tmp: summary_form.export(lg, None, None, tmp)),
    ("calendar.set_day", "manage_attendance", lambda lg, tmp: calendar.set_day(lg, DAY, "bad")),
    ("calendar.clear_day", "manage_attendance", lambda lg, tmp: calendar.clear_day(lg, date(1990, 1, 1))),
    ("calendar.seed_year", "manage_attendance", lambda lg, tmp: calendar.seed_year(lg, 1990)),
    ("punches.roll_call_mark", "manage_attendance", lambda lg, tmp: punches.roll_call_mark(lg, 999, MOMENT)),
    ("punches.roll_call_unmark", "manage_attendance", lambda lg, tmp: punches.roll_call_unmark(lg, 999, MOMENT, MOMENT)),
    ("punches.record_spot_check", "manage_attendance", lambda lg, tmp: punches.record_spot_check(lg, 999, "bad")),
    ("trips.register", "manage_attendance", lambda lg, tmp: trips.register(lg, 999, MOMENT, MOMENT, "")),
    ("trips.remove", "manage_attendance", lambda lg, tmp: trips.remove(lg, 999)),
    ("trips.set_duty", "manage_attendance", lambda lg, tmp: trips.set_duty(lg, 999, DAY, True)),
    ("schedules.set_schedule", "manage_attendance", lambda lg, tmp: schedules.set_schedule(lg, None)),
    ("schedules.delete_schedule", "manage_attendance", lambda lg, tmp: schedules.delete_schedule(lg, date(1990, 1, 1))),
    ("staff.add", "manage_attendance", lambda lg, tmp: staff.add(lg, f"T{next(_numbers)}", "张三")),
    ("importer.import_file", "manage_attendance", lambda lg, tmp: importer.import_file(lg, tmp / "none.csv")),
    ("posting.post", "lock_attendance_month", lambda lg, tmp: posting.post(lg, "2026-01")),
    ("posting.reopen", "lock_attendance_month", lambda lg, tmp: posting.reopen(lg, "2026-01", "x")),
    ("posting_form.export_month", "export_forms", lambda lg, tmp: posting_form.export_month(lg, "bad", tmp)),
    ("posting_form.export_year", "export_forms", lambda lg, tmp: posting_form.export_year(lg, 1990, tmp / "y")),
    ("consolidate.inspect", "consolidate", lambda lg, tmp: consolidate.inspect(lg, "2026H1", [tmp / "none"])),
    ("consolidate.consolidate", "consolidate", lambda lg, tmp: consolidate.consolidate(lg, "2026H1", [tmp / "none"])),
]

# Functions whose check depends on what they are asked (tested where that rule lives).
CONDITIONAL = {
    "staff.update": "tests/app/test_attendance_staff_links.py (role/link vs the other fields)",
    "leave.request": "tests/app/test_attendance_leave.py (one's own leave vs someone else's)",
    "leave.decide": "tests/app/test_attendance_leave.py (approving roles, the chain)",
    "leave.report_back": "tests/app/test_attendance_leave.py",
    "leave.withdraw": "tests/app/test_attendance_leave.py",
    "cli.log_in": "the command line's login, tests/cli/test_accounts_cli.py",
}


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A ledger with accounts (so no call passes for want of them) and one unit (so demo refuses)."""
    from app.ledger import Ledger

    folder = tmp_path_factory.mktemp("roles")
    ledger = Ledger.create(folder / "roles.db", "荷塘区人口计生局", 10, actor="test")
    with ledger.write():
        accounts.create_user(ledger.db, "admin", "管理员", accounts.ADMIN, "admin-123")
        units.add(ledger.db, "430202", "荷塘区", "区县")
    yield ledger, folder
    ledger.close()


def _refused(ledger, folder: Path, call) -> bool:
    try:
        call(ledger, folder)
    except PermissionDenied:
        return True
    except Exception:  # noqa: BLE001 - the dummy arguments were refused after the check passed
        return False
    return False


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "permission", "call"), CASES, ids=[c[0] for c in CASES])
def test_each_role_is_let_through_exactly_as_the_role_table_says(office, role, name, permission, call):
    ledger, folder = office
    ledger.user = User(1, "someone", "某人", role)
    try:
        refused = _refused(ledger, folder, call)
    finally:
        ledger.user = None
    assert refused == (role not in PERMISSIONS[permission]), (
        f"{name} for {role}: {'refused' if refused else 'allowed'}, but the table says "
        f"{'allowed' if role in PERMISSIONS[permission] else 'refused'} ({permission})")


@pytest.mark.parametrize(("name", "permission", "call"), CASES, ids=[c[0] for c in CASES])
def test_nobody_signed_in_is_refused_once_the_ledger_has_accounts(office, name, permission, call):
    ledger, folder = office
    assert ledger.user is None and ledger.has_accounts
    assert _refused(ledger, folder, call), f"{name} ran without a login on a ledger with accounts"


def test_a_ledger_without_accounts_needs_no_login(ledger, tmp_path):
    ledger.set_setting("test_only", "1")
    units.add_unit(ledger, "430202", "荷塘区", "区县")
    assert units.find(ledger.db, "430202") is not None


def test_the_first_account_must_be_an_administrator_and_later_ones_need_one(ledger):
    from app.errors import UserInputError

    with pytest.raises(UserInputError, match="第一个账户必须是管理员"):
        accounts.add_account(ledger, "li", "李丽", accounts.STAFF, "secret-123")
    accounts.add_account(ledger, "admin", "王主任", accounts.ADMIN, "secret-123")
    with pytest.raises(PermissionDenied):      # nobody signed in any more
        accounts.add_account(ledger, "li", "李丽", accounts.STAFF, "secret-123")
    accounts.sign_in(ledger, "admin", "secret-123")
    accounts.add_account(ledger, "li", "李丽", accounts.STAFF, "secret-123")
    actions = [r[0] for r in ledger.db.execute("select action from audit_log where object_type = 'user'")]
    assert actions == ["创建用户", "登录", "创建用户"]


def test_every_role_may_sign_in_and_its_login_is_audited(ledger):
    accounts.add_account(ledger, "admin", "王主任", accounts.ADMIN, "secret-123")
    accounts.sign_in(ledger, "admin", "secret-123")
    for n, role in enumerate(ROLES):
        accounts.add_account(ledger, f"u{n}", f"用户{n}", role, "secret-123")
    for n, role in enumerate(ROLES):
        assert accounts.sign_in(ledger, f"u{n}", "secret-123", "命令行").role == role
        assert ledger.actor_name == f"u{n}（命令行）"
    assert PERMISSIONS["view_registry"] == frozenset(ROLES)


def test_the_table_covers_every_function_that_checks_a_permission():
    """A core function that calls `ledger.require(...)` must be in CASES (or CONDITIONAL)."""
    covered = {name.split(".")[-1] for name, _p, _c in CASES} | {n.split(".")[-1] for n in CONDITIONAL}
    checking: dict[str, str] = {}
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            if fn.name in {"require", "may"}:
                continue
            for node in ast.walk(fn):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "require" and node.args
                        and isinstance(node.args[0], ast.Constant)):
                    checking[fn.name] = f"{path.relative_to(APP)}:{fn.lineno}"
    missing = {name: where for name, where in checking.items() if name not in covered}
    assert not missing, f"permission-bearing functions missing from the role-table test: {missing}"


def test_every_permission_in_the_table_is_checked_somewhere():
    used = {c[1] for c in CASES} | {"view_registry", "approve_leave", "assign_staff_roles"}
    assert set(PERMISSIONS) == used
