"""The whole-audit export: one JSON document with everything the audit is, in a fixed number
of queries, and nothing that identifies a child or belongs to a person's account.

Only the audit's coordinators may export it (`require_exporter`); operator commands use
`maca.reports.brief.system_access`. The document has no database ids: everything refers to
everything else by natural keys (pseudonyms, agencies' short names, question codes, section
orders, `ref`s), so it reads the same after an import elsewhere.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from maca.accounts.models import Agency
from maca.audits.models import (
    AgencyInvolvement,
    AgencyReturn,
    Answer,
    Audit,
    AuditAgency,
    AuditFigures,
    Case,
    Discrepancy,
    Escalation,
    GradeLevel,
    GradingScale,
    PanelGrade,
    Question,
    SectionSummary,
    ToolSection,
    ToolVersion,
)
from maca.audits.selectors import AuditAccess
from maca.exchange.document import (
    FORMAT,
    FORMAT_VERSION,
    IDENTIFIER_KEYS,
    SCHEMA_ID,
    date_text,
    datetime_text,
    number,
    partial_text,
    tool_fingerprint,
)
from maca.learning.models import (
    Action,
    ActionUpdate,
    AuditReview,
    Finding,
    LearningPoint,
    Resource,
    Review,
)
from maca.reports.models import AuditBriefTemplate, AuditLink, BriefTemplateVersion


def require_exporter(access: AuditAccess) -> None:
    """The export holds every child's record in the audit: its coordinators only."""
    if not access.is_coordinator:
        raise Http404("No audit found")


def _grade(level: GradeLevel | None, scale_slugs: dict[int, str]) -> dict[str, str] | None:
    if level is None:
        return None
    return {"scale": scale_slugs[level.scale_id], "code": level.code}


def _point(point: LearningPoint | None) -> dict[str, Any] | None:
    if point is None:
        return None
    return {"review": point.review.short_name, "order": point.order}


def tool_sections(version: ToolVersion) -> list[dict[str, Any]]:
    """A version's sections and questions as the document gives them."""
    questions = Question.objects.select_related("scale", "learning_point__review").prefetch_related(
        "applies_to_agencies"
    )
    sections = (
        ToolSection.objects.filter(version=version)
        .select_related("grading_scale")
        .prefetch_related(Prefetch("questions", queryset=questions.order_by("order")))
        .order_by("order")
    )
    return [
        {
            "order": section.order,
            "title": section.title,
            "help_text": section.help_text,
            "grading_scale": section.grading_scale.slug if section.grading_scale else None,
            "questions": [
                {
                    "order": question.order,
                    "code": question.code,
                    "text": question.text,
                    "help_text": question.help_text,
                    "kind": question.kind,
                    "scale": question.scale.slug if question.scale else None,
                    "choices": [str(choice) for choice in question.choices or []],
                    "requires_reason": question.requires_reason,
                    "standard": question.standard,
                    "applies_to_sectors": sorted(question.applies_to_sectors or []),
                    "applies_to_agencies": sorted(
                        agency.short_name for agency in question.applies_to_agencies.all()
                    ),
                    "learning_point": _point(question.learning_point),
                }
                for question in section.questions.all()
            ],
        }
        for section in sections
    ]


def _tool(version: ToolVersion | None) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    if version is None:
        return None, []
    sections = tool_sections(version)
    tool = version.tool
    return (
        {
            "name": tool.name,
            "slug": tool.slug,
            "description": tool.description,
            "version": version.number,
            "notes": version.notes,
            "fingerprint": tool_fingerprint(sections),
            "sections": sections,
        },
        sections,
    )


def _case_order(case: Case) -> tuple[int, str]:
    return (case.order, case.pseudonym)


def _clean_facts(facts: Any) -> dict[str, Any]:
    if not isinstance(facts, dict):
        return {}
    return {
        key: value for key, value in facts.items() if str(key).casefold() not in IDENTIFIER_KEYS
    }


