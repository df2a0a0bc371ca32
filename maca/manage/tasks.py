"""Background work run on a schedule (see `maca.manage.daily`)."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from maca.manage.daily import daily_run


@task
def run_daily(today: str | None = None) -> dict[str, str]:
    """`today` (ISO date) lets a catch-up run pick the day; by default it is today."""
    return daily_run(day=dt.date.fromisoformat(today) if today else None)
