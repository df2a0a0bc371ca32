"""Agencies: adding, changing and merging a duplicate, each in the history. Fictional data."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maca.accounts.models import Agency, Role, RoleAssignment, Sector
from maca.audits.models import AgencyReturn, AuditAgency, Escalation
from maca.core.errors import Refused
from maca.learning.models import Action
from maca.manage import services
from tests.factories import AgencyFactory, build_audit, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    return client


def test_an_agency_is_added_and_changed_with_its_history(admin_client):
    response = admin_client.post(
        reverse("manage:organisation-new"),
        {"name": "Fictional Youth Service", "short_name": "FYS", "sector": Sector.YOUTH_JUSTICE},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(short_name="FYS")
    clash = admin_client.post(
        reverse("manage:organisation-new"),
        {"name": "fictional youth service", "short_name": "Other", "sector": Sector.OTHER},
    )
    assert "There is already an agency called fictional youth service" in clash.content.decode()
    edit = reverse("manage:organisation-edit", args=[agency.pk])
    admin_client.post(
        edit,
        {
            "name": "Fictional Youth Justice Service",
            "short_name": "FYJS",
            "sector": "youth_justice",
        },
    )
    agency.refresh_from_db()
    assert (agency.short_name, agency.is_active) == ("FYJS", False)  # not ticked: inactive
    page = admin_client.get(edit).content.decode()
    assert "Fictional Youth Service → Fictional Youth Justice Service" in page
    listing = admin_client.get(reverse("manage:organisations")).content.decode()
    assert "Fictional Youth Justice Service" in listing and "No longer active" in listing


def test_merging_a_duplicate_moves_its_returns_roles_and_actions(admin_client):
    built = build_audit(cases=3, agencies=2, findings=1, status="returns_open")
    duplicate = built.agencies[1]
    kept = AgencyFactory.create(name="Fictional Kept Agency", short_name="FKA")
    lead = person_with_role(Role.AGENCY_LEAD, agency=duplicate)
    RoleAssignment.objects.create(user=lead, role=Role.AGENCY_LEAD, agency=kept)
    returns = AgencyReturn.objects.filter(agency=duplicate).count()
    assert returns

    response = admin_client.post(
        reverse("manage:organisation-merge", args=[duplicate.pk]), {"into": kept.pk}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.is_active, duplicate.merged_into) == (False, kept)
    assert AgencyReturn.objects.filter(agency=kept).count() == returns
    assert not AgencyReturn.objects.filter(agency=duplicate).exists()
    assert AuditAgency.objects.filter(audit=built.audit, agency=kept).exists()
    assert Action.objects.filter(owners=kept).exists()
    assert not Action.objects.filter(owners=duplicate).exists()
    # The lead already acted for the kept agency: the same role is not held twice.
    assert list(RoleAssignment.objects.filter(user=lead).values_list("agency_id", flat=True)) == [
        kept.pk
    ]
    history = admin_client.get(reverse("manage:organisation-edit", args=[duplicate.pk]))
    assert "merged" in history.content.decode()


def test_a_merge_of_two_agencies_in_one_audit_is_refused_and_moves_nothing(admin_client):
    built = build_audit(cases=2, agencies=2, findings=1, status="returns_open")
    first, second = built.agencies
    before = Escalation.objects.filter(raised_to_agency=first).count()
    response = admin_client.post(
        reverse("manage:organisation-merge", args=[first.pk]), {"into": second.pk}
    )
    body = response.content.decode()
    assert "There is a problem" in body
    assert "both take part in the same audit (1)" in body
    assert Escalation.objects.filter(raised_to_agency=first).count() == before
    first.refresh_from_db()
    assert first.is_active and first.merged_into is None


def test_an_agency_cannot_be_merged_into_itself_or_an_inactive_one():
    agency = AgencyFactory.create()
    inactive = AgencyFactory.create(is_active=False)
    with pytest.raises(Refused, match="different agency"):
        services.agency_merge(duplicate=agency, into=agency)
    with pytest.raises(Refused, match="not active"):
        services.agency_merge(duplicate=agency, into=inactive)


def test_an_agency_merged_earlier_names_the_one_finally_kept():
    first = AgencyFactory.create(name="Fictional Health Visiting")
    second = AgencyFactory.create(name="Fictional Health Visitors")
    kept = AgencyFactory.create(name="Fictional Community Health")
    services.agency_merge(duplicate=first, into=second)
    services.agency_merge(duplicate=second, into=kept)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.merged_into, second.merged_into) == (kept, kept)
