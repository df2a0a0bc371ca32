"""Where a child is placed: the placement's LA against its location code and provider, and
the distance from home, which a UASC child does not have."""

from __future__ import annotations

import polars as pl

from maca.sampling import codes
from maca.sampling.parse import num_col
from maca.sampling.problems import WARNING
from maca.sampling.rules.context import UASC_CHILD, RuleContext, is_code
from maca.sampling.rules.registry import rule

# Placements the LA's own provision may make in another LA: adoption and foster care.
_FOSTERING_OR_ADOPTION = ("A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6")


def _not_own_la(context: RuleContext) -> pl.Expr:
    if context.own_la is None:
        return pl.lit(False)
    return (pl.col("PL_LA") != context.own_la).fill_null(True)


@rule(
    "411",
    "Episodes",
    "PL_LOCATION",
    WARNING,
    "Placement location code disagrees with LA of placement.",
    needs=("PL_LOCATION", "PL_LA"),
)
def location_against_la(context: RuleContext) -> pl.Expr:
    return is_code("Episodes", "PL_LOCATION", {"IN"}) & _not_own_la(context)


@rule(
    "1015",
    "Episodes",
    "PL_LA",
    WARNING,
    "Placement provider is own provision but child not placed in own LA.",
    needs=("PL_LA",),
)
def own_provision_elsewhere(context: RuleContext) -> pl.Expr:
    checked = (
        ~is_code("Episodes", "PLACE", _FOSTERING_OR_ADOPTION)
        & ~is_code("Episodes", "LS", codes.SHORT_BREAK_LS)
        & is_code("Episodes", "PLACE_PROVIDER", {"PR1"})
        & pl.col("LS").is_not_null()
        & pl.col("PLACE").is_not_null()
    )
    return checked & _not_own_la(context)


@rule(
    "392a",
    "Episodes",
    "PL_DISTANCE",
    WARNING,
    "Child is looked after but no distance is recorded. [NOTE: This check may result in false "
    "positives for children formerly UASC]",
    needs=("PL_DISTANCE",),
)
def distance_missing(context: RuleContext) -> pl.Expr:
    short_break = is_code("Episodes", "LS", codes.SHORT_BREAK_LS)
    return ~pl.col(UASC_CHILD) & ~short_break & pl.col("PL_DISTANCE").is_null()


@rule(
    "406",
    "Episodes",
    "PL_DISTANCE",
    WARNING,
    "Child is Unaccompanied Asylum-Seeking Child (UASC) or was formerly UASC. Distance should "
    "be blank. [NOTE: This check will result in false negatives for children formerly UASC "
    "not identified as such in loaded data]",
    needs=("PL_DISTANCE",),
)
def distance_for_uasc(context: RuleContext) -> pl.Expr:
    return pl.col(UASC_CHILD) & pl.col("PL_DISTANCE").is_not_null()


@rule(
    "454",
    "Episodes",
    "PL_DISTANCE",
    WARNING,
    "Placement distance from home is over 350 miles. [NOTE: This check will result in false "
    "positives for children formerly UASC not identified as such in loaded data]",
    needs=("PL_DISTANCE",),
    years_from=2026,
)
def distance_over_350(context: RuleContext) -> pl.Expr:
    distance = pl.col(num_col("PL_DISTANCE"))
    return (distance > 350) & (distance != 999.9)
