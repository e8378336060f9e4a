"""PDF renderer for standard forms (reportlab), laid out as the Excel sheet: title, legal block,
填报单位 / period / 单位 line, the merged header tree, column numbers, rows, 合计, footer, notes.

Rules:
- The CJK TrueType font of `app.forms.fonts` is embedded as a subset of the glyphs used.
- A4, landscape unless `Form.landscape` is False. Each form starts on a new page; its page
  numbers ("第 x 页 共 y 页") count that form's pages only, so each form prints on its own.
- Rows are packed into one table PER PAGE (measured in advance; twice as fast as one long table
  with repeatRows), and every page repeats the header and column-number rows. The 合计 row,
  footer and notes stay together on the last page.
- Text in cells wraps by CJK rules (Paragraph with wordWrap='CJK'); numbers are right-aligned,
  rates printed rounded half up (`model.display`) — the very figure the Excel cell holds.
- Characters the font lacks (a rare name character such as 䶮) are never dropped silently:
  each is printed as a visible code `[U+4DAE]` and reported in the returned warning list, with
  the form, row and column. With `strict=True` they raise `MissingGlyphs` instead and no file
  is written. (Choice: warn by default so an office whose unit name has such a character can
  still send its figures; the export shows the warning to the clerk.)
- A form's `banner` (与已报送数不一致 …) is drawn at the top of EVERY page of that form.
- The file is written to a temporary file beside the target, then moved into place.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape, portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.errors import UserInputError
from app.forms.fonts import CjkFont, cjk_font
from app.forms.model import Form, column_numbers, display
from app.forms.xlsx import header_cells, legal_span

MARGIN = 12 * mm
BODY_SIZE = 9.0
PAD = 2.0
_FIT_SLACK = 4.0   # points kept free on each page against rounding in reportlab's own layout


class MissingGlyphs(UserInputError):
    """The font lacks characters used in a form (strict mode)."""


@dataclass
class _Styles:
    title: ParagraphStyle
    cont: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    head: ParagraphStyle
    right: ParagraphStyle
    centre: ParagraphStyle


def _styles(font: str) -> _Styles:
    base = dict(fontName=font, wordWrap="CJK")
    return _Styles(
        title=ParagraphStyle("title", fontSize=16, leading=22, alignment=TA_CENTER, **base),
        cont=ParagraphStyle("cont", fontSize=10, leading=14, alignment=TA_CENTER, **base),
        small=ParagraphStyle("small", fontSize=8, leading=10.5, alignment=TA_LEFT, **base),
        cell=ParagraphStyle("cell", fontSize=BODY_SIZE, leading=BODY_SIZE * 1.25, alignment=TA_LEFT, **base),
        head=ParagraphStyle("head", fontSize=BODY_SIZE, leading=BODY_SIZE * 1.25, alignment=TA_CENTER, **base),
        right=ParagraphStyle("right", fontSize=BODY_SIZE, leading=BODY_SIZE * 1.25, alignment=TA_RIGHT, **base),
        centre=ParagraphStyle("centre", fontSize=BODY_SIZE, leading=BODY_SIZE * 1.25, alignment=TA_CENTER,
                              **base),
    )


class _Glyphs:
    """Replaces characters the font lacks by a visible code and remembers where they were."""

    def __init__(self, font: CjkFont, form: Form) -> None:
        self.font, self.form = font, form
        self.warnings: list[str] = []

    def text(self, value: str, where: str) -> str:
        missing = sorted({ch for ch in value if not ch.isspace() and not self.font.has(ch)})
        if not missing:
            return value
        shown = "、".join(f"“{ch}”(U+{ord(ch):04X})" for ch in missing)
        self.warnings.append(f"《{self.form.title}》{where}：PDF 字体缺少 {shown}，PDF 中印为 [U+编码]，请核对 Excel 文件")
        return "".join(f"[U+{ord(ch):04X}]" if ch in missing else ch for ch in value)


class _FormStart(Flowable):
    """Zero-size marker: tells the canvas which form the following pages belong to."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803 (reportlab API)
        return 0, 0

    def draw(self) -> None:
        self.canv._fp_form = self.index  # type: ignore[attr-defined]


