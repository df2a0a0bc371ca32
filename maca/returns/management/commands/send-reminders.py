"""`maca send-reminders`: queue today's return reminders. Run it daily from cron, e.g.

    15 7 * * 1-5  cd /srv/maca && .venv/bin/maca send-reminders

The worker (`maca db_worker`) sends them. A reminder already sent is never sent again, so
running the command twice in a day, or on two machines, is harmless.

(Django finds command files by name, hyphen and all; the file cannot be imported with an
`import` statement, which nothing needs to do.)
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maca.core.management.options import date_option
from maca.returns.tasks import send_return_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminder e-mails due today to agencies with returns outstanding "
        "(before and after the due date). Safe to run more than once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            help="Send the reminders due on this day (YYYY-MM-DD) instead of today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = options.get("date")
        date_option(day)  # refused here, before anything is queued
        result = send_return_reminders.enqueue(day)
        if result.is_finished:
            self.stdout.write(f"Reminders: {result.return_value}")
        else:
            self.stdout.write(f"Queued the reminders (task {result.id}); the worker sends them.")
