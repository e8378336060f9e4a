"""PDF renderer for standard forms (reportlab), laid out as the Excel sheet: title, legal block,
填报单位 / period / 单位 line, the merged header tree, column numbers, rows, 合计, footer, notes.

Rules:
- The page, the font, the missing-glyph rule, the page numbers and the banner are the printed
  document's (app/forms/document.py): A4, landscape unless `Form.landscape` is False, each form
  a section of its own, so it starts on a new page and its "第 x 页 共 y 页" count its pages only.
- Rows are packed into one table PER PAGE (measured in advance; `document.paged`), and every
  page repeats the header and column-number rows.
- Fit like paper: 合计 and the footer (单位负责人 …, notes) are never alone on a page. A form
  that does not fit one page at full size is first shrunk (table font, leading and padding, in
  steps down to MIN_SCALE = 85 %) onto one page; a form too long even then runs over several
  pages at full size and its last page carries at least KEEP_WITH_TOTAL data rows with 合计
  and the footer.
- Column widths follow the Excel widths' proportions, but a header cell breaks only between
  the tokens of app/forms/header_text.py (人流引产, 计划生育率 stay whole; 所属乡镇（街道） wraps at
  its bracket): each column is widened to its longest header token and widest figure, and
  when the page cannot give that at the full font the header font shrinks (to MIN_HEAD_SIZE)
  in just the cells that need it. A text column keeps at least TEXT_MIN_CHARS characters.
- Text in body cells wraps by CJK rules (Paragraph with wordWrap='CJK'); numbers are right-aligned,
  rates printed rounded half up (`model.display`) — the very figure the Excel cell holds.
- Characters the font lacks are printed as `[U+XXXX]` and reported with the form, row and
  column (`document.Glyphs`). With `strict=True` they raise `MissingGlyphs` instead and no file
  is written. (Choice: warn by default so an office whose unit name has such a character can
  still send its figures; the export shows the warning to the clerk.)
- A form's `banner` (与已报送数不一致 …) is drawn at the top of EVERY page of that form.
- The file is written atomically (app/atomic.py, through `document.write_document`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.forms import document, header_text
from app.forms.document import MARGIN, MissingGlyphs
from app.forms.fonts import CjkFont, cjk_font
from app.forms.model import Form, column_numbers, display, header_cells, legal_span

__all__ = ["MissingGlyphs", "build_sections", "write_pdf"]
BODY_SIZE = 9.0
LEADING = 1.25           # line height / font size in every table cell
NUMBER_ROW = 8 / 9       # the column-number row's font relative to the body's
PAD = 2.0
MIN_SCALE = 0.85         # a form shrinks at most to 85 % to fit on one page
MIN_HEAD_SIZE = 6.0      # a header cell's font never shrinks below this (points)
KEEP_WITH_TOTAL = 3      # data rows carried onto the last page with 合计 and the footer
_SCALE_STEP = 0.025
_GAP = 3 * mm
TEXT_MIN_CHARS = 4       # a text column never narrower than this many CJK characters (if it holds them)
_TEXT_MIN_SHARE = 0.2    # a text column widens for its longest cell up to this share of the page
_WRAP_TOLERANCE = 0.5    # points, so that a measured line never wraps in reportlab
_FIT_SLACK = 4.0   # points kept free on each page against rounding in reportlab's own layout


@dataclass
class _Styles:
    title: ParagraphStyle
    cont: ParagraphStyle
    small: ParagraphStyle
    info: ParagraphStyle
    info_centre: ParagraphStyle
    info_right: ParagraphStyle
    cell: ParagraphStyle
    head: ParagraphStyle
    right: ParagraphStyle
    centre: ParagraphStyle


def _styles(font: str, size: float = BODY_SIZE) -> _Styles:
    """Paragraph styles; `size` is the table's (scaled) font size, the rest keep theirs."""
    base: dict[str, Any] = dict(fontName=font, wordWrap="CJK")

    def style(name: str, points: float, align: Literal[0, 1, 2, 4]) -> ParagraphStyle:
        return ParagraphStyle(name, fontSize=points, leading=points * LEADING, alignment=align, **base)

    return _Styles(
        title=ParagraphStyle("title", fontSize=16, leading=22, alignment=TA_CENTER, **base),
        cont=ParagraphStyle("cont", fontSize=10, leading=14, alignment=TA_CENTER, **base),
        small=ParagraphStyle("small", fontSize=8, leading=10.5, alignment=TA_LEFT, **base),
        info=style("info", BODY_SIZE, TA_LEFT), info_centre=style("info_centre", BODY_SIZE, TA_CENTER),
        info_right=style("info_right", BODY_SIZE, TA_RIGHT),
        cell=style("cell", size, TA_LEFT), head=style("head", size, TA_CENTER),
        right=style("right", size, TA_RIGHT), centre=style("centre", size, TA_CENTER),
    )


