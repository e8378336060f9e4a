"""A period typed in any accepted spelling is parsed once and travels in its canonical spelling.

`fpledger export 2026h1` writes files named `2026H1_…` and a manifest saying `2026H1` (as
`report` answers); the same for a lower-case quarter and an unpadded month, and for `close`,
`differences`, `reopen` and `analysis`.
"""

from __future__ import annotations

import json

import pytest

from tests.cli.test_reports_cli import db, fpledger  # noqa: F401  (the fixture)


@pytest.mark.parametrize(("typed", "canonical"), [("2026h1", "2026H1"), ("2026q2", "2026Q2"),
                                                  ("2026-3", "2026-03")])
def test_export_names_files_and_manifest_with_the_canonical_code(db, tmp_path, typed, canonical):  # noqa: F811
    out = tmp_path / "out"
    result = fpledger("export", typed, "--out", str(out), "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["period"] == canonical
    forms = [f["name"] for f in manifest["files"] if f["name"].endswith((".xlsx", ".pdf"))]
    assert forms and all(name.startswith(f"{canonical}_") for name in forms)
    assert sorted(p.name for p in out.iterdir() if p.suffix in (".xlsx", ".pdf")) == sorted(forms)
    figures = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    assert figures["report"]["period"] == canonical


def test_close_differences_reopen_with_a_lower_case_code(db, tmp_path):  # noqa: F811
    closed = fpledger("close", "2026h1", "--db", db, "--json")
    assert closed.returncode == 0, closed.stderr
    assert json.loads(closed.stdout)["period"] == "2026H1"
    assert fpledger("close", "2026H1", "--db", db).returncode == 2       # the same period: closed
    report = json.loads(fpledger("report", "2026h1", "--db", db, "--json").stdout)
    assert (report["period"], report["source"]) == ("2026H1", "snapshot")
    diff = fpledger("differences", "2026h1", "--db", db, "--json")
    assert diff.returncode == 0, diff.stderr
    assert json.loads(diff.stdout)["period"] == "2026H1"
    reopened = fpledger("reopen", "2026h1", "--reason", "更正", "--db", db, "--json")
    assert reopened.returncode == 0, reopened.stderr
    assert json.loads(reopened.stdout)["period"] == "2026H1"


def test_analysis_draft_with_a_lower_case_code(db, tmp_path):  # noqa: F811
    out = tmp_path / "分析.txt"
    result = fpledger("analysis", "2026h1", "--out", str(out), "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["period"] == "2026H1"


def test_roster_round_with_a_lower_case_code(tmp_path):
    from tests.cli.test_roster_cli import build

    roster_db, _ids = build(tmp_path)
    printed = tmp_path / "名册"
    result = fpledger("roster", "2026q2", "--print", str(printed), "--db", str(roster_db), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["round"] == "2026Q2"
    assert document["printed"] and all("2026q2" not in name for name in document["printed"])
    assert all("2026Q2" in p.name for p in printed.iterdir())
