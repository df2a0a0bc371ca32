"""E-mails about returns and escalations, and who gets them.

An e-mail leaves maca's protection, so it names a child only by pseudonym, never carries the
concern, the answers or any identifier, and links to the page where the person signs in to
read the rest.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from maca.accounts.models import Agency, Role, User
from maca.accounts.notifications import notify
from maca.audits.models import (
    AgencyInvolvement,
    AgencyReturn,
    Audit,
    AuditAgency,
    AuditStatus,
    Case,
    Escalation,
)
from maca.returns import conf, deadlines
from maca.returns.models import EscalationOverdueNotice, ReminderKind, ReminderSent
from maca.returns.selectors import COMPLETE_STATUSES


def _link(name: str, *args: Any) -> str:
    return f"{conf.site_url()}{reverse(name, args=args)}"


def _long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _send(subject: str, body: str, to: User, *, urgent: bool = False) -> None:
    notify(to, subject, body, urgent=urgent)


def agency_people(agency_id: int, roles: tuple[str, ...]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__agency_id=agency_id,
            role_assignments__role__in=roles,
        )
        .distinct()
        .order_by("email")
    )


# --- Escalations ----------------------------------------------------------------------------


def escalation_recipients(escalation: Escalation) -> list[User]:
    """The receiving agency's leads and the audit's coordinators, each once."""
    people = {
        user.pk: user for user in agency_people(escalation.raised_to_agency_id, (Role.AGENCY_LEAD,))
    }
    for user in escalation.audit.coordinators.filter(is_active=True):
        people.setdefault(user.pk, user)
    return sorted(people.values(), key=lambda user: user.email)


def send_escalation_raised(escalation_id: int) -> int:
    escalation = (
        Escalation.objects.select_related("audit", "case", "raised_to_agency", "raised_by_agency")
        .filter(pk=escalation_id)
        .first()
    )
    if escalation is None:
        return 0
    child = escalation.case.pseudonym if escalation.case else "a child"
    deadline = timezone.localtime(escalation.acknowledge_by) if escalation.acknowledge_by else None
    by = f"by the end of {_long_date(deadline.date())}" if deadline else "as soon as you can"
    link = _link("returns:escalation", escalation.audit.slug, escalation.pk)
    raised_by = (
        escalation.raised_by_agency.short_name if escalation.raised_by_agency else "the partnership"
    )
    subject = (
        f"Escalation ({escalation.get_urgency_display().lower()}) about {child}: acknowledge {by}"
    )
    body = (
        f"An escalation has been raised during the audit '{escalation.audit.title}'.\n\n"
        f"Child: {child}\n"
        f"Urgency: {escalation.get_urgency_display()}\n"
        f"Raised by: {raised_by}\n"
        f"Raised to: {escalation.raised_to_agency.name}\n\n"
        f"It must be acknowledged {by}. Sign in to read the concern and acknowledge it:\n"
        f"{link}\n\n"
        "This e-mail does not contain the details of the concern.\n"
    )
    recipients = escalation_recipients(escalation)
    urgent = escalation.urgency == Escalation.Urgency.IMMEDIATE
    for user in recipients:
        _send(subject, body, user, urgent=urgent)
    return len(recipients)


def _and_the_raiser(people: Iterable[User], escalation: Escalation) -> dict[int, User]:
    """`people` and whoever raised the escalation (if still active), each once, by id."""
    by_id = {user.pk: user for user in people}
    if escalation.raised_by is not None and escalation.raised_by.is_active:
        by_id.setdefault(escalation.raised_by.pk, escalation.raised_by)
    return by_id


def _send_to_each(subject: str, body: str, people: dict[int, User]) -> int:
    recipients = sorted(people.values(), key=lambda user: user.email)
    for user in recipients:
        _send(subject, body, user)
    return len(recipients)


def send_escalation_acknowledged(escalation_id: int) -> int:
    """To whoever raised it and the audit's coordinators: the agency has picked it up."""
    escalation = (
        Escalation.objects.select_related("audit", "case", "raised_to_agency", "raised_by")
        .filter(pk=escalation_id)
        .first()
    )
    if escalation is None:
        return 0
    people = _and_the_raiser(escalation.audit.coordinators.filter(is_active=True), escalation)
    child = escalation.case.pseudonym if escalation.case else "a child"
    agency = escalation.raised_to_agency.short_name
    subject = f"Escalation about {child} acknowledged by {agency}"
    body = (
        f"{escalation.raised_to_agency.name} has acknowledged the escalation about {child} "
        f"raised during the audit '{escalation.audit.title}'.\n\n"
        f"Sign in to read their response:\n"
        f"{_link('returns:escalation', escalation.audit.slug, escalation.pk)}\n"
    )
    return _send_to_each(subject, body, people)


