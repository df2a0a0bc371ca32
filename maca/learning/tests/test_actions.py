"""Actions: created from findings, moved through their statuses with an update log, verified
only by the coordinator with evidence of impact; the tracker across audits, its exports and
overdue reminders."""

from __future__ import annotations

import csv
import datetime as dt
import io
from io import StringIO
from typing import Any, cast

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from maca.accounts.models import Role
from maca.core.partial_dates import PartialDate
from maca.core.spreadsheets import safe_cell
from maca.learning.forms import parse_partial_date
from maca.learning.models import Action, ActionReminder, ActionStatus, ActionUpdate, Finding
from maca.learning.services import action_reminders_send
from tests.factories import (
    ActionFactory,
    FindingFactory,
    build_audit,
    mark_recently_authenticated,
    person_with_role,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 9, 10)


# --- Dates as people type them --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-03", PartialDate(2022, 3)),
        ("March 2022", PartialDate(2022, 3)),
        ("mar 2022", PartialDate(2022, 3)),
        ("8 March 2022", PartialDate(2022, 3, 8)),
        ("2022", PartialDate(2022)),
        ("03/2022", PartialDate(2022, 3)),
        ("8/3/2022", PartialDate(2022, 3, 8)),
        ("  Sept 2023 ", PartialDate(2023, 9)),
    ],
)
def test_due_dates_are_read_as_people_type_them(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["Marchember 2022", "31 February 2022", "2022-13", "soon"])
def test_dates_that_are_not_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)


# --- Creating actions -----------------------------------------------------------------------


def _finding(built):
    finding = FindingFactory.create(
        audit=built.audit, heading="learning", title="Health", text="Late requests"
    )
    finding.taken_forward_by.set(built.agencies[:1])
    return finding


def test_panel_member_creates_an_action_from_a_finding(client):
    built = build_audit(cases=2, agencies=3, findings=0, status="findings")
    panel = built.audit.panel.get()
    finding = _finding(built)
    client.force_login(panel)
    url = reverse("learning:finding-action-new", args=[built.audit.slug, finding.pk])
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "description": "Request health assessments within five working days",
            "owners": [str(built.agencies[0].pk), str(built.agencies[1].pk)],
            "lead_name": "Named nurse",
            "due": "March 2025",
            "measure_of_success": "Nine in ten requests on time",
            "include_in_brief": "on",
        },
    )
    action = Action.objects.get(description__startswith="Request health")
    assert response["Location"] == reverse("tracker:detail", args=[action.pk])
    assert action.status == ActionStatus.PROPOSED
    assert action.due == PartialDate(2025, 3)
    assert set(action.owners.all()) == set(built.agencies[:2])
    assert list(action.findings.all()) == [finding]
    assert action.updates.get().status_after == ActionStatus.PROPOSED


def test_bad_action_input_names_each_field_and_saves_nothing(client):
    built = build_audit(cases=1, agencies=2, findings=0, status="findings")
    client.force_login(built.coordinator)
    response = client.post(
        reverse("learning:action-new", args=[built.audit.slug]),
        {"description": "", "owners": [], "due": "the twelfth of never"},
    )
    assert response.status_code == 200
    text = response.text
    assert "Enter what the action is" in text
    assert "Choose at least one owner agency" in text
    assert "Enter the due date as a month and year, like March 2022 or 2022-03" in text
    assert not Action.objects.filter(audit=built.audit).exists()


def test_agency_cannot_create_actions(client):
    built = build_audit(cases=1, agencies=2, findings=0, status="published")
    client.force_login(person_with_role(Role.AGENCY_LEAD, agency=built.agencies[0]))
    url = reverse("learning:action-new", args=[built.audit.slug])
    assert client.get(url).status_code == 404


# --- Status, log, verification --------------------------------------------------------------


def _action(built, **fields) -> Action:
    action = ActionFactory.create(audit=built.audit, status=ActionStatus.PROPOSED, **fields)
    action.owners.set(built.agencies[:1])
    return action


def _status(client, action, status, **extra):
    data = {"status-status": status, **{f"status-{k}": v for k, v in extra.items()}}
    return client.post(reverse("tracker:status", args=[action.pk]), data)


def test_owner_agency_lead_moves_the_action_on_and_each_step_is_logged(client):
    built = build_audit(cases=1, agencies=2, findings=0, status="published")
    action = _action(built)
    lead = person_with_role(Role.AGENCY_LEAD, agency=built.agencies[0])
    client.force_login(lead)
    assert _status(client, action, "agreed").status_code == 302
    assert _status(client, action, "in_progress", note="Training booked").status_code == 302
    assert _status(client, action, "done", done_on="May 2024").status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.done_on == PartialDate(2024, 5)
    steps = list(action.updates.order_by("at", "id").values_list("status_before", "status_after"))
    assert steps == [("proposed", "agreed"), ("agreed", "in_progress"), ("in_progress", "done")]
    assert action.updates.filter(text="Training booked", by=lead).exists()
    client.post(reverse("tracker:note", args=[action.pk]), {"note-text": "Dip sample planned"})
    assert ActionUpdate.objects.filter(action=action, text="Dip sample planned").exists()


