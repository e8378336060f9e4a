"""Shared fixtures: an isolated data folder per test and a fresh ledger."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.ledger import Ledger  # noqa: E402

SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch) -> Path:
    """Keep every test away from the real per-user data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("FPLEDGER_HOME", str(home))
    return home


@pytest.fixture
def ledger(tmp_path) -> Ledger:
    """An empty ledger (statistical year from October), closed after the test."""
    opened = Ledger.create(tmp_path / "ledger.db", "荷塘区人口计生局", 10, actor="test")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Compile the .ts files so UI tests run in Chinese like the shipped program."""
    from ui.i18n import compile_all

    compile_all()
