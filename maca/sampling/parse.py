"""How each 903 value is turned from text into what maca checks and keeps: dates read from
DD/MM/YYYY, codes converted to enums of that column's code list, and a few numbers.

These conversions are made while a file is read (`ingest.read_extract`), in the same query as
the CSV parse, so a column is parsed and converted in one pass and every file is read at once.
A value that does not convert becomes null beside its text, which is kept: comparing the two
says which rows have a problem (`validate.py`). A file is first read with its code columns
parsed straight into their enums (`read_dtypes`), which costs less still; one value not on the
list stops that reading, and the file is read again as text.
"""

from __future__ import annotations

import datetime as dt
import uuid
from functools import cache

import polars as pl

from maca.sampling.tables import TableSpec

DATE_FORMAT = "%d/%m/%Y"
_YEARS = range(2010, 2036)

# The dates a 903 return can plausibly hold, relative to its collection year Y (1 April Y-1 to
# 31 March Y). The oldest people in a return are care leavers (OC3 follows them to 21, and
# leaving-care support runs to 25), so no date of birth, nor anything that happened to a
# child, is before 1 January Y-30: a floor with room to spare that moves with the year, where
# a fixed year would let 1980 through in a 2035 return. Nobody in the return is born after
# the year ends. Other dates may run a year past it: a return is often made, and corrected,
# months later. DUC (when a child stopped being an unaccompanied asylum seeker) is often the
# 18th birthday, which can be up to 18 years after the year ends.
_YEARS_BEFORE = 30
_DATE_OF_BIRTH = frozenset({"DOB", "MC_DOB"})
_YEARS_AFTER = {"DUC": 18}


