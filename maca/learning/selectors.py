"""Reads of findings, actions, earlier reviews and resources for one audit.

Callers pass an `AuditAccess` from `maca.audits.selectors.audit_access_for`, so the audit has
already been checked against the person asking.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from maca.audits.models import Case
from maca.audits.selectors import AuditAccess, require_learning
from maca.learning.models import (
    Action,
    ActionUpdate,
    AuditReview,
    Finding,
    Heading,
    LearningPoint,
    Resource,
)


@dataclass(frozen=True)
class FindingsByHeading:
    worries: list[Finding]
    good_practice: list[Finding]
    learning: list[Finding]

    def __iter__(self):  # type: ignore[no-untyped-def]
        yield Heading.WORRY, self.worries
        yield Heading.GOOD_PRACTICE, self.good_practice
        yield Heading.LEARNING, self.learning

    @property
    def count(self) -> int:
        return len(self.worries) + len(self.good_practice) + len(self.learning)


def findings_queryset(access: AuditAccess) -> QuerySet[Finding]:
    require_learning(access)
    return (
        Finding.objects.filter(audit=access.audit)
        .order_by("heading", "order", "id")
        .prefetch_related(
            "taken_forward_by",
            "agencies",
            "themes",
            Prefetch("cases", queryset=Case.objects.only("id", "pseudonym", "order")),
            "escalations",
            Prefetch("learning_points", queryset=LearningPoint.objects.select_related("review")),
        )
    )


def findings_by_heading(access: AuditAccess, *, brief_only: bool = False) -> FindingsByHeading:
    findings = findings_queryset(access)
    if brief_only:
        findings = findings.filter(include_in_brief=True)
    grouped: dict[str, list[Finding]] = {heading: [] for heading in Heading.values}
    for finding in findings:
        grouped[finding.heading].append(finding)
    return FindingsByHeading(
        worries=grouped[Heading.WORRY],
        good_practice=grouped[Heading.GOOD_PRACTICE],
        learning=grouped[Heading.LEARNING],
    )


def actions_for_audit(access: AuditAccess, *, brief_only: bool = False) -> list[Action]:
    require_learning(access)
    actions = (
        Action.objects.filter(audit=access.audit)
        .select_related("lead", "verified_by")
        .prefetch_related(
            "owners",
            Prefetch("findings", queryset=Finding.objects.only("id", "title", "text", "heading")),
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("by")),
        )
        .order_by("order", "id")
    )
    if brief_only:
        actions = actions.filter(include_in_brief=True)
    return list(actions)


def review_links_for_audit(access: AuditAccess) -> list[AuditReview]:
    require_learning(access)
    return list(
        AuditReview.objects.filter(audit=access.audit)
        .select_related("review")
        .prefetch_related("review__learning_points")
        .order_by("order", "id")
    )


def resources_for_audit(access: AuditAccess) -> list[Resource]:
    require_learning(access)
    return list(Resource.objects.filter(audit=access.audit).order_by("order", "id"))
