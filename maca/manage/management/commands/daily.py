"""`maca daily`: queue the day's scheduled e-mails for the worker. Run it once a day, e.g.

    0 7 * * *  cd /srv/maca && .venv/bin/maca daily

Return reminders, escalations not acknowledged by their deadline, actions falling due and
overdue, and the daily digest for people who chose one. Each is sent once, so running it twice
is harmless. Then the housekeeping other apps register (drafts' old files).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from maca.core.management.options import date_option
from maca.manage.tasks import run_daily


class Command(BaseCommand):
    help = (
        "Queue the day's scheduled e-mails: return reminders, overdue escalations, actions "
        "falling due or overdue, daily digests. Safe to run more than once a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Run for this day (YYYY-MM-DD) instead of today.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options.get("date")
        date_option(day)  # refused here, before anything is queued
        result = run_daily.enqueue(day)
        if result.is_finished:
            self.stdout.write(f"Daily run: {result.return_value}")
        else:
            self.stdout.write(f"Queued the daily run (task {result.id}); the worker sends it.")
