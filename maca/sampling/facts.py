"""Compliance flags for every child in a cohort (vectorised), and the full set of 903 facts
for the few children drawn into an audit, as JSON for `Case.facts`.

A flag is either a statutory compliance check (met / partly met / not met / not applicable /
not known) or an indicator worth the panel's attention (concern or none). No flag or fact
holds the CHILD id, UPN or date of birth.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from maca.core import calendar
from maca.sampling import codes
from maca.sampling.derive import Window, extract_start, review_schedule
from maca.sampling.extract import Extract

MET, PARTLY, NOT_MET, NA, UNKNOWN = "met", "partly_met", "not_met", "not_applicable", "unknown"
CONCERN, NONE = "concern", "none"
STATUS_LABELS = {
    MET: "Met",
    PARTLY: "Partly met",
    NOT_MET: "Not met",
    NA: "Not applicable",
    UNKNOWN: "Not known from the 903",
    CONCERN: "Concern",
    NONE: "No concern",
}


@dataclass(frozen=True)
class FlagSpec:
    code: str
    label: str
    source: str
    kind: str  # "compliance" or "indicator"


FLAGS: tuple[FlagSpec, ...] = (
    FlagSpec(
        "reviews_on_time",
        "Looked-after reviews held on time",
        "CPPCR 2010 reg 33: first within 20 working days, second within 3 months, then 6 months",
        "compliance",
    ),
    FlagSpec(
        "review_not_overdue",
        "Next review not overdue on the census date",
        "CPPCR 2010 reg 33",
        "compliance",
    ),
    FlagSpec(
        "health_assessment",
        "Annual health assessment done (OC2)",
        "Promoting the health and well-being of looked-after children (2015)",
        "compliance",
    ),
    FlagSpec("dental_check", "Dental check done (OC2 TEETH_CHECK)", "SSDA903 OC2", "compliance"),
    FlagSpec("immunisations", "Immunisations up to date (OC2)", "SSDA903 OC2", "compliance"),
    FlagSpec(
        "health_surveillance",
        "Health surveillance checks up to date, under 5s (OC2 HEALTH_CHECK)",
        "SSDA903 OC2, rules 545/546",
        "compliance",
    ),
    FlagSpec(
        "sdq",
        "SDQ score recorded, ages 4 to 16 (OC2)",
        "SSDA903 OC2; DfE SDQ guidance",
        "compliance",
    ),
    FlagSpec(
        "placement_stability",
        "3 or more placements in the last 12 months",
        "DfE placement stability measure",
        "indicator",
    ),
    FlagSpec(
        "missing",
        "Missing or away from placement in the last 12 months",
        "SSDA903 missing table; return interviews are not in the 903",
        "indicator",
    ),
    FlagSpec(
        "distance",
        "Placed 20 miles or more from home",
        "SSDA903 PL_DISTANCE",
        "indicator",
    ),
)
FLAG_BY_CODE = {flag.code: flag for flag in FLAGS}


def _status(when_met: pl.Expr, applies: pl.Expr | None = None) -> pl.Expr:
    expr: Any = pl.when(when_met.is_null()).then(pl.lit(UNKNOWN))
    if applies is not None:
        expr = pl.when(~applies).then(pl.lit(NA)).when(when_met.is_null()).then(pl.lit(UNKNOWN))
    return expr.when(when_met).then(pl.lit(MET)).otherwise(pl.lit(NOT_MET))


def with_flags(facts: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Add one `flag_<code>` status column per flag to a `derive.child_facts` frame."""
    has_oc2 = pl.col("oc2_year").is_not_null()
    oc2_age = pl.col("age_at_oc2_year_end")
    assessed, on_time = pl.col("reviews_assessed"), pl.col("reviews_on_time")
    reviews = (
        pl.when(assessed == 0)
        .then(
            pl.when(pl.col("review_overdue").fill_null(False))
            .then(pl.lit(NOT_MET))
            .when((pl.col("reviews") == 0) & pl.col("review_chain_start").is_not_null())
            .then(pl.lit(NA))
            .otherwise(pl.lit(UNKNOWN))
        )
        .when((on_time == assessed) & ~pl.col("review_overdue").fill_null(False))
        .then(pl.lit(MET))
        .when(on_time == 0)
        .then(pl.lit(NOT_MET))
        .otherwise(pl.lit(PARTLY))
    )
    overdue = (
        pl.when(pl.col("next_review_due").is_null())
        .then(pl.lit(UNKNOWN))
        .when(pl.col("review_overdue"))
        .then(pl.lit(NOT_MET))
        .otherwise(pl.lit(MET))
    )
    at_distance = (pl.col("pl_distance") >= 20) | (
        pl.col("pl_distance").is_null() & (pl.col("pl_location") == "OUT")
    )
    lazy = facts.lazy() if isinstance(facts, pl.DataFrame) else facts
    return lazy.with_columns(
        flag_reviews_on_time=reviews,
        flag_review_not_overdue=overdue,
        flag_health_assessment=_status(pl.col("health_assessment"), has_oc2),
        flag_dental_check=_status(pl.col("teeth_check"), has_oc2),
        flag_immunisations=_status(pl.col("immunisations"), has_oc2),
        flag_health_surveillance=_status(pl.col("health_check"), has_oc2 & (oc2_age < 5)),
        flag_sdq=_status(pl.col("sdq_score").is_not_null(), has_oc2 & oc2_age.is_between(4, 16)),
        flag_placement_stability=pl.when(pl.col("placements_12m") >= 3)
        .then(pl.lit(CONCERN))
        .otherwise(pl.lit(NONE)),
        flag_missing=pl.when((pl.col("missing_12m") + pl.col("away_12m")) > 0)
        .then(pl.lit(CONCERN))
        .otherwise(pl.lit(NONE)),
        flag_distance=pl.when(at_distance.fill_null(False))
        .then(pl.lit(CONCERN))
        .otherwise(pl.lit(NONE)),
    )


