"""The printed pregnancy-check roster (孕检/三查名册): one PDF (and one Excel file) per village or
community and round, for the village meeting.

Rules:
- Who: the round's due list (frozen when the round is closed), grouped by village/community on
  the round's last day: a woman belongs to the nearest unit of kind 村, 社区 or 公共单位 at or
  above her own unit (a 组 prints with its village); a woman attached directly to a 乡镇/街道
  prints on that unit's own roster. Order: as the due list (pinyin initials of the name).
- What: 序号, 姓名, 证件号码 MASKED (`4302**********1234`: the roster leaves the office), 丈夫姓名,
  类别, 居住状态, and blank columns 检查日期, 检查结果, 本人/专干签字 to fill in by hand. No phone.
- Layout: A4 portrait, the title and round on every page, the table header repeated on every
  page, "第 x 页 共 y 页" at the foot; rows are packed into one table PER PAGE with fixed row
  heights (PERFORMANCE-NOTES: about twice as fast as one long table with repeatRows).
- Characters the PDF font lacks (a rare name character) are printed as a visible `[U+XXXX]` and
  returned as warnings, never dropped (same rule as app/forms/pdf.py). The Excel copy keeps them.
- Files are written to a temporary file in the target folder and then renamed into place; a
  cancelled run leaves the files already finished and no partial file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import definitions
from app import units as units_mod
from app.atomic import begins_with, write_atomic
from app.errors import UserInputError
from app.idcard import mask_id
from app.roster.due import DueWoman, due_list
from app.roster.rates import unit_at
from app.roster.rounds import Round
from app.text import REFUSED

if TYPE_CHECKING:
    from app.ledger import Ledger

HEADERS = ("序号", "姓名", "证件号码", "丈夫姓名", "类别", "居住状态", "检查日期", "检查结果", "本人/专干签字")
# Column widths in points (A4 portrait, 12 mm margins: 571 pt wide usable).
WIDTHS = (28, 50, 108, 50, 86, 40, 62, 62, 85)
ROW_HEIGHT = 21.0          # ~7.4 mm: room for a handwritten signature
HEADER_HEIGHT = 20.0
ProgressFn = Callable[[int, int, str], bool]


class PrintCancelled(UserInputError):
    """The clerk cancelled; files already finished stay, no partial file is left."""


@dataclass
class VillageRoster:
    unit: units_mod.Unit
    women: list[DueWoman] = field(default_factory=list)


def print_unit_map(ledger: Ledger, on: date) -> tuple[dict[int, units_mod.Unit], list[units_mod.Unit]]:
    """unit_id → the village/community it prints with, and the tree's units in order."""
    everything = units_mod.units_on(ledger.db, on)
    by_id = {u.id: u for u in everything}
    out: dict[int, units_mod.Unit] = {}
    for unit in everything:
        current: units_mod.Unit | None = unit
        while current is not None and current.kind not in definitions.VILLAGE_LEVEL:
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        out[unit.id] = current or unit
    return out, everything


def village_rosters(ledger: Ledger, rnd: Round, unit_code: str | None = None,
                    women: list[DueWoman] | None = None) -> list[VillageRoster]:
    """The due women grouped per village/community (within `unit_code`'s subtree), tree order."""
    on = rnd.end
    owner, everything = print_unit_map(ledger, on)
    inside: set[int] | None = None
    if unit_code:
        scope = units_mod.find(ledger.db, unit_code, on)
        if scope is None:
            raise UserInputError(f"单位代码“{unit_code}”在 {on.isoformat()} 不存在。")
        inside = set(units_mod.subtree_ids(ledger.db, scope.id, on))
    place = unit_at(ledger, on)        # a unit created after the round stands for its ancestor then
    if women is None:
        women = due_list(ledger, rnd)
    if inside is not None:
        women = [w for w in women if place(w.unit_id) in inside]
    groups: dict[int, VillageRoster] = {}
    for woman in women:
        unit = owner.get(place(woman.unit_id))  # type: ignore[arg-type]
        if unit is None:       # her unit does not exist on the round's last day
            continue
        groups.setdefault(unit.id, VillageRoster(unit)).women.append(woman)
    order = {u.id: i for i, u in enumerate(everything)}
    return sorted(groups.values(), key=lambda g: order.get(g.unit.id, 0))


