"""Escalations of live risk: raised from a return or on their own, acknowledged by a deadline
counted in working days, actioned and closed, each step checked."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from maca.audits.models import AgencyReturn, Escalation
from maca.returns import services
from maca.returns.deadlines import acknowledge_by
from maca.returns.tests.conftest import World, complete_post, return_url

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(day: str, time: str = "15:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=LONDON)


def test_deadlines_count_weekends_and_bank_holidays():
    # Thursday 24 December 2026: Christmas Day (Fri), the weekend, Boxing Day (substitute,
    # Monday 28th) are skipped, so "the next working day" is Tuesday 29 December.
    deadline = acknowledge_by(at("2026-12-24"), "immediate").astimezone(LONDON)
    assert deadline.date() == dt.date(2026, 12, 29)
    assert (deadline.hour, deadline.minute) == (23, 59)
    assert acknowledge_by(at("2026-12-24"), "practice").astimezone(LONDON).date() == dt.date(
        2027, 1, 5
    )
    assert acknowledge_by(at("2026-12-24"), "statutory_overdue").astimezone(LONDON).date() == (
        dt.date(2027, 1, 5)
    )
    # Late on a Friday: still the Monday.
    assert acknowledge_by(at("2026-11-27", "23:30"), "immediate").astimezone(
        LONDON
    ).date() == dt.date(2026, 11, 30)


def test_deadlines_follow_the_setting(settings):
    settings.ESCALATION_ACKNOWLEDGE_WORKING_DAYS = {"immediate": 0, "practice": 10}
    assert acknowledge_by(at("2026-12-24"), "immediate").astimezone(LONDON).date() == dt.date(
        2026, 12, 24
    )
    assert acknowledge_by(at("2026-12-01"), "practice").astimezone(LONDON).date() == dt.date(
        2026, 12, 15
    )


def test_raise_from_a_return_notifies_leads_and_coordinators(
    client, world: World, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.auditor_a)
    client.post(return_url(world), complete_post(world.context(world.auditor_a)))
    agency_return = AgencyReturn.objects.get(case=world.case, agency=world.agency_a)
    new_url = reverse("returns:escalation-new", args=[world.audit.slug])
    form = client.get(f"{new_url}?case={world.case.pk}&return={agency_return.pk}").text
    assert f'<option value="{world.case.pk}" selected>' in form
    assert f'<option value="{world.agency_a.pk}" selected>' in form  # raising agency

    invalid = client.post(
        new_url,
        {
            "case": world.case.pk,
            "raised_by_agency": world.agency_a.pk,
            "from_return": agency_return.pk,
            "public_summary": f"{world.case.pseudonym} was not visited",
        },
    )
    assert "Choose the agency the escalation goes to" in invalid.text
    assert "Choose how urgent it is" in invalid.text
    assert "Enter the concern" in invalid.text
    assert "must not name the child" in invalid.text
    assert 'href="#id_urgency_0"' in invalid.text  # the first radio, which takes the focus

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            new_url,
            {
                "case": world.case.pk,
                "raised_by_agency": world.agency_a.pk,
                "raised_to_agency": world.agency_b.pk,
                "from_return": agency_return.pk,
                "urgency": "immediate",
                "concern": "Fictional: the child is missing tonight.",
                "public_summary": "A child missing from placement was not reported",
            },
        )
    assert response.status_code == 302
    escalation = Escalation.objects.get()
    assert escalation.from_return == agency_return
    assert escalation.raised_by_agency == world.agency_a
    assert escalation.status == Escalation.Status.RAISED
    assert escalation.acknowledge_by is not None
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted([world.lead_b.email, world.coordinator.email])
    for message in mailoutbox:
        assert world.case.pseudonym in message.subject
        assert "missing tonight" not in message.body  # no detail leaves maca
        assert f"/escalations/{escalation.pk}/" in message.body


def test_acknowledge_action_and_resolve_each_once_in_order(client, world: World):
    access = world.context(world.auditor_a).access
    escalation = services.escalation_raise(
        access=access,
        user=world.auditor_a,
        request=services.EscalationRequest(
            case=world.case,
            raised_to_agency=world.agency_b,
            raised_by_agency=world.agency_a,
            from_return=None,
            urgency="statutory_overdue",
            concern="Fictional concern",
            public_summary="A statutory visit was overdue",
        ),
    )
    args = [world.audit.slug, escalation.pk]
    # The raiser cannot acknowledge their own escalation; nor can another agency's auditor.
    client.force_login(world.auditor_a)
    assert client.post(reverse("returns:escalation-acknowledge", args=args)).status_code == 404
    client.force_login(world.auditor_b)
    assert client.post(reverse("returns:escalation-acknowledge", args=args)).status_code == 404
    # Out of order: nothing to resolve before it is acknowledged.
    client.force_login(world.lead_b)
    assert client.post(reverse("returns:escalation-resolve", args=args)).status_code == 404

    page = client.get(reverse("returns:escalation", args=args)).text
    assert "Acknowledge the escalation" in page
    client.post(reverse("returns:escalation-acknowledge", args=args), {"note": "On it."})
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.ACKNOWLEDGED
    assert escalation.acknowledged_by == world.lead_b
    assert escalation.acknowledgement_note == "On it."
    assert client.post(reverse("returns:escalation-acknowledge", args=args)).status_code == 404

    empty = client.post(reverse("returns:escalation-action", args=args), {"action_taken": ""})
    assert "Enter the action taken" in empty.text
    client.post(reverse("returns:escalation-action", args=args), {"action_taken": "Visited."})
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.ACTIONED and escalation.action_taken == "Visited."

    client.force_login(world.coordinator)
    client.post(
        reverse("returns:escalation-resolve", args=args),
        {"outcome": "Child seen and safe.", "public_outcome": "The visit was made the next day"},
    )
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.RESOLVED
    assert escalation.resolved_by == world.coordinator
    assert escalation.public_outcome == "The visit was made the next day"
    listing = client.get(reverse("returns:escalations", args=[world.audit.slug])).text
    assert "The visit was made the next day" in listing


def test_the_service_refuses_a_step_taken_twice(world: World):
    access = world.context(world.coordinator).access
    escalation = services.escalation_raise(
        access=access,
        user=world.coordinator,
        request=services.EscalationRequest(
            case=world.case,
            raised_to_agency=world.agency_b,
            raised_by_agency=None,
            from_return=None,
            urgency="practice",
            concern="Fictional",
            public_summary="Fictional",
        ),
    )
    stale_copy = Escalation.objects.get(pk=escalation.pk)
    services.escalation_acknowledge(access=access, user=world.coordinator, escalation=escalation)
    with pytest.raises(services.ReturnError, match="now 'Acknowledged'"):
        services.escalation_acknowledge(
            access=access, user=world.coordinator, escalation=stale_copy
        )


def test_overdue_acknowledgements_are_flagged_for_the_coordinator(client, world: World):
    access = world.context(world.coordinator).access
    overdue = services.escalation_raise(
        access=access,
        user=world.coordinator,
        request=services.EscalationRequest(
            case=world.case,
            raised_to_agency=world.agency_b,
            raised_by_agency=None,
            from_return=None,
            urgency="immediate",
            concern="Fictional",
            public_summary="An overdue fictional concern",
        ),
        now=at("2026-01-05", "10:00"),
    )
    client.force_login(world.coordinator)
    dashboard = client.get(reverse("returns:dashboard")).text
    assert "Escalations not acknowledged in time" in dashboard
    assert reverse("returns:escalation", args=[world.audit.slug, overdue.pk]) in dashboard
    assert "acknowledgement overdue" in dashboard
    listing = client.get(reverse("returns:escalations", args=[world.audit.slug])).text
    assert "1 escalation not acknowledged by its deadline" in listing
    client.force_login(world.lead_b)
    lead_board = client.get(reverse("returns:dashboard")).text
    assert "Escalations to acknowledge" in lead_board
    assert reverse("returns:escalation", args=[world.audit.slug, overdue.pk]) in lead_board


def test_dashboard_shows_each_role_its_work(client, world: World):
    client.force_login(world.auditor_a)
    page = client.get(reverse("returns:dashboard")).text
    assert "Returns to do" in page and return_url(world) in page
    client.post(return_url(world), complete_post(world.context(world.auditor_a), action="submit"))
    client.force_login(world.lead_a)
    page = client.get(reverse("returns:dashboard")).text
    assert "Returns to sign off" in page
    assert return_url(world) in page.split("Returns to sign off")[1].split("Returns to do")[0]
    client.force_login(world.coordinator)
    page = client.get(reverse("returns:dashboard")).text
    assert "Late returns" in page


def test_public_summary_and_outcome_reach_the_brief_without_the_concern(world: World):
    from maca.reports.selectors import public_escalations

    access = world.context(world.coordinator).access
    services.escalation_raise(
        access=access,
        user=world.coordinator,
        request=services.EscalationRequest(
            case=world.case,
            raised_to_agency=world.agency_b,
            raised_by_agency=None,
            from_return=None,
            urgency="practice",
            concern="SECRET fictional concern",
            public_summary="A fictional public summary",
        ),
    )
    world.audit.status = "published"
    world.audit.save()
    rows = list(public_escalations(access))
    assert [row.public_summary for row in rows] == ["A fictional public summary"]
    assert "concern" in rows[0].get_deferred_fields()


@pytest.mark.parametrize(
    ("summary", "names"),
    [
        ("A child at risk of criminal exploitation was not referred", False),
        ("Child A was not referred", True),
        ("The worker saw child  a twice", True),
        ("Children Aside from this", False),
        ("(Child A) missed visits", True),
    ],
)
def test_the_summary_is_refused_only_when_it_names_the_pseudonym_as_words(summary, names):
    from maca.returns.forms import names_the_child

    assert names_the_child(summary, "Child A") is names