def _page(form: Form) -> document.Page:
    return document.Page(landscape=form.landscape)


class _FormLayout:
    """Everything about one form that is measured once, at one scale: widths, header, rows.

    `scale` (1.0, or down to MIN_SCALE when shrinking a form onto one page) scales the table's
    font, leading and padding; the title and legal block keep their size."""

    def __init__(self, form: Form, font: CjkFont, scale: float = 1.0) -> None:
        self.form, self.font, self.scale = form, font, scale
        self.size = BODY_SIZE * scale
        self.leading = self.size * LEADING
        self.pad = PAD * scale
        self.st = _styles(font.name, self.size)
        self.glyphs = document.Glyphs(font, f"《{form.title}》", "请核对 Excel 文件")
        page = _page(form)
        self.frame_w, self.frame_h = page.frame_width, page.frame_height
        self.leaves = form.leaves()
        self.depth = form.header_depth()
        self.cells = [(r0, c0, r1, c1, self.glyphs.text(title, "表头")) for r0, c0, r1, c1, title in header_cells(form)]
        self.texts = [[self.glyphs.text(display(record.get(leaf.key) if leaf.key else None, leaf),
                                        self._where(index, leaf)) for leaf in self.leaves]
                      for index, record in enumerate(form.body())]
        self.col_w = self._widths()
        self.header = self._header_rows()
        self.header_h = self._measured(self.header, head_only=True)
        self.body = [self._body_row(i, texts) for i, texts in enumerate(self.texts)]
        self.body_h = [self._row_height(r) for r in self.body]

    def _where(self, index: int, leaf: Any) -> str:
        return "合计行" if self._is_total(index) else f"第{index + 1}行 {leaf.title}"

    def _is_total(self, index: int) -> bool:
        return self.form.total_row is not None and index == len(self.form.rows)

    def _width(self, text: str, size: float | None = None) -> float:
        return stringWidth(text, self.font.name, self.size if size is None else size)

    # ---- column widths -----------------------------------------------------------------------
    def _widths(self) -> list[float]:
        """The Excel widths' proportions, within these bounds (header words: app/forms/header_text.py):
        - a figure column is never narrower than its widest printed figure; a text column holds
          at least TEXT_MIN_CHARS characters of its cells (a unit name wraps, but not to a stub);
        - every column fits its longest header token at the full font when the page allows,
          else at the largest smaller font (down to MIN_HEAD_SIZE) that does; the header cells
          that need it then print in that smaller font, so no word is ever cut;
        - text columns widen for their longest cell (up to _TEXT_MIN_SHARE of the page) when
          what is left allows it."""
        n = len(self.leaves)
        edge = 2 * self.pad + _WRAP_TOLERANCE
        body = [0.0] * n
        wish = [0.0] * n
        numbers = column_numbers(self.leaves) if self.form.number_columns else [""] * n
        for c, leaf in enumerate(self.leaves):
            body[c] = self._width(numbers[c], self.size * NUMBER_ROW) + edge
            widest = max((self._width(row[c]) + edge for row in self.texts), default=0.0)
            if leaf.kind != "text":      # figures never wrap
                body[c] = max(body[c], widest)
            else:
                body[c] = max(body[c], min(widest, self._width("字" * TEXT_MIN_CHARS) + edge))
                wish[c] = min(widest, self.frame_w * _TEXT_MIN_SHARE)
        weights = [max(leaf.width, 1.0) for leaf in self.leaves]
        size = self.size
        while True:
            mins = self._header_mins(body, size, edge)
            if sum(mins) <= self.frame_w or size <= MIN_HEAD_SIZE:
                break
            size = max(MIN_HEAD_SIZE, size - 0.25)
        wished = [max(m, w) for m, w in zip(mins, wish, strict=True)]
        return _fit_widths(weights, wished if sum(wished) <= self.frame_w else mins, self.frame_w)

    def _header_mins(self, body: list[float], size: float, edge: float) -> list[float]:
        """`body` raised so that every header cell's longest token fits at `size` points."""
        mins = list(body)

        def longest(title: str) -> float:
            return header_text.longest_token(title, lambda text: self._width(text, size)) + edge

        for _, c0, _, c1, title in self.cells:
            if c0 == c1:
                mins[c0] = max(mins[c0], longest(title))
        for _, c0, _, c1, title in self.cells:   # a group header over several leaves
            short = longest(title) - sum(mins[c0:c1 + 1])
            if c0 != c1 and short > 0:
                for c in range(c0, c1 + 1):
                    mins[c] += short / (c1 - c0 + 1)
        return mins

    # ---- cells -----------------------------------------------------------------------------
    def _para(self, text: str, style: ParagraphStyle, where: str) -> Paragraph:
        return Paragraph(escape(self.glyphs.text(text, where)), style)

    def _header_para(self, title: str, width: float) -> Paragraph:
        """A header cell broken only between tokens; its font shrinks (to MIN_HEAD_SIZE) when
        even its longest token is wider than the cell."""
        avail = width - 2 * self.pad - _WRAP_TOLERANCE
        size = self.size
        longest = header_text.longest_token(title, self._width)
        if longest > avail > 0:
            size = max(MIN_HEAD_SIZE, self.size * avail / longest)
        style = self.st.head if size == self.size else ParagraphStyle(
            "head_small", parent=self.st.head, fontSize=size, leading=size * LEADING)
        lines = header_text.lines(title, avail, lambda text: self._width(text, size))
        text = "<br/>".join(escape(line) for line in lines)
        return Paragraph(text, style)

    def _header_rows(self) -> list[list[Any]]:
        ncols = len(self.leaves)
        rows: list[list[Any]] = [[""] * ncols for _ in range(self.depth)]
        for r0, c0, _, c1, title in self.cells:
            rows[r0][c0] = self._header_para(title, sum(self.col_w[c0:c1 + 1]))
        if self.form.number_columns:
            rows.append(list(column_numbers(self.leaves)))
        self.spans = [(c0, r0, c1, r1) for r0, c0, r1, c1, _ in self.cells if (r0, c0) != (r1, c1)]
        return rows

    def _body_row(self, index: int, texts: list[str]) -> list[Any]:
        cells: list[Any] = []
        is_total = self._is_total(index)
        for c, leaf in enumerate(self.leaves):
            text = texts[c]
            if leaf.kind == "text":
                style = self.st.centre if is_total else self.st.cell
                fits = self._width(text) <= self.col_w[c] - 2 * self.pad
                cells.append(text if fits and not is_total else Paragraph(escape(text), style))
            else:
                cells.append(text)
        return cells

    def _row_height(self, row: list[Any]) -> float:
        height = self.leading
        for c, cell in enumerate(row):
            if isinstance(cell, Paragraph):
                height = max(height, cell.wrap(self.col_w[c] - 2 * self.pad, 10_000)[1])
        return height + 2 * self.pad

    def _measured(self, rows: list[list[Any]], head_only: bool = False) -> float:
        """The height reportlab itself gives a table of these rows (spans included)."""
        table = self.table(rows, has_total=False, head_only=head_only)
        return table.wrap(self.frame_w, 100_000)[1]

    # ---- blocks ----------------------------------------------------------------------------
    def heading(self) -> list[Flowable]:
        """Title, legal block (top right) and the 填报单位 / period / 单位 line."""
        form, st = self.form, self.st
        out: list[Flowable] = [self._para(form.title, st.title, "标题")]
        legal = form.legal.lines() if form.legal else []
        if legal:
            span = legal_span(len(self.leaves))
            width = max(sum(self.col_w[-span:]), 60 * mm)
            block = Table([[self._para(line, st.small, "表头栏")] for line in legal], colWidths=[width],
                          hAlign="RIGHT")
            block.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                       ("TOPPADDING", (0, 0), (-1, -1), 0),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
            out.append(block)
        filler = f"填报单位：{form.filler}" if form.filler else ""
        info = [self._para(filler, st.info, "填报单位"), self._para(form.period_label, st.info_centre, "统计期"),
                self._para(form.unit_line, st.info_right, "单位")]
        line = Table([info], colWidths=[self.frame_w * 0.4, self.frame_w * 0.3, self.frame_w * 0.3])
        line.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        out.append(line)
        return out

    def continuation(self) -> list[Flowable]:
        return [self._para(f"{self.form.title}（续）", self.st.cont, "标题")]

    def closing(self) -> list[Flowable]:
        """Footer line (单位负责人 …) and notes, kept on the last page with 合计."""
        out: list[Flowable] = []
        if self.form.footer:
            n = len(self.form.footer)
            cells = [self._para(text, self.st.info, "表尾") for text in self.form.footer]
            footer = Table([cells], colWidths=[self.frame_w / n] * n)
            footer.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 6)]))
            out.append(footer)
        for note in self.form.notes:
            out.append(self._para(note, self.st.small, "说明"))
        return out

    def table(self, rows: list[list[Any]], has_total: bool, head_only: bool = False) -> Table:
        data = rows if head_only else self.header + rows
        table = Table(data, colWidths=self.col_w, repeatRows=0)
        head_n = len(self.header)
        style: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), self.font.name, self.size, self.leading),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, head_n - 1), "CENTER"),
            ("ALIGN", (0, head_n), (-1, -1), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), self.pad), ("RIGHTPADDING", (0, 0), (-1, -1), self.pad),
            ("TOPPADDING", (0, 0), (-1, -1), self.pad), ("BOTTOMPADDING", (0, 0), (-1, -1), self.pad),
        ]
        for c, leaf in enumerate(self.leaves):
            if leaf.kind == "text":
                style.append(("ALIGN", (c, head_n), (c, -1), "LEFT"))
        if self.form.number_columns:
            size = self.size * NUMBER_ROW
            style.append(("FONT", (0, head_n - 1), (-1, head_n - 1), self.font.name, size, size * LEADING))
        if has_total:
            style.append(("ALIGN", (0, -1), (0, -1), "CENTER"))
        for c0, r0, c1, r1 in self.spans:
            style.append(("SPAN", (c0, r0), (c1, r1)))
        table.setStyle(TableStyle(style))
        return table

    @staticmethod
    def height(flowables: list[Flowable], width: float) -> float:
        return sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)

    # ---- pagination ------------------------------------------------------------------------
    def _blocks(self) -> tuple[list[Flowable], list[Flowable], list[Flowable], float, float, float, float]:
        heading, cont, closing = self.heading(), self.continuation(), self.closing()
        usable = self.frame_h - _FIT_SLACK - MARGIN * 0.3   # room for the page number line
        return (heading, cont, closing, self.height(heading, self.frame_w) + _GAP,
                self.height(cont, self.frame_w) + _GAP, self.height(closing, self.frame_w), usable)

    def one_page_height(self) -> float:
        """Height the whole form needs on a single page (heading … notes)."""
        _, _, _, heading_h, _, closing_h, _ = self._blocks()
        return heading_h + self.header_h + sum(self.body_h) + closing_h

    def usable(self) -> float:
        return self.frame_h - _FIT_SLACK - MARGIN * 0.3

    def split(self) -> list[tuple[int, int]]:
        """Rows [start, end) of each page (`document.paginate`): the last page holds 合计 and the
        closing block (footer, notes) with at least KEEP_WITH_TOTAL data rows."""
        _, _, _, heading_h, cont_h, closing_h, usable = self._blocks()
        total = 1 if self.form.total_row is not None else 0
        rooms = document.Rooms(first=usable - heading_h - self.header_h, next=usable - cont_h - self.header_h,
                               closing=closing_h, keep=KEEP_WITH_TOTAL, fixed_tail=total)
        return document.paginate(self.body_h, rooms)

    def pages(self) -> list[Flowable]:
        """The story of this form: per-page tables, header repeated, closing on the last page."""
        heading, cont, closing, *_ = self._blocks()
        has_total = self.form.total_row is not None

        def page(number: int, start: int, end: int, last: bool) -> list[Flowable]:
            flowables = [*(heading if number == 0 else cont), Spacer(1, _GAP),
                         self.table(self.body[start:end], has_total and last and end == len(self.body))]
            return flowables + (closing if last else [])

        return document.paged(self.split(), page)


