"""dhis2/dataValueSets.json in every export package (issue 18 item 4), and the counts' way back."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.exchange import dhis2, period_package
from app.stats import counts
from app.stats.population import Base
from tests import builders

DIGITS = re.compile(r"^\d+(\.\d+)?$")


def assert_dhis2_shape(document: dict) -> None:
    """DHIS2's documented dataValueSets shape, checked independently of dhis2.validate."""
    assert isinstance(document["dataValues"], list) and document["dataValues"]
    seen = set()
    for item in document["dataValues"]:
        for key in ("dataElement", "period", "orgUnit", "value"):
            assert isinstance(item[key], str) and item[key], (key, item)
        assert DIGITS.match(item["value"]), item
        triple = (item["dataElement"], item["period"], item["orgUnit"], item.get("categoryOptionCombo"))
        assert triple not in seen, triple
        seen.add(triple)


@pytest.mark.parametrize(("start", "end", "code"), [
    ("2026-03-01", "2026-03-31", "202603"),
    ("2025-10-01", "2025-12-31", "2025Q4"),        # 2026Q1 of a statistical year from October
    ("2026-01-01", "2026-06-30", "2026S1"),
    ("2026-07-01", "2026-12-31", "2026S2"),
    ("2025-10-01", "2026-03-31", "2025AprilS2"),   # 2026H1 of a year from October
    ("2026-04-01", "2026-09-30", "2026AprilS1"),   # 2026H2 of a year from October
    ("2025-10-01", "2026-09-30", "2025Oct"),       # statistical year 2026 from October
    ("2026-01-01", "2026-12-31", "2026"),
    ("2025-04-01", "2026-03-31", "2025April"),
    ("2025-07-01", "2026-06-30", "2025July"),
    ("2025-11-01", "2026-01-31", None),            # a quarter of a year from November
    ("2025-11-01", "2026-04-30", None),            # a half starting in November
    ("2025-11-01", "2026-10-31", None),            # a financial year DHIS2 has no type for here
    ("2026-01-05", "2026-02-20", None),            # a date range
    ("2026-01-01", "2026-02-28", None),            # two months (DHIS2's BiMonthly is not used)
])
def test_dhis2_period_codes_come_from_the_dates_and_are_never_invented(start, end, code):
    assert dhis2.period_code(date.fromisoformat(start), date.fromisoformat(end)) == code


def test_every_package_carries_a_valid_data_value_set_listed_in_the_manifest(ledger, tmp_path):
    villages = builders.township(ledger, villages=3)
    out = tmp_path / "stick"
    period_package.write(ledger, period_package.prepare(ledger, "2026H1"), out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = next(f for f in manifest["files"] if f["name"] == dhis2.FILE)
    raw = (out / dhis2.FILE).read_bytes()
    import hashlib

    assert entry["sha256"] == hashlib.sha256(raw).hexdigest()
    document = json.loads(raw)
    assert_dhis2_shape(document)
    assert dhis2.validate(document) == []
    assert {v["period"] for v in document["dataValues"]} == {"2025AprilS2"}
    assert {v["orgUnit"] for v in document["dataValues"]} == {"430202100", *villages}
    value = {(v["dataElement"], v["orgUnit"]): v["value"] for v in document["dataValues"]}
    assert value[("FP_BIRTHS_O1_M_IN", "430202100")] == "2"      # villages 0 and 2: boys
    assert value[("FP_BIRTHS_O1_F_IN", "430202100")] == "1"
    assert value[("FP_POPULATION_END", villages[1])] == "3010"
    assert ("FP_POPULATION_START", villages[1]) not in value     # not known: not sent
    assert manifest["warnings"] == []


def test_a_period_without_a_dhis2_code_gets_no_file_and_the_manifest_says_why(ledger, tmp_path):
    builders.township(ledger, villages=1)
    out = tmp_path / "range"
    period_package.write(ledger, period_package.prepare(ledger, "2026-01-05..2026-02-20"), out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert dhis2.FILE not in {f["name"] for f in manifest["files"]}
    assert not (out / "dhis2").exists()
    assert any("没有对应的 DHIS2 期别代码" in w for w in manifest["warnings"])


def test_the_shipped_mapping_names_every_count_key_once():
    mapping = dhis2.load_mapping(dhis2.data_dir() / dhis2.MAPPING_FILE)
    keys = set(counts.from_counter(Counter(), Base(None, None)))
    assert set(mapping.data_elements) == keys
    codes = [code for code, _ in mapping.data_elements.values()]
    assert len(codes) == len(set(codes))


def test_the_users_copy_of_the_mapping_wins_and_maps_org_units(ledger, tmp_path, isolated_home):
    builders.township(ledger, villages=1)
    from app.paths import user_data_dir

    user_data_dir().mkdir(parents=True, exist_ok=True)
    (user_data_dir() / dhis2.MAPPING_FILE).write_text(
        "kind,key,code,categoryOptionCombo,note\n"
        "dataElement,births|1|男|政策内,DE_BOYS,COC1,\n"
        "orgUnit,430202100,OU_XIANYU,,仙庾镇\n", encoding="utf-8")
    document = dhis2.data_value_set(period_package.prepare(ledger, "2026H1").figures)
    assert document["dataValues"] == [
        {"dataElement": "DE_BOYS", "period": "2025AprilS2", "orgUnit": "OU_XIANYU", "value": "1",
         "categoryOptionCombo": "COC1"},
        {"dataElement": "DE_BOYS", "period": "2025AprilS2", "orgUnit": "430202100201", "value": "1",
         "categoryOptionCombo": "COC1"}]


def test_validate_finds_what_dhis2_would_refuse():
    good = {"dataElement": "A", "period": "202603", "orgUnit": "O", "value": "3"}
    assert dhis2.validate({"dataValues": [good]}) == []
    assert dhis2.validate({"dataValues": [good, dict(good)]})            # the same triple twice
    assert dhis2.validate({"dataValues": [good | {"value": 3}]})          # not a string
    assert dhis2.validate({"dataValues": [good | {"value": "3‰"}]})
    assert dhis2.validate({"dataValues": [{k: v for k, v in good.items() if k != "orgUnit"}]})
    assert dhis2.validate({}) == ["缺少 dataValues 列表"]


_KEYS = st.sampled_from(sorted(counts.from_counter(Counter(), Base(None, None))) + ["births|2|未知|政策内"])


@given(st.dictionaries(_KEYS, st.integers(min_value=0, max_value=10_000)))
def test_counts_turn_back_into_the_facts_they_came_from(values):
    """from_counter(to_counter(c)) == c: summed counts take the very road a ledger's facts take."""
    base = Base(values.get("population"), values.get("deaths"), values.get("population_start"))
    full = counts.from_counter(Counter(), base) | values
    assert counts.from_counter(counts.to_counter(full), base) == full
