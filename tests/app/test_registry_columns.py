"""The column-wise fast path of the registry import decides exactly as the per-cell checks.

`ColumnReader.all_valid_ids` validates a whole column of ID numbers at once and must say True
only when `IdChecker.valid` says True for every one of them; `initials_column` must give
`pinyin.initials` and the other readings of `pinyin.all_initials` name by name (and its
letter-by-letter shortcut must read a given name as `lazy_pinyin` does); `ColumnReader.column` must give, for every cell it does not
leave to the per-cell path (`FAIL`), exactly what the per-cell readers give, on adversarial
columns.
"""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta

from app import codes, idcard, pinyin
from app.exchange.registry_columns import (
    _JOIN_CHUNK,
    FAIL,
    NEEDS_NORMALISING,
    UNUSUAL_TEXT,
    ColumnReader,
    _joined,
    alternation,
    date_pattern,
    initials_column,
)
from app.exchange.registry_sheets import Col, _raw_columns, _Reader
from app.exchange.workbook import Row, Sheet
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


def _one_at_a_time(names):
    return ([pinyin.initials(n) for n in names],
            [(i, r) for i, n in enumerate(names) for r in pinyin.all_initials(n)[1:]])


def test_initials_column_gives_the_same_readings_as_one_name_at_a_time():
    names = ["王丽芳", "单晓燕", "曾", "Anna李", "欧阳娜娜", "区 美玲", "长孙无忌", "解A3", "乐乐",
             "李长青", "陈重阳", "王朝霞", "万俟丽", "单于红", "澹台明", None, "", "贾宝玉", "张强", "夏侯"]
    primaries, others = initials_column(names)
    assert (primaries, others) == _one_at_a_time(names)
    assert primaries[9:12] == ["lcq", "ccy", "wzx"] and (9, "lzq") in others


_NAME_CHARS = ("王李张刘陈曾单长万俟澹台尉迟区解查仇朴翟折秘繁乐欧阳夏侯丽芳红强重朝阳霞青晟行传参藏"
               "娜华明一二 ·A3")


def _random_texts(rng: random.Random, alphabet: str, count: int, longest: int) -> list[str]:
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(longest + 1))) for _ in range(count)]


def test_initials_column_agrees_with_one_name_at_a_time_on_random_names():
    """(hypothesis is not installed: 200 seeded random columns of random names instead.)"""
    rng = random.Random(13)
    for _ in range(200):
        names = _random_texts(rng, _NAME_CHARS, rng.randrange(30), 6)
        assert initials_column(names) == _one_at_a_time(names), names


def _lazy_letters(text: str) -> str:
    """The reference: pypinyin reading the text as words, one first letter per character."""
    from pypinyin import Style, lazy_pinyin

    out = []
    for run in re.findall(r"[\u3400-\u9fff]+|[^\u3400-\u9fff]", text):
        if "\u3400" <= run[0] <= "\u9fff":
            out += [x[0] for x in lazy_pinyin(run, style=Style.FIRST_LETTER)]
        else:
            out.append(pinyin._letter(run))
    return "".join(out)


def test_a_given_name_is_read_as_lazy_pinyin_reads_it():
    for given_name in _random_texts(random.Random(8), "丽芳红强重朝阳霞青长行传参藏华明单曾万一二 A", 3000, 5):
        assert pinyin._given(given_name) == _lazy_letters(given_name), given_name


