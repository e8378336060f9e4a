"""A plain Chinese text document as PDF (the half-year analysis draft, a letter): title and
paragraphs with CJK line breaking, on A4 portrait with letter margins.

The page, the font, the missing-glyph rule (`[U+XXXX]`, reported), the page numbers
(第 N 页 共 M 页) and the atomic write are the printed document's (app/forms/document.py).
"""

from __future__ import annotations

import os
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from app.forms import document
from app.forms.fonts import cjk_font

# Letter margins: 25 mm at the sides, 22 mm at the top, 20 mm at the foot, each with the 6 pt
# a text frame keeps inside them; the page number 10 mm above the foot.
_INSIDE = 6.0
LETTER = document.Page(left=25 * mm + _INSIDE, right=25 * mm + _INSIDE, top=22 * mm + _INSIDE,
                       bottom=20 * mm + _INSIDE, number_y=10 * mm)


def write_text_pdf(title: str, text: str, path: str | os.PathLike[str]) -> list[str]:
    """Write `text` (paragraphs separated by line breaks) under `title`; returns warnings."""
    font = cjk_font()
    glyphs = document.Glyphs(font)
    title_style = ParagraphStyle("t", fontName=font.name, fontSize=16, leading=24, alignment=TA_CENTER,
                                 wordWrap="CJK")
    body = ParagraphStyle("b", fontName=font.name, fontSize=11, leading=19, firstLineIndent=22,
                          wordWrap="CJK", spaceAfter=4)
    story = [Paragraph(escape(glyphs.text(title, "标题")), title_style), Spacer(1, 6 * mm)]
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            story.append(Paragraph(escape(glyphs.text(line.strip(), f"第{number}行")), body))
    document.write_document(path, [document.Section(LETTER, story)], title=title)
    return glyphs.warnings
