"""The column-wise fast path of the registry import decides exactly as the per-cell checks.

`ColumnReader.all_valid_ids` validates a whole column of ID numbers at once and must say True
only when `IdChecker.valid` says True for every one of them; `initials_column` must give
`pinyin.initials` name by name.
"""

from __future__ import annotations

import random
from datetime import date

from app import codes, pinyin
from app.exchange.registry_columns import (
    FAIL,
    ColumnReader,
    initials_column,
)
from app.exchange.registry_sheets import _raw_columns
from app.exchange.workbook import Sheet
from app.idcard import IdChecker
from tests.builders import make_id

TODAY = date(2026, 11, 29)


def _reader() -> ColumnReader:
    return ColumnReader(TODAY, {}, {})


def _mutations(number: str) -> list[str]:
    """Every one-character change of `number` plus some shapes the per-cell path refuses."""
    out = []
    for i in range(len(number)):
        for c in "0123456789Xx ０a":
            out.append(number[:i] + c + number[i + 1:])
    return out + [number[:17], number + "1", number[:15], number.lower(), " " + number[1:],
                  number[:6] + "18991231" + number[14:], number[:6] + "20991231" + number[14:],
                  number[:6] + "19900230" + number[14:], "99" + number[2:], ""]


def test_a_column_of_valid_ids_is_valid_and_the_check_character_agrees_with_gb11643():
    rng = random.Random(7)
    numbers = [make_id(f"{rng.randint(1950, 2010)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                       female=rng.random() < 0.9) for _ in range(2000)]
    assert _reader().all_valid_ids(numbers)
    checker = IdChecker(TODAY)
    assert all(map(checker.valid, numbers))


def test_one_bad_id_makes_the_column_not_valid_exactly_when_the_per_cell_check_refuses_it():
    checker = IdChecker(TODAY)
    good = [make_id("1988-03-15"), make_id("1979-12-31", area="110105"), make_id("2000-02-29")]
    for bad in _mutations(good[0]):
        assert _reader().all_valid_ids([good[1], bad, good[2]]) == checker.valid(bad), bad


def test_an_empty_column_is_left_to_the_per_cell_path():
    assert not _reader().all_valid_ids([])


def test_initials_column_gives_the_same_initials_as_one_name_at_a_time():
    names = ["王丽芳", "单晓燕", "曾", "Anna李", "欧阳娜娜", "区 美玲", "长孙无忌", "解A3", "乐乐"]
    assert initials_column(names) == [pinyin.initials(n) for n in names]


def test_a_column_is_counted_as_failed_exactly_when_a_cell_needs_the_per_cell_path():
    reader = _reader()
    known = ["汉族", "回族", "", None]
    assert FAIL not in reader.column(codes.ETHNICITY, False, 100, known) and reader.failed_columns == 0
    assert FAIL in reader.column(codes.ETHNICITY, False, 100, ["汉族", "火星族"]) and reader.failed_columns == 1
    # the unknown value is now remembered as FAIL: met again among known ones, still counted
    assert FAIL in reader.column(codes.ETHNICITY, False, 100, known + ["火星族"]) and reader.failed_columns == 2
    assert FAIL not in reader.column(codes.ETHNICITY, False, 100, known) and reader.failed_columns == 2
    # a required column: a blank cell needs the per-cell path (which words 必填项为空)
    assert FAIL in reader.column(codes.HUKOU, True, 100, ["农业", ""]) and reader.failed_columns == 3
    assert FAIL in reader.column("text", True, 3, ["王丽芳", "欧阳娜娜"]) and reader.failed_columns == 4
    assert reader.column("text", False, 10, ["王丽芳", "", " 李娜 "]) == ["王丽芳", None, "李娜"]
    assert reader.failed_columns == 4


# ---- the raw cells of a sheet, column by column --------------------------------------------------
def test_raw_columns_transpose_the_grid_as_the_row_dicts_would():
    header = ["a", "b", "a", "c"]
    grid = [(2, [1, "x", 3, None]), (3, ["", "y", 6, date(2020, 1, 1)]), (5, [7, "z", 9, " "])]
    sheet = Sheet("s", header, grid=grid)
    expected = [[v[h] for _n, v in Sheet("s", header, grid=grid).rows] for h in ("c", "a", "b")]
    assert _raw_columns(sheet, ["c", "a", "b"]) == expected == [[None, date(2020, 1, 1), " "], [3, 6, 9], ["x", "y", "z"]]
    ragged = Sheet("s", header, grid=[(2, [1, "x", 3]), (3, ["", "y", 6, 0])])
    assert _raw_columns(ragged, ["c", "a"]) == [[None, 0], [3, 6]]
