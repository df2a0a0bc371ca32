"""`maca action_reminders`: queue today's overdue action reminders for the worker.

Run it once a day (cron, a systemd timer, or the platform's scheduler). `--now` sends them in
this process instead, for a deployment without a worker. Either way a reminder already sent
for an action's due date is never sent again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from maca.learning import services
from maca.learning.tasks import send_overdue_action_reminders


class Command(BaseCommand):
    help = "Queue (or with --now, send) reminders for overdue actions; run daily."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Send in this process instead of queueing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            result = services.action_reminders_send(today=timezone.localdate())
            self.stdout.write(
                f"Sent {result.sent} overdue reminder(s); {result.skipped} already sent or "
                "with nobody to send to."
            )
            return
        queued = send_overdue_action_reminders.enqueue()
        self.stdout.write(f"Queued the overdue action reminders (task {queued.id}).")