def sdq_band(score: int | None) -> str:
    if score is None:
        return ""
    if score <= 13:
        return "normal (0 to 13)"
    if score <= 16:
        return "borderline (14 to 16)"
    return "cause for concern (17 to 40)"


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def case_details(
    extract: Extract, facts: pl.DataFrame, census: dt.date, child_idxs: list[int]
) -> dict[int, dict[str, Any]]:
    """JSON-ready facts for each chosen child: the row of `facts` plus moves, missing episodes
    and reviews in detail, and the flags with a sentence each."""
    window = Window.ending(census)
    wanted = pl.Series("child_idx", child_idxs, dtype=pl.UInt32)
    rows = {
        row["child_idx"]: row
        for row in with_flags(facts.filter(pl.col("child_idx").is_in(wanted.implode())))
        .collect()
        .iter_rows(named=True)
    }
    episodes = (
        extract.episodes.filter(pl.col("child_idx").is_in(wanted.implode()))
        .sort("child_idx", "decom")
        .with_columns(
            ended_reason=pl.col("reason_place_change").shift(1).over("child_idx"),
        )
    )
    moves = episodes.filter(
        pl.col("rne").is_in(list(codes.PLACEMENT_CHANGE_RNE)) & window.contains("decom")
    )
    missing = extract.missing.filter(
        pl.col("child_idx").is_in(wanted.implode()) & window.contains("mis_start")
    ).sort("child_idx", "mis_start")
    period = facts.filter(pl.col("child_idx").is_in(wanted.implode())).select(
        "child_idx", "period_start"
    )
    schedule = (
        review_schedule(
            extract.reviews.filter(pl.col("child_idx").is_in(wanted.implode())),
            period.lazy(),
            census,
            extract_start(extract),
        )
        .sort("child_idx", "review")
        .collect()
    )
    result: dict[int, dict[str, Any]] = {}
    for idx in child_idxs:
        row = rows[idx]
        child_moves = [
            {
                "date": _iso(m["decom"]),
                "kind": codes.label(codes.RNE, m["rne"]),
                "placement_type": m["place"],
                "placement_type_label": codes.placement_label(m["place"]),
                "reason": m["ended_reason"] or "",
                "reason_label": codes.label(codes.REASON_PLACE_CHANGE, m["ended_reason"])
                if m["ended_reason"]
                else "Not recorded",
            }
            for m in moves.filter(pl.col("child_idx") == idx).iter_rows(named=True)
        ]
        child_missing = [
            {
                "kind": codes.label(codes.MISSING, m["missing"]),
                "code": m["missing"],
                "start": _iso(m["mis_start"]),
                "end": _iso(m["mis_end"]),
            }
            for m in missing.filter(pl.col("child_idx") == idx).iter_rows(named=True)
        ]
        child_reviews = [
            {
                "number": r["number"],
                "date": _iso(r["review"]),
                "due": _iso(r["due"]),
                "on_time": r["on_time"],
                "rule": r["rule"],
                "participation": codes.label(codes.REVIEW_CODE, r["review_code"])
                if r["review_code"]
                else "",
            }
            for r in schedule.filter(pl.col("child_idx") == idx).iter_rows(named=True)
        ]
        result[idx] = _facts_json(row, census, child_moves, child_missing, child_reviews)
    return result


