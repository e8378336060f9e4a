"""Where a column title (表头) may wrap, for the PDF and Excel renderers.

Rules:
- A title breaks only between tokens, never inside one: a bracketed group （…）/(…) is one
  token, and so is each run of other characters (a CJK word such as 人流引产 or 计划生育率 is
  never cut); a space, 、, ， or / ends a token (the break comes after it). An explicit "\\n" in a
  title is a forced break.
- `lines(title, avail, measure)` packs the tokens greedily into lines no wider than `avail`
  (`measure(text)` gives a text's width in the caller's unit: points for the PDF, Excel
  character widths for the sheet). A token wider than `avail` gets a line of its own; the
  renderer widens the column (`min_width`) or shrinks that cell's font so that never happens
  on paper: 所属乡镇（街道） prints as 所属乡镇 / （街道）, 计划生育率（%） as 计划生育率 / （%）.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKEN = re.compile(r"[（(][^）)]*[）)]|[^\s、，/／（(]+[\s、，/／]*|[\s、，/／]+")


def tokens(line: str) -> list[str]:
    """The unbreakable pieces of one line of a title (see the module rules)."""
    return _TOKEN.findall(line) or ([line] if line else [])


def longest_token(title: str, measure: Callable[[str], float]) -> float:
    """Width of the widest unbreakable piece of `title` (0 for an empty title)."""
    return max((measure(tok.strip()) for part in title.split("\n") for tok in tokens(part)), default=0.0)


def lines(title: str, avail: float, measure: Callable[[str], float]) -> list[str]:
    """`title` broken into lines of at most `avail` wide, only between tokens."""
    out: list[str] = []
    for part in title.split("\n"):
        current = ""
        for tok in tokens(part):
            candidate = current + tok
            if current and measure(candidate.rstrip()) > avail:
                out.append(current.rstrip())
                current = tok.lstrip()
            else:
                current = candidate
        out.append(current.rstrip())
    return out


def excel_width(text: str) -> float:
    """Approximate width of `text` in Excel character units at the sheet's 10-point bold
    header font (a CJK/full-width character ≈ 2 units, others ≈ 1.1)."""
    return sum(2.0 if ord(ch) > 0x2E7F else 1.1 for ch in text)


__all__ = ["excel_width", "lines", "longest_token", "tokens"]
