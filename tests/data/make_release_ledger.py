"""Make tests/data/ledger-0.1.0.db: a small ledger written by release 0.1.0 (kept forever)."""
# Run once per release from the project root: PYTHONPATH=. python tests/data/make_release_ledger.py
import tempfile
from pathlib import Path

from app import accounts
from app.ledger import Ledger
from tests.builders import child, measure, population, procedure, unit, woman

tmp = Path(tempfile.mkdtemp()) / "ledger.db"
with Ledger.create(tmp, "荷塘区人口计生局", 10, actor="release-0.1.0") as ledger:
    with ledger.write("新增用户", "user", "admin"):
        accounts.create_user(ledger.db, "admin", "管理员", accounts.ADMIN, "release-0.1.0")
    unit(ledger, "4302", "荷塘区", "区县")
    unit(ledger, "430202", "仙庾镇", "乡镇", parent="4302")
    unit(ledger, "43020201", "桃花村", "村", parent="430202")
    li = woman(ledger, "李丽", unit="43020201", born="1990-05-01", married="2012-01-01", husband="张伟")
    child(ledger, li, 1, born="2025-11-15", sex="女", reported="2025-11-20")
    measure(ledger, li, "宫内节育器", "2026-03-20")
    procedure(ledger, li, "上环", "2026-03-20")
    wang = woman(ledger, "王芳", unit="43020201", born="1995-02-01", married=None, residence="流入")
    population(ledger, "43020201", "2026H1", 3200, 9)
    ledger.conn.execute("pragma wal_checkpoint(truncate)")
out = Path("tests/data/ledger-0.1.0.db")
import sqlite3

src = sqlite3.connect(tmp); dst = sqlite3.connect(out); src.backup(dst); dst.execute("pragma journal_mode=delete"); dst.close(); src.close()
print(out, out.stat().st_size)
