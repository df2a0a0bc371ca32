"""What a rule can look at besides a row's own values: the collection year, the LA's own
code, each row's neighbours in child and date order, and facts about its child from the
Header (whether UASC)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

import polars as pl

from maca.sampling import codes, conf
from maca.sampling.parse import child_date_key, chunked_like, code_col, code_enum, date_col

# For each table whose rules compare a row with the one before or after it for the same
# child: how a child's rows are ordered, as the validator orders them, and the columns taken
# from the neighbours. `prev` is the row before, `prev2` the one before that, `next` the row
# after. Codes are compared as given (raw), as the validator compares them, so two different
# codes that are on no list still differ.
NEIGHBOURS: dict[str, tuple[tuple[pl.Expr, ...], dict[str, tuple[str, ...]]]] = {
    "Episodes": (
        (pl.col(date_col("DECOM")),),
        {
            "prev": (
                "child_idx", date_col("DECOM"), date_col("DEC"), "REC", "LS", "PLACE",
                "PLACE_PROVIDER", "PL_POST", "URN",
            ),
            "prev2": ("child_idx", "PLACE", "PL_POST"),
            "next": ("child_idx", date_col("DECOM")),
        },
    ),
    # Periods ordered by their end (their start if open), then start.
    "Missing": (
        (pl.coalesce(date_col("MIS_END"), date_col("MIS_START")), pl.col(date_col("MIS_START"))),
        {"prev": ("child_idx", date_col("MIS_END"))},
    ),
    "DoLo": (
        (pl.coalesce(date_col("DOLO_END"), date_col("DOLO_START")), pl.col(date_col("DOLO_START"))),
        {"prev": ("child_idx", date_col("DOLO_END"))},
    ),
}  # fmt: skip

_SHIFTS = {"prev": 1, "prev2": 2, "next": -1}

# For a table, the columns several of its rules compare with the row before (434 to 436):
# whether each is the same as the row before, two blanks being the same, is worked out once
# beside the neighbours. Polars does not find the comparisons the rules share among the many
# rules evaluated together, and a million postcodes and URNs compared three times over cost
# more than every other episode rule.
SAME_AS_PREVIOUS: dict[str, tuple[str, ...]] = {
    "Episodes": ("LS", "PLACE", "PLACE_PROVIDER", "PL_POST", "URN"),
}

# For a table, the functions adding facts about each of its rows from the child's rows in
# other tables (registered by `care.py`, `dolo.py`): (frame, the year's facts) -> frame.
ROW_FACTS: dict[str, list[Callable[[pl.DataFrame, ChildFacts], pl.DataFrame]]] = {}

# Facts about a row's child added beside it (`with_child_facts`).
UASC_CHILD = "__uasc_child"  # UASC this year or last, by the Header's flag or the UASC table
HEADER_UASC = "__header_uasc"  # this year's Header UASC flag, where the Header has one


def neighbour(which: str, column: str) -> str:
    """The name of a neighbour's column: neighbour("prev", date_col("DEC"))."""
    return f"__{which}{column}"


@dataclass(frozen=True)
class RuleContext:
    table: str
    year: int
    present: set[str]
    own_la: str | None = None  # the LA's own code, for PL_LA (411, 1015)
    from_xml: bool = False
    # The table with its rows' neighbours (`with_neighbours`), for a rule that first finds
    # the few children it can apply to.
    frame: pl.LazyFrame | None = None

    @classmethod
    def for_table(
        cls, table: str, year: int, frame: pl.DataFrame, rows: pl.LazyFrame, from_xml: bool
    ) -> RuleContext:
        """The context of `frame`'s rules; `rows` is `frame` `with_neighbours`."""
        return cls(table, year, set(frame.columns), _own_la(table, frame), from_xml, rows)

    @property
    def collection_start(self) -> dt.date:
        return codes.year_bounds(self.year)[0]

    @property
    def collection_end(self) -> dt.date:
        return codes.year_bounds(self.year)[1]


def date(column: str) -> pl.Expr:
    return pl.col(date_col(column))


# The days a birthday is looked up in (`birthday`): four hundred years, after which the
# calendar repeats, leap days and all, so any date has its place in the table.
_BIRTHDAYS_FIRST = dt.date(1800, 1, 1)
_GREGORIAN_CYCLE = 146_097  # days in four hundred years
_DAY_ZERO = dt.date(1970, 1, 1)  # day 0 of polars' dates


