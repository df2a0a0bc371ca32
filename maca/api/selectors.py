"""Reads the API needs beyond the apps' own selectors, scoped the same way.

Each takes an `AuditAccess` (checked for the caller by `audit_access_for`) or the user, and
every query is fixed in number however many rows come back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from maca.accounts.models import User
from maca.api.models import ApiToken
from maca.audits.models import (
    AgencyReturn,
    Answer,
    AuditAgency,
    AuditTool,
    GradeLevel,
    GradingScale,
    Question,
    SectionSummary,
    ToolSection,
    ToolVersion,
)
from maca.audits.selectors import AuditAccess, require_cases
from maca.planning.selectors import require_tool_builder
from maca.returns.structure import COMPLIANCE_SCALE, Option, question_options

# --- Tokens ---------------------------------------------------------------------------------


def api_tokens_for(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))


# --- Audit agencies -------------------------------------------------------------------------


def audit_agency_links(access: AuditAccess) -> list[AuditAgency]:
    return list(
        AuditAgency.objects.filter(audit=access.audit)
        .select_related("agency")
        .order_by("order", "agency__name")
    )


# --- Tools ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionView:
    question: Question
    scale: GradingScale | None
    options: tuple[Option, ...]


@dataclass(frozen=True)
class SectionView:
    section: ToolSection
    questions: tuple[QuestionView, ...]


@dataclass(frozen=True)
class ToolVersionView:
    version: ToolVersion
    sections: tuple[SectionView, ...]
    scales: tuple[GradingScale, ...]  # every scale the version uses, with `levels_list`


def _version_view(version: ToolVersion, overall_scale: GradingScale | None) -> ToolVersionView:
    """A version with each question's allowed answers worked out as the return form does."""
    scales = {
        scale.pk: scale
        for scale in GradingScale.objects.prefetch_related(
            Prefetch("levels", queryset=GradeLevel.objects.order_by("value"), to_attr="levels_list")
        )
    }
    levels_by_scale: dict[int, list[GradeLevel]] = defaultdict(list)
    compliance_scale_id = None
    for each in scales.values():
        levels_by_scale[each.pk] = list(each.levels_list)  # type: ignore[attr-defined]
        if each.slug == COMPLIANCE_SCALE:
            compliance_scale_id = each.pk
    questions = Question.objects.order_by("order").prefetch_related("applies_to_agencies")
    sections = (
        ToolSection.objects.filter(version=version)
        .prefetch_related(Prefetch("questions", queryset=questions, to_attr="questions_list"))
        .order_by("order")
    )
    used: set[int] = set()
    section_views = []
    for section in sections:
        if section.grading_scale_id:
            used.add(section.grading_scale_id)
        items = []
        for question in section.questions_list:  # type: ignore[attr-defined]
            options = question_options(
                question, section, levels_by_scale, compliance_scale_id, overall_scale
            )
            scale_ids = {option.level.scale_id for option in options if option.level is not None}
            scale: GradingScale | None = (
                scales[next(iter(scale_ids))] if len(scale_ids) == 1 else None
            )
            if scale is not None:
                used.add(scale.pk)
            items.append(QuestionView(question, scale, options))
        section_views.append(SectionView(section, tuple(items)))
    if overall_scale is not None:
        used.add(overall_scale.pk)
    return ToolVersionView(
        version=version,
        sections=tuple(section_views),
        scales=tuple(scales[pk] for pk in sorted(used) if pk in scales),
    )


def tool_version_for_audit(access: AuditAccess) -> ToolVersionView:
    """The audit's tool, for anyone who may open the audit (agencies need its questions)."""
    version = access.audit.tool_version
    if version is None:
        raise Http404("This audit has no audit tool yet")
    return _version_view(version, access.audit.overall_scale)


def tools_for_api(user: User) -> QuerySet[AuditTool]:
    """Tools are partnership-level and built by coordinators; nobody else sees the library."""
    require_tool_builder(user)
    versions = ToolVersion.objects.annotate(
        audit_count=Count("audits", distinct=True),
        question_count=Count("sections__questions", distinct=True),
    ).order_by("number")
    return AuditTool.objects.order_by("name", "id").prefetch_related(
        Prefetch("versions", queryset=versions, to_attr="versions_list")
    )


def tool_version_for_api(user: User, slug: str, number: int) -> ToolVersionView:
    require_tool_builder(user)
    version = ToolVersion.objects.select_related("tool").filter(tool__slug=slug, number=number)
    found = version.first()
    if found is None:
        raise Http404("No tool version found")
    return _version_view(found, None)


# --- Returns --------------------------------------------------------------------------------


def returns_visible(access: AuditAccess) -> QuerySet[AgencyReturn]:
    """Coordinator and panel see every agency's returns; an agency sees its own only."""
    require_cases(access)
    returns = AgencyReturn.objects.filter(case__audit=access.audit).select_related(
        "case", "agency", "overall_grade"
    )
    if not access.sees_every_agency:
        returns = returns.filter(agency_id__in=access.agency_ids)
    return returns.order_by("case__order", "case__pseudonym", "agency__name", "id")


@dataclass(frozen=True)
class SavedReturn:
    answers: list[Answer]
    summaries: list[SectionSummary]
