"""What is wrong with an extract, said so a person can find and fix it: file, row, column,
value and the rule broken."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from maca.core.errors import Refused

FATAL = "fatal"  # the import stops and nothing is stored
ERROR = "error"  # the row (and its child) is left out, or the import refused
WARNING = "warning"  # reported; the row is kept

PROBLEM_SCHEMA: dict[str, Any] = {
    "severity": pl.String,
    "file": pl.String,
    "row": pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "rule": pl.String,
    "message": pl.String,
    "table": pl.String,
    "year": pl.Int32,
    "row_label": pl.String,
}


@dataclass(frozen=True)
class Problem:
    severity: str
    file: str
    rule: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    table: str = ""
    year: int | None = None
    row_label: str = "row"

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"{self.row_label} {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def describe(self) -> str:
        return f"{self.where()}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Check:
    """A check on every row of a table at once."""

    rule: str
    column: str
    severity: str
    failed: pl.Expr  # true where the row breaks the rule
    message: pl.Expr  # text for a failing row
    # Columns the message needs that must be worked out over the whole table (the first row of
    # a duplicate), added before the failing rows are picked out.
    context: dict[str, pl.Expr] = field(default_factory=dict)


class ExtractError(Refused):
    """Fatal problems: the extract cannot be used and nothing of it is kept; `problems` says
    where (file, row, column) and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(problem.describe() for problem in problems[:5]))


def shape_of(value: str) -> str:
    """A value's shape without its content: digits become 9 and letters A, so a problem with a
    date of birth or a CHILD id can be shown ("99-99-9999") without disclosing it."""
    return re.sub(r"[A-Za-z]", "A", re.sub(r"[0-9]", "9", value))[:20]


def problems_from_frame(frame: pl.DataFrame) -> list[Problem]:
    return [Problem(**row) for row in frame.iter_rows(named=True)]
