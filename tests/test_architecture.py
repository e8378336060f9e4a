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
LIVE_MODULES = {"app.stats.births", "app.stats.procedures", "app.stats.long_acting", "app.stats.women",
                "app.stats.population"}
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
