"""The one printed-document writer (app/forms/document.py): forms, rosters, postings, letters
and the analysis draft all print through it, with one page setup, one missing-glyph rule,
one page numbering and one banner rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from app.forms import document
from app.forms.fonts import cjk_font
from app.forms.text_pdf import write_text_pdf

ROOT = Path(__file__).resolve().parents[2]


def _texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_each_section_counts_its_own_pages_and_prints_its_banner_on_every_one(tmp_path):
    font = cjk_font()
    style = ParagraphStyle("p", fontName=font.name, fontSize=11, leading=16)
    lines = [Paragraph(f"第{i}段：人口与计划生育。", style) for i in range(90)]
    sections = [document.Section(document.Page(), lines, banner="与已报送数不一致"),
                document.Section(document.Page(landscape=True), lines[:3]),
                document.Section(document.Page(number_align="right"), lines[:40])]
    path = document.write_document(tmp_path / "doc.pdf", sections, title="测试")
    pages = PdfReader(path).pages
    texts = [p.extract_text() for p in pages]
    numbers = [re.search(r"第 (\d+) 页 共 (\d+) 页", t).groups() for t in texts]
    first = int(numbers[0][1])
    assert first >= 2 and numbers[:first] == [(str(n), str(first)) for n in range(1, first + 1)]
    assert numbers[first] == ("1", "1")
    assert [n[1] for n in numbers[first + 1:]] == [numbers[-1][1]] * (len(numbers) - first - 1)
    assert all("与已报送数不一致" in t for t in texts[:first]) and not any("与已报送数不一致" in t for t in texts[first:])
    assert float(pages[first].mediabox.width) > float(pages[first].mediabox.height)   # landscape section
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]


def test_a_missing_glyph_is_printed_as_its_code_and_reported_where_it_stood(tmp_path):
    glyphs = document.Glyphs(cjk_font(), "《名册》", "请核对 Excel 名册")
    assert glyphs.text("刘䶮村", "第 3 行") == "刘[U+4DAE]村"
    assert glyphs.text("王芳 \u3000", "第 4 行") == "王芳 \u3000"
    assert glyphs.warnings == ["《名册》第 3 行：PDF 字体缺少 “䶮”(U+4DAE)，PDF 中印为 [U+编码]，请核对 Excel 名册"]


def test_the_analysis_draft_numbers_its_pages_of_the_total_like_every_other_print(tmp_path):
    text = "\n".join(f"{i}、上半年全区出生人口{i * 37}人，政策符合率有所提高。" * 4 for i in range(60))
    warnings = write_text_pdf("荷塘区统计分析", text + "\n刘䶮", tmp_path / "分析.pdf")
    texts = _texts(tmp_path / "分析.pdf")
    assert len(texts) >= 2 and f"第 {len(texts)} 页 共 {len(texts)} 页" in texts[-1]
    assert "刘[U+4DAE]" in texts[-1] and warnings == ["第61行：PDF 字体缺少 “䶮”(U+4DAE)"]


@pytest.mark.parametrize("heights", [[10] * 10, [10] * 25, [10] * 20, [10] * 9 + [12], [7, 30, 10, 10, 10]])
def test_paginate_keeps_the_closing_block_with_rows_and_total(heights):
    """Pages cover the rows in order; the last page holds 合计 (the last row), at least KEEP data
    rows (all when fewer) and the closing block, within the room."""
    rooms = document.Rooms(first=95, next=95, closing=30, keep=3, fixed_tail=1)
    pages = document.paginate(heights, rooms)
    assert [start for start, _ in pages] == [0] + [end for _, end in pages[:-1]]
    start, end = pages[-1]
    assert end == len(heights)
    assert end - start - 1 >= min(3, len(heights) - 1)
    assert sum(heights[start:]) + rooms.closing <= rooms.next
    assert all(sum(heights[a:b]) <= 95 for a, b in pages[:-1])


def test_paginate_prints_a_row_taller_than_a_page_on_a_page_of_its_own():
    assert document.paginate([150, 10, 10], document.Rooms(first=95, next=95)) == [(0, 1), (1, 3)]


def test_no_module_but_the_document_writer_sets_up_pages_numbers_them_or_writes_a_pdf():
    """The acceptance rule: one printed-document writer, no copied page setup."""
    pattern = re.compile(r"DocTemplate\(|PageTemplate\(|reportlab\.lib\.pagesizes|canvasmaker|"
                         r"showPage|\.has\(ch\)|drawString\([^)]*页")
    offenders = []
    for folder in ("app", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel in {"app/forms/document.py", "app/forms/fonts.py"}:   # the writer, and the font's own glyph test
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if pattern.search(line):
                    offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == []
