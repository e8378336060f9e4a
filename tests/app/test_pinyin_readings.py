"""Pinyin initials of names (issue 13 item 8): surname readings, given names read as words, every
plausible reading searchable, the roster in the corrected order, old ledgers recomputed."""

from __future__ import annotations

import unicodedata

import pytest

from app import migrations, pinyin, registry, search
from app.exchange.workbook import import_workbook
from app.ledger import Ledger
from app.roster import due, rounds
from app.search import Query
from tests import builders as b
from tests.app.test_registry_import import UNITS, WOMEN_HEAD, woman_row, write_book


# ---- the readings ------------------------------------------------------------------------------
@pytest.mark.parametrize("name, primary", [
    ("万俟燕", "mqy"), ("折丽", "sl"), ("秘红", "bh"), ("繁丽", "pl"), ("单于丽", "cyl"), ("澹台明", "ttm"),
    ("长丽", "cl"), ("长孙无忌", "zswj"), ("尉迟敏", "ycm"), ("李长青", "lcq"), ("陈重阳", "ccy"),
    ("王朝霞", "wzx"), ("王丽芳", "wlf"), ("单晓燕", "sxy"), ("曾丽", "zl"), ("区 美玲", "oml"),
    ("Anna李", "annal"), ("乐正红", "yzh"),
])
def test_the_primary_reading(name, primary):
    assert pinyin.initials(name) == primary
    assert pinyin.all_initials(name)[0] == primary


@pytest.mark.parametrize("name, others", [
    ("李长青", {"lzq"}), ("陈重阳", {"czy"}), ("王朝霞", {"wcx"}), ("长丽", {"zl"}), ("单晓燕", {"dxy"}),
    ("曾丽", {"cl"}), ("万俟燕", {"wqy"}), ("单于丽", {"syl", "dyl"}), ("澹台明", {"dtm"}), ("折丽", {"zl"}),
    ("王丽芳", set()), ("欧阳娜娜", set()),
    ("贾宝玉", set()), ("李红", set()),   # 贾 gǔ and 红 gōng are not readings of these names
])
def test_the_other_plausible_readings(name, others):
    assert set(pinyin.all_initials(name)[1:]) == others


def test_readings_are_bounded_and_distinct():
    many = "长重朝长重朝"   # six polyphonic characters: 2^6 combinations
    found = pinyin.all_initials("李" + many)
    assert len(found) == pinyin.MAX_READINGS == len(set(found))
    assert found[0] == pinyin.initials("李" + many)
    assert pinyin.all_initials("") == () and pinyin.initials("") is None


# The readings the office's surname list gives (issue 13): the table's letter is their first letter.
SURNAME_READINGS = {
    "单": "shàn", "曾": "zēng", "解": "xiè", "仇": "qiú", "朴": "piáo", "查": "zhā", "翟": "zhái",
    "尉": "yù", "区": "ōu", "覃": "qín", "盖": "gě", "缪": "miào", "乐": "yuè", "种": "chóng",
    "长": "cháng", "沈": "shěn", "柏": "bǎi", "万": "wàn", "折": "shé", "秘": "bì", "繁": "pó",
    "万俟": "mò qí", "单于": "chán yú", "澹台": "tán tái", "长孙": "zhǎng sūn", "尉迟": "yù chí",
    "令狐": "líng hú", "皇甫": "huáng fǔ", "宇文": "yǔ wén", "上官": "shàng guān", "欧阳": "ōu yáng",
    "司马": "sī mǎ", "诸葛": "zhū gě", "东方": "dōng fāng", "夏侯": "xià hóu", "呼延": "hū yán",
    "公孙": "gōng sūn", "慕容": "mù róng",
}


@pytest.mark.parametrize("surname, reading", SURNAME_READINGS.items())
def test_the_surname_table_follows_the_surname_readings(surname, reading):
    letters = "".join(unicodedata.normalize("NFD", s)[0] for s in reading.split())
    assert pinyin.SURNAME_INITIALS[surname] == letters
    assert pinyin.initials(surname + "丽") == letters + "l"


def test_compound_surnames_agree_with_pypinyin_reading_them_as_a_word():
    from pypinyin import Style, lazy_pinyin

    disagree = {s for s, letters in pinyin.SURNAME_INITIALS.items()
                if len(s) > 1 and "".join(lazy_pinyin(s, style=Style.FIRST_LETTER)) != letters}
    assert disagree == {"乐正"}   # yuè zhèng; pypinyin reads 乐 lè there


# ---- search, saving, renaming ---------------------------------------------------------------
@pytest.fixture
def office(ledger):
    b.unit(ledger, "430202", "荷塘区", "区县")
    b.unit(ledger, "430202101", "仙庾镇", "乡镇", parent="430202")
    b.unit(ledger, "430202101201", "桃花村", "村", parent="430202101")
    return ledger


def save(ledger, name: str, born: str = "1990-05-01") -> int:
    fields = {"id_number": b.make_id(born), "name": name, "hukou_type": "农业", "residence": "常住",
              "marital_status": "初婚", "first_marriage_date": "2012-01-01", "unit_code": "430202101201"}
    return registry.save_woman(ledger, fields).id