@dataclass
class _References:
    """What the document's rows point at, noted while they are written, so that the scales,
    agencies and reviews parts list each one exactly once."""

    scale_slugs: dict[int, str]
    agencies_by_id: dict[int, Agency]
    scales: set[str] = field(default_factory=set)
    agencies: set[int] = field(default_factory=set)
    reviews: set[int] = field(default_factory=set)

    def grade(self, level: GradeLevel | None) -> dict[str, str] | None:
        value = _grade(level, self.scale_slugs)
        if value:
            self.scales.add(value["scale"])
        return value

    def short(self, agency_id: int | None) -> str | None:
        if agency_id is None:
            return None
        self.agencies.add(agency_id)
        return self.agencies_by_id[agency_id].short_name

    def shorts(self, items: Iterable[Agency]) -> list[str]:
        return sorted(str(self.short(agency.pk)) for agency in items)

    def short_name(self, agency_id: int) -> str:
        """For sorting only: not a reference the document makes."""
        return self.agencies_by_id[agency_id].short_name


@dataclass(frozen=True)
class _Cases:
    """The audit's cases in the document's order, and where each one comes in it."""

    rows: list[Case]
    pseudonym: dict[int, str]
    rank: dict[int, int]

    @classmethod
    def of(cls, audit: Audit) -> _Cases:
        rows = sorted(Case.objects.filter(audit=audit).prefetch_related("needs"), key=_case_order)
        return cls(
            rows=rows,
            pseudonym={case.pk: case.pseudonym for case in rows},
            rank={case.pk: rank for rank, case in enumerate(rows)},
        )


def audit_export(access: AuditAccess) -> dict[str, Any]:
    """The audit as one document (see `schemas/audit-export.schema.json`)."""
    require_exporter(access)
    audit = (
        Audit.objects.select_related("tool_version__tool", "overall_scale", "follow_up_of")
        .prefetch_related(
            "lines_of_enquiry",
            Prefetch(
                "brief_links",
                queryset=AuditLink.objects.select_related("other").order_by("order", "id"),
            ),
        )
        .get(pk=access.audit.pk)
    )
    refs = _References(
        scale_slugs=dict(GradingScale.objects.values_list("id", "slug")),
        agencies_by_id={agency.pk: agency for agency in Agency.objects.all()},
    )
    tool, sections = _tool(audit.tool_version)
    _note_tool_references(audit, sections, refs)
    links = list(AuditAgency.objects.filter(audit=audit).select_related("agency"))
    links.sort(key=lambda link: (link.order, link.agency.name))
    refs.agencies.update(link.agency_id for link in links)
    cases = _Cases.of(audit)
    question_codes = dict(
        Question.objects.filter(section__version_id=audit.tool_version_id).values_list("id", "code")
    )
    escalations = list(Escalation.objects.filter(audit=audit).order_by("raised_at", "id"))
    escalation_ref = {row.pk: f"E{number_}" for number_, row in enumerate(escalations, 1)}
    findings = _finding_rows(audit)
    finding_ref = {row.pk: f"F{number_}" for number_, row in enumerate(findings, 1)}

    document: dict[str, Any] = {
        "$schema": SCHEMA_ID,
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": datetime_text(timezone.now()),
        "audit": _audit_part(audit),
        "tool": tool,
        "brief_template": _brief_template(audit),
        "cases": [_case(case) for case in cases.rows],
        "involvement": _involvement(audit, cases, refs),
        "returns": _returns(audit, cases, refs),
        "escalations": [
            _escalation(row, escalation_ref[row.pk], cases, refs) for row in escalations
        ],
        "panel_grades": _panel_grades(audit, cases, refs),
        "discrepancies": _discrepancies(audit, cases, question_codes, refs),
        "findings": [
            _finding(row, finding_ref[row.pk], audit, escalation_ref, question_codes, refs)
            for row in findings
        ],
        "actions": _actions(audit, finding_ref, refs),
        "resources": _resources(audit),
    }
    # What the rest refers to, listed once each; only now is every reference noted.
    document["reviews"] = _reviews(audit, refs.reviews)
    document["agencies"] = _agencies(links, refs)
    document["needs"] = _needs(cases.rows)
    document["scales"] = _scales(refs.scales)
    return _in_order(document)


