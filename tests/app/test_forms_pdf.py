"""The PDF renderer: figures read back with pypdf, the font embedded as a subset, the header
repeated on every page, page numbers per form, and missing glyphs reported."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from app.forms.pdf import MissingGlyphs, write_pdf
from tests.app.sample_forms import births_form, long_acting_form


def _pages(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_long_acting_table_prints_the_seed_figures(tmp_path):
    path = tmp_path / "long.pdf"
    assert write_pdf([long_acting_form()], path) == []
    text = _squash(_pages(path)[0])
    assert "长效节育措施落实情况表" in text
    assert "合计 430 182 248 42.33 33 150" in text
    assert "仙庾镇 184 85 99 46.20 20 65" in text
    assert "宋家桥办事处 19 8 11 42.11 0 8" in text
    for words in ("表 号：计生统4表", "填报单位：荷塘区人口和计划生育局", "2026年上半年", "单位：人、%",
                  "单位负责人：", "报出日期：", "第 1 页 共 1 页"):
        assert words in text


def test_page_is_a4_landscape_and_the_font_is_an_embedded_subset(tmp_path):
    path = tmp_path / "long.pdf"
    write_pdf([long_acting_form()], path)
    page = PdfReader(path).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)
    fonts = page["/Resources"]["/Font"]
    names = [fonts[key].get_object()["/BaseFont"] for key in fonts]
    cjk = [name for name in names if "FPLedgerCJK" in name or "+" in name]
    assert cjk and all("+" in name for name in cjk)  # a 6-letter subset tag: AAAAAA+Font


def test_long_form_splits_into_pages_each_with_the_header_and_own_page_numbers(tmp_path):
    path = tmp_path / "births.pdf"
    write_pdf([long_acting_form(), births_form(extra_rows=80)], path)
    pages = [_squash(t) for t in _pages(path)]
    assert len(pages) >= 4
    births_pages = pages[1:]
    total = len(births_pages)
    for number, text in enumerate(births_pages, start=1):
        assert "出生人数" in text and "往年出生未报人数" in text
        assert f"第 {number} 页 共 {total} 页" in text
    assert "合计" in births_pages[-1] and "单位负责人" in births_pages[-1]
    assert "单位负责人" not in births_pages[0]
    assert "第 1 页 共 1 页" in pages[0]
    # every village row printed exactly once
    everything = " ".join(births_pages)
    for i in range(80):
        assert everything.count(f"测试村{i:03d} ") == 1


def test_rates_print_rounded_half_up(tmp_path):
    path = tmp_path / "births.pdf"
    write_pdf([births_form()], path)
    text = _squash(_pages(path)[0])
    assert "合计 220444 1070" in text
    assert "4.85 3.46" in text


def test_a_character_the_font_lacks_is_reported_and_printed_as_a_visible_code(tmp_path):
    form = long_acting_form()
    form.rows[0]["unit"] = "刘䶮村"
    path = tmp_path / "rare.pdf"
    warnings = write_pdf([form], path)
    assert len(warnings) == 1
    assert "䶮" in warnings[0] and "第1行" in warnings[0] and "长效节育措施落实情况表" in warnings[0]
    assert "刘[U+4DAE]村" in _squash(_pages(path)[0])


def test_strict_mode_refuses_missing_glyphs_and_writes_nothing(tmp_path):
    form = long_acting_form()
    form.filler = "䶮"
    with pytest.raises(MissingGlyphs, match="䶮"):
        write_pdf([form], tmp_path / "rare.pdf", strict=True)
    assert list(tmp_path.iterdir()) == []


def test_portrait_form_gets_a_portrait_page(tmp_path):
    form = long_acting_form()
    form.landscape = False
    path = tmp_path / "p.pdf"
    write_pdf([form], path)
    page = PdfReader(path).pages[0]
    assert round(float(page.mediabox.width)) == 595


def test_long_unit_names_wrap_inside_their_cell(tmp_path):
    form = long_acting_form()
    form.rows[0]["unit"] = "仙庾镇某某某某某某某某某某某某某某某某某某村民委员会第一村民小组"
    path = tmp_path / "wrap.pdf"
    write_pdf([form], path)
    text = _pages(path)[0]
    assert "第一村民小组" in text.replace("\n", "")
    assert "46.20" in text
