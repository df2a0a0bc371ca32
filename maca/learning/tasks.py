"""Background work for the learning loop: overdue action reminders.

`maca action_reminders` (run daily by cron or a systemd timer) enqueues the task; the
database-backed worker (`maca db_worker`) sends the mail. Sending twice is impossible: each
reminder is recorded once per action and due date.
"""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from maca.core import jobs
from maca.learning import services


@task
def send_overdue_action_reminders() -> dict[str, int]:
    result = services.action_reminders_send(today=timezone.localdate())
    return {"sent": result.sent, "skipped": result.skipped}


# Run again if its worker dies part-way: each reminder is recorded as it is sent, so only the
# ones not sent yet go out.
jobs.retry_when_abandoned(send_overdue_action_reminders)