def send_escalation_withdrawn(escalation_id: int) -> int:
    """To the agency it was raised to, whoever raised it and the coordinators, except the person
    who withdrew it: nobody goes on working on a concern that has been taken back. The reason
    stays behind the sign-in, as the concern does."""
    escalation = (
        Escalation.objects.select_related("audit", "case", "raised_to_agency", "raised_by")
        .filter(pk=escalation_id, status=Escalation.Status.WITHDRAWN)
        .first()
    )
    if escalation is None:
        return 0
    people = _and_the_raiser(escalation_recipients(escalation), escalation)
    if escalation.withdrawn_by_id is not None:
        people.pop(escalation.withdrawn_by_id, None)
    child = escalation.case.pseudonym if escalation.case else "a child"
    subject = f"Escalation about {child} withdrawn"
    body = (
        f"The escalation about {child} raised to {escalation.raised_to_agency.name} during the "
        f"audit '{escalation.audit.title}' has been withdrawn. No further action is needed on "
        "it.\n\n"
        f"Sign in to read why it was withdrawn:\n"
        f"{_link('returns:escalation', escalation.audit.slug, escalation.pk)}\n"
    )
    return _send_to_each(subject, body, people)


def _escalation_overdue_text(escalation: Escalation) -> tuple[str, str]:
    child = escalation.case.pseudonym if escalation.case else "a child"
    agency = escalation.raised_to_agency
    assert escalation.acknowledge_by is not None
    deadline = _long_date(timezone.localtime(escalation.acknowledge_by).date())
    subject = f"Overdue: the escalation about {child} was not acknowledged by {deadline}"
    body = (
        f"The escalation ({escalation.get_urgency_display().lower()}) about {child}, raised to "
        f"{agency.name} during the audit '{escalation.audit.title}', should have been "
        f"acknowledged by {deadline} and has not been.\n\n"
        f"Sign in to read the concern and acknowledge it, or, as coordinator, follow it up "
        f"with {agency.short_name}:\n"
        f"{_link('returns:escalation', escalation.audit.slug, escalation.pk)}\n\n"
        "This e-mail does not contain the details of the concern.\n"
    )
    return subject, body


def send_escalations_overdue(now: dt.datetime) -> dict[str, int]:
    """Tell the receiving agency's leads and the coordinators, at once whatever their e-mail
    choice, about each escalation still not acknowledged past its deadline: once per
    escalation, recorded in the same transaction as the sending so a failure is retried on
    the next run and a second run (or worker) sends nothing."""
    overdue = (
        Escalation.objects.filter(
            status=Escalation.Status.RAISED,
            acknowledge_by__lt=now,
            overdue_notice__isnull=True,
        )
        .select_related("audit", "case", "raised_to_agency")
        .order_by("acknowledge_by", "pk")
    )
    sent = skipped = 0
    for escalation in overdue:
        recipients = escalation_recipients(escalation)
        subject, body = _escalation_overdue_text(escalation)
        try:
            with transaction.atomic():
                EscalationOverdueNotice.objects.create(
                    escalation=escalation,
                    sent_at=now,
                    recipients=[user.email for user in recipients],
                )
                for user in recipients:
                    _send(subject, body, user, urgent=True)
        except IntegrityError:
            skipped += 1  # another worker sent it first
            continue
        sent += 1
    return {"sent": sent, "already_sent": skipped}


# --- Submitted and signed off ---------------------------------------------------------------


def _return_with_people(return_id: int) -> AgencyReturn | None:
    return (
        AgencyReturn.objects.select_related("case__audit", "agency", "auditor", "signed_off_by")
        .filter(pk=return_id)
        .first()
    )


def send_return_submitted(return_id: int) -> int:
    """To the agency's leads: a return waits for their sign-off."""
    agency_return = _return_with_people(return_id)
    if agency_return is None:
        return 0
    audit = agency_return.case.audit
    child = agency_return.case.pseudonym
    subject = f"{agency_return.agency.short_name}'s return for {child} is ready to sign off"
    body = (
        f"The return of {agency_return.agency.short_name} for {child} in the audit "
        f"'{audit.title}' has been submitted. Sign in to read it, then sign it off or send it "
        "back to the auditor with a comment:\n"
        f"{_link('returns:return', audit.slug, agency_return.case_id, agency_return.agency_id)}\n"
    )
    recipients = agency_people(agency_return.agency_id, (Role.AGENCY_LEAD,))
    for user in recipients:
        _send(subject, body, user)
    return len(recipients)


