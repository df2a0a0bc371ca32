"""The two ways a date is read: looked up among the plausible days (as files are read) and
parsed whatever the year (for a column where the lookup missed). They must agree on every
plausible day, and the lookup must take nothing else."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from maca.sampling.parse import (
    DATE_FORMAT,
    date_col,
    exact_date,
    parse_date,
    plausible_date,
    plausible_dates,
)
from maca.sampling.rules.context import birthday


def _both(values: list[str | None], column: str, year: int) -> pl.DataFrame:
    frame = pl.DataFrame({column: values}, schema={column: pl.String})
    looked_up = frame.select(plausible_date(column, year).alias("looked_up"))
    parsed = frame.with_columns(parse_date(column).alias(date_col(column))).select(
        exact_date(column).alias("parsed")
    )
    return pl.concat([frame, looked_up, parsed], how="horizontal")


@pytest.mark.parametrize(("column", "year"), [("DECOM", 2024), ("DOB", 2019), ("DUC", 2031)])
def test_every_plausible_day_is_read_as_parsing_reads_it(column: str, year: int) -> None:
    first, last = plausible_dates(column, year)
    days = pl.date_range(first, last, "1d", eager=True)
    result = _both(days.dt.strftime(DATE_FORMAT).to_list(), column, year)
    assert result["looked_up"].to_list() == days.to_list()
    assert result["looked_up"].equals(result["parsed"], check_names=False)


def test_the_lookup_takes_no_loose_or_implausible_date() -> None:
    first, last = plausible_dates("DECOM", 2024)
    before, after = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    loose: list[str | None] = [
        "1/2/2020",
        " 1/ 2/2020",
        "01-02-2020",
        "01/02/20",
        "01/02/2020 ",
        "2020-02-01",
    ]
    implausible: list[str | None] = [
        before.strftime(DATE_FORMAT),
        after.strftime(DATE_FORMAT),
        "01/06/1850",
    ]
    invalid: list[str | None] = ["31/02/2020", "00/01/2020", "", None]
    result = _both(loose + implausible + invalid, "DECOM", 2024)
    assert result["looked_up"].null_count() == result.height
    # Parsing still reads the implausible ones, for the range check to report.
    assert result["parsed"].to_list()[len(loose) : len(loose) + 3] == [
        before,
        after,
        dt.date(1850, 6, 1),
    ]


@pytest.mark.parametrize("years", [4, 10, 17, 18])
def test_a_birthday_looked_up_is_the_one_offset_by_gives(years: int) -> None:
    """The rules' birthdays (`rules.context.birthday`) are looked up in four hundred years of
    days; a date outside those years, and a 29 February, must come out as `dt.offset_by`
    works it out."""
    every_day = pl.date_range(dt.date(1790, 1, 1), dt.date(2210, 12, 31), "1d", eager=True)
    far = [dt.date(1, 1, 1), dt.date(1600, 2, 29), dt.date(2196, 2, 29), dt.date(9996, 2, 29)]
    frame = pl.DataFrame({"day": [*every_day, *far, None]}, schema={"day": pl.Date})
    looked_up, worked_out = frame.select(
        birthday("day", years).alias("looked_up"),
        pl.col("day").dt.offset_by(f"{years}y").alias("worked_out"),
    )
    assert looked_up.equals(worked_out, check_names=False)