def test_a_status_cannot_be_skipped_or_verified_by_an_agency(client):
    built = build_audit(cases=1, agencies=2, findings=0, status="published")
    action = _action(built)
    client.force_login(person_with_role(Role.AGENCY_LEAD, agency=built.agencies[0]))
    response = _status(client, action, "done")
    assert "Choose one of the statuses shown" in response.text
    response = _status(client, action, "verified")
    assert "Choose one of the statuses shown" in response.text
    action.refresh_from_db()
    assert action.status == ActionStatus.PROPOSED
    verify = client.post(
        reverse("tracker:verify", args=[action.pk]), {"verify-evidence_of_impact": "x"}
    )
    assert verify.status_code == 404


def test_another_agency_cannot_update_or_see_the_action(client):
    built = build_audit(cases=1, agencies=3, findings=0, status="findings")
    action = _action(built)
    client.force_login(person_with_role(Role.AGENCY_LEAD, agency=built.agencies[2]))
    assert client.get(reverse("tracker:detail", args=[action.pk])).status_code == 404
    assert _status(client, action, "agreed").status_code == 404


def test_only_the_coordinator_verifies_and_only_with_evidence_of_impact(client):
    built = build_audit(cases=1, agencies=2, findings=0, status="published")
    action = _action(built)
    action.status = ActionStatus.DONE
    action.save()
    panel = built.audit.panel.get()
    client.force_login(panel)
    url = reverse("tracker:verify", args=[action.pk])
    assert client.post(url, {"verify-evidence_of_impact": "Audit shows it"}).status_code == 404

    client.force_login(built.coordinator)
    response = client.post(url, {"verify-evidence_of_impact": "  "})
    assert "Enter the evidence of impact that shows the action worked" in response.text
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE

    client.post(url, {"verify-evidence_of_impact": "Dip sample: 19 of 20 on time"})
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED
    assert action.verified_by == built.coordinator
    assert action.evidence_of_impact == "Dip sample: 19 of 20 on time"
    assert action.updates.filter(status_after="verified").exists()


def test_an_action_not_done_cannot_be_verified(client):
    built = build_audit(cases=1, agencies=2, findings=0, status="published")
    action = _action(built)
    client.force_login(built.coordinator)
    response = client.post(
        reverse("tracker:verify", args=[action.pk]), {"verify-evidence_of_impact": "Evidence"}
    )
    assert "Only an action marked done can be verified" in response.text
    action.refresh_from_db()
    assert action.status == ActionStatus.PROPOSED


# --- The tracker ----------------------------------------------------------------------------


def _two_audits():
    published = build_audit(cases=1, agencies=2, findings=0, status="published")
    draft = build_audit(cases=1, agencies=2, findings=0, status="findings")
    a = _action(published, description="Published action", due=PartialDate(2020, 1))
    b = _action(draft, description="Draft action")
    return published, draft, a, b


def _tracker_descriptions(client, query: str = "") -> list[str]:
    response = client.get(reverse("tracker:list") + query)
    assert response.status_code == 200
    return sorted(row.action.description for row in response.context["tracker"].rows)


def test_tracker_scoping_for_each_role(client):
    published, draft, _, _ = _two_audits()
    client.force_login(published.coordinator)
    assert _tracker_descriptions(client) == ["Published action"]
    client.force_login(draft.audit.panel.get())
    assert _tracker_descriptions(client) == ["Draft action"]
    client.force_login(person_with_role(Role.READER))
    assert _tracker_descriptions(client) == ["Published action"]
    # An agency sees what it owns, draft or not, and nothing else.
    client.force_login(person_with_role(Role.AGENCY_AUDITOR, agency=draft.agencies[0]))
    assert _tracker_descriptions(client) == ["Draft action"]
    client.force_login(person_with_role(Role.AGENCY_AUDITOR, agency=draft.agencies[1]))
    assert _tracker_descriptions(client) == []


def test_tracker_filters_by_agency_status_and_overdue(client):
    built = build_audit(cases=1, agencies=3, findings=0, status="published")
    late = _action(built, description="Late", due=PartialDate(2020, 5))
    done = _action(built, description="Done late", due=PartialDate(2020, 5))
    done.status = ActionStatus.DONE
    done.save()
    other = ActionFactory.create(audit=built.audit, description="Other owner", status="agreed")
    other.owners.set(built.agencies[2:])
    client.force_login(built.coordinator)
    assert _tracker_descriptions(client) == ["Done late", "Late", "Other owner"]
    assert _tracker_descriptions(client, "?overdue=on") == ["Late"]
    assert _tracker_descriptions(client, "?status=done") == ["Done late"]
    assert _tracker_descriptions(client, f"?agency={built.agencies[2].pk}") == ["Other owner"]
    # A filter value that is not a choice is ignored rather than failing.
    assert len(_tracker_descriptions(client, "?status=nonsense")) == 3
    assert late.pk


