"""The registry's card operations (app.registry): save, children, measures, procedures, exits."""

from __future__ import annotations

from datetime import date

import pytest

from app import registry
from app.errors import UserInputError
from app.registry import RegistryError
from tests import builders as b


@pytest.fixture
def office(ledger):
    b.unit(ledger, "430202", "荷塘区", "区县")
    b.unit(ledger, "430202101", "仙庾镇", "乡镇", parent="430202")
    b.unit(ledger, "430202101201", "桃花村", "村", parent="430202101")
    return ledger


def card(**kw) -> dict:
    fields = {"id_number": b.make_id("1990-05-01"), "name": "王丽芳", "hukou_type": "农业",
              "residence": "常住", "marital_status": "初婚", "first_marriage_date": "2012-01-01",
              "unit_code": "430202101201"}
    return fields | kw


def test_a_new_card_takes_birth_date_from_the_id_and_keeps_pinyin_initials(office):
    result = registry.save_woman(office, card())
    saved = registry.get_card(office.db, result.id)
    assert saved["birth_date"] == "1990-05-01"
    assert saved["name_initials"] == "wlf"
    assert saved["unit_name"] == "桃花村"
    assert saved["card_date"] == date.today().isoformat()
    # A married woman without a measure: a warning, not a refusal.
    assert [w.check for w in result.warnings] == ["contraception"]


def test_renaming_updates_the_initials_and_is_in_the_change_log(office):
    wid = registry.save_woman(office, card()).id
    result = registry.save_woman(office, {"name": "曾小红"}, wid)
    assert result.changes["name"] == ("王丽芳", "曾小红")
    assert registry.get_card(office.db, wid)["name_initials"] == "zxh"
    log = registry.change_log(office.db, wid)
    assert [e["action"] for e in log] == ["新建卡片", "修改卡片"]
    assert log[1]["before"]["name"] == "王丽芳" and log[1]["after"]["name"] == "曾小红"


def test_malformed_input_is_refused_with_every_reason_and_nothing_written(office):
    with pytest.raises(RegistryError) as err:
        registry.save_woman(office, card(id_number="430202199005011234", hukou_type="城市", unit_code="999"))
    message = str(err.value)
    assert "校验位错误" in message and "户口性质" in message and "单位代码“999”不存在" in message
    assert isinstance(err.value, UserInputError)
    assert office.db.execute("select count(*) from women").fetchone()[0] == 0


def test_a_duplicate_id_number_is_refused(office):
    first = card()
    registry.save_woman(office, first)
    with pytest.raises(RegistryError, match="已登记在“王丽芳”的卡片上"):
        registry.save_woman(office, card(name="李四", id_number=first["id_number"]))


def test_a_fifteen_digit_id_is_stored_converted(office):
    wid = registry.save_woman(office, card(id_number="430202900501122")).id
    assert len(registry.get_card(office.db, wid)["id_number"]) == 18


def test_an_id_disagreeing_with_the_typed_birth_date_blocks_the_save(office):
    with pytest.raises(RegistryError, match="不一致"):
        registry.save_woman(office, card(birth_date="1990-05-02"))


def test_errors_the_card_already_had_do_not_block_an_unrelated_edit(office):
    wid = b.woman(office, "李丽", unit="430202101201", married=None, marital="初婚")  # imported imperfect
    result = registry.save_woman(office, {"phone": "13812345678"}, wid)
    assert [f.check for f in result.remaining_errors] == ["marriage"]
    with pytest.raises(RegistryError):      # but a new error does block
        registry.save_woman(office, {"birth_date": "1990-01-02"}, wid)


def test_a_child_entered_today_is_reported_today(office):
    wid = registry.save_woman(office, card()).id
    result = registry.add_child(office, wid, {"birth_order": 1, "sex": "女", "birth_date": "20140315",
                                              "policy": "计划内"})
    child = registry.get_card(office.db, wid)["children"][0]
    assert child["id"] == result.id
    assert child["reported_date"] == date.today().isoformat()
    assert child["policy"] == "政策内" and child["birth_date"] == "2014-03-15"
    registry.update_child(office, result.id, {"name": "王子涵", "reported_date": "2014-04-01"})
    assert registry.get_card(office.db, wid)["children"][0]["reported_date"] == "2014-04-01"
    assert [e["action"] for e in registry.change_log(office.db, wid)][-2:] == ["新增子女", "修改子女"]


def test_a_child_out_of_birth_order_or_before_marriage_is_refused(office):
    wid = registry.save_woman(office, card()).id
    registry.add_child(office, wid, {"birth_order": 1, "sex": "女", "birth_date": "2016-03-15", "policy": "政策内"})
    with pytest.raises(RegistryError, match="孩次顺序不符"):
        registry.add_child(office, wid, {"birth_order": 2, "sex": "男", "birth_date": "2014-03-15", "policy": "政策内"})
    with pytest.raises(RegistryError, match="早于母亲初婚日期"):
        registry.add_child(office, wid, {"birth_order": 2, "sex": "男", "birth_date": "2011-03-15", "policy": "政策内"})
    registry.add_child(office, wid, {"birth_order": 2, "sex": "男", "birth_date": "2019-03-15",
                                     "policy": "政策内"})


