"""打印: print preview and printing of the PDFs the program writes (forms, rosters, posting).

The pages printed are the export's own PDF, replayed with QPainter from app.forms.pdf_pages
(lines, grey fills and text runs at their PDF positions, in the same embedded CJK font), so the
paper matches the PDF file line for line. QPrintPreviewDialog shows them first (Qt's own dialog:
zoom, page set-up, 打印 to any printer); `print_to_pdf` prints to a PDF file through QPrinter
(tests read it back).

Rules:
- Paper A4; each PDF page is scaled to fit the printer's paper (full page: the PDF already
  holds its 12 mm margins) and centred; a landscape page turns the paper to landscape.
- Work that writes the PDFs runs in the background (ui.tasks) into a temporary folder that is
  removed once the pages are read; nothing is left on disk by printing alone.
- `run_dialog` is the one place the modal preview is executed (tests replace it).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QPolygonF,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from app.forms.pdf_pages import Page, read_all
from ui import messages
from ui.i18n import t
from ui.tasks import Task, run_with_progress

MakePdfs = Callable[[Callable[[int, int, str], bool], Path], list[Path]]


@lru_cache(maxsize=1)
def form_font_family() -> str:
    """The family of the CJK font the PDFs embed, registered with Qt (a system font if not found)."""
    try:
        from app.forms.fonts import cjk_font

        font = cjk_font()
    except Exception:  # noqa: BLE001 - no usable font file: Qt's default CJK fallback prints
        return ""
    font_id = QFontDatabase.addApplicationFont(str(font.path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return ""
    return families[min(font.subfont_index, len(families) - 1)]


def _colour(rgb: tuple[float, float, float]) -> QColor:
    return QColor.fromRgbF(*(min(1.0, max(0.0, v)) for v in rgb))


def draw_page(painter: QPainter, page: Page, target: QRectF) -> None:
    """Paint one PDF page into `target` (device coordinates), scaled to fit and centred."""
    scale = min(target.width() / page.width, target.height() / page.height)
    painter.save()
    painter.translate(target.x() + (target.width() - page.width * scale) / 2,
                      target.y() + (target.height() - page.height * scale) / 2)
    painter.scale(scale, scale)               # from here on one unit is one PDF point
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    top = page.height
    painter.setPen(Qt.PenStyle.NoPen)
    for fill in page.fills:
        painter.setBrush(_colour(fill.colour))
        painter.drawPolygon(QPolygonF([QPointF(x, top - y) for x, y in fill.points]))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for line in page.lines:
        pen = QPen(_colour(line.colour), max(line.width, 0.25))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        painter.setPen(pen)
        painter.drawLine(QPointF(line.x1, top - line.y1), QPointF(line.x2, top - line.y2))
    family = form_font_family()
    dpi = painter.device().logicalDpiY() or 72
    fonts: dict[float, QFont] = {}
    for text in page.texts:
        font = fonts.get(text.size)
        if font is None:
            font = QFont(family) if family else QFont()
            font.setPointSizeF(text.size * 72.0 / dpi)   # one logical pixel is one point here
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            fonts[text.size] = font
        painter.setFont(font)
        painter.setPen(_colour(text.colour))
        painter.drawText(QPointF(text.x, top - text.y), text.text)
    painter.restore()


def _orientation(page: Page) -> QPageLayout.Orientation:
    return QPageLayout.Orientation.Landscape if page.landscape else QPageLayout.Orientation.Portrait


def paint_pages(printer: QPrinter, pages: list[Page]) -> int:
    """Paint `pages` on `printer` (one printer page each); returns the number painted."""
    if pages:
        printer.setPageOrientation(_orientation(pages[0]))
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        for number, page in enumerate(pages):
            if number:
                printer.setPageOrientation(_orientation(page))   # takes effect on the new page
                printer.newPage()
            draw_page(painter, page, QRectF(printer.paperRect(QPrinter.Unit.DevicePixel)))
    finally:
        painter.end()
    return len(pages)


def new_printer(pages: list[Page], mode: QPrinter.PrinterMode = QPrinter.PrinterMode.HighResolution) -> QPrinter:
    printer = QPrinter(mode)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    if pages:
        printer.setPageOrientation(_orientation(pages[0]))
    return printer


def preview_dialog(parent: QWidget | None, pages: list[Page], title: str) -> QPrintPreviewDialog:
    """Qt's print preview of `pages`; its 打印 button prints them."""
    printer = new_printer(pages)
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setObjectName("printPreview")
    dialog.setWindowTitle(t("Print preview — {title}").format(title=title))
    dialog.resize(1100, 720)
    dialog.printer_ = printer                 # keep the printer alive with the dialog
    dialog.pages = pages
    dialog.paintRequested.connect(lambda target: paint_pages(target, pages))
    return dialog


def run_dialog(dialog: QPrintPreviewDialog) -> None:
    """Show the preview modally (tests replace this function)."""
    dialog.exec()


def print_to_pdf(pages: list[Page], path: str | Path) -> Path:
    """Print `pages` through QPrinter into a PDF file (the same painting as on paper)."""
    printer = new_printer(pages)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    paint_pages(printer, pages)
    return Path(path)


def preview_pdfs(parent: QWidget | None, paths: list[Path], title: str) -> QPrintPreviewDialog | None:
    """Read the PDFs now and preview their pages; None (after a message) when there is nothing."""
    pages = read_all(paths)
    if not pages:
        messages.info(parent, t("There is nothing to print."))
        return None
    dialog = preview_dialog(parent, pages, title)
    run_dialog(dialog)
    return dialog


def print_in_background(parent: QWidget, title: str, make_pdfs: MakePdfs,
                        on_done: Callable[[QPrintPreviewDialog | None, list[str]], None] | None = None) -> Task:
    """Write the PDFs (`make_pdfs(progress, folder) -> paths`) and read their pages in the
    background, in a temporary folder removed afterwards; then open the preview.
    `make_pdfs` may return (paths, warnings) to have missing-glyph warnings shown."""

    def work(progress):
        with tempfile.TemporaryDirectory(prefix="fpledger-print-") as folder:
            made = make_pdfs(progress, Path(folder))
            paths, warnings = made if isinstance(made, tuple) else (made, [])
            return read_all(list(paths)), list(warnings)

    def succeeded(result) -> None:
        pages, warnings = result
        if warnings:
            messages.warning(parent, "\n".join(warnings[:10]))
        if not pages:
            messages.info(parent, t("There is nothing to print."))
            dialog = None
        else:
            dialog = preview_dialog(parent, pages, title)
            run_dialog(dialog)
        if on_done is not None:
            on_done(dialog, warnings)

    def failed(exc: BaseException) -> None:
        messages.error(parent, str(exc))

    return run_with_progress(parent, t("Preparing the print preview"), work, on_success=succeeded, on_error=failed)


def print_forms(parent: QWidget, forms: list, title: str,
                on_done: Callable[[QPrintPreviewDialog | None, list[str]], None] | None = None) -> Task:
    """Print preview of standard forms (app.forms.model.Form), through the export's PDF renderer."""
    chosen = list(forms)

    def make(_progress, folder: Path):
        from app.forms.pdf import write_pdf

        target = folder / "print.pdf"
        warnings = write_pdf(chosen, target)
        return [target], warnings

    return print_in_background(parent, title, make, on_done)
