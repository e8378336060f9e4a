"""The printed roster (one PDF and one Excel per village) and the 查环查孕情况统计表 form."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.forms.pdf import write_pdf as write_form_pdf
from app.forms.xlsx import write_xlsx as write_form_xlsx
from app.roster import printing, results, rounds, summary_form
from app.roster.results import CheckResult
from tests.builders import measure, unit, woman

ROUND = "2026Q2"


@pytest.fixture
def town(ledger):
    unit(ledger, "430201", "仙庾镇", "乡镇")
    unit(ledger, "430201001", "桃花村", "村", parent="430201")
    unit(ledger, "430201001001", "一组", "组", parent="430201001")
    unit(ledger, "430201002", "杏花社区", "社区", parent="430201")
    for i in range(70):
        wid = woman(ledger, f"王{'丽芳秀英桂兰'[i % 6]}{i}", "430201001001" if i % 2 else "430201001",
                    husband=f"李{'国建军'[i % 3]}", residence="流出" if i % 7 == 0 else "常住")
        measure(ledger, wid, ("宫内节育器", "避孕套", "未避孕")[i % 3], "2020-01-01")
    woman(ledger, "赵小红", "430201002", husband="孙大伟")
    return ledger


def test_one_roster_per_village_with_masked_ids_and_page_x_of_y(town, tmp_path, screenshots_dir):
    rnd = rounds.resolve(town, ROUND)
    out = printing.write_all(town, rnd, tmp_path)
    names = sorted(p.name for p in out.files)
    assert names == sorted([f"{ROUND}_430201001_桃花村_孕检名册.pdf", f"{ROUND}_430201001_桃花村_孕检名册.xlsx",
                            f"{ROUND}_430201002_杏花社区_孕检名册.pdf", f"{ROUND}_430201002_杏花社区_孕检名册.xlsx"])
    assert out.warnings == []
    assert not list(tmp_path.glob(".~*"))            # no temporary file left behind
    pdf = tmp_path / f"{ROUND}_430201001_桃花村_孕检名册.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) == 3                    # 70 women of the village and its 组
    text = "".join(page.extract_text() for page in reader.pages)
    assert "第 1 页 共 3 页" in text and "第 3 页 共 3 页" in text
    assert text.count("本人/专干签字") == 3           # header repeated on every page
    first_id = town.db.execute("select id_number from women order by id limit 1").fetchone()[0]
    assert first_id not in text and f"{first_id[:4]}**********{first_id[-4:]}" in text
    assert "桃花村" in text and "2026年第二季度" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                    str(screenshots_dir / "roster_print_page")], check=True)
    sheet = load_workbook(tmp_path / f"{ROUND}_430201001_桃花村_孕检名册.xlsx").active
    assert sheet.cell(3, 3).value == "证件号码" and sheet.print_title_rows == "$3:$3"
    assert sheet.cell(4, 3).value.count("*") == 10
    assert sheet.max_row >= 73


def test_missing_glyph_is_printed_as_code_and_reported(town, tmp_path):
    woman(town, "王\U0002B81D", "430201002")          # a name character the font lacks
    rnd = rounds.resolve(town, ROUND)
    out = printing.write_all(town, rnd, tmp_path, formats=("pdf",))
    assert any("U+2B81D" in w for w in out.warnings)


def test_cancelling_keeps_finished_files_and_leaves_no_partial_one(town, tmp_path):
    calls = []

    def progress(done, total, text):
        calls.append(done)
        return done < 1

    rnd = rounds.resolve(town, ROUND)
    with pytest.raises(printing.PrintCancelled):
        printing.write_all(town, rnd, tmp_path / "out", progress=progress)
    assert [p.suffix for p in (tmp_path / "out").iterdir()] == [".pdf"]


def test_summary_form_rows_add_up_and_render(town, tmp_path, screenshots_dir):
    ids = [r[0] for r in town.db.execute("select id from women order by id")]
    results.record(town, ROUND, ids[1], CheckResult("已查", check_date=date(2026, 2, 1), place="镇卫生院"))
    results.record(town, ROUND, ids[0], CheckResult("寄回证明", certificate_date=date(2026, 3, 3)))
    rnd = rounds.resolve(town, ROUND)
    form = summary_form.build(town, rnd, today=date(2026, 9, 1))
    assert [r["unit"] for r in form.rows] == ["桃花村", "杏花社区"]
    total = form.total_row
    assert (total["due_total"], total["done_total"], total["certificate"], total["missed_total"]) == (71, 2, 1, 69)
    assert total["due_total"] == total["done_total"] + total["missed_total"]
    assert "流出逾期未寄回证明 9 人" in form.rows[0]["note"]
    pdf = tmp_path / "summary.pdf"
    write_form_pdf([form], pdf)
    write_form_xlsx([form], tmp_path / "summary.xlsx")
    text = PdfReader(pdf).pages[0].extract_text()
    assert "查环查孕情况统计表" in text and "2.82" in text        # 2 / 71 × 100
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                    str(screenshots_dir / "roster_summary_form")], check=True)
    assert Path(screenshots_dir / "roster_summary_form-1.png").exists()
