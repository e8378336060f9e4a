"""The pages of a PDF this program wrote, as plain drawing instructions (for printing: 打印).

Printing draws the very PDF the export writes — forms, rosters, the attendance posting — so the
paper from the printer and the file on the USB stick cannot differ. The installed Qt has no PDF
renderer (QtPdf is not in PySide6-Essentials), and our PDFs are simple: reportlab tables of
straight lines, filled rectangles and lines of text in one embedded CJK font. This module reads
a page's content stream (pypdf) into:
  Line (stroked segment), Fill (filled polygon, e.g. a grey header), Text (one run at a baseline)
in PDF points, origin bottom-left, with the colour in effect. The UI paints them with QPainter.

Rules:
- Operators handled: q Q cm w RG rg G g K k m l re h S s f f* F B B* b b* n, and text through
  pypdf's decoding (the font's ToUnicode map) with the text matrix × CTM of each run.
  Curves (c v y) are drawn as straight segments to their end points (our PDFs have none);
  images and other XObjects are not drawn (our PDFs have none).
- A file that is not a PDF, or is unreadable, raises UserInputError with the file name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from app.errors import UserInputError

Colour = tuple[float, float, float]
Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    colour: Colour


@dataclass(frozen=True)
class Fill:
    points: tuple[tuple[float, float], ...]
    colour: Colour


@dataclass(frozen=True)
class Text:
    x: float
    y: float           # baseline
    size: float        # font size after the matrices (points)
    text: str
    colour: Colour


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)

    @property
    def landscape(self) -> bool:
        return self.width > self.height


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _times(a: Matrix, b: Matrix) -> Matrix:
    """a × b (PDF row-vector convention: apply a, then b)."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _grey(value: float) -> Colour:
    return (value, value, value)


def _cmyk(c: float, m: float, y: float, k: float) -> Colour:
    return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))


class _PageReader:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.stroke: Colour = (0.0, 0.0, 0.0)
        self.fill: Colour = (0.0, 0.0, 0.0)
        self.width = 1.0
        self.stack: list[tuple[Colour, Colour, float]] = []
        self.subpaths: list[list[tuple[float, float]]] = []
        self.closed: list[bool] = []

    def operator(self, op: bytes, args: list, cm: list, _tm: list) -> None:
        name = op.decode("latin-1")
        ctm: Matrix = tuple(float(v) for v in cm)  # type: ignore[assignment]
        nums = [float(a) for a in args if isinstance(a, (int, float)) or hasattr(a, "as_numeric")]
        if name == "q":
            self.stack.append((self.stroke, self.fill, self.width))
        elif name == "Q" and self.stack:
            self.stroke, self.fill, self.width = self.stack.pop()
        elif name == "w" and nums:
            self.width = nums[0] * (abs(ctm[0]) + abs(ctm[3])) / 2
        elif name == "RG" and len(nums) == 3:
            self.stroke = (nums[0], nums[1], nums[2])
        elif name == "rg" and len(nums) == 3:
            self.fill = (nums[0], nums[1], nums[2])
        elif name == "G" and nums:
            self.stroke = _grey(nums[0])
        elif name == "g" and nums:
            self.fill = _grey(nums[0])
        elif name == "K" and len(nums) == 4:
            self.stroke = _cmyk(*nums)
        elif name == "k" and len(nums) == 4:
            self.fill = _cmyk(*nums)
        elif name == "m" and len(nums) == 2:
            self.subpaths.append([_apply(ctm, *nums)])
            self.closed.append(False)
        elif name in ("l", "c", "v", "y") and len(nums) >= 2 and self.subpaths:
            self.subpaths[-1].append(_apply(ctm, nums[-2], nums[-1]))
        elif name == "re" and len(nums) == 4:
            x, y, w, h = nums
            self.subpaths.append([_apply(ctm, x, y), _apply(ctm, x + w, y), _apply(ctm, x + w, y + h),
                                  _apply(ctm, x, y + h)])
            self.closed.append(True)
        elif name == "h" and self.closed:
            self.closed[-1] = True
        elif name in ("S", "s", "f", "f*", "F", "B", "B*", "b", "b*", "n"):
            self._paint(name)

    def _paint(self, name: str) -> None:
        fill = name in ("f", "f*", "F", "B", "B*", "b", "b*")
        stroke = name in ("S", "s", "B", "B*", "b", "b*")
        close_all = name in ("s", "b", "b*")
        for points, closed in zip(self.subpaths, self.closed, strict=True):
            if fill and len(points) >= 3:
                self.page.fills.append(Fill(tuple(points), self.fill))
            if stroke and len(points) >= 2:
                ring = points + [points[0]] if (closed or close_all) else points
                for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                    self.page.lines.append(Line(x1, y1, x2, y2, self.width, self.stroke))
        self.subpaths, self.closed = [], []

    def text(self, text: str, cm: list, tm: list, _font: object, size: float) -> None:
        run = text.replace("\n", "").replace("\r", "")
        if not run.strip():
            return
        matrix = _times(tuple(float(v) for v in tm), tuple(float(v) for v in cm))  # type: ignore[arg-type]
        x, y = matrix[4], matrix[5]
        scale = (matrix[0] ** 2 + matrix[1] ** 2) ** 0.5 or 1.0
        self.page.texts.append(Text(x, y, float(size) * scale, run, self.fill))


def read_pages(path: str | os.PathLike[str]) -> list[Page]:
    """Every page of the PDF at `path` as drawing instructions."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    source = Path(path)
    try:
        reader = PdfReader(str(source))
        pages = []
        for pdf_page in reader.pages:
            box = pdf_page.mediabox
            page = Page(float(box.width), float(box.height))
            reading = _PageReader(page)
            pdf_page.extract_text(visitor_operand_before=reading.operator, visitor_text=reading.text)
            pages.append(page)
    except (OSError, PyPdfError, ValueError) as exc:
        raise UserInputError(f"无法读取要打印的文件“{source.name}”：{exc}") from exc
    return pages


def read_all(paths: list[Path]) -> list[Page]:
    """The pages of several PDFs in order (each file starts on a new page)."""
    return [page for path in paths for page in read_pages(path)]
