"""Pinyin initials of Chinese names for search-as-you-type (王丽芳 → `wlf`) and roster order.

Rules:
- One lower-case letter per Chinese character; Latin letters and digits are kept lower case;
  other characters (spaces, `·`) are dropped.
- The surname (姓) is read from `SURNAME_INITIALS` when the name opens with one of its
  surnames, compound surnames first (longest match: 万俟 mòqí → `mq`, 单于 chányú → `cy`,
  澹台 tántái → `tt`, 长孙 zhǎngsūn → `zs`, then 单 shàn → `s`, 长 cháng → `c`, 折 shé → `s` …);
  otherwise the first character is the surname, in its common reading.
- The given name (名) is read as pypinyin reads it as a word (`lazy_pinyin` over the given
  name alone, so its phrase dictionary decides a polyphonic character from its neighbour:
  长青 cháng qīng, 重阳 chóng yáng, 朝霞 zhāo xiá). The given name is segmented without the
  surname: over the whole name pypinyin would read 王朝 as a word (wáng cháo) and 王朝霞 as `wcx`.
- `initials(name)` is this primary reading (stored in `women.name_initials`, the roster order).
  `all_initials(name)` is every plausible reading, primary first, at most MAX_READINGS
  (`itertools.product` order: the last character varies fastest). A surname character may be
  read as the table says, as the single surname when a compound one matched (单于… may be
  单 shàn + a given name 于…) or in its common reading (a clerk who does not know 单 shàn
  types `d`); a given-name character in its primary letter, its common reading's, or a reading
  pypinyin's phrase dictionary uses for it in at least PLAUSIBLE_PHRASES words (长: c, z;
  重: c, z; 朝: z, c), plus NAME_READINGS. Rare readings are not plausible: 红 gōng (one word),
  a surname's archaic ones (王 yù, 贾 gǔ) — they would make `y` find every 王.
- Speed: a character's letter is looked up once (`_letter`); a given name without a character
  whose letter depends on its neighbours (`_tables().context`: a phrase reads it with another
  letter than its common reading), or in which no two neighbours open a phrase of the dictionary
  (`pinyin_tables.read_alone`: pypinyin then segments it character by character), is
  translated letter by letter — provably what `lazy_pinyin` gives (tests/app/test_registry_columns.py
  checks every phrase of the dictionary); only the others (≈ 0.1% of names, e.g. 红艳) go through
  `lazy_pinyin`, memoised per given name. `readings_column` does a whole column the same way.
  The letters and phrase tables come from `data/pinyin_tables.json` (app.pinyin_tables, built
  from pypinyin and compared with it by a test), so most processes never import pypinyin.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice, product
from typing import NamedTuple

from app import pinyin_tables
from app.pinyin_tables import PLAUSIBLE_PHRASES as PLAUSIBLE_PHRASES

MAX_READINGS = 8

# Surnames read otherwise than their character's common reading, and the compound surnames
# (复姓), as one initial per character. Single surnames whose reading is also the common one
# (沈 shěn, 柏 bǎi, 万 wàn, 盖 gě, 缪 miào) are listed so the table says so explicitly.
SURNAME_INITIALS = {
    # single surnames
    "单": "s",    # shàn
    "曾": "z",    # zēng
    "解": "x",    # xiè
    "仇": "q",    # qiú
    "朴": "p",    # piáo
    "查": "z",    # zhā
    "翟": "z",    # zhái
    "尉": "y",    # yù
    "区": "o",    # ōu
    "覃": "q",    # qín
    "盖": "g",    # gě
    "缪": "m",    # miào
    "乐": "y",    # yuè (also lè: indexed as a reading)
    "种": "c",    # chóng
    "长": "c",    # cháng
    "沈": "s",    # shěn
    "柏": "b",    # bǎi
    "万": "w",    # wàn
    "折": "s",    # shé
    "秘": "b",    # bì
    "繁": "p",    # pó
    "召": "s",    # shào
    "句": "g",    # gōu
    "隗": "w",    # wěi
    "宓": "f",    # fú
    "莘": "s",    # shēn
    "洗": "x",    # xiǎn
    "郇": "h",    # huán
    "祭": "z",    # zhài
    "谌": "c",    # chén
    "员": "y",    # yùn
    "能": "n",    # nài
    # compound surnames (复姓)
    "万俟": "mq",   # mòqí
    "单于": "cy",   # chányú
    "澹台": "tt",   # tántái
    "长孙": "zs",   # zhǎngsūn
    "尉迟": "yc",   # yùchí
    "令狐": "lh",   # línghú
    "皇甫": "hf",
    "宇文": "yw",
    "上官": "sg",
    "欧阳": "oy",
    "司马": "sm",
    "诸葛": "zg",
    "东方": "df",
    "夏侯": "xh",
    "呼延": "hy",
    "公孙": "gs",
    "慕容": "mr",
    "司徒": "st",
    "司空": "sk",
    "闻人": "wr",
    "赫连": "hl",
    "轩辕": "xy",
    "端木": "dm",
    "独孤": "dg",
    "南宫": "ng",
    "西门": "xm",
    "拓跋": "tb",
    "太史": "ts",
    "申屠": "st",
    "公冶": "gy",
    "濮阳": "py",
    "淳于": "cy",
    "钟离": "zl",
    "宗政": "zz",
    "乐正": "yz",   # yuèzhèng
    "亓官": "qg",
}
_SURNAME_LENGTHS = sorted({len(s) for s in SURNAME_INITIALS}, reverse=True)

# Name readings pypinyin's phrase dictionary does not show (晟 shèng in names, chéng first).
NAME_READINGS = {"晟": "cs"}


@lru_cache(maxsize=20000)
def _letter(char: str) -> str:
    """The character's letter: its first reading in pypinyin's single-character dictionary,
    tone mark removed — exactly `lazy_pinyin(char, style=FIRST_LETTER)` for every character of
    that dictionary (tests/app/test_registry_columns.py compares them all), without its
    per-call segmentation; '' for a character outside it (as pypinyin with errors="ignore").
    Read from the shipped table (app.pinyin_tables), so pypinyin is not imported."""
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    return pinyin_tables.letter(char)


class _Tables(NamedTuple):
    context: frozenset[str]      # characters a phrase reads with another letter
    letters: dict[str, str]      # character -> its plausible letters, common one first (only if > 1)
    special: frozenset[str]      # context ∪ letters: a given name without them is plain
    openers: frozenset[str]      # first characters of the table's surnames


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """From pypinyin's phrase dictionary (47,111 words) as app.pinyin_tables ships it (the
    phrase counts with PLAUSIBLE_PHRASES, rebuilt and compared by its test), plus NAME_READINGS
    and the surname openers."""
    context = pinyin_tables.context()
    letters = dict(pinyin_tables.plausible())
    for char, extra in NAME_READINGS.items():
        letters[char] = "".join(dict.fromkeys(_letter(char) + extra))
    openers = frozenset(s[0] for s in SURNAME_INITIALS)
    return _Tables(context, letters, context | frozenset(letters), openers)


@lru_cache(maxsize=50_000)
def _given(text: str) -> str:
    """The given name's letters, phrase-aware (see the module rules)."""
    if _tables().context.isdisjoint(text) or pinyin_tables.read_alone(text):
        return "".join(map(_letter, text))
    from pypinyin import Style, lazy_pinyin  # a phrase may decide a reading (≈ 0.1% of names)

    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            word = "".join(run)
            letters = lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore")
            if len(letters) == len(word) and all(letters):
                out.extend(x[0].lower() for x in letters)
            else:   # never seen; kept safe: one letter per character
                out.extend(map(_letter, word))
            run.clear()

    for char in text:
        if pinyin_tables.letter(char):   # in pypinyin's single-character dictionary
            run.append(char)
        else:
            flush()
            out.append(_letter(char))
    flush()
    return "".join(out)


