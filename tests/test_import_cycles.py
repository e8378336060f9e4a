"""The import graph of app/ and ui/ (issue 17 item 5): no cycle at all, and the CLI's command
modules never import the `app.cli` package back.

The graph is read with `ast` from every import statement of every module — module level,
inside functions and under `if TYPE_CHECKING:` alike — with `from app import x` (and relative
imports) resolved to the submodule `x` when there is one. A package stands for its
`__init__.py`, and importing `a.b.c` from outside `a.b` also depends on `a.b` (Python runs
`a/b/__init__.py` first; app/stats/ and app/cli/ have one that imports).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "ui")

def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    return {module_name(path, root): path for package in packages for path in sorted((root / package).rglob("*.py"))}


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of `known` that module `name` imports, anywhere in its text."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def owner(dotted: str) -> str | None:   # the module itself, else the nearest package above it
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    found: set[str | None] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(owner(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:   # `from app import closing`: the submodule, not app/__init__
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in known else owner(source))
    targets = {target for target in found if target is not None and target != name}
    packages = {".".join(t.split(".")[:i]) for t in targets for i in range(1, t.count(".") + 1)}
    return targets | {p for p in packages if p in known and not (name == p or name.startswith(p + "."))}


def import_graph(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    known = modules(root, packages)
    return {name: imports_of(name, path, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def test_app_and_ui_have_no_import_cycle():
    """When two modules need each other, the shared piece moves into a lower module (as the
    cycles issue 17 named were cut: app/stats/closures.py and app/stats/computation.py under
    closing, period_figures and report; app/roster/round_model.py under due and rounds;
    app/exchange/import_base.py under the workbook and its sheets; ui/attendance_parts.py under
    the attendance pages and tab; protocols for the modules app/ledger.py imports)."""
    assert cycles(import_graph()) == []


def test_the_cli_command_modules_import_only_common_and_progress_from_the_package():
    graph = import_graph()
    shared = {"app.cli.common", "app.cli.progress"}
    back = {name: sorted(t for t in targets if t.startswith("app.cli") and t not in shared)
            for name, targets in graph.items() if name.startswith("app.cli.")}
    assert back == {name: [] for name in back}, "a command module imports app.cli (or another group) back"
    assert {t for name in shared for t in graph[name] if t.startswith("app.cli")} <= {"app.cli.progress"}
    assert len(back) >= 10   # the package is where the guard looks


def test_the_attendance_pages_import_no_private_name_of_another_module():
    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(("ui", "app")):
                offenders += [f"{path.name}: {node.module}.{a.name}" for a in node.names
                              if a.name.startswith("_") and not a.name.startswith("__")]
    assert offenders == []


def test_the_guard_sees_every_way_in(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "g").mkdir()
    for name, text in {
        "__init__.py": "",
        "a.py": "def later():\n    from pkg import b\n",                      # function level, `from pkg import b`
        "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.sub.c import C\n",
        "sub/__init__.py": "",
        "sub/c.py": "from .. import a\nimport pkg.sub.d\n",                     # relative, and `import x.y`
        "sub/d.py": "from pkg.sub import e\n",
        "sub/e.py": "from . import d\nimport os\n",
        "f.py": "from pkg.a import later\n",                                  # not in a cycle
        "g/__init__.py": "from pkg.g.h import H\n",                           # a package that imports
        "g/h.py": "from pkg import i\n",
        "i.py": "from pkg.g.j import J\n",                                     # runs g/__init__ first
        "g/j.py": "",
    }.items():
        (pkg / name).write_text(text, encoding="utf-8")
    graph = import_graph(tmp_path, ("pkg",))
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.sub.c"] == {"pkg.a", "pkg.sub.d"}
    assert graph["pkg.i"] == {"pkg.g", "pkg.g.j"} and graph["pkg.g.h"] == {"pkg.i"}
    assert graph["pkg.b"] == {"pkg.sub", "pkg.sub.c"}   # pkg/sub/__init__.py imports nothing: no cycle
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.sub.c"], ["pkg.g", "pkg.g.h", "pkg.i"], ["pkg.sub.d", "pkg.sub.e"]]
