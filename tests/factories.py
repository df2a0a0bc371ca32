"""Factories for fictional test data. Every name here is invented."""

from __future__ import annotations

import base64
import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

import factory
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import Client
from factory.django import DjangoModelFactory

from maca.accounts.models import Agency, Role, RoleAssignment, Sector, User
from maca.audits.models import (
    AgencyInvolvement,
    AgencyReturn,
    Audit,
    AuditAgency,
    AuditStatus,
    Case,
    Escalation,
    Need,
    PanelMembership,
    ReturnStatus,
)
from maca.core.partial_dates import PartialDate
from maca.learning.models import Action, ActionStatus, Finding, Heading, Resource

PASSWORD = "fictional-test-password-1"
# The authenticator-app secret every test user shares (base32, as apps expect). Fictional.
TEST_TOTP_SECRET = base64.b32encode(b"maca-fictional-totp!").decode("ascii")


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ("short_name",)

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    short_name = factory.Sequence(lambda n: f"TA{n}")
    sector = Sector.HEALTH


class UserFactory(DjangoModelFactory[User]):
    """A person who can sign in; by default with an authenticator app set up (`mfa=False`:
    without one, as on their first sign-in)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@test.maca.test")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()

    @factory.post_generation
    def mfa(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            TOTP.activate(obj, TEST_TOTP_SECRET)


def totp_code_now(secret: str = TEST_TOTP_SECRET) -> str:
    """The code an authenticator app holding `secret` shows now.

    Close to the end of a 30-second period it waits for the next one, so the code is still
    valid when the test submits it."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(period - time.time() % period + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def mark_recently_authenticated(client: Client, user: User) -> None:
    """Make a `force_login` session look freshly signed in, as re-authentication checks want."""
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email}
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def person_with_role(role: str, agency: Agency | None = None, **kwargs: Any) -> User:
    user = UserFactory.create(**kwargs)
    RoleAssignment.objects.create(user=user, role=role, agency=agency)
    return user


class AuditFactory(DjangoModelFactory[Audit]):
    class Meta:
        model = Audit

    slug = factory.Sequence(lambda n: f"test-audit-{n}")
    title = factory.Sequence(lambda n: f"Test audit {n}")
    theme = "Children looked after placed out of area"
    status = AuditStatus.RETURNS_OPEN
    aim = "To test whether agencies followed the procedures."
    audit_date = PartialDate(2024, 5)
    returns_due = dt.date(2024, 4, 30)


class CaseFactory(DjangoModelFactory[Case]):
    class Meta:
        model = Case

    audit = factory.SubFactory(AuditFactory)
    pseudonym = factory.Sequence(lambda n: f"Child {n}")
    order = factory.Sequence(lambda n: n)
    age_weeks = factory.Sequence(lambda n: 6 + (n * 37) % 830)
    placed_out_of_area = True


class FindingFactory(DjangoModelFactory[Finding]):
    class Meta:
        model = Finding

    audit = factory.SubFactory(AuditFactory)
    heading = Heading.WORRY
    order = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Fictional finding {n} of the test audit")


class ActionFactory(DjangoModelFactory[Action]):
    class Meta:
        model = Action

    audit = factory.SubFactory(AuditFactory)
    order = factory.Sequence(lambda n: n)
    description = factory.Sequence(lambda n: f"Fictional action {n} of the test audit")
    status = ActionStatus.AGREED


@dataclass
class BuiltAudit:
    audit: Audit
    agencies: list[Agency]
    cases: list[Case]
    coordinator: User


def build_audit(
    *, cases: int = 9, agencies: int = 4, findings: int = 6, status: str = "published"
) -> BuiltAudit:
    """A complete fictional audit of a given size, for tests that compare sizes."""
    audit = AuditFactory.create(status=status)
    coordinator = person_with_role(Role.COORDINATOR)
    audit.coordinators.add(coordinator)
    panel = person_with_role(Role.PANEL_MEMBER)
    PanelMembership.objects.create(audit=audit, user=panel, is_chair=True)
    agency_list = [AgencyFactory.create() for _ in range(agencies)]
    for order, agency in enumerate(agency_list):
        AuditAgency.objects.create(audit=audit, agency=agency, order=order)
    needs = list(Need.objects.all()[:4]) or [
        Need.objects.create(code=f"need-{i}", label=f"Need {i}", order=i) for i in range(3)
    ]
    case_list = []
    for index in range(cases):
        case = CaseFactory.create(audit=audit)
        case.needs.set(needs[: 1 + index % len(needs)])
        case_list.append(case)
        for agency_index, agency in enumerate(agency_list):
            involved = (index + agency_index) % 3 != 0
            AgencyInvolvement.objects.create(
                case=case,
                agency=agency,
                status="involved" if involved else "not_involved",
            )
            if involved:
                AgencyReturn.objects.create(
                    case=case,
                    agency=agency,
                    status=[ReturnStatus.ACCEPTED, ReturnStatus.DRAFT][index % 2],
                )
    for index in range(findings):
        finding = FindingFactory.create(audit=audit, heading=list(Heading.values)[index % 3])
        finding.cases.set(case_list[:2])
        finding.agencies.set(agency_list[:2])
        finding.taken_forward_by.set(agency_list[:1])
        action = ActionFactory.create(audit=audit)
        action.owners.set(agency_list[:2])
        action.findings.add(finding)
    for index in range(min(cases, 3)):
        Escalation.objects.create(
            audit=audit,
            case=case_list[index],
            raised_to_agency=agency_list[0],
            raised_at=dt.datetime(2024, 4, 2, 10, 0, tzinfo=dt.UTC),
            urgency=Escalation.Urgency.PRACTICE,
            concern="Fictional concern",
            public_summary=f"Fictional escalation {index}",
        )
    Resource.objects.create(
        audit=audit, title="Fictional resource", kind="service", url="https://example.org/r"
    )
    return BuiltAudit(audit=audit, agencies=agency_list, cases=case_list, coordinator=coordinator)
