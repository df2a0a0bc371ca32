import datetime as dt

import pytest

from maca.core.partial_dates import PartialDate, range_text, when_text


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


@pytest.mark.parametrize(
    ("written", "stored", "shown", "first", "last"),
    [
        ("2016/17", "2016-FY", "2016/17", dt.date(2016, 4, 1), dt.date(2017, 3, 31)),
        ("FY 2016/17", "2016-FY", "2016/17", dt.date(2016, 4, 1), dt.date(2017, 3, 31)),
        (
            "academic year 2019/20",
            "2019-AY",
            "academic year 2019/20",
            dt.date(2019, 9, 1),
            dt.date(2020, 8, 31),
        ),
        ("1999/00", "1999-FY", "1999/00", dt.date(1999, 4, 1), dt.date(2000, 3, 31)),
    ],
)
def test_financial_and_academic_years_are_kept_as_written(written, stored, shown, first, last):
    value = PartialDate.parse(written)
    assert value.isoformat() == stored
    assert PartialDate.parse(stored) == value
    assert str(value) == shown
    assert (value.earliest(), value.latest()) == (first, last)
    assert when_text(value) == f"in {shown}"


def test_a_year_and_not_the_next_is_refused():
    with pytest.raises(ValueError, match="one year and the next"):
        PartialDate.parse("2016/18")


def test_a_financial_year_sorts_at_its_first_month():
    values = [PartialDate.parse(t) for t in ["2016-05", "2016-FY", "2016-03"]]
    assert [str(v) for v in sorted(values)] == ["March 2016", "2016/17", "May 2016"]


@pytest.mark.parametrize(
    ("start", "end", "shown", "when"),
    [
        ("2024-01-15", "2024-01-19", "15–19 January 2024", "between 15 and 19 January 2024"),
        (
            "2024-01-29",
            "2024-02-02",
            "29 January – 2 February 2024",
            "between 29 January and 2 February 2024",
        ),
        ("2024-01", "2024-03", "January–March 2024", "between January and March 2024"),
        (
            "2023-12",
            "2024-01",
            "December 2023 – January 2024",
            "between December 2023 and January 2024",
        ),
        ("2024-01-15", "2024-01-15", "15 January 2024", "on 15 January 2024"),
    ],
)
def test_ranges_read_as_people_write_them(start, end, shown, when):
    first, last = PartialDate.parse(start), PartialDate.parse(end)
    assert range_text(first, last) == shown
    assert when_text(first, last) == when
