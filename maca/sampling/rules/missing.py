"""Missing and away from placement periods: overlapping, or before the child was born."""

from __future__ import annotations

import polars as pl

from maca.sampling.parse import date_col
from maca.sampling.problems import WARNING
from maca.sampling.rules.context import RuleContext, date, near, same_child
from maca.sampling.rules.registry import rule


@rule(
    "574",
    "Missing",
    "MIS_START",
    WARNING,
    "A new missing/away from placement without authorisation period cannot start when the "
    "previous missing/away from placement without authorisation period is still open. "
    "Missing/away from placement without authorisation periods should also not overlap.",
)
def missing_overlaps(context: RuleContext) -> pl.Expr:
    previous_end = near(date_col("MIS_END"))
    return same_child() & (previous_end.is_null() | (date("MIS_START") < previous_end))


@rule(
    "586",
    "Missing",
    "MIS_START",
    WARNING,
    "Dates of missing periods are before child’s date of birth.",
)
def missing_before_birth(context: RuleContext) -> pl.Expr:
    return date("MIS_START") <= date("DOB")
