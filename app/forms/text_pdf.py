"""A plain Chinese text document as PDF (the half-year analysis draft): title, paragraphs with
CJK line breaking, the CJK TrueType font embedded, page numbers.

Characters the font lacks are handled as in app/forms/pdf.py: printed as `[U+XXXX]` and
returned as warnings, never dropped silently. Written to a temporary file, then moved into place.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from app.atomic import write_atomic
from app.forms.fonts import cjk_font


def write_text_pdf(title: str, text: str, path: str | os.PathLike[str]) -> list[str]:
    """Write `text` (paragraphs separated by line breaks) under `title`; returns warnings."""
    font = cjk_font()
    warnings: list[str] = []

    def safe(value: str, where: str) -> str:
        missing = sorted({ch for ch in value if not ch.isspace() and not font.has(ch)})
        if missing:
            warnings.append(f"{where}：PDF 字体缺少 " + "、".join(f"“{c}”(U+{ord(c):04X})" for c in missing))
        return escape("".join(f"[U+{ord(c):04X}]" if c in missing else c for c in value))

    title_style = ParagraphStyle("t", fontName=font.name, fontSize=16, leading=24, alignment=TA_CENTER,
                                 wordWrap="CJK")
    body = ParagraphStyle("b", fontName=font.name, fontSize=11, leading=19, firstLineIndent=22,
                          wordWrap="CJK", spaceAfter=4)
    story = [Paragraph(safe(title, "标题"), title_style), Spacer(1, 6 * mm)]
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            story.append(Paragraph(safe(line.strip(), f"第{number}行"), body))

    def page_number(canvas, doc) -> None:
        canvas.setFont(font.name, 9)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {doc.page} 页")

    def build(temp: Path) -> None:
        doc = SimpleDocTemplate(str(temp), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                                topMargin=22 * mm, bottomMargin=20 * mm, title=title, creator="计生台帐 FP Ledger")
        doc.build(story, onFirstPage=page_number, onLaterPages=page_number)

    write_atomic(Path(path), build)
    return warnings
