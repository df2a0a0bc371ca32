"""Small 903 tables built in memory and run through maca's checks, for the rule tests: each
table is a list of rows (dicts of column to text), any column not given is blank. Every value
is fictional."""

from __future__ import annotations

import polars as pl

from maca.sampling import parse, tables
from maca.sampling.ingest import ROW, RawTable
from maca.sampling.problems import Problem, problems_from_frame
from maca.sampling.rules.context import child_facts
from maca.sampling.validate import validate_table

Rows = list[dict[str, str | None]]


def raw_table(name: str, rows: Rows, year: int, *, xml: bool = False) -> RawTable:
    spec = tables.BY_NAME[name]
    columns = list(spec.columns) + [
        column for column in spec.optional_columns if any(column in row for row in rows)
    ]
    frame = pl.DataFrame(
        [{column: row.get(column) for column in columns} for row in rows],
        schema={column: pl.String for column in columns},
        orient="row",
    ).with_row_index(ROW, offset=2)
    frame = parse.with_converted(frame, spec, columns, year=year)
    return RawTable(spec, year, f"{name}.csv", frame, "line" if xml else "row")


def run_checks(
    given: dict[str, Rows], year: int = 2024, *, xml: bool = False, rule: str | None = None
) -> list[Problem]:
    """Every problem maca finds in the tables (or only `rule`'s), table by table. A table
    named with "_last" ("Header_last") is the year before's."""
    raws = [
        raw_table(name.removesuffix("_last"), rows, year - name.endswith("_last"), xml=xml)
        for name, rows in given.items()
    ]
    ids = pl.concat([raw.frame["CHILD"] for raw in raws]).drop_nulls().unique(maintain_order=True)
    numbers = [
        raw.frame["CHILD"].replace_strict(ids, pl.int_range(ids.len(), eager=True), default=None)
        for raw in raws
    ]
    numbers = [series.cast(pl.UInt32) for series in numbers]
    facts = child_facts(
        [
            (raw.spec.name, raw.year, raw.frame, number)
            for raw, number in zip(raws, numbers, strict=True)
        ],
        ids.len(),
    )
    found: list[Problem] = []
    for raw, number in zip(raws, numbers, strict=True):
        _frame, problems = validate_table(raw, number, facts.get(raw.year))
        found += problems_from_frame(problems.drop("child_idx"))
    return [problem for problem in found if rule is None or problem.rule == rule]
