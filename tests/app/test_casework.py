"""生育登记 and 证明 letters (DOMAIN.md §11): numbers by year that are never reused — across
concurrent use and a restore — reprints that keep their number, letters that are never deleted."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date

import pytest

from app import registry
from app.casework import certificates, numbers, registrations
from app.errors import PermissionDenied, UserInputError
from app.ledger import Ledger, restore
from app.periods import Period
from tests.builders import child, make_id, unit, woman


@pytest.fixture
def town(ledger):
    unit(ledger, "430202100", "仙庾镇", "乡镇")
    unit(ledger, "430202100201", "桃花村", "村", parent="430202100")
    return ledger


def card(ledger, name="李丽", **extra):
    return woman(ledger, name, "430202100201", born="1994-01-01", married="2018-01-01", husband="王强",
                 husband_id_number=make_id("1992-02-02", female=False), **extra)


def test_numbers_run_by_year_and_a_refused_registration_takes_none(town):
    a, b = card(town), card(town, "王芳")
    first = registrations.register_birth(town, a, 1, registered_on="2025-12-30")
    with pytest.raises(UserInputError, match="不能重复登记"):
        registrations.register_birth(town, a, 1, registered_on="2026-01-02")
    with pytest.raises(UserInputError, match="三孩"):
        registrations.register_birth(town, b, 4)
    second = registrations.register_birth(town, b, 1, registered_on="2026-01-05")
    third = registrations.register_birth(town, a, 2, registered_on="2026-01-06")
    assert (first.number, second.number, third.number) == ("2025-0001", "2026-0001", "2026-0002")


def test_registering_after_the_birth_links_the_child_and_before_it_links_when_entered(town):
    a = card(town)
    born = child(town, a, 1, born="2024-04-04", sex="女")
    after = registrations.register_birth(town, a, 1)
    assert after.child_id == born
    before = registrations.register_birth(town, a, 2, expected_date="2027-01-10")
    assert before.child_id is None and before.warnings == []
    assert [r["id"] for r in registrations.open_for(town.db, a)] == [before.id]
    result = registrations.add_child_registered(town, a, {"birth_order": 2, "sex": "男", "birth_date": "2026-11-30",
                                                          "policy": "政策内"}, before.id)
    linked = registrations.get(town.db, before.id)
    assert linked["child_id"] == result.id and linked["birth_date"] == "2026-11-30"
    assert registrations.open_for(town.db, a) == []
    actions = [e["action"] for e in registry.change_log(town.db, a)]
    assert actions[-3:] == ["办理生育登记", "新增子女", "关联生育登记"]


def test_a_registration_links_only_to_the_child_of_its_card_and_order(town):
    a, b = card(town), card(town, "王芳")
    reg = registrations.register_birth(town, a, 2)
    other = child(town, b, 2, born="2025-01-01")
    first = child(town, a, 1, born="2020-01-01")
    with pytest.raises(UserInputError, match="不是这张卡片"):
        registrations.link(town, reg.id, other)
    with pytest.raises(UserInputError, match="第 1 孩"):
        registrations.link(town, reg.id, first)


def test_a_new_card_can_be_written_with_its_registration(town):
    fields = {"name": "陈静", "id_number": make_id("1997-07-07"), "hukou_type": "农业", "residence": "常住",
              "unit_code": "430202100201", "marital_status": "初婚", "first_marriage_date": "2021-01-01"}
    done = registrations.register_birth(town, None, 1, woman_fields=fields, expected_date="2027-02-01")
    assert registry.get_card(town.db, done.woman_id)["name"] == "陈静"
    assert registrations.in_period(town.db, Period.parse(str(date.today().year), 1))["total"] == 1


def test_a_registration_list_of_a_period_counts_by_order(town):
    a, b = card(town), card(town, "王芳")
    registrations.register_birth(town, a, 1, registered_on="2026-02-01")
    registrations.register_birth(town, b, 3, registered_on="2026-02-20")
    registrations.register_birth(town, a, 2, registered_on="2026-03-01")
    feb = registrations.in_period(town.db, Period.parse("2026-02", 10))
    assert feb["total"] == 2 and feb["by_order"] == {"1": 1, "2": 0, "3": 1}


def test_two_handles_issuing_at_once_get_distinct_numbers(town):
    women = [card(town, f"女{i}") for i in range(12)]
    got: list[str] = []
    errors: list[BaseException] = []

    def issue(ids: list[int]) -> None:
        try:
            with town.worker() as view:
                for wid in ids:
                    got.append(certificates.issue(view, wid, certificates.MARRIAGE_BIRTH, "县民政局").number)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=issue, args=(women[i::3],)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(got) == 12 and len(set(got)) == 12
    year = date.today().year
    assert sorted(got) == [numbers.format_number(year, n) for n in range(1, 13)]


def test_a_number_printed_after_a_backup_is_not_reused_after_restoring_it(town, tmp_path):
    a, b = card(town), card(town, "王芳")
    registrations.register_birth(town, a, 1)
    saved = town.backup("手动")
    lost = registrations.register_birth(town, b, 1)       # printed, handed out, then the restore
    year = date.today().year
    assert lost.number == numbers.format_number(year, 2)
    path = town.path
    town.close()
    restore(path, saved.path)
    with Ledger.open(path) as again:
        assert again.db.execute("select count(*) from birth_registrations").fetchone()[0] == 1
        redone = registrations.register_birth(again, b, 1)
        assert redone.number == numbers.format_number(year, 3)
    town.conn = sqlite3.connect(":memory:")   # the fixture closes it again


def test_a_reprint_keeps_its_number_and_is_marked_and_letters_are_never_deleted(town, tmp_path):
    import subprocess

    a = card(town)
    letter = certificates.issue(town, a, certificates.MARRIAGE_BIRTH, "县人民医院", purpose="办理住院")
    certificates.print_letter(town, letter.id, tmp_path / "first.pdf")
    certificates.print_letter(town, letter.id, tmp_path / "again.pdf", today=date(2030, 1, 2))
    first = subprocess.run(["pdftotext", str(tmp_path / "first.pdf"), "-"], capture_output=True, text=True).stdout
    again = subprocess.run(["pdftotext", str(tmp_path / "again.pdf"), "-"], capture_output=True, text=True).stdout
    assert f"编号：{letter.number}" in first and f"编号：{letter.number}" in again
    assert "补打" not in first and "补打" in again and "2030-01-02 补打" in again
    assert "荷塘区人口计生局" in again and "盖章" in again
    listed = certificates.register(town.db)
    assert listed[0]["prints"] == 2 and listed[0]["reprints"] == 1 and listed[0]["recipient"] == "县人民医院"
    with pytest.raises(sqlite3.IntegrityError, match="不能删除"), town.write() as db:
        db.execute("delete from certificates")
    with pytest.raises(sqlite3.IntegrityError, match="不能改号"), town.write() as db:
        db.execute("update certificates set number = '2026-0099'")


def test_a_reprint_prints_the_facts_of_the_original(town, tmp_path):
    a = card(town)
    letter = certificates.issue(town, a, certificates.MARRIAGE_BIRTH, "县民政局")
    registry.save_woman(town, {"name": "李丽娟"}, a)
    form = certificates.letter_form(town, letter.id, reprint_on=date(2026, 5, 5))
    assert {"item": "姓名", "value": "李丽"} in form.rows and form.banner.startswith("补打")


def test_the_floating_certificate_is_written_back_to_the_card(town):
    a = card(town, residence="流出", float_reason="务工经商", float_date="2025-05-05")
    letter = certificates.issue(town, a, certificates.FLOATING, "广东省东莞市长安镇计生办", issued_on="2026-03-03")
    got = registry.get_card(town.db, a)
    assert (got["float_cert_no"], got["float_cert_date"]) == (letter.number, "2026-03-03")
    assert certificates.get(town.db, letter.id)["valid_until"] == "2029-03-03"
    assert "修改卡片" in [e["action"] for e in registry.change_log(town.db, a)]


def test_a_void_card_gets_no_letter_and_a_clerk_needs_the_permission(town):
    from app.accounts import STAFF, User

    void = card(town, exit_reason="录入错误", exit_date="2026-01-01")
    with pytest.raises(UserInputError, match="录入错误"):
        certificates.issue(town, void, certificates.MARRIAGE_BIRTH, "县民政局")
    assert town.db.execute("select count(*) from certificates").fetchone()[0] == 0
    from app.accounts import create_user

    with town.write():
        create_user(town.db, "admin", "管理员", "管理员", "secret1")
    town.user = User(99, "guest", "访客", "无此角色")
    with pytest.raises(PermissionDenied):
        certificates.issue(town, card(town, "某"), certificates.MARRIAGE_BIRTH, "x")
    town.user = User(98, "clerk", "专干", STAFF)
    assert certificates.issue(town, card(town, "某乙"), certificates.MARRIAGE_BIRTH, "x").number
