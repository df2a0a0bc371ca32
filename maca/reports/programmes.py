"""Briefs that cover several audits: linking another audit to an audit's brief, and how they
relate (a programme of audits, a follow-up, a re-audit, or a year-on-year comparison).

The brief prints a linked audit only once it is published (maca.reports.selectors), so linking
one early is safe: it appears when it may be read.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.audits.selectors import audits_visible_to
from maca.core import history
from maca.core.errors import Refused
from maca.reports.models import AuditLink


def audits_to_link(user: User, audit: Audit) -> list[Audit]:
    """The audits the person may see, other than this one and those already linked."""
    linked = AuditLink.objects.filter(audit=audit).values("other_id")
    return list(audits_visible_to(user).exclude(pk=audit.pk).exclude(pk__in=linked))


@transaction.atomic
def audit_link_add(
    *, user: User, audit: Audit, other: int, relationship: str, note: str = ""
) -> AuditLink:
    """Link an audit the person may see to this audit's brief."""
    found = audits_visible_to(user).filter(pk=other).first()
    if found is None or found.pk == audit.pk:
        raise Refused({"other": "Choose one of the audits listed"})
    if relationship not in AuditLink.Relationship.values:
        raise Refused({"relationship": "Choose how the audits relate"})
    if AuditLink.objects.filter(audit=audit, other=found).exists():
        raise Refused({"other": f"{found.title} is already part of this brief"})
    last = AuditLink.objects.filter(audit=audit).aggregate(top=Max("order"))["top"] or 0
    link = AuditLink.objects.create(
        audit=audit, other=found, relationship=relationship, note=note.strip(), order=last + 1
    )
    history.record_event(
        audit,
        action="brief_link",
        changes={"linked_audit": ["", f"{found.title} ({link.get_relationship_display()})"]},
        audit_id=audit.pk,
    )
    return link


@transaction.atomic
def audit_link_remove(*, audit: Audit, link_id: int) -> None:
    link = AuditLink.objects.filter(audit=audit, pk=link_id).select_related("other").first()
    if link is None:
        raise Refused({"__all__": "That audit is no longer part of this brief; reload the page."})
    link.delete()
    history.record_event(
        audit,
        action="brief_unlink",
        changes={"linked_audit": [link.other.title, ""]},
        audit_id=audit.pk,
    )
