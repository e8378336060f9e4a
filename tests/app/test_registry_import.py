"""The registry sheets of the standard workbook: all-or-nothing, every error, idempotent,
updates listed, findings after success, round trip through export-workbook."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app import registry
from app.errors import UserInputError
from app.exchange.export_workbook import export_workbook
from app.exchange.workbook import ImportFailed, import_workbook
from app.ledger import Ledger
from tests import builders as b

UNITS = [("单位代码", "单位名称", "单位类型", "上级单位代码"),
         ("430202", "荷塘区", "区县", None), ("430202101", "仙庾镇", "乡镇", "430202"),
         ("430202101201", "桃花村", "村", "430202101")]
WOMEN_HEAD = ("证件号码", "姓名", "户口性质", "居住状态", "单位代码", "婚姻状况", "初婚日期", "丈夫姓名")


def write_book(path: Path, sheets: dict[str, list[tuple]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def woman_row(id_number: str, name: str = "王丽芳", **kw) -> tuple:
    values = {"户口性质": "农业", "居住状态": "常住", "单位代码": "430202101201", "婚姻状况": "初婚",
              "初婚日期": "2012-01-01", "丈夫姓名": "张伟"} | kw
    return (id_number, name, *[values[h] for h in WOMEN_HEAD[2:]])


def counts(ledger) -> tuple:
    return tuple(ledger.db.execute(f"select count(*) from {t}").fetchone()[0]
                 for t in ("units", "women", "children", "contraception", "procedures"))


def test_broken_rows_write_nothing_and_every_error_is_reported(ledger, tmp_path):
    good = b.make_id("1990-05-01")
    bad_check = good[:17] + ("1" if good[17] != "1" else "2")
    path = write_book(tmp_path / "in.xlsx", {
        "单位": UNITS,
        "育龄妇女": [WOMEN_HEAD, woman_row(good),
                   woman_row(bad_check, "李丽"),
                   woman_row(b.make_id("1991-01-01"), "赵敏", 户口性质="城市"),
                   woman_row(b.make_id("1992-01-01"), "孙娟", 单位代码="999", 初婚日期="2012-13-01"),
                   woman_row(good, "重复")],
        "子女": [("母亲证件号码", "孩次", "性别", "出生日期", "政策属性"),
               (good, 1, "女", "2014-03-01", "政策内"),
               (b.make_id("1980-01-01"), 1, "男", "2015-03-01", "政策内"),
               (good, "二", "男", "2099-01-01", "未知")],
    })
    with pytest.raises(ImportFailed) as err:
        import_workbook(ledger, path)
    text = [str(e) for e in err.value.errors]
    assert any(t.startswith("育龄妇女!3 证件号码: 校验位错误，应为") for t in text)
    assert "育龄妇女!4 户口性质: “城市”不是有效值，应为：农业、非农业" in text
    assert "育龄妇女!5 单位代码: 单位代码“999”在单位表和台帐中都没有" in text
    assert any(t.startswith("育龄妇女!5 初婚日期:") for t in text)
    assert "育龄妇女!6 证件号码: 与第 2 行重复" in text
    assert any(t.startswith("子女!3 母亲证件号码:") and "都没有" in t for t in text)
    assert {t.split(" ")[0] for t in text if t.startswith("子女!4")} == {"子女!4"}
    assert len([t for t in text if t.startswith("子女!4")]) == 3   # 孩次, 出生日期, 政策属性
    assert counts(ledger) == (0, 0, 0, 0, 0)


def test_an_id_typed_as_a_number_gets_a_clear_message(ledger, tmp_path):
    path = write_book(tmp_path / "in.xlsx", {"单位": UNITS,
                                             "育龄妇女": [WOMEN_HEAD, woman_row(430202199005011220)]})
    with pytest.raises(ImportFailed) as err:
        import_workbook(ledger, path)
    assert "证件号码被存成了数字" in str(err.value.errors[0])


def test_reimporting_the_same_workbook_changes_nothing_and_updates_are_listed(ledger, tmp_path):
    wid_number = b.make_id("1990-05-01")
    rows = {"单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(wid_number)],
            "子女": [("母亲证件号码", "孩次", "性别", "出生日期", "政策属性", "上报日期"),
                   (wid_number, 1, "女", "2014-03-01", "计划内", "2014-03-20")],
            "节育措施": [("证件号码", "措施", "开始日期"), (wid_number, "上环", "2014-08-01")],
            "手术": [("证件号码", "手术类型", "手术日期", "手术单位"), (wid_number, "上环", "2014-08-01", "区妇幼")]}
    first = import_workbook(ledger, write_book(tmp_path / "a.xlsx", rows))
    assert first.sheets["育龄妇女"].inserted == 1 and first.sheets["手术"].inserted == 1
    before = counts(ledger)
    audit_rows = ledger.db.execute("select count(*) from audit_log").fetchone()[0]
    again = import_workbook(ledger, write_book(tmp_path / "a.xlsx", rows))
    assert counts(ledger) == before == (3, 1, 1, 1, 1)
    assert all(s.inserted == 0 and s.updated == 0 for s in again.sheets.values())
    assert ledger.db.execute("select count(*) from audit_log").fetchone()[0] == audit_rows + 1  # the import entry
    rows["育龄妇女"] = [WOMEN_HEAD, woman_row(wid_number, "王丽华")]
    changed = import_workbook(ledger, write_book(tmp_path / "b.xlsx", rows))
    assert changed.sheets["育龄妇女"].updated == 1
    assert changed.sheets["育龄妇女"].updates == [f"王丽华 {wid_number}: 姓名 王丽芳 → 王丽华"]
    card = registry.get_card(ledger.db, 1)
    assert card["name_initials"] == "wlh"
    assert registry.change_log(ledger.db, 1)[-1]["action"] == "导入修改卡片"


def test_inconsistencies_are_imported_and_listed_after_success(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    rows = {"单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(number)],
            "子女": [("母亲证件号码", "孩次", "性别", "出生日期", "政策属性"),
                   (number, 1, "女", "2016-03-01", "政策内"), (number, 2, "男", "2014-03-01", "政策内")],
            "手术": [("证件号码", "手术类型", "手术日期"), (number, "取环", "2015-01-01")]}
    result = import_workbook(ledger, write_book(tmp_path / "a.xlsx", rows))
    assert counts(ledger)[2] == 2
    messages = [str(w) for w in result.warnings]
    assert any("孩次顺序不符" in m for m in messages)
    assert any("没有宫内节育器" in m for m in messages)
    assert messages[0].startswith("逻辑校核: 导入的记录中有")


def test_a_procedure_sheet_alone_updates_the_history(ledger, tmp_path):
    number = b.make_id("1990-05-01")
    rows = {"单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(number)],
            "手术": [("证件号码", "手术类型", "手术日期"), (number, "上环", "2014-08-01"), (number, "取环", "2016-01-01")]}
    import_workbook(ledger, write_book(tmp_path / "a.xlsx", rows))
    history = registry.get_card(ledger.db, 1)["contraception"]
    assert [(m["method"], m["start_date"], m["end_date"]) for m in history] == [("宫内节育器", "2014-08-01", "2016-01-01")]


@pytest.mark.parametrize("name, content, message", [
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel 97-2003"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "密码"),
    ("notes.xlsx", b"just some text, not a workbook", "不是 Excel 工作簿"),
])
def test_files_that_are_not_workbooks_get_a_clear_message(ledger, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserInputError, match=message):
        import_workbook(ledger, path)


def snapshot(ledger) -> dict:
    """The ledger's facts without internal ids and timestamps."""
    db = ledger.db
    women_cols = [c for c in registry.WOMAN_COLUMNS if c != "unit_id"]
    return {
        "units": sorted(db.execute("""select u.code, u.kind, u.supervisor_code, v.name, p.code from units u
            join unit_versions v on v.unit_id = u.id and v.valid_to is null
            left join units p on p.id = v.parent_id""").fetchall()),
        "women": sorted(db.execute(f"select u.code, w.name_initials, {', '.join('w.' + c for c in women_cols)}"
                                   " from women w join units u on u.id = w.unit_id").fetchall()),
        "children": sorted(db.execute("""select w.id_number, c.birth_order, c.name, c.sex, c.birth_date, c.policy,
            c.kinship, c.health, c.reported_date, c.death_date, c.out_of_wedlock
            from children c join women w on w.id = c.mother_id""").fetchall(), key=repr),
        "contraception": sorted(db.execute("""select w.id_number, c.method, c.start_date, c.end_date, c.provider
            from contraception c join women w on w.id = c.woman_id""").fetchall(), key=repr),
        "procedures": sorted(db.execute("""select w.id_number, p.kind, p.date, p.provider
            from procedures p join women w on w.id = p.woman_id""").fetchall(), key=repr),
    }


