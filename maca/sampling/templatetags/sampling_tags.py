"""The sampling part of the case page, so its view need not know about sampling: the 903 facts
of a case drawn from an extract."""

from __future__ import annotations

from typing import Any

from django import template

from maca.audits.models import Case
from maca.sampling.selectors import case_facts

register = template.Library()


@register.inclusion_tag("sampling/_case_facts.html")
def case_903_facts(case: Case) -> dict[str, Any]:
    return {"case": case, "facts": case_facts(case)}
