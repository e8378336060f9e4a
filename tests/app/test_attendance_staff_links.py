"""Linking staff to logins (issue 7): the 人员 sheet's 登录账户 column and who may change roles
and links. A link is what makes a signed-in user act as that person for leave."""

from __future__ import annotations

import pytest

from app import accounts
from app.accounts import create_user
from app.attendance import importer
from app.attendance import staff as staff_mod
from app.errors import PermissionDenied, UserInputError
from app.exchange.workbook import ImportFailed
from tests.app.test_attendance_import import write_xlsx
from tests.builders import as_setup_admin

HEADER = ("工号", "姓名", "科室", "职务", "角色", "登录账户")


def make_user(ledger, username: str, role: str = accounts.STAFF) -> accounts.User:
    with ledger.write("新增用户", "user", username) as db:
        return create_user(db, username, username, role, "secret-123")


def import_as_office(ledger, path):
    """The import as the signed-in user, or (nobody signed in) as the office's 管理员."""
    with as_setup_admin(ledger):
        return importer.import_file(ledger, path)


def people_sheet(tmp_path, *rows):
    return write_xlsx(tmp_path / "人员.xlsx", {"人员": [HEADER, *rows]})


def test_the_people_sheet_links_a_login_and_a_reimport_changes_nothing(ledger, tmp_path):
    head = make_user(ledger, "chenxm", accounts.SECTION_HEAD)
    path = people_sheet(tmp_path, ("010", "陈晓梅", "办公室", "主任", "科室负责人", "chenxm"),
                        ("011", "张丽", "办公室", "科员", "工作人员", None))
    first = import_as_office(ledger, path)
    assert first.sheets["人员"].inserted == 2
    assert staff_mod.for_user(ledger.db, head.id).staff_no == "010"
    assert staff_mod.by_number(ledger.db, "011").user_id is None
    again = import_as_office(ledger, path)
    assert (again.sheets["人员"].inserted, again.sheets["人员"].updated, again.sheets["人员"].unchanged) == (0, 0, 2)


def test_a_login_added_to_an_existing_person_is_an_update_and_a_blank_keeps_the_link(ledger, tmp_path):
    user = make_user(ledger, "zhangli")
    with as_setup_admin(ledger):
        staff_mod.add(ledger, "011", "张丽", "办公室")
    result = import_as_office(ledger, people_sheet(tmp_path, ("011", "张丽", "办公室", "科员", "工作人员", "zhangli")))
    assert result.sheets["人员"].updated == 1
    assert "登录账户 （无） → zhangli" in result.sheets["人员"].updates[0]
    assert staff_mod.by_number(ledger.db, "011").user_id == user.id
    blank = import_as_office(ledger, people_sheet(tmp_path, ("011", "张丽", "办公室", "科员", "工作人员", "")))
    assert blank.sheets["人员"].unchanged == 1
    assert staff_mod.by_number(ledger.db, "011").user_id == user.id


def test_an_unknown_username_is_a_row_error_and_nothing_is_written(ledger, tmp_path):
    path = people_sheet(tmp_path, ("011", "张丽", "办公室", "", "", None),
                        ("012", "刘洋", "办公室", "", "", "nobody"))
    with pytest.raises(ImportFailed) as failed:
        import_as_office(ledger, path)
    assert [str(i) for i in failed.value.errors] == [
        "人员!3 登录账户: 没有用户名为“nobody”的登录账户（先在“设置 › 用户管理”中建立）"]
    assert staff_mod.all_staff(ledger.db, active_only=False) == []


def test_one_login_links_to_at_most_one_person_in_the_file_or_the_ledger(ledger, tmp_path):
    make_user(ledger, "shared")
    path = people_sheet(tmp_path, ("011", "张丽", "办公室", "", "", "shared"),
                        ("012", "刘洋", "办公室", "", "", "shared"))
    with pytest.raises(ImportFailed) as failed:
        import_as_office(ledger, path)
    assert [str(i) for i in failed.value.errors] == ["人员!3 登录账户: 登录账户“shared”已关联到 张丽（工号 011）"]