def _note_tool_references(audit: Audit, sections: list[dict[str, Any]], refs: _References) -> None:
    """The scales, agencies and reviews the audit's tool and overall grade use."""
    for section in sections:
        if section["grading_scale"]:
            refs.scales.add(section["grading_scale"])
        for question in section["questions"]:
            if question["scale"]:
                refs.scales.add(question["scale"])
    if audit.overall_scale:
        refs.scales.add(audit.overall_scale.slug)
    if audit.tool_version_id:
        refs.agencies.update(
            Question.applies_to_agencies.through.objects.filter(
                question__section__version_id=audit.tool_version_id
            ).values_list("agency_id", flat=True)
        )
        refs.reviews.update(
            Question.objects.filter(
                section__version_id=audit.tool_version_id, learning_point__isnull=False
            ).values_list("learning_point__review_id", flat=True)
        )


def _audit_part(audit: Audit) -> dict[str, Any]:
    return {
        "slug": audit.slug,
        "kind": audit.kind,
        "title": audit.title,
        "theme": audit.theme,
        "status": audit.status,
        "rationale": audit.rationale,
        "aim": audit.aim,
        "terms_of_reference": audit.terms_of_reference,
        "cohort_definition": audit.cohort_definition,
        "lookback_months": audit.lookback_months,
        "lawful_basis": audit.lawful_basis,
        "audit_date": partial_text(audit.audit_date),
        "audit_date_until": partial_text(audit.audit_date_until),
        "returns_due": date_text(audit.returns_due),
        "panel_date": date_text(audit.panel_date),
        "reaudit_due": partial_text(audit.reaudit_due),
        "published_on": date_text(audit.published_on),
        "overall_scale": audit.overall_scale.slug if audit.overall_scale else None,
        "follow_up_of": audit.follow_up_of.slug if audit.follow_up_of else None,
        "partnership_names": [
            line.strip() for line in audit.partnership_names.splitlines() if line.strip()
        ],
        "figures": _figures(audit),
        "linked_audits": [
            {
                "slug": link.other.slug,
                "relationship": link.relationship,
                "note": link.note,
                "order": link.order,
            }
            for link in audit.brief_links.all()
        ],
        "lines_of_enquiry": [
            line.text for line in sorted(audit.lines_of_enquiry.all(), key=lambda line: line.order)
        ],
        "sample": {
            "method": audit.sample_method,
            "frame_size": audit.sample_frame_size,
            "seed": audit.sample_seed,
            "notes": audit.sample_notes,
            "census_date": date_text(audit.census_date),
        },
    }


def _figures(audit: Audit) -> dict[str, Any] | None:
    figures = (
        AuditFigures.objects.filter(audit=audit).prefetch_related("breakdowns", "grades").first()
    )
    if figures is None:
        return None
    return {
        "cohort_count": figures.cohort_count,
        "cohort_unit": figures.cohort_unit,
        "cohort_description": figures.cohort_description,
        "age_range": figures.age_range,
        "grades_of": figures.grades_of,
        "grades_base": figures.grades_base,
        "breakdowns": [
            {"order": row.order, "group": row.group, "label": row.label, "count": row.count}
            for row in sorted(figures.breakdowns.all(), key=lambda row: (row.order, row.pk))
        ],
        "grades": [
            {
                "order": row.order,
                "label": row.label,
                "count": row.count,
                "merged_into": row.merged_into,
            }
            for row in sorted(figures.grades.all(), key=lambda row: (row.order, row.pk))
        ],
    }


def _case(case: Case) -> dict[str, Any]:
    return {
        "pseudonym": case.pseudonym,
        "order": case.order,
        "age_weeks": case.age_weeks,
        "gender": case.gender,
        "needs": sorted(need.code for need in case.needs.all()),
        "legal_status": case.legal_status,
        "placement_type": case.placement_type,
        "placement_provider": case.placement_provider,
        "placed_out_of_area": case.placed_out_of_area,
        "placement_distance_miles": number(case.placement_distance_miles),
        "placement_area": case.placement_area,
        "placement_moves_12m": case.placement_moves_12m,
        "missing_episodes_12m": case.missing_episodes_12m,
        "is_uasc": case.is_uasc,
        "facts": _clean_facts(case.facts),
    }


