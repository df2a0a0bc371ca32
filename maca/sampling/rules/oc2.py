"""OC2 (children looked after 12 months or more at 31 March): which fields apply at the
child's age, and what must come with them; and a child so looked after who has no OC2 row, or
has care leaver (OC3) or adoption (AD1) fields completed."""

from __future__ import annotations

import polars as pl

from maca.sampling.parse import date_col
from maca.sampling.problems import WARNING
from maca.sampling.rules.context import (
    IN_OC2,
    LOOKED_AFTER_12_MONTHS,
    RuleContext,
    birthday,
    date,
    near,
    same_child,
)
from maca.sampling.rules.registry import rule

_HEALTH = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")


def _birthday(years: int) -> pl.Expr:
    return birthday(date_col("DOB"), years)


def _health_incomplete() -> pl.Expr:
    return pl.any_horizontal([pl.col(column).is_null() for column in _HEALTH])


def _sdq_given() -> pl.Expr:
    return pl.col("SDQ_SCORE").is_not_null() | pl.col("SDQ_REASON").is_not_null()


@rule(
    "188",
    "OC2",
    "SDQ_SCORE",
    WARNING,
    "Child is aged under 4 years at the end of the year, but a Strengths and Difficulties "
    "(SDQ) score or a reason for no SDQ score has been completed. ",
)
def sdq_under_four(context: RuleContext) -> pl.Expr:
    return (_birthday(4) > context.collection_end) & _sdq_given()


@rule(
    "189",
    "OC2",
    "SDQ_SCORE",
    WARNING,
    "Child is aged 17 years or over at the beginning of the year, but an Strengths and "
    "Difficulties (SDQ) score or a reason for no Strengths and Difficulties (SDQ) score has "
    "been completed.",
)
def sdq_seventeen_or_over(context: RuleContext) -> pl.Expr:
    return (_birthday(17) < context.collection_start) & _sdq_given()


@rule(
    "542",
    "OC2",
    "CONVICTED",
    WARNING,
    "A child aged under 10 at 31 March should not have conviction information completed.",
)
def conviction_under_ten(context: RuleContext) -> pl.Expr:
    return (_birthday(10) > context.collection_end) & pl.col("CONVICTED").is_not_null()


@rule(
    "544",
    "OC2",
    "CONVICTED",
    WARNING,
    "Any child who has conviction information completed must also have immunisation, teeth "
    "check, health assessment and substance misuse problem identified fields completed.",
)
def conviction_without_health(context: RuleContext) -> pl.Expr:
    return (pl.col("CONVICTED") == "1").fill_null(False) & _health_incomplete()


@rule(
    "547",
    "OC2",
    "HEALTH_CHECK",
    WARNING,
    "Any child who has health promotion information completed must also have immunisation, "
    "teeth check, health assessment and substance misuse problem identified fields completed.",
)
def health_check_without_health(context: RuleContext) -> pl.Expr:
    return (pl.col("HEALTH_CHECK") == "1").fill_null(False) & _health_incomplete()


def _looked_after() -> pl.Expr:
    return pl.col(LOOKED_AFTER_12_MONTHS).fill_null(False)


_NEEDS = (LOOKED_AFTER_12_MONTHS,)
_OUTCOMES = (
    "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED",
)  # fmt: skip


@rule(
    "185",
    "OC2",
    "SDQ_SCORE",
    WARNING,
    "Child has not been looked after continuously for at least 12 months at 31 March but a "
    "Strengths and Difficulties (SDQ) score has been completed.",
    needs=_NEEDS,
)
def sdq_not_looked_after(context: RuleContext) -> pl.Expr:
    return pl.col("SDQ_SCORE").is_not_null() & ~_looked_after()


@rule(
    "186",
    "OC2",
    "SDQ_SCORE",
    WARNING,
    "Children aged 4 or over at the start of the year and children aged under 17 at the end of "
    "the year and who have been looked after for at least 12 months continuously should have a "
    "Strengths and Difficulties (SDQ) score completed.",
    needs=_NEEDS,
)
def sdq_missing(context: RuleContext) -> pl.Expr:
    in_age = (_birthday(4) <= context.collection_start) & (_birthday(17) > context.collection_end)
    return in_age & _looked_after() & ~_sdq_given()


