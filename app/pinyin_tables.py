"""pypinyin's readings that name matching needs, shipped as `data/pinyin_tables.json`.

Why: `import pypinyin` loads its 47,111-word phrase dictionary (≈ 0.2 s) and app.pinyin built
its tables from it (≈ 0.15–0.3 s) in every process that compares or indexes a name — a third
of a `fpledger reconcile` run. The file holds what pypinyin gives for every character of its
single-character dictionary, computed by `build()`; tests/app/test_pinyin_tables.py rebuilds it
and compares, so the file cannot drift from the installed pypinyin (after upgrading pypinyin or
changing PLAUSIBLE_PHRASES, regenerate it with `python -m app.pinyin_tables`).

Contents (`load()`; each part parsed on first use):
- `pinyin(char)`: `lazy_pinyin(char)[0]` (toneless common reading, ü as v);
- `readings(char)`: the set of `pinyin(char, style=NORMAL, heteronym=True)[0]` plus that;
- `letter(char)`: the first letter of the first reading in pypinyin's single-character
  dictionary, tone removed (app.pinyin._letter);
- `context()`, `plausible()`: app.pinyin's phrase tables (characters a phrase reads with
  another letter; a character's plausible letters, common one first, when more than one);
- `bigrams()`: every two-character opening of a phrase of the dictionary. A text in which no
  two neighbours open a phrase is segmented by pypinyin character by character
  (pypinyin.seg.mmseg: forward maximal matching over phrase prefixes), so each character is
  read alone.
A character outside the dictionary is none of these: pypinyin gives it back unchanged
(`lazy_pinyin`), with no first letter (`errors="ignore"`) — checked over every code point up to
U+2FFFF by the test.
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

from app.paths import data_dir

FILE_NAME = "pinyin_tables.json"
# A reading is plausible when pypinyin's phrase dictionary uses it in at least this many words
# (app.pinyin re-exports it; kept here, the lower module, so the table builder needs no app.pinyin).
PLAUSIBLE_PHRASES = 2


def path() -> Path:
    return data_dir() / FILE_NAME


@lru_cache(maxsize=1)
def _raw() -> dict:
    return json.loads(path().read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _pinyin() -> dict[str, str]:
    raw = _raw()
    return dict(zip(raw["chars"], raw["pinyin"].split(" "), strict=True))


@lru_cache(maxsize=1)
def _letters() -> dict[str, str]:
    raw = _raw()
    return dict(zip(raw["chars"], raw["letters"], strict=True))


@lru_cache(maxsize=1)
def _extra_readings() -> dict[str, tuple[str, ...]]:
    raw = _raw()
    return {c: tuple(field.split(",")) for c, field in zip(raw["chars"], raw["readings"].split(" "), strict=True)
            if field}


def pinyin(char: str) -> str:
    """`lazy_pinyin(char)[0]`: the toneless common reading; the character itself outside the dictionary."""
    return _pinyin().get(char, char)


def readings(char: str) -> frozenset[str]:
    """Every toneless reading (`pinyin(char, style=NORMAL, heteronym=True)[0]`) and `pinyin(char)`."""
    return frozenset(_extra_readings().get(char, ())) | {pinyin(char)}


def letter(char: str) -> str:
    """The first letter of the character's first reading; '' outside the dictionary."""
    return _letters().get(char, "")


@lru_cache(maxsize=1)
def context() -> frozenset[str]:
    return frozenset(_raw()["context"])


@lru_cache(maxsize=1)
def plausible() -> dict[str, str]:
    return dict(_raw()["plausible"])


@lru_cache(maxsize=1)
def bigrams() -> frozenset[str]:
    text = _raw()["bigrams"]
    return frozenset(text[i:i + 2] for i in range(0, len(text), 2))


def read_alone(text: str) -> bool:
    """pypinyin segments `text` into single characters: no two neighbours open a phrase."""
    found = bigrams()
    return all(text[i:i + 2] not in found for i in range(len(text) - 1))


# ---- building the file from pypinyin (the build step and the test) -------------------------

def _first(reading: str) -> str:
    return unicodedata.normalize("NFD", reading)[0].lower()


def build() -> dict:
    """The file's contents as pypinyin gives them now (slow: seconds)."""
    import pypinyin
    from pypinyin import Style, lazy_pinyin
    from pypinyin import pinyin as heteronyms
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict


    chars = [chr(code) for code in sorted(pinyin_dict)]
    common, letters, extra = [], [], []
    for char in chars:
        reading = "".join(lazy_pinyin(char))
        first = _first(pinyin_dict[ord(char)].split(",", 1)[0])
        others = sorted(set(heteronyms(char, style=Style.NORMAL, heteronym=True)[0]) - {reading})
        if not reading or " " in reading or "," in reading or len(first) != 1 \
                or any(not r or " " in r or "," in r for r in others):
            raise ValueError(f"pypinyin reads {char!r} in a way the file cannot hold: {reading!r}, {others!r}")
        common.append(reading)
        letters.append(first)
        extra.append(",".join(others))
    letter_of = dict(zip(chars, letters, strict=True))

    def letter(c: str) -> str:
        return c.lower() if c.isascii() and c.isalnum() else letter_of.get(c, "")

    counts: dict[str, dict[str, int]] = {}
    for phrase, phrase_readings in phrases_dict.items():
        for char, options in zip(phrase, phrase_readings, strict=False):
            seen = counts.setdefault(char, {})
            for x in {_first(r) for r in options if r}:
                seen[x] = seen.get(x, 0) + 1
    context = sorted(c for c, seen in counts.items() if any(x != letter(c) for x in seen))
    plausible = {}
    for char, seen in sorted(counts.items()):
        found = [letter(char)] + sorted(x for x, n in seen.items() if n >= PLAUSIBLE_PHRASES and x != letter(char))
        if len(found) > 1:
            plausible[char] = "".join(found)
    openings = sorted({p[:2] for p in phrases_dict if len(p) >= 2})
    if any(len(p) != 2 for p in openings):
        raise ValueError("a phrase opening is not two characters")
    return {"source": f"pypinyin {pypinyin.__version__}", "regenerate": "python -m app.pinyin_tables",
            "chars": "".join(chars), "pinyin": " ".join(common), "letters": "".join(letters),
            "readings": " ".join(extra), "context": "".join(context), "plausible": plausible,
            "bigrams": "".join(openings)}


def write(target: Path | None = None) -> Path:
    target = target or path()
    target.write_text(json.dumps(build(), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    print(f"written: {write()}")
