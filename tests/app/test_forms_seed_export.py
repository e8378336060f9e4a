"""Acceptance: the seeds' 篇三 half-year figures survive the whole road ledger → stats → forms →
exported .xlsx and .pdf, read back with openpyxl and pypdf."""

from __future__ import annotations

import json

import openpyxl
import pytest
from pypdf import PdfReader

from app.exchange.export_package import MANIFEST, write_package
from app.forms.standard import standard_forms
from tests.halfyear_ledger import build


@pytest.fixture
def exported(ledger, tmp_path):
    build(ledger)
    out = tmp_path / "stick"
    write_package(ledger, "2026H1", standard_forms(ledger, "2026H1"), out)
    return out


def _file(out, suffix, title):
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    [name] = [f["name"] for f in manifest["files"] if f["title"] == title and f["name"].endswith(suffix)]
    return out / name


def _xlsx_rows(path):
    return [list(r) for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]


def _pdf_text(path):
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def _total(rows):
    [row] = [r for r in rows if r[0] == "合计"]
    return row


def test_long_acting_table_in_excel_and_pdf(exported):
    rows = _xlsx_rows(_file(exported, ".xlsx", "长效节育措施落实情况表"))
    assert _total(rows) == ["合计", 430, 182, 248, 42.33, 33, 150]
    expected = {"仙庾镇": [184, 85, 99, 46.2], "明照乡": [149, 56, 93, 37.58], "桂花办事处": [41, 12, 29, 29.27],
                "宋家桥办事处": [19, 8, 11, 42.11]}
    for name, figures in expected.items():
        [row] = [r for r in rows if r[0] == name]
        assert row[1:5] == figures
    text = _pdf_text(_file(exported, ".pdf", "长效节育措施落实情况表"))
    assert "合计 430 182 248 42.33 33 150" in text
    assert "仙庾镇 184 85 99 46.20 20 65" in text


def test_population_and_births_in_excel_and_pdf(exported):
    rows = _xlsx_rows(_file(exported, ".xlsx", "人口与出生情况"))
    total = _total(rows)
    for figure in (220444, 1070, 914, 156, 307, 4.85, 3.46, 100.37, 173):
        assert figure in total
    text = _pdf_text(_file(exported, ".pdf", "人口与出生情况"))
    [line] = [seg for seg in text.split("合计 ")[1:] if seg.startswith("220444")]
    for figure in ("220444", "1070", "914", "156", "307", "4.85", "3.46", "100.37", "173"):
        assert figure in line.split()


def test_procedures_in_the_monthly_form(exported):
    rows = _xlsx_rows(_file(exported, ".xlsx", "计划生育报表"))
    total = _total(rows)
    for figure in (1070, 173, 48, 321, 131, 33, 430, 182):
        assert figure in total
