"""ID numbers (GB 11643): check digit, derived birth date and sex, 15→18, masking."""

from __future__ import annotations

from datetime import date

import pytest

from app import idcard


def _with_check(body17: str) -> str:
    return body17 + idcard.check_char(body17)


def test_a_valid_id_gives_birth_date_and_sex():
    info = idcard.parse(_with_check("43020219850315122"))
    assert info.birth_date == date(1985, 3, 15)
    assert info.sex == "女"          # 17th digit 2 is even
    assert idcard.parse(_with_check("43020219850315123")).sex == "男"


def test_known_published_example_has_check_character_x():
    # GB 11643 worked example: 11010519491231002X
    assert idcard.check_char("11010519491231002") == "X"
    assert idcard.parse("11010519491231002x").number == "11010519491231002X"


def test_wrong_check_digit_names_the_right_one():
    good = _with_check("43020219850315122")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(idcard.IdError, match=f"校验位错误，应为 {good[17]}"):
        idcard.parse(wrong)


def test_fifteen_digit_id_is_converted_to_eighteen():
    converted = idcard.to_18("430202850315122")
    assert converted == _with_check("43020219850315122")
    info = idcard.parse("430202850315122")
    assert info.number == converted and info.converted_from_15


@pytest.mark.parametrize("value, reason", [
    ("4302021985031512", "应为 18 位"),
    ("43020219850315A22X", "格式错误"),
    ("99020219850315122X", "省级行政区划代码"),
    ("43020219851315122X", "不是有效日期"),
    ("", "为空"),
])
def test_malformed_ids_are_refused_with_a_reason(value, reason):
    assert reason in idcard.problems(value)[0]


def test_future_birth_date_in_id_is_refused():
    body = f"430202{date.today().year + 1}0101122"
    assert "将来" in idcard.problems(_with_check(body))[0]


def test_derived_birth_date_and_sex_must_agree_with_what_is_typed():
    number = _with_check("43020219850315122")
    assert idcard.mismatches(number, "1985-03-15", "女") == []
    assert idcard.mismatches(number, "1985-03-16", "女") == ["出生日期 1985-03-16 与证件号码中的 1985-03-15 不一致"]
    assert idcard.mismatches(number, None, "男") == ["证件号码显示性别为女，与填写的男不一致"]


def test_full_width_digits_and_spaces_are_normalised():
    number = _with_check("43020219850315122")
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    assert idcard.parse(f" {wide} ").number == number


def test_masking_keeps_first_four_and_last_four():
    assert idcard.mask_id("430202198503151234") == "4302**********1234"
    assert idcard.mask_phone("13812345678") == "138****5678"
    assert idcard.mask_phone("0731-2345678") == "********5678"
    assert idcard.mask_id(None) == ""
