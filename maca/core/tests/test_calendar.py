"""The bank-holiday table against rules that can be computed (Easter, the Monday holidays)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from maca.core import calendar


def _easter(year: int) -> dt.date:
    # Anonymous Gregorian algorithm.
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def test_table_has_good_friday_easter_monday_and_summer_holiday_every_year():
    for year in range(calendar.FIRST_YEAR, calendar.LAST_YEAR + 1):
        easter = _easter(year)
        assert easter - dt.timedelta(days=2) in calendar.BANK_HOLIDAYS, year
        assert easter + dt.timedelta(days=1) in calendar.BANK_HOLIDAYS, year
        last_monday_august = max(
            dt.date(year, 8, day) for day in range(25, 32) if dt.date(year, 8, day).weekday() == 0
        )
        assert last_monday_august in calendar.BANK_HOLIDAYS, year
        assert all(day.weekday() < 5 for day in calendar.BANK_HOLIDAYS if day.year == year)


def test_working_days_skip_weekends_and_holidays():
    # Thursday 21 December 2023 + 3 working days: 22nd, (25th, 26th holidays), 27th, 28th.
    assert calendar.add_working_days(dt.date(2023, 12, 21), 3) == dt.date(2023, 12, 28)


@pytest.mark.parametrize("days", [1, 20])
def test_working_days_for_a_whole_column_agree_with_one_at_a_time(days):
    starts = [dt.date(2015, 1, 1) + dt.timedelta(days=n) for n in range(0, 365 * 16, 3)]
    frame = pl.LazyFrame({"start": [*starts, dt.date(1989, 12, 31), dt.date(2045, 12, 30), None]})
    due = calendar.add_working_days_expr(frame, "start", days, "due").collect()["due"]
    assert due.to_list() == [calendar.add_working_days(start, days) for start in starts] + [
        None,  # before the calendar
        None,  # its answer is after the calendar
        None,
    ]
