"""The administrator's writes: inviting people, their roles and accounts, and agencies.

Keyword-only, each in one transaction, each leaving its trace in the history: role
assignments, invitations and agencies are tracked models; what is done to a person's account
itself (deactivated, authenticator removed, with the reason) is written as an event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from maca.accounts.mfa import requires_mfa
from maca.accounts.models import AGENCY_ROLES, Agency, Invitation, Role, RoleAssignment, User
from maca.core.errors import Refused
from maca.core.history import record_event, recorded_as
from maca.core.templatetags.time_tags import as_people_write_it
from maca.planning.services import AgencyInput, refuse_taken_agency_names

INVITATION_VALID_DAYS = 7
_INVITATION_SALT = "maca.manage.invitation"


# --- Invitations ----------------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    """The signed, timestamped token of the invitation's link (Django's signing)."""
    return signing.dumps(invitation.pk, salt=_INVITATION_SALT, compress=True)


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link stands for, if the link is genuine, less than
    INVITATION_VALID_DAYS old, the person's latest invitation and not yet used."""
    try:
        invitation_id = signing.loads(
            token, salt=_INVITATION_SALT, max_age=dt.timedelta(days=INVITATION_VALID_DAYS)
        )
    except signing.BadSignature:  # includes SignatureExpired
        return None
    invitation = (
        Invitation.objects.select_related("user")
        .filter(pk=invitation_id, accepted_at__isnull=True, user__is_active=True)
        .first()
    )
    if invitation is None:
        return None
    latest = Invitation.objects.filter(user_id=invitation.user_id).order_by("-sent_at", "-id")
    return invitation if latest.values_list("pk", flat=True).first() == invitation.pk else None


def invitation_expires_at(invitation: Invitation) -> dt.datetime:
    return invitation.sent_at + dt.timedelta(days=INVITATION_VALID_DAYS)


def _role_words(user: User) -> str:
    assignments = RoleAssignment.objects.filter(user=user).select_related("agency")
    return ", ".join(
        f"{a.get_role_display()}{f' ({a.agency.name})' if a.agency else ''}" for a in assignments
    )


def next_steps(user: User) -> str:
    """What the invited person does once their password is set, as their role decides."""
    if requires_mfa(user):
        return (
            "sign in with your email address and that password, then set up an authenticator "
            "app on your phone: your role needs one, and sign-in asks for its code each time."
        )
    return "sign in with your email address and that password."


def _invitation_send(user: User, *, by: User | None) -> Invitation:
    """A new invitation (earlier links stop working) and its e-mail. Sent inside the
    transaction: if the e-mail cannot be sent, nothing is saved and the error is shown."""
    invitation = Invitation.objects.create(user=user, invited_by=by, sent_at=timezone.now())
    link = f"{settings.SITE_URL}{reverse('manage:invitation', args=[invitation_token(invitation)])}"
    expires = as_people_write_it(invitation_expires_at(invitation))
    inviter = f" by {by}" if by is not None else ""
    body = (
        f"You have been invited{inviter} to use {settings.SERVICE_NAME} for "
        f"{settings.PARTNERSHIP_NAME}, as {_role_words(user)}.\n\n"
        f"Set your password here:\n{link}\n\n"
        f"The link works once, until {expires}. After setting your "
        f"password, {next_steps(user)}\n\n"
        "If you did not expect this e-mail, you can ignore it."
    )
    EmailMessage(
        subject=f"You are invited to {settings.SERVICE_NAME}", body=body, to=[user.email]
    ).send()
    return invitation


@dataclass(frozen=True)
class RoleInput:
    role: str
    agency: Agency | None = None


def _check_role(role: RoleInput) -> None:
    if role.role not in Role.values:
        raise Refused({"role": f"There is no role called {role.role}."})
    if role.role in AGENCY_ROLES and role.agency is None:
        label = Role(role.role).label.lower()
        raise Refused({"agency": f"Choose the agency the {label} acts for."})
    if role.role not in AGENCY_ROLES and role.agency is not None:
        raise Refused({"agency": f"A {Role(role.role).label.lower()} acts for no agency."})
    if role.agency is not None and not role.agency.is_active:
        raise Refused({"agency": f"{role.agency.name} is no longer active."})


