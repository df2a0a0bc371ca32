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


# Each code's rule, on the first table it was registered for: the table its problems are
# shown against, or the first of them for a rule the validator checks on two tables ("191"
# on OC2 and Episodes).
RULES: dict[str, Rule] = {}
# Every rule on every table it checks.
ALL_RULES: list[Rule] = []


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
    """Register the decorated function as rule `code` on `table` (a code may be registered
    once for each table it checks)."""

    def register(function: RuleFunction) -> RuleFunction:
        if table in tables_of(code):
            raise ValueError(f"rule {code} is registered twice for {table}")
        made = Rule(code, table, column, severity, message, function, needs, years_from)
        RULES.setdefault(code, made)
        ALL_RULES.append(made)
        return function

    return register


def tables_of(code: str) -> set[str]:
    """The tables whose rows rule `code` checks."""
    return {item.table for item in ALL_RULES if item.code == code}


def rules_for(table: str, present: set[str], year: int) -> list[Rule]:
    return [
        item
        for item in ALL_RULES
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
