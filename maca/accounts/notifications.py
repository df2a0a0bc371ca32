"""How maca's e-mails reach a person: one by one as things happen (the default), or gathered
into one e-mail a day for those who chose the daily digest on their account page.

Every e-mail maca sends about an audit goes through `notify`, so the choice is honoured
everywhere. An urgent notice (an immediate safeguarding escalation, an escalation past its
deadline) goes at once whatever the choice: a day's wait could leave a child at risk.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from maca.accounts.models import DigestEntry, EmailFrequency, User
from maca.core.history import record_event


def notify(user: User, subject: str, body: str, *, urgent: bool = False) -> None:
    """Send the e-mail now, or keep it for the person's daily digest."""
    if user.email_frequency == EmailFrequency.DAILY and not urgent:
        DigestEntry.objects.create(
            recipient=user, subject=subject, body=body, queued_at=timezone.now()
        )
        return
    EmailMessage(subject=subject, body=body, to=[user.email]).send()


def notify_emails(emails: list[str], subject: str, body: str) -> int:
    """`notify` for a list of addresses: each active person among them by their own choice, an
    address that is nobody's account (a shared mailbox) at once. Returns how many were sent
    or kept."""
    people = {user.email: user for user in User.objects.filter(email__in=emails, is_active=True)}
    for email in emails:
        person = people.get(email)
        if person is not None:
            notify(person, subject, body)
        else:
            EmailMessage(subject=subject, body=body, to=[email]).send()
    return len(emails)


@transaction.atomic
def email_frequency_set(*, user: User, frequency: str) -> User:
    """Record the person's choice, with its history."""
    if frequency not in EmailFrequency.values:
        raise ValueError(f"Unknown e-mail frequency {frequency!r}")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user.email_frequency
    if before == frequency:
        return user
    user.email_frequency = frequency
    user.save(update_fields=["email_frequency"])
    record_event(
        user,
        action="e-mail choice",
        changes={
            "E-mails": [str(EmailFrequency(before).label), str(EmailFrequency(frequency).label)]
        },
    )
    return user


def _digest_text(user: User, entries: list[DigestEntry], day: dt.date) -> tuple[str, str]:
    count = len(entries)
    noun = "notification" if count == 1 else "notifications"
    subject = f"Your maca digest for {day.day} {day:%B %Y}: {count} {noun}"
    parts = [
        f"{count} {noun} from maca since your last digest.\n\n"
        "You chose to receive maca's e-mails once a day. To receive them as things happen, "
        f"change it on your account page: {str(settings.SITE_URL).rstrip('/')}"
        f"{reverse('email-frequency')}\n"
    ]
    for number, entry in enumerate(entries, start=1):
        parts.append(f"\n--- {number}. {entry.subject} ---\n\n{entry.body.rstrip()}\n")
    return subject, "".join(parts)


def send_daily_digests(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send each person their unsent notifications in one e-mail and stamp them sent. Each
    person's entries are locked, sent and stamped in one transaction: a failure sends nothing
    and leaves them for the next run, and a second run (or a second worker) finds none."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    people = (
        DigestEntry.objects.filter(sent_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    sent = entries_sent = 0
    for user_id in list(people):
        with transaction.atomic():
            entries = list(
                DigestEntry.objects.select_for_update()
                .filter(recipient_id=user_id, sent_at__isnull=True)
                .select_related("recipient")
                .order_by("queued_at", "id")
            )
            if not entries:
                continue  # another worker sent them first
            user = entries[0].recipient
            if user.is_active:
                subject, body = _digest_text(user, entries, day)
                EmailMessage(subject=subject, body=body, to=[user.email]).send()
                sent += 1
            DigestEntry.objects.filter(pk__in=[entry.pk for entry in entries]).update(sent_at=now)
            entries_sent += len(entries)
    return {"digests": sent, "notifications": entries_sent}
