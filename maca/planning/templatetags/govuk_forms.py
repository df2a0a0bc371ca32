"""Helpers for the GOV.UK form partials in templates/govuk/ (radios, checkboxes, selects,
date inputs), which render Django bound fields with GOV.UK Frontend markup."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def date_parts(field: BoundField) -> list[str]:
    """Day, month and year as typed (bound) or from the initial date (unbound)."""
    value: Any = field.value()
    if isinstance(value, dt.date):
        return [str(value.day), str(value.month), str(value.year)]
    if isinstance(value, list | tuple):
        parts = [str(part or "") for part in value]
        return [*parts, "", "", ""][:3]
    return ["", "", ""]


@register.filter
def select_options(field: BoundField) -> list[dict[str, Any]]:
    """Options of a select, grouped: [{"label": group or None, "options": [...]}, …]."""
    widget = field.field.widget
    context = widget.get_context(field.html_name, field.value(), {})
    groups = []
    for group_name, options, _index in context["widget"]["optgroups"]:
        groups.append(
            {
                "label": group_name,
                "options": [
                    {
                        "value": "" if option["value"] is None else str(option["value"]),
                        "label": option["label"],
                        "selected": option["selected"],
                    }
                    for option in options
                ],
            }
        )
    return groups


@register.filter
def describedby(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)
