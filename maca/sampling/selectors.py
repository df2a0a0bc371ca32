"""Reads for the sampling pages, scoped like every other read in maca: imports, cohorts and
draws belong to an audit and only its coordinators see them (404 for anyone else); a case's
903 facts are seen by whoever may see the case, and never include the CHILD id, UPN or date of
birth."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from maca.accounts.models import User
from maca.audits.models import Case
from maca.audits.selectors import AuditAccess, audit_access_for, require_cases
from maca.sampling import cohort, kept_facts
from maca.sampling.extract import extract_exists, extract_store, load_problems
from maca.sampling.facts import FLAGS, STATUS_LABELS
from maca.sampling.models import ImportBatch, SampleDraw
from maca.sampling.problems import PROBLEM_SCHEMA


def coordinator_access(user: User, slug: str) -> AuditAccess:
    access = audit_access_for(user, slug)
    if not access.is_coordinator:
        raise Http404("No audit found")
    return access


def imports_for(access: AuditAccess) -> QuerySet[ImportBatch]:
    if not access.is_coordinator:
        raise Http404("No audit found")
    return ImportBatch.objects.filter(audit=access.audit).select_related("created_by")


def import_for(access: AuditAccess, public_id: Any) -> ImportBatch:
    return get_object_or_404(imports_for(access), public_id=public_id)


def draws_for(access: AuditAccess) -> QuerySet[SampleDraw]:
    if not access.sees_every_agency:
        raise Http404("No audit found")
    return SampleDraw.objects.filter(audit=access.audit).select_related("drawn_by", "batch")


def draw_for(access: AuditAccess, pk: int) -> SampleDraw:
    return get_object_or_404(draws_for(access), pk=pk)


def draw_cases(draw: SampleDraw) -> list[Case]:
    return [
        link.case
        for link in draw.children.select_related("case").order_by("order")  # type: ignore[attr-defined]
    ]


def default_census_date(batch: ImportBatch) -> dt.date:
    """31 March of the latest collection year in the extract."""
    return kept_facts.default_census(batch.years or [dt.date.today().year])


def cohort_for(batch: ImportBatch, filters: cohort.CohortFilters) -> cohort.Cohort:
    if not batch.is_usable:
        raise Http404("No import found")
    facts = kept_facts.facts_on(extract_store(batch.storage_name), batch.meta, filters.census_date)
    return cohort.build_cohort(
        facts.frame,
        filters,
        extract_children=facts.extract_children,
        location_source=batch.location_source,
    )


def problem_rows(batch: ImportBatch) -> Iterator[list[Any]]:
    """Every problem of an import, for the coordinator's CSV download."""
    columns = list(PROBLEM_SCHEMA)
    yield columns
    if batch.fatal_problems:
        for problem in batch.fatal_problems:
            yield [problem.get(column) for column in columns]
        return
    store = extract_store(batch.storage_name)
    if extract_exists(store):
        for row in load_problems(store).iter_rows():
            yield list(row)
    else:
        for problem in batch.problem_sample:
            yield [problem.get(column) for column in columns]


# --- A case's 903 facts ---------------------------------------------------------------------

_TAG = {
    "met": "green",
    "partly_met": "yellow",
    "not_met": "red",
    "not_applicable": "grey",
    "unknown": "grey",
    "concern": "orange",
    "none": "green",
}


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    status: str
    detail: str
    source: str
    kind: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def colour(self) -> str:
        return _TAG.get(self.status, "grey")


@dataclass(frozen=True)
class CaseFacts:
    census_date: str
    summary: list[tuple[str, str]]
    compliance: list[Flag]
    indicators: list[Flag]
    moves: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    health: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _yes_no(value: Any) -> str:
    if value is None:
        return "Not known"
    return "Yes" if value else "No"


def _date(value: Any) -> str:
    if not value:
        return "Not known"
    day = dt.date.fromisoformat(str(value))
    return f"{day.day} {day:%B %Y}"


