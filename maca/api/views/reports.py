"""Report figures (aggregates only) and the learning brief as JSON and Markdown."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from maca.api.serializers.reports import BriefSerializer, FiguresSerializer
from maca.api.views.base import ApiView, AuditScoped
from maca.audits.selectors import AuditAccess, cohort_profile, require_learning
from maca.reports import figures
from maca.reports.renderers.markdown import render_markdown
from maca.reports.snapshots import published_brief, published_frozen

FROZEN_FIGURES = "api.figures"


def frozen_figures(reader: AuditAccess) -> dict[str, Any]:
    """The figures a reader gets once the audit is published, as they were then."""
    return dict(FiguresSerializer(_figures(reader)).data) | {"is_draft": False}


def _figures(access: AuditAccess) -> dict[str, Any]:
    """Every number of the audit report; no child is named, so no pseudonym appears."""
    require_learning(access)
    audit = access.audit
    profile = cohort_profile(audit)
    counted, total = figures.returns_counted(audit)
    compliance = figures.compliance_by_standard(audit)
    escalations = figures.escalation_figures(audit)
    actions = figures.action_figures(audit)
    return {
        "slug": audit.slug,
        "is_draft": not audit.is_published,
        "returns_counted": counted,
        "returns_total": total,
        "cohort": {
            "case_count": profile.case_count,
            "age_bands": [{"label": band, "count": count} for band, count in profile.age_bands],
            "needs": [
                {"code": item.need.code, "label": item.need.label, "count": item.count}
                for item in profile.needs
            ],
            "out_of_area_count": profile.out_of_area_count,
            "uasc_count": profile.uasc_count,
        },
        "compliance": compliance,
        "overall_compliance": figures.overall_compliance(compliance),
        "grades": figures.grade_tables(audit),
        "self_against_agreed": figures.self_against_agreed(audit),
        "escalations": {
            "total": escalations.total,
            "by_urgency": [{"label": k, "count": v} for k, v in escalations.by_urgency],
            "by_status": [{"label": k, "count": v} for k, v in escalations.by_status],
            "acknowledged_in_time": escalations.acknowledged_in_time,
            "with_deadline": escalations.with_deadline,
            "resolved": escalations.resolved,
        },
        "actions": {
            "total": actions.total,
            "by_status": [{"label": value, "count": n} for value, _, n in actions.by_status],
            "verified": actions.verified,
            "open": actions.open,
        },
        "learning_embedded": [
            {
                "title": check.title,
                "short_name": check.short_name,
                "relationship": check.relationship,
                "points": [
                    {
                        "order": point.point.order,
                        "text": point.point.text,
                        "question_codes": list(point.question_codes),
                        "counts": point.counts,
                        "sentence": point.sentence,
                    }
                    for point in check.points
                ],
            }
            for check in figures.learning_embedded(audit)
        ],
        "themes": [
            {"name": name, "findings": count} for name, count in figures.theme_names(audit).items()
        ],
    }


@extend_schema(
    tags=["reports"],
    summary="The audit report's figures: counts and rates only, never a child",
    description="Available to whoever may see the audit's learning: its coordinators and "
    "panel always, everyone who may open it once it is published.",
)
class FiguresView(AuditScoped, ApiView):
    serializer_class = FiguresSerializer

    def get(self, request: Request, slug: str) -> Response:
        access = self.audit_access()
        frozen = None if access.sees_every_agency else published_frozen(access, FROZEN_FIGURES)
        if frozen is not None:
            return Response(frozen)
        return Response(FiguresSerializer(_figures(access)).data)


@extend_schema(
    tags=["reports"],
    summary="The learning brief, as data and as Markdown",
    description="The brief as published (or, for coordinators and panel before publication, "
    "the current draft, marked `is_draft`). It never names a child.",
)
class BriefView(AuditScoped, ApiView):
    serializer_class = BriefSerializer

    def get(self, request: Request, slug: str) -> Response:
        # A published audit's brief is its frozen version, as on the brief's pages.
        brief, _snapshot = published_brief(self.audit_access())
        context = {"markdown": render_markdown(brief)}
        return Response(BriefSerializer(brief, context=context).data)