def test_linking_through_the_sheet_needs_the_right_to_assign_roles(ledger, tmp_path):
    make_user(ledger, "zhangli")
    ledger.user = make_user(ledger, "clerk", accounts.STAFF)
    with pytest.raises(ImportFailed) as failed:
        import_as_office(ledger, people_sheet(tmp_path, ("011", "张丽", "办公室", "", "", "zhangli")))
    assert "无权关联登录账户" in str(failed.value)
    ledger.user = make_user(ledger, "admin2", accounts.ADMIN)
    import_as_office(ledger, people_sheet(tmp_path, ("011", "张丽", "办公室", "", "", "zhangli")))
    assert staff_mod.by_number(ledger.db, "011").user_id is not None


def test_roles_and_links_change_only_for_administrator_or_director(ledger):
    worker = staff_mod.add(ledger, "011", "张丽", "办公室")
    login = make_user(ledger, "zhangli")
    ledger.user = make_user(ledger, "clerk", accounts.SECTION_HEAD)
    assert staff_mod.update(ledger, worker.id, section="统计科", title="统计员", active=True).section == "统计科"
    for change in ({"role": staff_mod.SECTION_HEAD}, {"user_id": login.id}):
        with pytest.raises(PermissionDenied):
            staff_mod.update(ledger, worker.id, **change)
    with pytest.raises(PermissionDenied):
        staff_mod.add(ledger, "012", "刘洋", role=staff_mod.DEPUTY)
    ledger.user = make_user(ledger, "boss", accounts.DIRECTOR)
    linked = staff_mod.update(ledger, worker.id, user_id=login.id, role=staff_mod.SECTION_HEAD)
    assert (linked.user_id, linked.role) == (login.id, staff_mod.SECTION_HEAD)
    with pytest.raises(PermissionDenied):   # the director re-links, but the row's details are the clerks'
        staff_mod.update(ledger, worker.id, section="办公室")
    ledger.user = make_user(ledger, "admin", accounts.ADMIN)
    other = staff_mod.add(ledger, "012", "刘洋")
    with pytest.raises(UserInputError, match="已关联到人员“张丽”"):
        staff_mod.update(ledger, other.id, user_id=login.id)
    audit = [r[0] for r in ledger.db.execute("select action from audit_log where object_type = 'att_staff'")]
    assert audit == ["新增考勤人员", "修改考勤人员", "修改考勤人员", "新增考勤人员"]


def test_setting_or_changing_a_role_through_the_sheet_needs_the_right_to_assign_roles(ledger, tmp_path):
    clerk = make_user(ledger, "clerk", accounts.STAFF)
    ledger.user = clerk
    import_as_office(ledger, people_sheet(tmp_path, ("011", "张丽", "办公室", "", "工作人员", "")))
    with pytest.raises(ImportFailed) as failed:  # a clerk cannot make herself a section head
        import_as_office(ledger, people_sheet(tmp_path, ("011", "张丽", "办公室", "", "科室负责人", "")))
    assert "人员!2 角色: 当前用户“clerk”（工作人员）无权设定或修改审批角色" in str(failed.value)
    with pytest.raises(ImportFailed):  # nor add a new person as a leader
        import_as_office(ledger, people_sheet(tmp_path, ("001", "王建国", "局领导", "", "局长", "")))
    assert staff_mod.by_number(ledger.db, "011").role == staff_mod.WORKER
    ledger.user = make_user(ledger, "admin2", accounts.ADMIN)
    import_as_office(ledger, people_sheet(tmp_path, ("011", "张丽", "办公室", "", "科室负责人", "")))
    assert staff_mod.by_number(ledger.db, "011").role == staff_mod.SECTION_HEAD
