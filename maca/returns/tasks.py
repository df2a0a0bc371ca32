"""Background work: e-mails go out from the task worker, never from the web request, so a slow
mail server never holds up the person saving a return or raising an escalation."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from maca.returns import notify


@task
def notify_escalation_raised(escalation_id: int) -> int:
    return notify.send_escalation_raised(escalation_id)


@task
def notify_escalation_acknowledged(escalation_id: int) -> int:
    return notify.send_escalation_acknowledged(escalation_id)


@task
def notify_escalation_withdrawn(escalation_id: int) -> int:
    return notify.send_escalation_withdrawn(escalation_id)


@task
def notify_return_submitted(return_id: int) -> int:
    return notify.send_return_submitted(return_id)


@task
def notify_return_signed_off(return_id: int) -> int:
    return notify.send_return_signed_off(return_id)


@task
def notify_return_sent_back(return_id: int) -> int:
    return notify.send_return_sent_back(return_id)


@task
def send_reminders_now(audit_id: int, today: str) -> int:
    return notify.send_reminders_now(audit_id, dt.date.fromisoformat(today))


@task
def send_return_reminders(today: str | None = None) -> dict[str, int]:
    """`today` (ISO date) lets a test or a catch-up run pick the day; by default it is today."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return notify.send_return_reminders(day)