def plausible_dates(column: str, year: int) -> tuple[dt.date, dt.date]:
    """The first and last date `column` can plausibly hold in the return for `year`."""
    after = 0 if column in _DATE_OF_BIRTH else _YEARS_AFTER.get(column, 1)
    return dt.date(year - _YEARS_BEFORE, 1, 1), dt.date(year + after, 3, 31)


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
# permanence order's LA is not checked; the URN is, by rules 434 to 436). A CSV file's are
# not loaded into memory,
# though the parser still goes through every byte, so the file's encoding and the shape of
# every line are checked as before. A check, or a kept column, that needs one of these must
# take it off this list.
NOT_USED: dict[str, frozenset[str]] = {
    "Episodes": frozenset({"HOME_POST"}),
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


# Every day from 1900 to 2099 written as DD/MM/YYYY, to check dates against (`parse_date`).
# Wider than any plausible 903 date (`validate.plausible_dates`), so a date outside it is
# reported by that check.
_CANONICAL_FIRST = dt.date(1900, 1, 1)
_CANONICAL_LAST = dt.date(2099, 12, 31)
_DAY_ZERO = dt.date(1970, 1, 1)  # day 0 of polars' dates


@cache
def _canonical_dates() -> pl.Series:
    days = pl.date_range(_CANONICAL_FIRST, _CANONICAL_LAST, "1d", eager=True)
    return days.dt.strftime(DATE_FORMAT)


@cache
def _days_written(first: dt.date, last: dt.date) -> pl.Enum:
    """An enum of every day from `first` to `last` written as DD/MM/YYYY, in date order, so
    a day's number in it is its distance from `first`."""
    days = pl.date_range(first, last, "1d", eager=True)
    return pl.Enum(days.dt.strftime(DATE_FORMAT))


@cache
def plausible_date(column: str, year: int) -> pl.Expr:
    """The date `column` stands for if it is exactly a plausible date (`plausible_dates`)
    written as DD/MM/YYYY, else null.

    Each value is looked up among the plausible days written out (some 11,000 of them), which
    is exact by construction and costs about half what parsing and checking it does
    (`parse_date`, `exact_date`) on the millions of dates of a national extract. A value not
    found may still be a date, implausible or loosely written: `validate.prepare` converts
    such a column again with `parse_date` and `exact_date`, to tell which.

    Kept once made: polars copies the enum's days into every expression that casts to it,
    which takes longer than building the rest of a file's reading."""
    first, last = plausible_dates(column, year)
    number = pl.col(column).cast(_days_written(first, last), strict=False).to_physical()
    return (number.cast(pl.Int32) + (first - _DAY_ZERO).days).cast(pl.Date)


def parse_date(column: str) -> pl.Expr:
    """The date `column` stands for if read as DD/MM/YYYY, leniently: polars' parser also
    takes " 1/ 2/2020" or "01/02/+202". `exact_date` then keeps only the exact ones. No
    cache: parsing a fixed format costs less than looking each value up in a table of those
    seen."""
    return pl.col(column).str.to_date(DATE_FORMAT, strict=False, cache=False)


def exact_date(column: str) -> pl.Expr:
    """The parsed date (`parse_date`, already in `date_col(column)`) where the value is exactly
    that date written as DD/MM/YYYY, else null.

    The date is written back by looking it up in a table of every day, not by formatting it,
    and compared with the value: comparing short strings costs a fraction of what a regular
    expression does on the million dates of a national extract. A date outside the table is
    kept, for the plausible-range check (`validate.py`) to report, which tells a well-formed
    but implausible date (01/02/1850) from a malformed one."""
    parsed = pl.col(date_col(column))
    table = _canonical_dates()
    day = parsed.cast(pl.Int32) - (_CANONICAL_FIRST - _DAY_ZERO).days
    written = pl.lit(table).gather(day.clip(0, table.len() - 1))
    exact = (pl.col(column) == written) | (day < 0) | (day >= table.len())
    return pl.when(exact).then(parsed).alias(date_col(column))


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
    it should stop the reading: each code column as its enum, and the `CATEGORICAL` ones,
    each with categories of its own (`own_categories`)."""
    dtypes: dict[str, pl.DataType] = {}
    for column in columns:
        if column in spec.code_lists:
            dtypes[column] = code_enum(spec.name, column)
        elif (spec.name, column) in CATEGORICAL:
            dtypes[column] = pl.Categorical(own_categories())
    return dtypes


def own_categories() -> pl.Categories:
    """Categories for one column of one file. Polars frees them with the last column that
    uses them."""
    return pl.Categories(f"maca-903-{uuid.uuid4().hex}")


def categorical_values(column: pl.Series) -> tuple[pl.Series, pl.Series]:
    """The number (physical value) and text of each value a categorical `column` may hold.
    For a column with categories of its own (`own_categories`), its categories; for one in
    polars' shared categories, its distinct values."""
    categories = column.dtype.categories  # type: ignore[attr-defined]
    if categories.is_global():
        distinct = column.unique().drop_nulls()
        return distinct.to_physical().cast(pl.UInt32), distinct.cast(pl.String)
    text = categories.to_series()
    numbers = pl.int_range(text.len(), dtype=pl.UInt32, eager=True)
    # A number can be reserved and left without text while several queries fill the
    # categories at once.
    known = text.is_not_null()
    return numbers.filter(known), text.filter(known)


def chunked_like(values: pl.Series, like: pl.Series) -> pl.Series:
    """`values` (one per row of `like`) cut into pieces as long as `like`'s. A column cut
    differently from the others of its table would have the whole table copied to line them
    up whenever rows are picked out; a file is read in many pieces."""
    if like.n_chunks() <= 1:
        return values.rechunk()
    pieces = []
    offset = 0
    for chunk in like.get_chunks():
        pieces.append(values.slice(offset, chunk.len()).rechunk())
        offset += chunk.len()
    return pl.concat(pieces, rechunk=False)


def with_converted[Frame: (pl.DataFrame, pl.LazyFrame)](
    frame: Frame,
    spec: TableSpec,
    columns: list[str] | set[str],
    *,
    year: int | None,
    as_read: frozenset[str] = frozenset(),
) -> Frame:
    """`frame` with the converted form of each of `columns` that has one. Code columns in
    `as_read` were read straight into their enum (`read_dtypes`): the column itself is its
    converted form.

    With the return's `year`, a date is converted only if it is plausible for that year and
    written exactly (`plausible_date`). Without it, any date is: parsed, then checked
    (`exact_date`) in a second step, so each is parsed once."""
    frame = frame.with_columns(_conversions(spec, columns, as_read, year))
    dates = [column for column in sorted(columns) if column in spec.dates]
    if year is not None or not dates:
        return frame
    return frame.with_columns([exact_date(column) for column in dates])


def _conversions(
    spec: TableSpec, columns: list[str] | set[str], as_read: frozenset[str], year: int | None
) -> list[pl.Expr]:
    exprs: list[pl.Expr] = []
    for column in sorted(columns):
        if column in spec.dates:
            converted = parse_date(column) if year is None else plausible_date(column, year)
            exprs.append(converted.alias(date_col(column)))
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
