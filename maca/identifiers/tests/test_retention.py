"""Retention: a closed audit's identifiers are purged once the retention period has passed,
unless a hold with a reason is set; what the audit found stays exactly as it was."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maca.accounts.models import Agency
from maca.audits.models import Audit, AuditStatus, Case
from maca.core.history import REDACTED
from maca.core.models import ChangeRecord
from maca.identifiers.models import AgencyReference, ChildIdentity, IdentifierAccess
from maca.identifiers.retention import Outcome, purge_identifiers
from maca.identifiers.tasks import purge_identifiers_due
from maca.identifiers.tests.conftest import World, sign_in
from maca.planning.services.audits import BACK, FORWARD, audit_status_advance
from maca.sampling.models import SampledChild, SampleDraw
from tests.factories import AuditFactory, CaseFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
LONG_AGO = timezone.make_aware(dt.datetime(2025, 4, 1, 12, 0))  # 426 days before TODAY
LATELY = timezone.make_aware(dt.datetime(2026, 3, 1, 12, 0))  # 92 days before TODAY


def audit_with_identifiers(
    slug: str, *, status: str = AuditStatus.CLOSED, **fields: object
) -> Audit:
    audit = AuditFactory.create(slug=slug, status=status, **fields)
    agency = Agency.objects.create(name=f"Fictional agency of {slug}", short_name=slug[:20])
    draw = SampleDraw.objects.create(
        audit=audit,
        census_date=dt.date(2024, 3, 31),
        method=SampleDraw.Method.RANDOM,
        size=2,
        seed="7",
        frame_size=40,
        record="Fictional draw",
    )
    for index in range(2):
        case = CaseFactory.create(audit=audit)
        ChildIdentity.objects.create(
            case=case, full_name=f"Fictional {slug} {index}", la_child_id=f"{slug[:4]}{index}"
        )
        AgencyReference.objects.create(case=case, agency=agency, reference=f"REF-{index}")
        SampledChild.objects.create(draw=draw, case=case, child_hmac=f"{index:064d}", order=index)
    return audit


@pytest.fixture
def audits(db: None) -> dict[str, Audit]:
    return {
        "due": audit_with_identifiers("closed-long-ago", closed_at=LONG_AGO),
        "recent": audit_with_identifiers("closed-lately", closed_at=LATELY),
        "held": audit_with_identifiers(
            "closed-long-ago-held",
            closed_at=LONG_AGO,
            retention_hold_reason="Complaint to the ombudsman still open",
        ),
        "open": audit_with_identifiers("still-following-up", status=AuditStatus.FOLLOW_UP),
    }


def held_counts(audit: Audit) -> tuple[int, int, int]:
    return (
        ChildIdentity.objects.filter(case__audit=audit).count(),
        AgencyReference.objects.filter(case__audit=audit).count(),
        SampledChild.objects.filter(case__audit=audit).exclude(child_hmac="").count(),
    )


def test_closing_an_audit_records_when_and_reopening_clears_it(db: None) -> None:
    audit = AuditFactory.create(status=AuditStatus.FOLLOW_UP)
    audit = audit_status_advance(audit=audit, direction=FORWARD, expected=AuditStatus.FOLLOW_UP)
    assert audit.status == AuditStatus.CLOSED
    assert audit.closed_at is not None
    audit = audit_status_advance(audit=audit, direction=BACK, expected=AuditStatus.CLOSED)
    audit.refresh_from_db()
    assert audit.closed_at is None


def test_dry_run_reports_and_changes_nothing(audits: dict[str, Audit]) -> None:
    history = ChangeRecord.objects.count()
    decisions = purge_identifiers(today=TODAY, dry_run=True)
    by_slug = {decision.audit_slug: decision for decision in decisions}
    assert by_slug["closed-long-ago"].outcome == Outcome.WOULD_PURGE
    assert (by_slug["closed-long-ago"].identities, by_slug["closed-long-ago"].references) == (2, 2)
    for audit in audits.values():
        audit.refresh_from_db()
        assert held_counts(audit) == (2, 2, 2)
        assert audit.identifiers_purged_at is None
    assert ChangeRecord.objects.count() == history
    assert not IdentifierAccess.objects.exists()


def test_purge_removes_identifiers_only_of_due_unheld_closed_audits(
    audits: dict[str, Audit],
) -> None:
    decisions = {d.audit_slug: d for d in purge_identifiers(today=TODAY, dry_run=False)}
    assert decisions["closed-long-ago"].outcome == Outcome.PURGED
    assert decisions["closed-lately"].outcome == Outcome.NOT_DUE
    assert decisions["closed-lately"].due_on == dt.date(2027, 3, 1)
    assert decisions["closed-long-ago-held"].outcome == Outcome.HELD
    assert "still-following-up" not in decisions
    due = audits.pop("due")
    due.refresh_from_db()
    assert held_counts(due) == (0, 0, 0)
    assert due.identifiers_purged_at is not None
    assert Case.objects.filter(audit=due).count() == 2  # the cases themselves stay
    for kept in audits.values():
        kept.refresh_from_db()
        assert held_counts(kept) == (2, 2, 2)
        assert kept.identifiers_purged_at is None
    entry = IdentifierAccess.objects.get()
    assert entry.kind == IdentifierAccess.Kind.PURGE
    assert entry.audit == due and entry.user is None and entry.user_name == "System"
    assert "2 child identities" in entry.reason
    deletions = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(ChildIdentity), action="delete"
    )
    assert deletions.count() == 2
    assert all(record.audit_id == due.pk for record in deletions)
    assert all(record.changes["full_name"] == [REDACTED, ""] for record in deletions)
    # A second run has nothing left to do.
    again = {d.audit_slug: d for d in purge_identifiers(today=TODAY, dry_run=False)}
    assert again["closed-long-ago"].outcome == Outcome.NOTHING_HELD
    assert IdentifierAccess.objects.count() == 1


def test_retention_days_come_from_the_setting(
    audits: dict[str, Audit], settings: pytest.FixtureRequest
) -> None:
    settings.IDENTIFIER_RETENTION_DAYS = 30  # type: ignore[attr-defined]
    decisions = {d.audit_slug: d for d in purge_identifiers(today=TODAY, dry_run=True)}
    assert decisions["closed-lately"].outcome == Outcome.WOULD_PURGE
    assert decisions["closed-lately"].due_on == dt.date(2026, 3, 31)


def test_closed_audit_without_a_closing_date_counts_from_its_last_change(db: None) -> None:
    audit = audit_with_identifiers("closed-before-dates-kept")
    Audit.objects.filter(pk=audit.pk).update(updated_at=LONG_AGO)
    (decision,) = purge_identifiers(today=TODAY, dry_run=True)
    assert decision.outcome == Outcome.WOULD_PURGE
    assert decision.due_on == dt.date(2026, 4, 1)
    assert "closing date not recorded" in decision.describe()


def test_command_says_what_it_purges_and_why_it_keeps_the_rest(
    audits: dict[str, Audit],
) -> None:
    out = io.StringIO()
    call_command("purge-identifiers", "--dry-run", "--date", "2026-06-01", stdout=out)
    text = out.getvalue()
    assert text.startswith("Dry run: nothing is changed.")
    assert "closed-long-ago: would purge: 2 child identities, 2 agency references" in text
    assert "closed-lately: kept: not due until 1 March 2027" in text
    assert "closed-long-ago-held: kept: on hold (Complaint to the ombudsman still open)" in text
    assert ChildIdentity.objects.count() == 8
    out = io.StringIO()
    call_command("purge-identifiers", "--date", "2026-06-01", stdout=out)
    assert "closed-long-ago: purged: 2 child identities" in out.getvalue()
    assert ChildIdentity.objects.count() == 6


def test_command_refuses_a_bad_date(db: None) -> None:
    with pytest.raises(CommandError, match="--date must be a date like"):
        call_command("purge-identifiers", "--date", "1 June")


def test_scheduled_task_purges_what_is_due(audits: dict[str, Audit]) -> None:
    result = purge_identifiers_due.enqueue(TODAY.isoformat())
    assert result.return_value == {
        Outcome.PURGED: 1,
        Outcome.NOT_DUE: 1,
        Outcome.HELD: 1,
    }
    assert held_counts(audits["due"]) == (0, 0, 0)


# --- The retention page: holds --------------------------------------------------------------


def retention_url(world: World) -> str:
    return reverse("identifiers:retention", args=[world.audit.slug])


@pytest.mark.parametrize(
    "persona",
    ["panel", "auditor", "lead", "reader", "administrator", "other_coordinator"],
)
def test_retention_page_is_the_coordinators_alone(
    client: Client, world: World, persona: str
) -> None:
    sign_in(client, getattr(world, persona))
    assert client.get(retention_url(world)).status_code == 404
    assert client.post(retention_url(world), {"reason": "A long enough reason"}).status_code == 404
    world.audit.refresh_from_db()
    assert world.audit.retention_hold_reason == ""


def test_coordinator_sets_and_lifts_a_hold_with_a_reason(client: Client, world: World) -> None:
    Audit.objects.filter(pk=world.audit.pk).update(
        status=AuditStatus.CLOSED, closed_at=timezone.make_aware(dt.datetime(2026, 1, 10, 9))
    )
    sign_in(client, world.coordinator)
    page = client.get(retention_url(world)).content.decode()
    assert "Due on 10 January 2027" in page
    response = client.post(retention_url(world), {"reason": "short"})
    assert "Reason must be at least 10 characters" in response.content.decode()
    response = client.post(retention_url(world), {"reason": ""})
    assert "Enter the reason for the hold" in response.content.decode()
    response = client.post(retention_url(world), {"reason": "Subject access request in progress"})
    assert response.status_code == 302
    audit = Audit.objects.get(pk=world.audit.pk)
    assert audit.retention_hold_reason == "Subject access request in progress"
    assert audit.retention_hold_set_by == world.coordinator
    assert audit.retention_hold_set_at is not None
    assert "On hold" in client.get(retention_url(world)).content.decode()
    response = client.post(retention_url(world), {"reason": "The request has been answered"})
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.retention_hold_reason == "" and audit.retention_hold_set_by is None
    kinds = list(IdentifierAccess.objects.order_by("pk").values_list("kind", "reason", "user"))
    assert kinds == [
        ("hold_set", "Subject access request in progress", world.coordinator.pk),
        ("hold_lifted", "The request has been answered", world.coordinator.pk),
    ]
    # The audit's history keeps who set the hold and why.
    reasons = [
        record.changes.get("retention_hold_reason")
        for record in ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(Audit), object_id=str(audit.pk)
        )
    ]
    assert ["", "Subject access request in progress"] in reasons