@rule(
    "190",
    "OC2",
    "CONVICTED",
    WARNING,
    "Child has not been looked after continuously for at least 12 months at 31 March but one "
    "or more data items relating to children looked after for 12 months have been completed.",
    needs=_NEEDS,
)
def outcomes_not_looked_after(context: RuleContext) -> pl.Expr:
    given = pl.any_horizontal([pl.col(column).is_not_null() for column in _OUTCOMES])
    return ~_looked_after() & given


@rule(
    "191",
    "OC2",
    "IMMUNISATIONS",
    WARNING,
    "Child has been looked after continuously for at least 12 months at 31 March but one or "
    "more data items relating to children looked after for 12 months have been left blank.",
    needs=_NEEDS,
)
def outcomes_missing(context: RuleContext) -> pl.Expr:
    return _looked_after() & _health_incomplete()


@rule(
    "191",
    "Episodes",
    "CHILD",
    WARNING,
    "Child has been looked after continuously for at least 12 months at 31 March but one or "
    "more data items relating to children looked after for 12 months have been left blank.",
    needs=(IN_OC2,),
)
def looked_after_without_outcomes(context: RuleContext) -> pl.Expr:
    # Shown on the child's first episode (the earliest start; episodes without one sort
    # first), as the validator shows it.
    earlier = same_child() & near(date_col("DECOM")).is_not_null()
    first = ~earlier & date("DECOM").is_not_null()
    return first & _looked_after() & ~pl.col(IN_OC2).fill_null(False)


_CARE_LEAVER = ("IN_TOUCH", "ACTIV", "ACCOM")
_ADOPTION = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
_MESSAGE_187 = (
    "Child cannot be looked after continuously for 12 months at 31 March (OC2) and have any "
    "of adoption or care leavers returns completed."
)


def _completed(columns: tuple[str, ...]) -> pl.Expr:
    return pl.any_horizontal([pl.col(column).is_not_null() for column in columns])


@rule("187", "OC3", "IN_TOUCH", WARNING, _MESSAGE_187, needs=_NEEDS)
def care_leaver_looked_after(context: RuleContext) -> pl.Expr:
    return _looked_after() & _completed(_CARE_LEAVER)


@rule("187", "AD1", "DATE_INT", WARNING, _MESSAGE_187, needs=_NEEDS)
def adopted_looked_after(context: RuleContext) -> pl.Expr:
    return _looked_after() & _completed(_ADOPTION)


@rule(
    "543",
    "OC2",
    "CONVICTED",
    WARNING,
    "Child is aged 10 or over at 31 March and has been looked after continuously for 12 months "
    "yet conviction information has not been completed.",
    needs=_NEEDS,
)
def conviction_missing(context: RuleContext) -> pl.Expr:
    over_ten = context.collection_end > _birthday(10)
    return over_ten & _looked_after() & pl.col("CONVICTED").is_null()


@rule(
    "545",
    "OC2",
    "HEALTH_CHECK",
    WARNING,
    "Child is aged under 5 at 31 March and has been looked after continuously for 12 months "
    "yet health promotion information has not been completed.",
    needs=_NEEDS,
)
def health_check_missing(context: RuleContext) -> pl.Expr:
    under_five = context.collection_end < _birthday(5)
    return under_five & _looked_after() & pl.col("HEALTH_CHECK").is_null()


@rule(
    "546",
    "OC2",
    "HEALTH_CHECK",
    WARNING,
    "Children aged 5 or over at 31 March should not have health promotion information completed.",
    needs=_NEEDS,
)
def health_check_five_or_over(context: RuleContext) -> pl.Expr:
    five_or_over = context.collection_end >= _birthday(5)
    return five_or_over & _looked_after() & pl.col("HEALTH_CHECK").is_not_null()
