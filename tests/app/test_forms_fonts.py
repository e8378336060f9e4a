"""The PDF font: a CJK TrueType font is found and embedded; CFF fonts are refused; rare
characters the font lacks are reported."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from app.forms import fonts
from app.forms.fonts import FontCandidate, FontUnavailable, cjk_font, find_font, missing_glyphs

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def test_a_cjk_truetype_font_is_found_and_draws_common_characters():
    font = cjk_font()
    assert font.path.is_file()
    assert missing_glyphs("计划生育月报表 合计 张三 ‰ 0123456789") == set()


def test_rare_name_characters_the_font_lacks_are_reported():
    font = cjk_font()
    rare = {ch for ch in "䶮𠀀" if not font.has(ch)}
    assert rare, "the test needs at least one character this font lacks"
    assert missing_glyphs("刘䶮 王𠀀明") == rare


def test_spaces_and_line_breaks_are_never_missing():
    assert missing_glyphs(" \n\t\u3000") == set()


def _otto_file(path: Path) -> Path:
    path.write_bytes(b"OTTO" + b"\x00" * 200)
    return path


def test_cff_opentype_font_is_refused_with_a_reason(tmp_path):
    cff = _otto_file(tmp_path / "NotoSansCJK-Regular.otf")
    reason = fonts.check_candidate(FontCandidate(cff))
    assert reason and "CFF" in reason
    with pytest.raises(FontUnavailable, match="CFF"):
        find_font([FontCandidate(cff)])


def test_cff_font_inside_a_collection_is_refused(tmp_path):
    ttc = tmp_path / "NotoSansCJK.ttc"
    header = b"ttcf" + struct.pack(">HHI", 1, 0, 1) + struct.pack(">I", 16)
    ttc.write_bytes(header + b"OTTO" + b"\x00" * 100)
    assert fonts.outline_kind(ttc, 0) == "cff"


def test_no_font_anywhere_gives_a_chinese_message_naming_what_to_install(tmp_path):
    with pytest.raises(FontUnavailable) as caught:
        find_font([FontCandidate(tmp_path / "missing.ttf")])
    message = str(caught.value)
    assert "找不到" in message and "宋体" in message and "文泉驿" in message


@pytest.mark.skipif(not WQY.is_file(), reason="WQY Micro Hei is not installed")
def test_override_variable_names_a_font_with_collection_index(monkeypatch):
    monkeypatch.setenv(fonts.ENV_OVERRIDE, f"{WQY}#1")
    first = fonts.candidates()[0]
    assert first.path == WQY and first.subfont_index == 1
    assert fonts.outline_kind(WQY, 1) == "truetype"
