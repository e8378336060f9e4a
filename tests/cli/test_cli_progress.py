"""Progress of long commands on a terminal (app/cli/progress.py): shown under a terminal, never
with --json or a pipe; Ctrl+C cancels an export cleanly."""

from __future__ import annotations

import io
import os
import random
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.cli import progress as cli_progress
from app.cli.progress import TerminalProgress
from app.ledger import Ledger
from app.periods import Period
from tests import builders as b
from tests import reconcile_synth as synth


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_line_is_throttled_rewritten_in_place_and_cleared():
    stream, clock = io.StringIO(), Clock()
    line = TerminalProgress("导出", stream, clock)
    assert line(0, 100, "育龄妇女") is True
    clock.now += 0.05
    line(10, 100, "育龄妇女")              # too soon: not drawn
    assert stream.getvalue() == "\r导出   0%  育龄妇女"
    clock.now += 1.95
    line(40, 100, "子女")
    long = "导出  40%  子女  剩余约 3 秒"
    assert stream.getvalue().endswith("\r" + long)
    clock.now += 0.05
    line(100, 100, "")                      # the end is always drawn, over the longer line
    short = "导出 100%"
    pad = cli_progress._width(long) - cli_progress._width(short)
    assert stream.getvalue().endswith("\r" + short + " " * pad)
    line.clear()
    assert stream.getvalue().endswith("\r" + " " * cli_progress._width(short) + "\r")


def test_a_long_line_is_cut_to_the_terminal_width(monkeypatch):
    monkeypatch.setattr(cli_progress.shutil, "get_terminal_size", lambda fallback: os.terminal_size((21, 24)))
    stream = io.StringIO()
    TerminalProgress("打印名册", stream, Clock())(1, 4, "桃花村（120 人）")
    assert stream.getvalue() == "\r打印名册  25%  桃花"   # 20 columns, each Chinese character two


def test_the_time_left_reads_in_minutes_and_hours_from_the_pace_since_the_first_report():
    line = TerminalProgress("导入", io.StringIO(), Clock())
    assert line.line(0.25, "", 40.0).endswith("剩余约 2 分 00 秒")
    assert line.line(0.01, "", 3600.0).endswith("剩余约 99 小时 00 分")
    assert line.line(0.5, "", 10.0, first=0.25).endswith("剩余约 20 秒")   # 25 % in 10 s
    assert "剩余" not in line.line(0.25, "", 0.5)


def test_a_silent_first_phase_does_not_inflate_the_time_left():
    stream, clock = io.StringIO(), Clock()
    line = TerminalProgress("导入", stream, clock)
    line.begin()
    clock.now += 10               # reading the workbook: no report
    line(1, 1000, "人口基数")
    clock.now += 2
    line(501, 1000, "育龄妇女")
    assert stream.getvalue().startswith("\r导入…")
    assert stream.getvalue().endswith("\r导入  50%  育龄妇女  剩余约 2 秒")


@pytest.fixture
def terminal(monkeypatch):
    """stdout and stderr taken for terminals (capsys still captures what is written)."""
    monkeypatch.setattr(cli_progress, "_is_tty", lambda stream: True)


@pytest.fixture
def office(tmp_path):
    db = tmp_path / "L.db"
    with Ledger.create(db, "荷塘区人口计生局", 10, actor="test") as ledger:
        b.unit(ledger, "430202", "荷塘区", "区县")
        b.unit(ledger, "430202101201", "桃花村", "村", parent="430202")
        b.unit(ledger, "430202101202", "李家村", "村", parent="430202")
        for i in range(6):
            wid = b.woman(ledger, f"李{i}", unit="430202101201" if i % 2 else "430202101202", born=f"198{i}-05-01")
            b.measure(ledger, wid, "宫内节育器", "2013-01-01")
    return db


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_every_long_command_shows_progress_on_a_terminal(office, tmp_path, capsys, terminal):
    db = str(office)
    code, _out, err = run(capsys, "--db", db, "check")
    assert code in (0, 1) and "\r逻辑校核 100%" in err
    code, out, err = run(capsys, "--db", db, "export-workbook", str(tmp_path / "全部.xlsx"))
    assert code == 0 and "\r导出 100%" in err and "正在保存文件" in err and "已导出" in out
    fresh = tmp_path / "fresh.db"
    Ledger.create(fresh, "新台帐", 10, actor="test").close()
    code, _out, err = run(capsys, "--db", str(fresh), "import", str(tmp_path / "全部.xlsx"))
    assert code == 0 and "\r导入" in err
    code, _out, err = run(capsys, "--db", db, "roster", "2026Q2", "--print", str(tmp_path / "名册"))
    assert code == 0 and "\r打印名册   0%  桃花村（3 人）" in err and "\r打印名册 100%" in err
    demo = tmp_path / "demo.db"
    Ledger.create(demo, "仙庾镇计生办", 10, actor="test").close()
    code, _out, err = run(capsys, "--db", str(demo), "demo")
    assert code == 0 and "\r正在生成示例数据" in err
    assert err.endswith("\r")   # every line was cleared before the command's own output