@cache
def _birthdays(years: int) -> pl.Series:
    """For each day of the table, its day number `years` years later."""
    last = _BIRTHDAYS_FIRST + dt.timedelta(days=_GREGORIAN_CYCLE - 1)
    days = pl.date_range(_BIRTHDAYS_FIRST, last, "1d", eager=True)
    return days.dt.offset_by(f"{years}y").cast(pl.Int32)


def birthday(column: str, years: int) -> pl.Expr:
    """The date `years` years after the date in `column` (a 29 February birthday falls on
    28 February in other years), as `dt.offset_by` gives it. Looked up in a table of four
    hundred years of days, a date outside it moved into it by whole four hundred years and
    back: a tenth of what working it out costs on the half million reviews of a national
    extract."""
    table = _birthdays(years)
    day = pl.col(column).cast(pl.Int32) - (_BIRTHDAYS_FIRST - _DAY_ZERO).days
    cycles = day // _GREGORIAN_CYCLE
    later = pl.lit(table).gather(day - cycles * _GREGORIAN_CYCLE)
    return (later + cycles * _GREGORIAN_CYCLE).cast(pl.Date)


def is_code(table: str, column: str, values: Iterable[str]) -> pl.Expr:
    """Whether the column's code is one of `values`, compared as the enum it is converted to
    (codes that no year's list has cannot be there, and are dropped from the comparison)."""
    known = set(code_enum(table, column).categories.to_list())
    wanted = sorted(set(values) & known)
    if not wanted:
        return pl.lit(False)
    # A blank, or a code on no list, is none of them (as pandas' isin says).
    return pl.col(code_col(column)).is_in(wanted).fill_null(False)


def near(column: str, which: str = "prev") -> pl.Expr:
    """A neighbour's column (`NEIGHBOURS`): the row before, by default."""
    return pl.col(neighbour(which, column))


def same_as_previous(column: str) -> pl.Expr:
    """Whether `column` is the same as in the row before, two blanks being the same
    (`SAME_AS_PREVIOUS`)."""
    return pl.col(f"__same{column}")


def same_child(which: str = "prev") -> pl.Expr:
    """Whether the neighbour row is of the same child (false where there is none)."""
    return (pl.col("child_idx") == pl.col(neighbour(which, "child_idx"))).fill_null(False)


def per_child_sum(values: pl.Expr) -> pl.Expr:
    """The sum of `values` over each row's child, on every row of the child, for a table in
    child order (`with_neighbours`, episodes only): running totals read at each child's last
    row, less those before its first, which costs a fraction of a window over child numbers."""
    running = values.cum_sum()
    at_end = pl.when(~same_child("next")).then(running).backward_fill()
    before = pl.when(~same_child()).then(running - values).forward_fill()
    return at_end - before