def test_export_then_import_into_an_empty_ledger_gives_the_same_ledger(ledger, tmp_path):
    b.unit(ledger, "430202", "荷塘区", "区县")
    b.unit(ledger, "430202901", "荷塘区教育局", "公共单位", parent="430202")
    b.unit(ledger, "430202001", "月塘街道", "街道", parent="430202")
    b.unit(ledger, "430202001801", "荷塘区第一中学", "公共单位", parent="430202001", supervisor="430202901")
    b.unit(ledger, "430202001001", "新华社区", "社区", parent="430202001")
    first = registry.save_woman(ledger, {
        "id_number": b.make_id("1988-02-29"), "name": "欧阳丽", "hukou_type": "非农业", "residence": "流入",
        "float_reason": "务工经商", "float_date": "2019-03-01", "float_cert_no": "湘123", "float_cert_date": "2019-03-02",
        "marital_status": "再婚", "first_marriage_date": "2010-05-01", "marital_change_date": "2016-01-01",
        "husband_name": "张伟", "husband_id_number": b.make_id("1986-01-01", female=False),
        "husband_hukou_type": "农业", "husband_employer": "株洲电机", "unit_code": "430202001001", "phone": "13812345678",
        "ethnicity": "土家族", "education": "大学本科", "address": "新华社区3组5号", "hukou_place": "湖南衡阳",
        "employer": "超市", "card_date": "2019-03-05"}).id
    registry.add_child(ledger, first, {"birth_order": 1, "sex": "女", "birth_date": "2011-06-01", "policy": "政策内",
                                       "name": "张梓涵", "reported_date": None, "health": "健康"})
    registry.add_child(ledger, first, {"birth_order": 2, "sex": "男", "birth_date": "2017-06-01", "policy": "政策外",
                                       "kinship": "继子女", "death_date": "2018-01-01"})
    registry.add_measure(ledger, first, "避孕套", "2011-09-01")
    registry.record_procedure(ledger, first, "上环", "2012-01-01", provider="区妇幼保健院")
    registry.record_procedure(ledger, first, "取环", "2016-09-01")
    registry.record_procedure(ledger, first, "人工流产", "2016-10-01")
    registry.record_procedure(ledger, first, "女扎", "2018-03-01")
    second = registry.save_woman(ledger, {"id_number": b.make_id("2001-07-01"), "name": "李静", "hukou_type": "农业",
                                          "residence": "常住", "marital_status": "未婚", "unit_code": "430202001801"}).id
    registry.exit_card(ledger, second, "迁出", "2024-01-01")
    out = tmp_path / "全台帐.xlsx"
    written = export_workbook(ledger, out)
    assert written["育龄妇女"] == 2 and written["子女"] == 2 and written["手术"] == 4
    with Ledger.create(tmp_path / "empty.db", "新台帐", actor="test") as fresh:
        import_workbook(fresh, out)
        assert snapshot(fresh) == snapshot(ledger)
        again = import_workbook(fresh, out)
        assert all(s.inserted == 0 and s.updated == 0 for s in again.sheets.values())
        assert snapshot(fresh) == snapshot(ledger)