def _fit_widths(weights: list[float], mins: list[float], total: float) -> list[float]:
    """Widths in proportion to `weights` filling `total`, none below its minimum: a column
    held at its minimum leaves the rest to share what remains. When the minimums alone exceed
    `total`, they are scaled down together (the header font then shrinks to fit)."""
    if sum(mins) >= total:
        return [m * total / sum(mins) for m in mins]
    fixed: set[int] = set()
    while True:
        free = total - sum(mins[i] for i in fixed)
        weight = sum(w for i, w in enumerate(weights) if i not in fixed)
        widths = [mins[i] if i in fixed else free * w / weight for i, w in enumerate(weights)]
        short = {i for i in range(len(widths)) if i not in fixed and widths[i] < mins[i]}
        if not short:
            return widths
        fixed |= short


def _choose_layout(form: Form, font: CjkFont) -> _FormLayout:
    """Full size when the form fits one page or runs to several anyway; otherwise the largest
    scale down to MIN_SCALE that puts it, 合计 and the signatures on one page."""
    layout = _FormLayout(form, font)
    needed, usable = layout.one_page_height(), layout.usable()
    if needed <= usable or needed * MIN_SCALE > usable * 1.05:
        return layout
    scale = 1.0
    while scale - _SCALE_STEP >= MIN_SCALE - 1e-9:
        scale = round(scale - _SCALE_STEP, 3)
        trial = _FormLayout(form, font, scale)
        if trial.one_page_height() <= trial.usable():
            return trial
    return layout


def build_sections(forms: Sequence[Form], font: CjkFont) -> tuple[list[document.Section], list[str]]:
    """One printed-document section per form (its paper, its pages, its banner) and the
    missing-glyph warnings."""
    sections: list[document.Section] = []
    warnings: list[str] = []
    for form in forms:
        layout = _choose_layout(form, font)
        sections.append(document.Section(_page(form), layout.pages(), banner=form.banner))
        warnings.extend(layout.glyphs.warnings)
    return sections, warnings


def write_pdf(forms: Sequence[Form], path: str | os.PathLike[str], *, strict: bool = False) -> list[str]:
    """Write `forms` to one PDF at `path` atomically; returns the missing-glyph warnings
    (empty when every character could be printed). See the module rules."""
    if not forms:
        raise ValueError("没有要写入的报表")
    sections, warnings = build_sections(forms, cjk_font())
    if warnings and strict:
        raise MissingGlyphs("；".join(warnings))
    document.write_document(path, sections, title=forms[0].title if len(forms) == 1 else "统计报表",
                            author=forms[0].filler)
    return warnings
