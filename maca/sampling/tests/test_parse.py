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
