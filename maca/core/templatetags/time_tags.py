"""`{{ moment|as_people_write_it }}`: a time as people write it, "3 December 2026, 8:25pm"."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def as_people_write_it(moment: dt.datetime | None) -> str:
    """In the site's time zone, 12-hour clock, no leading zero and no seconds."""
    if moment is None:
        return ""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    hour = local.hour % 12 or 12
    return (
        f"{local.day} {local:%B %Y}, {hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"
    )
