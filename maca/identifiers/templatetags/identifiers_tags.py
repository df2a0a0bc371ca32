"""The identifiers parts of the case page and the audit overview, so those pages' views need not
know about identifiers: a coordinator's reveal and log links and retention, an agency's own
reference."""

from __future__ import annotations

from typing import Any

from django import template

from maca.audits.selectors import AuditAccess, CaseDetail
from maca.identifiers.selectors import agency_references_for, retention_of

register = template.Library()


@register.inclusion_tag("identifiers/_case_section.html")
def case_identifiers(access: AuditAccess, detail: CaseDetail) -> dict[str, Any]:
    own_rows = [
        row
        for row in detail.agencies
        if row.agency.pk in access.agency_ids
        and (row.agency_return is not None or row.involvement is not None)
    ]
    references = {
        reference.agency_id: reference
        for reference in (agency_references_for(access, detail.case) if own_rows else [])
    }
    return {
        "access": access,
        "audit": access.audit,
        "case": detail.case,
        "own_agencies": [(row.agency, references.get(row.agency.pk)) for row in own_rows],
    }


@register.inclusion_tag("identifiers/_overview_section.html")
def audit_identifiers(access: AuditAccess) -> dict[str, Any]:
    return {
        "access": access,
        "audit": access.audit,
        "retention": retention_of(access.audit) if access.is_coordinator else None,
    }