def test_a_birth_while_an_iud_is_in_effect_is_saved_with_a_warning(office):
    wid = registry.save_woman(office, card()).id
    registry.record_procedure(office, wid, "上环", "2013-01-10")
    result = registry.add_child(office, wid, {"birth_order": 1, "sex": "男", "birth_date": "2016-03-15",
                                              "policy": "政策内"})
    assert "measure_failure" in [w.check for w in result.warnings]


def test_procedures_update_the_contraception_history(office):
    wid = registry.save_woman(office, card()).id
    registry.add_measure(office, wid, "避孕套", "2012-02-01")
    registry.record_procedure(office, wid, "上环", "2013-01-10", provider="区妇幼保健院")
    history = registry.get_card(office.db, wid)["contraception"]
    assert [(m["method"], m["start_date"], m["end_date"]) for m in history] == [
        ("避孕套", "2012-02-01", "2013-01-10"), ("宫内节育器", "2013-01-10", None)]
    registry.record_procedure(office, wid, "取环", "2015-06-01")
    registry.record_procedure(office, wid, "女扎", "2017-06-01")
    saved = registry.get_card(office.db, wid)
    assert [(m["method"], m["end_date"]) for m in saved["contraception"]] == [
        ("避孕套", "2013-01-10"), ("宫内节育器", "2015-06-01"), ("女扎", None)]
    assert saved["current_measure"] == "女扎"
    assert [p["kind"] for p in saved["procedures"]] == ["上环", "取环", "女扎"]


def test_iud_removal_without_an_iud_and_insertion_while_sterilized_are_refused(office):
    wid = registry.save_woman(office, card()).id
    with pytest.raises(RegistryError, match="没有在用的宫内节育器"):
        registry.record_procedure(office, wid, "取环", "2015-06-01")
    registry.record_procedure(office, wid, "女扎", "2016-06-01")
    with pytest.raises(RegistryError, match="不能上环"):
        registry.record_procedure(office, wid, "放置宫内节育器", "2017-06-01")
    assert office.db.execute("select count(*) from procedures").fetchone()[0] == 1


def test_add_and_end_a_measure(office):
    wid = registry.save_woman(office, card()).id
    measure = registry.add_measure(office, wid, "口服药", "2012-02-01").id
    with pytest.raises(RegistryError, match="早于开始日期"):
        registry.end_measure(office, measure, "2011-01-01")
    registry.end_measure(office, measure, "2013-02-01")
    assert registry.get_card(office.db, wid)["contraception"][0]["end_date"] == "2013-02-01"


def test_exit_and_restore_a_card(office):
    wid = registry.save_woman(office, card()).id
    registry.exit_card(office, wid, "迁出", "2025-01-01")
    assert registry.get_card(office.db, wid)["exit_reason"] == "迁出"
    with pytest.raises(RegistryError, match="已于 2025-01-01"):
        registry.exit_card(office, wid, "死亡", "2025-02-01")
    registry.restore_card(office, wid)
    restored = registry.get_card(office.db, wid)
    assert restored["exit_reason"] is None and restored["exit_date"] is None
    assert [e["action"] for e in registry.change_log(office.db, wid)][-2:] == ["出队", "恢复卡片"]


def test_women_turning_50_are_due_and_exit_in_one_step(office):
    old = b.woman(office, "张老", unit="430202101201", born="1976-03-10", married="1998-01-01")
    b.woman(office, "李小", unit="430202101201", born="1976-07-10", married="1998-01-01")
    due = registry.due_to_exit_over_age(office.db, "2026-06-30")
    assert [d["id"] for d in due] == [old] and due[0]["fiftieth_birthday"] == "2026-03-10"
    assert registry.bulk_exit_over_age(office, "2026-06-30") == 1
    assert registry.get_card(office.db, old)["exit_reason"] == "超龄"
    assert registry.get_card(office.db, old)["exit_date"] == "2026-03-10"
    assert registry.due_to_exit_over_age(office.db, "2026-06-30") == []
    assert registry.change_log(office.db, old)[-1]["action"] == "超龄出队"


def test_revealing_a_full_id_needs_the_role_and_is_audited(office):
    from app.accounts import User
    from app.errors import PermissionDenied

    wid = registry.save_woman(office, card(phone="13812345678")).id
    office.user = User(1, "clerk", "小王", "工作人员")
    with pytest.raises(PermissionDenied):
        registry.reveal(office, wid)
    office.user = User(2, "head", "李科长", "科室负责人")
    assert registry.reveal(office, wid)["phone"] == "13812345678"
    assert registry.change_log(office.db, wid)[-1]["action"] == "查看完整证件号码"


def test_a_card_carries_no_search_data(ledger):
    """`women.id_reversed` (the whole ID number backwards, for suffix search) is not part of a card."""
    b.unit(ledger, "430202001", "仙庾镇", "乡镇")
    wid = b.woman(ledger, "王丽芳", "430202001", born="1990-03-04")
    card = registry.get_card(ledger.db, wid)
    assert "id_reversed" not in card and "name_initials" in card
    assert ledger.db.execute("select id_reversed from women where id = ?", [wid]).fetchone()[0] == card["id_number"][::-1]
