"""Row-level checks on every table, done column by column with polars, each column touched as
few times as possible: a national extract has a million episode rows, and checking them should
cost about what reading them does.

Codes are checked by converting them to enums (a value not on the list becomes null), dates by
parsing them (a value not in DD/MM/YYYY becomes null), and child ids by numbering them against
the Header. Comparing null counts before and after says whether a column has any problem at
all; only a column that does is looked at row by row. Problems carry the file, the row
(spreadsheet row for CSV, line for XML), the column, the value (only its shape for identifying
columns) and the rule, as `problems.PROBLEM_SCHEMA` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import polars as pl

from maca.sampling import codes
from maca.sampling.ingest import ROW, RawTable
from maca.sampling.problems import ERROR, PROBLEM_SCHEMA, WARNING
from maca.sampling.tables import IDENTIFYING_COLUMNS, TableSpec

DATE_FORMAT = "%d/%m/%Y"
# Tables whose rows for a child missing from the Header are reported but cannot spoil the sample.
_UNKNOWN_CHILD_IS_ERROR = frozenset({"Episodes"})
_YEARS = range(2010, 2036)


def date_col(column: str) -> str:
    return f"__date_{column}"


def code_col(column: str) -> str:
    return f"__code_{column}"


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
    # DD/MM/YYYY exactly: the length test stops "01/02/20" being read as the year 20.
    raw = pl.col(column)
    return (
        pl.when(raw.str.len_bytes() == 10)
        .then(raw.str.to_date(DATE_FORMAT, strict=False))
        .otherwise(None)
    )


@dataclass(frozen=True)
class Check:
    rule: str
    column: str
    severity: str
    failed: pl.Expr  # true where the row breaks the rule
    message: pl.Expr  # text for a failing row


def _value(column: str) -> pl.Expr:
    value = pl.col(column).cast(pl.String)
    if column in IDENTIFYING_COLUMNS:
        masked = value.str.replace_all(r"[0-9]", "9").str.replace_all(r"[A-Za-z]", "A")
        return pl.format("(shape {})", masked.str.slice(0, 20))
    return value.str.slice(0, 40)


def _quoted(column: str) -> pl.Expr:
    return pl.format("'{}'", _value(column))


def _convert(spec: TableSpec, present: set[str], columns: list[str]) -> list[pl.Expr]:
    exprs: list[pl.Expr] = []
    for column in columns:
        if column in spec.dates:
            exprs.append(parse_date(column).alias(date_col(column)))
        elif column in spec.code_lists:
            exprs.append(
                pl.col(column)
                .cast(code_enum(spec.name, column), strict=False)
                .alias(code_col(column))
            )
    return exprs


def _lost(frame: pl.DataFrame, column: str, converted: str) -> int:
    """Values that were given but did not convert."""
    return frame[converted].null_count() - frame[column].null_count()


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr == "").then(None).otherwise(expr)


def prepare(table: RawTable, ids: pl.DataFrame) -> pl.DataFrame:
    """The raw table with dates parsed, codes converted and child numbers joined.

    A column whose values do not all convert is trimmed (and codes upper-cased) and converted
    again, so "c2 " is accepted as C2; what still fails is a problem."""
    spec, frame = table.spec, table.frame
    present = set(frame.columns)
    targets = [c for c in frame.columns if c in spec.dates or c in spec.code_lists]
    frame = frame.with_columns(_convert(spec, present, targets))
    retry = []
    for column in targets:
        converted = date_col(column) if column in spec.dates else code_col(column)
        if _lost(frame, column, converted):
            retry.append(column)
    if retry:
        cleaned = [
            _blank_to_null(
                pl.col(c).str.strip_chars()
                if c in spec.dates
                else pl.col(c).str.strip_chars().str.to_uppercase()
            ).alias(c)
            for c in retry
        ]
        frame = frame.with_columns(cleaned).with_columns(_convert(spec, present, retry))
    if "UASC" in present:
        frame = frame.with_columns(pl.col("UASC").str.strip_chars())
    # Join only the key column, then add the number beside the rows: a join of the whole
    # table would copy every text column.
    numbers = frame.select("CHILD").join(ids, on="CHILD", how="left", maintain_order="left")
    return frame.with_columns(numbers["child_idx"])


def _pair_key(child: str, day: str) -> pl.Expr:
    # One integer per (child, date): hashing a number is far cheaper than hashing a struct.
    return pl.col(child).cast(pl.UInt64) * 1_000_000 + (pl.col(day).cast(pl.Int32) + 500_000).cast(
        pl.UInt64
    )


def _first_row_of(keys: list[str] | pl.Expr) -> pl.Expr:
    return pl.col(ROW).min().over(keys).cast(pl.String)


def _has_duplicates(frame: pl.DataFrame, key: pl.Expr) -> bool:
    counts = frame.select(key.drop_nulls().n_unique().alias("u"), key.count().alias("n")).row(0)
    return bool(counts[0] != counts[1])


def checks_for(table: RawTable, frame: pl.DataFrame) -> list[Check]:
    """The checks that can fail on this table. Each is included only if a cheap test (null
    counts, distinct counts) says it might find something."""
    spec, year = table.spec, table.year
    present = set(table.frame.columns)
    year_name = codes.year_label(year)
    label = table.row_label
    result: list[Check] = []
    for column in spec.required:
        if frame[column].null_count():
            result.append(
                Check(
                    "required",
                    column,
                    ERROR,
                    pl.col(column).is_null(),
                    pl.lit(f"{column} is blank but must be given."),
                )
            )
    for column in spec.dates:
        if column in present and _lost(frame, column, date_col(column)):
            result.append(
                Check(
                    "date-format",
                    column,
                    ERROR,
                    pl.col(column).is_not_null() & pl.col(date_col(column)).is_null(),
                    pl.format("{} is not a date in the form DD/MM/YYYY.", _quoted(column)),
                )
            )
    for column, code_list in spec.code_lists.items():
        if column not in present:
            continue
        allowed = code_list(year)
        disallowed = sorted(set(code_enum(spec.name, column).categories) - allowed)
        if not _lost(frame, column, code_col(column)) and not disallowed:
            continue
        failed = pl.col(column).is_not_null() & pl.col(code_col(column)).is_null()
        if disallowed:
            failed = failed | pl.col(code_col(column)).is_in(disallowed).fill_null(False)
        listing = ", ".join(sorted(allowed)) if len(allowed) <= 16 else f"{len(allowed)} codes"
        result.append(
            Check(
                "code",
                column,
                ERROR,
                failed,
                pl.format(
                    "{} is not a {} code in the {} code list (allowed: {}).",
                    _quoted(column),
                    pl.lit(column),
                    pl.lit(year_name),
                    pl.lit(listing),
                ),
            )
        )
    if spec.name != "Header" and frame["child_idx"].null_count() > frame["CHILD"].null_count():
        result.append(
            Check(
                "unknown-child",
                "CHILD",
                ERROR if spec.name in _UNKNOWN_CHILD_IS_ERROR else WARNING,
                pl.col("CHILD").is_not_null() & pl.col("child_idx").is_null(),
                pl.lit("This child is not in the Header table."),
            )
        )
    result.extend(_table_checks(spec.name, frame, present, label))
    return result


def _table_checks(name: str, frame: pl.DataFrame, present: set[str], label: str) -> list[Check]:
    checks: list[Check] = []
    if name == "Header":
        if _has_duplicates(frame, pl.col("CHILD")):
            checks.append(
                Check(
                    "duplicate-child",
                    "CHILD",
                    ERROR,
                    pl.col("CHILD").is_not_null() & ~pl.col("CHILD").is_first_distinct(),
                    pl.format(
                        "This child appears more than once in the Header table (first at {} {}).",
                        pl.lit(label),
                        _first_row_of(["CHILD"]),
                    ),
                )
            )
        upn = pl.col("UPN")
        checks.append(
            Check(
                "upn-format",
                "UPN",
                WARNING,
                upn.is_not_null()
                & ~upn.str.to_uppercase().str.contains(r"^([A-Z][0-9]{11}[0-9A-Z]|UN[1-5])$"),
                pl.format(
                    "{} is not a UPN (a letter, 11 digits and a digit or letter) or UN1–UN5.",
                    _quoted("UPN"),
                ),
            )
        )
    elif name == "Episodes":
        key = _pair_key("child_idx", date_col("DECOM"))
        if _has_duplicates(frame, key):
            checks.append(
                Check(
                    "duplicate-episode",
                    "DECOM",
                    ERROR,
                    key.is_not_null() & ~key.is_first_distinct(),
                    pl.format(
                        "This child has another episode starting on the same date (at {} {}).",
                        pl.lit(label),
                        _first_row_of(key),
                    ),
                )
            )
        checks.append(
            Check(
                "date-order",
                "DEC",
                ERROR,
                pl.col(date_col("DEC")) < pl.col(date_col("DECOM")),
                pl.lit("The episode ends (DEC) before it starts (DECOM)."),
            )
        )
        if "PL_DISTANCE" in present:
            distance = pl.col("PL_DISTANCE").cast(pl.Float64, strict=False)
            checks.append(
                Check(
                    "distance",
                    "PL_DISTANCE",
                    ERROR,
                    pl.col("PL_DISTANCE").is_not_null()
                    & (distance.is_null() | (distance < 0) | (distance > 999.9)),
                    pl.format(
                        "{} is not a distance in miles from 0 to 999.9.", _quoted("PL_DISTANCE")
                    ),
                )
            )
    elif name == "Missing":
        checks.append(
            Check(
                "date-order",
                "MIS_END",
                ERROR,
                pl.col(date_col("MIS_END")) < pl.col(date_col("MIS_START")),
                pl.lit("The missing episode ends (MIS_END) before it starts (MIS_START)."),
            )
        )
    elif name == "OC2":
        score = pl.col("SDQ_SCORE").cast(pl.Int32, strict=False)
        checks.append(
            Check(
                "sdq-score",
                "SDQ_SCORE",
                ERROR,
                pl.col("SDQ_SCORE").is_not_null() & (score.is_null() | ~score.is_between(0, 40)),
                pl.format("{} is not an SDQ score from 0 to 40.", _quoted("SDQ_SCORE")),
            )
        )
    elif name == "Reviews":
        key = _pair_key("child_idx", date_col("REVIEW"))
        if _has_duplicates(frame, key):
            checks.append(
                Check(
                    "duplicate-review",
                    "REVIEW",
                    WARNING,
                    key.is_not_null() & ~key.is_first_distinct(),
                    pl.format(
                        "The same review is recorded twice (first at {} {}); it is counted once.",
                        pl.lit(label),
                        _first_row_of(key),
                    ),
                )
            )
    elif name == "PrevPerm":
        checks.append(
            Check(
                "date-format",
                "DATE_PERM",
                ERROR,
                pl.col("DATE_PERM").is_not_null()
                & ~pl.col("DATE_PERM").str.contains(r"^([0-9]{2}|ZZ)/([0-9]{2}|ZZ)/[0-9]{4}$"),
                pl.format(
                    "{} is not a date in the form DD/MM/YYYY (ZZ for an unknown day or month).",
                    _quoted("DATE_PERM"),
                ),
            )
        )
    elif name == "SWEpisodes":
        checks.append(
            Check(
                "sw-id",
                "SW_ID",
                WARNING,
                pl.col("SW_ID").is_not_null() & ~pl.col("SW_ID").str.contains(r"^(SW|XX)"),
                pl.lit("A social worker ID starts with SW, or XX when not known."),
            )
        )
    return checks


def problems_for(frame: pl.DataFrame, table: RawTable, checks: list[Check]) -> pl.DataFrame:
    """Problem rows for every failing check, with the internal child number so the children
    affected can be left out."""
    if not checks:
        return empty_problems()
    counts = frame.select(
        [check.failed.fill_null(False).sum().alias(str(i)) for i, check in enumerate(checks)]
    ).row(0)
    frames = []
    for check, count in zip(checks, counts, strict=True):
        if not count:
            continue
        frames.append(
            frame.with_columns(check.message.alias("__message"))
            .filter(check.failed.fill_null(False))
            .select(
                pl.lit(check.severity).alias("severity"),
                pl.lit(table.file).alias("file"),
                pl.col(ROW).cast(pl.Int64).alias("row"),
                pl.lit(check.column).alias("column"),
                _value(check.column).alias("value"),
                pl.lit(check.rule).alias("rule"),
                pl.col("__message").alias("message"),
                pl.lit(table.spec.name).alias("table"),
                pl.lit(table.year, dtype=pl.Int32).alias("year"),
                pl.lit(table.row_label).alias("row_label"),
                pl.col("child_idx"),
            )
        )
    if not frames:
        return empty_problems()
    return pl.concat(frames)


def empty_problems() -> pl.DataFrame:
    return pl.DataFrame(schema={**PROBLEM_SCHEMA, "child_idx": pl.UInt32})


def validate_table(table: RawTable, ids: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The table prepared (dates parsed, codes converted, child numbers joined) and its
    problems."""
    frame = prepare(table, ids)
    return frame, problems_for(frame, table, checks_for(table, frame))
