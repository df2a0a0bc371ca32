"""`{{ moment|as_people_write_it }}`: a time as people write it, "3 December 2026, 8:25pm"."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


@register.filter
def clock_time(moment: dt.datetime | None) -> str:
    """The time of day alone, "8:25pm", for when the day goes without saying."""
    if moment is None:
        return ""
    local = _local(moment)
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"


@register.filter
def as_people_write_it(moment: dt.datetime | None) -> str:
    """In the site's time zone, 12-hour clock, no leading zero and no seconds."""
    if moment is None:
        return ""
    local = _local(moment)
    return f"{local.day} {local:%B %Y}, {clock_time(local)}"
