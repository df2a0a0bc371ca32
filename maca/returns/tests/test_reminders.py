"""Reminders before and after the due date: to the right people, once each, never twice."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from maca.accounts.models import DigestEntry, EmailFrequency, Role
from maca.accounts.notifications import email_frequency_set
from maca.audits.models import AgencyReturn, AuditAgency, ReturnStatus
from maca.returns.models import ReminderSent
from maca.returns.notify import reminder_for
from maca.returns.tasks import send_return_reminders
from maca.returns.tests.conftest import World
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db

# The fictional audit's returns are due on Friday 4 December 2026.
DUE = dt.date(2026, 12, 4)


def run(day: str) -> dict[str, int]:
    return send_return_reminders.enqueue(day).return_value


def test_which_reminder_is_due_counts_working_days():
    assert reminder_for(DUE, dt.date(2026, 11, 30)) is None  # Monday: 4 working days before
    assert reminder_for(DUE, dt.date(2026, 12, 1)) == ("before", 3)  # Tuesday
    assert reminder_for(DUE, DUE) == ("before", 3)
    assert reminder_for(DUE, dt.date(2026, 12, 5)) is None  # Saturday: no working day yet
    assert reminder_for(DUE, dt.date(2026, 12, 7)) == ("after", 1)  # Monday
    assert reminder_for(DUE, dt.date(2026, 12, 11)) == ("after", 5)
    # Over Christmas the bank holidays count too: due Wednesday 23 December, one working day
    # after is the 24th and five is Monday 4 January (25 and 28 December and 1 January are
    # bank holidays).
    assert reminder_for(dt.date(2026, 12, 23), dt.date(2026, 12, 30)) == ("after", 1)
    assert reminder_for(dt.date(2026, 12, 23), dt.date(2026, 12, 31)) == ("after", 1)
    assert reminder_for(dt.date(2026, 12, 23), dt.date(2027, 1, 4)) == ("after", 5)


def test_reminders_go_once_before_and_once_after_to_auditors_and_leads(world: World, mailoutbox):
    other_auditor = person_with_role(Role.AGENCY_AUDITOR, agency=world.agency_a)
    person_with_role(Role.PANEL_MEMBER)  # not an agency role: never reminded

    assert run("2026-11-30") == {"sent": 0, "already_sent": 0}
    before = run("2026-12-01")
    to_a = {world.auditor_a.email, world.lead_a.email, other_auditor.email}
    to_b = {world.auditor_b.email, world.lead_b.email}
    assert {m.to[0] for m in mailoutbox} == to_a | to_b
    assert before["sent"] == 5
    assert all("due on Friday 4 December 2026" in m.subject for m in mailoutbox)
    # The message names the child by pseudonym and links to the return; nothing more.
    body = next(m.body for m in mailoutbox if m.to == [world.auditor_a.email])
    assert world.case.pseudonym in body
    assert f"/cases/{world.case.pk}/returns/{world.agency_a.pk}/" in body

    mailoutbox.clear()
    assert run("2026-12-02") == {"sent": 0, "already_sent": 5}
    assert run("2026-12-03")["sent"] == 0
    assert mailoutbox == []

    # Agency A submits; after the due date only B is reminded.
    AgencyReturn.objects.create(
        case=world.case, agency=world.agency_a, status=ReturnStatus.SUBMITTED
    )
    run("2026-12-07")
    assert {m.to[0] for m in mailoutbox} == to_b
    assert all(m.subject.startswith("Overdue:") for m in mailoutbox)
    mailoutbox.clear()
    run("2026-12-07")
    run("2026-12-08")
    assert mailoutbox == []
    run("2026-12-11")
    assert {m.to[0] for m in mailoutbox} == to_b
    mailoutbox.clear()
    run("2026-12-14")
    assert mailoutbox == []
    assert ReminderSent.objects.count() == 5 + 2 + 2


def test_an_agency_due_date_overrides_the_audits(world: World, mailoutbox):
    AuditAgency.objects.filter(audit=world.audit, agency=world.agency_b).update(
        returns_due=dt.date(2026, 12, 18)
    )
    run("2026-12-01")
    assert {m.to[0] for m in mailoutbox} == {world.auditor_a.email, world.lead_a.email}


def test_no_reminders_once_returns_are_closed(world: World, mailoutbox):
    world.audit.status = "moderation"
    world.audit.save()
    run("2026-12-07")
    assert mailoutbox == []


def test_the_command_queues_the_task(world: World, mailoutbox):
    out = StringIO()
    call_command("send-reminders", "--date", "2026-12-01", stdout=out)
    assert "'sent': 4" in out.getvalue()
    assert len(mailoutbox) == 4


@pytest.mark.parametrize(
    ("count", "subject", "opening", "closing"),
    [
        (
            1,
            "Overdue: 1 return for Fictional audit was due on",
            "that was due on",
            "Sign in to fill it in. If your agency did not know this child,",
        ),
        (
            3,
            "Overdue: 3 returns for Fictional audit were due on",
            "that were due on",
            "Sign in to fill them in. If your agency did not know one of these children,",
        ),
    ],
)
def test_the_overdue_reminder_reads_naturally_for_one_return_or_many(
    count, subject, opening, closing
):
    from types import SimpleNamespace

    from maca.returns.notify import _reminder_text

    group = SimpleNamespace(
        audit=SimpleNamespace(title="Fictional audit", slug="fictional"),
        agency=SimpleNamespace(short_name="Police", pk=1),
        due=DUE,
        cases=[SimpleNamespace(pseudonym=f"Child {n}", pk=n) for n in range(1, count + 1)],
    )
    text_subject, body = _reminder_text(group, "after")  # type: ignore[arg-type]
    assert text_subject.startswith(subject)
    assert opening in body
    assert ("has not been submitted" in body) is (count == 1)
    assert closing in body


def test_send_reminders_now_previews_who_gets_what_then_sends_it(
    client, world: World, mailoutbox, django_capture_on_commit_callbacks
):
    url = f"/audits/{world.audit.slug}/reminders/"
    client.force_login(world.auditor_a)
    assert client.get(url).status_code == 404  # coordinators only
    email_frequency_set(user=world.lead_b, frequency=EmailFrequency.DAILY)
    client.force_login(world.coordinator)
    preview = client.get(url).text
    assert world.agency_a.name in preview and world.auditor_a.email in preview
    assert f"({world.lead_b.email}), in their daily digest" in preview
    assert f"({world.auditor_a.email}), in their daily digest" not in preview
    assert world.case.pseudonym in preview
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert {m.to[0] for m in mailoutbox} == {
        world.auditor_a.email,
        world.lead_a.email,
        world.auditor_b.email,
    }
    assert DigestEntry.objects.filter(recipient=world.lead_b).count() == 1
    # Not recorded as the scheduled reminders: those still go on their days.
    assert not ReminderSent.objects.exists()