def _auditors_of(agency_return: AgencyReturn) -> list[User]:
    if agency_return.auditor and agency_return.auditor.is_active:
        return [agency_return.auditor]
    return agency_people(agency_return.agency_id, (Role.AGENCY_AUDITOR,))


def send_return_signed_off(return_id: int) -> int:
    """To the auditor: their agency's lead has signed the return off."""
    agency_return = _return_with_people(return_id)
    if agency_return is None:
        return 0
    audit = agency_return.case.audit
    child = agency_return.case.pseudonym
    subject = f"Your return for {child} has been signed off"
    body = (
        f"{agency_return.signed_off_by or 'Your agency lead'} has signed off "
        f"{agency_return.agency.short_name}'s return for {child} in the audit '{audit.title}'. "
        "The audit's coordinator reviews it next.\n\n"
        f"{_link('returns:return', audit.slug, agency_return.case_id, agency_return.agency_id)}\n"
    )
    recipients = _auditors_of(agency_return)
    for user in recipients:
        _send(subject, body, user)
    return len(recipients)


# --- Sent back ------------------------------------------------------------------------------


def send_return_sent_back(return_id: int) -> int:
    agency_return = (
        AgencyReturn.objects.select_related("case__audit", "agency", "auditor", "reviewed_by")
        .filter(pk=return_id)
        .first()
    )
    if agency_return is None:
        return 0
    sender = agency_return.reviewed_by
    recipients = _auditors_of(agency_return)
    audit = agency_return.case.audit
    link = _link("returns:return", audit.slug, agency_return.case_id, agency_return.agency_id)
    subject = f"Your return for {agency_return.case.pseudonym} has been sent back"
    by_coordinator = sender is None or audit.coordinators.filter(pk=sender.pk).exists()
    who = "The coordinator of the audit" if by_coordinator else "Your agency's lead, for the audit"
    body = (
        f"{who} '{audit.title}' has sent back "
        f"{agency_return.agency.short_name}'s return for {agency_return.case.pseudonym}.\n\n"
        f"Sign in to read what needs to change, then edit and submit it again:\n{link}\n"
    )
    for user in recipients:
        _send(subject, body, user)
    return len(recipients)


# --- Reminders ------------------------------------------------------------------------------


@dataclass
class Outstanding:
    """An agency's returns still to come in for one audit and one due date."""

    audit: Audit
    agency: Agency
    due: dt.date
    cases: list[Case] = field(default_factory=list)


def outstanding_returns(audit_id: int | None = None) -> list[Outstanding]:
    """Returns owed and not yet submitted, in audits whose returns are open (or the one
    given), grouped by agency and due date, in a fixed number of queries."""
    audits = Audit.objects.filter(status=AuditStatus.RETURNS_OPEN)
    if audit_id is not None:
        audits = audits.filter(pk=audit_id)
    links = {
        (link.audit_id, link.agency_id): link
        for link in AuditAgency.objects.filter(audit__in=audits).select_related("audit", "agency")
    }
    returns = {
        (row.case_id, row.agency_id): row
        for row in AgencyReturn.objects.filter(case__audit__in=audits).only(
            "id", "case_id", "agency_id", "status", "due_date"
        )
    }
    groups: dict[tuple[int, int, dt.date], Outstanding] = {}
    involvements = (
        AgencyInvolvement.objects.filter(
            case__audit__in=audits, status=AgencyInvolvement.Status.INVOLVED
        )
        .select_related("case")
        .order_by("case__order", "case__pseudonym")
    )
    for involvement in involvements:
        link = links.get((involvement.case.audit_id, involvement.agency_id))
        if link is None:
            continue
        row = returns.get((involvement.case_id, involvement.agency_id))
        if row is not None and row.status in COMPLETE_STATUSES:
            continue
        due = (row.due_date if row else None) or link.returns_due or link.audit.returns_due
        if due is None:
            continue
        key = (link.audit_id, link.agency_id, due)
        group = groups.setdefault(key, Outstanding(link.audit, link.agency, due))
        group.cases.append(involvement.case)
    return sorted(groups.values(), key=lambda g: (g.due, g.audit.title, g.agency.name))