def test_reconcile_shows_progress_on_a_terminal(tmp_path, capsys, terminal):
    path, rng = tmp_path / "ledger.db", random.Random(7)
    with Ledger.create(path, "荷塘区人口计生局", 10, actor="test") as ledger:
        info = synth.build_ledger(ledger, rng, villages=2, women_per_village=10)
        rows = synth.make_survey(ledger.db, Period.parse("2026H1"), info["villages"][:1], rng,
                                 new_mothers=1, existing_mothers=1)
    survey = synth.write_survey(tmp_path / "survey.xlsx", rows)
    code, _out, err = run(capsys, "--db", str(path), "reconcile", str(survey), "--period", "2026H1")
    assert code in (0, 1) and "\r核对 100%" in err


def test_no_progress_with_json_even_on_a_terminal(office, tmp_path, capsys, terminal):
    code, out, err = run(capsys, "--db", str(office), "export-workbook", str(tmp_path / "全部.xlsx"), "--json")
    assert code == 0 and err == "" and out.startswith("{")
    code, out, err = run(capsys, "--db", str(office), "check", "--json")
    assert err == ""


def test_no_progress_when_the_output_is_not_a_terminal(office, tmp_path, capsys):
    code, _out, err = run(capsys, "--db", str(office), "export-workbook", str(tmp_path / "全部.xlsx"))
    assert code == 0 and err == ""


def test_the_first_ctrl_c_cancels_the_export_and_leaves_no_file(office, tmp_path, capsys, terminal, monkeypatch):
    drawn = TerminalProgress.draw

    def draw_then_interrupt(self, line):
        drawn(self, line)
        if not self.cancelled:
            signal.raise_signal(signal.SIGINT)   # the clerk presses Ctrl+C while the line is shown

    monkeypatch.setattr(TerminalProgress, "draw", draw_then_interrupt)
    before = signal.getsignal(signal.SIGINT)
    code, out, err = run(capsys, "--db", str(office), "export-workbook", str(tmp_path / "全部.xlsx"))
    assert code == 2 and "导出已取消，未写入文件。" in err and out == ""
    assert [p.name for p in tmp_path.iterdir() if p.suffix in (".xlsx", ".tmp")] == []
    assert signal.getsignal(signal.SIGINT) is before


def _on_a_pseudo_terminal(argv: list[str]) -> tuple[int, str]:
    """Run `python -m app …` with stdout and stderr on a pseudo-terminal; returns (code, output)."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONUTF8="1")
    proc = subprocess.Popen([sys.executable, "-m", "app", *argv], stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=slave, env=env, cwd=Path(__file__).resolve().parents[2])
    os.close(slave)
    chunks = []
    while True:
        ready, _w, _x = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 4096)
        except OSError:   # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_real_terminal_gets_the_line_and_a_pipe_does_not(office, tmp_path):
    code, output = _on_a_pseudo_terminal(["--db", str(office), "export-workbook", str(tmp_path / "a.xlsx")])
    assert code == 0 and "\r导出 100%" in output and "已导出" in output
    piped = subprocess.run([sys.executable, "-m", "app", "--db", str(office), "export-workbook", str(tmp_path / "b.xlsx")],
                           capture_output=True, env=dict(os.environ, PYTHONUTF8="1"), timeout=60)
    assert piped.returncode == 0 and b"\r" not in piped.stderr and b"\r" not in piped.stdout
