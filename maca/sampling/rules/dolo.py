"""Deprivation of liberty orders (the DoLo table, collected from 2024/25): their dates, the
placements the child was in during one, and one still open at the end of last year."""

from __future__ import annotations

import polars as pl

from maca.sampling.parse import date_col
from maca.sampling.problems import ERROR, WARNING
from maca.sampling.rules.care import episode_dates
from maca.sampling.rules.context import (
    ROW_FACTS,
    ChildFacts,
    RuleContext,
    date,
    near,
    same_child,
)
from maca.sampling.rules.registry import rule

# Facts beside each DoLo row: whether next year's DoLo table has one for the child starting
# the same day (706); whether an episode it overlaps has a placement other than those
# expected (709) or one a child with a DoLo cannot be in (710).
STARTS_AGAIN = "__dolo_starts_again"
IN_UNEXPECTED_PLACE, IN_FORBIDDEN_PLACE = "__dolo_unexpected_place", "__dolo_forbidden_place"
# Beside each episode: whether it overlaps a DoLo of the child with both dates (709, 710).
DURING_DOLO = "__during_dolo"

EXPECTED_PLACES = ("K2", "Z12", "Z13")  # 709
FORBIDDEN_PLACES = ("K1", "P1", "R5", "K3")  # 710


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


def _in_places(places: tuple[str, ...]) -> pl.Expr:
    """Whether the placement, as given, is one of `places` (a blank is none of them)."""
    return pl.col("PLACE").cast(pl.String).is_in(places).fill_null(False)


def _overlaps(dolo: pl.DataFrame, episodes: tuple[pl.DataFrame, pl.Series]) -> pl.DataFrame:
    """Each (DoLo row, episode row) pair of the same child where the DoLo, with both its
    dates, overlaps the episode (an episode without an end runs on), with the episode's
    placement. Only the episodes of children with a DoLo are looked at."""
    orders = dolo.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("dolo_row"),
        pl.col("child_idx").alias("child"),
        start=date("DOLO_START"),
        end=date("DOLO_END"),
    ).filter(pl.all_horizontal(pl.col("child", "start", "end").is_not_null()))
    raw, numbers = episodes
    stays = (
        episode_dates(raw)
        .lazy()
        .select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("episode_row"),
            numbers.alias("child"),
            raw["PLACE"].cast(pl.String),
            decom=date("DECOM"),
            dec=date("DEC"),
        )
        .filter(pl.col("child").is_in(orders["child"].unique().implode()))
        .collect()
    )
    start, end, decom, dec = (pl.col(c) for c in ("start", "end", "decom", "dec"))
    return orders.join(stays, on="child").filter(((start <= dec) | dec.is_null()) & (end >= decom))


def _marked(rows: pl.Series, height: int) -> pl.Series:
    """True at each of `rows` of a table of `height` rows."""
    return pl.repeat(False, height, dtype=pl.Boolean, eager=True).scatter(rows, True)


def dolo_placements(frame: pl.DataFrame, facts: ChildFacts) -> pl.DataFrame:
    if facts.episodes is None:
        return frame
    pairs = _overlaps(frame, facts.episodes)
    unexpected = pairs.filter(~_in_places(EXPECTED_PLACES))["dolo_row"]
    forbidden = pairs.filter(_in_places(FORBIDDEN_PLACES))["dolo_row"]
    return frame.with_columns(
        _marked(unexpected, frame.height).alias(IN_UNEXPECTED_PLACE),
        _marked(forbidden, frame.height).alias(IN_FORBIDDEN_PLACE),
    )


def episodes_during_dolo(frame: pl.DataFrame, facts: ChildFacts) -> pl.DataFrame:
    if (dolo := facts.raw("DoLo")) is None or facts.episodes is None:
        return frame
    raw, numbers = dolo
    orders = raw.with_columns(numbers.alias("child_idx"))
    during = _overlaps(orders, facts.episodes)["episode_row"]
    return frame.with_columns(_marked(during, frame.height).alias(DURING_DOLO))


def dolo_started_again(frame: pl.DataFrame, facts: ChildFacts) -> pl.DataFrame:
    """706: whether next year's DoLo table (where given) has a DoLo of the child starting on
    the same day."""
    if (following := facts.raw("DoLo", years_later=1)) is None:
        return frame
    raw, numbers = following
    starts = raw.select(numbers.alias("child_idx"), date("DOLO_START").alias("start"))
    again = frame.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("dolo_row"),
        "child_idx",
        date("DOLO_START").alias("start"),
    ).join(starts, on=["child_idx", "start"], how="semi")["dolo_row"]
    return frame.with_columns(_marked(again, frame.height).alias(STARTS_AGAIN))


ROW_FACTS.setdefault("DoLo", []).extend([dolo_placements, dolo_started_again])
ROW_FACTS.setdefault("Episodes", []).append(episodes_during_dolo)

_MESSAGE_706 = (
    "There is an open DoLO in last year’s return and there is no corresponding DoLO recorded "
    "at the start of this year.."
)


@rule("706", "DoLo", "DOLO_START", WARNING, _MESSAGE_706, needs=(STARTS_AGAIN,))
def open_dolo_not_carried_over(context: RuleContext) -> pl.Expr:
    # Checked on last year's table, with this year's beside it: the row shown is the open
    # DoLo of last year's return.
    return pl.col("DOLO_END").is_null() & ~pl.col(STARTS_AGAIN)


_MESSAGE_709 = "Child with a DoLO is in an unexpected placement type."
_MESSAGE_710 = (
    "Child with a DoLO can not be placed in secure children's homes, with parents, young "
    "offender institutions, or supported accommodation."
)


@rule("709", "DoLo", "DOLO_START", WARNING, _MESSAGE_709, needs=(IN_UNEXPECTED_PLACE,))
def dolo_in_unexpected_place(context: RuleContext) -> pl.Expr:
    return pl.col(IN_UNEXPECTED_PLACE)


@rule("709", "Episodes", "PLACE", WARNING, _MESSAGE_709, needs=(DURING_DOLO,))
def unexpected_place_during_dolo(context: RuleContext) -> pl.Expr:
    return pl.col(DURING_DOLO) & ~_in_places(EXPECTED_PLACES)


@rule("710", "DoLo", "DOLO_START", WARNING, _MESSAGE_710, needs=(IN_FORBIDDEN_PLACE,))
def dolo_in_forbidden_place(context: RuleContext) -> pl.Expr:
    return pl.col(IN_FORBIDDEN_PLACE)


@rule("710", "Episodes", "PLACE", WARNING, _MESSAGE_710, needs=(DURING_DOLO,))
def forbidden_place_during_dolo(context: RuleContext) -> pl.Expr:
    return pl.col(DURING_DOLO) & _in_places(FORBIDDEN_PLACES)
