"""The one printed-document writer (打印文档): every PDF the program writes is built here.

Its users only lay out their content: the statistical forms and the attendance posting
(app/forms/pdf.py, one section per Form), the pregnancy-check rosters (app/roster/printing.py)
and the plain text documents — the analysis draft, letters (app/forms/text_pdf.py).

Rules:
- Paper: A4, portrait or landscape per section (`Page`), with the section's margins; a section
  may reserve bands at the top and foot of every page for its running blocks (`Section.on_page`:
  the roster's title and signature lines), drawn on every page of the section.
- Font: the CJK TrueType font of app/forms/fonts.py, embedded as a subset of the glyphs used.
- Missing glyphs (`Glyphs`, over `fonts.missing_glyphs`): a character the font cannot draw (a
  rare name character such as 䶮) is never dropped silently — it is printed as a visible code `[U+4DAE]` and reported, with
  where it stood; a writer in strict mode refuses the document instead (`MissingGlyphs`).
- Page numbers: "第 N 页 共 M 页" at the foot of every page, counted per section, so each form of
  a document of several prints on its own; centred or at the right (`Page.number_align`).
- Banner: a section's banner (与已报送数不一致 …, app/forms/model.py) is drawn in red at the top
  of EVERY page of that section.
- Tables over pages: `paginate` splits measured rows into pages and keeps a closing block (合计,
  footer, notes) together with at least `keep` rows, so 合计 and the signatures never stand
  alone; `paged` puts one table per page (the header repeated on each — twice as fast as one
  long table with repeatRows, PERFORMANCE-NOTES) with a page break between.
- The file is written atomically (app/atomic.py) and kept only when it begins with `%PDF-`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape, portrait
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from app.atomic import begins_with, write_atomic
from app.errors import UserInputError
from app.forms.fonts import CjkFont, cjk_font, missing_glyphs

CREATOR = "计生台帐 FP Ledger"
MARGIN = 12 * mm          # the forms' and the rosters' margin on every side
NUMBER_SIZE = 9.0
BANNER_SIZE = 10.0
BANNER_COLOUR = colors.HexColor("#C00000")


class MissingGlyphs(UserInputError):
    """The font lacks characters used in a document (strict mode)."""


@dataclass(frozen=True)
class Page:
    """A section's paper: A4 in an orientation, margins, bands kept for running blocks, and
    where the page number goes (its baseline `number_y` above the paper's bottom edge)."""

    landscape: bool = False
    left: float = MARGIN
    right: float = MARGIN
    top: float = MARGIN
    bottom: float = MARGIN
    top_band: float = 0.0        # kept free above the frame for `Section.on_page`
    bottom_band: float = 0.0     # kept free below the frame for `Section.on_page`
    number_align: str = "centre"  # centre / right
    number_y: float = MARGIN / 2

    @property
    def size(self) -> tuple[float, float]:
        return landscape(A4) if self.landscape else portrait(A4)

    @property
    def frame_width(self) -> float:
        return self.size[0] - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.size[1] - self.top - self.bottom - self.top_band - self.bottom_band

    def frame(self, name: str) -> Frame:
        return Frame(self.left, self.bottom + self.bottom_band, self.frame_width, self.frame_height, id=name,
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


@dataclass
class Section:
    """Flowables printed on pages of one `Page`, numbered on their own."""

    page: Page
    story: list[Flowable]
    banner: str = ""
    on_page: Callable[[Any, Any], None] | None = None   # (canvas, doc): the running blocks


class Glyphs:
    """The missing-glyph rule for one document: `text` returns what can be printed (a missing
    character as `[U+XXXX]`) and remembers a warning naming `prefix + where` and the characters,
    ending with `advice` (which file to check)."""

    def __init__(self, font: CjkFont, prefix: str = "", advice: str = "") -> None:
        self.font, self.prefix, self.advice = font, prefix, advice
        self.warnings: list[str] = []

    def text(self, value: str, where: str) -> str:
        missing = sorted(missing_glyphs(value, self.font))
        if not missing:
            return value
        shown = "、".join(f"“{ch}”(U+{ord(ch):04X})" for ch in missing)
        advice = f"，PDF 中印为 [U+编码]，{self.advice}" if self.advice else ""
        self.warnings.append(f"{self.prefix}{where}：PDF 字体缺少 {shown}{advice}")
        return "".join(f"[U+{ord(ch):04X}]" if ch in missing else ch for ch in value)


class _SectionStart(Flowable):
    """Zero-size marker: tells the canvas which section the following pages belong to."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803 (reportlab API)
        return 0, 0

    def draw(self) -> None:
        self.canv._fp_section = self.index  # type: ignore[attr-defined]


def _numbered_canvas(font: str, sections: Sequence[Section]) -> type[rl_canvas.Canvas]:
    class NumberedCanvas(rl_canvas.Canvas):
        """Collects the pages, then prints 第 N 页 共 M 页 per section once the totals are known,
        and the section's banner (if any) at the top of each of its pages."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._fp_section = 0
            self._fp_pages: list[tuple[dict[str, Any], int]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._fp_pages.append((dict(self.__dict__), self._fp_section))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's page reset, private (no stub)

        def save(self) -> None:
            totals: dict[int, int] = {}
            for _, index in self._fp_pages:
                totals[index] = totals.get(index, 0) + 1
            seen: dict[int, int] = {}
            for state, index in self._fp_pages:
                self.__dict__.update(state)
                seen[index] = seen.get(index, 0) + 1
                section = sections[index]
                width, height = self._pagesize  # type: ignore[attr-defined]  # reportlab's, private (no stub)
                self.setFont(font, NUMBER_SIZE)
                number = f"第 {seen[index]} 页 共 {totals[index]} 页"
                if section.page.number_align == "right":
                    self.drawRightString(width - section.page.right, section.page.number_y, number)
                else:
                    self.drawCentredString(width / 2, section.page.number_y, number)
                if section.banner:
                    self.setFont(font, BANNER_SIZE)
                    self.setFillColor(BANNER_COLOUR)
                    self.drawCentredString(width / 2, height - section.page.top * 0.7, section.banner)
                    self.setFillColor(colors.black)
                super().showPage()
            super().save()

    return NumberedCanvas


def write_document(path: str | os.PathLike[str], sections: Sequence[Section], title: str,
                   author: str = "") -> Path:
    """Write the sections, each starting on a new page, to one PDF at `path` (module rules)."""
    if not sections:
        raise ValueError("没有要打印的内容")
    font = cjk_font()
    templates = [PageTemplate(id=f"section{i}", frames=[s.page.frame(f"section{i}")], pagesize=s.page.size,
                              onPage=s.on_page or _nothing)
                 for i, s in enumerate(sections)]
    story: list[Flowable] = []
    for index, section in enumerate(sections):
        if index:
            story += [NextPageTemplate(f"section{index}"), PageBreak()]
        story.append(_SectionStart(index))
        story.extend(section.story)
    first = sections[0].page

    def build(temp: Path) -> None:
        doc = BaseDocTemplate(str(temp), pagesize=first.size, pageTemplates=templates,
                              leftMargin=first.left, rightMargin=first.right, topMargin=first.top,
                              bottomMargin=first.bottom, title=title, author=author, creator=CREATOR)
        doc.build(story, canvasmaker=_numbered_canvas(font.name, sections))

    target = Path(path)
    return write_atomic(target, build, check=begins_with(b"%PDF-", target))


def _nothing(canvas: Any, doc: Any) -> None:
    return None


# ---- tables over pages ---------------------------------------------------------------------------

@dataclass
class Rooms:
    """The height a table's rows may take on a page: `first` on the first page (below the
    heading), `next` on the following ones (below the continuation title), each after the
    repeated header; `closing` is what must follow the last row on its page."""

    first: float
    next: float
    closing: float = 0.0
    keep: int = 0                # rows the closing block takes along onto its page (at least)
    fixed_tail: int = 0          # rows at the end that always go with the closing (合计)


def paginate(heights: Sequence[float], rooms: Rooms) -> list[tuple[int, int]]:
    """Rows [start, end) of each page. The last page holds the closing block with at least
    `rooms.keep` data rows (all of them when fewer) and the `fixed_tail` rows, so neither 合计
    nor the signatures ever stand alone on a page; a row taller than a page still gets one."""
    n = len(heights)
    data_n = n - rooms.fixed_tail
    tail = n - min(rooms.keep, data_n) - rooms.fixed_tail   # first row the last page must hold
    pages: list[tuple[int, int]] = []
    start = 0
    while True:
        room = rooms.next if pages else rooms.first
        if sum(heights[start:]) + rooms.closing <= room or start >= n:
            pages.append((start, n))
            return pages
        end = start
        while end < n and room - heights[end] >= 0:
            room -= heights[end]
            end += 1
        if end > tail > start:
            end = tail               # leave the last rows for the page with the closing block
        end = min(max(end, start + 1), n)
        if end >= n:                 # not even the kept rows fit with the closing block
            end = n - 1 if n - 1 > start else n
        pages.append((start, end))
        if end >= n:
            return pages
        start = end


def paged(split: Sequence[tuple[int, int]],
          page: Callable[[int, int, int, bool], list[Flowable]]) -> list[Flowable]:
    """The story of a table over pages: `page(number, start, end, last)` gives each page's
    flowables (its heading, a table of the header rows and rows [start, end), and on the last
    page the closing block); a page break between pages."""
    story: list[Flowable] = []
    for number, (start, end) in enumerate(split):
        last = number == len(split) - 1
        story.extend(page(number, start, end, last))
        if not last:
            story.append(PageBreak())
    return story
