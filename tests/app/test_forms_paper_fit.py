"""The forms fit like paper: 合计 and the signatures never stand alone on a PDF page (the form
shrinks a little onto one page, or carries its last rows with them), the header repeats on
every page, a header word is never cut (PDF and Excel) and the right 表号 is printed per form.

PDFs are read back with pdftotext (poppler-utils), page by page; workbooks with openpyxl."""

from __future__ import annotations

import re
import subprocess
from xml.sax.saxutils import unescape

import pytest

from app.forms import header_text, pdf
from app.forms.fonts import cjk_font
from app.forms.pdf import write_pdf
from app.forms.standard import standard_forms
from tests.app.sample_forms import births_form
from tests.builders import township
from tests.halfyear_ledger import build

# Header words that must come out whole (the 人流引产 / 计划生育率 / 所属乡镇（街道）).
WORDS = ("人流引产", "其中政策外", "所属乡镇", "（街道）", "计划生育率", "自然增长率", "已婚育龄妇女数",
         "口服及注射药", "其中一孩上环", "期内长效节育措施落实率")


def _pages(path) -> list[str]:
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
                           capture_output=True, text=True, check=True).stdout for n in range(1, count + 1)]


def _full_legal_block(ledger) -> None:
    """Every line of the legal block filled in, as an office with a 文号 has it (a taller heading)."""
    for key, value in (("approved_by", "株洲市卫生健康委员会"), ("approval_no", "株卫发〔2025〕12号"),
                       ("valid_until", "2027年12月")):
        ledger.set_setting(f"form.monthly.{key}", value)


@pytest.fixture
def town23(ledger):
    villages = township(ledger, 23)
    _full_legal_block(ledger)
    return ledger, villages


def test_the_23_village_monthly_form_prints_total_and_signatures_with_its_rows(town23, tmp_path):
    ledger, villages = town23
    monthly = standard_forms(ledger, "2026-01")[0]
    assert len(monthly.rows) == 23
    path = tmp_path / "monthly.pdf"
    write_pdf([monthly], path)
    pages = _pages(path)
    assert len(pages) == 1, "23 villages fit one A4 page (shrunk a little if need be)"
    (page,) = pages
    assert "单位负责人" in page and re.search(r"^\s*合计\s+23\b", page, re.M)
    assert all(name in page for name in ("仙庾村", "长岭村"))
    assert "第1页共1页" in page.replace(" ", "")


@pytest.mark.parametrize("villages", [30, 45])
def test_a_genuinely_long_form_carries_its_last_rows_with_total_and_footer(ledger, tmp_path, villages):
    codes = township(ledger, villages)
    monthly = standard_forms(ledger, "2026-01")[0]
    path = tmp_path / "monthly.pdf"
    write_pdf([monthly], path)
    pages = _pages(path)
    assert len(pages) >= 2
    last = pages[-1]
    assert "单位负责人" in last and re.search(rf"^\s*合计\s+{villages}\b", last, re.M)
    assert sum("单位负责人" in p for p in pages) == 1
    carried = [row["name"] for row in monthly.rows if row["name"] in last]
    assert len(carried) >= pdf.KEEP_WITH_TOTAL            # never 合计 alone
    for number, page in enumerate(pages, start=1):
        assert "出生人数" in page and "人流引产" in page   # the header on every page
        assert f"第{number}页共{len(pages)}页" in page.replace(" ", "")
    printed = " ".join(pages)
    assert all(printed.count(row["name"]) == 1 for row in monthly.rows) and len(codes) == villages


@pytest.mark.parametrize("extra", range(0, 60, 3))
def test_the_page_with_total_always_holds_the_footer_and_some_rows(tmp_path, extra):
    """Whatever the row count: 合计 + 单位负责人 on one page, with ≥ 3 data rows (or all)."""
    form = births_form(extra_rows=extra)
    path = tmp_path / "births.pdf"
    write_pdf([form], path)
    pages = _pages(path)
    with_total = [p for p in pages if re.search(r"^\s*合计\s+\d", p, re.M)]
    assert len(with_total) == 1 and "单位负责人" in with_total[0] and with_total[0] is pages[-1]
    rows_there = [r["unit"] for r in form.rows if re.search(rf"^\s*{r['unit']}\s", with_total[0], re.M)]
    assert len(rows_there) >= min(pdf.KEEP_WITH_TOTAL, len(form.rows))


