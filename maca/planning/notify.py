"""E-mails when an audit reaches a stage people wait for: returns open (to each agency taking
part) and the brief published (to everyone who worked on the audit). Like every maca e-mail,
they name no child and link to pages behind sign-in."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from maca.accounts.models import AGENCY_ROLES, User
from maca.accounts.notifications import notify
from maca.audits.models import AgencyReturn, Audit, AuditAgency, AuditStatus


def _link(name: str, *args: object) -> str:
    return f"{str(settings.SITE_URL).rstrip('/')}{reverse(name, args=args)}"


def _agency_people(agency_ids: list[int]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=sorted(AGENCY_ROLES),
            role_assignments__agency_id__in=agency_ids,
        )
        .distinct()
        .order_by("email")
    )


def _returns_open_text(audit: Audit, link: AuditAgency, owed: int, added: int) -> tuple[str, str]:
    due = link.returns_due or audit.returns_due
    by = f", due by {due.day} {due:%B %Y}" if due else ""
    short = link.agency.short_name
    if added == owed:
        subject = f"Returns are open for {audit.title}: {owed} for {short}"
        opening = (
            f"The audit '{audit.title}' is now taking returns. {link.agency.name} has "
            f"{owed} return{'s' if owed != 1 else ''} to complete{by}."
        )
    else:
        subject = f"Returns are open for {audit.title}: {added} more for {short}"
        opening = (
            f"The audit '{audit.title}' is taking returns, and {link.agency.name} has "
            f"{added} more to complete: {owed} in all{by}."
        )
    body = f"{opening}\n\nSign in and open Your work to start:\n{_link('returns:dashboard')}\n"
    return subject, body


def send_returns_open(audit_id: int) -> int:
    """To each agency's auditors and leads: how many returns they owe, and by when. Only
    returns not announced before are news: an audit moved back and then on to returns open
    again tells an agency of the returns added meanwhile, and nothing else."""
    audit = Audit.objects.filter(pk=audit_id, status=AuditStatus.RETURNS_OPEN).first()
    if audit is None:
        return 0
    sent = 0
    for link in audit.audit_agencies.select_related("agency"):
        sent += _announce_new_returns(audit, link)
    return sent


def send_returns_added(audit_id: int, agency_id: int, added: int) -> int:
    """To one agency's auditors and leads when returns open for them while the audit's
    returns are already open (the agency joined late, or knew another child). `added` is
    what the change opened; the e-mail counts the returns not yet announced, so a task run
    twice, or after the stage e-mail, sends nothing more."""
    audit = Audit.objects.filter(pk=audit_id, status=AuditStatus.RETURNS_OPEN).first()
    link = (
        AuditAgency.objects.filter(audit=audit, agency_id=agency_id)
        .select_related("agency")
        .first()
    )
    if audit is None or link is None:
        return 0
    return _announce_new_returns(audit, link)


@transaction.atomic
def _announce_new_returns(audit: Audit, link: AuditAgency) -> int:
    """E-mail the agency's people about its returns not announced before, and mark them
    announced; how many people were told."""
    returns = AgencyReturn.objects.filter(case__audit=audit, agency_id=link.agency_id)
    fresh = list(
        returns.filter(announced_at__isnull=True).select_for_update().values_list("pk", flat=True)
    )
    if not fresh:
        return 0
    owed = returns.count()
    subject, body = _returns_open_text(audit, link, owed, added=len(fresh))
    people = _agency_people([link.agency_id])
    for user in people:
        notify(user, subject, body)
    AgencyReturn.objects.filter(pk__in=fresh).update(announced_at=timezone.now())
    return len(people)


def send_brief_published(audit_id: int) -> int:
    """To the audit's coordinators, panel and the people of every agency that took part."""
    audit = Audit.objects.filter(pk=audit_id, status=AuditStatus.PUBLISHED).first()
    if audit is None:
        return 0
    agency_ids = list(audit.audit_agencies.values_list("agency_id", flat=True))
    people = {user.pk: user for user in _agency_people(agency_ids)}
    for user in User.objects.filter(
        Q(coordinated_audits=audit) | Q(panelmembership__audit=audit), is_active=True
    ).distinct():
        people.setdefault(user.pk, user)
    subject = f"Learning brief published: {audit.title}"
    body = (
        f"The learning brief of the audit '{audit.title}' is published. Thank you for your "
        "part in it. Read it, or download it as PDF or Word:\n"
        f"{_link('reports:brief', audit.slug)}\n"
    )
    for user in sorted(people.values(), key=lambda user: user.email):
        notify(user, subject, body)
    return len(people)
