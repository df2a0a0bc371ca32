"""Each agency's own reference for a child is seen and changed only by that agency."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from maca.core.history import REDACTED
from maca.core.models import ChangeRecord
from maca.identifiers.models import AgencyReference
from maca.identifiers.tests.conftest import World, add_references, sign_in

pytestmark = pytest.mark.django_db


def case_url(world: World) -> str:
    return reverse("audits:case", args=[world.audit.slug, world.case.pk])


def edit_url(world: World, agency_index: int = 0) -> str:
    agency = world.built.agencies[agency_index]
    return reverse(
        "identifiers:agency-reference", args=[world.audit.slug, world.case.pk, agency.pk]
    )


@pytest.mark.parametrize("persona", ["auditor", "lead"])
def test_agency_sees_its_own_reference_and_never_another_agencys(
    client: Client, world: World, persona: str
) -> None:
    add_references(world)
    sign_in(client, getattr(world, persona))
    body = client.get(case_url(world)).content.decode()
    assert "TA-REF-4471" in body
    assert "OTHER-REF-9902" not in body


@pytest.mark.parametrize("persona", ["coordinator", "panel"])
def test_coordinator_and_panel_see_no_agency_reference(
    client: Client, world: World, persona: str
) -> None:
    add_references(world)
    sign_in(client, getattr(world, persona))
    response = client.get(case_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert "TA-REF-4471" not in body and "OTHER-REF-9902" not in body


def test_coordinator_reveal_leaves_agency_references_out(client: Client, world: World) -> None:
    add_references(world)
    sign_in(client, world.coordinator)
    body = client.post(
        reverse("identifiers:reveal", args=[world.audit.slug, world.case.pk]),
        {"purpose": "other", "reason": "Checking the sample against the 903 extract"},
    ).content.decode()
    assert "Fictional Childname1" in body
    assert "TA-REF-4471" not in body and "OTHER-REF-9902" not in body


def test_agency_lead_sets_changes_and_removes_its_reference(client: Client, world: World) -> None:
    sign_in(client, world.lead)
    assert client.get(edit_url(world)).status_code == 200
    response = client.post(edit_url(world), {"reference": "  NEW-REF-0001 "})
    assert response.status_code == 302
    reference = AgencyReference.objects.get(case=world.case)
    assert reference.reference == "NEW-REF-0001"
    assert reference.agency == world.built.agencies[0]
    client.post(edit_url(world), {"reference": "NEW-REF-0002"})
    assert AgencyReference.objects.get(case=world.case).reference == "NEW-REF-0002"
    client.post(edit_url(world), {"reference": ""})
    assert not AgencyReference.objects.filter(case=world.case).exists()
    # History says it changed, never what it was.
    records = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(AgencyReference)
    ).order_by("pk")
    assert [record.action for record in records] == ["create", "update", "delete"]
    assert all(record.audit_id == world.audit.pk for record in records)
    history_text = str([record.changes for record in records])
    assert "NEW-REF" not in history_text
    assert REDACTED in history_text


def test_reference_too_long_is_refused_with_the_field_named(client: Client, world: World) -> None:
    sign_in(client, world.auditor)
    response = client.post(edit_url(world), {"reference": "X" * 101})
    assert response.status_code == 200
    assert "Your agency&#x27;s reference for the child must be 100 characters or fewer" in (
        response.content.decode()
    )
    assert not AgencyReference.objects.exists()


@pytest.mark.parametrize(
    ("persona", "agency_index"),
    [
        ("other_auditor", 0),
        ("auditor", 1),
        ("coordinator", 0),
        ("panel", 0),
        ("reader", 0),
        ("administrator", 0),
    ],
)
def test_nobody_else_may_set_an_agencys_reference(
    client: Client, world: World, persona: str, agency_index: int
) -> None:
    sign_in(client, getattr(world, persona))
    url = edit_url(world, agency_index)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reference": "SNEAKY-1"}).status_code == 404
    assert not AgencyReference.objects.exists()
