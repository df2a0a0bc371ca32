"""The same child described the same way: between this year's Header and last year's (sex,
date of birth, ethnicity), between the Header and the UASC table, and once only in the OC2
and UASC tables."""

from __future__ import annotations

import polars as pl

from maca.sampling.parse import date_col
from maca.sampling.problems import WARNING
from maca.sampling.rules.context import (
    HEADER_DOB,
    HEADER_SEX,
    IN_LAST_HEADER,
    LAST_DOB,
    LAST_ETHNIC,
    LAST_SEX,
    RuleContext,
)
from maca.sampling.rules.registry import rule


def _differs_from_last(column: pl.Expr, last: str) -> pl.Expr:
    """In both years' Headers, and different (a blank differs from a value, as pandas'
    text comparison says, and two blanks do not)."""
    return pl.col(IN_LAST_HEADER) & ~column.eq_missing(pl.col(last))


@rule(
    "202",
    "Header",
    "SEX",
    WARNING,
    "The gender code conflicts with the gender already recorded for this child.",
    needs=(IN_LAST_HEADER,),
)
def sex_differs_from_last_year(context: RuleContext) -> pl.Expr:
    return _differs_from_last(pl.col("SEX").cast(pl.String), LAST_SEX)


@rule(
    "203",
    "Header",
    "DOB",
    WARNING,
    "Date of birth disagrees with the date of birth already recorded for this child.",
    needs=(IN_LAST_HEADER,),
)
def dob_differs_from_last_year(context: RuleContext) -> pl.Expr:
    return _differs_from_last(pl.col(date_col("DOB")), LAST_DOB)


@rule(
    "204",
    "Header",
    "ETHNIC",
    WARNING,
    "Ethnic origin code disagrees with the ethnic origin already recorded for this child.",
    needs=(IN_LAST_HEADER,),
)
def ethnicity_differs_from_last_year(context: RuleContext) -> pl.Expr:
    ethnic = pl.col("ETHNIC").cast(pl.String).str.to_uppercase()
    return pl.col(IN_LAST_HEADER) & ~ethnic.eq_missing(pl.col(LAST_ETHNIC).str.to_uppercase())


def _differs_from_header(column: str, header: str) -> pl.Expr:
    value = pl.col(column).cast(pl.String)
    both = value.is_not_null() & pl.col(header).is_not_null()
    return both & (value != pl.col(header))


@rule(
    "INT18",
    "UASC",
    "DOB",
    WARNING,
    "Internal Check: DOB in UASC is different to DOB in Header.",
    needs=(HEADER_DOB,),
)
def uasc_dob_differs(context: RuleContext) -> pl.Expr:
    return _differs_from_header("DOB", HEADER_DOB)


@rule(
    "INT21",
    "UASC",
    "SEX",
    WARNING,
    "Internal Check: SEX in UASC is different to SEX in Header.",
    needs=(HEADER_SEX,),
)
def uasc_sex_differs(context: RuleContext) -> pl.Expr:
    return _differs_from_header("SEX", HEADER_SEX)


@rule("INT33", "OC2", "CHILD", WARNING, "Internal Check: Child should only exist once in OC2.")
def twice_in_oc2(context: RuleContext) -> pl.Expr:
    return pl.col("CHILD").is_not_null() & pl.col("CHILD").is_duplicated()


@rule("INT36", "UASC", "CHILD", WARNING, "Internal Check: Child should only exist once in UASC.")
def twice_in_uasc(context: RuleContext) -> pl.Expr:
    return pl.col("CHILD").is_not_null() & pl.col("CHILD").is_duplicated()
