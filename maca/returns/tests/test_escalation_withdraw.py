"""An escalation raised in error is withdrawn with a reason by whoever raised it or a
coordinator, and stops counting as outstanding; raising one that repeats an open escalation
warns first. All data fictional."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from maca.audits.models import AuditStatus, Escalation
from maca.core.models import ChangeRecord
from maca.planning.services.audits import audit_status_outstanding
from maca.returns import notify, services
from maca.returns.tests.conftest import World

pytestmark = pytest.mark.django_db


def _raise(world: World, summary: str = "A statutory visit was overdue") -> Escalation:
    return world.raise_escalation(urgency="immediate", summary=summary)


def _withdraw_url(world: World, escalation: Escalation) -> str:
    return reverse("returns:escalation-withdraw", args=[world.audit.slug, escalation.pk])


def test_who_raised_it_withdraws_it_with_a_reason_kept_in_history(client, world):
    escalation = _raise(world)
    page_url = reverse("returns:escalation", args=[world.audit.slug, escalation.pk])
    client.force_login(world.lead_b)  # the receiving lead may not withdraw it
    assert "Withdraw this escalation" not in client.get(page_url).text
    assert client.post(_withdraw_url(world, escalation), {"reason": "x"}).status_code == 404

    client.force_login(world.auditor_a)
    assert "Withdraw this escalation" in client.get(page_url).text
    empty = client.post(_withdraw_url(world, escalation), {"reason": " "})
    assert "Enter why the escalation is being withdrawn" in empty.text
    assert 'href="#reason"' in empty.text or "govuk-error-summary" in empty.text
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.RAISED

    response = client.post(_withdraw_url(world, escalation), {"reason": "Raised twice."})
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.WITHDRAWN
    assert escalation.withdrawal_reason == "Raised twice."
    assert escalation.withdrawn_by == world.auditor_a
    record = ChangeRecord.objects.filter(object_id=str(escalation.pk), action="withdrawn").get()
    assert record.changes["withdrawal_reason"][1] == "Raised twice."
    page = client.get(page_url).text
    assert "Withdrawn" in page and "Raised twice." in page
    assert "Withdraw this escalation" not in page
    # Once withdrawn, it cannot be withdrawn again.
    assert client.post(_withdraw_url(world, escalation), {"reason": "again"}).status_code == 404


def test_a_coordinator_withdraws_one_someone_else_raised(client, world):
    escalation = _raise(world)
    client.force_login(world.coordinator)
    client.post(_withdraw_url(world, escalation), {"reason": "Duplicate of another."})
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.WITHDRAWN


def test_a_withdrawn_escalation_is_not_outstanding_at_a_stage_change(world):
    escalation = _raise(world)
    Escalation.objects.filter(pk=escalation.pk).update(
        acknowledge_by=timezone.now() - dt.timedelta(days=1)
    )
    before = audit_status_outstanding(world.audit, AuditStatus.MODERATION)
    assert any("1 escalation has not been acknowledged" in item for item in before)
    services.escalation_withdraw(
        access=world.context(world.coordinator).access,
        user=world.coordinator,
        escalation=escalation,
        reason="Raised in error.",
    )
    after = audit_status_outstanding(world.audit, AuditStatus.MODERATION)
    assert not any("escalation" in item for item in after)


def test_raising_the_same_escalation_again_warns_and_needs_confirming(client, world):
    first = _raise(world)
    client.force_login(world.auditor_a)
    url = reverse("returns:escalation-new", args=[world.audit.slug])
    post = {
        "case": world.case.pk,
        "raised_by_agency": world.agency_a.pk,
        "raised_to_agency": world.agency_b.pk,
        "urgency": "immediate",
        "concern": "Fictional: the same again.",
        "public_summary": "A statutory visit was overdue",
    }
    warned = client.post(url, post)
    assert warned.status_code == 200
    assert "An escalation like this is already open" in warned.text
    assert f"/escalations/{first.pk}/" in warned.text
    assert f'name="confirm_duplicate" value="{first.pk}"' in warned.text
    assert "Fictional: the same again." in warned.text  # what they typed is kept
    assert Escalation.objects.count() == 1

    # Confirming does not cover an open escalation the warning did not list.
    second = _raise(world)
    again = client.post(url, {**post, "confirm_duplicate": str(first.pk)})
    assert "2 escalations like this are already open" in again.text
    assert Escalation.objects.count() == 2
    key = f"{first.pk},{second.pk}"
    assert f'name="confirm_duplicate" value="{key}"' in again.text

    confirmed = client.post(url, {**post, "confirm_duplicate": key})
    assert confirmed.status_code == 302
    assert Escalation.objects.count() == 3

    # Once the open one is withdrawn, a new one raises without a warning.
    for escalation in Escalation.objects.all():
        services.escalation_withdraw(
            access=world.context(world.coordinator).access,
            user=world.coordinator,
            escalation=escalation,
            reason="Fictional test.",
        )
    assert client.post(url, post).status_code == 302


def test_withdrawing_tells_the_agency_and_the_raiser_but_not_who_withdrew_it(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    escalation = _raise(world)
    mailoutbox.clear()
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_withdraw_url(world, escalation), {"reason": "Fictional duplicate."})
    recipients = sorted(message.to[0] for message in mailoutbox)
    assert recipients == sorted([world.lead_b.email, world.auditor_a.email])
    assert world.coordinator.email not in recipients
    for message in mailoutbox:
        assert "withdrawn" in message.subject
        # Neither the concern nor the reason leaves maca by e-mail.
        assert "Fictional concern" not in message.body
        assert "Fictional duplicate." not in message.body
    # A job for an escalation that is not (or no longer) withdrawn sends nothing.
    other = _raise(world, summary="Another fictional concern")
    assert notify.send_escalation_withdrawn(other.pk) == 0
