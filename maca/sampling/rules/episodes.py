"""Episodes that follow one another: open or overlapping episodes, how an episode ends, the
reason a new one starts, and dates after the collection year."""

from __future__ import annotations

import polars as pl

from maca.sampling import codes
from maca.sampling.parse import code_col, date_col
from maca.sampling.problems import ERROR, WARNING
from maca.sampling.rules.context import (
    RuleContext,
    date,
    is_code,
    near,
    same_as_previous,
    same_child,
)
from maca.sampling.rules.registry import rule

# Reasons an episode ceased that end the period of care (every REC but X1).
CARE_ENDS = frozenset(codes.REC) - {"X1"}
CONTINUATION_RNE = ("P", "L", "T", "U", "B")


def _has_next() -> pl.Expr:
    return same_child("next") & near(date_col("DECOM"), "next").is_not_null()


def _same(column: str) -> pl.Expr:
    """Equal to the row before, two blanks being the same: worked out once, beside the row's
    neighbours (`context.SAME_AS_PREVIOUS`), for all the rules that compare."""
    return same_as_previous(column)


def _equal(column: str) -> pl.Expr:
    """Equal to the row before, a blank being equal to nothing (as pandas compares)."""
    return _same(column) & pl.col(column).is_not_null()


def _differs(column: str) -> pl.Expr:
    return ~_equal(column)


@rule(
    "142",
    "Episodes",
    "DEC",
    ERROR,
    "A new episode has started, but the previous episode has not ended.",
)
def open_before_next(context: RuleContext) -> pl.Expr:
    return _has_next() & (pl.col("DEC").is_null() | pl.col("REC").is_null())


@rule(
    "501",
    "Episodes",
    "DECOM",
    ERROR,
    "A new episode has started before the end date of the previous episode.",
)
def overlaps_previous(context: RuleContext) -> pl.Expr:
    return same_child() & (date("DECOM") < near(date_col("DEC")))


@rule(
    "148",
    "Episodes",
    "REC",
    ERROR,
    "Date episode ceased and reason episode ceased must both be coded, or both left blank.",
)
def end_date_and_reason(context: RuleContext) -> pl.Expr:
    return pl.col("DEC").is_null() != pl.col("REC").is_null()


@rule(
    "354",
    "Episodes",
    "DECOM",
    ERROR,
    "Date episode ceased must be on or before the end of the current collection year.",
)
def starts_after_year(context: RuleContext) -> pl.Expr:
    return date("DECOM") > context.collection_end


@rule(
    "385",
    "Episodes",
    "DEC",
    ERROR,
    "Date episode ceased must be on or before the end of the current collection year.",
)
def ends_after_year(context: RuleContext) -> pl.Expr:
    return date("DEC") > context.collection_end


@rule(
    "357",
    "Episodes",
    "RNE",
    WARNING,
    "If this is the first episode ever for this child, reason for new episode must be S. "
    "Check whether there is an episode immediately preceding this one, which has been left "
    "out. If not the reason for new episode code must be amended to S.",
)
def first_episode_starts_care(context: RuleContext) -> pl.Expr:
    # Episodes without a start sort first; the first with one is the child's first episode.
    earlier = same_child() & near(date_col("DECOM")).is_not_null()
    first = ~earlier & date("DECOM").is_not_null()
    return first & (date("DECOM") >= context.collection_start) & ~is_code("Episodes", "RNE", {"S"})


@rule(
    "431",
    "Episodes",
    "RNE",
    WARNING,
    "The reason for new episode is started to be looked after, but the previous episode "
    "ended on the same day.",
)
def starts_care_on_previous_end(context: RuleContext) -> pl.Expr:
    return (
        same_child() & is_code("Episodes", "RNE", {"S"}) & (date("DECOM") <= near(date_col("DEC")))
    )


@rule(
    "432",
    "Episodes",
    "RNE",
    WARNING,
    "The child ceased to be looked after at the end of the previous episode but the reason "
    "for the new episode is not started to be looked after.",
)
def care_ended_but_not_restarted(context: RuleContext) -> pl.Expr:
    ended = near("REC").is_in(sorted(CARE_ENDS)).fill_null(False)
    return same_child() & ended & ~is_code("Episodes", "RNE", {"S"})


@rule(
    "433",
    "Episodes",
    "DECOM",
    WARNING,
    "The reason for new episode suggests that this is a continuation episode, but the episode "
    "does not start on the same day as the last episode finished.",
)
def continuation_not_on_previous_end(context: RuleContext) -> pl.Expr:
    mismatch = (date("DECOM") != near(date_col("DEC"))).fill_null(True)
    return same_child() & is_code("Episodes", "RNE", CONTINUATION_RNE) & mismatch


# What says the placement changed, compared as given.
_PLACEMENT = ("PLACE", "PL_POST", "URN", "PLACE_PROVIDER")


def _placement_changed() -> pl.Expr:
    """Whether any of `_PLACEMENT` differs from the row before, two blanks being the same."""
    return ~pl.all_horizontal([_same(c) for c in _PLACEMENT])


@rule(
    "434",
    "Episodes",
    "RNE",
    WARNING,
    "Reason for new episode is that child's legal status has changed but not the placement, "
    "but this is not reflected in the episode data.",
)
def legal_status_only(context: RuleContext) -> pl.Expr:
    return same_child() & is_code("Episodes", "RNE", {"L"}) & (_equal("LS") | _placement_changed())


@rule(
    "435",
    "Episodes",
    "RNE",
    WARNING,
    "Reason for new episode is that child’s placement has changed but not the legal status, "
    "but this is not reflected in the episode data recorded.",
)
def placement_only(context: RuleContext) -> pl.Expr:
    unchanged = pl.all_horizontal([_equal(c) for c in _PLACEMENT])
    changed_ls = _differs("LS")
    return same_child() & is_code("Episodes", "RNE", {"P", "T"}) & (changed_ls | unchanged)


@rule(
    "436",
    "Episodes",
    "RNE",
    WARNING,
    "Reason for new episode is that both child’s placement and legal status have changed, but "
    "this is not reflected in the episode data.",
)
def placement_and_legal_status(context: RuleContext) -> pl.Expr:
    # Here two blanks are equal: the validator fills them with "*" before comparing.
    ls_same = _same("LS")
    unchanged = ~_placement_changed()
    return same_child() & is_code("Episodes", "RNE", {"U", "B"}) & (ls_same | unchanged)


@rule(
    "388",
    "Episodes",
    "REC",
    WARNING,
    "Reason episode ceased is coded new episode begins, but there is no continuation episode.",
)
def x1_without_continuation(context: RuleContext) -> pl.Expr:
    x1 = is_code("Episodes", "REC", {"X1"})
    ended = date("DEC").is_not_null()
    next_start = near(date_col("DECOM"), "next")
    gap = _has_next() & ended & x1 & (date("DEC") != next_start)
    same_day = (
        _has_next()
        & ended
        & ~x1
        & pl.col(code_col("REC")).is_not_null()
        & (date("DEC") == next_start)
    )
    return gap | same_day | (~_has_next() & ended & x1)