def _surname(name: str) -> tuple[str, str]:
    """(surname, its letters) for a name opening with a surname of the table, else ('', '')."""
    for length in _SURNAME_LENGTHS:
        found = SURNAME_INITIALS.get(name[:length])
        if found is not None:
            return name[:length], found
    return "", ""


def initials(name: str | None) -> str | None:
    """The primary reading: `王丽芳` → `wlf`, `李长青` → `lcq`, `万俟丽` → `mql`; None for an
    empty name."""
    if not name:
        return None
    surname, letters = _surname(name)
    if not surname:
        return _letter(name[0]) + _given(name[1:])
    return letters + _given(name[len(surname):])


def _options(char: str, *first: str, phrases: bool = True) -> str:
    """The letters a character may be read with, the given ones first, then its common
    reading's, then (`phrases`) those of its plausible readings; without repeats."""
    found = _tables().letters.get(char, "") if phrases else ""
    return "".join(dict.fromkeys("".join(first) + _letter(char) + found))


@lru_cache(maxsize=50_000)
def all_initials(name: str | None) -> tuple[str, ...]:
    """Every plausible reading of a name, `initials(name)` first, at most MAX_READINGS
    (`李长青` → ('lcq', 'lzq')); () for an empty name."""
    if not name:
        return ()
    surname, letters = _surname(name)
    if surname:
        single = SURNAME_INITIALS.get(name[0], "") if len(surname) > 1 else ""
        options = [_options(c, x, single if i == 0 else "", phrases=False)
                   for i, (c, x) in enumerate(zip(surname, letters, strict=True))]
    else:
        surname = name[0]
        options = [_letter(surname)] if _letter(surname) else []
    given = name[len(surname):]
    primary = iter(_given(given))
    options += [_options(c, next(primary)) for c in given if _letter(c)]
    return tuple("".join(combo) for combo in islice(product(*options), MAX_READINGS))


def readings_column(names: list[str | None]) -> tuple[list[str | None], list[tuple[int, str]]]:
    """For a column of names: `initials` of each and the other readings of `all_initials` as
    (index, reading) pairs — the same as name by name, with one translation table over the
    column's distinct characters for the plain names (no table surname opening them, no
    given-name character whose letter depends on its neighbours or has another plausible
    reading)."""
    tables = _tables()
    special, openers = tables.special, tables.openers
    table = {ord(c): _letter(c) for c in set("".join(filter(None, names)))}
    primaries: list[str | None] = []
    others: list[tuple[int, str]] = []
    for i, name in enumerate(names):
        if not name:
            primaries.append(None)
        elif name[0] not in openers and special.isdisjoint(name[1:]):
            primaries.append(name.translate(table))
        else:
            found = all_initials(name)
            primaries.append(found[0])
            others.extend((i, r) for r in found[1:])
    return primaries, others


def warm_up() -> None:
    """Load the shipped letter and phrase tables now (app.pinyin_tables: ≈ 0.03 s once per
    process; pypinyin's own dictionaries took 0.47–0.62 s) — e.g. on another thread while a
    workbook is being parsed — so the first names do not pay for it."""
    _letter("王")
    _tables()