def test_export_writes_ids_as_text_and_is_atomic(ledger, tmp_path):
    b.unit(ledger, "430202", "荷塘区", "区县")
    b.woman(ledger, "李丽", unit="430202")
    b.population(ledger, "430202", "2026-03", 1000, 2)
    out = tmp_path / "x.xlsx"
    export_workbook(ledger, out)
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["单位", "人口基数", "育龄妇女", "子女", "节育措施", "手术"]
    women = list(book["育龄妇女"].iter_rows(values_only=True))
    assert isinstance(women[1][0], str) and len(women[1][0]) == 18
    assert list(book["人口基数"].iter_rows(values_only=True))[1] == ("430202", "2026-03", 1000, 2)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    with pytest.raises(UserInputError):
        export_workbook(ledger, tmp_path / "x.csv")


def test_demo_township_round_trips_through_the_workbook(tmp_path):
    from app import demo

    with Ledger.create(tmp_path / "demo.db", "仙庾镇计生办", actor="test") as source:
        demo.generate(source, "township", seed=3)
        export_workbook(source, tmp_path / "demo.xlsx")
        expected = snapshot(source)
    with Ledger.create(tmp_path / "copy.db", "新台帐", actor="test") as copy:
        import_workbook(copy, tmp_path / "demo.xlsx")
        assert snapshot(copy) == expected


