"""The import streams the workbook (issue 16 item 1; app/exchange/import_base.py `SheetStream`):
one sheet's cells at a time, each sheet guarded before calamine parses it, and the old
all-or-nothing outcomes kept — a refusal in a LATER sheet still refuses the whole file with
nothing written and no backup left, a missing column in a later sheet still reports only the
header issues, and a backup that fails its check (now verified beside the import) still
refuses it."""

from __future__ import annotations

import shutil
import weakref
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import backups
from app.errors import UserInputError
from app.exchange import import_base, xlsx_guard
from app.exchange.workbook import ImportFailed, import_workbook
from app.ledger import Ledger, backup_dir_for
from tests import builders as b
from tests.app import xlsx_craft as craft
from tests.app.test_ledger_safety import _flip_a_bit_in_an_index_page, _ledger_with_a_card
from tests.app.test_registry_import import UNITS, WOMEN_HEAD, woman_row, write_book


def _files_beside(ledger: Ledger) -> set[str]:
    folder = ledger.path.parent
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def _book(tmp_path: Path, women: int = 30) -> tuple[Path, list[str]]:
    ids = [b.make_id(f"199{n % 10}-03-0{n % 9 + 1}") for n in range(women)]
    sheets = {"单位": UNITS, "育龄妇女": [WOMEN_HEAD, *(woman_row(i) for i in ids)],
              "子女": [("母亲证件号码", "孩次", "性别", "出生日期", "政策属性"),
                     *((i, 1, "女", "2015-06-01", "政策内") for i in ids)],
              "节育措施": [("证件号码", "措施", "开始日期"), *((i, "避孕套", "2016-01-01") for i in ids)],
              "手术": [("证件号码", "手术类型", "手术日期"), *((i, "上环", "2017-01-01") for i in ids)]}
    return write_book(tmp_path / "全部.xlsx", sheets), ids


def test_each_sheet_is_freed_before_the_next_is_taken(ledger, tmp_path, monkeypatch):
    """Reading every sheet at once held all their cells until the import returned (1.1 GB for
    the district workbook); now a sheet's cells are gone when the next sheet is taken."""
    book, _ids = _book(tmp_path)
    grids: list[weakref.ref] = []
    alive_at_take: list[int] = []
    real = import_base._as_sheet

    def watched(clean, parsed):
        sheet = real(clean, parsed)
        alive_at_take.append(sum(1 for g in grids if g() is not None))
        if sheet is not None:
            grids.append(weakref.ref(sheet.grid))
        return sheet

    class Cells(list):   # a list that can be weakly referenced, as the grid
        pass

    real_grid = import_base._grid
    monkeypatch.setattr(import_base, "_grid", lambda data: Cells(real_grid(data)))
    monkeypatch.setattr(import_base, "_as_sheet", watched)
    result = import_workbook(ledger, book)
    assert result.sheets["手术"].inserted == 30 and result.sheets["子女"].inserted == 30
    assert len(alive_at_take) == 5 and alive_at_take == [0, 0, 0, 0, 0]
    assert ledger.db.execute("select count(*) from contraception where method = '宫内节育器'").fetchone()[0] == 30


def test_a_bomb_in_the_last_sheet_refuses_the_file_after_good_sheets(ledger, tmp_path):
    """The guard now checks sheet by sheet beside the reading: a refusal of the last sheet still
    refuses everything, writes nothing and leaves no backup."""
    ids = [b.make_id("1991-04-04") for _ in range(3)]
    book = craft.write_xlsx(tmp_path / "炸弹.xlsx", {
        "单位": craft.sheet_xml(craft.grid_rows(UNITS)),
        "育龄妇女": craft.sheet_xml(craft.grid_rows([WOMEN_HEAD, *(woman_row(i) for i in ids)])),
        "手术": craft.sheet_xml(['<row r="1"><c r="A1" t="inlineStr"><is><t>证件号码</t></is></c></row>',
                               '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'])})
    before = _files_beside(ledger)
    with pytest.raises(UserInputError) as caught:
        import_workbook(ledger, book)
    assert "工作表“手术”" in str(caught.value) and "XFD1048576" in str(caught.value)
    assert ledger.db.execute("select count(*) from units").fetchone()[0] == 0
    assert ledger.db.execute("select count(*) from women").fetchone()[0] == 0
    assert _files_beside(ledger) == before


