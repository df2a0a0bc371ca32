"""Reads the brief needs that the audits and learning selectors do not offer."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from maca.audits.models import PUBLIC_ESCALATION_FIELDS, Escalation
from maca.audits.selectors import PUBLISHED_STATUSES, AuditAccess, require_learning
from maca.reports.models import AuditLink


def public_escalations(access: AuditAccess) -> QuerySet[Escalation]:
    """Every escalation of the audit, reduced to its anonymised public account.

    `escalations_for_audit` scopes full escalations to the agencies involved, so a reader
    would see none; the brief instead shows everyone who may read the learning the same
    anonymised list.
    """
    require_learning(access)
    return (
        Escalation.objects.filter(audit=access.audit)
        .only(*PUBLIC_ESCALATION_FIELDS)
        .order_by("raised_at", "id")
    )


def linked_audits_for_brief(access: AuditAccess) -> list[AuditLink]:
    """The other audits the brief covers, in order. Only published ones: the brief may be
    read by anyone who may read this audit, and an unpublished audit's plan is not theirs."""
    require_learning(access)
    return list(
        AuditLink.objects.filter(audit=access.audit, other__status__in=PUBLISHED_STATUSES)
        .select_related("other")
        .prefetch_related("other__lines_of_enquiry")
        .annotate(case_count=Count("other__cases", distinct=True))
        .order_by("order", "id")
    )


def audit_links_for(access: AuditAccess) -> list[AuditLink]:
    """Every link, published or not, for the coordinator's page that edits them."""
    return list(
        AuditLink.objects.filter(audit=access.audit).select_related("other").order_by("order")
    )
