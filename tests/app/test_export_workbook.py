"""export-workbook with xlsxwriter: progress over the phases, cancel leaves nothing, the check,
dates as Excel dates (and odd stored dates kept as text)."""

from __future__ import annotations

import tempfile
from datetime import date, datetime

import openpyxl
import pytest

from app.errors import UserInputError
from app.exchange import export_workbook as export_mod
from app.exchange.export_workbook import ExportCancelled, export_workbook
from tests import builders as b


@pytest.fixture
def filled(ledger):
    b.unit(ledger, "430202", "荷塘区", "区县")
    b.unit(ledger, "430202101201", "桃花村", "村", parent="430202")
    for i in range(5):
        wid = b.woman(ledger, f"李{i}", unit="430202101201", born=f"198{i}-05-01")
        b.child(ledger, wid, 1, "2012-03-04")
        b.measure(ledger, wid, "宫内节育器", "2013-01-01")
    return ledger


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """The system temporary folder, redirected so a test sees what the export leaves there."""
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def leftovers(folder, scratch) -> list[str]:
    return sorted(p.name for p in [*folder.iterdir(), *scratch.iterdir()])


def test_progress_runs_from_the_rows_through_saving_and_checking_to_the_end(filled, tmp_path, monkeypatch):
    monkeypatch.setattr(export_mod, "PROGRESS_EVERY", 2)
    seen = []
    counts = export_workbook(filled, tmp_path / "全部.xlsx", lambda d, t, text: seen.append((d, t, text)) or True)
    totals = {t for _d, t, _x in seen}
    assert len(totals) == 1 and seen[-1][0] == totals.pop()
    assert [d for d, _t, _x in seen] == sorted(d for d, _t, _x in seen)
    texts = [x for _d, _t, x in seen]
    assert "育龄妇女" in texts and texts.index("正在保存文件") < texts.index("正在校验")
    assert counts["育龄妇女"] == 5 and counts["子女"] == 5


@pytest.mark.parametrize("stop_at", ["育龄妇女", "正在保存文件", "正在校验"])
def test_a_cancel_in_any_phase_leaves_no_file_and_no_temporary_file(filled, tmp_path, scratch, monkeypatch, stop_at):
    monkeypatch.setattr(export_mod, "PROGRESS_EVERY", 2)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportCancelled, match="导出已取消，未写入文件"):
        export_workbook(filled, out / "全部.xlsx", lambda _d, _t, text: text != stop_at)
    assert leftovers(out, scratch) == []
    assert not filled.db.execute("select 1 from audit_log where action = '导出工作簿'").fetchone()


def test_a_failed_write_leaves_the_previous_file_alone(filled, tmp_path, scratch, monkeypatch):
    out = tmp_path / "全部.xlsx"
    out.write_bytes(b"previous")

    def broken(workbook, sheets, plan):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_mod, "_write", broken)
    with pytest.raises(OSError):
        export_workbook(filled, out)
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    assert list(scratch.iterdir()) == []


def test_the_check_refuses_a_file_whose_rows_do_not_match(filled, tmp_path, monkeypatch):
    real = export_mod._write

    def miscounted(workbook, sheets, plan):
        counts = real(workbook, sheets, plan)
        return counts | {"子女": counts["子女"] + 1}

    monkeypatch.setattr(export_mod, "_write", miscounted)
    with pytest.raises(UserInputError, match="导出校验失败：工作表“子女”应有 6 行，读回 5 行"):
        export_workbook(filled, tmp_path / "全部.xlsx")
    assert not (tmp_path / "全部.xlsx").exists()


def test_dates_are_excel_dates_and_an_odd_stored_date_stays_as_its_text(filled, tmp_path):
    filled.db.execute("update women set card_date = '2020-02-30' where name = '李0'")
    filled.db.execute("update women set birth_date = '1900-02-28', card_date = '1900-03-01' where name = '李1'")
    out = tmp_path / "全部.xlsx"
    export_workbook(filled, out)
    sheet = openpyxl.load_workbook(out)["育龄妇女"]
    header = [c.value for c in sheet[1]]
    first = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert first["出生日期"].value == datetime(1980, 5, 1) and first["出生日期"].number_format == "yyyy-mm-dd"
    assert (first["建卡日期"].value, first["建卡日期"].data_type) == ("2020-02-30", "s")
    assert first["证件号码"].data_type == "s" and len(first["证件号码"].value) == 18
    assert sheet.freeze_panes == "A2"
    second = {h: c.value for h, c in zip(header, sheet[3], strict=True)}
    assert (second["出生日期"], second["建卡日期"]) == (datetime(1900, 2, 28), datetime(1900, 3, 1))


def test_the_excel_serial_of_a_date_keeps_the_1900_leap_day_quirk():
    # Excel's own serials: 1900-01-01 is 1, the fictitious 1900-02-29 is 60, 2000-01-01 is 36526.
    known = {"1900-01-01": 1, "1900-02-28": 59, "1900-03-01": 61, "2000-01-01": 36526}
    assert {day: export_mod._serial(date.fromisoformat(day)) for day in known} == known


def test_a_full_disk_while_saving_is_an_os_error_and_leaves_nothing_behind(filled, tmp_path, scratch, monkeypatch):
    import errno
    import gc
    import sys
    import zipfile

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", full)   # xlsxwriter assembles the file with it
    ignored = []
    monkeypatch.setattr(sys, "unraisablehook", ignored.append)
    with pytest.raises(OSError) as caught:
        export_workbook(filled, tmp_path / "全部.xlsx")
    assert caught.value.errno == errno.ENOSPC
    del caught
    gc.collect()
    assert ignored == []   # xlsxwriter's half-written zip does not complain later ("Exception ignored")
    assert [p.name for p in tmp_path.iterdir() if p.suffix in (".xlsx", ".tmp")] == []
    assert list(scratch.iterdir()) == []
