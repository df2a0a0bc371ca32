"""Builds `schemas/audit-export.schema.json`, the JSON Schema of the whole-audit document.

The file in the repository is what import validates against and what `docs/audit-export.md`
documents. It is written from here so its lists of allowed values (statuses, kinds, sectors)
always match the models; a test fails when the file and this builder disagree. After changing
either the models' choices or this builder, run:

    .venv/bin/python -m maca.exchange.schema_build
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from maca.core.partial_dates import ISO_TEXT_PATTERN

FORMAT = "maca-audit-export"
FORMAT_VERSION = 2
# Versions import still reads. A version 1 document lacks what version 2 added and imports
# exactly as it did; export always writes the newest.
FORMAT_VERSIONS = (1, 2)
SCHEMA_ID = "https://maca.example/schemas/audit-export.schema.json"
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "audit-export.schema.json"

INT_MAX = 2_147_483_647  # PostgreSQL integer


def _string(max_length: int | None = None, *, min_length: int = 0, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", **extra}
    if max_length is not None:
        schema["maxLength"] = max_length
    if min_length:
        schema["minLength"] = min_length
    return schema


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema["type"]
    return {**schema, "type": [kind, "null"]} if isinstance(kind, str) else schema


def _enum(values: list[str], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "enum": values}
    if description:
        schema["description"] = description
    return schema


def _count(maximum: int = INT_MAX) -> dict[str, Any]:
    return {"type": "integer", "minimum": 0, "maximum": maximum}


def _object(
    properties: dict[str, Any], required: list[str], description: str = ""
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def _list(items: dict[str, Any], description: str = "", **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": items, **extra}
    if description:
        schema["description"] = description
    return schema


REF = {name: {"$ref": f"#/$defs/{name}"} for name in (
    "text", "date", "datetime", "partial_date", "slug", "grade", "pseudonym", "agency_ref",
    "question_code", "learning_point_ref", "scale", "agency", "need", "review", "tool",
    "case", "involvement", "return", "answer", "section_summary", "escalation", "panel_grade",
    "discrepancy", "finding", "action", "action_update", "resource", "audit", "section",
    "question", "grade_level", "figures", "cohort_breakdown", "grade_count", "audit_link",
    "brief_template", "brief_section",
)}  # fmt: skip


def _choices() -> dict[str, list[str]]:
    """Allowed values, read from the models so the schema cannot drift from them."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("MACA_DEBUG", "true")
    django.setup()
    from maca.accounts.models import Sector
    from maca.audits.models import (
        AgencyInvolvement,
        Audit,
        AuditStatus,
        CohortUnit,
        Escalation,
        GradeLevel,
        GradingScale,
        Question,
        ReturnStatus,
    )
    from maca.learning.models import ActionStatus, AuditReview, Heading, Resource, Review
    from maca.reports.brief_sections import SectionKind
    from maca.reports.models import AuditLink

    return {
        "audit_kind": list(Audit.Kind.values),
        "audit_status": list(AuditStatus.values),
        "sector": list(Sector.values),
        "scale_kind": list(GradingScale.Kind.values),
        "outcome": list(GradeLevel.Outcome.values),
        "question_kind": list(Question.Kind.values),
        "involvement": list(AgencyInvolvement.Status.values),
        "return_status": list(ReturnStatus.values),
        "urgency": list(Escalation.Urgency.values),
        "escalation_status": list(Escalation.Status.values),
        "review_kind": list(Review.Kind.values),
        "relationship": list(AuditReview.Relationship.values),
        "heading": list(Heading.values),
        "action_status": list(ActionStatus.values),
        "action_status_or_blank": ["", *ActionStatus.values],
        "resource_kind": list(Resource.Kind.values),
        "cohort_unit": list(CohortUnit.values),
        "audit_link": list(AuditLink.Relationship.values),
        "brief_section_kind": list(SectionKind.values),
    }


