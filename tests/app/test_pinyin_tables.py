"""The shipped pinyin table (data/pinyin_tables.json) is what pypinyin gives, and the reconcile
path reads names without importing pypinyin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app import pinyin, pinyin_tables

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_table_is_what_pypinyin_gives_now():
    """Fails after a pypinyin upgrade or a change of PLAUSIBLE_PHRASES: regenerate the file with
    `python -m app.pinyin_tables`."""
    shipped = json.loads(pinyin_tables.path().read_text(encoding="utf-8"))
    assert shipped == pinyin_tables.build()


def test_every_character_reads_as_pypinyin_reads_it_alone():
    from pypinyin import Style, lazy_pinyin
    from pypinyin import pinyin as heteronyms
    from pypinyin.pinyin_dict import pinyin_dict

    chars = [chr(code) for code in pinyin_dict]
    assert [pinyin_tables.pinyin(c) for c in chars] == ["".join(lazy_pinyin(c)) for c in chars]
    assert [pinyin_tables.readings(c) for c in chars] == [
        frozenset(heteronyms(c, style=Style.NORMAL, heteronym=True)[0]) | {"".join(lazy_pinyin(c))} for c in chars]


def test_a_character_outside_the_dictionary_is_given_back_unchanged_with_no_letter():
    from pypinyin import Style, lazy_pinyin
    from pypinyin import pinyin as heteronyms
    from pypinyin.pinyin_dict import pinyin_dict

    outside = [chr(code) for code in range(0x30000) if code not in pinyin_dict and not 0xD800 <= code < 0xE000]
    assert [c for c in outside if lazy_pinyin(c) != [pinyin_tables.pinyin(c)]] == []
    assert [c for c in outside if heteronyms(c, style=Style.NORMAL, heteronym=True) != [sorted(pinyin_tables.readings(c))]] == []
    assert [c for c in outside if lazy_pinyin(c, style=Style.FIRST_LETTER, errors="ignore")
            and not c.isascii()] == []
    assert {pinyin_tables.letter(c) for c in outside} == {""}


# Name characters, the characters a phrase reads otherwise, and phrase openings: texts in which
# neighbours often do, and often do not, open a phrase.
_NAME_CHARS = "王李张刘陈杨黄赵丽芳秀英红艳霞云梅兰华玲燕长朝重乐单曾查解行会晓露佩佳凤琴妍洁芸丹"
_ALPHABET = _NAME_CHARS + "".join(sorted(pinyin_tables.context()))[:120]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=4))
def test_a_given_name_read_letter_by_letter_or_through_pypinyin_is_lazy_pinyins_reading(text):
    from pypinyin import Style, lazy_pinyin

    expected = "".join(x[0].lower() for x in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore"))
    assert pinyin._given(text) == expected
    if pinyin_tables.read_alone(text):
        assert "".join(map(pinyin._letter, text)) == expected


def test_the_reconcile_command_does_not_import_pypinyin(tmp_path):
    """Names compared, indexed and looked up from the shipped table: a whole `fpledger reconcile`
    (survey stored, matched with homophones and 漏报 mothers looked up, results saved) loads no
    pypinyin."""
    import random

    from app.ledger import Ledger
    from app.periods import Period
    from tests import reconcile_synth as synth

    path = tmp_path / "ledger.db"
    rng = random.Random(7)
    with Ledger.create(path, "荷塘区人口计生局", 10, actor="test") as ledger:
        info = synth.build_ledger(ledger, rng, villages=3, women_per_village=40)
        rows = synth.make_survey(ledger.db, Period.parse("2026H1"), info["villages"][:2], rng,
                                 new_mothers=2, existing_mothers=2)
    survey = synth.write_survey(tmp_path / "survey.xlsx", rows)
    script = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from app.cli import main; "
              f"code = main(['--db', {str(path)!r}, '--json', 'reconcile', {str(survey)!r}, '--period', '2026H1']); "
              "sys.stderr.write(str(code)); print('pypinyin' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert out.stderr.endswith("1"), out.stderr[-2000:]   # ran and found the 漏报 rows
    assert out.stdout.strip().splitlines()[-1] == "False"
