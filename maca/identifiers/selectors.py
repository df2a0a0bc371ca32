"""Reads of child identifiers, agencies' references, the access log and retention, each scoped
to the person asking: anything outside their scope is a 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from maca.accounts.models import Agency, Role, User
from maca.accounts.selectors import roles_of
from maca.audits.models import Audit, AuditStatus, Case
from maca.audits.selectors import AuditAccess, audit_access_for, cases_visible
from maca.identifiers.models import (
    IDENTITY_FIELDS,
    AgencyReference,
    ChildIdentity,
    IdentifierAccess,
)

# --- Revealing a child's identifiers ----------------------------------------------------------


def coordinator_access_for(user: User, slug: str) -> AuditAccess:
    """The audit, if this person coordinates it; 404 for everyone else, administrators too."""
    access = audit_access_for(user, slug)
    if not access.is_coordinator:
        raise Http404("No audit found")
    return access


def reveal_case_for(user: User, slug: str, case_id: int) -> tuple[AuditAccess, Case]:
    """The case whose identifiers this person may ask to see: only the audit's coordinators."""
    access = coordinator_access_for(user, slug)
    case = cases_visible(access).filter(pk=case_id).first()
    if case is None:
        raise Http404("No case found")
    return access, case


def identity_of(case: Case) -> ChildIdentity | None:
    """The child's identity for a reveal. Only `services.identifiers_reveal` shows its values."""
    return ChildIdentity.objects.filter(case=case).first()


def held_fields(case: Case) -> list[str]:
    """Which identifiers are held for the child (names only, never values)."""
    identity = identity_of(case)
    if identity is None:
        return []
    return [name for name in IDENTITY_FIELDS if getattr(identity, name)]


# --- Agencies' own references ------------------------------------------------------------------


def agency_references_for(access: AuditAccess, case: Case) -> list[AgencyReference]:
    """The references of the agencies this person acts for; coordinators and the panel see none
    (each agency's reference is seen only by that agency)."""
    if not access.agency_ids:
        return []
    return list(
        AgencyReference.objects.filter(case=case, agency_id__in=access.agency_ids).select_related(
            "agency"
        )
    )


@dataclass(frozen=True)
class AgencyReferenceTarget:
    access: AuditAccess
    case: Case
    agency: Agency
    reference: AgencyReference | None


def agency_reference_case_for(
    user: User, slug: str, case_id: int, agency_id: int
) -> AgencyReferenceTarget:
    """A case this person's agency was asked about, with the agency's reference if it has one.
    404 unless the person is an auditor or lead of that agency in this audit."""
    access = audit_access_for(user, slug)
    if agency_id not in access.agency_ids:
        raise Http404("No case found")
    agency = Agency.objects.get(pk=agency_id)
    case = (
        Case.objects.filter(audit=access.audit, pk=case_id)
        .filter(Q(involvements__agency_id=agency_id) | Q(returns__agency_id=agency_id))
        .distinct()
        .first()
    )
    if case is None:
        raise Http404("No case found")
    reference = (
        AgencyReference.objects.filter(case=case, agency_id=agency_id)
        .select_related("agency")
        .first()
    )
    return AgencyReferenceTarget(access=access, case=case, agency=agency, reference=reference)


# --- The access log ------------------------------------------------------------------------------


def access_log_scope(user: User) -> QuerySet[IdentifierAccess]:
    """Administrators read the whole log; coordinators the entries about audits they coordinate
    and their own exports of it; everyone else gets a 404."""
    roles = roles_of(user)
    entries = IdentifierAccess.objects.select_related("audit", "case", "user")
    if roles.has(Role.ADMINISTRATOR):
        return entries
    if roles.has(Role.COORDINATOR):
        return entries.filter(
            Q(audit__in=Audit.objects.filter(coordinators=user)) | Q(audit__isnull=True, user=user)
        )
    raise Http404("No page found")


def access_log_audits(user: User) -> QuerySet[Audit]:
    """The audits a person may filter the log by."""
    roles = roles_of(user)
    if roles.has(Role.ADMINISTRATOR):
        return Audit.objects.order_by("title")
    return Audit.objects.filter(coordinators=user).order_by("title")


def access_log_people(user: User) -> QuerySet[User]:
    """The people who appear in the part of the log this person may read."""
    ids = access_log_scope(user).exclude(user=None).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("full_name", "email")


@dataclass(frozen=True)
class AccessLogFilters:
    audit: Audit | None = None
    person: User | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def describe(self) -> str:
        """In words, for the log entry of an export."""
        parts = []
        if self.audit:
            parts.append(f"audit {self.audit.title}")
        if self.person:
            parts.append(f"person {self.person}")
        if self.date_from:
            parts.append(f"from {self.date_from:%-d %B %Y}")
        if self.date_to:
            parts.append(f"to {self.date_to:%-d %B %Y}")
        return ", ".join(parts) or "no filters"


def access_log_for(user: User, filters: AccessLogFilters) -> QuerySet[IdentifierAccess]:
    entries = access_log_scope(user)
    if filters.audit is not None:
        entries = entries.filter(audit=filters.audit)
    if filters.person is not None:
        entries = entries.filter(user=filters.person)
    if filters.date_from is not None:
        entries = entries.filter(at__gte=_start_of(filters.date_from))
    if filters.date_to is not None:
        entries = entries.filter(at__lt=_start_of(filters.date_to + dt.timedelta(days=1)))
    return entries.order_by("-at", "-id")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- Retention -----------------------------------------------------------------------------------


def retention_days() -> int:
    return int(settings.IDENTIFIER_RETENTION_DAYS)


@dataclass(frozen=True)
class Retention:
    """Where an audit's identifiers stand against the retention period."""

    audit: Audit
    closed_on: dt.date | None
    closed_date_recorded: bool
    due_on: dt.date | None

    @property
    def is_held(self) -> bool:
        return bool(self.audit.retention_hold_reason)

    @property
    def purged_on(self) -> dt.date | None:
        purged = self.audit.identifiers_purged_at
        return timezone.localdate(purged) if purged else None


def retention_of(audit: Audit) -> Retention:
    """When the audit's identifiers fall due for purging. An audit closed before its closing
    time was recorded counts from its last change, which is never earlier than when it closed,
    so a purge is never early."""
    if audit.status != AuditStatus.CLOSED:
        return Retention(audit=audit, closed_on=None, closed_date_recorded=False, due_on=None)
    closed = audit.closed_at or audit.updated_at
    closed_on = timezone.localdate(closed)
    return Retention(
        audit=audit,
        closed_on=closed_on,
        closed_date_recorded=audit.closed_at is not None,
        due_on=closed_on + dt.timedelta(days=retention_days()),
    )


def identity_counts(audit: Audit) -> tuple[int, int]:
    """How many children of the audit have identifiers held, and how many agency references."""
    return (
        ChildIdentity.objects.filter(case__audit=audit).count(),
        AgencyReference.objects.filter(case__audit=audit).count(),
    )
