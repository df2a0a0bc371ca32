"""The returns work's settings, each read with a default so a deployment need set none.

- `ESCALATION_ACKNOWLEDGE_WORKING_DAYS` (default
  `{"immediate": 1, "statutory_overdue": 5, "practice": 5}`): working days (England and Wales)
  after the day an escalation is raised, by the end of which it must be acknowledged.
- `RETURN_REMINDER_WORKING_DAYS_BEFORE` (default `(3,)`): reminders this many working days
  before returns are due.
- `RETURN_REMINDER_WORKING_DAYS_AFTER` (default `(1, 5)`): reminders this many working days
  after, while returns are outstanding.
- `RETURN_WORKBOOK_MAX_BYTES` (default 5 MiB): the largest return workbook accepted.
- `SITE_URL` (default `http://127.0.0.1:8000`): the address e-mails link to.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_ACKNOWLEDGE_WORKING_DAYS = {"immediate": 1, "statutory_overdue": 5, "practice": 5}


def acknowledge_working_days(urgency: str) -> int:
    configured = getattr(settings, "ESCALATION_ACKNOWLEDGE_WORKING_DAYS", None) or {}
    days = {**DEFAULT_ACKNOWLEDGE_WORKING_DAYS, **configured}.get(urgency)
    if not isinstance(days, int) or days < 0:
        raise ImproperlyConfigured(
            f"ESCALATION_ACKNOWLEDGE_WORKING_DAYS[{urgency!r}] must be a whole number of "
            f"working days, not {days!r}"
        )
    return days


def _day_list(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    value = getattr(settings, name, default)
    days = tuple(value)
    if not all(isinstance(day, int) and day > 0 for day in days):
        raise ImproperlyConfigured(f"{name} must be whole numbers of working days, not {value!r}")
    return tuple(sorted(set(days)))


def reminder_days_before() -> tuple[int, ...]:
    return _day_list("RETURN_REMINDER_WORKING_DAYS_BEFORE", (3,))


def reminder_days_after() -> tuple[int, ...]:
    return _day_list("RETURN_REMINDER_WORKING_DAYS_AFTER", (1, 5))


def workbook_max_bytes() -> int:
    return int(getattr(settings, "RETURN_WORKBOOK_MAX_BYTES", 5 * 1024 * 1024))


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
