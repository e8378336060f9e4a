"""Cell normalisation: dates in the forms clerks type, ID numbers as text, full-width digits."""

from datetime import date, datetime

import pytest

from app.exchange import cells


@pytest.mark.parametrize("raw", ["2026-03-15", "2026/3/15", "2026.3.15", "20260315", "２０２６－０３－１５",
                                 datetime(2026, 3, 15, 0, 0), date(2026, 3, 15), 46096, 20260315.0])
def test_dates_in_every_accepted_form(raw):
    assert cells.parse_date(raw) == date(2026, 3, 15)


@pytest.mark.parametrize("raw", ["15/03/2026", "2026-13-01", "明天", "2026-02-29"])
def test_bad_dates_name_what_was_typed(raw):
    with pytest.raises(cells.CellError, match="日期"):
        cells.parse_date(raw)


def test_id_number_typed_as_a_number_is_refused_with_the_reason():
    with pytest.raises(cells.CellError, match="文本"):
        cells.id_number_text(4.30202199005010e17)


def test_id_number_text_is_normalised():
    assert cells.id_number_text(" ４３０２０２１９９００５０１００２ｘ ") == "43020219900501002X"


def test_integers():
    assert cells.integer("1,070") == 1070 and cells.integer(12.0) == 12
    with pytest.raises(cells.CellError):
        cells.integer("12.5")