def _numbered_canvas(font: str, banners: Sequence[str] = ()) -> type[rl_canvas.Canvas]:
    class NumberedCanvas(rl_canvas.Canvas):
        """Collects pages, then prints 第 x 页 共 y 页 per form once the totals are known, and
        the form's banner (if any) at the top of each of its pages."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._fp_form = 0
            self._fp_pages: list[tuple[dict[str, Any], int]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab API)
            self._fp_pages.append((dict(self.__dict__), self._fp_form))
            self._startPage()

        def save(self) -> None:
            totals: dict[int, int] = {}
            for _, form in self._fp_pages:
                totals[form] = totals.get(form, 0) + 1
            seen: dict[int, int] = {}
            for state, form in self._fp_pages:
                self.__dict__.update(state)
                seen[form] = seen.get(form, 0) + 1
                width = self._pagesize[0]
                self.setFont(font, 9)
                self.drawCentredString(width / 2, MARGIN / 2, f"第 {seen[form]} 页 共 {totals[form]} 页")
                banner = banners[form] if form < len(banners) else ""
                if banner:
                    self.setFont(font, 10)
                    self.setFillColor(colors.HexColor("#C00000"))
                    self.drawCentredString(width / 2, self._pagesize[1] - MARGIN * 0.7, banner)
                    self.setFillColor(colors.black)
                super().showPage()
            super().save()

    return NumberedCanvas


def _page_size(form: Form) -> tuple[float, float]:
    return landscape(A4) if form.landscape else portrait(A4)


class _FormLayout:
    """Everything about one form that is measured once: widths, header, rows as cells."""

    def __init__(self, form: Form, font: CjkFont, styles: _Styles) -> None:
        self.form, self.font, self.st = form, font, styles
        self.glyphs = _Glyphs(font, form)
        page_w, page_h = _page_size(form)
        self.frame_w, self.frame_h = page_w - 2 * MARGIN, page_h - 2 * MARGIN
        self.leaves = form.leaves()
        weights = [max(leaf.width, 1.0) for leaf in self.leaves]
        self.col_w = [self.frame_w * w / sum(weights) for w in weights]
        self.depth = form.header_depth()
        self.header = self._header_rows()
        self.header_h = sum(self._row_height(r) for r in self.header)
        self.body = [self._body_row(i, record) for i, record in enumerate(form.body())]
        self.body_h = [self._row_height(r) for r in self.body]

    # ---- cells -----------------------------------------------------------------------------
    def _para(self, text: str, style: ParagraphStyle, where: str) -> Paragraph:
        return Paragraph(escape(self.glyphs.text(text, where)), style)

    def _header_rows(self) -> list[list[Any]]:
        ncols = len(self.leaves)
        rows: list[list[Any]] = [[""] * ncols for _ in range(self.depth)]
        for r0, c0, _, _, title in header_cells(self.form):
            rows[r0][c0] = self._para(title, self.st.head, "表头")
        if self.form.number_columns:
            rows.append(list(column_numbers(self.leaves)))
        self.spans = [(c0, r0, c1, r1) for r0, c0, r1, c1, _ in header_cells(self.form)
                      if (r0, c0) != (r1, c1)]
        return rows

    def _body_row(self, index: int, record: dict[str, Any]) -> list[Any]:
        cells: list[Any] = []
        is_total = self.form.total_row is not None and index == len(self.form.rows)
        for c, leaf in enumerate(self.leaves):
            value = record.get(leaf.key) if leaf.key else None
            where = "合计行" if is_total else f"第{index + 1}行 {leaf.title}"
            text = self.glyphs.text(display(value, leaf), where)
            if leaf.kind == "text":
                style = self.st.centre if is_total else self.st.cell
                fits = stringWidth(text, self.font.name, BODY_SIZE) <= self.col_w[c] - 2 * PAD
                cells.append(text if fits and not is_total else Paragraph(escape(text), style))
            else:
                cells.append(text)
        return cells

    def _row_height(self, row: list[Any]) -> float:
        height = BODY_SIZE * 1.25
        for c, cell in enumerate(row):
            if isinstance(cell, Paragraph):
                height = max(height, cell.wrap(self.col_w[c] - 2 * PAD, 10_000)[1])
        return height + 2 * PAD

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
        info = [self._para(filler, st.cell, "填报单位"), self._para(form.period_label, st.centre, "统计期"),
                self._para(form.unit_line, st.right, "单位")]
        line = Table([info], colWidths=[self.frame_w * 0.4, self.frame_w * 0.3, self.frame_w * 0.3])
        line.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        out.append(line)
        return out

    def continuation(self) -> list[Flowable]:
        return [self._para(f"{self.form.title}（续）", self.st.cont, "标题")]

    def closing(self) -> list[Flowable]:
        """Footer line (单位负责人 …) and notes, kept on the last page."""
        out: list[Flowable] = []
        if self.form.footer:
            n = len(self.form.footer)
            cells = [self._para(text, self.st.cell, "表尾") for text in self.form.footer]
            footer = Table([cells], colWidths=[self.frame_w / n] * n)
            footer.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 6)]))
            out.append(footer)
        for note in self.form.notes:
            out.append(self._para(note, self.st.small, "说明"))
        return out

    def table(self, rows: list[list[Any]], has_total: bool) -> Table:
        data = self.header + rows
        table = Table(data, colWidths=self.col_w, repeatRows=0)
        head_n = len(self.header)
        style = [
            ("FONT", (0, 0), (-1, -1), self.font.name, BODY_SIZE),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, head_n - 1), "CENTER"),
            ("ALIGN", (0, head_n), (-1, -1), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
            ("TOPPADDING", (0, 0), (-1, -1), PAD), ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
        ]
        for c, leaf in enumerate(self.leaves):
            if leaf.kind == "text":
                style.append(("ALIGN", (c, head_n), (c, -1), "LEFT"))
        if self.form.number_columns:
            style.append(("FONTSIZE", (0, head_n - 1), (-1, head_n - 1), 8))
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
    def pages(self) -> list[Flowable]:
        """The story of this form: per-page tables, header repeated, closing on the last page."""
        heading, cont, closing = self.heading(), self.continuation(), self.closing()
        gap = 3 * mm
        heading_h = self.height(heading, self.frame_w) + gap
        cont_h = self.height(cont, self.frame_w) + gap
        closing_h = self.height(closing, self.frame_w)
        usable = self.frame_h - _FIT_SLACK - MARGIN * 0.3   # room for the page number line
        n_total = len(self.body)
        has_total = self.form.total_row is not None
        story: list[Flowable] = []
        start, first = 0, True
        while True:
            room = usable - (heading_h if first else cont_h) - self.header_h
            end = start
            while end < n_total and room - self.body_h[end] >= 0:
                room -= self.body_h[end]
                end += 1
            if end == start and start < n_total:
                end = start + 1          # a single row taller than a page still gets printed
            last = end >= n_total
            if last and room < closing_h and end > start + 1 and n_total > 0:
                # keep the closing block with the last rows: move the last row(s) to a new page
                while end > start + 1 and room < closing_h:
                    end -= 1
                    room += self.body_h[end]
                last = end >= n_total
            story.extend(heading if first else cont)
            story.append(Spacer(1, gap))
            story.append(self.table(self.body[start:end], has_total and last))
            if last:
                story.extend(closing)
                break
            story.append(PageBreak())
            start, first = end, False
        return story


def build_story(forms: Sequence[Form], font: CjkFont) -> tuple[list[Flowable], list[str]]:
    styles = _styles(font.name)
    story: list[Flowable] = []
    warnings: list[str] = []
    for index, form in enumerate(forms):
        layout = _FormLayout(form, font, styles)
        if index:
            story.append(NextPageTemplate("landscape" if form.landscape else "portrait"))
            story.append(PageBreak())
        story.append(_FormStart(index))
        story.extend(layout.pages())
        warnings.extend(layout.glyphs.warnings)
    return story, warnings


def write_pdf(forms: Sequence[Form], path: str | os.PathLike[str], *, strict: bool = False) -> list[str]:
    """Write `forms` to one PDF at `path` atomically; returns the missing-glyph warnings
    (empty when every character could be printed). See the module rules."""
    if not forms:
        raise ValueError("没有要写入的报表")
    font = cjk_font()
    story, warnings = build_story(forms, font)
    if warnings and strict:
        raise MissingGlyphs("；".join(warnings))
    target = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=".~" + target.stem, suffix=".pdf.tmp", dir=target.parent)
    os.close(handle)
    try:
        templates = []
        for name, size in (("landscape", landscape(A4)), ("portrait", portrait(A4))):
            frame = Frame(MARGIN, MARGIN, size[0] - 2 * MARGIN, size[1] - 2 * MARGIN, id=name,
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
            templates.append(PageTemplate(id=name, frames=[frame], pagesize=size))
        if not forms[0].landscape:
            templates.reverse()
        doc = BaseDocTemplate(temp_name, pagesize=_page_size(forms[0]), pageTemplates=templates,
                              leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
                              title=forms[0].title if len(forms) == 1 else "统计报表",
                              author=forms[0].filler, creator="计生台帐 FP Ledger")
        doc.build(story, canvasmaker=_numbered_canvas(font.name, [form.banner for form in forms]))
        with open(temp_name, "rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return warnings
