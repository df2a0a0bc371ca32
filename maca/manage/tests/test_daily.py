"""The daily run: escalations past their deadline, actions falling due, and the digest for
people who chose one, each sent once however often the run is repeated. All data fictional."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from maca.accounts.models import DigestEntry, EmailFrequency, Role
from maca.accounts.notifications import email_frequency_set
from maca.audits.models import AgencyReturn, Escalation
from maca.core.models import ChangeRecord
from maca.core.partial_dates import PartialDate
from maca.learning.models import ActionReminder, ActionReminderKind, ActionStatus
from maca.manage.daily import daily_run
from maca.returns import notify
from maca.returns.models import EscalationOverdueNotice
from maca.returns.tests.conftest import World, build_world
from tests.factories import ActionFactory, person_with_role

pytestmark = pytest.mark.django_db

# A day with no return reminder due for the world's audit (returns due 4 December 2026).
DAY = dt.date(2026, 11, 2)


@pytest.fixture
def world() -> World:
    return build_world()


def _escalation(world: World, urgency: str = "practice") -> Escalation:
    return world.raise_escalation(urgency=urgency)


def _past_deadline(escalation: Escalation) -> None:
    Escalation.objects.filter(pk=escalation.pk).update(
        acknowledge_by=timezone.now() - dt.timedelta(hours=1)
    )


def test_an_escalation_past_its_deadline_is_told_once_to_the_lead_and_coordinators(world):
    overdue = _escalation(world)
    on_time = _escalation(world)
    acknowledged = _escalation(world)
    _past_deadline(overdue)
    _past_deadline(acknowledged)
    Escalation.objects.filter(pk=acknowledged.pk).update(status=Escalation.Status.ACKNOWLEDGED)
    mail.outbox.clear()

    daily_run(day=DAY)
    overdue_mails = [m for m in mail.outbox if m.subject.startswith("Overdue: the escalation")]
    assert sorted(m.to[0] for m in overdue_mails) == sorted(
        [world.lead_b.email, world.coordinator.email]
    )
    assert "Fictional concern" not in overdue_mails[0].body
    assert f"/escalations/{overdue.pk}/" in overdue_mails[0].body
    assert EscalationOverdueNotice.objects.get().escalation == overdue
    assert not EscalationOverdueNotice.objects.filter(escalation=on_time).exists()

    sent = len(mail.outbox)
    daily_run(day=DAY + dt.timedelta(days=1))
    assert len(mail.outbox) == sent


def test_an_overdue_escalation_reaches_a_digest_reader_at_once(world):
    email_frequency_set(user=world.coordinator, frequency=EmailFrequency.DAILY)
    _past_deadline(_escalation(world))
    mail.outbox.clear()
    assert notify.send_escalations_overdue(timezone.now())["sent"] == 1
    assert world.coordinator.email in [m.to[0] for m in mail.outbox]
    assert not DigestEntry.objects.filter(recipient=world.coordinator).exists()


def test_an_action_falling_due_is_told_once_per_due_date(world):
    lead = world.lead_a
    soon = ActionFactory.create(
        audit=world.audit, description="Fictional soon", due=PartialDate(2026, 11, 6)
    )
    soon.owners.set([world.agency_a])
    later = ActionFactory.create(
        audit=world.audit, description="Fictional later", due=PartialDate(2026, 12, 20)
    )
    later.owners.set([world.agency_a])
    done = ActionFactory.create(
        audit=world.audit,
        description="Fictional done",
        due=PartialDate(2026, 11, 5),
        status=ActionStatus.DONE,
    )
    done.owners.set([world.agency_a])

    daily_run(day=DAY)
    due_mails = [m for m in mail.outbox if m.subject.startswith("Action due")]
    assert sorted(m.to[0] for m in due_mails) == sorted([lead.email, world.coordinator.email])
    assert all("Fictional soon" in m.subject for m in due_mails)
    reminder = ActionReminder.objects.get()
    assert (reminder.action, reminder.kind) == (soon, ActionReminderKind.FALLING_DUE)

    daily_run(day=DAY + dt.timedelta(days=1))
    assert len([m for m in mail.outbox if m.subject.startswith("Action due")]) == 2

    # Put back by a month, it falls due again later: a new reminder then, not now.
    soon.due = PartialDate(2026, 12, 6)  # type: ignore[assignment]
    soon.save()
    daily_run(day=DAY + dt.timedelta(days=2))
    assert ActionReminder.objects.count() == 1
    daily_run(day=dt.date(2026, 12, 1))
    assert ActionReminder.objects.filter(kind=ActionReminderKind.FALLING_DUE).count() == 2


def test_immediate_is_the_default_and_sends_at_once(world):
    assert world.lead_a.email_frequency == EmailFrequency.IMMEDIATE
    returned = notify.send_return_submitted  # the lead hears of a submitted return
    agency_return = AgencyReturn.objects.create(case=world.case, agency=world.agency_a)
    assert returned(agency_return.pk) == 1
    assert [m.to for m in mail.outbox] == [[world.lead_a.email]]
    assert not DigestEntry.objects.exists()


def test_a_digest_reader_gets_the_days_notifications_in_one_email_once(world):
    email_frequency_set(user=world.lead_a, frequency=EmailFrequency.DAILY)
    first = AgencyReturn.objects.create(case=world.case, agency=world.agency_a)
    notify.send_return_submitted(first.pk)
    to_agency_a = world.raise_escalation(from_b=True, summary="A practice concern")
    notify.send_escalation_raised(to_agency_a.pk)
    assert world.lead_a.email not in [m.to[0] for m in mail.outbox]
    assert DigestEntry.objects.filter(recipient=world.lead_a, sent_at=None).count() == 2

    daily_run(day=DAY)
    digests = [m for m in mail.outbox if m.to == [world.lead_a.email]]
    assert len(digests) == 1
    assert "2 notifications" in digests[0].subject
    assert "ready to sign off" in digests[0].body
    assert "Escalation (practice concern)" in digests[0].body
    assert "/account/notifications/" in digests[0].body

    daily_run(day=DAY)
    assert len([m for m in mail.outbox if m.to == [world.lead_a.email]]) == 1


def test_an_immediate_safeguarding_escalation_skips_the_digest(world):
    email_frequency_set(user=world.lead_b, frequency=EmailFrequency.DAILY)
    escalation = _escalation(world, urgency="immediate")
    mail.outbox.clear()
    notify.send_escalation_raised(escalation.pk)
    assert world.lead_b.email in [m.to[0] for m in mail.outbox]
    assert not DigestEntry.objects.exists()


def test_the_choice_is_made_on_the_account_page_and_kept_in_history(client):
    person = person_with_role(Role.READER)
    client.force_login(person)
    account = client.get("/account/two-factor/").text
    assert "As things happen" in account and "/account/notifications/" in account
    page = client.get("/account/notifications/")
    assert 'value="immediate" checked' in page.text
    missing = client.post("/account/notifications/", {})
    assert "Choose how you want to receive maca" in missing.text
    assert "govuk-error-summary" in missing.text
    response = client.post("/account/notifications/", {"email_frequency": "daily"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email_frequency == EmailFrequency.DAILY
    record = ChangeRecord.objects.filter(object_id=str(person.pk), action="e-mail choice").get()
    assert record.changes == {
        "E-mails": ["As things happen", "Once a day, gathered into one e-mail"]
    }


def test_the_daily_command_runs_every_step(world):
    out = StringIO()
    call_command("daily", "--date", DAY.isoformat(), stdout=out)  # the test backend runs tasks
    for step in ("return reminders", "escalations overdue", "actions falling due", "digests"):
        assert step in out.getvalue()
