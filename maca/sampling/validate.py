"""Row-level checks on every table, done column by column with polars, each column touched as
few times as possible: a national extract has a million episode rows, and checking them should
cost about what reading them does.

Codes are checked by converting them to enums (a value not on the list becomes null), dates by
looking them up among the plausible days written as DD/MM/YYYY (a value not found becomes
null), both done as the file is read (`parse.py`), and child ids by numbering them against the
Header. Comparing null counts before and after says whether a column has any problem at all;
only a column that does is looked at row by row. Problems carry the file, the row (spreadsheet
row for CSV, line for XML), the column, the value (only its shape for identifying columns) and
the rule, as `problems.PROBLEM_SCHEMA` says. The field validator's rules, under its codes, are
in `rules/` and run with these (docs/ssda903-rules.md lists both).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from maca.sampling import codes
from maca.sampling.ingest import PATH, ROW, XML_NAMES, RawTable
from maca.sampling.parse import (
    child_date_key,
    chunked_like,
    code_col,
    code_enum,
    converted_name,
    date_col,
    num_col,
    plausible_dates,
    with_converted,
)
from maca.sampling.problems import ERROR, PROBLEM_SCHEMA, WARNING, Check
from maca.sampling.rules import checks_for_rules
from maca.sampling.rules.context import (
    ChildFacts,
    RuleContext,
    in_rule_order,
    with_child_facts,
    with_neighbours,
)
from maca.sampling.tables import IDENTIFYING_COLUMNS

# Tables whose rows for a child missing from the Header are reported but cannot spoil the sample.
_UNKNOWN_CHILD_IS_ERROR = frozenset({"Episodes"})


# Dates whose form the field's rules check under their own codes (700, 701).
_DATES_CHECKED_BY_RULES = frozenset({("DoLo", "DOLO_START"), ("DoLo", "DOLO_END")})

_DD_MM_YYYY = r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$"


def _value(column: str) -> pl.Expr:
    value = pl.col(column).cast(pl.String)
    if column in IDENTIFYING_COLUMNS:
        masked = value.str.replace_all(r"[0-9]", "9").str.replace_all(r"[A-Za-z]", "A")
        return pl.format("(shape {})", masked.str.slice(0, 20))
    return value.str.slice(0, 40)


def _quoted(column: str) -> pl.Expr:
    return pl.format("'{}'", _value(column))


def _lost(frame: pl.DataFrame, column: str, converted: str) -> int:
    """Values that were given but did not convert."""
    return frame[converted].null_count() - frame[column].null_count()


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr == "").then(None).otherwise(expr)


def prepare(table: RawTable, child_idx: pl.Series) -> pl.DataFrame:
    """The raw table with dates and codes converted and child numbers (`child_numbers`)
    added.

    Conversions are normally made as the file is read; any missing are made here. A column
    whose values do not all convert is trimmed (and codes upper-cased) and converted again, so
    "c2 " is accepted as C2, and its dates are parsed whatever the year (`parse.with_converted`
    without the year), so an implausible date is told from one not in DD/MM/YYYY; what still
    fails is a problem."""
    spec, frame = table.spec, table.frame
    converted = {c: name for c in frame.columns if (name := converted_name(spec, c))}
    missing = [c for c, name in converted.items() if name not in frame.columns]
    if missing:
        frame = with_converted(frame, spec, missing, year=table.year)
    targets = [c for c in converted if c in spec.dates or c in spec.code_lists]
    retry = [c for c in targets if _lost(frame, c, converted[c])]
    if retry:
        cleaned = [
            _blank_to_null(
                pl.col(c).str.strip_chars()
                if c in spec.dates
                else pl.col(c).str.strip_chars().str.to_uppercase()
            ).alias(c)
            for c in retry
        ]
        frame = with_converted(frame.with_columns(cleaned), spec, retry, year=None)
    numbered: list[pl.Expr | pl.Series] = [child_idx.alias("child_idx")]
    if "UASC" in frame.columns:
        numbered.append(pl.col("UASC").str.strip_chars())
    return frame.with_columns(numbered)


def child_numbers(tables: list[RawTable], children: pl.Enum) -> list[pl.Series]:
    """The child number of each row of each table: the place of its CHILD id in `children`
    (every CHILD id in the Headers, in number order), null if not there.

    Worked out for all the tables at once: each conversion to the enum first builds a lookup
    of the 85,000 ids of a national extract, which costs more than looking up a small table's
    rows."""
    ids = pl.concat([table.frame["CHILD"] for table in tables], rechunk=False)
    # As a query, which polars' streaming engine spreads over every core.
    numbers = (
        ids.to_frame()
        .lazy()
        .select(pl.col("CHILD").cast(children, strict=False).to_physical().cast(pl.UInt32))
        .collect(engine="streaming")
        .to_series()
    )
    result = []
    offset = 0
    for table in tables:
        rows = table.frame.height
        result.append(chunked_like(numbers.slice(offset, rows), table.frame["CHILD"]))
        offset += rows
    return result


def _first_row_of(keys: list[str] | pl.Expr) -> pl.Expr:
    return pl.col(ROW).min().over(keys).cast(pl.String)


def _has_duplicates(frame: pl.DataFrame, key: pl.Expr) -> bool:
    counts = frame.select(key.drop_nulls().n_unique().alias("u"), key.count().alias("n")).row(0)
    return bool(counts[0] != counts[1])


def _has_duplicate_pairs(frame: pl.DataFrame, key: pl.Expr) -> bool:
    """Whether two rows have the same (child, date) key. The rows of a 903 table are nearly
    always in child and date order already, and sorting what is sorted costs a look at each
    row. Polars counts the distinct values of a sorted column by comparing neighbours, which
    costs less than hashing each, or than working out the difference of each pair."""
    keys = frame.select(key.alias("key")).to_series().drop_nulls()
    if not keys.is_sorted():
        keys = keys.sort()
    return keys.set_sorted().n_unique() != keys.len()


def checks_for(table: RawTable, frame: pl.DataFrame) -> list[Check]:
    """The checks that can fail on this table. Each is included only if a cheap test (null
    counts, distinct counts) says it might find something."""
    spec, year = table.spec, table.year
    present = set(table.frame.columns)
    year_name = codes.year_label(year)
    label = table.row_label
    result: list[Check] = []
    unknown_children = frame["child_idx"].null_count() > frame["CHILD"].null_count()
    for column in spec.required:
        blank = pl.col(column).is_null()
        if column == "CHILD" and (spec.name == "Header" or unknown_children):
            # An id of spaces alone is as blank as none. Only the Header (a row a child) and a
            # table with rows for children the Header lacks can have one.
            blank = blank | (pl.col(column).str.strip_chars() == "")
            if not frame.select(blank.any()).item():
                continue
        elif not frame[column].null_count():
            continue
        result.append(
            Check("required", column, ERROR, blank, pl.lit(f"{column} is blank but must be given."))
        )
    for column in spec.dates:
        if (spec.name, column) in _DATES_CHECKED_BY_RULES:
            continue
        if column in present and _lost(frame, column, date_col(column)):
            result.append(
                Check(
                    "date-format",
                    column,
                    ERROR,
                    pl.col(column).is_not_null() & pl.col(date_col(column)).is_null(),
                    _not_a_date_message(column),
                )
            )
    for column in spec.dates:
        if column in present:
            result.extend(_date_range_checks(frame, column, year))
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
    if spec.name != "Header" and unknown_children:
        result.append(
            Check(
                "unknown-child",
                "CHILD",
                ERROR if spec.name in _UNKNOWN_CHILD_IS_ERROR else WARNING,
                (pl.col("CHILD").str.strip_chars() != "") & pl.col("child_idx").is_null(),
                pl.lit("This child is not in the Header table."),
            )
        )
    result.extend(_table_checks(spec.name, frame, present, label))
    return result


def _not_a_date_message(column: str) -> pl.Expr:
    """Why a value is not a date: not written DD/MM/YYYY, or so written but a day that does
    not exist (31/02/2022)."""
    return (
        pl.when(pl.col(column).str.contains(_DD_MM_YYYY))
        .then(pl.format("{} is not a date: that day does not exist.", _quoted(column)))
        .otherwise(pl.format("{} is not a date in the form DD/MM/YYYY.", _quoted(column)))
    )


def _date_range_checks(frame: pl.DataFrame, column: str, year: int) -> list[Check]:
    """A date outside `plausible_dates` (01/02/1850, 01/02/2190) is an error. The earliest
    and latest dates say whether any is; only then is each row looked at.

    Dates outside the years `parse.py` checks the form of are kept for this check, so here
    a value not in the form DD/MM/YYYY ("01/02/+202") is told from an implausible one."""
    first, last = plausible_dates(column, year)
    earliest, latest = frame.select(
        pl.col(date_col(column)).min().alias("first"), pl.col(date_col(column)).max().alias("last")
    ).row(0)
    if earliest is None or (earliest >= first and latest <= last):
        return []
    outside = ~pl.col(date_col(column)).is_between(first, last)
    well_formed = pl.col(column).str.contains(_DD_MM_YYYY)
    shown = pl.lit(f"This {column}") if column in IDENTIFYING_COLUMNS else _quoted(column)
    return [
        Check(
            "date-range",
            column,
            ERROR,
            outside & well_formed,
            pl.format(
                "{} is not a plausible {} for the {} return: it should be from {} to {}.",
                shown,
                pl.lit(column),
                pl.lit(codes.year_label(year)),
                pl.lit(f"{first:%d/%m/%Y}"),
                pl.lit(f"{last:%d/%m/%Y}"),
            ),
        ),
        Check(
            "date-format",
            column,
            ERROR,
            outside & ~well_formed,
            pl.format("{} is not a date in the form DD/MM/YYYY.", _quoted(column)),
        ),
    ]


def _table_checks(name: str, frame: pl.DataFrame, present: set[str], label: str) -> list[Check]:
    """The checks of one table across its rows (duplicates, dates in order, formats)."""
    checks_of = _CHECKS_BY_TABLE.get(name)
    return checks_of(frame, present, label) if checks_of else []


def _header_checks(frame: pl.DataFrame, present: set[str], label: str) -> list[Check]:
    checks: list[Check] = []
    # Every CHILD id in a Header has a child number, and only one: comparing the numbers
    # costs less than comparing the ids.
    if _has_duplicates(frame, pl.col("child_idx")):
        checks.append(
            Check(
                "duplicate-child",
                "CHILD",
                ERROR,
                pl.col("CHILD").is_not_null() & ~pl.col("CHILD").is_first_distinct(),
                pl.format(
                    "This child appears more than once in the Header table (first at {} {}).",
                    pl.lit(label),
                    pl.col("__first"),
                ),
                {"__first": _first_row_of(["CHILD"])},
            )
        )
    upn = pl.col("UPN")
    checks.append(
        Check(
            "upn-format",
            "UPN",
            WARNING,
            upn.is_not_null()
            & ~upn.str.contains(r"^([A-Za-z][0-9]{11}[0-9A-Za-z]|[Uu][Nn][1-5])$"),
            pl.format(
                "{} is not a UPN (a letter, 11 digits and a digit or letter) or UN1–UN5.",
                _quoted("UPN"),
            ),
        )
    )
    return checks


def _episodes_checks(frame: pl.DataFrame, present: set[str], label: str) -> list[Check]:
    checks: list[Check] = []
    key = child_date_key("child_idx", date_col("DECOM"))
    if _has_duplicate_pairs(frame, key):
        checks.append(
            Check(
                "duplicate-episode",
                "DECOM",
                ERROR,
                key.is_not_null() & ~key.is_first_distinct(),
                pl.format(
                    "This child has another episode starting on the same date (at {} {}).",
                    pl.lit(label),
                    pl.col("__first"),
                ),
                {"__first": _first_row_of(key)},
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
        distance = pl.col(num_col("PL_DISTANCE"))
        checks.append(
            Check(
                "distance",
                "PL_DISTANCE",
                ERROR,
                pl.col("PL_DISTANCE").is_not_null()
                & (distance.is_null() | (distance < 0) | (distance > 999.9)),
                pl.format("{} is not a distance in miles from 0 to 999.9.", _quoted("PL_DISTANCE")),
            )
        )
    return checks


def _missing_checks(frame: pl.DataFrame, present: set[str], label: str) -> list[Check]:
    checks: list[Check] = []
    checks.append(
        Check(
            "date-order",
            "MIS_END",
            ERROR,
            pl.col(date_col("MIS_END")) < pl.col(date_col("MIS_START")),
            pl.lit("The missing episode ends (MIS_END) before it starts (MIS_START)."),
        )
    )
    return checks


def _oc2_checks(frame: pl.DataFrame, present: set[str], label: str) -> list[Check]:
    checks: list[Check] = []
    score = pl.col(num_col("SDQ_SCORE"))
    checks.append(
        Check(
            "sdq-score",
            "SDQ_SCORE",
            ERROR,
            pl.col("SDQ_SCORE").is_not_null() & (score.is_null() | ~score.is_between(0, 40)),
            pl.format("{} is not an SDQ score from 0 to 40.", _quoted("SDQ_SCORE")),
        )
    )
    return checks


def _reviews_checks(frame: pl.DataFrame, present: set[str], label: str) -> list[Check]:
    checks: list[Check] = []
    key = child_date_key("child_idx", date_col("REVIEW"))
    if _has_duplicate_pairs(frame, key):
        checks.append(
            Check(
                "duplicate-review",
                "REVIEW",
                WARNING,
                key.is_not_null() & ~key.is_first_distinct(),
                pl.format(
                    "The same review is recorded twice (first at {} {}); it is counted once.",
                    pl.lit(label),
                    pl.col("__first"),
                ),
                {"__first": _first_row_of(key)},
            )
        )
    return checks


def _prev_perm_checks(frame: pl.DataFrame, present: set[str], label: str) -> list[Check]:
    checks: list[Check] = []
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
    return checks


def _sw_episodes_checks(frame: pl.DataFrame, present: set[str], label: str) -> list[Check]:
    checks: list[Check] = []
    checks.append(
        Check(
            "sw-id",
            "SW_ID",
            WARNING,
            pl.col("SW_ID").is_not_null()
            & ~(pl.col("SW_ID").str.starts_with("SW") | pl.col("SW_ID").str.starts_with("XX")),
            pl.lit("A social worker ID starts with SW, or XX when not known."),
        )
    )
    return checks


_CHECKS_BY_TABLE: dict[str, Callable[[pl.DataFrame, set[str], str], list[Check]]] = {
    "Header": _header_checks,
    "Episodes": _episodes_checks,
    "Missing": _missing_checks,
    "OC2": _oc2_checks,
    "Reviews": _reviews_checks,
    "PrevPerm": _prev_perm_checks,
    "SWEpisodes": _sw_episodes_checks,
}


def problems_for(
    frame: pl.DataFrame, table: RawTable, checks: list[Check], rows: pl.LazyFrame | None = None
) -> pl.DataFrame:
    """Problem rows for every failing check, with the internal child number so the children
    affected can be left out.

    Whether each row fails each check is worked out in one query over `rows` (`frame`, or
    `frame` with columns the checks read but the table does not keep, such as each row's
    neighbours): a column per check, which polars works out side by side, each input column
    read once for all the checks that read it. A failing check's rows are then picked out of
    only the columns its problem shows: a table with a few thousand warnings would otherwise
    be copied whole for each rule that has some."""
    if not checks:
        return empty_problems()
    query = frame.lazy() if rows is None else rows
    failed = query.select(
        [check.failed.fill_null(False).alias(str(number)) for number, check in enumerate(checks)]
    ).collect()
    anywhere = failed.select(pl.all().any()).row(0)
    frames = [
        _failing_rows(frame, table, check, failed.to_series(number))
        for number, check in enumerate(checks)
        if anywhere[number]
    ]
    if not frames:
        return empty_problems()
    return pl.concat(frames)


def _failing_rows(
    frame: pl.DataFrame, table: RawTable, check: Check, failed: pl.Series
) -> pl.DataFrame:
    message = check.message
    if PATH in frame.columns:
        element = XML_NAMES.get(check.column, check.column)
        message = pl.format("{} (element {}/{})", message, pl.col(PATH), pl.lit(element))
    needed = {ROW, "child_idx", check.column, *message.meta.root_names()}
    for expr in check.context.values():
        needed |= set(expr.meta.root_names())
    failing = frame.select([name for name in frame.columns if name in needed])
    failing = failing.with_columns(**check.context) if check.context else failing
    # One chunk: polars 2.1 can panic formatting text from a frame whose filtering left
    # empty chunks behind ("assertion failed: i < self.len()").
    failing = failing.filter(failed).rechunk()
    return failing.with_columns(message.alias("__message")).select(
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


def empty_problems() -> pl.DataFrame:
    return pl.DataFrame(schema={**PROBLEM_SCHEMA, "child_idx": pl.UInt32})


def validate_table(
    table: RawTable, child_idx: pl.Series, facts: ChildFacts | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The table prepared (dates parsed, codes converted, child numbers added, in child and
    date order with its child's facts beside each row) and its problems: maca's own checks,
    then the field's rules (`rules`), which also read each row's neighbours."""
    name = table.spec.name
    frame = in_rule_order(with_child_facts(prepare(table, child_idx), name, facts), name)
    rows = with_neighbours(frame, name)
    context = RuleContext.for_table(name, table.year, frame, rows, table.row_label == "line")
    checks = checks_for(table, frame) + checks_for_rules(context)
    return frame, problems_for(frame, table, checks, rows)