def test_exports_are_safe_against_formula_injection(client):
    built = build_audit(cases=1, agencies=2, findings=0, status="published")
    _action(built, description='=HYPERLINK("http://evil.example","click")')
    _action(built, description="+SUM(1,2)", measure_of_success="@cmd|' /C calc'!A0")
    client.force_login(built.coordinator)
    mark_recently_authenticated(client, built.coordinator)  # exports need a recent sign-in

    response = client.get(reverse("tracker:export-csv"))
    assert response["Content-Disposition"].startswith('attachment; filename="actions-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Audit", "Action"]
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'+SUM(1,2)" in cells
    assert not [cell for cell in cells if cell[:1] in {"=", "+", "-", "@"}]

    response = client.get(reverse("tracker:export-xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in values)
    assert any(cell.value == '=HYPERLINK("http://evil.example","click")' for cell in values)


def test_safe_cell_leaves_ordinary_text_alone():
    assert safe_cell("Police") == "Police"
    assert safe_cell("-5") == "'-5"
    assert safe_cell("\t=1") == "'\t=1"


def test_exports_follow_the_filters_and_the_scope(client):
    _two_audits()
    reader = person_with_role(Role.READER)
    client.force_login(reader)
    mark_recently_authenticated(client, reader)  # exports need a recent sign-in
    text = client.get(reverse("tracker:export-csv")).content.decode("utf-8-sig")
    assert "Published action" in text and "Draft action" not in text


def test_tracker_query_count_does_not_grow_with_audits_or_actions(client):
    coordinator = person_with_role(Role.COORDINATOR)
    counts = []
    for audits in (1, 5):
        for _ in range(audits):
            built = build_audit(cases=2, agencies=3, findings=4, status="published")
            built.audit.coordinators.add(coordinator)
        client.force_login(coordinator)
        client.get(reverse("tracker:list"))  # "last seen" is noted once a minute: not counted
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("tracker:list")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- Overdue reminders ----------------------------------------------------------------------


def test_overdue_reminders_go_once_per_due_date():
    built = build_audit(cases=1, agencies=2, findings=0, status="published")
    lead = person_with_role(Role.AGENCY_LEAD, agency=built.agencies[0])
    overdue = _action(built, description="Overdue", due=PartialDate(2024, 8))
    _action(built, description="Due this month", due=PartialDate(2024, 9))
    done = _action(built, description="Done", due=PartialDate(2024, 1))
    done.status = ActionStatus.DONE
    done.save()

    first = action_reminders_send(today=TODAY)
    assert first.sent == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [lead.email, built.coordinator.email]
    )
    assert all("Overdue" in message.subject for message in mail.outbox)
    assert ActionReminder.objects.get().action == overdue

    second = action_reminders_send(today=TODAY + dt.timedelta(days=1))
    assert second.sent == 0 and len(mail.outbox) == 2

    # A new due date that also passes earns one new reminder.
    overdue.due = cast(Any, PartialDate(2024, 9, 1))
    overdue.save()
    assert action_reminders_send(today=TODAY).sent == 1
    assert ActionReminder.objects.count() == 2


def test_reminder_command_queues_the_task_and_can_send_now():
    built = build_audit(cases=1, agencies=1, findings=0, status="published")
    _action(built, description="Overdue", due=PartialDate(2020, 1))
    out = StringIO()
    call_command("action_reminders", stdout=out)  # the test backend runs tasks at once
    assert "Queued the overdue action reminders" in out.getvalue()
    assert len(mail.outbox) == 1  # the coordinator: the owner agency has no lead
    out = StringIO()
    call_command("action_reminders", "--now", stdout=out)
    assert "Sent 0 overdue reminder(s)" in out.getvalue()
    assert len(mail.outbox) == 1


def test_follow_up_audit_copies_the_plan_with_a_new_empty_sample(client):
    built = build_audit(cases=3, agencies=3, findings=2, status="published")
    client.force_login(built.coordinator)
    url = reverse("learning:follow-up", args=[built.audit.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Re-audit of the theme", "audit_date": "March 2026"})
    assert response.status_code == 302
    follow_up = built.audit.follow_ups.get()
    assert follow_up.status == "draft"
    assert follow_up.tool_version_id == built.audit.tool_version_id
    assert follow_up.theme == built.audit.theme
    assert follow_up.audit_date == PartialDate(2026, 3)
    assert follow_up.cases.count() == 0
    assert set(follow_up.agencies.all()) == set(built.agencies)
    assert follow_up.coordinators.filter(pk=built.coordinator.pk).exists()
    assert response["Location"] == reverse("audits:overview", args=[follow_up.slug])


def test_only_a_coordinator_starts_a_follow_up(client):
    built = build_audit(cases=1, agencies=1, findings=0, status="published")
    client.force_login(built.audit.panel.get())
    url = reverse("learning:follow-up", args=[built.audit.slug])
    assert client.post(url, {"title": "Re-audit"}).status_code == 404
    assert not built.audit.follow_ups.exists()
    assert Finding.objects.count() == 0
