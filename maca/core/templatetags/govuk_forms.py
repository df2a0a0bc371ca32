"""Helpers for the GOV.UK form kit's templates (templates/govuk/: radios, checkboxes, selects,
date inputs), which render Django bound fields with GOV.UK Frontend markup."""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def date_boxes(field: BoundField) -> list[dict[str, Any]]:
    """A date field's day, month and year boxes as its widget draws them: each with its name,
    its attrs (id, inputmode) and its value, as typed (bound) or from the initial date."""
    boxes: list[dict[str, Any]] = field.subwidgets[0].data["subwidgets"]
    return boxes


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
    """The ids of what describes the field: its hint, its error and any note of what the saved
    version holds (templates/govuk/_bound_hint_error.html)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    if getattr(field, "saved_note", ""):
        ids.append(f"{field.auto_id}-saved")
    return " ".join(ids)
