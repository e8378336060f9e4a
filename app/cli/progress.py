"""Progress of a long CLI command on the terminal: one updating line on stderr.

`with terminal_progress(args, "导出") as progress:` hands a `progress(done, total, text) -> bool`
callback (the one app/ functions take) to the command. Rules:
- Shown only when both stdout and stderr are terminals and `--json` is not given: a pipe, a
  file or a script gets exactly the output it got before. Otherwise `progress` is None, so the
  command runs as it did (the app/ functions accept None).
- One line, rewritten in place with `\\r`: the title, the percentage, the callback's text (the
  sheet or village being written), done/total and, after a second, the time left ("剩余约 …")
  from the pace so far. Redrawn at most every REDRAW seconds (the callback is cheap to call per
  row); cut to the terminal's width (a wrapped line could not be rewritten); padded with spaces
  over the previous line (no escape codes: old Windows consoles print them). Cleared when the
  command ends, however it ends, so the command's own output starts on a clean line.
- `cancellable=True` (commands whose app/ function stops cleanly when the callback returns
  False: import, demo, export-workbook, roster --print): while the line is shown, the first
  Ctrl+C makes the callback return False — the command then stops the way the window's 取消
  does (nothing written, or the files already finished kept) — and a second Ctrl+C interrupts
  at once. Other commands keep Python's own Ctrl+C.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

REDRAW = 0.2
ETA_AFTER = 1.0

ProgressFn = Callable[[int, int, str], bool]


def wanted(args: argparse.Namespace | None) -> bool:
    """Whether progress is shown: a terminal on stdout and stderr, and no --json."""
    if args is not None and getattr(args, "json", False):
        return False
    return all(_is_tty(stream) for stream in (sys.stdout, sys.stderr))


def _is_tty(stream: TextIO | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, columns: int) -> str:
    out, used = [], 0
    for ch in text:
        used += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used > columns:
            break
        out.append(ch)
    return "".join(out)


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds} 秒"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} 分 {seconds:02d} 秒"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} 小时 {minutes:02d} 分"


class TerminalProgress:
    """The line itself; `__call__` is the progress callback (see the module docstring)."""

    def __init__(self, title: str, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.title, self.stream, self.clock = title, stream, clock
        self.first: tuple[float, float] | None = None   # (time, fraction) of the first report
        self.last_draw: float | None = None
        self.shown = 0          # display width of the line on screen
        self.cancelled = False

    def __call__(self, done: int, total: int, text: str = "") -> bool:
        now = self.clock()
        fraction = min(max(done / total, 0.0), 1.0) if total > 0 else 0.0
        if self.first is None:
            self.first = (now, fraction)
        if self.last_draw is None or now - self.last_draw >= REDRAW or (total and done >= total):
            self.last_draw = now
            self.draw(self.line(fraction, text, now - self.first[0], self.first[1]))
        return not self.cancelled

    def line(self, fraction: float, text: str, elapsed: float = 0.0, first: float = 0.0) -> str:
        """The line for `fraction` done, `elapsed` seconds after the first report (at `first`):
        the time left is the pace since that report (a phase before it, such as reading the
        workbook, does not count), shown after ETA_AFTER seconds."""
        parts = [f"{self.title} {fraction * 100:3.0f}%"]
        if text:
            parts.append(text)
        if self.cancelled:
            parts.append("正在取消…")
        elif elapsed >= ETA_AFTER and first < fraction < 1:
            left = elapsed * (1 - fraction) / (fraction - first)
            if left >= 1:
                parts.append(f"剩余约 {_duration(left)}")
        return "  ".join(parts)

    def begin(self) -> None:
        """The title alone, before the command's first report (it may read a file first)."""
        self.draw(f"{self.title}…")

    def draw(self, line: str) -> None:
        columns = max(shutil.get_terminal_size((80, 24)).columns - 1, 10)
        line = _cut(line, columns)
        width = _width(line)
        self.stream.write("\r" + line + " " * max(self.shown - width, 0))
        self.stream.flush()
        self.shown = width

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
            self.shown = 0


@contextmanager
def terminal_progress(args: argparse.Namespace | None, title: str,
                      cancellable: bool = False) -> Iterator[TerminalProgress | None]:
    """The progress callback for a command, or None when progress is not shown."""
    if not wanted(args):
        yield None
        return
    line = TerminalProgress(title, sys.stderr)
    caught = cancellable and threading.current_thread() is threading.main_thread()
    previous = _catch_interrupt(line) if caught else None
    try:
        line.begin()
        yield line
    finally:
        if caught:
            signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
        line.clear()


def _catch_interrupt(line: TerminalProgress):
    """First Ctrl+C: ask the command to stop; a second one: the usual KeyboardInterrupt."""
    def handler(signum, frame) -> None:
        if line.cancelled:
            raise KeyboardInterrupt
        line.cancelled = True
        line.last_draw = None   # show "正在取消…" at the next call

    return signal.signal(signal.SIGINT, handler)
