"""Acceptance: the 篇三 figures that only 表1 carries (sex ratio by order, 补报 by policy) and the
long-acting rows, read back from the exported .xlsx (openpyxl) and .pdf (pdftotext layout)."""

from __future__ import annotations

import json
import shutil
import subprocess

import openpyxl
import pytest

from app.exchange.export_package import MANIFEST, write_package
from app.forms.standard import standard_forms
from tests.halfyear_ledger import build


@pytest.fixture
def exported(ledger, tmp_path):
    build(ledger)
    out = tmp_path / "stick"
    write_package(ledger, "2026H1", standard_forms(ledger, "2026H1"), out)
    files = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    return {(f["name"].split("_")[2].rsplit(".", 1)[0], f["name"].rsplit(".", 1)[1]): out / f["name"] for f in files}


def _sheet_rows(path):
    return [list(r) for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]


def test_table_1_total_row_in_excel(exported):
    rows = _sheet_rows(exported[("人口与出生情况", "xlsx")])
    header = next(r for r in rows if r[0] == "甲")          # the column-number row
    total = next(r for r in rows if r[0] == "合计")
    by_number = dict(zip(header, total, strict=False))
    assert [by_number[str(i)] for i in range(1, 11)] == [220444, 1070, 536, 534, 914, 454, 460, 156, 82, 74]
    assert [by_number[str(i)] for i in range(15, 26)] == [307, 4.85, 1.39, 3.46, 100.37, 98.7, 110.81, 100,
                                                         173, 172, 1]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_table_1_and_long_acting_rows_in_pdf(exported):
    def lines(key):
        text = subprocess.run(["pdftotext", "-layout", str(exported[key]), "-"], capture_output=True, text=True,
                              check=True).stdout
        return [line.split() for line in text.splitlines()]

    total = next(line for line in lines(("人口与出生情况", "pdf")) if line[:1] == ["合计"] and line[1].isdigit())
    assert total == ["合计", "220444", "1070", "536", "534", "914", "454", "460", "156", "82", "74", "0", "0", "0",
                     "0", "307", "4.85", "1.39", "3.46", "100.37", "98.70", "110.81", "100.00", "173", "172", "1"]
    table = {line[0]: line[1:] for line in lines(("长效节育措施落实情况表", "pdf")) if len(line) == 7}
    assert table["合计"] == ["430", "182", "248", "42.33", "33", "150"]
    assert table["仙庾镇"] == ["184", "85", "99", "46.20", "20", "65"]
    assert table["明照乡"] == ["149", "56", "93", "37.58", "11", "45"]
    assert table["桂花办事处"] == ["41", "12", "29", "29.27", "1", "11"]
    assert table["宋家桥办事处"] == ["19", "8", "11", "42.11", "0", "8"]
    assert table["金山办事处"] == ["37", "21", "16", "56.76", "1", "21"]