def case_facts(case: Case) -> CaseFacts | None:
    """The 903 facts and compliance flags of a case, ready for `_case_facts.html`; None when
    the case did not come from a 903 extract. Reads only the case itself: no identifiers."""
    data = case.facts or {}
    if data.get("source") != "SSDA903":
        return None
    distance = data.get("placement_distance_miles")
    summary = [
        ("Age on the census date", f"{data.get('age_years')} years"),
        ("Sex", data.get("sex") or "Not known"),
        (
            "Legal status",
            f"{data.get('legal_status')} – {data.get('legal_status_label')}"
            if data.get("legal_status")
            else "Not known",
        ),
        (
            "Category of need",
            f"{data.get('category_of_need')} – {data.get('category_of_need_label')}",
        ),
        (
            "Placement type",
            f"{data.get('placement_type')} – {data.get('placement_type_label')}"
            if data.get("placement_type")
            else "Not known",
        ),
        (
            "Placement provider",
            f"{data.get('placement_provider')} – {data.get('placement_provider_label')}"
            if data.get("placement_provider")
            else "Not recorded",
        ),
        ("Current placement since", _date(data.get("placement_start"))),
        ("Looked after since", _date(data.get("period_of_care_start"))),
        ("Placed out of area", _yes_no(data.get("placed_out_of_area"))),
        (
            "Distance from home",
            f"{float(distance):.1f} miles" if distance is not None else "Not in the extract",
        ),
        ("Placements in the last 12 months", str(data.get("placements_12m", "Not known"))),
        ("Placement moves in the last 12 months", str(data.get("moves_12m", "Not known"))),
        ("Missing episodes in the last 12 months", str(data.get("missing_12m", "Not known"))),
        ("Away without authorisation in the last 12 months", str(data.get("away_12m", "0"))),
        ("Unaccompanied asylum-seeking child", _yes_no(data.get("uasc"))),
        (
            "Social worker changes in the last 12 months",
            str(data.get("social_worker_changes_12m", 0)),
        ),
        ("Next review due", _date(data.get("next_review_due"))),
    ]
    flags = [
        Flag(
            code=item["code"],
            label=item["label"],
            status=item["status"],
            detail=item.get("detail", ""),
            source=item.get("source", ""),
            kind=item.get("kind", "compliance"),
        )
        for item in data.get("flags", [])
        if item.get("code") in {flag.code for flag in FLAGS}
    ]
    health: list[tuple[str, str]] = []
    oc2 = data.get("oc2")
    if oc2:
        health = [
            ("OC2 year", oc2.get("year", "")),
            ("Annual health assessment", _yes_no(oc2.get("health_assessment"))),
            ("Dental check", _yes_no(oc2.get("teeth_check"))),
            ("Immunisations up to date", _yes_no(oc2.get("immunisations"))),
            ("Health surveillance checks (under 5)", _yes_no(oc2.get("health_check"))),
            (
                "SDQ score",
                f"{oc2['sdq_score']} ({oc2.get('sdq_band')})"
                if oc2.get("sdq_score") is not None
                else (oc2.get("sdq_reason") or "Not recorded"),
            ),
        ]
    notes = [data["calendar_note"]] if data.get("calendar_note") else []
    return CaseFacts(
        census_date=_date(data.get("census_date")),
        summary=summary,
        compliance=[flag for flag in flags if flag.kind == "compliance"],
        indicators=[flag for flag in flags if flag.kind != "compliance"],
        moves=[{**move, "date_display": _date(move.get("date"))} for move in data.get("moves", [])],
        missing=[
            {
                **item,
                "start_display": _date(item.get("start")),
                "end_display": _date(item.get("end")) if item.get("end") else "Not returned",
            }
            for item in data.get("missing_episodes", [])
        ],
        reviews=[
            {
                **review,
                "date_display": _date(review.get("date")),
                "due_display": _date(review.get("due"))
                if review.get("due")
                else "Cannot be judged",
            }
            for review in data.get("reviews", [])
        ],
        health=health,
        notes=notes,
    )


def case_for_facts(user: User, slug: str, case_id: int) -> tuple[AuditAccess, Case]:
    access = audit_access_for(user, slug)
    require_cases(access)
    case = get_object_or_404(Case.objects.filter(audit=access.audit), pk=case_id)
    return access, case
