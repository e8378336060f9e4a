"""The batch form of the procedure rule (`app.history.add_procedures`, used by the workbook
import) gives exactly what one `add_procedure` per procedure gives: the same procedure and
contraception rows, ids, end dates and links — over random histories (hypothesis)."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import history
from app.ledger import Ledger
from tests.builders import measure, unit, woman

DAYS = ["2024-01-10", "2024-02-10", "2024-03-10", "2024-04-10"]
KINDS = ["上环", "取环", "女扎", "男扎", "皮埋", "人工流产", "中期引产"]
METHODS = ["宫内节育器", "女扎", "皮下埋植", "避孕套"]


def _state(ledger: Ledger) -> tuple[list, list]:
    db = ledger.db
    return (db.execute("select id, woman_id, kind, date, provider from procedures order by id").fetchall(),
            db.execute("select id, woman_id, method, start_date, end_date, provider, procedure_id"
                       " from contraception order by id").fetchall())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(measures=st.lists(st.tuples(st.integers(0, 1), st.sampled_from(METHODS), st.sampled_from(DAYS),
                                   st.sampled_from([None, *DAYS])), max_size=6),
       procedures=st.lists(st.tuples(st.integers(0, 1), st.sampled_from(KINDS), st.sampled_from(DAYS)),
                           min_size=1, max_size=12))
def test_the_batch_gives_what_one_call_per_procedure_gives(tmp_path_factory, measures, procedures):
    folder = tmp_path_factory.mktemp("batch")
    one = Ledger.create(folder / "one.db", "荷塘区人口计生局", 10, actor="test")
    unit(one, "430202", "荷塘区", "区县")
    women = [woman(one, f"李{n}", unit="430202") for n in range(3)]
    seen = set()
    for who, method, start, end in measures:
        if (who, method, start) not in seen:   # the table's own unique key
            seen.add((who, method, start))
            measure(one, women[who], method, start, end if end is None or end >= start else None)
    one.close()
    shutil.copy(folder / "one.db", folder / "batch.db")
    one, batch = (Ledger.open(folder / name, actor="test", daily_backup=False) for name in ("one.db", "batch.db"))
    rows, keys = [], set()
    for who, kind, on in procedures:
        if (who, kind, on) not in keys:   # procedures are unique per woman, kind and day
            keys.add((who, kind, on))
            rows.append((women[who], kind, on, "县医院", "2024-04-01T08:00:00"))
    rows.sort(key=lambda r: (r[0], r[2]))   # as the import orders them
    with one.write():
        for row in rows:
            history.add_procedure(one.db, *row)
    with batch.write():
        assert history.add_procedures(batch.db, rows) == len(rows)
    assert _state(batch) == _state(one)
    one.close()
    batch.close()
    for name in Path(folder).iterdir():
        if name.is_file():
            name.unlink()
