"""A small fictional audit with identifiers held for its children, and a person for every role.
Every name, number and date here is invented."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from django.test import Client

from maca.accounts.models import Role, User
from maca.audits.models import PanelMembership
from maca.identifiers.models import AgencyReference, ChildIdentity
from tests.factories import AuditFactory, BuiltAudit, build_audit, person_with_role


@pytest.fixture(autouse=True)
def _second_factor_not_needed(settings: pytest.FixtureRequest) -> None:
    # Two-factor sign-in has its own tests; here the question is who may see identifiers.
    settings.MFA_REQUIRED_FOR_CHILD_LEVEL_ROLES = False  # type: ignore[attr-defined]


def sign_in(client: Client, user: User, *, recently: bool = True) -> Client:
    """Sign in; with `recently`, as if the person had just confirmed their password."""
    client.force_login(user)
    if recently:
        session = client.session
        session["account_authentication_methods"] = [
            {"method": "password", "at": time.time(), "email": user.email}
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    return client


@dataclass
class World:
    built: BuiltAudit
    identities: list[ChildIdentity]
    coordinator: User
    other_coordinator: User
    panel: User
    auditor: User  # of agencies[0]
    lead: User  # of agencies[0]
    other_auditor: User  # of agencies[1]
    reader: User
    administrator: User

    @property
    def audit(self):  # type: ignore[no-untyped-def]
        return self.built.audit

    @property
    def case(self):  # type: ignore[no-untyped-def]
        return self.built.cases[1]


@pytest.fixture
def world(db: None) -> World:
    built = build_audit(cases=3, agencies=2, findings=2, status="moderation")
    identities = [
        ChildIdentity.objects.create(
            case=case,
            full_name=f"Fictional Childname{index}",
            date_of_birth=f"2012-0{index + 1}-1{index}",
            la_child_id=f"FICT00{index}",
            upn=f"Z99999999999{index}A",
            nhs_number=f"999 000 00{index}",
        )
        for index, case in enumerate(built.cases)
    ]
    other_coordinator = person_with_role(Role.COORDINATOR)
    AuditFactory.create().coordinators.add(other_coordinator)
    panel = person_with_role(Role.PANEL_MEMBER)
    PanelMembership.objects.create(audit=built.audit, user=panel)
    agency, other_agency = built.agencies
    return World(
        built=built,
        identities=identities,
        coordinator=built.coordinator,
        other_coordinator=other_coordinator,
        panel=panel,
        auditor=person_with_role(Role.AGENCY_AUDITOR, agency=agency),
        lead=person_with_role(Role.AGENCY_LEAD, agency=agency),
        other_auditor=person_with_role(Role.AGENCY_AUDITOR, agency=other_agency),
        reader=person_with_role(Role.READER),
        administrator=person_with_role(Role.ADMINISTRATOR),
    )


def add_references(world: World) -> tuple[AgencyReference, AgencyReference]:
    agency, other_agency = world.built.agencies
    return (
        AgencyReference.objects.create(case=world.case, agency=agency, reference="TA-REF-4471"),
        AgencyReference.objects.create(
            case=world.case, agency=other_agency, reference="OTHER-REF-9902"
        ),
    )