def rows_of(village: VillageRoster) -> list[tuple[str, ...]]:
    return [(str(i), w.name, mask_id(w.id_number), w.husband_name or "", w.category, w.residence, "", "", "")
            for i, w in enumerate(village.women, start=1)]


def file_stem(rnd: Round, unit: units_mod.Unit) -> str:
    """`ROUND_CODE_NAME_孕检名册`; what a file name cannot hold (on Windows too: control
    characters, bidi overrides) becomes `_`."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", REFUSED.sub("_", unit.name))
    return f"{rnd.code}_{unit.code}_{safe}_孕检名册"


def title_of(office: str, rnd: Round, unit: units_mod.Unit) -> str:
    return f"{unit.name} {rnd.period_label} 查环查孕名册"


# ---- PDF ---------------------------------------------------------------------------------------

def write_pdf(path: Path, office: str, rnd: Round, village: VillageRoster, printed_on: date | None = None) -> list[str]:
    """Write one village's roster PDF atomically (app/forms/document.py); returns missing-glyph warnings."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    from app.forms import document
    from app.forms.fonts import cjk_font

    font = cjk_font()
    printed_on = printed_on or date.today()
    page = document.Page(top_band=40.0, bottom_band=34.0, number_align="right")
    glyphs = document.Glyphs(font, advice="请核对 Excel 名册")
    rows = [tuple(glyphs.text(cell, f"{village.unit.name} 第 {i} 行") if cell else cell for cell in row)
            for i, row in enumerate(rows_of(village), start=1)]
    style = TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font.name), ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("FONTSIZE", (4, 1), (4, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"), ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ])
    room = page.frame_height - HEADER_HEIGHT - 2
    split = document.paginate([ROW_HEIGHT] * len(rows), document.Rooms(first=room, next=room)) if rows else [(0, 0)]

    def table_page(_number: int, start: int, end: int, _last: bool) -> list[Any]:
        chunk = rows[start:end]
        table = Table([HEADERS, *chunk], colWidths=WIDTHS, rowHeights=[HEADER_HEIGHT] + [ROW_HEIGHT] * len(chunk))
        table.setStyle(style)
        return [table]

    title = glyphs.text(title_of(office, rnd, village.unit), "标题")
    info = (f"{glyphs.text(office, '标题')}    轮次 {rnd.code}（{rnd.start.isoformat()} 至 "
            f"{rnd.end.isoformat()}）    应查 {len(rows)} 人    打印日期 {printed_on.isoformat()}")
    width, height = page.size

    def running_blocks(canvas: Any, doc: Any) -> None:
        """The title and round at the top, the note and signature lines at the foot, every page."""
        canvas.saveState()
        canvas.setFont(font.name, 15)
        canvas.drawCentredString(width / 2, height - page.top - 16, title)
        canvas.setFont(font.name, 9)
        canvas.drawCentredString(width / 2, height - page.top - 32, info)
        canvas.drawString(page.left, page.bottom + 16, "说明：流出妇女寄回孕检证明的，在“检查结果”栏填“寄回证明”及收到日期。")
        canvas.drawString(page.left, page.bottom + 3, "村（居）计生专干签字：______________    核对人：______________    日期：____年__月__日")
        canvas.restoreState()

    section = document.Section(page, document.paged(split, table_page), on_page=running_blocks)
    document.write_document(path, [section], title=title, author=office)
    return glyphs.warnings


# ---- Excel -------------------------------------------------------------------------------------

def write_xlsx(path: Path, office: str, rnd: Round, village: VillageRoster, printed_on: date | None = None) -> None:
    """The same roster as an .xlsx (A4 portrait, header row repeated, 第 &P 页 共 &N 页), atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.worksheet import Worksheet

    from app.forms.fonts import EXCEL_FONT_NAME
    from app.text_cells import put

    printed_on = printed_on or date.today()
    rows = rows_of(village)
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)  # a new Workbook's one sheet
    ws.title = "孕检名册"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    put(ws, 1, 1, title_of(office, rnd, village.unit)).font = Font(name=EXCEL_FONT_NAME, size=15, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    put(ws, 2, 1, f"{office}    轮次 {rnd.code}（{rnd.start.isoformat()} 至 {rnd.end.isoformat()}）    "
                  f"应查 {len(rows)} 人    打印日期 {printed_on.isoformat()}").font = Font(name=EXCEL_FONT_NAME, size=9)
    ws.cell(2, 1).alignment = Alignment(horizontal="center")
    body_font, head_font = Font(name=EXCEL_FONT_NAME, size=10), Font(name=EXCEL_FONT_NAME, size=10, bold=True)
    fill = PatternFill("solid", fgColor="E6E6E6")
    for col, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = ws.cell(3, col, header)
        cell.font, cell.border, cell.fill = head_font, border, fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = max(6, width / 5.2)
    for r, row in enumerate(rows, start=4):
        for col, value in enumerate(row, start=1):
            cell = put(ws, r, col, value)
            cell.font, cell.border = body_font, border
            cell.alignment = Alignment(vertical="center", horizontal="center" if col == 1 else "left")
            cell.number_format = "@"
        ws.row_dimensions[r].height = ROW_HEIGHT
    last = len(rows) + 5
    ws.cell(last, 1, "村（居）计生专干签字：              核对人：              日期：    年  月  日").font = body_font
    ws.print_title_rows = "3:3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]  # every sheet has one; stubs say optional
    ws.page_margins = PageMargins(left=0.47, right=0.47, top=0.6, bottom=0.6)
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"  # type: ignore[union-attr]  # as above
    ws.freeze_panes = "A4"
    write_atomic(path, wb.save, check=begins_with(b"PK", path))


# ---- all villages --------------------------------------------------------------------------------

@dataclass
class PrintOutcome:
    files: list[Path]
    warnings: list[str]


def write_all(ledger: Ledger, rnd: Round, folder: Path, unit_code: str | None = None,
              formats: tuple[str, ...] = ("pdf", "xlsx"), progress: ProgressFn | None = None,
              only_units: set[int] | None = None) -> PrintOutcome:
    """Write the roster of every village/community (optionally only `only_units`); needs
    `export_forms`; audited with the files written (a cancelled print too)."""
    ledger.require("export_forms")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    villages = [v for v in village_rosters(ledger, rnd, unit_code) if only_units is None or v.unit.id in only_units]
    office = ledger.office_name
    outcome = PrintOutcome([], [])
    total = len(villages) * len(formats)
    step = 0
    for village in villages:
        stem = file_stem(rnd, village.unit)
        for kind in formats:
            if progress is not None and progress(step, total, f"{village.unit.name}（{len(village.women)} 人）") is False:
                _audit(ledger, rnd, outcome, cancelled=True)
                raise PrintCancelled(f"已取消打印；已生成 {len(outcome.files)} 个文件。")
            target = folder / f"{stem}.{kind}"
            if kind == "pdf":
                outcome.warnings.extend(write_pdf(target, office, rnd, village))
            else:
                write_xlsx(target, office, rnd, village)
            outcome.files.append(target)
            step += 1
    if progress is not None:
        progress(total, total, "")
    _audit(ledger, rnd, outcome, cancelled=False)
    return outcome


def write_rosters(ledger: Ledger, rnd: Round, folder: Path, unit_code: str | None = None) -> list[Path]:
    return write_all(ledger, rnd, folder, unit_code).files


def _audit(ledger: Ledger, rnd: Round, outcome: PrintOutcome, cancelled: bool) -> None:
    ledger.audit("打印孕检名册", "check_round", rnd.code,
                 after={"files": [p.name for p in outcome.files], "cancelled": cancelled})