def test_a_form_a_little_too_long_shrinks_onto_one_page_but_not_below_85_percent(tmp_path):
    font = cjk_font()
    shrunk = [pdf._choose_layout(births_form(extra_rows=n), font).scale for n in range(10, 40)]
    assert min(shrunk) >= pdf.MIN_SCALE and any(s < 1 for s in shrunk)
    n = 10 + next(i for i, s in enumerate(shrunk) if s < 1)
    path = tmp_path / "births.pdf"
    write_pdf([births_form(extra_rows=n)], path)
    assert len(_pages(path)) == 1


def _header_lines_fit(form) -> None:
    """Every header cell: its lines are whole tokens of the title and each fits the cell."""
    layout = pdf._choose_layout(form, cjk_font())
    for r0, c0, _, c1, title in layout.cells:
        para = layout.header[r0][c0]
        lines = [unescape(line) for line in para.text.split("<br/>")]
        assert "".join(lines).replace(" ", "") == title.replace("\n", "").replace(" ", ""), title
        tokens = {tok.strip() for part in title.split("\n") for tok in header_text.tokens(part)}
        for line in lines:
            assert line.strip() in tokens or all(tok.strip() in tokens for tok in header_text.tokens(line)), line
        size = para.style.fontSize
        room = sum(layout.col_w[c0:c1 + 1]) - 2 * layout.pad
        assert all(layout._width(line, size) <= room for line in lines), (title, lines)
        assert para.wrap(room, 10_000) and len(para.blPara.lines) == len(lines), f"reportlab re-wrapped {title}"


@pytest.mark.parametrize("which", ["town", "district"])
def test_no_header_word_is_cut_on_any_standard_form(ledger, tmp_path, which):
    if which == "town":
        township(ledger, 23)
        forms = standard_forms(ledger, "2026-01")
    else:
        build(ledger)
        forms = standard_forms(ledger, "2026H1")
    for form in forms:
        _header_lines_fit(form)
    path = tmp_path / "forms.pdf"
    write_pdf(forms, path)
    text = "\n".join(_pages(path))
    for word in WORDS:
        assert word in text, word


def test_each_period_kind_gets_its_own_table_number_and_the_setting_still_wins(town23):
    ledger, _ = town23
    numbers = {code: standard_forms(ledger, code)[0].legal.table_no
               for code in ("2026-01", "2026Q2", "2026H1", "2026")}
    assert numbers == {"2026-01": "计生月报表", "2026Q2": "计生季报表", "2026H1": "计生半年报表",
                       "2026": "计生年报表"}
    assert standard_forms(ledger, "2026H1")[1].legal.table_no == "人口计生统表1"
    ledger.set_setting("form.monthly.table_no", "荷计生1表")
    assert standard_forms(ledger, "2026H1")[0].legal.table_no == "荷计生1表"


def test_the_half_year_pdf_prints_its_own_table_number(town23, tmp_path):
    ledger, _ = town23
    path = tmp_path / "h1.pdf"
    write_pdf(standard_forms(ledger, "2026H1")[:1], path)
    text = " ".join(_pages(path)[0].split())
    assert "计划生育报表" in text and "表 号：计生半年报表" in text and "计生月报表" not in text


def test_excel_headers_wrap_between_words_in_columns_wide_enough_for_them(town23, tmp_path):
    import openpyxl

    from app.forms.xlsx import write_xlsx

    ledger, _ = town23
    forms = standard_forms(ledger, "2026-01")
    ws = openpyxl.load_workbook(write_xlsx(forms, tmp_path / "forms.xlsx"))["计划生育月报表"]
    cells = {str(c.value): c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert "所属乡镇\n（街道）" in cells and "所属乡镇（街道）" not in cells
    for word in ("人流引产", "其中政策外"):
        column = cells[word].column_letter
        assert ws.column_dimensions[column].width >= header_text.excel_width(word) + 1
    births = openpyxl.load_workbook(tmp_path / "forms.xlsx")["人口与出生情况"]
    titles = {str(c.value) for row in births.iter_rows(max_row=12) for c in row if c.value}
    assert "计划生育率\n（%）" in titles or "计划生育率（%）" in titles
    assert not any(t.startswith("计划生育\n") for t in titles)
