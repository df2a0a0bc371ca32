"""Temporary placements (T0 to T4) and short breaks (legal status V3 and V4): they decide
which episodes the cohort leaves out as short breaks and which changes count as moves."""

from __future__ import annotations

import polars as pl

from maca.sampling import codes
from maca.sampling.problems import WARNING
from maca.sampling.rules.context import (
    RuleContext,
    date,
    is_code,
    near,
    same_child,
)
from maca.sampling.rules.registry import rule

TEMPORARY = ("T0", "T1", "T2", "T3", "T4")


def _temporary(which: str | None = None) -> pl.Expr:
    """Whether the placement (or a neighbour's) is temporary."""
    if which is None:
        return is_code("Episodes", "PLACE", TEMPORARY)
    return near("PLACE", which).is_in(TEMPORARY).fill_null(False)


@rule(
    "380",
    "Episodes",
    "RNE",
    WARNING,
    "A period of care cannot start with a temporary placement.",
)
def care_starts_temporary(context: RuleContext) -> pl.Expr:
    return _temporary() & ~is_code("Episodes", "RNE", {"P", "B"})


@rule(
    "381",
    "Episodes",
    "REC",
    WARNING,
    "A period of care cannot end with a temporary placement.",
)
def care_ends_temporary(context: RuleContext) -> pl.Expr:
    ended = pl.col("REC").is_not_null() & ~is_code("Episodes", "REC", {"X1"})
    return _temporary() & ended


@rule(
    "383",
    "Episodes",
    "RNE",
    WARNING,
    "A child in a temporary placement must subsequently return to his/her normal placement.",
)
def returns_from_temporary(context: RuleContext) -> pl.Expr:
    after_temporary = same_child() & same_child("prev2") & _temporary(which="prev")
    other_place = (pl.col("PLACE") != near("PLACE", "prev2")).fill_null(True)
    other_home = (pl.col("PL_POST") != near("PL_POST", "prev2")).fill_null(True)
    return after_temporary & (~is_code("Episodes", "RNE", {"P"}) | other_place | other_home)


def _short_break(kinds: set[str] | frozenset[str] = codes.SHORT_BREAK_LS) -> pl.Expr:
    return is_code("Episodes", "LS", kinds)


@rule(
    "365",
    "Episodes",
    "DEC",
    WARNING,
    "Any individual short- term respite placement must not exceed 17 days.",
)
def short_break_too_long(context: RuleContext) -> pl.Expr:
    # Days counted as whole numbers: adding a duration to a million dates costs several
    # times as much.
    ended = _day_number(date("DEC").fill_null(context.collection_end))
    return _short_break({"V3"}) & (ended > _day_number(date("DECOM")) + 17)


def _day_number(day: pl.Expr) -> pl.Expr:
    return day.cast(pl.Int32)


@rule(
    "366",
    "Episodes",
    "RNE",
    WARNING,
    "A child cannot change placement during the course of an individual short-term respite break.",
)
def short_break_moves(context: RuleContext) -> pl.Expr:
    return _short_break({"V3"}) & ~is_code("Episodes", "RNE", {"S"})


@rule(
    "367",
    "Episodes",
    "LS",
    WARNING,
    "The maximum amount of respite care allowable is 75 days in any 12-month period.",
)
def too_much_respite(context: RuleContext) -> pl.Expr:
    start = pl.max_horizontal(date("DECOM"), pl.lit(context.collection_start))
    end = pl.min_horizontal(
        date("DEC").fill_null(context.collection_end), pl.lit(context.collection_end)
    )
    respite = _short_break({"V3"}) & date("DECOM").is_not_null()
    days = pl.when(respite).then((end - start).dt.total_days()).otherwise(0).clip(lower_bound=0)
    # The children with more than 75 days, found among the few short-break episodes. Nearly
    # always there are none, and the million episodes need not be looked at again.
    over = _children_where(context, respite, days.sum() > 75)
    if over.is_empty():
        return pl.lit(False)
    return (days > 0) & pl.col("child_idx").is_in(over.implode())


def _children_where(context: RuleContext, rows: pl.Expr, condition: pl.Expr) -> pl.Series:
    """The children, among those with `rows`, whose rows meet `condition` (an aggregate)."""
    if context.frame is None:
        return pl.Series("child_idx", [], dtype=pl.UInt32)
    # Lazily, so only the columns the rule reads are picked out of the table.
    return (
        context.frame.filter(rows)
        .group_by("child_idx")
        .agg(condition.alias("__meets"))
        .filter("__meets")
        .collect()["child_idx"]
    )


@rule(
    "382",
    "Episodes",
    "PLACE",
    WARNING,
    "A child receiving respite care cannot be in a temporary placement.",
)
def short_break_temporary(context: RuleContext) -> pl.Expr:
    return _short_break() & _temporary()


@rule(
    "384",
    "Episodes",
    "PLACE",
    WARNING,
    "A child receiving respite care cannot be in a long-term foster placement ",
)
def short_break_long_term_foster(context: RuleContext) -> pl.Expr:
    return _short_break() & is_code("Episodes", "PLACE", {"U1", "U4"})


@rule(
    "426",
    "Episodes",
    "LS",
    WARNING,
    "A child receiving respite care cannot be recorded under a legal status of V3 and V4 in "
    "the same year.",
)
def both_kinds_of_short_break(context: RuleContext) -> pl.Expr:
    v3, v4 = _short_break({"V3"}), _short_break({"V4"})
    both = _children_where(context, v3 | v4, v3.any() & v4.any())
    if both.is_empty():
        return pl.lit(False)
    return (v3 | v4) & pl.col("child_idx").is_in(both.implode())
