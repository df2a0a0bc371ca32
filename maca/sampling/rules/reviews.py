"""Review participation codes against the child's age at the review: PN0 is for a child
under 4, PN1 to PN7 for one of 4 or over."""

from __future__ import annotations

import polars as pl

from maca.sampling.parse import date_col
from maca.sampling.problems import WARNING
from maca.sampling.rules.context import RuleContext, birthday, date, is_code
from maca.sampling.rules.registry import rule


def _fourth_birthday() -> pl.Expr:
    return birthday(date_col("DOB"), 4)


@rule(
    "440",
    "Reviews",
    "REVIEW_CODE",
    WARNING,
    "Participation method indicates child was under 4 years old at the time of the review, "
    "but date of birth and review date indicates the child was 4 years old or over.",
)
def under_four_code_for_older_child(context: RuleContext) -> pl.Expr:
    return is_code("Reviews", "REVIEW_CODE", {"PN0"}) & (date("REVIEW") > _fourth_birthday())


@rule(
    "441",
    "Reviews",
    "REVIEW_CODE",
    WARNING,
    "Participation method indicates child was 4 years old or over at the time of the review, "
    "but the date of birth and review date indicates the child was under 4 years old.",
)
def older_code_for_under_four(context: RuleContext) -> pl.Expr:
    older_codes = {f"PN{n}" for n in range(1, 8)}
    return is_code("Reviews", "REVIEW_CODE", older_codes) & (date("REVIEW") < _fourth_birthday())
