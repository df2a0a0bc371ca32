"""`{% history_timeline obj %}`: the history of an object, for the pages that show it.

The timeline comes from `maca.history.selectors.timeline_for`, scoped with the page's `access`
(or, on pages without one, the audit access of the person asking); anyone who may not see the
object's history gets nothing rendered, not an error.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.http import Http404

from maca.audits.selectors import audit_access_for
from maca.history.selectors import timeline_for

register = template.Library()

SHOW_ALL_PARAMETER = "history"


@register.inclusion_tag("core/_timeline.html", takes_context=True)
def history_timeline(context: template.Context, obj: models.Model) -> dict[str, Any]:
    request = context.get("request")
    access = context.get("access")
    if access is None and request is not None:
        audit = getattr(obj, "audit", None)
        if audit is not None:
            try:
                access = audit_access_for(request.user, audit.slug)
            except Http404:
                return {"timeline": None}
    show_all = request is not None and request.GET.get(SHOW_ALL_PARAMETER) == "all"
    try:
        timeline = timeline_for(obj, access, limit=None if show_all else 30)
    except Http404:
        return {"timeline": None}
    return {"timeline": timeline, "show_all_query": f"?{SHOW_ALL_PARAMETER}=all"}