def reminder_for(due: dt.date, today: dt.date) -> tuple[str, int] | None:
    """Which reminder, if any, is due today for returns due on `due`: the latest one whose
    day has come, so a worker that missed a day sends one reminder, not a burst."""
    if today <= due:
        before = [
            n for n in conf.reminder_days_before() if deadlines.working_days_before(due, n) <= today
        ]
        return (ReminderKind.BEFORE, min(before)) if before else None
    after = [n for n in conf.reminder_days_after() if deadlines.working_days_after(due, n) <= today]
    return (ReminderKind.AFTER, max(after)) if after else None


def _reminder_text(group: Outstanding, kind: str) -> tuple[str, str]:
    count = len(group.cases)
    plural = "returns" if count != 1 else "return"
    were = "were" if count != 1 else "was"
    due = _long_date(group.due)
    if kind == ReminderKind.BEFORE:
        subject = f"Reminder: {count} {plural} for {group.audit.title} due on {due}"
        opening = (
            f"{group.agency.short_name} has {count} {plural} for the audit "
            f"'{group.audit.title}' still to submit. They are due on {due}."
        )
    else:
        subject = f"Overdue: {count} {plural} for {group.audit.title} {were} due on {due}"
        not_submitted = "have not been submitted" if count != 1 else "has not been submitted"
        opening = (
            f"{group.agency.short_name} has {count} {plural} for the audit "
            f"'{group.audit.title}' that {were} due on {due} and {not_submitted}."
        )
    lines = [
        f"- {case.pseudonym}: {_link('returns:return', group.audit.slug, case.pk, group.agency.pk)}"
        for case in group.cases
    ]
    closing = (
        "Sign in to fill them in. If your agency did not know one of these children, tell the "
        "audit's coordinator."
        if count != 1
        else "Sign in to fill it in. If your agency did not know this child, tell the audit's "
        "coordinator."
    )
    body = f"{opening}\n\n" + "\n".join(lines) + f"\n\n{closing}\n"
    return subject, body


@dataclass(frozen=True)
class ReminderPreview:
    """One e-mail "Send reminders now" would send: to whom, and what it says."""

    group: Outstanding
    subject: str
    recipients: list[User]


def reminders_now_preview(audit_id: int, today: dt.date) -> list[ReminderPreview]:
    """What sending reminders now for one audit would send: a reminder, or an overdue notice
    once the due date has passed, to each agency's auditors and leads."""
    previews = []
    for group in outstanding_returns(audit_id):
        kind = ReminderKind.AFTER if group.due < today else ReminderKind.BEFORE
        subject, _ = _reminder_text(group, kind)
        people = agency_people(group.agency.pk, (Role.AGENCY_AUDITOR, Role.AGENCY_LEAD))
        previews.append(ReminderPreview(group, subject, people))
    return previews


def send_reminders_now(audit_id: int, today: dt.date) -> int:
    """Send the reminders the coordinator previewed, now; not recorded as the scheduled ones,
    so the daily reminders still go on their days."""
    sent = 0
    for preview in reminders_now_preview(audit_id, today):
        kind = ReminderKind.AFTER if preview.group.due < today else ReminderKind.BEFORE
        subject, body = _reminder_text(preview.group, kind)
        for user in preview.recipients:
            _send(subject, body, user)
            sent += 1
    return sent


def send_return_reminders(today: dt.date) -> dict[str, int]:
    """Send each reminder that is due today to the auditors and leads of agencies with
    returns outstanding; one already sent (recorded in `ReminderSent`) is never sent again."""
    sent = skipped = 0
    people_by_agency: dict[int, list[User]] = defaultdict(list)
    for group in outstanding_returns():
        due_now = reminder_for(group.due, today)
        if due_now is None:
            continue
        kind, days = due_now
        if group.agency.pk not in people_by_agency:
            people_by_agency[group.agency.pk] = agency_people(
                group.agency.pk, (Role.AGENCY_AUDITOR, Role.AGENCY_LEAD)
            )
        subject, body = _reminder_text(group, kind)
        for user in people_by_agency[group.agency.pk]:
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(
                        audit=group.audit,
                        agency=group.agency,
                        due_date=group.due,
                        kind=kind,
                        working_days=days,
                        recipient=user,
                        sent_at=timezone.now(),
                        return_count=len(group.cases),
                    )
                    # Sent inside the transaction: if sending fails, the record goes too and
                    # tomorrow's run tries again.
                    _send(subject, body, user)
            except IntegrityError:
                skipped += 1
                continue
            sent += 1
    return {"sent": sent, "already_sent": skipped}
