"""Ledgers saved by every released schema open, upgrade and answer (Electrum's rule).

Each `tests/data/ledger-<version>.db` was written by that release and is never regenerated;
a new release adds its own file. Opening a copy must apply the pending migrations (after a
backup), keep every record, and let the reports run.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from app import audit, audit_anchors, migrations, search
from app.ledger import Ledger
from app.paths import backup_dir_for
from app.search import Query
from app.stats import report

RELEASES = sorted((Path(__file__).resolve().parent.parent / "data").glob("ledger-*.db"))


@pytest.mark.parametrize("saved", RELEASES, ids=[p.stem for p in RELEASES])
def test_a_released_ledger_opens_upgraded_with_its_records(saved, tmp_path):
    copy = tmp_path / "ledger.db"
    shutil.copy(saved, copy)
    with sqlite3.connect(copy) as raw:
        upgrades = len(migrations.pending(sqlite_utils.Database(raw))) > 0
    with Ledger.open(copy) as ledger:
        assert migrations.pending(ledger.db) == []
        assert ledger.quick_check() == "ok"
        assert ledger.office_name == "荷塘区人口计生局"
        assert ledger.db.execute("select count(*) from women").fetchone()[0] == 2
        figures = report(ledger.db, "2026H1", stat_year_start=ledger.stat_year_start)
        found = {text: search.ids(ledger.db, Query(text)) for text in ("丽", "张伟", "0044")}
        with ledger.write() as db:   # the upgraded search triggers follow edits
            db.execute("update women set name = '王秀芳', id_number = '430202199502011211' where id = 2")
        after = {text: search.ids(ledger.db, Query(text)) for text in ("王芳", "秀芳", "0044", "1211")}
        # its log begins with the genesis row its release already wrote; the daily and (for an
        # older release) the 升级前 backup taken on opening anchored the log as it came, and the
        # upgraded log agrees with both
        anchors = audit_anchors.read_folder(backup_dir_for(ledger.path)).anchors
        chain = audit.verify_chain(ledger.db, anchors)
    assert chain.ok and chain.rows_checked >= 2 + upgrades, chain
    assert [(c.anchor.rows, c.status) for c in chain.anchors] == [(2, "ok")] * (1 + upgrades)
    assert found == {"丽": [1], "张伟": [1], "0044": [2]}
    assert after == {"王芳": [], "秀芳": [2], "0044": [], "1211": [2]}
    assert figures["births"] == 1 and figures["population"] == 3200
    assert figures["procedures"]["iud_insertion"] == 1


def test_there_is_a_saved_ledger_for_the_current_release():
    from app import __version__

    assert any(p.stem == f"ledger-{__version__}" for p in RELEASES)