def in_rule_order(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """`frame` in child then date order (as the episodes nearly always are already), the
    order in which `neighbour_columns` are each row's neighbours."""
    if table not in NEIGHBOURS:
        return frame
    order, _wanted = NEIGHBOURS[table]
    if table == "Episodes":
        key = child_date_key("child_idx", date_col("DECOM"))
        keys = frame.select(key.alias("key")).to_series()
        if keys.null_count() or not keys.is_sorted():
            frame = frame.sort(key, nulls_last=False, maintain_order=True)
        return frame
    return frame.sort([pl.col("child_idx"), *order], nulls_last=False, maintain_order=True)


def neighbour_columns(table: str, present: Iterable[str]) -> list[pl.Expr]:
    """The columns of each row's neighbours (`NEIGHBOURS`), for a frame `in_rule_order`.
    Added to the query the rules are evaluated in rather than to the table, so they are
    never copied out whole (a million shifted postcodes cost more than the rules reading
    them)."""
    if table not in NEIGHBOURS:
        return []
    _order, wanted = NEIGHBOURS[table]
    given = set(present)
    shifted = [
        pl.col(column).shift(_SHIFTS[which]).alias(neighbour(which, column))
        for which, columns in wanted.items()
        for column in columns
        if column in given
    ]
    compared = [
        pl.col(column).eq_missing(pl.col(column).shift(1)).alias(f"__same{column}")
        for column in SAME_AS_PREVIOUS.get(table, ())
        if column in given
    ]
    return shifted + compared


def with_neighbours(frame: pl.DataFrame, table: str) -> pl.LazyFrame:
    """The query the rules of `table` are evaluated in: `frame` in rule order, with the
    columns of each row's neighbours beside its own."""
    return frame.lazy().with_columns(neighbour_columns(table, frame.columns))


def _own_la(table: str, frame: pl.DataFrame) -> str | None:
    """The LA's own code: MACA_LA_CODE if set, else the PL_LA most often given with
    PL_LOCATION IN (an LA places most of its children in its own area)."""
    configured = conf.own_la_code()
    if configured or table != "Episodes" or not {"PL_LA", "PL_LOCATION"} <= set(frame.columns):
        return configured
    inside = frame.select(
        pl.col("PL_LA").filter(is_code("Episodes", "PL_LOCATION", {"IN"})).drop_nulls()
    ).to_series()
    if inside.len() == 0:
        return None
    counts = inside.value_counts(sort=True)
    return str(counts.row(0)[0])


# Facts from the year before, and from the Header for the UASC table, each added only where
# the table it comes from was given.
LAST_SEX, LAST_DOB, LAST_ETHNIC = "__last_sex", "__last_dob", "__last_ethnic"
IN_LAST_HEADER = "__in_last_header"
HEADER_DOB, HEADER_SEX = "__header_dob", "__header_sex"
# Last year's UASC status (205A to 205D): the UASC flag from last year's Header (or its UASC
# table), for the Header's rows and, where the child is in last year's UASC table, for the
# UASC table's rows, with that table's DUC and date of birth.
LAST_HEADER_FLAG, LAST_UASC_FLAG = "__last_header_flag", "__last_uasc_flag"
LAST_DUC, LAST_UASC_DOB, IN_LAST_UASC = "__last_duc", "__last_uasc_dob", "__in_last_uasc"
# Looked after continuously for the 12 months to 31 March (the OC2 rules).
LOOKED_AFTER_12_MONTHS = "__looked_after_12_months"
IN_OC2 = "__in_oc2"  # the child has a row in this year's OC2 table (191)
LAST_DECOM, LAST_DEC_GIVEN, LAST_DISTANCE = "__last_decom", "__last_dec_given", "__last_distance"
# Last year's last episode's codes, as given.
LAST_FIELDS = ("RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "URN", "PL_LA", "PL_LOCATION")


def last(column: str) -> str:
    """The name of the column holding last year's last episode's `column` (`LAST_FIELDS`)."""
    return f"__last_{column}"


LAST_RNE, LAST_PL_LA = last("RNE"), last("PL_LA")


@dataclass(frozen=True)
class ChildFacts:
    """Per child number, for one collection year (`child_facts`): for each table, the
    columns to add beside its rows, each a Series indexed by child number."""

    columns: dict[str, dict[str, pl.Series]]
    year: int = 0
    # Every year's raw tables and their rows' child numbers, by (table name, year), for the
    # rules that set a table's rows against the child's rows in another (`ROW_FACTS`).
    tables: dict[tuple[str, int], tuple[pl.DataFrame, pl.Series]] = field(default_factory=dict)

    def raw(self, table: str, years_later: int = 0) -> tuple[pl.DataFrame, pl.Series] | None:
        """A raw table of this year (or `years_later`) and its child numbers, if given."""
        return self.tables.get((table, self.year + years_later))

    @property
    def episodes(self) -> tuple[pl.DataFrame, pl.Series] | None:
        return self.raw("Episodes")


Raw = tuple[str, int, pl.DataFrame, pl.Series]  # table name, year, raw frame, child numbers


def child_facts(tables: list[Raw], children: int) -> dict[int, ChildFacts]:
    """Facts about each child, by year, from the raw tables given as (table name, year, frame,
    child numbers of its rows): the Header, UASC, Episodes, OC2, OC3, AD1 and DoLo."""
    by_table = {(name, year): (frame, numbers) for name, year, frame, numbers in tables}
    years = sorted({year for _name, year, _frame, _numbers in tables})
    uasc = _uasc_children(by_table, years, children)
    facts = {}
    for year in years:
        columns: dict[str, dict[str, pl.Series]] = {
            "Episodes": {UASC_CHILD: uasc[year] | uasc.get(year - 1, uasc[year])},
            "UASC": {},
            "Header": {},
        }
        if header := by_table.get(("Header", year)):
            columns["UASC"] |= _header_facts(header, children)
        if last_header := by_table.get(("Header", year - 1)):
            columns["Header"] |= _last_header_facts(last_header, children)
        history = _uasc_history(by_table, year, children)
        if LAST_HEADER_FLAG in history:
            columns["Header"][LAST_HEADER_FLAG] = history.pop(LAST_HEADER_FLAG)
        columns["UASC"] |= history
        if episodes := by_table.get(("Episodes", year)):
            looked_after = _continuously_looked_after(episodes, year, children)
            columns["OC2"] = {LOOKED_AFTER_12_MONTHS: looked_after}
            if oc2 := by_table.get(("OC2", year)):
                columns["Episodes"] |= {
                    LOOKED_AFTER_12_MONTHS: looked_after,
                    IN_OC2: _present(oc2[1], children),
                }
            # The validator checks OC3 and AD1 against care (187) only when both are given.
            if ("OC3", year) in by_table and ("AD1", year) in by_table:
                columns["OC3"] = columns["AD1"] = {LOOKED_AFTER_12_MONTHS: looked_after}
        if last_episodes := by_table.get(("Episodes", year - 1)):
            columns["Episodes"] |= _last_episode_facts(last_episodes, children)
        facts[year] = ChildFacts(columns, year, by_table)
    return facts


def _uasc_children(
    by_table: dict[tuple[str, int], tuple[pl.DataFrame, pl.Series]], years: list[int], children: int
) -> dict[int, pl.Series]:
    """Per year, whether each child is UASC: flagged in the Header, or in the UASC table with
    a date of birth or DUC."""
    result = {}
    for year in years:
        flags = pl.repeat(False, children, dtype=pl.Boolean, eager=True)
        if header := by_table.get(("Header", year)):
            frame, numbers = header
            if "UASC" in frame.columns:
                text = frame["UASC"].cast(pl.String).str.strip_chars()
                flags = flags | _by_child(numbers, text == "1", children).fill_null(False)
        if table := by_table.get(("UASC", year)):
            frame, numbers = table
            given = frame.select(pl.any_horizontal(pl.col("DOB", "DUC").is_not_null())).to_series()
            flags = flags | _by_child(numbers, given, children).fill_null(False)
        result[year] = flags
    return result


def _header_facts(header: tuple[pl.DataFrame, pl.Series], children: int) -> dict[str, pl.Series]:
    frame, numbers = header
    facts = {
        HEADER_DOB: _by_child(numbers, frame["DOB"], children),
        HEADER_SEX: _by_child(numbers, frame["SEX"].cast(pl.String), children),
    }
    if "UASC" in frame.columns:
        facts[HEADER_UASC] = _by_child(numbers, frame["UASC"].cast(pl.String), children)
    return facts


def _continuously_looked_after(
    episodes: tuple[pl.DataFrame, pl.Series], year: int, children: int
) -> pl.Series:
    """Whether each child was looked after continuously for the 12 months to 31 March, as the
    validator decides it: in care at some point in the year, with no episode that starts
    care (RNE S) after the year began, ends care (a REC other than X1) within it, or is a
    short break (V3, V4) during it. False for a child without episodes."""
    frame, numbers = episodes
    start, end = codes.year_bounds(year)
    decom, dec = pl.col(date_col("DECOM")), pl.col(date_col("DEC"))
    during = (decom <= end) & ((dec >= start) | dec.is_null())
    # The codes as converted when read (an enum compares as a number, where comparing the
    # text of a million codes costs ten times as much), and as given where a code is on no
    # list: a REC on no list still ends care.
    if {code_col(c) for c in ("RNE", "REC", "LS")} <= set(frame.columns):
        rne, rec, ls = (pl.col(code_col(c)) for c in ("RNE", "REC", "LS"))
        not_x1 = pl.col("REC").is_not_null() & (rec != "X1").fill_null(True)
    else:
        rne, rec, ls = (pl.col(c).cast(pl.String) for c in ("RNE", "REC", "LS"))
        not_x1 = rec != "X1"
    enters = (rne == "S") & (decom > start) & (decom <= end)
    leaves = not_x1 & (dec >= start) & (dec < end)
    short_break = ls.is_in(["V3", "V4"]) & during
    rows = frame.select(
        numbers.alias("child"),
        during.fill_null(False).alias("during"),
        (enters | leaves | short_break).fill_null(False).alias("broken"),
    ).filter(pl.col("child").is_not_null())
    # Marked child by child, by position, which costs less than grouping a million rows.
    looked_after = pl.repeat(False, children, dtype=pl.Boolean, eager=True)
    looked_after = looked_after.scatter(rows.filter("during")["child"], True)
    return looked_after.scatter(rows.filter("broken")["child"], False)


def _uasc_history(
    by_table: dict[tuple[str, int], tuple[pl.DataFrame, pl.Series]], year: int, children: int
) -> dict[str, pl.Series]:
    """Last year's UASC status of each child, for 205A to 205D: its DUC and date of birth in
    last year's UASC table, and its UASC flag in last year's Header, or, without one, 1 for a
    child in last year's UASC table with a sex or DUC given (as the validator reads a CSV
    return). Only where this year's Header has a UASC flag to compare with."""
    header, last_uasc = by_table.get(("Header", year)), by_table.get(("UASC", year - 1))
    last_header = by_table.get(("Header", year - 1))
    if header is None or "UASC" not in header[0].columns:
        return {}
    if last_header is not None:
        if "UASC" not in last_header[0].columns:
            return {}
        frame, numbers = last_header
        flag_rows = (numbers, frame["UASC"].cast(pl.String))
    elif last_uasc is not None:
        frame, numbers = last_uasc
        given = pl.any_horizontal(pl.col("SEX", "DUC").is_not_null())
        flag_rows = (
            numbers,
            frame.select(pl.when(given).then(pl.lit("1")).otherwise(pl.lit("0"))).to_series(),
        )
    else:
        return {}
    flags = _by_child(*flag_rows, children)
    facts = {LAST_HEADER_FLAG: flags}
    if last_uasc is not None:
        frame, numbers = last_uasc
        in_last = _by_child(numbers, pl.repeat(True, frame.height, eager=True), children)
        in_last = in_last.fill_null(False)
        blank = pl.repeat(None, children, dtype=pl.String, eager=True)
        facts |= {
            LAST_UASC_FLAG: flags.zip_with(in_last, blank),
            LAST_DUC: _by_child(numbers, frame[date_col("DUC")], children),
            LAST_UASC_DOB: _by_child(numbers, frame[date_col("DOB")], children),
            IN_LAST_UASC: in_last,
        }
    return facts


def _last_header_facts(
    header: tuple[pl.DataFrame, pl.Series], children: int
) -> dict[str, pl.Series]:
    frame, numbers = header
    present = pl.repeat(True, frame.height, dtype=pl.Boolean, eager=True)
    return {
        LAST_SEX: _by_child(numbers, frame["SEX"].cast(pl.String), children),
        LAST_DOB: _by_child(numbers, frame[date_col("DOB")], children),
        LAST_ETHNIC: _by_child(numbers, frame["ETHNIC"].cast(pl.String), children),
        IN_LAST_HEADER: _by_child(numbers, present, children).fill_null(False),
    }


def _last_episode_facts(
    episodes: tuple[pl.DataFrame, pl.Series], children: int
) -> dict[str, pl.Series]:
    """Each child's last episode of the year before (the latest DECOM)."""
    frame, numbers = episodes
    wanted = {
        LAST_DECOM: pl.col(date_col("DECOM")),
        LAST_DEC_GIVEN: pl.col("DEC").is_not_null(),
        **{
            last(column): pl.col(column).cast(pl.String)
            for column in LAST_FIELDS
            if column in frame.columns
        },
    }
    if "PL_DISTANCE" in frame.columns:
        wanted[LAST_DISTANCE] = pl.col("PL_DISTANCE").cast(pl.Float64, strict=False)
    latest = (
        frame.with_columns(numbers.alias("__child"))
        .filter(pl.col("__child").is_not_null() & pl.col(date_col("DECOM")).is_not_null())
        .sort("__child", date_col("DECOM"), maintain_order=True)
        .group_by("__child", maintain_order=True)
        .last()
        .select("__child", **wanted)
    )
    return {name: _by_child(latest["__child"], latest[name], children) for name in wanted}


def _present(numbers: pl.Series, children: int) -> pl.Series:
    """Whether each child has a row among those of `numbers`."""
    flags = pl.repeat(False, children, dtype=pl.Boolean, eager=True)
    return flags.scatter(numbers.drop_nulls(), True)


def _by_child(numbers: pl.Series, values: pl.Series, children: int) -> pl.Series:
    """`values` placed at their child's number (a child's last row wins; others null)."""
    known = numbers.is_not_null()
    return pl.repeat(None, children, dtype=values.dtype, eager=True).scatter(
        numbers.filter(known), values.filter(known)
    )


def with_child_facts(frame: pl.DataFrame, table: str, facts: ChildFacts | None) -> pl.DataFrame:
    """`frame` with its children's facts beside each row."""
    if facts is not None:
        for add_facts in ROW_FACTS.get(table, []):
            frame = add_facts(frame, facts)
    if facts is None or not facts.columns.get(table):
        return frame
    numbers = frame["child_idx"]
    columns = []
    for name, series in facts.columns[table].items():
        values = series.gather(numbers)
        if name == UASC_CHILD:
            values = values.fill_null(False)
        # In pieces as long as the table's: a column cut differently would have polars copy
        # the whole table to line them up.
        columns.append(chunked_like(values, numbers).alias(name))
    return frame.with_columns(columns)
