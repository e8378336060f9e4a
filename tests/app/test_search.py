"""Registry search: what a clerk types into the search box and what comes back."""

from __future__ import annotations

import pytest

from app import search
from app.search import Filters, Query
from tests import builders as b


@pytest.fixture
def office(ledger):
    """A township with two villages and a handful of cards."""
    b.unit(ledger, "430202001", "仙庾镇", "乡镇")
    b.unit(ledger, "430202001001", "桃花村", "村", parent="430202001")
    b.unit(ledger, "430202001002", "杏花村", "村", parent="430202001")
    people = {
        "wlf": b.woman(ledger, "王丽芳", "430202001001", born="1990-03-04", husband="李建国",
                       id_number="430202199003041224", name_initials="wlf"),
        "wf": b.woman(ledger, "王芳", "430202001002", born="1985-06-01", husband="赵强",
                      name_initials="wf"),
        "lxy": b.woman(ledger, "李秀英", "430202001002", born="2000-01-01", married=None,
                       name_initials="lxy"),
        "zlf": b.woman(ledger, "张丽芬", "430202001001", born="1978-12-31", husband="王明",
                       name_initials="zlf"),
        "gone": b.woman(ledger, "王美丽", "430202001001", born="1980-01-01", exit_reason="迁出",
                        exit_date="2025-01-01", name_initials="wml"),
    }
    return ledger, people


def found(ledger, text="", **filters) -> set[int]:
    query = Query(text, Filters(**filters))
    result = set(search.ids(ledger.db, query, limit=1000))
    assert search.count(ledger.db, query) == len(result)
    return result


def test_one_character_finds_it_anywhere_in_a_name_or_husband_name(office):
    ledger, p = office
    assert found(ledger, "王") == {p["wlf"], p["wf"], p["zlf"]}  # 张丽芬's husband is 王明


def test_two_character_name_is_found(office):
    ledger, p = office
    assert found(ledger, "王芳") == {p["wf"]}
    assert found(ledger, "丽芳") == {p["wlf"]}
    assert found(ledger, "芳王") == set()


def test_three_character_name_and_husband_name(office):
    ledger, p = office
    assert found(ledger, "李秀英") == {p["lxy"]}
    assert found(ledger, "李建国") == {p["wlf"]}
    assert found(ledger, "建国") == {p["wlf"]}


def test_pinyin_initials_match_from_the_start(office):
    ledger, p = office
    assert found(ledger, "wlf") == {p["wlf"]}
    assert found(ledger, "WL") == {p["wlf"]}
    assert found(ledger, "w") == {p["wlf"], p["wf"]}
    assert found(ledger, "lf") == set()


def test_id_number_suffix_and_prefix(office):
    ledger, p = office
    assert found(ledger, "1224") == {p["wlf"]}
    assert found(ledger, "4302021990") == {p["wlf"]}
    assert found(ledger, "430202199003041224") == {p["wlf"]}
    assert found(ledger, "9999") == set()


def test_id_suffix_with_x_is_case_insensitive(ledger):
    b.unit(ledger, "430202001", "仙庾镇", "乡镇")
    xid = next(b.make_id("1991-01-01", serial=n) for n in range(1, 2000)
               if b.make_id("1991-01-01", serial=n).endswith("X"))
    her = b.woman(ledger, "刘敏", "430202001", born="1991-01-01", id_number=xid)
    assert found(ledger, xid[-3:].lower()) == {her}


def test_terms_separated_by_spaces_must_all_match(office):
    ledger, p = office
    assert found(ledger, "王 1224") == {p["wlf"]}
    assert found(ledger, "王 lxy") == set()


def test_exited_cards_are_hidden_unless_asked_for(office):
    ledger, p = office
    assert p["gone"] not in found(ledger, "王")
    assert found(ledger, "王", status=search.EXITED) == {p["gone"]}
    assert p["gone"] in found(ledger, "美丽", status=search.ALL)


def test_unit_filter_takes_the_subtree(office):
    ledger, p = office
    town = ledger.db.execute("select id from units where code = '430202001'").fetchone()[0]
    village = ledger.db.execute("select id from units where code = '430202001002'").fetchone()[0]
    assert found(ledger, unit_id=village) == {p["wf"], p["lxy"]}
    assert found(ledger, unit_id=town) == {p["wlf"], p["wf"], p["lxy"], p["zlf"]}


def test_marital_residence_and_age_filters(office):
    ledger, p = office
    assert found(ledger, marital_statuses=("未婚",)) == {p["lxy"]}
    assert found(ledger, residence="流入") == set()
    # On 2026-03-04 王丽芳 has just turned 36; 王芳 is 40; 张丽芬 47; 李秀英 26.
    assert found(ledger, age_min=36, age_max=40, on="2026-03-04") == {p["wlf"], p["wf"]}
    assert found(ledger, age_min=36, age_max=40, on="2026-03-03") == {p["wf"]}


def test_measure_and_children_filters(office):
    ledger, p = office
    b.measure(ledger, p["wlf"], "宫内节育器", "2020-01-01")
    b.measure(ledger, p["wf"], "宫内节育器", "2015-01-01", end="2019-01-01")
    b.child(ledger, p["wf"], 1, born="2014-05-01")
    assert found(ledger, measure="宫内节育器") == {p["wlf"]}
    assert found(ledger, measure=search.NO_MEASURE) == {p["wf"], p["lxy"], p["zlf"]}
    assert found(ledger, children_from="2014-01-01", children_to="2014-12-31") == {p["wf"]}
    assert found(ledger, children_from="2015-01-01") == set()


