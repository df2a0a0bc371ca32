"""Deprivation of liberty orders (the DoLo table, collected from 2024/25)."""

from __future__ import annotations

import polars as pl

from maca.sampling.parse import date_col
from maca.sampling.problems import ERROR, WARNING
from maca.sampling.rules.context import RuleContext, date, near, same_child
from maca.sampling.rules.registry import rule


@rule("700", "DoLo", "DOLO_START", ERROR, "The start date of the DoLO is not a valid date.")
def start_not_a_date(context: RuleContext) -> pl.Expr:
    return date("DOLO_START").is_null()


@rule("701", "DoLo", "DOLO_END", ERROR, "The end date of the DoLO is not a valid date.")
def end_not_a_date(context: RuleContext) -> pl.Expr:
    return pl.col("DOLO_END").is_not_null() & date("DOLO_END").is_null()


@rule(
    "702",
    "DoLo",
    "DOLO_END",
    WARNING,
    "The date that the DoLO ended is before the date that it started.",
)
def ends_before_start(context: RuleContext) -> pl.Expr:
    return date("DOLO_END") <= date("DOLO_START")


@rule(
    "703",
    "DoLo",
    "DOLO_START",
    WARNING,
    "The date that the DoLO started is after the end of the collection year.",
)
def starts_after_year(context: RuleContext) -> pl.Expr:
    return date("DOLO_START") > context.collection_end


@rule(
    "704",
    "DoLo",
    "DOLO_END",
    WARNING,
    "The date that the DoLO ended is before the start or after the end of the collection year.",
)
def ends_outside_year(context: RuleContext) -> pl.Expr:
    return ~date("DOLO_END").is_between(context.collection_start, context.collection_end)


@rule(
    "705",
    "DoLo",
    "DOLO_START",
    WARNING,
    "A DoLO cannot start when the previous DoLO is still open.",
)
def starts_while_previous_open(context: RuleContext) -> pl.Expr:
    previous_end = near(date_col("DOLO_END"))
    return same_child() & (previous_end.is_null() | (date("DOLO_START") < previous_end))


@rule("708", "DoLo", "DOLO_START", WARNING, "Dates of DoLOs are before child’s date of birth.")
def before_birth(context: RuleContext) -> pl.Expr:
    return date("DOLO_START") <= date("DOB")
