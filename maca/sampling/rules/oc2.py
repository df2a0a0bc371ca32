"""OC2 (children looked after 12 months or more at 31 March): which fields apply at the
child's age, and what must come with them."""

from __future__ import annotations

import polars as pl

from maca.sampling.problems import WARNING
from maca.sampling.rules.context import LOOKED_AFTER_12_MONTHS, RuleContext, date
from maca.sampling.rules.registry import rule

_HEALTH = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")


def _birthday(years: int) -> pl.Expr:
    return date("DOB").dt.offset_by(f"{years}y")


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