@transaction.atomic
def person_invite(
    *, email: str, full_name: str, role: RoleInput, by: User | None, job_title: str = ""
) -> Invitation:
    """An account with no password yet, its first role, and an e-mailed link to set one."""
    email = User.objects.normalize_email(email.strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Refused(
            {
                "email": f"{email or 'The email address'} is not an email address, like "
                "name@example.com."
            }
        ) from None
    _check_role(role)
    if User.objects.filter(email__iexact=email).exists():
        raise Refused({"email": f"{email} already has an account: find them in the list."})
    with recorded_as("invite"):
        user = User.objects.create_user(
            email=email, password=None, full_name=full_name.strip(), job_title=job_title.strip()
        )
        RoleAssignment.objects.create(user=user, role=role.role, agency=role.agency)
        return _invitation_send(user, by=by)


@transaction.atomic
def invitation_resend(*, person: User, by: User) -> Invitation:
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.has_usable_password():
        raise Refused(f"{person} has already set a password, so needs no invitation.")
    if not person.is_active:
        raise Refused(f"{person} is deactivated: reactivate them first.")
    with recorded_as("resend invitation"):
        return _invitation_send(person, by=by)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Set the invited person's password; the link is used up."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise Refused("This invitation has already been used. Sign in instead.")
    user = invitation.user
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise Refused({"password1": error.messages}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    with recorded_as("accept"):
        invitation.save(update_fields=["accepted_at"])
    return user


# --- A person's account ---------------------------------------------------------------------


def _refuse_self(person: User, by: User, what: str) -> None:
    if by is not None and person.pk == by.pk:
        raise Refused(f"You cannot {what} your own account: ask another administrator.")


@transaction.atomic
def person_deactivate(*, person: User, by: User) -> User:
    """They can no longer sign in; their sessions end now. Their records and history stay."""
    _refuse_self(person, by, "deactivate")
    person = User.objects.select_for_update().get(pk=person.pk)
    if not person.is_active:
        raise Refused(f"{person} is already deactivated.")
    person.is_active = False
    person.save(update_fields=["is_active"])
    for session in UserSession.objects.filter(user=person):
        session.end()
    record_event(person, action="deactivate", changes={"Can sign in": ["Yes", "No"]})
    return person


@transaction.atomic
def person_reactivate(*, person: User) -> User:
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.is_active:
        raise Refused(f"{person} is already active.")
    person.is_active = True
    person.save(update_fields=["is_active"])
    record_event(person, action="reactivate", changes={"Can sign in": ["No", "Yes"]})
    return person


@transaction.atomic
def person_authenticator_reset(*, person: User, reason: str, by: User) -> int:
    """Remove the person's authenticator app and recovery codes (a lost phone), so they set
    up a new one at their next sign-in. The reason is kept in the history."""
    _refuse_self(person, by, "reset the authenticator of")
    reason = reason.strip()
    if not reason:
        raise Refused({"reason": "Enter why the authenticator is being reset."})
    removed, _ = Authenticator.objects.filter(user=person).delete()
    if not removed:
        raise Refused(f"{person} has no authenticator app set up: there is nothing to reset.")
    for session in UserSession.objects.filter(user=person):
        session.end()
    record_event(
        person,
        action="authenticator reset",
        changes={"Authenticator app": ["Set up", "Removed"], "Reason": ["", reason]},
    )
    return removed


@transaction.atomic
def person_role_add(*, person: User, role: RoleInput) -> RoleAssignment:
    _check_role(role)
    if RoleAssignment.objects.filter(user=person, role=role.role, agency=role.agency).exists():
        raise Refused({"role": f"{person} already has that role."})
    return RoleAssignment.objects.create(user=person, role=role.role, agency=role.agency)


@transaction.atomic
def person_role_remove(*, assignment: RoleAssignment, by: User) -> None:
    if by is not None and assignment.user_id == by.pk and assignment.role == Role.ADMINISTRATOR:
        raise Refused("You cannot remove your own administrator role: ask another administrator.")
    assignment.delete()


# --- Agencies -------------------------------------------------------------------------------


@transaction.atomic
def agency_update(*, agency: Agency, data: AgencyInput, is_active: bool) -> Agency:
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    refuse_taken_agency_names(data, exclude=agency.pk)
    agency.name, agency.short_name = data.name, data.short_name
    agency.sector, agency.description = data.sector, data.description
    agency.is_active = is_active
    agency.save()
    return agency


def _references_to_agencies() -> list[tuple[type[models.Model], models.ForeignKey]]:
    """Every foreign key to an agency, in every app (many-to-many links included), so a merge
    moves everything without this app knowing the others."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model is Agency:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Agency:
                found.append((model, field))
    return found


def _unique_sets(model: type[models.Model], field_name: str) -> list[list[str]]:
    sets = [list(fields) for fields in model._meta.unique_together]
    sets += [
        list(constraint.fields)
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
    ]
    return [fields for fields in sets if field_name in fields]


# Rows that say the same of both agencies, and may simply be dropped from the duplicate.
_DROP_WHEN_BOTH = {"accounts.RoleAssignment"}


# How a clash that cannot be resolved for the administrator is explained, by model.
_CLASH_WORDS = {"audits.AuditAgency": "both take part in the same audit"}


def _clash_pks(
    model: type[models.Model], field: models.ForeignKey, duplicate: Agency, into: Agency
) -> set[Any]:
    """The duplicate's rows that would break a unique rule if moved to `into`."""
    manager = model._default_manager
    clashing: set[Any] = set()
    for fields in _unique_sets(model, field.name):
        others = [name for name in fields if name != field.name]
        kept = set(manager.filter(**{field.name: into}).values_list(*others))
        for pk, *values in manager.filter(**{field.name: duplicate}).values_list("pk", *others):
            if tuple(values) in kept:
                clashing.add(pk)
    return clashing


def _clash_words(model: type[models.Model], field: models.ForeignKey, count: int) -> str:
    words = _CLASH_WORDS.get(model._meta.label)
    if words is None:
        others = [n for n in _unique_sets(model, field.name)[0] if n != field.name]
        words = f"both have {model._meta.verbose_name_plural} for the same {', '.join(others)}"
    return f"{words} ({count})"


@transaction.atomic
def agency_merge(*, duplicate: Agency, into: Agency) -> Agency:
    """Move everything of `duplicate` (returns, involvement, people's roles, actions, tool
    questions…) to `into`, then mark the duplicate inactive and merged. Refused, with nothing
    moved, when both hold a record that can exist once only, like taking part in one audit."""
    if duplicate.pk == into.pk:
        raise Refused({"into": "Choose a different agency to merge into."})
    duplicate = Agency.objects.select_for_update().get(pk=duplicate.pk)
    into = Agency.objects.select_for_update().get(pk=into.pk)
    if not into.is_active:
        raise Refused({"into": f"{into.name} is not active: choose an active agency."})
    references = _references_to_agencies()
    problems = []
    for model, field in references:
        clashing = _clash_pks(model, field, duplicate, into)
        if not clashing:
            continue
        if model._meta.auto_created or model._meta.label in _DROP_WHEN_BOTH:
            model._default_manager.filter(pk__in=clashing).delete()
        else:
            problems.append(_clash_words(model, field, len(clashing)))
    if problems:
        raise Refused(
            {
                "into": f"{duplicate.name} cannot be merged into {into.name}: "
                + "; ".join(problems)
                + ". Resolve these first."
            }
        )
    with recorded_as("merge"):
        for model, field in references:
            model._default_manager.filter(**{field.name: duplicate}).update(**{field.name: into})
        # Agencies merged into the duplicate earlier now name the one kept.
        Agency.objects.filter(merged_into=duplicate).update(merged_into=into)
        duplicate.is_active = False
        duplicate.merged_into = into
        duplicate.save(update_fields=["is_active", "merged_into"])
    return into