def _value_defs() -> dict[str, Any]:
    """Plain values and the references between parts of the document."""
    return {
        "text": {"type": "string", "maxLength": 100_000},
        "date": _string(10, pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD"),
        "datetime": _string(
            40,
            pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$",
            description="ISO 8601 with a time zone, e.g. 2022-03-08T10:00:00Z",
        ),
        "partial_date": _string(
            10,
            pattern=ISO_TEXT_PATTERN,
            description="A date known to the year, month or day: 2022, 2022-03 or 2022-03-08; "
            "or a financial (April to March) or academic (September to August) year by the "
            "year it starts in: 2016-FY, 2016-AY (version 2)",
        ),
        "slug": _string(60, min_length=1, pattern=r"^[-a-zA-Z0-9_]+$"),
        "pseudonym": _string(40, min_length=1, description="A case's pseudonym, e.g. 'Child A'"),
        "agency_ref": _string(40, min_length=1, description="An agency's short_name"),
        "question_code": _string(20, min_length=1, description="A question's code in `tool`"),
        "grade": _object(
            {"scale": _string(40, min_length=1), "code": _string(20, min_length=1)},
            ["scale", "code"],
            "A level of a scale in `scales`, by the scale's slug and the level's code",
        ),
        "learning_point_ref": _object(
            {"review": _string(60, min_length=1), "order": _count()},
            ["review", "order"],
            "A learning point: the review's short_name and the point's order",
        ),
    }


def _named_once_defs(c: dict[str, list[str]]) -> dict[str, Any]:
    """What the document lists once and refers to: scales, agencies, needs, reviews."""
    text = REF["text"]
    return {
        "grade_level": _object(
            {
                "value": {"type": "integer", "minimum": -INT_MAX, "maximum": INT_MAX},
                "code": _string(20, min_length=1),
                "label": _string(100, min_length=1),
                "description": text,
                "outcome": _enum(c["outcome"], "Compliance meaning; empty for none"),
            },
            ["value", "code", "label"],
        ),
        "scale": _object(
            {
                "slug": _string(40, min_length=1, pattern=r"^[-a-zA-Z0-9_]+$"),
                "name": _string(100, min_length=1),
                "kind": _enum(c["scale_kind"]),
                "description": text,
                "higher_is_better": {"type": "boolean"},
                "levels": _list(REF["grade_level"], minItems=1),
            },
            ["slug", "name", "kind", "levels"],
        ),
        "agency": _object(
            {
                "name": _string(200, min_length=1),
                "short_name": _string(40, min_length=1),
                "sector": _enum(c["sector"]),
                "description": _string(300),
                "taking_part": {
                    "type": "boolean",
                    "description": "Asked to take part in the audit (false: only named, e.g. "
                    "as an action's owner)",
                },
                "order": _nullable(_count()),
                "returns_due": _nullable(REF["date"]),
            },
            ["name", "short_name"],
        ),
        "need": _object(
            {
                "code": _string(40, min_length=1, pattern=r"^[-a-zA-Z0-9_]+$"),
                "label": _string(100, min_length=1),
                "description": _string(300),
            },
            ["code", "label"],
        ),
        "review": _object(
            {
                "title": _string(200, min_length=1),
                "short_name": _string(60, min_length=1),
                "kind": _enum(c["review_kind"]),
                "published": _nullable(REF["partial_date"]),
                "summary": text,
                "url": _string(200, pattern=r"^(https?://\S+)?$"),
                "learning_points": _list(
                    _object({"order": _count(), "text": _string(min_length=1)}, ["order", "text"])
                ),
                "link": _nullable(
                    _object(
                        {
                            "relationship": _enum(c["relationship"]),
                            "note": text,
                            "order": _count(),
                        },
                        ["relationship"],
                        "How the audit relates to the review; null for a review named only "
                        "by a question or finding",
                    )
                ),
            },
            ["title", "short_name", "kind"],
        ),
    }


def _tool_defs(c: dict[str, list[str]]) -> dict[str, Any]:
    """The audit tool: its sections and questions."""
    text = REF["text"]
    return {
        "question": _object(
            {
                "order": _count(),
                "code": REF["question_code"],
                "text": _string(min_length=1),
                "help_text": text,
                "kind": _enum(c["question_kind"]),
                "scale": _nullable(_string(40)),
                "choices": _list(_string(200)),
                "requires_reason": {"type": "boolean"},
                "standard": _string(300),
                "applies_to_sectors": _list(_enum(c["sector"])),
                "applies_to_agencies": _list(REF["agency_ref"]),
                "learning_point": _nullable(REF["learning_point_ref"]),
            },
            ["order", "code", "text", "kind"],
        ),
        "section": _object(
            {
                "order": _count(),
                "title": _string(200, min_length=1),
                "help_text": text,
                "grading_scale": _nullable(_string(40)),
                "questions": _list(REF["question"]),
            },
            ["order", "title", "questions"],
        ),
        "tool": _object(
            {
                "name": _string(200, min_length=1),
                "slug": REF["slug"],
                "description": text,
                "version": {"type": "integer", "minimum": 1, "maximum": INT_MAX},
                "notes": text,
                "fingerprint": _string(
                    64,
                    description="SHA-256 of the sections and questions; informative only "
                    "(import works it out again)",
                ),
                "sections": _list(REF["section"]),
            },
            ["name", "sections"],
        ),
    }


def _audit_defs(c: dict[str, list[str]]) -> dict[str, Any]:
    """The audit's plan."""
    text = REF["text"]
    return {
        "audit": _object(
            {
                "slug": REF["slug"],
                "kind": _enum(c["audit_kind"]),
                "title": _string(300, min_length=1),
                "theme": _string(200, min_length=1),
                "status": _enum(c["audit_status"]),
                "rationale": text,
                "aim": text,
                "terms_of_reference": text,
                "cohort_definition": text,
                "lookback_months": _nullable(_count()),
                "lawful_basis": text,
                "audit_date": _nullable(REF["partial_date"]),
                "audit_date_until": _nullable(REF["partial_date"]),
                "returns_due": _nullable(REF["date"]),
                "panel_date": _nullable(REF["date"]),
                "reaudit_due": _nullable(REF["partial_date"]),
                "published_on": _nullable(REF["date"]),
                "overall_scale": _nullable(_string(40)),
                "follow_up_of": _nullable(REF["slug"]),
                "partnership_names": _list(
                    _string(200, min_length=1),
                    "The partnerships that ran the audit (version 2); none means the "
                    "deployment's own",
                ),
                "figures": _nullable(REF["figures"]),
                "linked_audits": _list(REF["audit_link"]),
                "lines_of_enquiry": _list(_string(min_length=1)),
                "sample": _object(
                    {
                        "method": _string(100),
                        "frame_size": _nullable(_count()),
                        "seed": _string(64),
                        "notes": text,
                        "census_date": _nullable(REF["date"]),
                    },
                    [],
                ),
            },
            ["slug", "title", "theme", "status"],
        ),
        **_figures_defs(c),
    }


def _figures_defs(c: dict[str, list[str]]) -> dict[str, Any]:
    """What an audit states as figures, and the other audits its brief covers (version 2)."""
    return {
        "cohort_breakdown": _object(
            {
                "order": _count(),
                "group": _string(100),
                "label": _string(100, min_length=1),
                "count": _count(),
            },
            ["label", "count"],
            "One count of the cohort by a characteristic, e.g. 9 boys in the group Gender",
        ),
        "grade_count": _object(
            {
                "order": _count(),
                "label": _string(100, min_length=1),
                "count": _count(),
                "merged_into": _string(
                    100, description="The merged band it is also reported in, if any"
                ),
            },
            ["label", "count"],
        ),
        "figures": _object(
            {
                "cohort_count": _nullable(_count()),
                "cohort_unit": _enum(c["cohort_unit"]),
                "cohort_description": _string(200),
                "age_range": _string(100),
                "grades_of": _string(200),
                "grades_base": _nullable(_count()),
                "breakdowns": _list(REF["cohort_breakdown"]),
                "grades": _list(REF["grade_count"]),
            },
            [],
            "The audit's stated figures (version 2): its cohort and grades as published, "
            "where there is no row per child",
        ),
        "audit_link": _object(
            {
                "slug": REF["slug"],
                "relationship": _enum(c["audit_link"]),
                "note": REF["text"],
                "order": _count(),
            },
            ["slug", "relationship"],
            "Another audit the brief covers, by its slug (version 2)",
        ),
    }


def _case_defs(c: dict[str, list[str]]) -> dict[str, Any]:
    """The children audited and the agencies involved with each."""
    return {
        "case": _object(
            {
                "pseudonym": REF["pseudonym"],
                "order": _count(),
                "age_weeks": _count(),
                "gender": _string(40),
                "needs": _list(_string(40), "Need codes, each in `needs`"),
                "legal_status": _string(4),
                "placement_type": _string(4),
                "placement_provider": _string(4),
                "placed_out_of_area": {"type": ["boolean", "null"]},
                "placement_distance_miles": {
                    "type": ["number", "null"],
                    "minimum": -9999.9,
                    "maximum": 9999.9,
                },
                "placement_area": _string(100),
                "placement_moves_12m": _nullable(_count()),
                "missing_episodes_12m": _nullable(_count()),
                "is_uasc": {"type": "boolean"},
                "facts": {"type": "object", "description": "Further facts from the 903"},
            },
            ["pseudonym", "age_weeks"],
        ),
        "involvement": _object(
            {
                "case": REF["pseudonym"],
                "agency": REF["agency_ref"],
                "status": _enum(c["involvement"]),
                "note": _string(300),
            },
            ["case", "agency", "status"],
        ),
    }


def _return_defs(c: dict[str, list[str]]) -> dict[str, Any]:
    """Agencies' returns: answers and section summaries."""
    text = REF["text"]
    return {
        "answer": _object(
            {
                "question": REF["question_code"],
                "grade": _nullable(REF["grade"]),
                "choices": _list(_string(200)),
                "date_value": _nullable(REF["date"]),
                "number_value": {
                    "type": ["number", "null"],
                    "minimum": -9999999999.99,
                    "maximum": 9999999999.99,
                },
                "text_value": text,
                "evidence": text,
                "reason": text,
            },
            ["question"],
        ),
        "section_summary": _object(
            {
                "section": _count(),
                "good_practice": text,
                "areas_for_development": text,
                "recommendations": text,
                "grade": _nullable(REF["grade"]),
                "grade_reason": text,
            },
            ["section"],
        ),
        "return": _object(
            {
                "case": REF["pseudonym"],
                "agency": REF["agency_ref"],
                "status": _enum(c["return_status"]),
                "due_date": _nullable(REF["date"]),
                "auditor_role": _string(200),
                "period_reviewed": _string(200),
                "records_examined": text,
                "auditor_was_involved": {"type": ["boolean", "null"]},
                "good_practice": text,
                "areas_for_development": text,
                "recommendations": text,
                "overall_grade": _nullable(REF["grade"]),
                "overall_reason": text,
                "immediate_concern": {"type": "boolean"},
                "submitted_at": _nullable(REF["datetime"]),
                "signed_off_at": _nullable(REF["datetime"]),
                "reviewed_at": _nullable(REF["datetime"]),
                "review_comment": text,
                "answers": _list(REF["answer"]),
                "sections": _list(REF["section_summary"]),
            },
            ["case", "agency", "status"],
        ),
    }


def _panel_defs(c: dict[str, list[str]]) -> dict[str, Any]:
    """Escalations, the panel's agreed grades and the discrepancies it found."""
    text = REF["text"]
    return {
        "escalation": _object(
            {
                "ref": _string(20, min_length=1, description="Unique in the document, e.g. E1"),
                "case": _nullable(REF["pseudonym"]),
                "from_return": {
                    "type": "boolean",
                    "description": "Raised from the raising agency's return for the child",
                },
                "raised_by_agency": _nullable(REF["agency_ref"]),
                "raised_to_agency": REF["agency_ref"],
                "raised_at": REF["datetime"],
                "urgency": _enum(c["urgency"]),
                "status": _enum(c["escalation_status"]),
                "concern": text,
                "public_summary": _string(300),
                "acknowledge_by": _nullable(REF["datetime"]),
                "acknowledged_at": _nullable(REF["datetime"]),
                "acknowledgement_note": text,
                "action_taken": text,
                "actioned_at": _nullable(REF["datetime"]),
                "outcome": text,
                "public_outcome": _string(300),
                "resolved_at": _nullable(REF["datetime"]),
                "withdrawn_at": _nullable(REF["datetime"]),
                "withdrawal_reason": text,
                "disagreement_policy_used": {"type": "boolean"},
            },
            ["ref", "raised_to_agency", "raised_at", "urgency", "status", "concern"],
        ),
        "panel_grade": _object(
            {
                "case": REF["pseudonym"],
                "section": _nullable(_count()),
                "grade": REF["grade"],
                "reason": _string(min_length=1),
            },
            ["case", "grade", "reason"],
            "The panel's agreed grade for a child: per section (its order), or overall (null)",
        ),
        "discrepancy": _object(
            {
                "case": REF["pseudonym"],
                "question": _nullable(REF["question_code"]),
                "agencies": _list(REF["agency_ref"]),
                "description": _string(min_length=1),
            },
            ["case", "description"],
        ),
    }


def _learning_defs(c: dict[str, list[str]]) -> dict[str, Any]:
    """Findings, actions and resources."""
    text = REF["text"]
    return {
        "finding": _object(
            {
                "ref": _string(20, min_length=1, description="Unique in the document, e.g. F1"),
                "heading": _enum(c["heading"]),
                "order": _count(),
                "title": _string(200),
                "text": _string(min_length=1),
                "needs_to_happen": text,
                "strengths": text,
                "attribution": _string(200),
                "include_in_brief": {"type": "boolean"},
                "signs_of_safety_scale": _nullable(_count(32767)),
                "taken_forward_by": _list(REF["agency_ref"]),
                "agencies": _list(REF["agency_ref"]),
                "cases": _list(REF["pseudonym"]),
                "themes": _list(_string(100, min_length=1)),
                "escalations": _list(_string(20), "Escalation refs"),
                "learning_points": _list(REF["learning_point_ref"]),
                "questions": _list(REF["question_code"]),
            },
            ["ref", "heading", "text"],
        ),
        "action_update": _object(
            {
                "at": REF["datetime"],
                "text": _string(min_length=1),
                "status_before": _enum(c["action_status_or_blank"]),
                "status_after": _enum(c["action_status_or_blank"]),
            },
            ["at", "text"],
        ),
        "action": _object(
            {
                "order": _count(),
                "description": _string(min_length=1),
                "owners": _list(REF["agency_ref"]),
                "lead_owner": _nullable(REF["agency_ref"]),
                "lead_owner_name": _string(
                    200, description="The lead organisation when it is not a listed agency"
                ),
                "other_owners": _list(
                    _string(200, min_length=1), "Contributing organisations not listed"
                ),
                "lead_name": _string(200),
                "due": _nullable(REF["partial_date"]),
                "measure_of_success": text,
                "status": _enum(c["action_status"]),
                "done_on": _nullable(REF["partial_date"]),
                "evidence_of_impact": text,
                "verified_at": _nullable(REF["datetime"]),
                "include_in_brief": {"type": "boolean"},
                "findings": _list(_string(20), "Finding refs"),
                "updates": _list(REF["action_update"]),
            },
            ["description", "status"],
        ),
        "resource": _object(
            {
                "order": _count(),
                "title": _string(200, min_length=1),
                "kind": _enum(c["resource_kind"]),
                "url": _string(200, pattern=r"^(https?://\S+)?$"),
                "description": _string(300),
            },
            ["title", "kind"],
        ),
    }


def _brief_template_defs(c: dict[str, list[str]]) -> dict[str, Any]:
    """The template the audit's brief follows; left out when it follows the learning brief."""
    text = REF["text"]
    return {
        "brief_template": _object(
            {
                "name": _string(200, min_length=1),
                "document_name": _string(100, min_length=1),
                "description": text,
                "version": {"type": "integer", "minimum": 1, "maximum": INT_MAX},
                "notes": text,
                "sections": _list(REF["brief_section"], minItems=1),
            },
            ["name", "document_name", "sections"],
            "The brief template version the audit's brief follows (new in version 2 as "
            "amended; optional). Import uses an identical stored version, or adds it as a "
            "partnership template.",
        ),
        "brief_section": _object(
            {
                "order": _count(),
                "kind": _enum(c["brief_section_kind"]),
                "heading": _string(200, min_length=1),
                "lead_in": text,
                "text": text,
                "if_empty": text,
                "is_shown": {"type": "boolean"},
            },
            ["order", "kind", "heading"],
        ),
    }


def build_schema() -> dict[str, Any]:
    c = _choices()
    defs: dict[str, Any] = {
        **_value_defs(),
        **_named_once_defs(c),
        **_tool_defs(c),
        **_audit_defs(c),
        **_case_defs(c),
        **_return_defs(c),
        **_panel_defs(c),
        **_learning_defs(c),
        **_brief_template_defs(c),
    }
    top = {
        "$schema": {"type": "string"},
        "format": {"const": FORMAT},
        "format_version": {"enum": list(FORMAT_VERSIONS)},
        "exported_at": _nullable(REF["datetime"]),
        "audit": REF["audit"],
        "scales": _list(REF["scale"], "Every grading scale the document uses"),
        "tool": _nullable(REF["tool"]),
        "brief_template": REF["brief_template"],
        "agencies": _list(REF["agency"], "Every agency the document names"),
        "needs": _list(REF["need"], "Every need the cases name"),
        "reviews": _list(REF["review"], "Earlier reviews linked to the audit or named in it"),
        "cases": _list(REF["case"]),
        "involvement": _list(REF["involvement"]),
        "returns": _list(REF["return"]),
        "escalations": _list(REF["escalation"]),
        "panel_grades": _list(REF["panel_grade"]),
        "discrepancies": _list(REF["discrepancy"]),
        "findings": _list(REF["finding"]),
        "actions": _list(REF["action"]),
        "resources": _list(REF["resource"]),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "maca whole-audit export",
        "description": "One audit, whole: plan, tool, scales, cases (pseudonyms and facts, "
        "never identifiers), involvement, returns and answers, escalations, agreed grades, "
        "discrepancies, findings, actions, resources and earlier reviews. People's accounts "
        "are not included. See docs/audit-export.md.",
        "type": "object",
        "properties": top,
        "required": ["format", "format_version", "audit"],
        "additionalProperties": False,
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"Wrote {SCHEMA_PATH}")
