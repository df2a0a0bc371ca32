"""Reads the brief needs that the audits and learning selectors do not offer."""

from __future__ import annotations

from django.db.models import QuerySet

from maca.audits.models import PUBLIC_ESCALATION_FIELDS, Escalation
from maca.audits.selectors import AuditAccess, require_learning


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
