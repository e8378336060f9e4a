"""A standard form (报表) as plain data: the ONE definition every renderer reads.

A figure travels one road: ledger rows → app/stats → a `Form` → renderer (xlsx, pdf, JSON,
on-screen preview). Renderers never compute figures; they only lay out what a Form holds, so
the Excel, the PDF and the screen cannot disagree.

Rules:
- `columns` is a tree: a Column with `children` is a merged group header; leaves carry `key`
  (the row dict key) and `kind` (text / int / decimal / percent / permille).
- Values in rows are exact: int for counts, Decimal for rates (renderers round half up to
  `decimals` for display; None prints blank).
- `banner` (a recomputed closed period's 与已报送数不一致 line) is printed on every page: each
  PDF page's header, each sheet under its title and in its page header, the on-screen preview.
- `number_columns` prints the column-number row (甲, 乙, 1, 2, …) under the header: leaves of
  kind text get 甲/乙/丙…, the others 1, 2, 3….
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, overload


@dataclass
class Column:
    title: str
    key: str | None = None
    kind: str = "int"              # text / int / decimal / percent / permille
    width: float = 10.0            # in Excel character widths; the PDF scales to fit
    decimals: int = 2
    children: list[Column] = field(default_factory=list)

    def leaves(self) -> list[Column]:
        if not self.children:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]

    def depth(self) -> int:
        return 1 + max((c.depth() for c in self.children), default=0)


@dataclass
class LegalBlock:
    """The statutory block in the form's top right corner (表号, 制表机关, …)."""

    table_no: str = ""         # 表号
    authority: str = ""        # 制表机关
    approved_by: str = ""      # 批准机关
    approval_no: str = ""      # 批准文号
    valid_until: str = ""      # 有效期至

    def lines(self) -> list[str]:
        pairs = [("表    号", self.table_no), ("制表机关", self.authority), ("批准机关", self.approved_by),
                 ("批准文号", self.approval_no), ("有效期至", self.valid_until)]
        return [f"{label}：{value}" for label, value in pairs if value]


@dataclass
class Form:
    form_id: str                   # stable id, also the file-name stem (e.g. "monthly")
    title: str                     # 计划生育月报表
    columns: list[Column]
    rows: list[dict[str, Any]]
    period_label: str = ""         # 2026年上半年 / 2026年3月
    filler: str = ""               # 填报单位
    unit_line: str = ""            # 单位：人、‰、%
    legal: LegalBlock | None = None
    total_row: dict[str, Any] | None = None   # 合计
    footer: list[str] = field(default_factory=lambda: ["单位负责人：", "统计负责人：", "填表人：", "报出日期："])
    notes: list[str] = field(default_factory=list)   # 填表说明 / 备注 lines under the table
    landscape: bool = True
    number_columns: bool = True
    banner: str = ""               # printed on EVERY page when set (与已报送数不一致 …)

    def leaves(self) -> list[Column]:
        return [leaf for column in self.columns for leaf in column.leaves()]

    def header_depth(self) -> int:
        return max(c.depth() for c in self.columns)

    def body(self) -> list[dict[str, Any]]:
        """Rows as printed: data rows, then the 合计 row when there is one."""
        return self.rows + ([self.total_row] if self.total_row is not None else [])


def display(value: Any, column: Column) -> str:
    """The printed text of a cell: rates rounded half up (四舍五入), None blank."""
    if value is None:
        return ""
    if column.kind in {"decimal", "percent", "permille"} and not isinstance(value, str):
        quantum = Decimal(1).scaleb(-column.decimals)
        return str(Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP))
    return str(value)


@overload
def rounded(value: None, decimals: int = 2) -> None: ...


@overload
def rounded(value: Decimal | int | float | str, decimals: int = 2) -> Decimal: ...


@overload
def rounded(value: Any, decimals: int = 2) -> Decimal | None: ...


def rounded(value: Any, decimals: int = 2) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def column_numbers(leaves: list[Column]) -> list[str]:
    """甲, 乙, 丙 … for text columns; 1, 2, 3 … for figure columns (as on national forms)."""
    letters = "甲乙丙丁戊己庚辛壬癸"
    out, text_index, number = [], 0, 0
    for leaf in leaves:
        if leaf.kind == "text":
            out.append(letters[text_index % len(letters)])
            text_index += 1
        else:
            number += 1
            out.append(str(number))
    return out


# ---- layout every renderer shares (Excel, PDF, the on-screen preview) -----------------------

def header_cells(form: Form) -> list[tuple[int, int, int, int, str]]:
    """(row, col, last_row, last_col, title) of every header cell, 0-based within the header.

    A group spans its leaves on its own level; a leaf spans down to the last header row.
    The same geometry serves the Excel sheet, the PDF and the on-screen preview.
    """
    depth = form.header_depth()
    cells: list[tuple[int, int, int, int, str]] = []

    def walk(column: Column, level: int, first_col: int) -> int:
        width = len(column.leaves())
        if column.children:
            cells.append((level, first_col, level, first_col + width - 1, column.title))
            col = first_col
            for child in column.children:
                col += walk(child, level + 1, col)
        else:
            cells.append((level, first_col, depth - 1, first_col, column.title))
        return width

    col = 0
    for column in form.columns:
        col += walk(column, 0, col)
    return cells


def legal_span(ncols: int) -> int:
    """How many rightmost columns the legal block and the 单位 line take."""
    return max(1, min(ncols, (ncols + 2) // 3))
