import datetime as dt

import pytest

from maca.core.partial_dates import PartialDate


@pytest.mark.parametrize(
    ("text", "shown", "precision"),
    [
        ("2022", "2022", "year"),
        ("2022-03", "March 2022", "month"),
        ("2022-03-08", "8 March 2022", "day"),
    ],
)
def test_partial_date_round_trips_and_reads_as_people_write_it(text, shown, precision):
    value = PartialDate.parse(text)
    assert value.isoformat() == text
    assert str(value) == shown
    assert value.precision == precision


@pytest.mark.parametrize("text", ["March 2022", "2022-13", "2023-02-29", "22-03", ""])
def test_partial_date_refuses_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_month_only_date_spans_the_whole_month():
    value = PartialDate.parse("2024-02")
    assert value.earliest() == dt.date(2024, 2, 1)
    assert value.latest() == dt.date(2024, 2, 29)


def test_partial_dates_sort_in_time_order():
    values = [PartialDate.parse(t) for t in ["2022-03-08", "2021", "2022-03", "2022-01-31"]]
    assert [v.isoformat() for v in sorted(values)] == [
        "2021",
        "2022-01-31",
        "2022-03",
        "2022-03-08",
    ]
