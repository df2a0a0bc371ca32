"""How each 903 value is turned from text into what maca checks and keeps: dates parsed from
DD/MM/YYYY, codes converted to enums of that column's code list, and a few numbers.

These conversions are made while a file is read (`ingest.read_extract`), in the same query as
the CSV parse, so a column is parsed and converted in one pass and every file is read at once.
A value that does not convert becomes null beside its text, which is kept: comparing the two
says which rows have a problem (`validate.py`). A file is first read with its code columns
parsed straight into their enums (`read_dtypes`), which costs less still; one value not on the
list stops that reading, and the file is read again as text.
"""

from __future__ import annotations

from functools import cache

import polars as pl

from maca.sampling.tables import TableSpec

DATE_FORMAT = "%d/%m/%Y"
_YEARS = range(2010, 2036)

# Columns read as numbers as well as text: a value that is not a number becomes null.
NUMBERS: dict[tuple[str, str], pl.DataType] = {
    ("Episodes", "PL_DISTANCE"): pl.Float64(),
    ("OC2", "SDQ_SCORE"): pl.Int32(),
}

# Text columns read straight into a categorical when a file is read fast: the placement's LA
# is kept as one, and a few hundred values repeated a million times cost less to read that way
# than as text converted afterwards.
CATEGORICAL: frozenset[tuple[str, str]] = frozenset({("Episodes", "PL_LA")})

# Columns no check reads and nothing kept comes from (the home postcode is not kept, and the
# URN and the permanence order's LA are not checked). A CSV file's are not loaded into memory,
# though the parser still goes through every byte, so the file's encoding and the shape of
# every line are checked as before. A check, or a kept column, that needs one of these must
# take it off this list.
NOT_USED: dict[str, frozenset[str]] = {
    "Episodes": frozenset({"HOME_POST", "URN"}),
    "PrevPerm": frozenset({"LA_PERM"}),
}


def date_col(column: str) -> str:
    return f"__date_{column}"


def code_col(column: str) -> str:
    return f"__code_{column}"


def num_col(column: str) -> str:
    return f"__num_{column}"


@cache
def code_enum(table: str, column: str) -> pl.Enum:
    """One enum per code column holding every year's codes, so years can be stacked."""
    from maca.sampling.tables import BY_NAME

    code_list = BY_NAME[table].code_lists[column]
    values: set[str] = set()
    for year in _YEARS:
        values |= code_list(year)
    return pl.Enum(sorted(values))


def parse_date(column: str) -> pl.Expr:
    # DD/MM/YYYY exactly: the length test stops "01/02/20" being read as the year 20. No cache:
    # parsing a fixed format costs less than looking each value up in a table of those seen.
    raw = pl.col(column)
    return (
        pl.when(raw.str.len_bytes() == 10)
        .then(raw.str.to_date(DATE_FORMAT, strict=False, cache=False))
        .otherwise(None)
    )


def converted_name(spec: TableSpec, column: str) -> str | None:
    """The column holding `column` converted, or None if it is kept only as text."""
    if column in spec.dates:
        return date_col(column)
    if column in spec.code_lists:
        return code_col(column)
    if (spec.name, column) in NUMBERS:
        return num_col(column)
    return None


def read_dtypes(spec: TableSpec, columns: list[str]) -> dict[str, pl.DataType]:
    """The dtype to read each of `columns` as straight away, where a value that does not fit
    it should stop the reading: each code column as its enum, and the `CATEGORICAL` ones."""
    dtypes: dict[str, pl.DataType] = {}
    for column in columns:
        if column in spec.code_lists:
            dtypes[column] = code_enum(spec.name, column)
        elif (spec.name, column) in CATEGORICAL:
            dtypes[column] = pl.Categorical()
    return dtypes


def convert(
    spec: TableSpec, columns: list[str] | set[str], *, as_read: frozenset[str] = frozenset()
) -> list[pl.Expr]:
    """The converted form of each of `columns` that has one. Code columns in `as_read` were
    read straight into their enum (`read_dtypes`): the column itself is its converted form."""
    exprs: list[pl.Expr] = []
    for column in sorted(columns):
        if column in spec.dates:
            exprs.append(parse_date(column).alias(date_col(column)))
        elif column in as_read and column in spec.code_lists:
            exprs.append(pl.col(column).alias(code_col(column)))
        elif column in spec.code_lists:
            exprs.append(
                pl.col(column)
                .cast(code_enum(spec.name, column), strict=False)
                .alias(code_col(column))
            )
        elif (spec.name, column) in NUMBERS:
            exprs.append(
                pl.col(column)
                .cast(NUMBERS[(spec.name, column)], strict=False)
                .alias(num_col(column))
            )
    return exprs


def child_date_key(child: str, day: str | None = None) -> pl.Expr:
    """One unsigned integer per (child number, date) that sorts as the pair does: hashing or
    sorting one integer costs far less than two columns. Null if either is null."""
    key = pl.col(child).cast(pl.UInt64) * (1 << 32)
    if day is None:
        return key
    return key + (pl.col(day).cast(pl.Int64) + (1 << 31)).cast(pl.UInt64)