def _involvement(audit: Audit, cases: _Cases, refs: _References) -> list[dict[str, Any]]:
    rows = sorted(
        AgencyInvolvement.objects.filter(case__audit=audit),
        key=lambda row: (cases.rank[row.case_id], refs.short_name(row.agency_id)),
    )
    return [
        {
            "case": cases.pseudonym[row.case_id],
            "agency": refs.short(row.agency_id),
            "status": row.status,
            "note": row.note,
        }
        for row in rows
    ]


def _returns(audit: Audit, cases: _Cases, refs: _References) -> list[dict[str, Any]]:
    rows = sorted(
        AgencyReturn.objects.filter(case__audit=audit).select_related("overall_grade"),
        key=lambda row: (cases.rank[row.case_id], refs.short_name(row.agency_id)),
    )
    answers = _answers_by_return(audit, refs)
    sections = _section_summaries_by_return(audit, refs)
    return [
        _return(row, cases, refs, answers.get(row.pk, []), sections.get(row.pk, [])) for row in rows
    ]


def _grade_value(scale: str | None, code: str | None, refs: _References) -> dict[str, str] | None:
    """`_References.grade` for a grade read as its scale's slug and its code (rows read as
    values, not model objects)."""
    if scale is None or code is None:
        return None
    refs.scales.add(scale)
    return {"scale": scale, "code": code}


def _answers_by_return(audit: Audit, refs: _References) -> dict[int, list[dict[str, Any]]]:
    """Every answer in the audit, grouped by its return in the tool's order.

    A whole audit has tens of thousands of answers: they are read as plain values (building
    model objects was most of the export's time), and their choices as JSON text decoded once
    for each different value (nearly all are the same few)."""
    rows = (
        Answer.objects.filter(agency_return__case__audit=audit)
        .order_by("question__section__order", "question__order", "id")
        .annotate(choices_text=Cast("choices", TextField()))
        .values_list(
            "agency_return_id",
            "question__code",
            "grade__scale__slug",
            "grade__code",
            "choices_text",
            "date_value",
            "number_value",
            "text_value",
            "evidence",
            "reason",
        )
    )
    decoded: dict[str | None, list[str]] = {}
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for return_id, code, scale, grade, choices_text, day, value, text, evidence, reason in rows:
        if choices_text not in decoded:
            choices = json.loads(choices_text) if choices_text is not None else None
            decoded[choices_text] = [str(choice) for choice in choices or []]
        grouped[return_id].append(
            {
                "question": code,
                "grade": _grade_value(scale, grade, refs),
                "choices": list(decoded[choices_text]),
                "date_value": date_text(day),
                "number_value": number(value),
                "text_value": text,
                "evidence": evidence,
                "reason": reason,
            }
        )
    return grouped


def _section_summaries_by_return(
    audit: Audit, refs: _References
) -> dict[int, list[dict[str, Any]]]:
    rows = (
        SectionSummary.objects.filter(agency_return__case__audit=audit)
        .order_by("section__order")
        .values_list(
            "agency_return_id",
            "section__order",
            "good_practice",
            "areas_for_development",
            "recommendations",
            "grade__scale__slug",
            "grade__code",
            "grade_reason",
        )
    )
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for return_id, order, good, development, recommendations, scale, grade, reason in rows:
        grouped[return_id].append(
            {
                "section": order,
                "good_practice": good,
                "areas_for_development": development,
                "recommendations": recommendations,
                "grade": _grade_value(scale, grade, refs),
                "grade_reason": reason,
            }
        )
    return grouped