def test_a_missing_column_in_a_later_sheet_reports_the_header_issues_alone(ledger, tmp_path):
    """As when every header was checked before any row: the row errors of the earlier sheets
    (here a broken ID) are not listed beside it, and nothing is written."""
    good = b.make_id("1990-02-02")
    book = write_book(tmp_path / "缺列.xlsx", {
        "单位": UNITS, "育龄妇女": [WOMEN_HEAD, woman_row(good), woman_row("430202199001011234")],
        "子女": [("母亲证件号码", "性别", "出生日期"), (good, "女", "2015-01-01")],
        "手术": [("证件号码", "手术日期"), (good, "2017-01-01")]})
    with pytest.raises(ImportFailed) as caught:
        import_workbook(ledger, book)
    assert [str(e) for e in caught.value.errors] == [
        "子女!1 孩次: 缺少必填列", "子女!1 政策属性: 缺少必填列", "手术!1 手术类型: 缺少必填列"]
    assert ledger.db.execute("select count(*) from units").fetchone()[0] == 0


def test_a_backup_that_fails_its_check_still_refuses_the_import(tmp_path):
    """The 导入前 backup is verified (integrity_check) beside the import now, and waited for
    before the commit: a damaged index found there refuses the import, nothing written."""
    path = tmp_path / "l.db"
    _ledger_with_a_card(path)
    damaged = tmp_path / "拷贝" / "l.db"
    damaged.parent.mkdir()
    shutil.copyfile(path, damaged)
    _flip_a_bit_in_an_index_page(damaged)
    book = write_book(tmp_path / "一位.xlsx", {"育龄妇女": [WOMEN_HEAD, woman_row(b.make_id("1992-07-07"))]})
    with Ledger.open(damaged, daily_backup=False) as opened:
        with pytest.raises(backups.BackupRefused, match="完整性检查"):
            import_workbook(opened, book)
        assert opened.db.execute("select count(*) from women").fetchone()[0] == 1
        assert not list(backup_dir_for(damaged).glob("*导入前*"))


@settings(max_examples=60, deadline=None)
@given(prefix=st.integers(0, 40_000), length=st.sampled_from([32_766, 32_767, 32_768, 32_769, 40_000, 70_000]),
       tail=st.integers(0, 20_000), wide=st.booleans())
def test_the_guard_skips_the_long_text_search_only_when_no_run_can_be_long(prefix, length, tail, wide):
    """`_check_long_text`'s C-speed pre-check (every aligned block holds a '<') never lets
    through a text the full search refuses: the same verdict as the search alone."""
    char = "字".encode() if wide else b"x"
    run = (char * length)[:length]
    data = b"<c><v>1</v></c>" * (prefix // 15) + b"<t>" + run + b"</t>" + b"<c/>" * (tail // 4)

    def verdict(check) -> bool:
        try:
            check(data)
        except xlsx_guard._TooLong:
            return True
        return False

    def search_alone(piece: bytes) -> None:
        for match in xlsx_guard._LONG_RUN.finditer(piece):
            end = piece.find(b"<", match.start())
            text = piece[match.start() + 1: end if end >= 0 else len(piece)]
            if len(xlsx_guard._ENTITY_REF.sub(b"&", text).decode("utf-8", "replace")) > xlsx_guard.MAX_TEXT_CHARACTERS:
                raise xlsx_guard._TooLong()

    assert verdict(xlsx_guard._check_long_text) == verdict(search_alone) == (len(run.decode("utf-8", "replace")) > 32_767)
