"""Changes to identifiers and the access log. Every reveal, export of the log, hold and purge
writes its log entry in the same transaction as what it does."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from maca.accounts.models import Agency
from maca.audits.models import Audit, AuditStatus, Case
from maca.core.errors import Refused
from maca.identifiers.models import (
    FIELD_LABELS,
    IDENTITY_FIELDS,
    AgencyReference,
    IdentifierAccess,
)
from maca.identifiers.selectors import AccessLogFilters, identity_of

REASON_MIN_LENGTH = 10
REFERENCE_MAX_LENGTH = 100


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, read as the sessions list reads it: through
    allauth, which trusts a forwarded-for header only from the proxies counted in
    MACA_TRUSTED_PROXY_COUNT, so the log names the person's address behind a reverse proxy."""
    try:
        raw = get_account_adapter().get_client_ip(request)
    except PermissionDenied:
        return None
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _actor_name(user: Any) -> str:
    return str(user)[:200] if user is not None else "System"


def _check_reason(reason: str, *, field: str = "reason") -> str:
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise Refused(
            {field: f"Reason must be at least {REASON_MIN_LENGTH} characters: say why it is needed"}
        )
    return reason


# --- Reveal ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevealedIdentifiers:
    case: Case
    values: list[tuple[str, str]]  # (label, value), in a fixed order
    entry: IdentifierAccess


@transaction.atomic
def identifiers_reveal(
    *, user: Any, audit: Audit, case: Case, purpose: str, reason: str, ip_address: str | None
) -> RevealedIdentifiers:
    """Log the reveal, then hand back the child's identifiers to show once.

    The caller has checked that `user` coordinates `audit` (selectors.reveal_case_for)."""
    if purpose not in IdentifierAccess.Purpose.values:
        raise Refused({"purpose": "Choose what you need the identifiers for"})
    reason = _check_reason(reason)
    identity = identity_of(case)
    shown = [name for name in IDENTITY_FIELDS if identity and getattr(identity, name)]
    if not shown:
        raise Refused({"reason": f"No identifiers are held for {case.pseudonym}"})
    entry = IdentifierAccess.objects.create(
        kind=IdentifierAccess.Kind.REVEAL,
        user=user,
        user_name=_actor_name(user),
        audit=audit,
        audit_title=audit.title,
        case=case,
        case_pseudonym=case.pseudonym,
        fields=shown,
        purpose=purpose,
        reason=reason,
        ip_address=ip_address,
    )
    values = [(FIELD_LABELS[name], str(getattr(identity, name))) for name in shown]
    return RevealedIdentifiers(case=case, values=values, entry=entry)


# --- The access log ----------------------------------------------------------------------------


@transaction.atomic
def access_log_export_record(
    *, user: Any, filters: AccessLogFilters, rows: int, ip_address: str | None
) -> IdentifierAccess:
    """Reading the log is itself logged."""
    audit = filters.audit
    return IdentifierAccess.objects.create(
        kind=IdentifierAccess.Kind.LOG_EXPORT,
        user=user,
        user_name=_actor_name(user),
        audit=audit,
        audit_title=audit.title if audit else "",
        reason=f"{rows} entr{'y' if rows == 1 else 'ies'} exported as CSV; {filters.describe()}",
        ip_address=ip_address,
    )


# --- Agencies' references ----------------------------------------------------------------------


@transaction.atomic
def agency_reference_set(*, case: Case, agency: Agency, reference: str) -> AgencyReference | None:
    """Set, change or (when blank) remove the agency's own reference for the child. History
    records that it changed, never the value."""
    reference = reference.strip()
    if len(reference) > REFERENCE_MAX_LENGTH:
        raise Refused(
            {"reference": f"Reference must be {REFERENCE_MAX_LENGTH} characters or fewer"}
        )
    if any(not character.isprintable() for character in reference):
        raise Refused({"reference": "Reference must be on one line, without control characters"})
    existing = AgencyReference.objects.select_for_update().filter(case=case, agency=agency).first()
    if not reference:
        if existing is not None:
            existing.delete()
        return None
    if existing is None:
        return AgencyReference.objects.create(case=case, agency=agency, reference=reference)
    if existing.reference != reference:
        existing.reference = reference
        existing.save(update_fields=["reference"])
    return existing


# --- Retention holds ---------------------------------------------------------------------------


@transaction.atomic
def retention_hold_set(*, audit: Audit, user: Any, reason: str) -> Audit:
    """Keep the audit's identifiers past the retention period until the hold is lifted."""
    reason = _check_reason(reason)
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.identifiers_purged_at is not None and audit.status == AuditStatus.CLOSED:
        raise Refused(
            {"reason": "The identifiers have already been purged: there is nothing to hold"}
        )
    audit.retention_hold_reason = reason
    audit.retention_hold_set_by = user
    audit.retention_hold_set_at = timezone.now()
    audit.save(
        update_fields=[
            "retention_hold_reason",
            "retention_hold_set_by",
            "retention_hold_set_at",
            "updated_at",
        ]
    )
    _log_retention(audit, user, IdentifierAccess.Kind.HOLD_SET, reason)
    return audit


@transaction.atomic
def retention_hold_lift(*, audit: Audit, user: Any, reason: str) -> Audit:
    """Let the retention period take its course again; the next purge run acts on it."""
    reason = _check_reason(reason)
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if not audit.retention_hold_reason:
        raise Refused({"reason": "There is no hold to lift"})
    audit.retention_hold_reason = ""
    audit.retention_hold_set_by = None
    audit.retention_hold_set_at = None
    audit.save(
        update_fields=[
            "retention_hold_reason",
            "retention_hold_set_by",
            "retention_hold_set_at",
            "updated_at",
        ]
    )
    _log_retention(audit, user, IdentifierAccess.Kind.HOLD_LIFTED, reason)
    return audit


def _log_retention(audit: Audit, user: Any, kind: str, reason: str) -> None:
    IdentifierAccess.objects.create(
        kind=kind,
        user=user,
        user_name=_actor_name(user),
        audit=audit,
        audit_title=audit.title,
        reason=reason,
    )
