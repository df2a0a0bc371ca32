"""The returns work's settings, read from `config/settings.py` (where their defaults are) and
checked here: `ESCALATION_ACKNOWLEDGE_WORKING_DAYS`, `RETURN_REMINDER_WORKING_DAYS_BEFORE`,
`RETURN_REMINDER_WORKING_DAYS_AFTER`, `RETURN_WORKBOOK_MAX_BYTES` and `SITE_URL`."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def acknowledge_working_days(urgency: str) -> int:
    days = settings.ESCALATION_ACKNOWLEDGE_WORKING_DAYS.get(urgency)
    if not isinstance(days, int) or days < 0:
        raise ImproperlyConfigured(
            f"ESCALATION_ACKNOWLEDGE_WORKING_DAYS[{urgency!r}] must be a whole number of "
            f"working days, not {days!r}"
        )
    return days


def _day_list(name: str) -> tuple[int, ...]:
    value = getattr(settings, name)
    days = tuple(value)
    if not all(isinstance(day, int) and day > 0 for day in days):
        raise ImproperlyConfigured(f"{name} must be whole numbers of working days, not {value!r}")
    return tuple(sorted(set(days)))


def reminder_days_before() -> tuple[int, ...]:
    return _day_list("RETURN_REMINDER_WORKING_DAYS_BEFORE")


def reminder_days_after() -> tuple[int, ...]:
    return _day_list("RETURN_REMINDER_WORKING_DAYS_AFTER")


def workbook_max_bytes() -> int:
    return int(settings.RETURN_WORKBOOK_MAX_BYTES)


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")
