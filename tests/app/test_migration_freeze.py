"""Migrations are frozen and every schema has its version (app/migrations.py rules).

- The text of every listed migration has the SHA-256 recorded in tests/data/migrations.sha256:
  editing an applied migration fails here; a new migration fails until its hash is added.
- A migration's SQL is a string literal in its module, never text built by live code.
- tests/data/schema.sha256 records, per version, a hash of the schema a new ledger gets
  (sqlite_master without SQLite's own and FTS5's shadow tables). A schema change without a
  version bump fails here (the hash no longer matches the version's), and so does a bump
  without recording the new version's schema; every saved release ledger has the schema its
  version recorded, and upgrades to exactly today's.
"""

from __future__ import annotations

import ast
import hashlib
import shutil
import sqlite3
from pathlib import Path

import sqlite_utils

from app import __version__, migrations
from app.ledger import Ledger
from app.schema import search, search_migrations

DATA = Path(__file__).resolve().parent.parent / "data"
SCHEMA_DIR = Path(migrations.__file__).resolve().parent / "schema"


def _recorded(name: str) -> dict[str, str]:
    """`<sha256>  <key>` lines → {key: sha256}."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return {key: digest for digest, key in (line.split() for line in lines if line.strip())}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def schema_hash(conn: sqlite3.Connection) -> str:
    rows = conn.execute("select type, name, tbl_name, sql from sqlite_master"
                        " where name not like 'sqlite_%'").fetchall()
    virtual = [name for kind, name, _t, sql in rows if kind == "table" and sql.upper().startswith("CREATE VIRTUAL")]
    kept = [r for r in rows if not any(r[1].startswith(f"{v}_") and r[0] == "table" for v in virtual)]
    return _sha("\n".join(repr(r) for r in sorted(kept, key=repr)))


def test_every_listed_migration_has_exactly_its_recorded_text():
    recorded = _recorded("migrations.sha256")
    now = {m.name: _sha(m.sql) for m in migrations.MIGRATIONS}
    edited = sorted(name for name in now.keys() & recorded.keys() if now[name] != recorded[name])
    assert not edited, f"applied migrations were edited (append a new one instead): {edited}"
    assert now.keys() - recorded.keys() == set(), "a new migration: add its hash to tests/data/migrations.sha256"
    assert recorded.keys() - now.keys() == set(), "a recorded migration is no longer listed"


def test_a_migrations_sql_is_a_literal_in_its_module():
    literals = []
    for path in SCHEMA_DIR.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.startswith("SQL")
                                                    for t in node.targets):
                assert isinstance(node.value, ast.Constant) and isinstance(node.value.value, str), path
                literals.append(node.value.value)
    assert all(any(m.sql is text or m.sql == text for text in literals) for m in migrations.MIGRATIONS)
    assert [m.name for m in migrations.MIGRATIONS if m.after] == ["0011_name_readings"]


def test_the_run_time_search_helpers_write_what_the_frozen_triggers_write():
    """The bulk path and the contentless table's 'delete' repeat the triggers' tokens."""
    for expr in ("new.name", "new.husband_name", "old.name", "old.husband_name"):
        assert search.spaced(expr) in search_migrations.SQL_0009
    assert search.reversed_sql("new.id_number") in search_migrations.SQL_0009


def test_a_new_ledger_has_the_schema_recorded_for_this_version(tmp_path):
    recorded = _recorded("schema.sha256")
    with Ledger.create(tmp_path / "new.db", "计生办") as ledger:
        now = schema_hash(ledger.conn)
        made_by = ledger.db.execute("select value from meta where key = 'created_by_version'").fetchone()[0]
    assert made_by == __version__
    assert __version__ in recorded, (f"version {__version__} has no schema hash: add `{now}  {__version__}` to "
                                     "tests/data/schema.sha256")
    assert now == recorded[__version__], (f"the schema changed but the version is still {__version__}: bump "
                                          "app.__version__ and record the new schema")


def test_each_saved_release_ledger_has_its_versions_schema_and_upgrades_to_todays(tmp_path):
    recorded = _recorded("schema.sha256")
    saved = sorted(DATA.glob("ledger-*.db"))
    assert {p.stem.removeprefix("ledger-") for p in saved} <= recorded.keys()
    # every released schema has a saved ledger (versions sharing a schema may share one)
    assert set(recorded.values()) == {recorded[p.stem.removeprefix("ledger-")] for p in saved}
    for path in saved:
        version = path.stem.removeprefix("ledger-")
        with sqlite3.connect(path) as conn:
            assert schema_hash(conn) == recorded[version], path.name
            made_by = conn.execute("select value from meta where key = 'created_by_version'").fetchone()[0]
        assert made_by == version, path.name
        copy = tmp_path / path.name
        shutil.copy(path, copy)
        with Ledger.open(copy) as ledger:
            assert schema_hash(ledger.conn) == recorded[__version__], path.name


def test_the_schema_of_0_2_0_differs_from_0_1_0s():
    """0010 and 0011 changed the schema, so 0.2.0 is a version of its own."""
    recorded = _recorded("schema.sha256")
    assert recorded["0.1.0"] != recorded["0.2.0"]


def test_the_migrations_0_1_0_shipped_still_build_exactly_its_schema():
    """0001–0008 on an empty file give the schema the 0.1.0 ledger holds, text for text."""
    recorded = _recorded("schema.sha256")
    conn = sqlite3.connect(":memory:")
    db = sqlite_utils.Database(conn)
    migrations.apply(db, [m for m in migrations.MIGRATIONS if m.name < "0009"])
    assert schema_hash(conn) == recorded["0.1.0"]
