"""OC2 (children looked after 12 months or more at 31 March): which fields apply at the
child's age, and what must come with them."""

from __future__ import annotations

import polars as pl

from maca.sampling.problems import WARNING
from maca.sampling.rules.context import RuleContext, date
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
