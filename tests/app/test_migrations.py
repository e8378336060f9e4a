"""Migrations: append-only, applied in order on open, with a backup first."""

from __future__ import annotations

from app import backups, migrations
from app.ledger import Ledger
from app.paths import backup_dir_for


def test_an_older_ledger_is_upgraded_on_open_after_a_backup(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    first_two = migrations.MIGRATIONS[:2]
    monkeypatch.setattr(migrations, "MIGRATIONS", first_two)
    monkeypatch.setattr(migrations, "KNOWN", {m.name for m in first_two})
    Ledger.create(path, "计生办").close()
    monkeypatch.undo()
    with Ledger.open(path) as ledger:
        assert migrations.applied(ledger.db) == sorted(m.name for m in migrations.MIGRATIONS)
        assert migrations.pending(ledger.db) == []
        actions = [row[0] for row in ledger.db.execute("select action from audit_log")]
    assert "升级台帐结构" in actions
    reasons = [b.reason for b in backups.list_backups(backup_dir_for(path))]
    assert "升级前" in reasons


def test_migration_names_are_unique_and_in_order():
    names = [m.name for m in migrations.MIGRATIONS]
    assert names == sorted(names) and len(names) == len(set(names))
