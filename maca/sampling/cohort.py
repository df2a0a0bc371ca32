"""The cohort builder: filters applied in a fixed order, with the number of children left
after each, so the record shows how the sampling frame was reached."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from maca.sampling import codes
from maca.sampling.derive import AGE_BANDS, DISTANCE_BANDS, UNKNOWN_DISTANCE

LOCATION_CHOICES = {"any": "In or out of area", "out": "Placed out of area", "in": "Placed in area"}
UASC_CHOICES = {
    "any": "UASC or not",
    "yes": "Unaccompanied asylum-seeking children only",
    "no": "Not unaccompanied asylum-seeking children",
}
MISSING_CHOICES = {
    "any": "Missing or not",
    "missing": "Missing at least once in the last 12 months",
    "missing_or_away": "Missing or away without authorisation at least once in the last 12 months",
    "none": "Not missing in the last 12 months",
}
PLACEMENTS_CHOICES = {
    "any": "Any number of placements",
    "three_plus": "3 or more placements in the last 12 months",
    "fewer": "Fewer than 3 placements in the last 12 months",
}
DISTANCE_LABELS = {key: label for key, label, _low, _high in DISTANCE_BANDS} | {
    UNKNOWN_DISTANCE: "Distance not known"
}


@dataclass(frozen=True)
class CohortFilters:
    census_date: dt.date
    location: str = "any"
    distance_bands: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()
    legal_statuses: tuple[str, ...] = ()
    placement_types: tuple[str, ...] = ()
    uasc: str = "any"
    missing: str = "any"
    placements: str = "any"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["census_date"] = self.census_date.isoformat()
        data = {
            key: list(value) if isinstance(value, tuple) else value for key, value in data.items()
        }
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CohortFilters:
        values = dict(data)
        values["census_date"] = dt.date.fromisoformat(str(values["census_date"]))
        for key in ("distance_bands", "age_bands", "legal_statuses", "placement_types"):
            values[key] = tuple(values.get(key) or ())
        return cls(**values)


@dataclass(frozen=True)
class Step:
    label: str
    count: int


@dataclass
class Cohort:
    filters: CohortFilters
    steps: list[Step]
    frame: pl.DataFrame  # one row per child in the sampling frame
    extract_children: int
    notes: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.frame.height


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _listing(values: tuple[str, ...], labels: dict[str, str] | None = None) -> str:
    names = [labels.get(v, v) if labels else v for v in values]
    return ", ".join(names)


def build_cohort(
    facts: pl.DataFrame, filters: CohortFilters, *, extract_children: int, location_source: str
) -> Cohort:
    """Apply the filters in order; each applied filter adds a step with the count after it."""
    census = long_date(filters.census_date)
    steps = [
        Step("Children in the extract", extract_children),
        Step(f"Looked after on {census} (short breaks left out)", facts.height),
    ]
    notes: list[str] = []
    frame = facts
    if filters.location != "any":
        unknown = int(frame["pl_location"].is_null().sum())
        wanted = "OUT" if filters.location == "out" else "IN"
        frame = frame.filter(pl.col("pl_location") == wanted)
        steps.append(Step(LOCATION_CHOICES[filters.location], frame.height))
        if unknown:
            notes.append(
                f"{unknown} children could not be placed in or out of area (no placement "
                "postcode, or no home postcode districts set) and are not counted either way."
            )
        if location_source == "none":
            notes.append(
                "This extract has no PL_LOCATION and no home postcode districts were given, "
                "so no child can be placed in or out of area."
            )
    if filters.distance_bands:
        frame = frame.filter(pl.col("distance_band").is_in(list(filters.distance_bands)))
        steps.append(
            Step(f"Distance: {_listing(filters.distance_bands, DISTANCE_LABELS)}", frame.height)
        )
    if filters.age_bands:
        frame = frame.filter(pl.col("age_band").is_in(list(filters.age_bands)))
        steps.append(Step(f"Aged {_listing(filters.age_bands)}", frame.height))
    if filters.legal_statuses:
        frame = frame.filter(pl.col("ls").is_in(list(filters.legal_statuses)))
        steps.append(Step(f"Legal status {_listing(filters.legal_statuses)}", frame.height))
    if filters.placement_types:
        frame = frame.filter(pl.col("place").is_in(list(filters.placement_types)))
        steps.append(Step(f"Placement type {_listing(filters.placement_types)}", frame.height))
    if filters.uasc != "any":
        frame = frame.filter(pl.col("is_uasc") == (filters.uasc == "yes"))
        steps.append(Step(UASC_CHOICES[filters.uasc], frame.height))
    if filters.missing != "any":
        missing = pl.col("missing_12m") > 0
        either = missing | (pl.col("away_12m") > 0)
        condition = {"missing": missing, "missing_or_away": either, "none": ~either}
        frame = frame.filter(condition[filters.missing])
        steps.append(Step(MISSING_CHOICES[filters.missing], frame.height))
    if filters.placements != "any":
        three_plus = pl.col("placements_12m") >= 3
        frame = frame.filter(three_plus if filters.placements == "three_plus" else ~three_plus)
        steps.append(Step(PLACEMENTS_CHOICES[filters.placements], frame.height))
    return Cohort(filters, steps, frame, extract_children, notes)


def describe_filters(filters: CohortFilters) -> list[str]:
    lines = [f"Looked after on {long_date(filters.census_date)} (short breaks left out)"]
    if filters.location != "any":
        lines.append(LOCATION_CHOICES[filters.location])
    if filters.distance_bands:
        lines.append(f"Distance: {_listing(filters.distance_bands, DISTANCE_LABELS)}")
    if filters.age_bands:
        lines.append(f"Aged {_listing(filters.age_bands)}")
    if filters.legal_statuses:
        lines.append(f"Legal status {_listing(filters.legal_statuses)}")
    if filters.placement_types:
        lines.append(f"Placement type {_listing(filters.placement_types)}")
    if filters.uasc != "any":
        lines.append(UASC_CHOICES[filters.uasc])
    if filters.missing != "any":
        lines.append(MISSING_CHOICES[filters.missing])
    if filters.placements != "any":
        lines.append(PLACEMENTS_CHOICES[filters.placements])
    return lines


AGE_BAND_CHOICES = {band: band for band in AGE_BANDS}
LEGAL_STATUS_CHOICES = codes.LEGAL_STATUS