def _return(
    row: AgencyReturn,
    cases: _Cases,
    refs: _References,
    answers: list[dict[str, Any]],
    sections: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "case": cases.pseudonym[row.case_id],
        "agency": refs.short(row.agency_id),
        "status": row.status,
        "due_date": date_text(row.due_date),
        "auditor_role": row.auditor_role,
        "period_reviewed": row.period_reviewed,
        "records_examined": row.records_examined,
        "auditor_was_involved": row.auditor_was_involved,
        "good_practice": row.good_practice,
        "areas_for_development": row.areas_for_development,
        "recommendations": row.recommendations,
        "overall_grade": refs.grade(row.overall_grade),
        "overall_reason": row.overall_reason,
        "immediate_concern": row.immediate_concern,
        "submitted_at": datetime_text(row.submitted_at),
        "signed_off_at": datetime_text(row.signed_off_at),
        "reviewed_at": datetime_text(row.reviewed_at),
        "review_comment": row.review_comment,
        "answers": answers,
        "sections": sections,
    }


def _escalation(row: Escalation, ref: str, cases: _Cases, refs: _References) -> dict[str, Any]:
    return {
        "ref": ref,
        "case": cases.pseudonym.get(row.case_id) if row.case_id else None,
        "from_return": row.from_return_id is not None,
        "raised_by_agency": refs.short(row.raised_by_agency_id),
        "raised_to_agency": refs.short(row.raised_to_agency_id),
        "raised_at": datetime_text(row.raised_at),
        "urgency": row.urgency,
        "status": row.status,
        "concern": row.concern,
        "public_summary": row.public_summary,
        "acknowledge_by": datetime_text(row.acknowledge_by),
        "acknowledged_at": datetime_text(row.acknowledged_at),
        "acknowledgement_note": row.acknowledgement_note,
        "action_taken": row.action_taken,
        "actioned_at": datetime_text(row.actioned_at),
        "outcome": row.outcome,
        "public_outcome": row.public_outcome,
        "resolved_at": datetime_text(row.resolved_at),
        "withdrawn_at": datetime_text(row.withdrawn_at),
        "withdrawal_reason": row.withdrawal_reason,
        "disagreement_policy_used": row.disagreement_policy_used,
    }


def _panel_grades(audit: Audit, cases: _Cases, refs: _References) -> list[dict[str, Any]]:
    rows = sorted(
        PanelGrade.objects.filter(case__audit=audit).select_related("grade", "section"),
        key=lambda row: (
            cases.rank[row.case_id],
            -1 if row.section is None else row.section.order,
        ),
    )
    return [
        {
            "case": cases.pseudonym[row.case_id],
            "section": row.section.order if row.section else None,
            "grade": refs.grade(row.grade),
            "reason": row.reason,
        }
        for row in rows
    ]


def _discrepancies(
    audit: Audit, cases: _Cases, question_codes: dict[int, str], refs: _References
) -> list[dict[str, Any]]:
    rows = sorted(
        Discrepancy.objects.filter(case__audit=audit).prefetch_related("agencies"),
        key=lambda row: (cases.rank[row.case_id], row.pk),
    )
    return [
        {
            "case": cases.pseudonym[row.case_id],
            "question": question_codes.get(row.question_id) if row.question_id else None,
            "agencies": refs.shorts(row.agencies.all()),
            "description": row.description,
        }
        for row in rows
    ]


def _finding_rows(audit: Audit) -> list[Finding]:
    return list(
        Finding.objects.filter(audit=audit)
        .order_by("heading", "order", "id")
        .prefetch_related(
            "taken_forward_by",
            "agencies",
            "cases",
            "themes",
            "escalations",
            Prefetch("learning_points", queryset=LearningPoint.objects.select_related("review")),
            "questions__section",
        )
    )


def _finding(
    row: Finding,
    ref: str,
    audit: Audit,
    escalation_ref: dict[int, str],
    question_codes: dict[int, str],
    refs: _References,
) -> dict[str, Any]:
    linked_points = sorted(
        row.learning_points.all(), key=lambda point: (point.review.short_name, point.order)
    )
    refs.reviews.update(point.review_id for point in linked_points)
    return {
        "ref": ref,
        "heading": row.heading,
        "order": row.order,
        "title": row.title,
        "text": row.text,
        "needs_to_happen": row.needs_to_happen,
        # Only when written, so documents without strengths read as before.
        **({"strengths": row.strengths} if row.strengths else {}),
        "attribution": row.attribution,
        "include_in_brief": row.include_in_brief,
        "signs_of_safety_scale": row.signs_of_safety_scale,
        "taken_forward_by": refs.shorts(row.taken_forward_by.all()),
        "agencies": refs.shorts(row.agencies.all()),
        "cases": [
            case.pseudonym
            for case in sorted(row.cases.all(), key=_case_order)
            if case.audit_id == audit.pk
        ],
        "themes": sorted(theme.name for theme in row.themes.all()),
        "escalations": sorted(
            (escalation_ref[e.pk] for e in row.escalations.all() if e.pk in escalation_ref),
            key=lambda code: int(code[1:]),
        ),
        "learning_points": [_point(point) for point in linked_points],
        "questions": [
            question.code
            for question in sorted(row.questions.all(), key=lambda q: (q.section.order, q.order))
            if question.pk in question_codes
        ],
    }