def _facts_json(
    row: dict[str, Any],
    census: dt.date,
    moves: list[dict[str, Any]],
    missing: list[dict[str, Any]],
    reviews: list[dict[str, Any]],
) -> dict[str, Any]:
    distance = row["pl_distance"]
    oc2 = None
    if row["oc2_year"] is not None:
        oc2 = {
            "year": codes.year_label(row["oc2_year"]),
            "health_assessment": row["health_assessment"],
            "teeth_check": row["teeth_check"],
            "immunisations": row["immunisations"],
            "health_check": row["health_check"],
            "substance_misuse": row["substance_misuse"],
            "convicted": row["convicted"],
            "sdq_score": row["sdq_score"],
            "sdq_band": sdq_band(row["sdq_score"]),
            "sdq_reason": codes.label(codes.SDQ_REASON, row["sdq_reason"])
            if row["sdq_reason"]
            else "",
        }
    flags = [
        {
            "code": flag.code,
            "label": flag.label,
            "source": flag.source,
            "kind": flag.kind,
            "status": row[f"flag_{flag.code}"],
            "detail": _flag_detail(flag.code, row, reviews),
        }
        for flag in FLAGS
    ]
    return {
        "source": "SSDA903",
        "census_date": census.isoformat(),
        "age_years": row["age_years"],
        "age_weeks": row["age_weeks"],
        "sex": codes.sex_label(row["sex"]),
        "legal_status": row["ls"],
        "legal_status_label": codes.label(codes.LEGAL_STATUS, row["ls"]),
        "category_of_need": row["cin"],
        "category_of_need_label": codes.label(codes.CATEGORY_OF_NEED, row["cin"]),
        "placement_type": row["place"],
        "placement_type_label": codes.placement_label(row["place"]),
        "placement_provider": row["place_provider"] or "",
        "placement_provider_label": codes.label(codes.PLACEMENT_PROVIDER, row["place_provider"])
        if row["place_provider"]
        else "",
        "placement_start": _iso(row["placement_start"]),
        "period_of_care_start": _iso(row["period_start"]),
        "placed_out_of_area": None if row["pl_location"] is None else row["pl_location"] == "OUT",
        "placement_la": row["pl_la"] or "",
        "placement_distance_miles": distance,
        "placements_12m": row["placements_12m"],
        "moves_12m": row["moves_12m"],
        "moves": moves,
        "missing_12m": row["missing_12m"],
        "away_12m": row["away_12m"],
        "missing_episodes": missing,
        "uasc": row["is_uasc"],
        "former_uasc": row["former_uasc"],
        "social_worker_changes_12m": row["social_worker_changes_12m"],
        "reviews": reviews,
        "next_review_due": _iso(row["next_review_due"]),
        "review_overdue": bool(row["review_overdue"])
        if row["review_overdue"] is not None
        else None,
        "oc2": oc2,
        "flags": flags,
        "calendar_note": ""
        if calendar.covers(census)
        else "Bank holidays are not known for this year; only weekends were skipped.",
    }


def _flag_detail(code: str, row: dict[str, Any], reviews: list[dict[str, Any]]) -> str:
    if code == "reviews_on_time":
        assessed, on_time = row["reviews_assessed"], row["reviews_on_time"]
        if not assessed:
            if row["review_chain_start"] is None:
                return (
                    "The period of care began before the extract, so its first reviews are "
                    "not in it and cannot be judged."
                )
            return "No review held yet in this period of care."
        late = [r for r in reviews if r["on_time"] is False]
        text = f"{on_time} of {assessed} reviews on time"
        if late:
            text += "; late: " + ", ".join(f"review {r['number']} (due {r['due']})" for r in late)
        return text + "."
    if code == "review_not_overdue":
        due = _iso(row["next_review_due"])
        if due is None:
            return "Not known."
        return f"Next review due by {due}" + (" (overdue)." if row["review_overdue"] else ".")
    if code in ("health_assessment", "dental_check", "immunisations", "health_surveillance"):
        if row["oc2_year"] is None:
            return "OC2 is only returned for children looked after 12 months or more at 31 March."
        return f"From the {codes.year_label(row['oc2_year'])} OC2 return."
    if code == "sdq":
        if row["sdq_score"] is not None:
            return f"SDQ score {row['sdq_score']}: {sdq_band(row['sdq_score'])}."
        if row["sdq_reason"]:
            return f"No score: {codes.label(codes.SDQ_REASON, row['sdq_reason'])}."
        return "No score recorded." if row["oc2_year"] is not None else "No OC2 return."
    if code == "placement_stability":
        return (
            f"{row['placements_12m']} placements ({row['moves_12m']} moves) in the last 12 months."
        )
    if code == "missing":
        return f"{row['missing_12m']} missing, {row['away_12m']} away without authorisation."
    if code == "distance":
        if row["pl_distance"] is not None:
            return f"{row['pl_distance']:.1f} miles from home."
        if row["pl_location"] == "OUT":
            return "Placed out of area; the distance is not in the extract."
        return "Distance not in the extract."
    return ""