def test_the_letter_by_letter_shortcut_reads_every_phrase_of_the_dictionary_as_lazy_pinyin_does():
    """`_given` translates letter by letter a text without a context character: exact only if
    pypinyin never reads such a text otherwise — checked on every word of its dictionary."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.phrases_dict import phrases_dict

    context = pinyin._tables().context
    plain = [p for p in phrases_dict if context.isdisjoint(p)]
    assert len(plain) > 30000
    wrong = [p for p in plain
             if "".join(map(pinyin._letter, p)) != "".join(x[:1] for x in lazy_pinyin(p, style=Style.FIRST_LETTER))]
    assert wrong == []


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


# ---- the column fast path against the per-cell readers, on adversarial columns ----------------------
UNITS = {"430202001": (1, None), "430202001001": (2, None), "430202001002": (3, "2020-01-01"),
         "430202001003": (4, "2026-12-01"), "430202001004": (5, TODAY.isoformat()),
         "ＡＢ1": (6, None), " 4302": (7, None), "4" * 41: (8, None), "430202\u3000": (9, None)}
CODE_KINDS = (codes.ETHNICITY, codes.HUKOU, codes.RESIDENCE, codes.MARITAL, codes.METHOD, codes.ID_TYPE)


def _slow_reader() -> _Reader:
    """The per-cell readers of the import, without a ledger behind them."""
    reader = _Reader.__new__(_Reader)
    reader.today, reader.today_iso = TODAY, TODAY.isoformat()
    reader.units, reader.women, reader.failed_ids = UNITS, {}, set()
    reader.ids = IdChecker(TODAY)
    return reader


def _per_cell(reader: _Reader, col: Col, raw) -> object:
    """What the row-by-row path makes of one cell: its value, or FAIL when it reports an error."""
    issues: list = []
    value = reader.read(Row("表", 2, {col.header: raw}, issues), col)
    return FAIL if issues else value


def _assert_agrees(kind: str, required: bool, max_length: int, columns: list[list], fast: ColumnReader) -> int:
    """Every column through one `ColumnReader` (its memos carry over, as in an import): a value
    it gives is exactly what the per-cell path gives, and `failed_columns` counts the columns
    holding FAIL. Returns how many cells it vouched for."""
    slow, col, vouched = _slow_reader(), Col("列", "c", kind, required, max_length=max_length), 0
    for raws in columns:
        before = fast.failed_columns
        out = fast.column(kind, required, max_length, list(raws))
        assert len(out) == len(raws)
        assert fast.failed_columns - before == (FAIL in out), raws
        for raw, got in zip(raws, out, strict=True):
            if got is FAIL:
                continue
            want = _per_cell(slow, col, raw)
            assert want is not FAIL and type(got) is type(want) and got == want, (kind, required, raw, got, want)
            vouched += 1
    return vouched


def _columns(rng: random.Random, clean: list, odd: list, count: int = 300) -> list[list]:
    """Columns of 1–40 cells: all clean, clean with one odd cell, or a wide mixture."""
    out = []
    for i in range(count):
        size = rng.randint(1, 40)
        cells = [rng.choice(clean) for _ in range(size)]
        if i % 3 == 1:
            cells[rng.randrange(size)] = rng.choice(odd)
        elif i % 3 == 2:
            cells = [rng.choice(odd) if rng.random() < 0.3 else c for c in cells]
        out.append(cells)
    return out


_NOT_TEXT = [None, 0, 1, 1.0, 1.5, -3, True, False, 43000, 20200105, date(2020, 1, 5), datetime(2020, 1, 5, 9, 30)]
_BLANKS = ["", " ", "  ", "\u3000", "\t", "\n", "\xa0"]


def _iso_dates(rng: random.Random, count: int) -> list[str]:
    days = (TODAY - date(1900, 1, 1)).days
    return [(date(1900, 1, 1) + timedelta(days=rng.randint(0, days))).isoformat() for _ in range(count)]


def test_date_columns_agree_with_the_per_cell_reader():
    rng = random.Random(11)
    clean = [*_iso_dates(rng, 60), "1900-01-01", TODAY.isoformat(), "2024-02-29", "2000-02-29", "1904-02-29",
             "2026-02-28", "2025-12-31", "2026-11-01", "1999-04-30", "2021-01-31"]
    odd = [*_BLANKS, *_NOT_TEXT, "2023-02-29", "2024-02-30", "2026-13-01", "2026-00-10", "2021-04-31", "2021-06-00",
           "1900-02-29", "2100-02-29", "1899-12-31", "2026-11-30", "2026-12-01", "2027-01-01", "2099-01-01",
           "２０２０-01-01", "2020－01－01", "2020-01-0１", " 2020-01-01", "2020-01-01 ", "2020-01-01\u3000",
           "2020/1/5", "2020.1.5", "20200105", "2020-1-5", "2020-01-01T10:00", "2020-01-01 10:00:00", "abc",
           "2020-01-01\x00", "\t2020-01-01", date(1899, 12, 31), date(2026, 11, 30), datetime(2026, 11, 29, 23, 59),
           date(1900, 1, 1), date(2024, 2, 29), 45000.0, 1.0]
    for required in (False, True):
        fast = ColumnReader(TODAY, UNITS, {})
        vouched = _assert_agrees("date", required, 100, _columns(rng, clean, odd), fast)
        assert vouched > 3000
    # Excel date cells (calamine gives date / datetime) take the per-value path and stay correct
    excel = [[date(1990, 5, 1), datetime(2001, 2, 3, 4, 5), "", None, date(2024, 2, 29)]] * 3
    assert _assert_agrees("date", False, 100, excel, ColumnReader(TODAY, UNITS, {})) == 15


def test_code_columns_agree_with_the_per_cell_reader():
    rng = random.Random(12)
    for kind in CODE_KINDS:
        spellings = list(codes.accepted(kind))
        clean = spellings + ["", None]
        odd = [*_BLANKS, *_NOT_TEXT, "火星族", " " + spellings[0], spellings[0] + " ", spellings[0] + "\u3000",
               spellings[0][:1], spellings[-1] + spellings[0], spellings[0] + "\x00" + spellings[0], "Ｘ"]
        for required in (False, True):
            fast = ColumnReader(TODAY, UNITS, {})
            assert _assert_agrees(kind, required, 100, _columns(rng, clean, odd), fast) > 1000


def test_text_columns_agree_with_the_per_cell_reader():
    rng = random.Random(13)
    letters = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗芳丽娟敏静秀英华慧巧美娜a1-·.()（）"
    clean = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 10))) for _ in range(80)]
    clean += ["王 丽", "李\t娜", "a b c", "欧阳娜娜", "x" * 10, ""]
    odd = [*_BLANKS, *_NOT_TEXT, " 王丽", "王丽 ", " 王丽 ", "\u3000王丽", "王丽\u3000", "\xa0王丽", "王丽\u2003",
           "\x0b王丽", "王丽\x1c", "王\n丽", "王丽\r", "ＡＢ", "王丽１", "x" * 11, " " + "x" * 10, "x" * 10 + " ",
           "王\x00丽", "\x00", "王丽\x85", "\u2028", "\u205f王"]
    for required in (False, True):
        for max_length in (10, 40):
            fast = ColumnReader(TODAY, UNITS, {})
            assert _assert_agrees("text", required, max_length, _columns(rng, clean, odd), fast) > 3000


def test_id_columns_agree_with_the_per_cell_reader():
    rng = random.Random(14)
    good = [make_id(d) for d in _iso_dates(rng, 80)] + [make_id("2000-02-29"), make_id(TODAY.isoformat())]
    x = next(n for n in (make_id("1990-01-01") for _ in range(200)) if n.endswith("X"))
    clean = [*good, x]
    odd = [*_BLANKS, *_NOT_TEXT, x.lower(), " " + good[0], good[0] + " ", good[0][:17], good[0] + "1", good[0][:15],
           "99" + good[0][2:], good[0][:6] + "18991231" + good[0][14:], good[0][:6] + "20261130" + good[0][14:],
           good[0][:6] + "19000229" + good[0][14:], good[0][:6] + "20230229" + good[0][14:], "４" + good[0][1:],
           good[0][:17] + ("0" if good[0][17] != "0" else "1"), 430202199001011234, "430202800501001", "E12345678",
           good[0] + "\x00" + good[1]]
    for required in (False, True):
        fast = ColumnReader(TODAY, UNITS, {})
        assert _assert_agrees("id", required, 100, _columns(rng, clean, odd), fast) > 3000


def test_unit_columns_agree_with_the_per_cell_reader():
    rng = random.Random(15)
    clean = ["430202001", "430202001001", "430202001003", ""]
    odd = [*_BLANKS, *_NOT_TEXT, *UNITS, "430202001002", "430202001004", "999", " 430202001", "430202001 ",
           "４30202001", 430202001, 430202001.0]
    for required in (False, True):
        fast = ColumnReader(TODAY, UNITS, {})
        assert _assert_agrees("unit", required, 100, _columns(rng, clean, odd), fast) > 3000


def test_clean_columns_are_converted_without_the_per_cell_path():
    fast = ColumnReader(TODAY, UNITS, {})
    columns = {("date", False): ["2020-01-01", "", "2024-02-29", TODAY.isoformat()],
               ("date", True): ["1900-01-01", "2026-02-28"],
               (codes.HUKOU, True): ["农业", "非农业"], (codes.ETHNICITY, False): ["汉族", "", "回族"],
               ("unit", True): ["430202001", "430202001003"], ("text", True): ["王丽", "李 娜"],
               ("text", False): ["", "王丽"], ("id", True): [make_id("1990-05-01"), make_id("2000-02-29")]}
    for (kind, required), raws in columns.items():
        out = fast.column(kind, required, 40, raws)
        assert FAIL not in out, (kind, raws)
    assert fast.failed_columns == 0


def test_date_pattern_matches_exactly_the_real_dates_from_1900_to_today():
    strings = [f"{y:04d}{{0}}{m:02d}{{0}}{d:02d}" for y in range(1895, 2032) for m in range(0, 14) for d in range(0, 33)]
    for today in (date(2026, 11, 29), date(2024, 2, 29), date(2024, 2, 28), date(2000, 1, 1), date(2025, 12, 31),
                  date(2027, 3, 1), date(2030, 1, 31)):
        for sep in ("-", ""):
            pattern = re.compile(date_pattern(today, sep))
            for text in strings:
                text = text.format(sep)
                try:
                    real = date(int(text[:4]), int(text[-4:-2] if sep == "" else text[5:7]), int(text[-2:]))
                    expected = date(1900, 1, 1) <= real <= today
                except ValueError:
                    expected = False
                assert bool(pattern.fullmatch(text)) == expected, (today, text)


def test_alternation_matches_exactly_its_words():
    rng = random.Random(16)
    for _ in range(200):
        words = list({"".join(rng.choice("ab农业-.|[") for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 8))})
        pattern = re.compile(alternation(words))
        probes = {w[:i] for w in words for i in range(len(w) + 2)} | {w + "a" for w in words}
        for probe in probes:
            assert bool(pattern.fullmatch(probe)) == (probe in words), (words, probe)


def test_unusual_text_finds_every_character_strip_or_the_cell_readers_would_change():
    spaces = [c for c in map(chr, range(0x110000)) if c.isspace() and c != " "]
    assert all(UNUSUAL_TEXT.search(c) for c in spaces)
    assert all(UNUSUAL_TEXT.search(chr(c)) for c in range(0x110000) if NEEDS_NORMALISING.search(chr(c)))
    assert not UNUSUAL_TEXT.search(" 王丽 abc123-ＡＢ"[:-2])


def test_a_column_of_ids_is_valid_exactly_when_every_check_character_is_the_gb11643_one():
    rng = random.Random(17)
    checker = IdChecker(TODAY)
    bodies = [f"43{rng.randint(0, 9999):04d}{d.replace('-', '')}{rng.randint(0, 999):03d}" for d in _iso_dates(rng, 300)]
    numbers = [b + idcard.check_char(b) for b in bodies]
    assert _reader().all_valid_ids(numbers)
    assert not _reader().all_valid_ids([numbers[0] + "\x00" + numbers[1]])   # two numbers, one cell
    for i, body in enumerate(bodies[:60]):
        for char in "0123456789X":
            column = numbers[:i] + [body + char] + numbers[i + 1:]
            assert _reader().all_valid_ids(column) == checker.valid(body + char)


def test_long_columns_joined_in_chunks_agree_too():
    rng = random.Random(18)
    size = 2 * _JOIN_CHUNK + 7
    pools = {"date": _iso_dates(rng, 50), "text": ["王丽", "欧阳娜娜", "李 娜", "a1"], codes.HUKOU: ["农业", "非农业"],
             "id": [make_id(d) for d in _iso_dates(rng, 50)], "unit": ["430202001", "430202001001"]}
    odd = ["", " ", "2023-02-29", "王\x00丽", "火星族", 1, None, "王" * 41]
    for kind, clean in pools.items():
        column = [rng.choice(clean) for _ in range(size)]
        assert _joined(column) == "\x00".join(column)
        fast = ColumnReader(TODAY, UNITS, {})
        assert FAIL not in fast.column(kind, True, 40, column), kind
        for at in (_JOIN_CHUNK - 1, _JOIN_CHUNK, _JOIN_CHUNK + 1, size - 1):
            spoilt = list(column)
            spoilt[at] = rng.choice(odd)
            assert _assert_agrees(kind, rng.random() < 0.5, 40, [spoilt], fast) >= size - 1


# ---- the raw cells of a sheet, column by column --------------------------------------------------
def test_raw_columns_transpose_the_grid_as_the_row_dicts_would():
    header = ["a", "b", "a", "c"]
    grid = [(2, [1, "x", 3, None]), (3, ["", "y", 6, date(2020, 1, 1)]), (5, [7, "z", 9, " "])]
    sheet = Sheet("s", header, grid=grid)
    expected = [[v[h] for _n, v in Sheet("s", header, grid=grid).rows] for h in ("c", "a", "b")]
    assert _raw_columns(sheet, ["c", "a", "b"]) == expected == [[None, date(2020, 1, 1), " "], [3, 6, 9], ["x", "y", "z"]]
    ragged = Sheet("s", header, grid=[(2, [1, "x", 3]), (3, ["", "y", 6, 0])])
    assert _raw_columns(ragged, ["c", "a"]) == [[None, 0], [3, 6]]

def test_the_letter_of_every_character_in_the_pinyin_dictionary_is_lazy_pinyins_first_letter():
    from pypinyin import Style, lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    def reference(char: str) -> str:
        letters = lazy_pinyin(char, style=Style.FIRST_LETTER, errors="ignore")
        return letters[0][:1].lower() if letters and letters[0] else ""

    chars = [chr(code) for code in pinyin_dict] + ["𠀀", "ぁ", "·", "Ａ"]
    assert [pinyin._letter(c) for c in chars] == [reference(c) for c in chars]


def test_statements_beside_python_work_both_run_and_errors_surface_after_the_helper_finished(ledger):
    """`_beside_statements`: the statements run on a helper thread while the work runs here; a
    failing statement or a failing work item is raised on this thread, and only after the
    helper is done with the connection (which is usable again)."""
    import sys

    import pytest

    from app.exchange.registry_columns import _beside_statements

    interval = sys.getswitchinterval()
    seen = []
    with ledger.write() as db:
        db.execute("create table t (x)")
        _beside_statements(db, ["insert into t values (1)", "insert into t values (2)"], lambda: seen.append("work"))
        with pytest.raises(Exception, match="no such table"):
            _beside_statements(db, ["insert into t values (3)", "insert into nowhere values (4)"],
                               lambda: seen.append("work"))
        with pytest.raises(ZeroDivisionError):
            _beside_statements(db, ["insert into t values (5)"], lambda: 1 / 0)
        rows = [r[0] for r in db.execute("select x from t order by x")]
    assert seen == ["work", "work"] and rows == [1, 2, 3, 5]
    assert sys.getswitchinterval() == interval
