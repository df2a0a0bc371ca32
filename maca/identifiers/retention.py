"""Purging child identifiers a set time after an audit closes (MACA_IDENTIFIER_RETENTION_DAYS).

What goes: each case's `ChildIdentity`, every agency's `AgencyReference`, and the keyed hash
of the 903 CHILD id kept with each sampled child (`SampledChild.child_hmac`), which could match
the child back to an extract. What stays: pseudonyms, facts, returns, grades, findings, actions
and figures, so the brief and report read exactly as before. An audit with a hold is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from maca.audits.models import Audit, AuditStatus
from maca.identifiers.models import AgencyReference, ChildIdentity, IdentifierAccess
from maca.identifiers.selectors import retention_days, retention_of


@dataclass(frozen=True)
class SampleHashes:
    """Keyed hashes of a child's id that an app above identifiers keeps with an audit (the
    sampling's `SampledChild.child_hmac`): counted and cleared with the identities. The app
    registers them in its AppConfig.ready, as identifiers may not import it."""

    count: Callable[[Audit], int]
    clear: Callable[[Audit], None]


_sample_hashes: dict[str, SampleHashes] = {}


def register_sample_hashes(name: str, hashes: SampleHashes) -> None:
    _sample_hashes[name] = hashes


class Outcome:
    PURGED = "purged"
    WOULD_PURGE = "would purge"
    HELD = "kept: on hold"
    NOT_DUE = "kept: not yet due"
    NOTHING_HELD = "nothing to purge"


@dataclass(frozen=True)
class PurgeDecision:
    audit_slug: str
    audit_title: str
    outcome: str
    due_on: dt.date | None
    identities: int
    references: int
    sample_hashes: int
    hold_reason: str = ""
    closed_date_recorded: bool = True

    def describe(self) -> str:
        what = (
            f"{self.identities} child identit{'y' if self.identities == 1 else 'ies'}, "
            f"{self.references} agency reference{'' if self.references == 1 else 's'}, "
            f"{self.sample_hashes} sample hash{'' if self.sample_hashes == 1 else 'es'}"
        )
        due = f"{self.due_on:%-d %B %Y}" if self.due_on else "unknown"
        if not self.closed_date_recorded:
            due += " (closing date not recorded: counted from the audit's last change)"
        if self.outcome == Outcome.HELD:
            return f"kept: on hold ({self.hold_reason}); {what} held; due {due}"
        if self.outcome == Outcome.NOT_DUE:
            return f"kept: not due until {due}; {what} held"
        if self.outcome == Outcome.NOTHING_HELD:
            return f"nothing to purge (due {due})"
        return f"{self.outcome}: {what} (due {due})"


def purge_identifiers(*, today: dt.date, dry_run: bool) -> list[PurgeDecision]:
    """Decide for each closed audit, and purge those due and not on hold unless `dry_run`.

    Each audit is purged in its own transaction, with the audit locked and its hold checked
    again, so a hold set while the run is going is respected."""
    decisions = []
    for audit in Audit.objects.filter(status=AuditStatus.CLOSED).order_by("slug"):
        decision = _decide(audit, today)
        if decision.outcome == Outcome.WOULD_PURGE and not dry_run:
            decision = _purge(audit.pk, today)
        decisions.append(decision)
    return decisions


def _counts(audit: Audit) -> tuple[int, int, int]:
    return (
        ChildIdentity.objects.filter(case__audit=audit).count(),
        AgencyReference.objects.filter(case__audit=audit).count(),
        sum(hashes.count(audit) for hashes in _sample_hashes.values()),
    )


def _decide(audit: Audit, today: dt.date) -> PurgeDecision:
    retention = retention_of(audit)
    identities, references, hashes = _counts(audit)
    if retention.is_held:
        outcome = Outcome.HELD
    elif retention.due_on is None or retention.due_on > today:
        outcome = Outcome.NOT_DUE
    elif identities or references or hashes:
        outcome = Outcome.WOULD_PURGE
    else:
        outcome = Outcome.NOTHING_HELD
    return PurgeDecision(
        audit_slug=audit.slug,
        audit_title=audit.title,
        outcome=outcome,
        due_on=retention.due_on,
        identities=identities,
        references=references,
        sample_hashes=hashes,
        hold_reason=audit.retention_hold_reason,
        closed_date_recorded=retention.closed_date_recorded,
    )


@transaction.atomic
def _purge(audit_id: int, today: dt.date) -> PurgeDecision:
    audit = Audit.objects.select_for_update().get(pk=audit_id)
    decision = _decide(audit, today)
    if decision.outcome != Outcome.WOULD_PURGE:
        return decision
    ChildIdentity.objects.filter(case__audit=audit).delete()
    AgencyReference.objects.filter(case__audit=audit).delete()
    for hashes in _sample_hashes.values():
        hashes.clear(audit)
    audit.identifiers_purged_at = timezone.now()
    audit.save(update_fields=["identifiers_purged_at"])
    IdentifierAccess.objects.create(
        kind=IdentifierAccess.Kind.PURGE,
        user=None,
        user_name="System",
        audit=audit,
        audit_title=audit.title,
        reason=(
            f"Retention period of {retention_days()} days after closing ended on "
            f"{decision.due_on:%-d %B %Y}: {decision.identities} child identities, "
            f"{decision.references} agency references and {decision.sample_hashes} sample "
            "hashes removed."
        ),
    )
    return PurgeDecision(**{**decision.__dict__, "outcome": Outcome.PURGED})
