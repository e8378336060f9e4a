"""Write tests/data/ledger-<version>.db: a small ledger as this release writes it.

Run once per release from the project root (`PYTHONPATH=. python tests/data/make_release_ledger.py`)
and commit the file; never regenerate an older release's file.
"""

import sqlite3
import tempfile
from pathlib import Path

from app import __version__, accounts
from app.ledger import Ledger
from tests.builders import child, measure, population, procedure, unit, woman


def main() -> Path:
    work = Path(tempfile.mkdtemp()) / "ledger.db"
    with Ledger.create(work, "荷塘区人口计生局", 10, actor=f"release-{__version__}") as ledger:
        with ledger.write("新增用户", "user", "admin"):
            accounts.create_user(ledger.db, "admin", "管理员", accounts.ADMIN, f"release-{__version__}")
        unit(ledger, "4302", "荷塘区", "区县")
        unit(ledger, "430202", "仙庾镇", "乡镇", parent="4302")
        unit(ledger, "43020201", "桃花村", "村", parent="430202")
        li = woman(ledger, "李丽", unit="43020201", born="1990-05-01", married="2012-01-01", husband="张伟")
        child(ledger, li, 1, born="2025-11-15", sex="女", reported="2025-11-20")
        measure(ledger, li, "宫内节育器", "2026-03-20")
        procedure(ledger, li, "上环", "2026-03-20")
        woman(ledger, "王芳", unit="43020201", born="1995-02-01", married=None, residence="流入")
        population(ledger, "43020201", "2026H1", 3200, 9)
        out = Path(__file__).resolve().parent / f"ledger-{__version__}.db"
        target = sqlite3.connect(out)
        ledger.conn.backup(target)
        target.execute("pragma journal_mode=delete")
        target.close()
    return out


if __name__ == "__main__":
    main()
