"""The learning parts of the audit overview, so its view need not know about learning: the
earlier reviews this audit builds on, for those who may see learning."""

from __future__ import annotations

from typing import Any

from django import template

from maca.audits.selectors import AuditAccess
from maca.learning.selectors import review_links_for_audit

register = template.Library()


@register.inclusion_tag("learning/_earlier_reviews.html")
def earlier_reviews(access: AuditAccess) -> dict[str, Any]:
    return {"review_links": review_links_for_audit(access) if access.can_see_learning else []}
