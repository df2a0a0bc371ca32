"""The history of an object shown as a timeline: what is in it, how it reads, who may see it,
and that it costs the same few queries however long it is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from maca.accounts.models import Role
from maca.audits.models import AgencyReturn, Answer, Escalation, Question, ReturnStatus
from maca.audits.selectors import audit_access_for
from maca.core.history import acting_as
from maca.core.models import ChangeRecord
from maca.history.selectors import CHANGED, records_of, timeline_for
from maca.identifiers.models import ChildIdentity
from maca.learning.models import ActionStatus
from maca.returns.tests.conftest import build_world
from tests.factories import ActionFactory, FindingFactory, build_audit, person_with_role

pytestmark = pytest.mark.django_db


def _return_with_answers(world, agency=None, case=None) -> AgencyReturn:
    agency_return = AgencyReturn.objects.create(
        case=case or world.cases[0], agency=agency or world.agency_a, status=ReturnStatus.DRAFT
    )
    for question in Question.objects.filter(section__version=world.version):
        Answer.objects.create(
            agency_return=agency_return, question=question, text_value="First account"
        )
    return agency_return


def _changes(entry) -> dict[str, tuple[str, str]]:
    return {change.label: (change.old, change.new) for change in entry.changes}


def test_a_bulk_update_of_answers_is_in_the_history_and_on_the_timeline():
    world = build_world()
    agency_return = _return_with_answers(world)
    answers = Answer.objects.filter(agency_return=agency_return)
    with acting_as(world.coordinator):
        updated = answers.update(text_value="Corrected account")
    assert updated == answers.count() > 1

    records = ChangeRecord.objects.filter(action="bulk update")
    assert records.count() == updated
    assert {tuple(record.changes["text_value"]) for record in records} == {
        ("First account", "Corrected account")
    }
    assert {record.actor_id for record in records} == {world.coordinator.pk}

    access = audit_access_for(world.coordinator, world.audit.slug)
    for obj in (agency_return, world.cases[0]):
        bulk = [entry for entry in timeline_for(obj, access).entries if entry.verb == "changed"]
        assert len(bulk) == updated
        assert _changes(bulk[0]) == {"Text value": ("First account", "Corrected account")}
        assert bulk[0].subject.startswith("Answer to “")
        assert bulk[0].actor_name == "Fictional Coordinator"


def test_values_read_as_people_see_them():
    world = build_world()
    agency_return = _return_with_answers(world)
    with acting_as(world.auditor_a):
        agency_return.status = ReturnStatus.SUBMITTED
        agency_return.immediate_concern = True
        agency_return.auditor = world.auditor_a
        agency_return.save()
    access = audit_access_for(world.coordinator, world.audit.slug)
    latest = timeline_for(agency_return, access).entries[0]
    changes = _changes(latest)
    assert changes["Status"] == (ReturnStatus.DRAFT.label, ReturnStatus.SUBMITTED.label)
    assert changes["Immediate concern"] == ("No", "Yes")
    assert changes["Auditor"] == ("", "Fictional Auditor A")
    assert latest.subject == f"{world.agency_a.short_name} return"
    assert latest.verb == "changed"


def test_a_partial_date_reads_as_written_and_identifiers_only_as_changed():
    world = build_world()
    action = ActionFactory.create(audit=world.audit)
    with acting_as(world.coordinator):
        action.due = "2027-03"
        action.status = ActionStatus.IN_PROGRESS
        action.save()
    access = audit_access_for(world.coordinator, world.audit.slug)
    changes = _changes(timeline_for(action, access).entries[0])
    assert changes["Due"][1] == "March 2027"
    assert changes["Status"][1] == ActionStatus.IN_PROGRESS.label

    case = world.cases[0]
    ChildIdentity.objects.create(case=case, full_name="Fictional Name", upn="A123456789012")
    entry = next(
        entry
        for entry in timeline_for(case, access).entries
        if entry.record.content_type.model == "childidentity"
    )
    values = {value for change in entry.changes for value in (change.old, change.new)}
    assert "Fictional Name" not in values and "A123456789012" not in values
    assert CHANGED in values


def test_times_and_dates_in_changes_read_as_people_write_them():
    world = build_world()
    action = ActionFactory.create(audit=world.audit)
    with acting_as(world.coordinator):
        action.status = ActionStatus.DONE
        action.done_on = "2022-04-22"
        action.verified_at = dt.datetime(2022, 9, 30, 15, 0, tzinfo=dt.UTC)  # 4pm in London
        action.save()
    agency_return = _return_with_answers(world)
    answer = Answer.objects.filter(agency_return=agency_return).first()
    assert answer is not None
    with acting_as(world.auditor_a):
        answer.date_value = dt.date(2023, 5, 2)
        answer.save()
    access = audit_access_for(world.coordinator, world.audit.slug)
    done = _changes(timeline_for(action, access).entries[0])
    assert done["Done on"][1] == "22 April 2022"
    assert done["Verified at"][1] == "30 September 2022, 4:00pm"
    answered = _changes(timeline_for(agency_return, access).entries[0])
    assert answered["Date value"][1] == "2 May 2023"


def test_nobody_sees_the_history_of_what_they_cannot_see():
    world = build_world()
    own = _return_with_answers(world, agency=world.agency_a)
    other = _return_with_answers(world, agency=world.agency_b)
    case = world.cases[0]
    auditor = audit_access_for(world.auditor_a, world.audit.slug)

    assert timeline_for(own, auditor).entries
    with pytest.raises(Http404):
        timeline_for(other, auditor)
    with pytest.raises(Http404):
        timeline_for(case, auditor)  # a case's whole history is for coordinator and panel

    elsewhere = build_audit(cases=1, agencies=1, findings=0, status="returns_open")
    access_elsewhere = audit_access_for(elsewhere.coordinator, elsewhere.audit.slug)
    with pytest.raises(Http404):
        timeline_for(own, access_elsewhere)
    with pytest.raises(Http404):
        timeline_for(case, access_elsewhere)


def test_learning_history_is_for_those_who_write_it_and_the_agencies_owning_an_action():
    world = build_world()
    finding = FindingFactory.create(audit=world.audit)
    action = ActionFactory.create(audit=world.audit)
    auditor = audit_access_for(world.auditor_a, world.audit.slug)
    coordinator = audit_access_for(world.coordinator, world.audit.slug)
    with pytest.raises(Http404):
        timeline_for(finding, auditor)
    assert timeline_for(finding, coordinator).entries[0].verb == "added"

    world.audit.status = "published"
    world.audit.save()
    reader = person_with_role(Role.READER)
    for obj in (finding, action):
        with pytest.raises(Http404):
            timeline_for(obj, audit_access_for(reader, world.audit.slug))
    with pytest.raises(Http404):
        timeline_for(action, audit_access_for(world.auditor_a, world.audit.slug))
    action.owners.add(world.agency_a)
    assert timeline_for(action, audit_access_for(world.auditor_a, world.audit.slug)).entries


def test_escalation_history_is_for_the_agencies_it_is_between():
    world = build_world()
    escalation = Escalation.objects.create(
        audit=world.audit,
        case=world.cases[0],
        raised_to_agency=world.agency_b,
        raised_at="2026-11-02T10:00:00Z",
        urgency=Escalation.Urgency.PRACTICE,
        concern="Fictional concern",
        public_summary="Fictional summary",
    )
    receiving = audit_access_for(world.auditor_b, world.audit.slug)
    assert timeline_for(escalation, receiving).entries
    with pytest.raises(Http404):
        timeline_for(escalation, audit_access_for(world.auditor_a, world.audit.slug))


def test_the_timeline_is_capped_with_the_total_and_shows_all_on_request():
    world = build_world(extra_questions=40)
    agency_return = _return_with_answers(world)
    access = audit_access_for(world.coordinator, world.audit.slug)
    capped = timeline_for(agency_return, access, limit=10)
    assert len(capped.entries) == 10 and capped.total > 40 and capped.is_capped
    everything = timeline_for(agency_return, access, limit=None)
    assert len(everything.entries) == capped.total and not everything.is_capped
    moments = [(entry.at, entry.record.pk) for entry in everything.entries]
    assert moments == sorted(moments, reverse=True)


def test_the_timeline_of_a_case_costs_the_same_queries_for_many_records(
    django_assert_max_num_queries,
):
    world = build_world(extra_questions=60, agencies=2)
    for agency in [world.agency_a, world.agency_b]:
        agency_return = _return_with_answers(world, agency=agency)
        Answer.objects.filter(agency_return=agency_return).update(text_value="Second account")
    access = audit_access_for(world.coordinator, world.audit.slug)
    assert ChangeRecord.objects.count() > 250
    with django_assert_max_num_queries(20):
        timeline = timeline_for(world.cases[0], access, limit=None)
    assert len(timeline.entries) > 250


def test_workflow_steps_are_named_in_the_history():
    from maca.returns import services
    from maca.returns.selectors import return_context

    world = build_world()
    agency_return = _return_with_answers(world)
    AgencyReturn.objects.filter(pk=agency_return.pk).update(status=ReturnStatus.SUBMITTED)
    lead = world.lead_a
    lead_access = audit_access_for(lead, world.audit.slug)
    context = return_context(lead_access, world.cases[0].pk, world.agency_a.pk, lead)
    with acting_as(lead):
        services.return_sign_off(context=context, user=lead, revision=context.revision)
    assert list(records_of(agency_return).values_list("action", flat=True))[-1] == "sign_off"
    access = audit_access_for(world.coordinator, world.audit.slug)
    latest = timeline_for(agency_return, access).entries[0]
    assert latest.verb == "signed off"
    assert _changes(latest)["Status"] == ("Submitted", ReturnStatus.SIGNED_OFF.label)


def test_pages_show_the_timeline_only_to_those_allowed(client):
    world = build_world()
    agency_return = _return_with_answers(world)
    case = world.cases[0]
    case_url = reverse("audits:case", args=[world.audit.slug, case.pk])
    return_page = reverse("returns:return", args=[world.audit.slug, case.pk, world.agency_a.pk])

    client.force_login(world.coordinator)
    page = client.get(case_url).content.decode()
    assert 'id="history-heading"' in page and "First account" in page

    client.force_login(world.auditor_a)
    assert 'id="history-heading"' not in client.get(case_url).content.decode()
    own = client.get(return_page).content.decode()
    assert 'id="history-heading"' in own and "Answer to “" in own

    panel = person_with_role(Role.PANEL_MEMBER)
    world.audit.panel_memberships.create(user=panel)
    client.force_login(panel)
    assert 'id="history-heading"' in client.get(case_url).content.decode()
    assert agency_return.pk


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (dt.datetime(2026, 12, 3, 20, 25, tzinfo=dt.UTC), "3 December 2026, 8:25pm"),
        (dt.datetime(2026, 12, 3, 0, 5, tzinfo=dt.UTC), "3 December 2026, 12:05am"),
        (dt.datetime(2026, 7, 1, 11, 0, tzinfo=dt.UTC), "1 July 2026, 12:00pm"),  # BST
    ],
)
def test_times_read_as_people_write_them(moment, written):
    from maca.core.templatetags.time_tags import as_people_write_it

    assert as_people_write_it(moment) == written
