"""Working days in England and Wales, for timescales counted in working days: statutory ones
(CPPCR 2010 reg 33: the first review within 20 working days of becoming looked after, used by
the 903 sample) and the deadlines of agency returns.

The bank holidays below are data, not rules: one-off holidays (the 2020 VE Day move, the 2022
Platinum Jubilee and state funeral, the 2023 Coronation) cannot be computed. Dates after 2030
are announced by the Government each year; add them here when they are. Outside the table
only weekends are skipped, and `covers` says so, so callers can flag an answer as approximate.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import polars as pl

FIRST_YEAR = 2015
LAST_YEAR = 2030

_HOLIDAYS: dict[int, tuple[str, ...]] = {
    2015: ("01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"),
    2016: ("01-01", "03-25", "03-28", "05-02", "05-30", "08-29", "12-26", "12-27"),
    2017: ("01-02", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26"),
    2018: ("01-01", "03-30", "04-02", "05-07", "05-28", "08-27", "12-25", "12-26"),
    2019: ("01-01", "04-19", "04-22", "05-06", "05-27", "08-26", "12-25", "12-26"),
    2020: ("01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"),
    2021: ("01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"),
    2022: (
        "01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27",
    ),
    2023: ("01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"),
    2024: ("01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"),
    2025: ("01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"),
    2026: ("01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"),
    2027: ("01-01", "03-26", "03-29", "05-03", "05-31", "08-30", "12-27", "12-28"),
    2028: ("01-03", "04-14", "04-17", "05-01", "05-29", "08-28", "12-25", "12-26"),
    2029: ("01-01", "03-30", "04-02", "05-07", "05-28", "08-27", "12-25", "12-26"),
    2030: ("01-01", "04-19", "04-22", "05-06", "05-27", "08-26", "12-25", "12-26"),
}  # fmt: skip

BANK_HOLIDAYS: frozenset[dt.date] = frozenset(
    dt.date.fromisoformat(f"{year}-{day}") for year, days in _HOLIDAYS.items() for day in days
)


def covers(day: dt.date) -> bool:
    """Whether bank holidays are known for this date's year."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (the day after is day 1)."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


# Vectorised form for whole tables: every date from 1990 to 2045 with the number of working
# days up to and including it, so "n working days after d" is a join rather than a loop.
_CAL_START = dt.date(1990, 1, 1)
_CAL_END = dt.date(2045, 12, 31)


@cache
def _calendar_frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    holidays = pl.Series("h", sorted(BANK_HOLIDAYS), dtype=pl.Date)
    days = pl.DataFrame(
        {"date": pl.date_range(_CAL_START, _CAL_END, "1d", eager=True)}
    ).with_columns(
        working=(pl.col("date").dt.weekday() <= 5) & ~pl.col("date").is_in(holidays.implode())
    )
    days = days.with_columns(wd=pl.col("working").cast(pl.Int32).cum_sum())
    working = days.filter("working").select(
        pl.col("date").alias("wd_date"), (pl.col("wd")).alias("wd_number")
    )
    return days.select("date", "wd"), working


def add_working_days_expr(frame: pl.LazyFrame, column: str, days: int, alias: str) -> pl.LazyFrame:
    """Add `alias`: the date `days` working days after `column`, for every row at once. Each
    is looked up (`_working_days_later`), not joined: a join hashes every row."""
    return frame.with_columns(_looked_up(column, _working_days_later(days)).alias(alias))


def _looked_up(column: str, table: pl.Series) -> pl.Expr:
    """`table`'s entry for the date in `column` (one entry per calendar day), null for a date
    outside the calendar."""
    day = pl.col(column).cast(pl.Int32) - (_CAL_START - _DAY_ZERO).days
    inside = (day >= 0) & (day < table.len())
    return pl.when(inside).then(pl.lit(table).gather(day.clip(0, table.len() - 1)))


@cache
def _working_days_later(days: int) -> pl.Series:
    """For each date of the calendar, the date `days` working days later; null past the
    calendar's end."""
    by_date, working = _calendar_frames()
    # Working day number n (`wd`) is the n-th working day of the calendar.
    dates = working["wd_date"]
    number = by_date["wd"] + days
    picked = dates.gather(number.clip(1, dates.len()) - 1)
    return pl.select(pl.when(number <= dates.len()).then(picked)).to_series()


_DAY_ZERO = dt.date(1970, 1, 1)  # day 0 of polars' dates


@cache
def _months_later(months: int) -> pl.Series:
    """For each date of the calendar above, the date `months` months later."""
    return pl.date_range(_CAL_START, _CAL_END, "1d", eager=True).dt.offset_by(f"{months}mo")


def covers_dates(first: dt.date | None, last: dt.date | None) -> bool:
    """Whether every date from `first` to `last` is in the calendar (`add_months_expr`)."""
    return first is not None and last is not None and _CAL_START <= first <= last <= _CAL_END


def add_months_expr(column: str, months: int, *, in_calendar: bool) -> pl.Expr:
    """The date `months` months after `column` (the same day, or the month's last day), as
    `dt.offset_by` gives it. When every date is known to be in the calendar (`covers_dates`)
    it is looked up, several times faster on the half million reviews of a national extract."""
    if not in_calendar:
        return pl.col(column).dt.offset_by(f"{months}mo")
    day = pl.col(column).cast(pl.Int32) - (_CAL_START - _DAY_ZERO).days
    return pl.lit(_months_later(months)).gather(day).alias(column)
