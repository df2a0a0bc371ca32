"""The administrator's reads: people, their roles and invitations, agencies, and the history
of each. Only administrators reach them (404 for everyone else), and nothing here touches an
audit's children."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from maca.accounts.models import Agency, Invitation, Role, RoleAssignment, User
from maca.accounts.selectors import roles_of
from maca.core.models import ChangeRecord
from maca.history.selectors import Subjects, Timeline, timeline_of_records
from maca.manage.services import invitation_expires_at

if TYPE_CHECKING:
    from django_tasks_db.models import DBTaskResult


def is_administrator(user: User) -> bool:
    return roles_of(user).has(Role.ADMINISTRATOR)


def require_administrator(user: User) -> None:
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


def _people() -> QuerySet[User]:
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


def _row(person: User) -> PersonRow:
    invitations = list(person.invitations.all())
    return PersonRow(
        person=person,
        roles=list(person.role_assignments.all()),
        latest_invitation=invitations[0] if invitations else None,
        # Annotated by `_people`.
        has_authenticator=bool(getattr(person, "has_authenticator", False)),
    )


def people_for(user: User, *, search: str = "", role: str = "") -> list[PersonRow]:
    """Everyone with an account, by name, with their roles and invitation; filtered by a
    name or e-mail fragment and by role when given. A fixed number of queries."""
    require_administrator(user)
    people = _people()
    if search:
        people = people.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    if role:
        people = people.filter(role_assignments__role=role).distinct()
    return [_row(person) for person in people.order_by("full_name", "email")]


def person_for(user: User, person_id: int) -> PersonRow:
    require_administrator(user)
    person = _people().filter(pk=person_id).first()
    if person is None:
        raise Http404("No person found")
    return _row(person)


def role_assignment_for(user: User, person_id: int, role_id: int) -> RoleAssignment:
    require_administrator(user)
    assignment = (
        RoleAssignment.objects.select_related("user", "agency")
        .filter(pk=role_id, user_id=person_id)
        .first()
    )
    if assignment is None:
        raise Http404("No role found")
    return assignment


def person_history(user: User, person: User) -> Timeline:
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
    subjects: Subjects = {
        User: {key: str(person)},
        RoleAssignment: {},
        Invitation: {},
    }
    return timeline_of_records(records, subjects)


def agencies_for(user: User) -> list[Agency]:
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


def agency_for(user: User, agency_id: int) -> Agency:
    require_administrator(user)
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise Http404("No agency found")
    return agency


def agency_history(user: User, agency: Agency) -> Timeline:
    require_administrator(user)
    content_type = ContentType.objects.get_for_model(Agency)
    records = ChangeRecord.objects.filter(content_type=content_type, object_id=str(agency.pk))
    return timeline_of_records(
        list(records.order_by("-at", "-id")[:50]), {Agency: {str(agency.pk): agency.name}}
    )


def merge_targets(user: User, agency: Agency) -> list[Agency]:
    require_administrator(user)
    return list(Agency.objects.filter(is_active=True).exclude(pk=agency.pk).order_by("name"))


# --- Background work ------------------------------------------------------------------------

# What each task does, in words; the listing shows these and never a task's arguments or its
# error message, which may carry ids or text from an import.
TASK_NAMES = {
    "maca.returns.tasks.notify_escalation_raised": "E-mail about a new escalation",
    "maca.returns.tasks.notify_return_sent_back": "E-mail about a return sent back",
    "maca.returns.tasks.notify_escalation_acknowledged": "E-mail about an acknowledged escalation",
    "maca.returns.tasks.notify_escalation_withdrawn": "E-mail about a withdrawn escalation",
    "maca.returns.tasks.notify_return_submitted": "E-mail to a lead about a submitted return",
    "maca.returns.tasks.notify_return_signed_off": "E-mail about a return signed off",
    "maca.planning.tasks.notify_returns_open": "E-mails that returns are open",
    "maca.planning.tasks.notify_returns_added": "E-mails to an agency that more returns are open",
    "maca.planning.tasks.notify_brief_published": "E-mails that a brief is published",
    "maca.returns.tasks.send_return_reminders": "Return reminders",
    "maca.returns.tasks.send_reminders_now": "Return reminders sent by a coordinator",
    "maca.identifiers.tasks.purge_identifiers_due": "Purging identifiers past retention",
    "maca.learning.tasks.send_overdue_action_reminders": "Overdue action reminders",
    "maca.manage.tasks.run_daily": "Daily e-mails: reminders, overdue escalations, digests",
    "maca.sampling.tasks.import_903_task": "Checking and importing a 903 extract",
    "maca.reports.tasks.render_draft_task": "Making a draft's PDF or Word file",
}
FAILED_SHOWN_DAYS = 30


@dataclass(frozen=True)
class JobRow:
    name: str
    status: str
    enqueued_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    error: str


@dataclass(frozen=True)
class BackgroundWork:
    waiting: list[JobRow]
    failed: list[JobRow]
    succeeded_last_day: int
    oldest_waiting: dt.datetime | None

    @property
    def worker_may_be_stopped(self) -> bool:
        """Work waiting more than ten minutes suggests no worker is running."""
        return self.oldest_waiting is not None and (
            timezone.now() - self.oldest_waiting > dt.timedelta(minutes=10)
        )


def may_see_background_work(user: User) -> bool:
    roles = roles_of(user)
    return roles.has(Role.COORDINATOR) or roles.has(Role.ADMINISTRATOR)


def _job_row(result: DBTaskResult) -> JobRow:
    return JobRow(
        name=TASK_NAMES.get(result.task_path, result.task_path.rsplit(".", 1)[-1]),
        status=result.get_status_display(),
        enqueued_at=result.enqueued_at,
        started_at=result.started_at,
        finished_at=result.finished_at,
        error=result.exception_class_path.rsplit(".", 1)[-1],
    )


def background_work_for(user: User, *, limit: int = 100) -> BackgroundWork:
    """Queued, running and recently failed background jobs, for coordinators and
    administrators (404 for anyone else). No arguments, results or tracebacks are read."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if not may_see_background_work(user):
        raise Http404("Not found")
    columns = (
        "task_path",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "exception_class_path",
    )
    jobs = DBTaskResult.objects.only(*columns)
    waiting = jobs.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).order_by(
        "enqueued_at"
    )
    since = timezone.now() - dt.timedelta(days=FAILED_SHOWN_DAYS)
    failed = jobs.filter(status=TaskResultStatus.FAILED, finished_at__gte=since).order_by(
        "-finished_at"
    )
    waiting_rows = [_job_row(result) for result in waiting[:limit]]
    return BackgroundWork(
        waiting=waiting_rows,
        failed=[_job_row(result) for result in failed[:limit]],
        succeeded_last_day=jobs.filter(
            status=TaskResultStatus.SUCCESSFUL,
            finished_at__gte=timezone.now() - dt.timedelta(days=1),
        ).count(),
        oldest_waiting=waiting_rows[0].enqueued_at if waiting_rows else None,
    )
