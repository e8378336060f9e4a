"""`similarity.one_edit` is rapidfuzz's Levenshtein distance 1, on names and ID numbers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from app.reconcile.similarity import compare_id, compare_name, one_edit

_TEXT = st.text(alphabet="王丽芳立方李长青1234X", max_size=6)


@settings(max_examples=2000, deadline=None)
@given(_TEXT, _TEXT)
def test_one_edit_is_levenshtein_distance_one(a, b):
    assert one_edit(a, b) == (Levenshtein.distance(a, b) == 1)


@settings(max_examples=500, deadline=None)
@given(_TEXT, st.integers(0, 6), st.sampled_from("王丽X1"), st.sampled_from(["replace", "drop", "add"]))
def test_one_slip_of_a_text_is_one_edit(text, at, char, how):
    at = min(at, len(text))
    slipped = {"replace": text[:at] + char + text[at + 1:], "drop": text[:at] + text[at + 1:],
               "add": text[:at] + char + text[at:]}[how]
    assert one_edit(text, slipped) == (Levenshtein.distance(text, slipped) == 1)


def test_names_and_ids_one_edit_apart():
    assert compare_name("王丽芳", "王丽") == "one_char"
    assert compare_name("王丽芳", "王美芳") == "one_char"
    assert compare_name("王丽芳", "李美芳") == "different"
    assert compare_id("43020219900101002X", "4302021990010100X") == "one_digit"
    assert compare_id("43020219900101002X", "430202199001010002X") == "one_digit"
    assert compare_id("43020219900101002X", "4302021990010102") == "different"
