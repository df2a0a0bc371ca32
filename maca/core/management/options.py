"""Command-line options that several of maca's commands take, read one way."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError


def date_option(value: str | None) -> dt.date | None:
    """The day given with `--date` (YYYY-MM-DD), or None when it was left out."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date like 2026-12-03, not {value!r}") from None
