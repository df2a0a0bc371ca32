"""Reads the brief needs that the audits and learning selectors do not offer."""

from __future__ import annotations

from django.db.models import QuerySet

from maca.audits.models import Escalation
from maca.audits.selectors import AuditAccess, require_learning

# The only escalation fields a brief may show. `concern`, `outcome` and the case are never
# loaded, so no renderer can print them by mistake.
PUBLIC_ESCALATION_FIELDS = (
    "id",
    "audit_id",
    "raised_at",
    "urgency",
    "status",
    "public_summary",
    "public_outcome",
)


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
