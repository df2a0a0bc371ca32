"""The rule registry: each rule function registered under its code, and how a table's rules
become checks (`problems.Check`) run with maca's own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from maca.sampling.problems import Check
from maca.sampling.rules.context import RuleContext

RuleFunction = Callable[[RuleContext], pl.Expr]


@dataclass(frozen=True)
class Rule:
    code: str  # the field validator's code: "411", "205A", "INT18"
    table: str  # the table whose rows break it
    column: str  # the column a problem is shown against
    severity: str  # problems.ERROR (the row and its child are left out) or WARNING
    message: str  # the validator's message
    failed: RuleFunction  # true on the rows that break it
    needs: tuple[str, ...] = ()  # columns the table must have for the rule to apply
    years_from: int = 0  # the first collection year the rule applies to


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    table: str,
    column: str,
    severity: str,
    message: str,
    *,
    needs: tuple[str, ...] = (),
    years_from: int = 0,
) -> Callable[[RuleFunction], RuleFunction]:
    """Register the decorated function as rule `code`."""

    def register(function: RuleFunction) -> RuleFunction:
        if code in RULES:
            raise ValueError(f"rule {code} is registered twice")
        RULES[code] = Rule(code, table, column, severity, message, function, needs, years_from)
        return function

    return register


def rules_for(table: str, present: set[str], year: int) -> list[Rule]:
    return [
        item
        for item in RULES.values()
        if item.table == table and year >= item.years_from and set(item.needs) <= present
    ]


def checks_for_rules(context: RuleContext) -> list[Check]:
    """The checks for the rules that apply to the context's table."""
    return [
        Check(
            item.code,
            item.column,
            item.severity,
            item.failed(context),
            pl.lit(f"{item.message} [{item.code}]"),
        )
        for item in rules_for(context.table, context.present, context.year)
    ]
