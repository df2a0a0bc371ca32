"""`{% error_summary form [other_form …] error_list=… summary_text=… title=… %}`: the one GOV.UK
error summary, for any page, listing every error with a link to where it can be put right."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.forms import BaseForm

from maca.core.forms import error_links

register = template.Library()


@register.inclusion_tag("govuk/error_summary.html")
def error_summary(
    *forms: Any,
    error_list: Iterable[tuple[str, str]] | None = None,
    summary_text: str = "",
    title: str = "",
) -> dict[str, Any]:
    """Each form's errors (arguments that are not forms, such as a missing one, are skipped),
    then `error_list`: more (anchor id, message) pairs, where an empty anchor gives plain text.
    `summary_text` is a paragraph above the list; the summary shows when there is either."""
    links: list[tuple[str, str]] = []
    for form in forms:
        if isinstance(form, BaseForm):
            links.extend(error_links(form))
    links.extend(error_list or ())
    return {"links": links, "summary_text": summary_text, "title": title}
