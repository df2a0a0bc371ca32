"""`maca purge-identifiers [--dry-run] [--date YYYY-MM-DD]`: purge the child identifiers of
closed audits past the retention period (MACA_IDENTIFIER_RETENTION_DAYS) that have no hold.
Run it daily from cron, e.g.

    30 2 * * *  cd /srv/maca && .venv/bin/maca purge-identifiers

It prints each closed audit with what was (or would be) purged, or why it was kept. Running it
twice is harmless. The task `maca.identifiers.tasks.purge_identifiers_due` does the same from
the task worker.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from maca.core.management.options import date_option
from maca.identifiers.retention import purge_identifiers
from maca.identifiers.selectors import retention_days


class Command(BaseCommand):
    help = (
        "Purge child identifiers of closed audits past the retention period, unless on hold. "
        "Findings, grades and figures stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be purged; change nothing."
        )
        parser.add_argument("--date", help="Act as on this day (YYYY-MM-DD) instead of today.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = date_option(options.get("date")) or timezone.localdate()
        dry_run = options["dry_run"]
        decisions = purge_identifiers(today=day, dry_run=dry_run)
        heading = "Dry run: nothing is changed. " if dry_run else ""
        self.stdout.write(
            f"{heading}Retention period {retention_days()} days after closing; as on "
            f"{day:%-d %B %Y}."
        )
        if not decisions:
            self.stdout.write("No closed audits.")
        for decision in decisions:
            self.stdout.write(f"{decision.audit_slug}: {decision.describe()}")
