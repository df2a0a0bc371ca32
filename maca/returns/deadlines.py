"""Deadlines counted in working days in England and Wales (weekends and bank holidays skipped)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from maca.core.calendar import add_working_days, is_working_day
from maca.returns import conf


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of a day in the site's time zone: a deadline "by Tuesday" means all of
    Tuesday."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def acknowledge_by(raised_at: dt.datetime, urgency: str) -> dt.datetime:
    """When an escalation must be acknowledged: the end of the Nth working day after the day
    it was raised (raised on Thursday 24 December 2026, immediate: by Tuesday 29 December)."""
    raised_day = timezone.localdate(raised_at)
    return end_of_day(add_working_days(raised_day, conf.acknowledge_working_days(urgency)))


def working_days_before(day: dt.date, days: int) -> dt.date:
    """The date `days` working days before `day` (the working day before is day 1)."""
    current = day
    remaining = days
    while remaining > 0:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_after(day: dt.date, days: int) -> dt.date:
    return add_working_days(day, days)
