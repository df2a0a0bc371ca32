"""Missing periods and DoLos set against the child's episodes and periods of care: missing
before care began, after it ended, or still open when the placement or care ended."""

from __future__ import annotations

import polars as pl

from maca.sampling.parse import date_col, with_converted
from maca.sampling.problems import WARNING
from maca.sampling.rules.context import ROW_FACTS, ChildFacts, RuleContext
from maca.sampling.rules.registry import rule
from maca.sampling.tables import EPISODES

IN_EPISODE = "__in_episode"  # MIS_START within one of the child's episodes (null: none)
OPEN_IN_ENDED = "__open_in_ended"  # open, and starting in an episode that ended
OUTSIDE_CARE_START = "__outside_care_start"  # MIS_START outside every period of care
OUTSIDE_CARE_PERIOD = "__outside_care_period"  # the period ends outside every period of care


def _periods_of_care(episodes: pl.DataFrame) -> pl.DataFrame:
    """One row per period of care: a child's episodes run together while each starts no
    later than the one before ended. Its start is its first episode's, its end its last's."""
    ordered = episodes.filter(pl.col("decom").is_not_null()).sort("child", "decom")
    new_period = (pl.col("child") != pl.col("child").shift()).fill_null(True) | (
        pl.col("decom") > pl.col("dec").shift()
    ).fill_null(False)
    return (
        ordered.with_columns(period=new_period.cum_sum())
        .group_by("period", maintain_order=True)
        .agg(
            pl.col("child").first(),
            care_start=pl.col("decom").first(),
            care_end=pl.col("dec").last(),
        )
    )


def episode_dates(episodes: pl.DataFrame) -> pl.DataFrame:
    """The episodes' DECOM and DEC as dates. They were converted as read only where plausible
    for the year (`parse.plausible_date`); where some were not, they are converted again,
    whatever the year, as `validate.prepare` does for the checks."""
    lost = any(
        episodes[date_col(column)].null_count() > episodes[column].null_count()
        for column in ("DECOM", "DEC")
    )
    if not lost:
        return episodes
    return with_converted(episodes.select("DECOM", "DEC"), EPISODES, ["DECOM", "DEC"], year=None)


def missing_against_care(frame: pl.DataFrame, facts: ChildFacts) -> pl.DataFrame:
    if facts.episodes is None:
        return frame
    return against_care(frame, *facts.episodes, ("MIS_START", "MIS_END"))


def dolo_against_care(frame: pl.DataFrame, facts: ChildFacts) -> pl.DataFrame:
    if facts.episodes is None:
        return frame
    return against_care(frame, *facts.episodes, ("DOLO_START", "DOLO_END"))


def against_care(
    frame: pl.DataFrame,
    raw_episodes: pl.DataFrame,
    numbers: pl.Series,
    dates: tuple[str, str],
) -> pl.DataFrame:
    """The table (Missing, or DoLo) with `IN_EPISODE`, `OPEN_IN_ENDED`, `OUTSIDE_CARE_START`
    and `OUTSIDE_CARE_PERIOD` beside each row (null for a child without episodes), for the
    periods that start and end on its `dates`."""
    # Only the episodes of children with a missing period: a few thousand of a million.
    wanted = frame["child_idx"].drop_nulls().unique().implode()
    episodes = (
        episode_dates(raw_episodes)
        .lazy()
        .select(
            numbers.alias("child"), decom=pl.col(date_col("DECOM")), dec=pl.col(date_col("DEC"))
        )
        .filter(pl.col("child").is_in(wanted))
        .collect()
    )
    periods = frame.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("__missing_row"),
        pl.col("child_idx").alias("child"),
        start=pl.col(date_col(dates[0])),
        end=pl.col(date_col(dates[1])),
    )
    start, end, decom, dec = (pl.col(c) for c in ("start", "end", "decom", "dec"))
    by_episode = (
        periods.join(episodes, on="child")
        .group_by("__missing_row")
        .agg(
            ((start >= decom) & ((start <= dec) | dec.is_null()))
            .fill_null(False)
            .any()
            .alias(IN_EPISODE),
            ((start >= decom) & (start <= dec) & end.is_null())
            .fill_null(False)
            .any()
            .alias(OPEN_IN_ENDED),
        )
    )
    care_start, care_end = pl.col("care_start"), pl.col("care_end")
    outside_start = (start < care_start) | ((start > care_end) & care_end.is_not_null())
    outside_period = start.is_not_null() & (
        (end.is_null() & care_end.is_not_null())
        | (end.is_null() & (start < care_start))
        | (end > care_end)
        | (end < care_start)
    )
    by_period = (
        periods.join(_periods_of_care(episodes), on="child")
        .group_by("__missing_row")
        .agg(
            outside_start.fill_null(False).all().alias(OUTSIDE_CARE_START),
            outside_period.fill_null(False).all().alias(OUTSIDE_CARE_PERIOD),
        )
    )
    rows = periods.select("__missing_row")
    facts = rows.join(by_episode, on="__missing_row", how="left", maintain_order="left").join(
        by_period, on="__missing_row", how="left", maintain_order="left"
    )
    return frame.with_columns(facts.drop("__missing_row"))


ROW_FACTS.setdefault("Missing", []).append(missing_against_care)
ROW_FACTS.setdefault("DoLo", []).append(dolo_against_care)


@rule(
    "575",
    "Missing",
    "MIS_END",
    WARNING,
    "If the placement from which the child goes missing/away from placement without "
    "authorisation ends, the missing/away from placement without authorisation period in "
    "the missing module must also have an end date.",
    needs=(OPEN_IN_ENDED,),
)
def open_after_placement_ended(context: RuleContext) -> pl.Expr:
    return pl.col(OPEN_IN_ENDED).fill_null(False)


@rule(
    "577",
    "Missing",
    "MIS_END",
    WARNING,
    "Child ceased to be looked after but there is a missing/away from placement without "
    "authorisation period without an end date.",
    needs=(OUTSIDE_CARE_PERIOD,),
)
def open_after_care_ended(context: RuleContext) -> pl.Expr:
    return pl.col(OUTSIDE_CARE_PERIOD).fill_null(False)


@rule(
    "578",
    "Missing",
    "MIS_START",
    WARNING,
    "The date that the child started to be missing is after the child ceased to be looked after.",
    needs=(OUTSIDE_CARE_START,),
)
def missing_after_care(context: RuleContext) -> pl.Expr:
    return pl.col(OUTSIDE_CARE_START).fill_null(False)


@rule(
    "581",
    "Missing",
    "MIS_START",
    WARNING,
    "Child is missing but has not yet started to be looked after.",
    needs=(IN_EPISODE,),
)
def missing_before_care(context: RuleContext) -> pl.Expr:
    return pl.col(IN_EPISODE).is_not_null() & ~pl.col(IN_EPISODE)


@rule(
    "707",
    "DoLo",
    "DOLO_END",
    WARNING,
    "Child ceased to be looked after but there is a DoLO without an end date.",
    needs=(OUTSIDE_CARE_PERIOD,),
)
def dolo_open_after_care_ended(context: RuleContext) -> pl.Expr:
    return pl.col(OUTSIDE_CARE_PERIOD).fill_null(False)