def _actions(audit: Audit, finding_ref: dict[int, str], refs: _References) -> list[dict[str, Any]]:
    actions = (
        Action.objects.filter(audit=audit)
        .order_by("order", "id")
        .select_related("lead")
        .prefetch_related(
            "owners",
            "findings",
            Prefetch("updates", queryset=ActionUpdate.objects.order_by("at", "id")),
        )
    )
    return [
        {
            "order": action.order,
            "description": action.description,
            "owners": refs.shorts(action.owners.all()),
            "lead_owner": refs.short(action.lead_owner_id),
            "lead_owner_name": action.lead_owner_name,
            "other_owners": list(action.other_owner_names),
            # People's accounts are not exported; the brief names the lead, so keep the name.
            "lead_name": action.lead_name or (action.lead.full_name if action.lead else ""),
            "due": partial_text(action.due),
            "measure_of_success": action.measure_of_success,
            "status": action.status,
            "done_on": partial_text(action.done_on),
            "evidence_of_impact": action.evidence_of_impact,
            "verified_at": datetime_text(action.verified_at),
            "include_in_brief": action.include_in_brief,
            "findings": sorted(
                (finding_ref[f.pk] for f in action.findings.all() if f.pk in finding_ref),
                key=lambda ref: int(ref[1:]),
            ),
            "updates": [
                {
                    "at": datetime_text(update.at),
                    "text": update.text,
                    "status_before": update.status_before,
                    "status_after": update.status_after,
                }
                for update in action.updates.all()
            ],
        }
        for action in actions
    ]


def _resources(audit: Audit) -> list[dict[str, Any]]:
    return [
        {
            "order": row.order,
            "title": row.title,
            "kind": row.kind,
            "url": row.url,
            "description": row.description,
        }
        for row in Resource.objects.filter(audit=audit).order_by("order", "id")
    ]


def _reviews(audit: Audit, used_reviews: set[int]) -> list[dict[str, Any]]:
    """The reviews the audit links to, in its order, then any others its tool or findings cite."""
    review_links = list(
        AuditReview.objects.filter(audit=audit).select_related("review").order_by("order", "id")
    )
    link_by_review = {link.review_id: link for link in review_links}
    review_rows = Review.objects.filter(
        pk__in={*used_reviews, *(link.review_id for link in review_links)}
    ).prefetch_related("learning_points")
    ordered_reviews = sorted(
        review_rows,
        key=lambda review: (
            0 if review.pk in link_by_review else 1,
            (link_by_review[review.pk].order, link_by_review[review.pk].pk)
            if review.pk in link_by_review
            else (0, 0),
            review.short_name,
        ),
    )
    return [
        {
            "title": review.title,
            "short_name": review.short_name,
            "kind": review.kind,
            "published": partial_text(review.published),
            "summary": review.summary,
            "url": review.url,
            "learning_points": [
                {"order": point.order, "text": point.text}
                for point in sorted(review.learning_points.all(), key=lambda p: p.order)
            ],
            "link": {
                "relationship": link_by_review[review.pk].relationship,
                "note": link_by_review[review.pk].note,
                "order": link_by_review[review.pk].order,
            }
            if review.pk in link_by_review
            else None,
        }
        for review in ordered_reviews
    ]


