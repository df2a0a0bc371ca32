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
    last,
    near,
    same_child,
)
from maca.sampling.rules.registry import RuleFunction, rule


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


def _after_open_episode() -> pl.Expr:
    """The first episode, where last year's last episode was still open."""
    return _first_episode() & pl.col(LAST_DECOM).is_not_null() & ~pl.col(LAST_DEC_GIVEN)


@rule(
    "502",
    "Episodes",
    "DECOM",
    WARNING,
    "Last year's record ended with an open episode. The date on which that episode started "
    "does not match the start date of the first episode on this year’s record.",
    needs=(LAST_DECOM,),
)
def open_episode_start_differs(context: RuleContext) -> pl.Expr:
    return _after_open_episode() & (date("DECOM") != pl.col(LAST_DECOM)).fill_null(True)


# Placement codes renamed between years: the first episode may have the new code where last
# year's open episode has the old one, in the returns the validator allows it for.
_RENAMED_PLACEMENTS: dict[int, tuple[frozenset[str], str]] = {
    2025: (frozenset({"K3"}), "H5"),
    2026: (frozenset({"K3"}), "H5"),
    2027: (frozenset({"Z11", "Z12", "Z13", "Z14"}), "Z1"),
}


def _field_differs(column: str) -> RuleFunction:
    def differs(context: RuleContext) -> pl.Expr:
        changed = ~pl.col(column).cast(pl.String).eq_missing(pl.col(last(column)))
        if column == "PLACE" and context.year in _RENAMED_PLACEMENTS:
            new, old = _RENAMED_PLACEMENTS[context.year]
            renamed = pl.col(column).cast(pl.String).is_in(sorted(new)) & (
                pl.col(last(column)) == old
            )
            changed = changed & ~renamed.fill_null(False)
        return _after_open_episode() & changed

    return differs


_OPEN_AT_YEAR_END = "does not match open episode at end of last year"
# code: (column, what it is), each the validator's message "The <what> in the first episode
# does not match open episode at end of last year."
_FIELD_RULES = {
    "503A": ("RNE", "The reason for new episode in the first episode"),
    "503B": ("LS", "The legal status in the first episode"),
    "503C": ("CIN", "The category of need in the first episode"),
    "503D": ("PLACE", "The placement type in the first episode"),
    "503E": ("PLACE_PROVIDER", "The placement provider in the first episode"),
    "503F": ("URN", "The Ofsted URN in the  first episode"),
    "503H": ("PL_LA", "The placement LA in first episode"),
    "503J": ("PL_LOCATION", "The placement location in first episode"),
}
for _code, (_column, _what) in _FIELD_RULES.items():
    _message = f"{_what} {_OPEN_AT_YEAR_END}" + ("" if _code == "503D" else ".")
    rule(_code, "Episodes", _column, WARNING, _message, needs=(_column, last(_column)))(
        _field_differs(_column)
    )


@rule(
    "503G",
    "Episodes",
    "PL_DISTANCE",
    WARNING,
    "The distance in first episode does not match open episode at end of last year.",
    needs=("PL_DISTANCE", LAST_DISTANCE),
)
def open_episode_distance_differs(context: RuleContext) -> pl.Expr:
    distance = pl.col("PL_DISTANCE").cast(pl.Float64, strict=False)
    moved = ((distance - pl.col(LAST_DISTANCE)).abs() >= 0.2).fill_null(False)
    newly_given = pl.col(LAST_DISTANCE).is_null() & distance.is_not_null()
    return _after_open_episode() & (moved | newly_given)
