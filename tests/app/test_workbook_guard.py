"""The pre-read guard and sheet names (issue 14 items 3 and 4; app/exchange/xlsx_guard.py,
app/exchange/sheet_names.py): one test per finding, through the real import (and, for the
files that used to abort or exhaust the process, the CLI in a child limited to 500 MB).

Each refused file: exit 2 / UserInputError with Chinese text naming the sheet and the limit,
nothing written, no 导入前 backup and no stray `.tmp` left beside the ledger.
"""

from __future__ import annotations

import os
import re
import resource
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from app import cli
from app.errors import UserInputError
from app.exchange import sheet_names, xlsx_guard
from app.exchange.workbook import import_workbook
from app.ledger import Ledger
from tests.app import xlsx_craft as craft

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT = 500 * 1024 * 1024
UNITS = [("单位代码", "单位名称", "单位类型", "上级单位代码"), ("430202", "荷塘区", "区县", None),
         ("430202101201", "桃花村", "村", "430202")]
CHILD_HEAD = ("母亲证件号码", "孩次", "性别", "出生日期")


def write_book(path: Path, sheets: dict[str, list[tuple]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    wb.save(path)
    return path


def files_beside(ledger: Ledger) -> set[str]:
    folder = ledger.path.parent
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def refused(ledger: Ledger, path: Path) -> str:
    """Import `path`, expect a refusal that wrote nothing; returns the message."""
    before = files_beside(ledger)
    units = ledger.db.execute("select count(*) from units").fetchone()[0]
    with pytest.raises(UserInputError) as caught:
        import_workbook(ledger, path)
    message = str(caught.value)
    assert re.search(r"[\u4e00-\u9fff]", message)
    assert files_beside(ledger) == before, "a refused file left a backup or a .tmp behind"
    assert ledger.db.execute("select count(*) from units").fetchone()[0] == units
    return message


def run_cli_limited(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`fpledger ARGS` in a child whose address space is capped at 500 MB."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = dict(os.environ, PYTHONUTF8="1", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, preexec_fn=cap, timeout=120)


@pytest.fixture
def cli_ledger(tmp_path) -> Path:
    path = tmp_path / "台帐.db"
    Ledger.create(path, "荷塘区人口计生局", 10, actor="test").close()
    return path


def assert_cli_refused(result: subprocess.CompletedProcess, db: Path, *needles: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
    leftovers = [p.name for p in db.parent.rglob("*") if "导入前" in p.name or p.suffix == ".tmp"]
    assert leftovers == []


# ---- resource bombs --------------------------------------------------------------------------
def test_a_5kb_workbook_whose_last_cell_is_xfd1048576_is_refused_in_bounded_memory(cli_ledger, tmp_path):
    book = craft.write_xlsx(tmp_path / "炸弹.xlsx", {"子女": craft.sheet_xml(
        ['<row r="1"><c r="A1" t="inlineStr"><is><t>母亲证件号码</t></is></c></row>',
         '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'])})
    assert book.stat().st_size < 5000
    result = run_cli_limited("--db", str(cli_ledger), "import", str(book), cwd=tmp_path)
    assert_cli_refused(result, cli_ledger, "工作表“子女”", "XFD1048576", f"最多 {xlsx_guard.MAX_COLUMNS} 列")


def test_a_sheet_reaching_zz200000_is_refused_before_calamine_allocates_it(cli_ledger, tmp_path):
    book = craft.write_xlsx(tmp_path / "zz.xlsx", {"子女": craft.sheet_xml(
        ['<row r="1"><c r="A1" t="inlineStr"><is><t>母亲证件号码</t></is></c></row>',
         '<row r="200000"><c r="ZZ200000"><v>1</v></c></row>'])})
    result = run_cli_limited("--db", str(cli_ledger), "import", str(book), cwd=tmp_path)
    assert_cli_refused(result, cli_ledger, "工作表“子女”", "ZZ200000")


def test_a_declared_dimension_beyond_the_limits_is_refused(ledger, tmp_path):
    book = craft.write_xlsx(tmp_path / "d.xlsx", {"子女": craft.sheet_xml(
        craft.grid_rows([CHILD_HEAD]), dimension="A1:XFD1048576")})
    message = refused(ledger, book)
    assert "工作表“子女”声明的范围" in message and "XFD1048576" in message and "1,048,576 行" in message


def test_a_stray_cell_far_below_the_data_is_refused_as_a_mostly_empty_grid(ledger, tmp_path):
    rows = list(craft.grid_rows([CHILD_HEAD])) + ['<row r="400000"><c r="D400000"><v>1</v></c></row>']
    message = refused(ledger, craft.write_xlsx(tmp_path / "s.xlsx", {"子女": craft.sheet_xml(rows)}))
    assert "几乎全是空单元格" in message and "A1:D400000" in message


def test_a_text_longer_than_excels_cell_limit_is_refused(ledger, tmp_path):
    book = craft.write_xlsx(tmp_path / "长.xlsx", {"子女": craft.long_text_cell(40_000)})
    message = refused(ledger, book)
    assert "工作表“子女”" in message and "32,767" in message


def test_a_300_million_character_string_is_refused_in_bounded_memory(cli_ledger, tmp_path):
    # sprinkled with letters so it compresses 73×, under the ratio limit: the text check refuses it
    book = craft.write_xlsx(tmp_path / "长串.xlsx", {"子女": craft.long_text_cell(300_000_000, "字", 60)}, level=1)
    result = run_cli_limited("--db", str(cli_ledger), "import", str(book), cwd=tmp_path)
    assert_cli_refused(result, cli_ledger, "工作表“子女”", "32,767")


def test_an_overlong_shared_string_is_refused(ledger, tmp_path):
    rows = ['<row r="1"><c r="A1" t="s"><v>0</v></c></row>']
    book = craft.write_xlsx(tmp_path / "共享.xlsx", {"子女": craft.sheet_xml(rows)},
                            shared_strings=craft.shared_strings_xml(["母亲证件号码", "字" * 40_000]))
    assert "共享字符串表" in refused(ledger, book)


def test_a_zip_bomb_is_refused_from_its_compression_ratio(cli_ledger, tmp_path):
    padding = (" " * (1 << 20) for _ in range(200))  # 200 MB of blanks in a ~200 KB file
    book = craft.write_xlsx(tmp_path / "bomb.xlsx", {"子女": craft.sheet_xml(padding)}, level=9)
    assert book.stat().st_size < 2_000_000
    result = run_cli_limited("--db", str(cli_ledger), "import", str(book), cwd=tmp_path)
    assert_cli_refused(result, cli_ledger, "压缩炸弹", f"上限 {xlsx_guard.MAX_RATIO} 倍")


def test_a_part_declaring_more_than_the_size_limit_is_refused(ledger, tmp_path):
    book = craft.write_xlsx(tmp_path / "大.xlsx", {"子女": craft.sheet_xml(craft.grid_rows([CHILD_HEAD]))})
    craft.declare_size(book, "xl/worksheets/sheet1.xml", 1_500_000_000)
    message = refused(ledger, book)
    assert "xl/worksheets/sheet1.xml" in message and "1,000,000,000" in message


def test_billion_laughs_is_refused_in_chinese(ledger, tmp_path):
    head = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>']
    message = refused(ledger, craft.write_xlsx(tmp_path / "笑.xlsx", {"子女": craft.sheet_xml(rows, head=head)}))
    assert "实体声明" in message and "entity" not in message.lower() and "DOCTYPE" not in message


@pytest.mark.parametrize("content", [b"PK\x03\x04 truncated zip", None])
def test_a_damaged_workbook_gets_a_chinese_message_without_english(ledger, tmp_path, content):
    path = tmp_path / "坏.xlsx"
    if content is None:  # a real workbook cut in half
        write_book(path, {"单位": UNITS * 200})
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:
        path.write_bytes(content)
    message = refused(ledger, path)
    assert "已损坏" in message
    assert not re.search(r"[A-Za-z]{4,}", message.replace(".xlsx", "")), message


# ---- file kinds ------------------------------------------------------------------------------
def test_a_legacy_xls_renamed_xlsx_is_called_legacy_not_password_protected(ledger, tmp_path):
    path = craft.ole_file(tmp_path / "旧表.xlsx", ["Workbook", "\x05SummaryInformation"])
    message = refused(ledger, path)
    assert "97-2003" in message and "另存为" in message and "密码" not in message


def test_an_encrypted_xlsx_is_called_password_protected(ledger, tmp_path):
    path = craft.ole_file(tmp_path / "加密.xlsx", ["EncryptionInfo", "EncryptedPackage"])
    message = refused(ledger, path)
    assert "密码" in message and "97-2003" not in message


def test_an_xlsx_renamed_xls_imports(ledger, tmp_path):
    path = write_book(tmp_path / "单位.xls", {"单位": UNITS})
    result = import_workbook(ledger, path)
    assert result.sheets["单位"].inserted == 2


def test_another_office_document_is_not_a_workbook(ledger, tmp_path):
    assert "不是 Excel 工作簿" in refused(ledger, craft.ole_file(tmp_path / "文档.xlsx", ["WordDocument"]))


# ---- sheet names -----------------------------------------------------------------------------
@pytest.mark.parametrize("misspelt, meant", [("子 女", "子女"), ("手术表", "手术"), ("育齡婦女", "育龄妇女"),
                                             ("手工台账", "手工台帐"), ("　单位　sheet", "单位")])
def test_a_sheet_named_like_a_known_one_is_an_error_naming_both(ledger, tmp_path, misspelt, meant):
    path = write_book(tmp_path / "名.xlsx", {"单位": UNITS, misspelt: [("x",), ("y",)]})
    message = refused(ledger, path)
    assert f"工作表“{misspelt}”像是“{meant}”" in message and "请改名后再导入" in message


def test_a_misspelt_sheet_next_to_the_correct_one_is_still_an_error(ledger, tmp_path):
    path = write_book(tmp_path / "名.xlsx", {"单位": UNITS, "子女": [CHILD_HEAD], "子 女": [CHILD_HEAD]})
    assert "工作表“子 女”像是“子女”" in refused(ledger, path)


def test_an_unknown_sheet_is_a_warning_and_the_import_succeeds(ledger, tmp_path):
    path = write_book(tmp_path / "名.xlsx", {"单位": UNITS, "备忘录": [("今天",)], "填写说明": [("说明",)]})
    result = import_workbook(ledger, path)
    assert result.sheets["单位"].inserted == 2
    warnings = [str(w) for w in result.warnings]
    assert len(warnings) == 1 and warnings[0].startswith("备忘录: 不是可导入的工作表")


def test_an_empty_unknown_sheet_gives_no_warning(ledger, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    units = wb.create_sheet("单位")
    for row in UNITS:
        units.append(list(row))
    wb.save(tmp_path / "空.xlsx")
    assert import_workbook(ledger, tmp_path / "空.xlsx").warnings == []


def test_the_survey_reader_refuses_a_misspelt_sheet_too(tmp_path):
    from app.exchange.workbook import read_workbook

    path = write_book(tmp_path / "调查.xlsx", {"抽样调查表": [("单位代码",)]})
    with pytest.raises(UserInputError, match="像是“抽样调查”"):
        read_workbook(path, {"抽样调查"})


def test_the_attendance_reader_refuses_a_misspelt_sheet_too(ledger, tmp_path):
    from app.attendance.importer import read_file

    path = write_book(tmp_path / "考勤.xlsx", {"人员": [("工号", "姓名"), ("1", "张")], "打卡表": [("工号",)]})
    with pytest.raises(UserInputError, match="工作表“打卡表”像是“打卡”"):
        read_file(path)


def test_normalising_keeps_distinct_sheets_apart():
    known = {"子女", "手术", "手工台帐", "单位", "育龄妇女"}
    assert sheet_names.likely("手工", known) is None and sheet_names.likely("子女", known) is None
    assert sheet_names.likely("Sheet1", known) is None and sheet_names.likely("表", known) is None


# ---- every reader goes through the guard -----------------------------------------------------
def test_the_attendance_and_survey_readers_run_the_guard(tmp_path):
    from app.attendance.importer import read_file
    from app.exchange.workbook import read_workbook

    book = craft.write_xlsx(tmp_path / "炸弹.xlsx", {"打卡": craft.sheet_xml(
        ['<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'])})
    with pytest.raises(UserInputError, match="XFD1048576"):
        read_file(book)
    book = craft.write_xlsx(tmp_path / "炸弹2.xlsx", {"抽样调查": craft.sheet_xml(
        ['<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'])})
    with pytest.raises(UserInputError, match="XFD1048576"):
        read_workbook(book, {"抽样调查"})


def test_cells_written_without_positions_are_counted_like_calamine_does(tmp_path):
    row = "<row>" + "<c><v>1</v></c>" * 150 + "</row>"
    book = craft.write_xlsx(tmp_path / "r.xlsx", {"子女": craft.sheet_xml([row])})
    with pytest.raises(UserInputError, match="ET1（150 列"):
        xlsx_guard.inspect(book, {"子女"})


def test_the_district_shaped_sheet_passes_the_guard_and_reads_the_same(tmp_path):
    rows = [("证件号码", *[f"列{i}" for i in range(27)])] + [(f"43{i:016d}", *range(27)) for i in range(3000)]
    book = craft.write_xlsx(tmp_path / "宽.xlsx", {"育龄妇女": craft.sheet_xml(craft.grid_rows(rows))})
    inspection = xlsx_guard.inspect(book, {"育龄妇女"})
    assert inspection.sheet_names == ["育龄妇女"] and inspection.empty == set()


# ---- OS and SQLite errors in Chinese ---------------------------------------------------------
def test_an_export_to_an_impossible_path_ends_in_chinese(cli_ledger, tmp_path, capsys):
    blocker = tmp_path / "文件"
    blocker.write_text("x")
    code = cli.main(["--db", str(cli_ledger), "export-workbook", str(blocker / "导出.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and "文件操作失败" in err and _english_only_in_parentheses(err)


def test_an_sqlite_error_ends_in_chinese(cli_ledger, monkeypatch, capsys):
    from app.exchange import export_workbook

    def full(*_args, **_kw):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(export_workbook, "export_workbook", full)
    code = cli.main(["--db", str(cli_ledger), "export-workbook", "x.xlsx"])
    err = capsys.readouterr().err
    assert code == 2 and "磁盘空间不足" in err and _english_only_in_parentheses(err)


def test_zip_entries_are_never_extracted_whole(tmp_path, monkeypatch):
    """The guard streams parts: ZipFile.read is used only for the small metadata parts."""
    book = craft.write_xlsx(tmp_path / "w.xlsx", {"子女": craft.sheet_xml(craft.grid_rows([CHILD_HEAD] * 50))})
    read = []
    original = zipfile.ZipFile.read
    monkeypatch.setattr(zipfile.ZipFile, "read", lambda self, name, pwd=None: read.append(name) or original(self, name, pwd))
    xlsx_guard.inspect(book, {"子女"})
    assert "xl/worksheets/sheet1.xml" not in read


def _english_only_in_parentheses(message: str) -> bool:
    """Chinese first; the OS or SQLite text at most in the closing parentheses (issue 14 item 8)."""
    import re

    head = re.sub(r"（[^（）]*）\s*$", "", message.strip())
    head = re.sub(r"“[^”]*”", "", head)              # file names are the clerk's own
    return not re.search(r"[A-Za-z]{3,}", head) and bool(re.search(r"[\u4e00-\u9fff]", head))
