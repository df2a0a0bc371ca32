"""The administrator's reads: people, their roles and invitations, agencies, and the history
of each. Only administrators reach them (404 for everyone else), and nothing here touches an
audit's children."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from maca.accounts.models import Agency, Invitation, Role, RoleAssignment, User
from maca.accounts.selectors import roles_of
from maca.core.models import ChangeRecord
from maca.core.selectors import Timeline, timeline_of_records
from maca.manage.services import invitation_expires_at


def is_administrator(user: Any) -> bool:
    return roles_of(user).has(Role.ADMINISTRATOR)


def require_administrator(user: Any) -> None:
    if not is_administrator(user):
        raise Http404("Not found")


@dataclass(frozen=True)
class PersonRow:
    person: User
    roles: list[RoleAssignment]
    latest_invitation: Invitation | None
    has_authenticator: bool

    @property
    def status(self) -> str:
        if not self.person.is_active:
            return "Deactivated"
        if self.person.has_usable_password():
            return "Active"
        invitation = self.latest_invitation
        if invitation is None:
            return "No password set"
        expired = invitation_expires_at(invitation) <= timezone.now()
        return "Invitation expired" if expired else "Invited"

    @property
    def invitation_expires_at(self) -> dt.datetime | None:
        if self.latest_invitation is None:
            return None
        return invitation_expires_at(self.latest_invitation)

    @property
    def can_resend(self) -> bool:
        return self.person.is_active and not self.person.has_usable_password()


def _people() -> Any:
    return User.objects.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("agency").order_by("role", "pk"),
        ),
        Prefetch("invitations", queryset=Invitation.objects.order_by("-sent_at", "-id")),
    ).annotate(
        has_authenticator=Exists(
            Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
        )
    )


def _row(person: Any) -> PersonRow:
    invitations = list(person.invitations.all())
    return PersonRow(
        person=person,
        roles=list(person.role_assignments.all()),
        latest_invitation=invitations[0] if invitations else None,
        has_authenticator=bool(person.has_authenticator),
    )


def people_for(user: Any, *, search: str = "", role: str = "") -> list[PersonRow]:
    """Everyone with an account, by name, with their roles and invitation; filtered by a
    name or e-mail fragment and by role when given. A fixed number of queries."""
    require_administrator(user)
    people = _people()
    if search:
        people = people.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    if role:
        people = people.filter(role_assignments__role=role).distinct()
    return [_row(person) for person in people.order_by("full_name", "email")]


def person_for(user: Any, person_id: int) -> PersonRow:
    require_administrator(user)
    person = _people().filter(pk=person_id).first()
    if person is None:
        raise Http404("No person found")
    return _row(person)


def role_assignment_for(user: Any, person_id: int, role_id: int) -> RoleAssignment:
    require_administrator(user)
    assignment = (
        RoleAssignment.objects.select_related("user", "agency")
        .filter(pk=role_id, user_id=person_id)
        .first()
    )
    if assignment is None:
        raise Http404("No role found")
    return assignment


def person_history(user: Any, person: User) -> Timeline:
    """What was done to the person's account, roles and invitations, newest first."""
    require_administrator(user)
    key = str(person.pk)
    types = ContentType.objects.get_for_models(User, RoleAssignment, Invitation)
    about_person = Q(content_type=types[User], object_id=key)
    # A role or invitation names its person in its changes: as the new value when created,
    # the old one when removed.
    for model in (RoleAssignment, Invitation):
        about_person |= Q(content_type=types[model]) & (
            Q(changes__user_id__0=key) | Q(changes__user_id__1=key)
        )
    records = list(ChangeRecord.objects.filter(about_person).order_by("-at", "-id")[:50])
    subjects: dict[Any, dict[str, str]] = {
        User: {key: str(person)},
        RoleAssignment: {},
        Invitation: {},
    }
    return timeline_of_records(records, subjects)


def agencies_for(user: Any) -> list[Agency]:
    """Every agency, active ones first, with how many people and audits each has."""
    require_administrator(user)
    return list(
        Agency.objects.select_related("merged_into")
        .annotate(
            people_count=Count("role_assignments__user", distinct=True),
            audit_count=Count("audit_agencies", distinct=True),
        )
        .order_by("-is_active", "name")
    )


def agency_for(user: Any, agency_id: int) -> Agency:
    require_administrator(user)
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise Http404("No agency found")
    return agency


def agency_history(user: Any, agency: Agency) -> Timeline:
    require_administrator(user)
    content_type = ContentType.objects.get_for_model(Agency)
    records = ChangeRecord.objects.filter(content_type=content_type, object_id=str(agency.pk))
    return timeline_of_records(
        list(records.order_by("-at", "-id")[:50]), {Agency: {str(agency.pk): agency.name}}
    )


def merge_targets(user: Any, agency: Agency) -> list[Agency]:
    require_administrator(user)
    return list(Agency.objects.filter(is_active=True).exclude(pk=agency.pk).order_by("name"))
