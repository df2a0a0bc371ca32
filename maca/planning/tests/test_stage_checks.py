"""Before a stage moves on, what is still outstanding is shown: blockers stop the move, the
rest needs a reason, kept in the audit's history. All data is fictional."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from maca.audits.models import AgencyReturn, Audit, Escalation, ReturnStatus
from maca.core.errors import Refused
from maca.core.models import ChangeRecord
from maca.planning import services
from tests.factories import AuditFactory, build_audit, person_with_role

pytestmark = pytest.mark.django_db


def _late_and_unacknowledged(audit: Audit) -> None:
    AgencyReturn.objects.filter(case__audit=audit, status=ReturnStatus.DRAFT).update(
        due_date=dt.date(2024, 4, 1)
    )
    Escalation.objects.filter(audit=audit).update(
        urgency=Escalation.Urgency.IMMEDIATE,
        acknowledge_by=timezone.now() - dt.timedelta(days=2),
    )


def test_the_confirmation_page_lists_what_is_outstanding_and_asks_why(client):
    built = build_audit(cases=4, agencies=2, findings=1, status="returns_open")
    _late_and_unacknowledged(built.audit)
    late = AgencyReturn.objects.filter(case__audit=built.audit, status=ReturnStatus.DRAFT).count()
    url = reverse("planning:status-change", args=[built.audit.slug, "forward"])
    client.force_login(built.coordinator)
    page = client.get(url).text
    assert f"{late} returns are late and not submitted." in page
    assert "3 escalations have not been acknowledged (3 past its deadline; 3 immediate" in page
    assert "Why move on now?" in page

    refused = client.post(url, {"expected": "returns_open", "reason": "  "})
    assert refused.status_code == 200
    assert "Give the reason for moving on while these are still outstanding" in refused.text
    assert 'href="#id_reason"' in refused.text
    assert Audit.objects.get(pk=built.audit.pk).status == "returns_open"

    reason = "The panel meets on Monday; late agencies will bring their returns (fictional)."
    client.post(url, {"expected": "returns_open", "reason": reason})
    assert Audit.objects.get(pk=built.audit.pk).status == "moderation"
    record = ChangeRecord.objects.get(audit_id=built.audit.pk, action="moved on")
    assert record.changes["Reason for moving on"] == ["", reason]
    assert "late and not submitted" in record.changes["Outstanding"][1]
    assert record.actor == built.coordinator


def test_the_stage_page_shows_each_move_with_what_was_outstanding_and_why(client):
    built = build_audit(cases=2, agencies=1, findings=1, status="returns_open")
    _late_and_unacknowledged(built.audit)
    client.force_login(built.coordinator)
    forward = reverse("planning:status-change", args=[built.audit.slug, "forward"])
    back = reverse("planning:status-change", args=[built.audit.slug, "back"])
    reason = "The panel meets on Monday (fictional)."
    client.post(forward, {"expected": "returns_open", "reason": reason})
    client.post(back, {"expected": "moderation"})
    status = reverse("planning:status", args=[built.audit.slug])
    page = client.get(status).text
    name = str(built.coordinator)
    back_move = page.index(f"{name} moved it from Moderation to <strong>Returns open</strong>.")
    forward_move = page.index(f"{name} moved it from Returns open to <strong>Moderation</strong>.")
    assert back_move < forward_move  # newest first
    assert page.count("Reason for moving on") == 1  # only the move that needed one
    assert reason in page[forward_move:]
    assert "late and not submitted." in page[forward_move:]  # one or more returns


def test_an_audit_that_never_moved_says_so(client):
    audit = AuditFactory.create(status="sampling")
    coordinator = person_with_role("coordinator")
    audit.coordinators.add(coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("planning:status", args=[audit.slug])).text
    assert "It has not moved since it was set up." in page


def test_moving_to_findings_names_children_not_moderated():
    built = build_audit(cases=3, agencies=1, findings=1, status="moderation")
    outstanding = services.audit_status_outstanding(built.audit, "findings")
    assert "3 children have no agreed overall grade yet." in outstanding


def test_opening_returns_names_an_incomplete_set_up():
    audit = AuditFactory.create(status="sampling", aim="", returns_due=None)
    outstanding = services.audit_status_outstanding(audit, "returns_open")
    assert outstanding[:2] == [
        "The plan is incomplete: it needs an aim, a cohort and lines of enquiry.",
        "No date is set for the returns to be due.",
    ]


def test_blockers_still_refuse_whatever_the_reason():
    built = build_audit(cases=2, agencies=1, findings=0, status="returns_open")
    built.audit.panel_memberships.all().delete()
    with pytest.raises(Refused, match="panel"):
        services.audit_status_advance(
            audit=built.audit,
            direction=services.FORWARD,
            expected="returns_open",
            override_reason="We will find a panel later (fictional).",
        )


def test_an_immediate_escalation_unacknowledged_past_its_deadline_stops_publishing():
    built = build_audit(cases=2, agencies=1, findings=1, status="findings")
    _late_and_unacknowledged(built.audit)
    blockers = services.audit_status_blockers(built.audit, "published")
    assert any("raised for immediate safeguarding" in blocker for blocker in blockers)
    with pytest.raises(Refused, match="raised for immediate safeguarding"):
        services.audit_status_advance(
            audit=built.audit,
            direction=services.FORWARD,
            expected="findings",
            override_reason="The brief is due at the board (fictional).",
        )
    # Acknowledged, it no longer stops the move.
    Escalation.objects.filter(audit=built.audit).update(status=Escalation.Status.ACKNOWLEDGED)
    assert not [
        b for b in services.audit_status_blockers(built.audit, "published") if "escalation" in b
    ]
    # Moderation is not held up: the panel may need to discuss the child.
    assert not [
        b for b in services.audit_status_blockers(built.audit, "moderation") if "escalation" in b
    ]


def test_nothing_outstanding_needs_no_reason(client):
    audit = AuditFactory.create(status="findings")
    coordinator = person_with_role("coordinator")
    audit.coordinators.add(coordinator)
    client.force_login(coordinator)
    url = reverse("planning:status-change", args=[audit.slug, "forward"])
    assert "Why move on now?" not in client.get(url).text
    client.post(url, {"expected": "findings"})
    assert Audit.objects.get(pk=audit.pk).status == "published"
    assert not ChangeRecord.objects.filter(audit_id=audit.pk, action="moved on").exists()


def test_moving_to_moderation_names_returns_missing_where_involvement_is_unknown():
    from maca.audits.models import AgencyInvolvement

    built = build_audit(cases=2, agencies=2, findings=0, status="returns_open")
    involvement = AgencyInvolvement.objects.filter(case__audit=built.audit).first()
    assert involvement is not None
    involvement.status = AgencyInvolvement.Status.NOT_KNOWN
    involvement.save()
    outstanding = services.audit_status_outstanding(built.audit, "moderation")
    assert (
        "Whether each agency knew each child is still not answered for 1 pairing of child and "
        "agency, so its return is missing."
    ) in outstanding