def test_sorting_in_sql_with_a_stable_tie_breaker(office):
    ledger, p = office
    by_birth = search.ids(ledger.db, Query("", Filters(), sort="birth_date"))
    assert by_birth == [p["zlf"], p["wf"], p["wlf"], p["lxy"]]
    newest_first = search.ids(ledger.db, Query("", Filters(), sort="birth_date", descending=True))
    assert newest_first == list(reversed(by_birth))


def test_pages_follow_each_other_without_gaps(office):
    ledger, _ = office
    query = Query("", Filters(status=search.ALL))
    everything = search.ids(ledger.db, query, limit=100)
    paged = search.ids(ledger.db, query, limit=2) + search.ids(ledger.db, query, limit=2, offset=2) \
        + search.ids(ledger.db, query, limit=2, offset=4)
    assert paged == everything and len(everything) == 5


def test_index_follows_renames_id_corrections_and_deletions(office):
    ledger, p = office
    with ledger.write() as db:
        db.execute("update women set name = '王小芳', husband_name = '周杰' where id = ?", [p["wf"]])
        db.execute("update women set id_number = '430202199003047777' where id = ?", [p["wlf"]])
    assert found(ledger, "小芳") == {p["wf"]}
    assert found(ledger, "赵强") == set()
    assert found(ledger, "周杰") == {p["wf"]}
    assert found(ledger, "1224") == set()
    assert found(ledger, "7777") == {p["wlf"]}
    with ledger.write() as db:
        db.execute("delete from women where id = ?", [p["lxy"]])
    assert found(ledger, "秀英") == set()


def test_page_rows_carry_current_measure_and_child_count(office):
    ledger, p = office
    b.measure(ledger, p["wlf"], "宫内节育器", "2020-01-01")
    b.child(ledger, p["wlf"], 1, born="2015-05-01")
    rows = search.page(ledger.db, Query("王丽芳"))
    assert [(r["name"], r["measure"], r["children"]) for r in rows] == [("王丽芳", "宫内节育器", 1)]


def test_quotes_and_fts_syntax_characters_are_plain_text(office):
    ledger, _ = office
    assert found(ledger, '王"') == found(ledger, "王")   # punctuation is not part of a name
    assert found(ledger, "*") == set()
    assert found(ledger, "王 AND") == set()


def test_a_bulk_insert_indexes_the_new_cards_exactly_as_the_trigger_does(ledger):
    """The import's bulk path (trigger suspended, new rows indexed afterwards) finds what the
    per-row trigger finds; updates and deletes still keep the index right afterwards."""
    from app.exchange.registry_columns import DEFER_INDEXES_FROM, bulk_insert
    from app.schema import search as search_schema

    b.unit(ledger, "430202001", "仙庾镇", "乡镇")
    unit_id = ledger.db.execute("select id from units").fetchone()[0]
    by_trigger = b.woman(ledger, "王丽芳", "430202001", born="1990-03-04", husband="李建国",
                         id_number="430202199003041224", name_initials="wlf")
    cols = ["id_number", "name", "birth_date", "hukou_type", "residence", "unit_id", "marital_status",
            "husband_name", "name_initials", "created_at", "updated_at"]
    rows = [(b.make_id("1991-01-01"), "欧阳丽芳" if i == 0 else f"赵{i}芳", "1991-01-01", "农业", "常住", unit_id,
             "初婚", "王建国" if i == 0 else None, "oylf", "2026-01-01", "2026-01-01")
            for i in range(DEFER_INDEXES_FROM + 5)]
    with ledger.write() as db:
        bulk_insert(db, "women", cols, rows)
    assert search.count(ledger.db, Query("芳", Filters(status="all"))) == len(rows) + 1
    assert ledger.db.execute("select count(*) from sqlite_master where name = 'women_search_insert'").fetchone()[0] == 1
    assert ledger.db.execute("select count(*) from sqlite_master where type = 'index' and tbl_name = 'women'"
                             " and sql is not null").fetchone()[0] >= 6
    first = ledger.db.execute("select id from women where name = '欧阳丽芳'").fetchone()[0]
    assert {by_trigger, first} <= found(ledger, "丽芳")
    assert first in found(ledger, "欧阳丽")
    assert first in found(ledger, rows[0][0][-6:])
    assert by_trigger in found(ledger, "建国") and first in found(ledger, "建国")
    before = {r for r in ledger.db.execute("select id, id_reversed from women")}
    assert all(rev == search_schema.id_reversed(n) for n, rev in ledger.db.execute(
        "select id_number, id_reversed from women"))
    with ledger.write() as db:
        search_schema.rebuild(db)
    assert {r for r in ledger.db.execute("select id, id_reversed from women")} == before
    assert first in found(ledger, "欧阳丽") and by_trigger in found(ledger, "丽芳")
    with ledger.write() as db:
        db.execute("update women set name = '欧阳秀英' where id = ?", [first])
        db.execute("delete from women where id = ?", [first + 1])
    assert first not in found(ledger, "丽芳") and first in found(ledger, "秀英")
    assert ledger.db.execute("select count(*) from women where id = ?", [first + 1]).fetchone()[0] == 0
    assert found(ledger, "赵1芳", status="all") == set() and found(ledger, "赵2芳") == {first + 2}
