"""The daily run: every e-mail maca sends on a schedule rather than when someone acts.

Django's task framework has no clock, so `maca daily`, run once a day by cron or a systemd
timer, queues one task that does each step in turn. Each step records what it sent, so running
it twice in a day, or on two machines, sends nothing more. The digest goes last of the e-mails,
so people who chose it find that day's reminders in it.

Apps above this one add their own daily housekeeping with `register_daily_step` (from their
`AppConfig.ready`); it runs after the e-mails.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from functools import partial

from django.utils import timezone

from maca.accounts.notifications import send_daily_digests
from maca.learning import services as learning_services
from maca.returns import notify as returns_notify

logger = logging.getLogger(__name__)

DailyStep = Callable[[dt.date, dt.datetime], object]
_registered: dict[str, DailyStep] = {}


def register_daily_step(name: str, step: DailyStep) -> None:
    """Add a step, called with the day and the moment of the run; registering a name again
    replaces it, so an app's `ready` running twice does not run its step twice."""
    _registered[name] = step


def _steps(day: dt.date, now: dt.datetime) -> list[tuple[str, Callable[[], object]]]:
    return [
        ("return reminders", lambda: returns_notify.send_return_reminders(day)),
        ("escalations overdue", lambda: returns_notify.send_escalations_overdue(now)),
        (
            "actions falling due",
            lambda: learning_services.action_falling_due_reminders_send(today=day),
        ),
        ("actions overdue", lambda: learning_services.action_reminders_send(today=day)),
        ("daily digests", lambda: send_daily_digests(now=now)),
        *((name, partial(step, day, now)) for name, step in _registered.items()),
    ]


def daily_run(*, day: dt.date | None = None) -> dict[str, str]:
    """Run every step even when one fails (a broken mail for one kind should not hold back the
    others), then fail loudly so the Background work page shows it."""
    now = timezone.now()
    day = day or timezone.localdate(now)
    results: dict[str, str] = {}
    failures: list[Exception] = []
    for name, step in _steps(day, now):
        try:
            results[name] = str(step())
        except Exception as error:
            logger.exception("Daily run: %s failed", name)
            results[name] = "failed"
            failures.append(error)
    if failures:
        raise RuntimeError(f"Daily run: {len(failures)} step(s) failed: {results}") from failures[0]
    return results
