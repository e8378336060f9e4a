"""Re-record the schema of the version being developed (not yet released): the hashes of new
migrations in tests/data/migrations.sha256, this version's schema hash in schema.sha256, and
its saved ledger tests/data/ledger-<version>.db. Never use it for a released version: a
released migration, schema or saved ledger is frozen (CONTRIBUTING.md, "Adding a migration").

    PYTHONPATH=. python build_scripts/refresh_unreleased_schema.py
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from app import __version__, migrations
    from app.ledger import Ledger
    from tests.app.test_migration_freeze import schema_hash

    lines = [line for line in (DATA / "migrations.sha256").read_text(encoding="utf-8").splitlines() if line.strip()]
    known = {line.split()[1] for line in lines}
    for migration in migrations.MIGRATIONS:
        if migration.name not in known:
            lines.append(f"{hashlib.sha256(migration.sql.encode('utf-8')).hexdigest()}  {migration.name}")
            print(f"recorded {migration.name}")
    (DATA / "migrations.sha256").write_text("\n".join(lines) + "\n", encoding="utf-8")

    with tempfile.TemporaryDirectory() as folder, Ledger.create(Path(folder) / "x.db", "计生办") as ledger:
        digest = schema_hash(ledger.conn)
    schemas = [line for line in (DATA / "schema.sha256").read_text(encoding="utf-8").splitlines()
               if line.strip() and line.split()[1] != __version__]
    schemas.append(f"{digest}  {__version__}")
    (DATA / "schema.sha256").write_text("\n".join(schemas) + "\n", encoding="utf-8")
    print(f"schema of {__version__}: {digest}")

    saved = DATA / f"ledger-{__version__}.db"
    saved.unlink(missing_ok=True)
    subprocess.check_call([sys.executable, str(DATA / "make_release_ledger.py")], cwd=ROOT,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    print(f"saved {saved.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
