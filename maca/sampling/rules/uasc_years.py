"""UASC status from one year's return to the next (205A to 205D): a child UASC last year and
not this year, or both years, or neither, against the dates its UASC status ceased."""

from __future__ import annotations

import polars as pl

from maca.sampling.problems import WARNING
from maca.sampling.rules.context import (
    HEADER_UASC,
    LAST_DUC,
    LAST_HEADER_FLAG,
    LAST_UASC_DOB,
    LAST_UASC_FLAG,
    RuleContext,
    birthday,
    date,
)
from maca.sampling.rules.registry import rule

_NEEDS = (HEADER_UASC, LAST_UASC_FLAG)


def _flag(column: str, value: str) -> pl.Expr:
    return (pl.col(column).cast(pl.String) == value).fill_null(False)


def _last_year_bounds(context: RuleContext) -> tuple[pl.Expr, pl.Expr]:
    start, end = context.collection_start, context.collection_end
    return (
        pl.lit(start.replace(year=start.year - 1)),
        pl.lit(end.replace(year=end.year - 1)),
    )


@rule(
    "205A",
    "UASC",
    "DUC",
    WARNING,
    "Child identified as UASC last year is no longer UASC this year, but date UASC ceased in "
    "both years does not support this.",
    needs=_NEEDS,
)
def no_longer_uasc(context: RuleContext) -> pl.Expr:
    last_year_only = ~_flag(HEADER_UASC, "1") & _flag(LAST_UASC_FLAG, "1")
    start, end = _last_year_bounds(context)
    ceased_last_year = pl.col(LAST_DUC).is_between(start, end).fill_null(False)
    return last_year_only & (pl.col("DUC").is_not_null() | ~ceased_last_year)


@rule(
    "205B",
    "UASC",
    "DUC",
    WARNING,
    "Child previously identified as UASC is also UASC this year, but date UASC ceased in both "
    "years does not support this.",
    needs=_NEEDS,
)
def still_uasc(context: RuleContext) -> pl.Expr:
    both = _flag(HEADER_UASC, "1") & _flag(LAST_UASC_FLAG, "1")
    ceased_this_year = date("DUC").is_between(context.collection_start, context.collection_end)
    same_as_last = (date("DUC") == pl.col(LAST_DUC)).fill_null(False)
    eighteenth = birthday(LAST_UASC_DOB, 18)
    last_at_18 = (pl.col(LAST_DUC) == eighteenth).fill_null(False)
    return both & ((~ceased_this_year.fill_null(False) & ~same_as_last) | ~last_at_18)


@rule(
    "205C",
    "UASC",
    "DUC",
    WARNING,
    "Child not identified as UASC either this year or last year but date UASC ceased has "
    "been provided.",
    needs=_NEEDS,
)
def never_uasc_but_ceased(context: RuleContext) -> pl.Expr:
    def not_uasc(column: str) -> pl.Expr:
        return pl.col(column).is_null() | (pl.col(column).cast(pl.String) == "0")

    has_duc = date("DUC").is_not_null() | pl.col(LAST_DUC).is_not_null()
    return not_uasc(HEADER_UASC) & not_uasc(LAST_UASC_FLAG) & has_duc


@rule(
    "205D",
    "Header",
    "UASC",
    WARNING,
    "Child identified as UASC this year but not identified as UASC status provided for the "
    "child last year.",
    needs=("UASC", LAST_HEADER_FLAG),
)
def newly_uasc(context: RuleContext) -> pl.Expr:
    in_last = pl.col(LAST_HEADER_FLAG).is_not_null()
    return _flag("UASC", "1") & in_last & ~_flag(LAST_HEADER_FLAG, "1")
