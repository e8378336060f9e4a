"""The core never imports Qt: app/ is the whole product without a screen."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def test_no_module_under_app_imports_pyside6():
    offenders = []
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in {"PySide6", "shiboken6", "ui"}]
    assert offenders == []


ROOT = APP.parent
# The live computation of a period's figures. Only app/stats (it is that computation, and
# period_figures hands it out) and app/closing.py (taking a snapshot, listing differences) may
# use it; everything that shows, prints or exports figures asks app.stats.period_figures.
LIVE_NAMES = {"compute_all", "Computation", "exact", "core_figures", "long_acting_row", "Scope", "PopulationBook"}
LIVE_MODULES = {"app.stats.computation", "app.stats.births", "app.stats.procedures", "app.stats.long_acting", "app.stats.women",
                "app.stats.population", "app.stats.movement", "app.stats.structure", "app.stats.health_service"}
RENDERERS = [*sorted((APP / "forms").rglob("*.py")), *sorted((APP / "exchange").rglob("*.py")),
             APP / "analysis.py", APP / "reports_desk.py", APP / "targets.py", *sorted((ROOT / "ui").rglob("*.py"))]


def live_figure_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name in LIVE_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module in LIVE_MODULES:
                found.append(node.module)
            if node.module.startswith("app.stats"):
                found += [f"{node.module}.{a.name}" for a in node.names
                          if a.name in LIVE_NAMES or f"{node.module}.{a.name}" in LIVE_MODULES]
        elif isinstance(node, ast.Attribute) and node.attr in LIVE_NAMES - {"long_acting_row"}:
            # (PeriodFigures.long_acting_row is the snapshot-aware one; the live one needs a
            # Computation, which this catches)
            found.append(f"….{node.attr}")
    return found


def test_renderers_and_the_screen_cannot_reach_live_figures_of_a_period():
    offenders = {str(p.relative_to(ROOT)): names for p in RENDERERS if (names := live_figure_imports(p))}
    assert offenders == {}


def test_the_guard_sees_the_ways_in(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from app.stats.report import compute_all\nfrom app.stats import long_acting\n"
                      "import app.stats.births\nfrom app import stats\nstats.report.Computation\n", encoding="utf-8")
    assert live_figure_imports(sample) == ["app.stats.report.compute_all", "app.stats.long_acting",
                                           "app.stats.births", "….Computation"]


# ---- the core decides (issue 15) -----------------------------------------------------------------
UI = ROOT / "ui"
FRONT_ENDS = [*sorted(UI.rglob("*.py")), *sorted((APP / "cli").rglob("*.py"))]
SQL_OR_TRANSACTION = (".execute(", ".executemany(", ".executescript(", ".conn.", ".db.", ".atomic(", ".commit(")


def sql_in(path: Path) -> list[str]:
    """Lines of `path` that execute SQL or open/commit a transaction themselves."""
    return [f"{path.name}:{n}: {line.strip()}" for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if any(mark in line for mark in SQL_OR_TRANSACTION)]


def test_no_module_under_ui_executes_sql_or_opens_a_transaction():
    offenders = [hit for path in sorted(UI.rglob("*.py")) for hit in sql_in(path)]
    assert offenders == [], "the window calls app/ functions instead:\n" + "\n".join(offenders)


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def front_end_decisions(path: Path) -> list[str]:
    """Audit entries, audited transactions and permission checks a front end makes itself
    (asking the core's own check, `ledger.require`, before a file dialog is fine)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        on_ledger = receiver is not None and "ledger" in ast.unparse(receiver)
        if name == "audit" and on_ledger or name == "record" and "audit" in ast.unparse(node.func) \
                or name == "write" and on_ledger or name == "require" and not on_ledger \
                or name in {"create_user", "reset_password", "change_password", "authenticate"}:
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)[:80]}")
    return sorted(found, key=lambda hit: int(hit.split(":")[1]))


def test_front_ends_leave_audit_entries_transactions_and_permission_checks_to_the_core():
    offenders = [hit for path in FRONT_ENDS for hit in front_end_decisions(path)]
    assert offenders == [], "\n".join(offenders)


def test_the_front_end_guards_see_the_ways_in(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("ledger.db.execute('update users set active = 0')\nwith self.ledger.db.atomic():\n"
                      "    pass\nview.conn.close()\nself.ledger.audit('x')\nwith ledger.write('y'):\n    pass\n"
                      "require(user, 'manage_users')\naccounts.create_user(db, 'a', 'a', 'b', 'c')\n"
                      "sys.stdout.write('fine')\n", encoding="utf-8")
    assert len(sql_in(sample)) == 3
    assert [hit.split(": ")[0] for hit in front_end_decisions(sample)] == [
        "sample.py:5", "sample.py:6", "sample.py:8", "sample.py:9"]


# Words that are an audit action and also ordinary vocabulary elsewhere (not a second wording).
ALSO_VOCABULARY = {"销假": "a spelling of the leave status 已销假 in an attendance workbook (app/attendance/importer.py)"}


def audit_phrases() -> dict[str, list[str]]:
    """Every literal audit action (first argument of write/audit, third of audit.record) -> where."""
    found: dict[str, list[str]] = {}
    for path in [*APP.rglob("*.py"), *UI.rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name, args = _call_name(node), node.args
            target = args[0] if name in {"write", "audit"} and args else args[2] if name == "record" and len(args) > 2 else None
            branches = [target.body, target.orelse] if isinstance(target, ast.IfExp) else [target]
            for branch in branches:
                if isinstance(branch, ast.Constant) and isinstance(branch.value, str) and branch.value:
                    found.setdefault(branch.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def string_literals() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in [*APP.rglob("*.py"), *UI.rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.setdefault(node.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_each_audit_action_is_worded_once_in_the_tree():
    literals = string_literals()
    phrases = audit_phrases()
    assert "创建用户" in phrases and "导出抽样核对表" in phrases  # the search sees the phrases
    twice = {phrase: literals[phrase] for phrase in phrases
             if len(literals[phrase]) != 1 and phrase not in ALSO_VOCABULARY}
    assert twice == {}, f"audit wording written more than once: {twice}"
