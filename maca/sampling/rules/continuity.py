"""Continuity with the year before: a child's first episode this year against its last
episode in last year's return."""

from __future__ import annotations

import polars as pl

from maca.sampling.parse import date_col
from maca.sampling.problems import WARNING
from maca.sampling.rules.context import (
    LAST_DEC_GIVEN,
    LAST_DECOM,
    LAST_DISTANCE,
    LAST_PL_LA,
    LAST_RNE,
    RuleContext,
    date,
    near,
    same_child,
)
from maca.sampling.rules.registry import rule


def _first_episode() -> pl.Expr:
    """The child's first episode this year with a start date (undated ones sort first)."""
    earlier = same_child() & near(date_col("DECOM")).is_not_null()
    return ~earlier & date("DECOM").is_not_null()


def _continues_open_episode() -> pl.Expr:
    """The first episode, where last year's last episode was still open and has the same
    reason for new episode."""
    same_rne = (pl.col("RNE").cast(pl.String) == pl.col(LAST_RNE)).fill_null(False)
    return _first_episode() & pl.col(LAST_DECOM).is_not_null() & ~pl.col(LAST_DEC_GIVEN) & same_rne


@rule(
    "452",
    "Episodes",
    "PL_LA",
    WARNING,
    "Contradiction between local authority of placement code in the last episode of the "
    "previous year and in the first episode of the current year.",
    needs=("PL_LA", LAST_PL_LA),
)
def placement_la_changed(context: RuleContext) -> pl.Expr:
    differs = ~pl.col("PL_LA").cast(pl.String).eq_missing(pl.col(LAST_PL_LA))
    return _continues_open_episode() & differs


@rule(
    "453",
    "Episodes",
    "PL_DISTANCE",
    WARNING,
    "Contradiction between placement distance in the last episode of the previous year and in "
    "the first episode of the current year.",
    needs=("PL_DISTANCE", LAST_DISTANCE),
)
def placement_distance_changed(context: RuleContext) -> pl.Expr:
    distance = pl.col("PL_DISTANCE").cast(pl.Float64, strict=False)
    moved = ((distance - pl.col(LAST_DISTANCE)).abs() >= 0.2).fill_null(False)
    newly_given = pl.col(LAST_DISTANCE).is_null() & distance.is_not_null()
    return _continues_open_episode() & (moved | newly_given)


@rule(
    "562",
    "Episodes",
    "DECOM",
    WARNING,
    "Episode commenced before the start of the current collection year but there is a missing "
    "continuous episode in the previous year.",
    needs=(LAST_DECOM,),
)
def earlier_episode_missing_last_year(context: RuleContext) -> pl.Expr:
    before_year = date("DECOM") < context.collection_start
    earlier = same_child() & (near(date_col("DECOM")) < context.collection_start).fill_null(False)
    first_before_year = before_year & ~earlier
    matches = (date("DECOM") == pl.col(LAST_DECOM)).fill_null(False)
    return first_before_year & ~matches