def found(ledger, text: str) -> set[int]:
    return set(search.ids(ledger.db, Query(text), limit=1000))


def test_a_saved_card_is_found_by_every_reading_of_its_name(office):
    li, chen, wang, chang, shan = (save(office, n) for n in ("李长青", "陈重阳", "王朝霞", "长丽", "单晓燕"))
    other = save(office, "李秀英")
    assert found(office, "lcq") == found(office, "lzq") == found(office, "LZ") == {li}
    assert found(office, "l") == {li, other}
    assert found(office, "ccy") == found(office, "czy") == {chen}
    assert found(office, "wzx") == found(office, "wcx") == {wang}
    assert found(office, "cl") == found(office, "zl") == {chang}
    assert found(office, "sxy") == found(office, "dxy") == {shan}
    assert found(office, "c") == {chen, chang}
    assert found(office, "z") == {chang}
    assert search.count(office.db, Query("lzq")) == 1
    stored = dict(office.db.execute("select id, name_initials from women").fetchall())
    assert (stored[li], stored[chen], stored[wang], stored[chang]) == ("lcq", "ccy", "wzx", "cl")


def test_a_card_whose_readings_share_a_prefix_is_found_once(office):
    both = save(office, "乐乐")   # yl, and the other readings yy, ll, ly
    assert pinyin.all_initials("乐乐") == ("yl", "yy", "ll", "ly")
    for prefix in ("y", "l", "ll", "yy"):
        assert search.ids(office.db, Query(prefix)) == [both]
        assert search.count(office.db, Query(prefix)) == 1
    assert search.count(office.db, Query("l y")) == 1   # two terms: intersected


def test_renaming_a_card_replaces_its_other_readings(office):
    wid = save(office, "李长青")
    registry.save_woman(office, {"name": "李秀英"}, wid)
    assert found(office, "lzq") == set() and found(office, "lxy") == {wid}
    registry.save_woman(office, {"name": "陈重阳"}, wid)
    assert found(office, "czy") == {wid}
    assert office.db.execute("select initials from women_name_readings").fetchall() == [("czy",)]


def test_an_imported_card_is_found_by_its_other_readings_and_a_renamed_one_loses_them(office, tmp_path):
    first, second = b.make_id("1990-05-01"), b.make_id("1991-05-01")
    import_workbook(office, write_book(tmp_path / "a.xlsx", {
        "单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(first, "李长青"), woman_row(second, "王丽芳")]}))
    ids = dict(office.db.execute("select id_number, id from women").fetchall())
    assert found(office, "lzq") == found(office, "lcq") == {ids[first]}
    import_workbook(office, write_book(tmp_path / "b.xlsx", {
        "单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(first, "李秀英"), woman_row(second, "王朝霞")]}))
    assert found(office, "lzq") == set() and found(office, "lxy") == {ids[first]}
    assert found(office, "wcx") == found(office, "wzx") == {ids[second]}


# ---- the roster order ----------------------------------------------------------------------
def test_the_due_list_is_in_the_order_of_the_corrected_initials(office):
    for name in ("陈中华", "长丽", "陈重阳"):
        save(office, name, born="1990-05-01")
    rnd = rounds.resolve(office, "2026Q2")
    names = [w.name for w in due.due_list(office, rnd)]
    # ccy < cl < czh (the per-character reading made them czy, zl: 陈中华, 陈重阳, 长丽)
    assert names == ["陈重阳", "长丽", "陈中华"]


# ---- the migration ---------------------------------------------------------------------------
def test_the_upgrade_recomputes_the_initials_and_indexes_the_other_readings(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    before = [m for m in migrations.MIGRATIONS if m[0] != "0011_name_readings"]
    monkeypatch.setattr(migrations, "MIGRATIONS", before)
    monkeypatch.setattr(migrations, "KNOWN", {m.name for m in before})
    with Ledger.create(path, "计生办") as ledger:
        b.unit(ledger, "430202", "荷塘区", "区县")
        for name, old in (("长丽", "zl"), ("陈重阳", "czy"), ("王丽芳", "wlf")):
            b.woman(ledger, name, "430202", name_initials=old)
        assert "women_name_readings" not in ledger.db.table_names()
    monkeypatch.undo()
    with Ledger.open(path) as ledger:
        assert migrations.pending(ledger.db) == []
        stored = dict(ledger.db.execute("select name, name_initials from women").fetchall())
        assert stored == {"长丽": "cl", "陈重阳": "ccy", "王丽芳": "wlf"}
        assert found(ledger, "zl") == found(ledger, "cl") != set()
        assert len(found(ledger, "czy")) == 1
        with ledger.write() as db:   # the triggers follow a rename and a delete
            db.execute("update women set name = '王芳' where name = '长丽'")
            db.execute("delete from women where name = '陈重阳'")
        assert ledger.db.execute("select count(*) from women_name_readings").fetchone()[0] == 0