def _agencies(links: list[AuditAgency], refs: _References) -> list[dict[str, Any]]:
    """Those taking part, in the audit's order, then every other agency referred to."""
    taking_part = {link.agency_id for link in links}
    others = sorted(
        (refs.agencies_by_id[pk] for pk in refs.agencies if pk not in taking_part),
        key=lambda agency: agency.short_name,
    )
    return [_agency(link.agency, link) for link in links] + [
        _agency(agency, None) for agency in others
    ]


def _needs(cases: list[Case]) -> list[dict[str, Any]]:
    needs = {need.code: need for case in cases for need in case.needs.all()}
    return [
        {"code": need.code, "label": need.label, "description": need.description}
        for need in sorted(needs.values(), key=lambda need: need.code)
    ]


def _scales(used_scales: set[str]) -> list[dict[str, Any]]:
    scales = GradingScale.objects.filter(slug__in=used_scales).prefetch_related(
        Prefetch("levels", queryset=GradeLevel.objects.order_by("value"))
    )
    return [scale_part(scale) for scale in sorted(scales, key=lambda scale: scale.slug)]


def scale_part(scale: GradingScale) -> dict[str, Any]:
    """A scale as the document gives it (import compares a file's scale with this)."""
    return {
        "slug": scale.slug,
        "name": scale.name,
        "kind": scale.kind,
        "description": scale.description,
        "higher_is_better": scale.higher_is_better,
        "levels": [
            {
                "value": level.value,
                "code": level.code,
                "label": level.label,
                "description": level.description,
                "outcome": level.outcome,
            }
            for level in sorted(scale.levels.all(), key=lambda level: level.value)
        ],
    }


def _brief_template(audit: Audit) -> dict[str, Any] | None:
    choice = (
        AuditBriefTemplate.objects.filter(audit=audit)
        .select_related("version__template")
        .prefetch_related("version__sections")
        .first()
    )
    return brief_template_part(choice.version) if choice else None


def brief_template_part(version: BriefTemplateVersion) -> dict[str, Any]:
    """The template version an audit's brief follows, as the document gives it."""
    template = version.template
    return {
        "name": template.name,
        "document_name": template.document_name,
        "description": template.description,
        "version": version.number,
        "notes": version.notes,
        "sections": [
            {
                "order": section.order,
                "kind": section.kind,
                "heading": section.heading,
                "lead_in": section.lead_in,
                "text": section.text,
                "if_empty": section.if_empty,
                "is_shown": section.is_shown,
            }
            for section in sorted(version.sections.all(), key=lambda row: (row.order, row.pk))
        ],
    }


def _agency(agency: Agency, link: AuditAgency | None) -> dict[str, Any]:
    return {
        "name": agency.name,
        "short_name": agency.short_name,
        "sector": agency.sector,
        "description": agency.description,
        "taking_part": link is not None,
        "order": link.order if link else None,
        "returns_due": date_text(link.returns_due) if link else None,
    }


_TOP_ORDER = (
    "$schema",
    "format",
    "format_version",
    "exported_at",
    "audit",
    "scales",
    "tool",
    "brief_template",
    "agencies",
    "needs",
    "reviews",
    "cases",
    "involvement",
    "returns",
    "escalations",
    "panel_grades",
    "discrepancies",
    "findings",
    "actions",
    "resources",
)


def _in_order(document: dict[str, Any]) -> dict[str, Any]:
    """The document's parts in the order a reader meets them (the schema's order). The brief
    template is given only when the audit chose one, so the documents of audits that did not
    read exactly as they did before the format carried it."""
    return {
        key: document[key]
        for key in _TOP_ORDER
        if not (key == "brief_template" and document[key] is None)
    }


def export_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def export_as_read(document: dict[str, Any]) -> Any:
    """`json.loads(export_bytes(document))`, as whoever opens a download reads it, made from
    the JSON without its indentation: that changes nothing a reader gets, and only Python's
    slower encoder writes indented JSON (a whole audit's export took a third of a second)."""
    return json.loads(json.dumps(document, ensure_ascii=False).encode("utf-8"))


def export_filename(document: dict[str, Any]) -> str:
    day = timezone.localdate().isoformat()
    return f"{document['audit']['slug']}-export-{day}.json"
