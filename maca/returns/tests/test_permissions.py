"""An agency sees and changes only its own returns and escalations, whichever way it asks:
following links or typing addresses, reading or posting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maca.accounts.models import Role
from maca.audits.models import AgencyReturn, Escalation, ReturnStatus
from maca.returns import services
from maca.returns.tests.conftest import World, complete_post
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db

RETURN_URLS = [
    "return",
    "return-all",
    "autosave",
    "sign-off",
    "accept",
    "send-back",
    "workbook",
    "upload",
]
ESCALATION_URLS = [
    "escalation",
    "escalation-acknowledge",
    "escalation-action",
    "escalation-resolve",
]
# Answered 405 to anything but a POST before any lookup, so the answer says nothing about
# whether the return or escalation exists.
POST_ONLY = {
    "autosave",
    "sign-off",
    "accept",
    "escalation-acknowledge",
    "escalation-action",
    "escalation-resolve",
}


def _not_reached(name: str, method: str) -> int:
    return 405 if method == "get" and name in POST_ONLY else 404


def _b_return_submitted(world: World) -> AgencyReturn:
    context = world.context(world.auditor_b, agency=world.agency_b)
    data = services.ReturnInput(auditor_role="B's auditor", records_examined="B's secret record")
    services.return_save_draft(context=context, user=world.auditor_b, data=data, revision=0)
    agency_return = AgencyReturn.objects.get(case=world.case, agency=world.agency_b)
    AgencyReturn.objects.filter(pk=agency_return.pk).update(status=ReturnStatus.SUBMITTED)
    agency_return.refresh_from_db()
    return agency_return


def _b_escalation(world: World) -> Escalation:
    access = world.context(world.auditor_b, agency=world.agency_b).access
    return services.escalation_raise(
        access=access,
        user=world.auditor_b,
        request=services.EscalationRequest(
            case=world.case,
            raised_to_agency=world.agency_b,
            raised_by_agency=world.agency_b,
            from_return=None,
            urgency="practice",
            concern="B's secret concern",
            public_summary="A fictional concern",
        ),
    )


@pytest.mark.parametrize("name", RETURN_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_auditor_of_agency_a_cannot_reach_agency_b_return(client, world: World, name, method):
    before = _b_return_submitted(world)
    client.force_login(world.auditor_a)
    url = reverse(f"returns:{name}", args=[world.audit.slug, world.case.pk, world.agency_b.pk])
    post = complete_post(world.context(world.auditor_b, agency=world.agency_b), comment="x")
    response = client.get(url) if method == "get" else client.post(url, post)
    assert response.status_code == _not_reached(name, method)
    assert b"secret" not in response.content
    after = AgencyReturn.objects.get(pk=before.pk)
    assert (after.revision, after.status, after.records_examined) == (
        before.revision,
        before.status,
        before.records_examined,
    )


@pytest.mark.parametrize("name", RETURN_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_lead_of_agency_a_cannot_reach_agency_b_return(client, world: World, name, method):
    before = _b_return_submitted(world)
    client.force_login(world.lead_a)
    url = reverse(f"returns:{name}", args=[world.audit.slug, world.case.pk, world.agency_b.pk])
    response = client.get(url) if method == "get" else client.post(url, {"comment": "x"})
    assert response.status_code == _not_reached(name, method)
    assert AgencyReturn.objects.get(pk=before.pk).status == before.status


@pytest.mark.parametrize("name", ESCALATION_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_agency_a_cannot_reach_an_escalation_between_others(client, world: World, name, method):
    escalation = _b_escalation(world)
    for user in (world.auditor_a, world.lead_a):
        client.force_login(user)
        url = reverse(f"returns:{name}", args=[world.audit.slug, escalation.pk])
        post = {"note": "x", "action_taken": "x", "outcome": "x", "public_outcome": "x"}
        response = client.get(url) if method == "get" else client.post(url, post)
        assert response.status_code == _not_reached(name, method)
        assert b"secret" not in response.content
    assert Escalation.objects.get(pk=escalation.pk).status == Escalation.Status.RAISED


def test_agency_a_lists_no_escalation_between_others(client, world: World):
    _b_escalation(world)
    client.force_login(world.auditor_a)
    page = client.get(reverse("returns:escalations", args=[world.audit.slug])).text
    assert "secret" not in page and "A fictional concern" not in page


def test_a_child_the_agency_was_not_asked_about_is_not_found(client, world: World):
    from maca.audits.models import AgencyInvolvement
    from tests.factories import CaseFactory

    other = CaseFactory.create(audit=world.audit)
    AgencyInvolvement.objects.create(case=other, agency=world.agency_b, status="involved")
    client.force_login(world.auditor_a)
    for agency in (world.agency_a, world.agency_b):
        url = reverse("returns:return", args=[world.audit.slug, other.pk, agency.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"revision": "0"}).status_code == 404


def test_people_outside_the_audit_get_not_found(client, world: World):
    stranger = person_with_role(Role.COORDINATOR)
    reader = person_with_role(Role.READER)
    args = [world.audit.slug, world.case.pk, world.agency_a.pk]
    for user in (stranger, reader):
        client.force_login(user)
        for name in RETURN_URLS:
            response = client.get(reverse(f"returns:{name}", args=args))
            assert response.status_code == _not_reached(name, "get")
        assert (
            client.get(reverse("returns:escalations", args=[world.audit.slug])).status_code == 404
        )


def test_coordinator_reads_but_does_not_type_into_a_return(client, world: World):
    client.force_login(world.coordinator)
    url = reverse("returns:return", args=[world.audit.slug, world.case.pk, world.agency_a.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"revision": "0", "auditor_role": "x"}).status_code == 404
    assert not AgencyReturn.objects.filter(case=world.case, agency=world.agency_a).exists()


def test_agency_a_can_reach_its_own_return(client, world: World):
    client.force_login(world.auditor_a)
    url = reverse("returns:return", args=[world.audit.slug, world.case.pk, world.agency_a.pk])
    assert client.get(url).status_code == 200
    workbook = reverse(
        "returns:workbook", args=[world.audit.slug, world.case.pk, world.agency_a.pk]
    )
    assert client.get(workbook).status_code == 200
