"""Background work for identifiers: the daily purge of those past their retention period."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from maca.identifiers.retention import purge_identifiers


@task
def purge_identifiers_due(today: str | None = None) -> dict[str, int]:
    """Purge what is due on `today` (ISO date; by default today). Returns audits by outcome."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    counts: dict[str, int] = {}
    for decision in purge_identifiers(today=day, dry_run=False):
        counts[decision.outcome] = counts.get(decision.outcome, 0) + 1
    return counts
