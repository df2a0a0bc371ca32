"""Facts about each child on a census date, for the whole extract at once: whether looked
after, placement, location and distance, moves and missing episodes in the last 12 months,
UASC, review timeliness (CPPCR 2010 reg 33), OC2 health checks and SDQ.

"The last 12 months" is the 12 months ending on the census date: after the same date a year
earlier, up to and including the census date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from maca.core import calendar
from maca.sampling import codes
from maca.sampling.extract import Extract
from maca.sampling.parse import child_date_key

AGE_BANDS = ("Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over")  # as Case.age_band
DISTANCE_BANDS: tuple[tuple[str, str, float, float | None], ...] = (
    ("under-10", "Under 10 miles", 0, 10),
    ("10-20", "10 to under 20 miles", 10, 20),
    ("20-50", "20 to under 50 miles", 20, 50),
    ("50-100", "50 to under 100 miles", 50, 100),
    ("100-plus", "100 miles or more", 100, None),
)
UNKNOWN_DISTANCE = "unknown"
FIRST_REVIEW_WORKING_DAYS = 20


def one_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def age_years_expr(dob: pl.Expr, census: dt.date) -> pl.Expr:
    before_birthday = (dob.dt.month() > census.month) | (
        (dob.dt.month() == census.month) & (dob.dt.day() > census.day)
    )
    return (pl.lit(census.year) - dob.dt.year() - before_birthday.cast(pl.Int32)).cast(pl.Int32)


def age_band_expr(years: pl.Expr) -> pl.Expr:
    return (
        pl.when(years < 1)
        .then(pl.lit(AGE_BANDS[0]))
        .when(years < 5)
        .then(pl.lit(AGE_BANDS[1]))
        .when(years < 10)
        .then(pl.lit(AGE_BANDS[2]))
        .when(years < 16)
        .then(pl.lit(AGE_BANDS[3]))
        .otherwise(pl.lit(AGE_BANDS[4]))
    )


def distance_band_expr(distance: pl.Expr) -> pl.Expr:
    chain: Any = pl.when(distance.is_null()).then(pl.lit(UNKNOWN_DISTANCE))
    for key, _label, low, high in DISTANCE_BANDS:
        condition = distance >= low if high is None else (distance >= low) & (distance < high)
        chain = chain.when(condition).then(pl.lit(key))
    return chain.otherwise(pl.lit(UNKNOWN_DISTANCE))


@dataclass(frozen=True)
class Window:
    census: dt.date
    start: dt.date  # exclusive

    @classmethod
    def ending(cls, census: dt.date) -> Window:
        return cls(census, one_year_before(census))

    def contains(self, column: str) -> pl.Expr:
        return (pl.col(column) > self.start) & (pl.col(column) <= self.census)


def _open_on(day: dt.date) -> pl.Expr:
    return (
        (pl.col("decom") <= day)
        & (pl.col("dec").is_null() | (pl.col("dec") > day))
        & ~pl.col("ls").is_in(list(codes.SHORT_BREAK_LS))
    )


def extract_start(extract: Extract) -> dt.date | None:
    """The first day the extract covers: 1 April of its earliest collection year. The 903
    returns only the reviews held in its year, so a period of care that began earlier may
    have had reviews the extract does not show."""
    years = extract.meta.get("years") or []
    return dt.date(min(years) - 1, 4, 1) if years else None


def review_schedule(
    reviews: pl.DataFrame | pl.LazyFrame,
    starts: pl.LazyFrame,
    census: dt.date,
    covered_from: dt.date | None,
    *,
    every_child: bool = False,
) -> pl.LazyFrame:
    """Every review in the current period of care with its due date and whether it was on time.

    Reg 33: the first review within 20 working days of the start of the period of care
    (`period_start`, the DECOM of the episode with RNE S), the second within 3 months of the
    first, later ones within 6 months of the one before. When the period began before the
    extract (no S episode), the first review in the data cannot be judged and later ones are
    taken to be 6 months apart. So is a period that began before `covered_from`: its earlier
    reviews are not in the extract.

    Only the children in `starts` are judged, unless `every_child`: then a child missing from
    `starts` is judged as one whose period start is not known."""
    in_calendar = isinstance(reviews, pl.DataFrame) and _reviews_in_calendar(reviews)
    # A kept extract's reviews are in child then date order already (`extract.py`), and the
    # join and filter below keep that order: checking costs a tenth of sorting again.
    in_order = isinstance(reviews, pl.DataFrame) and _in_child_date_order(reviews, "review")
    reviews = reviews.lazy()
    starts = starts.with_columns(
        chain_start=pl.when(pl.col("period_start") >= covered_from).then(pl.col("period_start"))
        if covered_from is not None
        else pl.col("period_start")
    )
    starts = calendar.add_working_days_expr(
        starts, "chain_start", FIRST_REVIEW_WORKING_DAYS, "first_due"
    )
    frame = reviews.join(
        starts, on="child_idx", how="left" if every_child else "inner", maintain_order="left"
    ).filter(
        (pl.col("review") <= census)
        & (pl.col("period_start").is_null() | (pl.col("review") >= pl.col("period_start")))
    )
    if not in_order:
        # One integer key sorts in half the time of two columns; the sort is stable, so two
        # reviews on the same day keep the order they were given in.
        frame = frame.sort(child_date_key("child_idx", "review"), maintain_order=True)
    frame = (
        frame
        # Rows are in child order, so "same child as the row before" replaces a window
        # function, which costs several times more on half a million rows.
        .with_row_index("__i")
        .with_columns(__new=pl.col("child_idx") != pl.col("child_idx").shift(1))
        .with_columns(
            __first=pl.when(pl.col("__new").fill_null(True)).then(pl.col("__i")).forward_fill(),
            previous=pl.when(pl.col("__new").fill_null(True))
            .then(None)
            .otherwise(pl.col("review").shift(1)),
        )
        .with_columns(number=(pl.col("__i") - pl.col("__first") + 1).cast(pl.Int32))
        .drop("__i", "__new", "__first")
    )
    known = pl.col("chain_start").is_not_null()
    due = (
        pl.when(known & (pl.col("number") == 1))
        .then(pl.col("first_due"))
        .when(known & (pl.col("number") == 2))
        .then(calendar.add_months_expr("previous", 3, in_calendar=in_calendar))
        .when(pl.col("number") >= 2)
        .then(calendar.add_months_expr("previous", 6, in_calendar=in_calendar))
        .otherwise(None)
    )
    rule = (
        pl.when(known & (pl.col("number") == 1))
        .then(pl.lit("first"))
        .when(known & (pl.col("number") == 2))
        .then(pl.lit("second"))
        .when(pl.col("number") >= 2)
        .then(pl.lit("later"))
        .otherwise(pl.lit("not_assessable"))
    )
    return frame.with_columns(due=due, rule=rule).with_columns(
        on_time=pl.when(pl.col("due").is_null())
        .then(None)
        .otherwise(pl.col("review") <= pl.col("due"))
    )


def _in_child_date_order(frame: pl.DataFrame, day: str) -> bool:
    key = frame.select(child_date_key("child_idx", day)).to_series()
    return key.null_count() == 0 and key.is_sorted()


def _reviews_in_calendar(reviews: pl.DataFrame) -> bool:
    span = reviews.select(first=pl.col("review").min(), last=pl.col("review").max()).row(0)
    return calendar.covers_dates(*span)


def _review_totals(schedule: pl.LazyFrame) -> pl.LazyFrame:
    """Each child's reviews, how many could be judged and were on time, and the last review
    and its number. The schedule is in child then date order, so a child's totals are on its
    last row: the running counts there, less those at the child before, and no grouping."""
    last_of_child = (pl.col("child_idx") != pl.col("child_idx").shift(-1)).fill_null(True)
    counts = {
        "reviews_assessed": pl.col("on_time").is_not_null(),
        "reviews_on_time": pl.col("on_time").fill_null(False),
    }
    return (
        schedule.select(
            "child_idx",
            "review",
            "number",
            *[flag.cast(pl.UInt32).cum_sum().alias(name) for name, flag in counts.items()],
            last_of_child.alias("__last"),
        )
        .filter("__last")
        .select(
            "child_idx",
            reviews=pl.col("number").cast(pl.UInt32),
            **{name: pl.col(name) - pl.col(name).shift(1, fill_value=0) for name in counts},
            last_review="review",
            last_number="number",
        )
    )


def _join_one_per_child(
    frame: pl.DataFrame, parts: list[pl.DataFrame], children: int
) -> pl.DataFrame:
    """`frame` left-joined with each of `parts`, which have at most one row per child.

    Child numbers run from 0 to `children` - 1, so each child's row of a part is found
    through a list indexed by child number, not a hash table: a dozen such joins of 70,000
    children cost a tenth of what hash joins do. A part with a row for every child in child
    number order (a kept table's own) needs no list."""
    numbers = frame["child_idx"]
    joined = [frame]
    for part in parts:
        if part.height == 0 or numbers.len() == 0:
            empty = frame.select("child_idx").join(
                part, on="child_idx", how="left", maintain_order="left"
            )
            joined.append(empty.drop("child_idx"))
            continue
        ids = part["child_idx"]
        if ids.len() == children and ids.is_sorted() and ids[0] == 0 and ids[-1] == children - 1:
            rows = numbers
        else:
            slots = pl.repeat(None, children, dtype=pl.UInt32, eager=True).scatter(
                ids, pl.int_range(part.height, eager=True, dtype=pl.UInt32)
            )
            rows = slots.gather(numbers)
        joined.append(part.drop("child_idx").select(pl.all().gather(rows)))
    return pl.concat(joined, how="horizontal")


def _latest_per_child(table: pl.DataFrame) -> pl.LazyFrame:
    """Each child's row of the latest year in `table` (which has a `year` column). A kept
    table of one year has a row per child already, in child order (`extract.py`): seeing
    that costs a look at each child number, where grouping costs a hash of each row."""
    numbers = table["child_idx"]
    if (
        numbers.null_count() == 0
        and numbers.is_sorted()
        and numbers.set_sorted().n_unique() == numbers.len()
    ):
        return table.lazy()
    return table.lazy().sort("child_idx", "year").group_by("child_idx").last()


def child_facts(extract: Extract, census: dt.date) -> pl.DataFrame:
    """One row per child looked after on the census date (short breaks left out), with every
    fact the cohort filters and the compliance flags use."""
    window = Window.ending(census)
    episodes = _episode_parts(extract.episodes.lazy(), census, window)
    # Every child's reviews are judged, not only those of the children looked after on the
    # census date: a child's schedule depends only on its own reviews and period start, so it
    # can be worked out beside the other parts rather than after them.
    covered_from = extract_start(extract)
    in_calendar = _reviews_in_calendar(extract.reviews)
    schedule = review_schedule(
        extract.reviews, episodes["starts"], census, covered_from, every_child=True
    )
    # Worked out together, in parallel: each part reads a whole table (the episodes are a
    # million rows in a national extract) and gives one row per child, except the UASC table,
    # which may list a child twice.
    parts = {
        "current": episodes["current"],
        "children": extract.children.lazy(),
        "dob": extract.identity.lazy().select("child_idx", "dob"),
        "starts": episodes["starts"],
        "placement_start": episodes["placement_start"],
        "movement": episodes["movement"],
        "at_window_start": episodes["at_window_start"],
        **_other_table_parts(extract, census, window),
        "reviews": _review_totals(schedule),
    }
    collected = dict(zip(parts, pl.collect_all(list(parts.values())), strict=True))
    uasc_part = collected.pop("uasc")
    current_part = collected.pop("current")
    joined = _join_one_per_child(
        current_part, list(collected.values()), extract.children.height
    ).join(uasc_part, on="child_idx", how="left", maintain_order="left")
    frame = _with_counts_and_ages(joined.lazy(), census)
    frame = _with_next_review(frame, census, covered_from, in_calendar)
    return frame.drop(
        "dob", "uasc_table", "uasc_flag", "looked_after_12m_ago", "first_review_due"
    ).collect()


def _episode_parts(
    episodes: pl.LazyFrame, census: dt.date, window: Window
) -> dict[str, pl.LazyFrame]:
    """What the episodes say of each child: the episode open on the census date, when the
    period of care and the placement began, moves in the year, and care a year before."""
    current = (
        episodes.filter(_open_on(census))
        .sort(child_date_key("child_idx", "decom"), maintain_order=True)
        # Each child's latest open episode: the last of its rows, now in child then date order.
        .filter((pl.col("child_idx") != pl.col("child_idx").shift(-1)).fill_null(True))
        .select(
            "child_idx",
            pl.col("decom").alias("episode_start"),
            "ls",
            "cin",
            "place",
            "place_provider",
            "pl_la",
            "pl_location",
            "pl_distance",
        )
    )
    starts = (
        episodes.filter((pl.col("rne") == "S") & (pl.col("decom") <= census))
        .group_by("child_idx")
        .agg(pl.col("decom").max().alias("period_start"))
    )
    placement_start = (
        episodes.filter(
            pl.col("rne").is_in(list(codes.NEW_PLACEMENT_RNE)) & (pl.col("decom") <= census)
        )
        .group_by("child_idx")
        .agg(pl.col("decom").max().alias("placement_start"))
    )
    in_window = episodes.filter(window.contains("decom"))
    movement = in_window.group_by("child_idx").agg(
        moves_12m=pl.col("rne").is_in(list(codes.PLACEMENT_CHANGE_RNE)).sum(),
        new_periods_12m=(pl.col("rne") == "S").sum(),
    )
    at_window_start = (
        episodes.filter(_open_on(window.start))
        .select("child_idx")
        .unique()
        .with_columns(looked_after_12m_ago=pl.lit(True))
    )
    return {
        "current": current,
        "starts": starts,
        "placement_start": placement_start,
        "movement": movement,
        "at_window_start": at_window_start,
    }


def _other_table_parts(
    extract: Extract, census: dt.date, window: Window
) -> dict[str, pl.LazyFrame]:
    """What the missing, UASC, OC2 and social worker tables say of each child."""
    missing = (
        extract.missing.lazy()
        .filter(window.contains("mis_start"))
        .group_by("child_idx")
        .agg(
            missing_12m=(pl.col("missing") == "M").sum(),
            away_12m=(pl.col("missing") == "A").sum(),
        )
    )
    uasc = extract.uasc.lazy().select(
        "child_idx",
        uasc_table=pl.col("duc").is_null() | (pl.col("duc") > census),
        former_uasc=pl.col("duc").is_not_null() & (pl.col("duc") <= census),
    )
    oc2 = _latest_per_child(extract.oc2).rename({"year": "oc2_year"})
    sw = (
        extract.sw.lazy()
        .filter(window.contains("sw_decom"))
        .group_by("child_idx")
        .agg(social_worker_changes_12m=pl.len())
    )
    return {"missing": missing, "uasc": uasc, "oc2": oc2, "sw": sw}


def _with_counts_and_ages(frame: pl.LazyFrame, census: dt.date) -> pl.LazyFrame:
    """Ages and bands on the census date, and the year's counts with none read as 0."""
    age = age_years_expr(pl.col("dob"), census)
    # OC2 rules look at age on 31 March of the OC2 year (health checks under 5, SDQ 4 to 16).
    oc2_age = (
        pl.col("oc2_year") - pl.col("dob").dt.year() - (pl.col("dob").dt.month() > 3).cast(pl.Int32)
    )
    return frame.with_columns(
        age_at_oc2_year_end=oc2_age.cast(pl.Int32),
        age_years=age,
        age_weeks=((pl.lit(census) - pl.col("dob")).dt.total_days() // 7).cast(pl.Int32),
        age_band=age_band_expr(age),
        distance_band=distance_band_expr(pl.col("pl_distance")),
        moves_12m=pl.col("moves_12m").fill_null(0).cast(pl.Int32),
        placements_12m=(
            pl.col("looked_after_12m_ago").fill_null(False).cast(pl.Int32)
            + pl.col("moves_12m").fill_null(0)
            + pl.col("new_periods_12m").fill_null(0)
        ).cast(pl.Int32),
        missing_12m=pl.col("missing_12m").fill_null(0).cast(pl.Int32),
        away_12m=pl.col("away_12m").fill_null(0).cast(pl.Int32),
        is_uasc=pl.col("uasc_table").fill_null(False) | pl.col("uasc_flag").fill_null(False),
        former_uasc=pl.col("former_uasc").fill_null(False),
        social_worker_changes_12m=pl.col("social_worker_changes_12m").fill_null(0).cast(pl.Int32),
        reviews=pl.col("reviews").fill_null(0).cast(pl.Int32),
        reviews_assessed=pl.col("reviews_assessed").fill_null(0).cast(pl.Int32),
        reviews_on_time=pl.col("reviews_on_time").fill_null(0).cast(pl.Int32),
    )


def _with_next_review(
    frame: pl.LazyFrame,
    census: dt.date,
    covered_from: dt.date | None,
    in_calendar: bool,
) -> pl.LazyFrame:
    """When the next review falls due: after the last one (3 months after the first, 6 after
    later ones), or 20 working days after the period began if there has been none."""
    trusted_start = (
        pl.when(pl.col("period_start") >= covered_from).then(pl.col("period_start"))
        if covered_from is not None
        else pl.col("period_start")
    )
    frame = frame.with_columns(review_chain_start=trusted_start)
    frame = calendar.add_working_days_expr(
        frame, "review_chain_start", FIRST_REVIEW_WORKING_DAYS, "first_review_due"
    )
    return frame.with_columns(
        next_review_due=pl.when(pl.col("last_review").is_null())
        .then(pl.col("first_review_due"))
        .when((pl.col("last_number") == 1) & pl.col("review_chain_start").is_not_null())
        .then(calendar.add_months_expr("last_review", 3, in_calendar=in_calendar))
        .otherwise(calendar.add_months_expr("last_review", 6, in_calendar=in_calendar))
    ).with_columns(review_overdue=pl.col("next_review_due") < census)


def child_count(extract: Extract) -> int:
    return extract.children.height