@pytest.mark.parametrize("bulk", [False, True], ids=["indexes kept", "indexes rebuilt beside the checks"])
def test_a_typed_birth_date_disagreeing_with_the_id_is_imported_and_listed(ledger, tmp_path, monkeypatch, bulk):
    from app.exchange import registry_columns

    if bulk:   # the identity checks then run on this thread while a helper rebuilds the indexes
        monkeypatch.setattr(registry_columns, "DEFER_INDEXES_FROM", 2)
    number, other = b.make_id("1990-05-01"), b.make_id("1991-06-01")
    head = (*WOMEN_HEAD, "出生日期")
    rows = {"单位": UNITS, "育龄妇女": [head, (*woman_row(number), "1990-05-02"), (*woman_row(other, "李芳"), None)]}
    result = import_workbook(ledger, write_book(tmp_path / "a.xlsx", rows))
    assert counts(ledger)[1] == 2
    lines = [str(w) for w in result.warnings if "出生日期 1990-05-02 与证件号码中的 1990-05-01 不一致" in str(w)]
    assert len(lines) == 1 and "王丽芳" in lines[0]
    indexes = ledger.db.execute("select count(*) from sqlite_master where type = 'index' and tbl_name = 'women'"
                                " and sql is not null").fetchone()[0]
    assert indexes >= 7
    assert [r[0] for r in ledger.db.execute("select name from women where id_reversed >= ? and id_reversed < ?",
                                            [other[::-1][:6], other[::-1][:5] + chr(ord(other[-6]) + 1)])] == ["李芳"]


def test_statistics_after_an_import_count_every_row_written(ledger, tmp_path, monkeypatch):
    """The closing ANALYZE skips only tables a bulk insert analysed after its last write: the
    contraception rows a 手术 sheet adds after the 节育措施 sheet's bulk insert are counted."""
    from app.exchange import registry_columns

    monkeypatch.setattr(registry_columns, "DEFER_INDEXES_FROM", 2)   # the bulk path (indexes deferred, analysed)
    numbers = [b.make_id(f"199{i}-05-01") for i in range(3)]
    rows = {"单位": UNITS, "育龄妇女": [WOMEN_HEAD, *(woman_row(n, f"王{i}芳") for i, n in enumerate(numbers))],
            "节育措施": [("证件号码", "措施", "开始日期"), *((n, "避孕套", "2015-01-01") for n in numbers)],
            "手术": [("证件号码", "手术类型", "手术日期"), (numbers[0], "上环", "2016-08-01")]}
    import_workbook(ledger, write_book(tmp_path / "a.xlsx", rows))
    for table in ("women", "contraception", "procedures", "units"):
        total = ledger.db.execute(f"select count(*) from {table}").fetchone()[0]
        stats = {int(r[0].split()[0]) for r in ledger.db.execute("select stat from sqlite_stat1 where tbl = ?", [table])}
        assert stats == {total}, table
    assert ledger.db.execute("select count(*) from contraception").fetchone()[0] == 4


def test_an_import_is_preceded_by_a_backup_and_a_refused_file_leaves_none(ledger, tmp_path):
    """The '导入前' backup is taken while the workbook is parsed: kept (and rotated) when the
    import goes ahead, deleted when the file cannot be imported at all."""
    from app import backups
    from app.paths import backup_dir_for

    def before_import() -> list:
        return [x for x in backups.list_backups(backup_dir_for(ledger.path)) if x.reason == "导入前"]

    (tmp_path / "notes.xlsx").write_bytes(b"just text")
    with pytest.raises(UserInputError):
        import_workbook(ledger, tmp_path / "notes.xlsx")
    with pytest.raises(ImportFailed):
        import_workbook(ledger, write_book(tmp_path / "a.xlsx", {"育龄妇女": [("姓名",), ("王丽芳",)]}))
    assert before_import() == []
    number = b.make_id("1990-05-01")
    import_workbook(ledger, write_book(tmp_path / "b.xlsx", {"单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(number)]}))
    made = before_import()
    assert len(made) == 1 and ledger.last_backup.path == made[0].path
    assert backups.verify_file(made[0].path) is None
    copy = backups.connect_read_only(made[0].path)   # taken before the cards went in
    try:
        assert copy.execute("select count(*) from women").fetchone()[0] == 0
    finally:
        copy.close()


def test_a_failed_backup_stops_the_import_before_anything_is_written(ledger, tmp_path, monkeypatch):
    from app import backups

    def broken(*_args, **_kw):
        raise OSError("磁盘已满")

    monkeypatch.setattr(backups, "make_backup", broken)
    number = b.make_id("1990-05-01")
    with pytest.raises(OSError, match="磁盘已满"):
        import_workbook(ledger, write_book(tmp_path / "b.xlsx", {"单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(number)]}))
    assert counts(ledger) == (0, 0, 0, 0, 0)
