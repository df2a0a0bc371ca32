"""Arguments shared by the `maca cohort` and `maca sample` commands."""

from __future__ import annotations

import argparse
import datetime as dt
import uuid

from django.core.management.base import CommandError

from maca.sampling.cohort import (
    DISTANCE_LABELS,
    LOCATION_CHOICES,
    MISSING_CHOICES,
    PLACEMENTS_CHOICES,
    UASC_CHOICES,
    CohortFilters,
)
from maca.sampling.derive import AGE_BANDS
from maca.sampling.models import ImportBatch


def parse_date(text: str) -> dt.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form DD/MM/YYYY")


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--import", dest="batch", required=True, help="The import's id.")
    parser.add_argument(
        "--census", type=parse_date, help="Census date, DD/MM/YYYY (default 31 March of the "
        "latest year in the extract)."
    )  # fmt: skip
    parser.add_argument("--location", choices=sorted(LOCATION_CHOICES), default="any")
    parser.add_argument(
        "--distance", action="append", choices=sorted(DISTANCE_LABELS), default=[],
        help="Distance band; repeat for several.",
    )  # fmt: skip
    parser.add_argument(
        "--age-band", action="append", choices=list(AGE_BANDS), default=[],
        help='Age band, e.g. "10 to 15"; repeat for several.',
    )  # fmt: skip
    parser.add_argument("--legal-status", action="append", default=[], help="e.g. C2; repeat.")
    parser.add_argument("--placement-type", action="append", default=[], help="e.g. K2; repeat.")
    parser.add_argument("--uasc", choices=sorted(UASC_CHOICES), default="any")
    parser.add_argument("--missing", choices=sorted(MISSING_CHOICES), default="any")
    parser.add_argument("--placements", choices=sorted(PLACEMENTS_CHOICES), default="any")


def batch_from(options: dict[str, object]) -> ImportBatch:
    raw = str(options["batch"])
    try:
        public_id = uuid.UUID(raw)
    except ValueError:
        raise CommandError(f"--import {raw}: not an import id (a UUID).") from None
    batch = ImportBatch.objects.filter(public_id=public_id).first()
    if batch is None:
        raise CommandError(f"--import {raw}: no such import.")
    if not batch.is_usable:
        raise CommandError(
            f"--import {raw}: the import is {batch.get_status_display().lower()}, not ready "
            "for sampling."
        )
    return batch


def filters_from(options: dict[str, object], batch: ImportBatch) -> CohortFilters:
    census = options.get("census") or dt.date(max(batch.years), 3, 31)
    assert isinstance(census, dt.date)
    return CohortFilters(
        census_date=census,
        location=str(options["location"]),
        distance_bands=tuple(options["distance"]),  # type: ignore[arg-type]
        age_bands=tuple(options["age_band"]),  # type: ignore[arg-type]
        legal_statuses=tuple(str(v).upper() for v in options["legal_status"]),  # type: ignore[attr-defined]
        placement_types=tuple(str(v).upper() for v in options["placement_type"]),  # type: ignore[attr-defined]
        uasc=str(options["uasc"]),
        missing=str(options["missing"]),
        placements=str(options["placements"]),
    )
