"""The command line's human output masks ID and phone numbers as the screen does (`--json` keeps
them for the office's scripts), and every message is Chinese first, the OS or SQLite text in
parentheses at most."""

from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import subprocess
import sys

import openpyxl
import pytest

from app import checks, cli
from app.ledger import Ledger
from app.masking import mask_text
from app.os_errors import describe
from tests import builders as b


def fpledger(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUTF8="1")
    env.pop("FPLEDGER_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=300)


def chinese_first(message: str) -> bool:
    """Starts with Chinese, and Latin text (an OS/SQLite message) only inside full-width parentheses."""
    outside = re.sub(r"（[^（）]*）", "", message)
    outside = re.sub(r"“[^”]*”", "", outside)   # a quoted file name
    return bool(re.match(r"[\u4e00-\u9fff]", message)) and not re.search(r"[A-Za-z]{3,}", outside)


@pytest.fixture
def office(tmp_path):
    path = tmp_path / "L.db"
    with Ledger.create(path, "荷塘区人口计生局", actor="test") as ledger:
        b.unit(ledger, "430202", "荷塘区", "区县")
        b.unit(ledger, "430202101201", "桃花村", "村", parent="430202")
    return path


def test_mask_text_masks_ids_and_phones_by_shape():
    good = b.make_id("1990-05-01")
    assert mask_text(f"王丽 {good}：证件号码 {good[:17]}：长度不对") == \
        f"王丽 {good[:4]}**********{good[-4:]}：证件号码 {good[:4]}*********{good[13:17]}：长度不对"
    assert mask_text("电话 13812345678、0731-22334455") == "电话 138****5678、*********4455"
    assert mask_text("W1: 联系电话 87654321 → 空；姓名 李 → 王") == "W1: 联系电话 ****4321 → 空；姓名 李 → 王"
    assert mask_text("单位 430202101201 2026-03-15 共 12345 人") == "单位 430202101201 2026-03-15 共 12345 人"


def test_check_masks_ids_in_the_human_output_and_json_keeps_them(office):
    good = b.make_id("1990-05-01")
    bad = good[:17] + ("1" if good[17] != "1" else "2")
    husband = b.make_id("1988-01-01", female=False)[:17] + "0"
    with Ledger.open(office) as ledger:
        b.woman(ledger, "李丽", unit="430202101201", id_number=bad, husband_id_number=husband,
                phone="13812345678")
    human = fpledger("--db", str(office), "check")
    assert human.returncode == 1, human.stderr
    assert bad not in human.stdout and husband not in human.stdout
    assert f"{bad[:4]}**********{bad[-4:]}" in human.stdout and "李丽" in human.stdout
    document = json.loads(fpledger("--db", str(office), "check", "--json").stdout)
    assert bad in json.dumps(document, ensure_ascii=False)


def test_import_masks_ids_and_phones_in_the_human_output(office, tmp_path):
    number = b.make_id("1990-05-01")
    with Ledger.open(office) as ledger:
        b.woman(ledger, "李丽", unit="430202101201", id_number=number, phone="13812345678", married=None)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "育龄妇女"
    sheet.append(["证件号码", "姓名", "户口性质", "居住状态", "单位代码", "婚姻状况", "联系电话", "丈夫证件号码"])
    sheet.append([number, "李丽", "农业", "常住", "430202101201", "未婚", "87654321", "43020219880101123"])
    path = tmp_path / "in.xlsx"
    book.save(path)
    result = fpledger("--db", str(office), "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "更新" in result.stdout
    for secret in (number, "13812345678", "87654321", "43020219880101123"):
        assert secret not in result.stdout, secret
    assert f"{number[:4]}**********{number[-4:]}" in result.stdout
    assert "138****5678" in result.stdout and "****4321" in result.stdout


def test_an_export_that_cannot_be_written_says_so_in_chinese_without_a_traceback(office, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = fpledger("--db", str(office), "export-workbook", str(blocker / "全部.xlsx"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    line = result.stderr.strip()
    assert line.startswith("错误：文件操作失败") and chinese_first(line.removeprefix("错误：")), line


def test_os_and_sqlite_errors_are_worded_chinese_first():
    denied = PermissionError(errno.EACCES, "Permission denied", "E:/台帐.xlsx")
    assert describe(denied) == ("文件操作失败：“E:/台帐.xlsx”：没有权限（文件可能是只读的，或正被其他程序打开）"
                                "（[Errno 13] Permission denied）")
    full = sqlite3.OperationalError("database or disk is full")
    assert describe(full) == "台帐数据库出错：磁盘空间不足，台帐无法写入（SQLite：database or disk is full）"
    assert describe(OSError("备份校验失败：页数不符")) == "备份校验失败：页数不符"
    for message in (describe(denied), describe(full), describe(ValueError("boom"))):
        assert chinese_first(message), message


@pytest.mark.parametrize("failure", [sqlite3.OperationalError("disk I/O error"), KeyError("unit_id"),
                                     OSError(errno.ENOSPC, "No space left on device")])
def test_an_unexpected_failure_is_one_chinese_line(office, monkeypatch, capsys, failure):
    def broken(*_args, **_kwargs):
        raise failure

    monkeypatch.delenv("FPLEDGER_DEBUG", raising=False)
    monkeypatch.setattr(checks, "run_all", broken)
    code = cli.main(["--db", str(office), "check"])
    err = capsys.readouterr().err.strip()
    assert code != 0 and "\n" not in err and "Traceback" not in err
    assert err.startswith("错误：") and chinese_first(err.removeprefix("错误：")), err


def test_a_refused_command_with_json_prints_one_failure_document(tmp_path):
    """INTERFACES.md §2: with --json a refused command prints {"ok": false, "exit_code", "error",
    "errors"} on stdout, and nothing else there."""
    import json
    import subprocess
    import sys

    db = tmp_path / "台帐.db"
    subprocess.run([sys.executable, "-m", "app", "--db", str(db), "init"], check=True, capture_output=True)
    done = subprocess.run([sys.executable, "-m", "app", "--db", str(db), "report", "2026-13", "--json"],
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 2
    document = json.loads(done.stdout)
    assert document["ok"] is False and document["exit_code"] == 2 and document["errors"] == []
    assert any("\u4e00" <= ch <= "\u9fff" for ch in document["error"])
