"""Unaccompanied asylum-seeking children: the Header's UASC flag and the date UASC status
ceased (DUC)."""

from __future__ import annotations

import polars as pl

from maca.sampling.parse import date_col
from maca.sampling.problems import WARNING
from maca.sampling.rules.context import HEADER_UASC, RuleContext, birthday, date
from maca.sampling.rules.registry import rule


@rule(
    "105",
    "Header",
    "UASC",
    WARNING,
    "Data entry for Unaccompanied Asylum-Seeking Children (UASC) status of child is invalid "
    "or has not been completed.",
    needs=("UASC",),
)
def uasc_flag_invalid(context: RuleContext) -> pl.Expr:
    # The validator checks the flag only in an XML return, where every child has one.
    if not context.from_xml:
        return pl.lit(False)
    return ~pl.col("UASC").is_in(["0", "1"]).fill_null(False)


@rule(
    "303",
    "UASC",
    "DUC",
    WARNING,
    "If date Unaccompanied Asylum-Seeking Child (UASC) status ceased is not null, UASC status "
    "must be coded 1.",
    needs=(HEADER_UASC,),
)
def ceased_but_not_flagged(context: RuleContext) -> pl.Expr:
    flagged = (pl.col(HEADER_UASC) == "1").fill_null(False)
    return pl.col("DUC").is_not_null() & ~flagged


@rule(
    "304",
    "UASC",
    "DUC",
    WARNING,
    "Date unaccompanied asylum-seeking child (UASC) status ceased must be on or before the "
    "18th birthday of a child.",
)
def ceased_after_18(context: RuleContext) -> pl.Expr:
    return date("DUC") > birthday(date_col("DOB"), 18)
