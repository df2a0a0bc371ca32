"""Revealing a child's identifiers: only the audit's coordinators, only with a reason, only after
confirming who they are, and every reveal logged."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maca.identifiers.models import IdentifierAccess
from maca.identifiers.tests.conftest import World, sign_in

pytestmark = pytest.mark.django_db

GOOD_POST = {
    "purpose": IdentifierAccess.Purpose.CONTACT_AGENCY,
    "reason": "Checking the GP record for the panel's question on health assessments",
}


def reveal_url(world: World) -> str:
    return reverse("identifiers:reveal", args=[world.audit.slug, world.case.pk])


@pytest.mark.parametrize(
    "persona",
    ["panel", "auditor", "lead", "other_auditor", "reader", "administrator", "other_coordinator"],
)
def test_reveal_is_not_found_for_anyone_but_the_audit_coordinator(
    client: Client, world: World, persona: str
) -> None:
    sign_in(client, getattr(world, persona))
    assert client.get(reveal_url(world)).status_code == 404
    assert client.post(reveal_url(world), GOOD_POST).status_code == 404
    assert not IdentifierAccess.objects.exists()


def test_reveal_of_a_case_in_another_audit_is_not_found(client: Client, world: World) -> None:
    sign_in(client, world.other_coordinator)
    other_slug = world.other_coordinator.coordinated_audits.get().slug
    url = reverse("identifiers:reveal", args=[other_slug, world.case.pk])
    assert client.get(url).status_code == 404


def test_coordinator_sees_the_form_and_no_identifier_before_giving_a_reason(
    client: Client, world: World
) -> None:
    sign_in(client, world.coordinator)
    response = client.get(reveal_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Reveal the identifiers of" in body
    assert "Fictional Childname1" not in body
    assert response["Cache-Control"] == "no-store"
    assert not IdentifierAccess.objects.exists()


def test_coordinator_is_asked_to_confirm_who_they_are_first(client: Client, world: World) -> None:
    sign_in(client, world.coordinator, recently=False)
    response = client.post(reveal_url(world), GOOD_POST)
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert not IdentifierAccess.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"purpose": "contact_agency", "reason": ""}, "Enter the reason you need to see"),
        ({"purpose": "contact_agency", "reason": "  because "}, "at least 10 characters"),
        ({"purpose": "", "reason": GOOD_POST["reason"]}, "Choose what you need the identifiers"),
        ({"purpose": "curiosity", "reason": GOOD_POST["reason"]}, "Choose what you need"),
    ],
)
def test_reveal_needs_a_purpose_and_a_reason(
    client: Client, world: World, data: dict[str, str], message: str
) -> None:
    sign_in(client, world.coordinator)
    response = client.post(reveal_url(world), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert "Fictional Childname1" not in body
    assert not IdentifierAccess.objects.exists()


def test_reveal_shows_the_identifiers_once_and_logs_who_when_which_child_and_why(
    client: Client, world: World
) -> None:
    sign_in(client, world.coordinator)
    response = client.post(reveal_url(world), GOOD_POST, REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    for value in ["Fictional Childname1", "2012-02-11", "FICT001", "Z999999999991A", "999 000 001"]:
        assert value in body
    entry = IdentifierAccess.objects.get()
    assert entry.kind == IdentifierAccess.Kind.REVEAL
    assert entry.user == world.coordinator
    assert entry.user_name == str(world.coordinator)
    assert entry.audit == world.audit
    assert entry.audit_title == world.audit.title
    assert entry.case == world.case
    assert entry.case_pseudonym == world.case.pseudonym
    assert entry.fields == ["full_name", "date_of_birth", "la_child_id", "upn", "nhs_number"]
    assert entry.purpose == IdentifierAccess.Purpose.CONTACT_AGENCY
    assert entry.reason == GOOD_POST["reason"]
    assert entry.ip_address == "192.0.2.44"
    assert entry.at is not None
    # Nothing identifying is kept anywhere but the page itself.
    assert "Fictional Childname1" not in str(dict(client.session))
    assert "Fictional" not in response.get("Location", "")


def test_reveal_lists_only_the_identifiers_held(client: Client, world: World) -> None:
    identity = world.identities[1]
    identity.upn = ""
    identity.nhs_number = ""
    identity.save()
    sign_in(client, world.coordinator)
    client.post(reveal_url(world), GOOD_POST)
    assert IdentifierAccess.objects.get().fields == ["full_name", "date_of_birth", "la_child_id"]


def test_nothing_to_reveal_when_no_identifiers_are_held(client: Client, world: World) -> None:
    world.identities[1].delete()
    sign_in(client, world.coordinator)
    response = client.post(reveal_url(world), GOOD_POST)
    assert response.status_code == 200
    assert "No identifiers are held for" in response.content.decode()
    assert not IdentifierAccess.objects.exists()


def test_case_page_offers_the_reveal_to_the_coordinator_only(client: Client, world: World) -> None:
    case_url = reverse("audits:case", args=[world.audit.slug, world.case.pk])
    sign_in(client, world.coordinator)
    body = client.get(case_url).content.decode()
    assert reveal_url(world) in body
    assert reverse("identifiers:access-log") in body
    for persona in ("panel", "auditor", "lead"):
        client.logout()
        sign_in(client, getattr(world, persona))
        body = client.get(case_url).content.decode()
        assert reveal_url(world) not in body
        assert reverse("identifiers:access-log") not in body


def test_audit_overview_links_coordinators_to_retention_and_the_log(
    client: Client, world: World
) -> None:
    overview = reverse("audits:overview", args=[world.audit.slug])
    retention = reverse("identifiers:retention", args=[world.audit.slug])
    sign_in(client, world.coordinator)
    body = client.get(overview).content.decode()
    assert retention in body
    assert f"{reverse('identifiers:access-log')}?audit={world.audit.pk}" in body
    client.logout()
    sign_in(client, world.panel)
    body = client.get(overview).content.decode()
    assert retention not in body
