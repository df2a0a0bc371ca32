"""Importing a whole-audit document as a new audit: all or nothing.

The document is checked against the JSON Schema and for references between its parts before
anything is written; what can only be checked against the database (a scale of the same slug
with other levels, a `--slug` already taken) is checked inside the one transaction, so a
refusal at any point leaves nothing behind. Agencies, needs, reviews, scales and the brief
template are matched as `maca.exchange.matching.import_plan` plans: exact matches are used,
new ones created, and each one that matches only in part is used or created as the person
importing chose (none is ever matched without asking); themes are matched by name; the tool
is matched by name and content fingerprint (or created as a new version); the audit always
gets a new row, with a new slug if its own is taken.

A document at Published or later is run through the publishing disclosure check as it is
imported (`imported_published_check`): clean, it is frozen as published version 1; with
anything to resolve, it is imported whole one stage before Published.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import DataError, IntegrityError, transaction
from django.db.models import Max, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from maca.accounts.models import Agency
from maca.audits.models import (
    AgencyInvolvement,
    AgencyReturn,
    Answer,
    Audit,
    AuditAgency,
    AuditFigures,
    AuditStatus,
    AuditTool,
    Case,
    CohortBreakdown,
    CohortUnit,
    Discrepancy,
    Escalation,
    GradeCount,
    GradeLevel,
    GradingScale,
    LineOfEnquiry,
    Need,
    PanelGrade,
    Question,
    SectionSummary,
    ToolSection,
    ToolVersion,
)
from maca.core.partial_dates import PartialDate
from maca.core.uploads import megabytes
from maca.exchange.document import (
    DocumentInvalid,
    Problem,
    parse_datetime,
    parse_json,
    tool_fingerprint,
    validate_document,
)
from maca.exchange.matching import (
    Choice,
    Decisions,
    Match,
    Verdict,
    decide,
    describe,
    import_plan,
    template_content,
)
from maca.exchange.selectors import tool_sections
from maca.learning.models import (
    Action,
    ActionUpdate,
    AuditReview,
    Finding,
    LearningPoint,
    Resource,
    Review,
    Theme,
)
from maca.reports.models import (
    AuditBriefTemplate,
    AuditLink,
    BriefTemplate,
    BriefTemplateSection,
    BriefTemplateVersion,
)
from maca.reports.snapshots import (
    STAGE_BEFORE_PUBLISHED,
    ImportedPublication,
    imported_published_check,
)

SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
# A problem with the slug asked for (not with the document) is given against this name.
SLUG_FIELD = "slug"


@dataclass
class ImportResult:
    audit: Audit
    created: Counter[str] = field(default_factory=Counter)
    matched: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    # What became of each agency, need, review, scale and brief template, one sentence each.
    matches: list[str] = field(default_factory=list)
    # The same, for the page's message: sentences for what was chosen or renamed, and names
    # for what was simply added and for what was stored exactly as the file gives it.
    changes: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    exact: list[str] = field(default_factory=list)

    @property
    def match_summary(self) -> str:
        """What was matched and added, in a few sentences, for the page's message."""
        parts = list(self.changes)
        if self.added:
            parts.append(f"Added as new: {', '.join(self.added)}.")
        if self.exact:
            parts.append(f"Matched the same ones stored here: {', '.join(self.exact)}.")
        return " ".join(parts)

    # For a document at Published or later: what the disclosure check made of it.
    publication: ImportedPublication | None = None

    @property
    def held_before_publication(self) -> bool:
        return self.publication is not None and not self.publication.published

    @property
    def publication_message(self) -> str:
        """What the check on import did, as the import page and `maca import-audit` say it."""
        publication = self.publication
        if publication is None:
            return ""
        arrived_as = AuditStatus(publication.arrived_as).label
        if publication.published:
            return (
                f"The file says {arrived_as}: the disclosure check found nothing to resolve, so "
                "it is published as version 1."
            )
        count = publication.unresolved
        stage = AuditStatus(STAGE_BEFORE_PUBLISHED).label.lower()
        page = reverse("reports:disclosure", args=[self.audit.slug])
        return (
            f"Imported at the {stage} stage: the disclosure check found {count} "
            f"thing{'s' if count != 1 else ''} to resolve before it can be published; resolve "
            f"them on the disclosure check page, {page}"
        )


def check_size(size: int) -> None:
    """Refuse input over the limit (`MACA_AUDIT_IMPORT_MAX_BYTES`) before reading it."""
    limit = settings.AUDIT_IMPORT_MAX_BYTES
    if size > limit:
        raise DocumentInvalid(
            [
                Problem(
                    "$",
                    f"The file is {megabytes(size)}; the largest accepted is {megabytes(limit)}",
                )
            ]
        )


def document_from_bytes(content: bytes) -> Any:
    """The parsed document, or `DocumentInvalid` for input too large or not JSON."""
    check_size(len(content))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentInvalid(
            [Problem("$", f"The file is not UTF-8 text (byte {error.start} cannot be read)")]
        ) from None
    return parse_json(text)


# --- Matching or creating what the audit refers to ------------------------------------------


class _Import:
    """The state one import shares between its steps."""

    def __init__(self, doc: dict[str, Any], result_notes: list[str], decisions: Decisions) -> None:
        self.doc = doc
        self.plan = decisions.plan
        self.decisions = decisions
        self.created: Counter[str] = Counter()
        self.matched: Counter[str] = Counter()
        self.notes = result_notes
        self.problems: list[Problem] = []
        self.levels: dict[tuple[str, str], GradeLevel] = {}
        self.scales: dict[str, GradingScale] = {}
        self.agencies: dict[str, Agency] = {}
        self.needs: dict[str, Need] = {}
        self.reviews: dict[str, Review] = {}
        self.points: dict[tuple[str, int], LearningPoint] = {}
        self.sections: dict[int, ToolSection] = {}
        self.questions: dict[str, Question] = {}
        self.cases: dict[str, Case] = {}
        self.returns: dict[tuple[str, str], AgencyReturn] = {}
        self.escalations: dict[str, Escalation] = {}
        self.findings: dict[str, Finding] = {}
        self.themes: dict[str, Theme] = {}

    def refuse_if_any(self) -> None:
        if self.problems:
            raise DocumentInvalid(self.problems)

    def grade(self, value: dict[str, str] | None) -> GradeLevel | None:
        return self.levels[(value["scale"], value["code"])] if value else None

    def items(self, key: str) -> list[tuple[str, dict[str, Any]]]:
        return [(f"$.{key}[{index}]", item) for index, item in enumerate(self.doc.get(key, []))]


def _stored[M: Model](model: type[M], match: Match) -> M:
    """The stored row a match uses."""
    assert match.stored_id is not None  # only exact and similar matches are used
    return model.objects.get(pk=match.stored_id)  # type: ignore[attr-defined, no-any-return]


def _scales(state: _Import) -> None:
    for path, item in state.items("scales"):
        match = state.plan.get("scale", item["slug"])
        if state.decisions.uses_stored(match):
            scale = _stored(GradingScale, match)
            state.matched["scales"] += 1
        else:
            scale = _scale_add(item, match)
            state.created["scales"] += 1
        existing = {level.code: level for level in GradeLevel.objects.filter(scale=scale)}
        for index, level in enumerate(item["levels"]):
            if level["code"] not in existing:
                state.problems.append(
                    Problem(
                        f"{path}.levels[{index}].code",
                        f"The stored scale {scale.slug!r} has no level {level['code']!r}; "
                        "add the scale as new instead",
                    )
                )
                continue
            state.levels[(item["slug"], level["code"])] = existing[level["code"]]
        state.scales[item["slug"]] = scale


def _scale_add(item: dict[str, Any], match: Match) -> GradingScale:
    scale = GradingScale.objects.create(
        slug=match.new_name("slug", item["slug"]),
        name=match.new_name("name", item["name"]),
        kind=item["kind"],
        description=item.get("description", ""),
        higher_is_better=item.get("higher_is_better", True),
    )
    GradeLevel.objects.bulk_create(
        GradeLevel(
            scale=scale,
            value=level["value"],
            code=level["code"],
            label=level["label"],
            description=level.get("description", ""),
            outcome=level.get("outcome", ""),
        )
        for level in item["levels"]
    )
    return scale


def _one_each(state: _Import, path: str, found: Any, mapped: dict[str, Any], what: str) -> None:
    """Two entries of the document must not be matched to the same row here."""
    for key, other in mapped.items():
        if other.pk == found.pk:
            state.problems.append(
                Problem(path, f"Matches the same {what} here as {key!r} does: {found}")
            )


def _agencies(state: _Import) -> None:
    for path, item in state.items("agencies"):
        match = state.plan.get("agency", item["short_name"])
        if state.decisions.uses_stored(match):
            agency = _stored(Agency, match)
            state.matched["agencies"] += 1
        else:
            agency = Agency.objects.create(
                name=match.new_name("name", item["name"]),
                short_name=match.new_name("short_name", item["short_name"]),
                sector=item.get("sector", "other"),
                description=item.get("description", ""),
            )
            state.created["agencies"] += 1
        _one_each(state, path, agency, state.agencies, "agency")
        state.agencies[item["short_name"]] = agency


def _needs(state: _Import) -> None:
    top = Need.objects.aggregate(top=Max("order"))["top"] or 0
    for _, item in state.items("needs"):
        match = state.plan.get("need", item["code"])
        if state.decisions.uses_stored(match):
            need = _stored(Need, match)
            state.matched["needs"] += 1
        else:
            top += 1
            need = Need.objects.create(
                code=match.new_name("code", item["code"]),
                label=match.new_name("label", item["label"]),
                description=item.get("description", ""),
                order=top,
            )
            state.created["needs"] += 1
        state.needs[item["code"]] = need


def _reviews(state: _Import) -> None:
    for path, item in state.items("reviews"):
        match = state.plan.get("review", item["short_name"])
        if state.decisions.uses_stored(match):
            review = _stored(Review, match)
            state.matched["reviews"] += 1
        else:
            review = Review.objects.create(
                title=match.new_name("title", item["title"]),
                short_name=match.new_name("short_name", item["short_name"]),
                kind=item["kind"],
                published=_partial(item.get("published")),
                summary=item.get("summary", ""),
                url=item.get("url", ""),
            )
            state.created["reviews"] += 1
        _one_each(state, path, review, state.reviews, "review")
        existing = {point.order: point for point in LearningPoint.objects.filter(review=review)}
        for point in item.get("learning_points", []):
            found = existing.get(point["order"])
            if found is None:
                found = LearningPoint.objects.create(
                    review=review, order=point["order"], text=point["text"]
                )
                state.created["learning points"] += 1
            state.points[(item["short_name"], point["order"])] = found
        state.reviews[item["short_name"]] = review


def _brief_template(state: _Import, audit: Audit) -> None:
    """The template the audit's brief follows: an identical stored version, or a new
    partnership template (frozen if the audit arrives published, as publishing freezes it)."""
    item = state.doc.get("brief_template")
    if not item:
        return
    match = state.plan.get("template", item["name"])
    if state.decisions.uses_stored(match):
        version = _stored(BriefTemplateVersion, match)
        state.matched["brief templates"] += 1
    else:
        content = template_content(item)
        name = match.new_name("name", content["name"])
        template = BriefTemplate.objects.create(
            name=name,
            slug=_unique_slug(BriefTemplate, name, 60),
            description=content["description"],
            document_name=content["document_name"],
        )
        version = BriefTemplateVersion.objects.create(
            template=template,
            number=content["version"],
            notes=content["notes"],
            frozen_at=timezone.now() if audit.is_published else None,
        )
        BriefTemplateSection.objects.bulk_create(
            BriefTemplateSection(version=version, **section) for section in content["sections"]
        )
        state.created["brief templates"] += 1
    AuditBriefTemplate.objects.create(audit=audit, version=version)


def _translated_sections(state: _Import, sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The document's tool with agencies and reviews named as they are named here, so its
    fingerprint can be compared with the versions already here."""
    result = []
    for section in sections:
        questions = []
        for question in section["questions"]:
            point = question.get("learning_point")
            questions.append(
                {
                    **question,
                    "applies_to_agencies": sorted(
                        state.agencies[short].short_name
                        for short in question.get("applies_to_agencies", [])
                    ),
                    "learning_point": {
                        "review": state.reviews[point["review"]].short_name,
                        "order": point["order"],
                    }
                    if point
                    else None,
                }
            )
        result.append({**section, "questions": questions})
    return result


def _unique_slug(model: Any, base: str, limit: int) -> str:
    base = (slugify(base)[:limit].strip("-")) or "imported"
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        suffix = f"-{number}"
        slug = f"{base[: limit - len(suffix)]}{suffix}"
        number += 1
    return slug


def _tool(state: _Import) -> ToolVersion | None:
    item = state.doc.get("tool")
    if item is None:
        return None
    fingerprint = tool_fingerprint(_translated_sections(state, item["sections"]))
    tool = (
        AuditTool.objects.filter(name=item["name"]).first()
        or AuditTool.objects.filter(name__iexact=item["name"]).first()
    )
    if tool is not None:
        for version in ToolVersion.objects.filter(tool=tool).order_by("number"):
            if tool_fingerprint(tool_sections(version)) == fingerprint:
                state.matched["tool versions"] += 1
                _map_tool(state, version)
                return version
        top = ToolVersion.objects.filter(tool=tool).aggregate(top=Max("number"))["top"] or 0
        number = top + 1
        state.notes.append(
            f"The tool '{tool.name}' here has no version with these questions; "
            f"added them as version {number}."
        )
    else:
        tool = AuditTool.objects.create(
            name=item["name"],
            slug=_unique_slug(AuditTool, item.get("slug") or item["name"], 60),
            description=item.get("description", ""),
        )
        state.created["tools"] += 1
        number = item.get("version", 1)
    has_answers = any(row.get("answers") for row in state.doc.get("returns", []))
    version = ToolVersion.objects.create(
        tool=tool,
        number=number,
        notes=item.get("notes", ""),
        frozen_at=timezone.now() if has_answers else None,
    )
    state.created["tool versions"] += 1
    for section_item in item["sections"]:
        section = ToolSection.objects.create(
            version=version,
            order=section_item["order"],
            title=section_item["title"],
            help_text=section_item.get("help_text", ""),
            grading_scale=state.scales.get(section_item.get("grading_scale") or ""),
        )
        for question_item in section_item["questions"]:
            point = question_item.get("learning_point")
            question = Question.objects.create(
                section=section,
                order=question_item["order"],
                code=question_item["code"],
                text=question_item["text"],
                help_text=question_item.get("help_text", ""),
                kind=question_item["kind"],
                scale=state.scales.get(question_item.get("scale") or ""),
                choices=list(question_item.get("choices", [])),
                requires_reason=question_item.get("requires_reason", False),
                standard=question_item.get("standard", ""),
                applies_to_sectors=list(question_item.get("applies_to_sectors", [])),
                learning_point=state.points[(point["review"], point["order"])] if point else None,
            )
            targets = [state.agencies[s] for s in question_item.get("applies_to_agencies", [])]
            if targets:
                question.applies_to_agencies.set(targets)
    _map_tool(state, version)
    return version


def _map_tool(state: _Import, version: ToolVersion) -> None:
    for section in ToolSection.objects.filter(version=version):
        state.sections[section.order] = section
    for question in Question.objects.filter(section__version=version):
        state.questions[question.code] = question


# --- The audit ------------------------------------------------------------------------------


def requested_slug_problem(wanted: str) -> Problem | None:
    """Why the slug asked for cannot be the new audit's, if it cannot."""
    if not SLUG_PATTERN.match(wanted) or len(wanted) > 60:
        return Problem(SLUG_FIELD, f"{wanted!r} is not a slug (letters, digits, - and _)")
    if Audit.objects.filter(slug=wanted).exists():
        return Problem(SLUG_FIELD, f"An audit {wanted!r} already exists")
    return None


def _slug(state: _Import, wanted: str | None) -> str:
    if wanted is not None:
        problem = requested_slug_problem(wanted)
        if problem:
            state.problems.append(problem)
        return wanted
    slug = state.doc["audit"]["slug"]
    if not Audit.objects.filter(slug=slug).exists():
        return slug
    new = _unique_slug(Audit, slug, 60)
    state.notes.append(f"An audit '{slug}' already exists, so this one is '{new}'.")
    return new


def _date(value: str | None) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(value) if value else None


def _moment(value: str | None) -> Any:
    return parse_datetime(value) if value else None


def _partial(value: str | None) -> Any:
    """A PartialDate (or None); typed Any as django-stubs sees the field as the CharField it
    stores."""
    return PartialDate.parse(value) if value else None


def _decimal(value: float | int | None, places: str) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places))


def _audit(
    state: _Import, version: ToolVersion | None, slug: str, coordinators: Sequence[Any]
) -> Audit:
    item = state.doc["audit"]
    sample = item.get("sample", {})
    follow_up_of = None
    if item.get("follow_up_of"):
        follow_up_of = Audit.objects.filter(slug=item["follow_up_of"]).first()
        if follow_up_of is None:
            state.notes.append(
                f"The audit it follows up, '{item['follow_up_of']}', is not here; the link is "
                "left out."
            )
    audit = Audit.objects.create(
        slug=slug,
        kind=item.get("kind", Audit.Kind.CASE_AUDIT),
        title=item["title"],
        theme=item["theme"],
        status=item["status"],
        rationale=item.get("rationale", ""),
        aim=item.get("aim", ""),
        terms_of_reference=item.get("terms_of_reference", ""),
        cohort_definition=item.get("cohort_definition", ""),
        lookback_months=item.get("lookback_months"),
        lawful_basis=item.get("lawful_basis", ""),
        audit_date=_partial(item.get("audit_date")),
        audit_date_until=_partial(item.get("audit_date_until")),
        returns_due=_date(item.get("returns_due")),
        panel_date=_date(item.get("panel_date")),
        reaudit_due=_partial(item.get("reaudit_due")),
        published_on=_date(item.get("published_on")),
        tool_version=version,
        overall_scale=state.scales.get(item.get("overall_scale") or ""),
        follow_up_of=follow_up_of,
        partnership_names="\n".join(item.get("partnership_names", [])),
        sample_method=sample.get("method", ""),
        sample_frame_size=sample.get("frame_size"),
        sample_seed=sample.get("seed", ""),
        sample_notes=sample.get("notes", ""),
        census_date=_date(sample.get("census_date")),
    )
    if coordinators:
        audit.coordinators.set(list(coordinators))
    LineOfEnquiry.objects.bulk_create(
        LineOfEnquiry(audit=audit, order=order, text=text)
        for order, text in enumerate(item.get("lines_of_enquiry", []), 1)
    )
    AuditAgency.objects.bulk_create(
        AuditAgency(
            audit=audit,
            agency=state.agencies[agency["short_name"]],
            order=agency["order"] if agency.get("order") is not None else index,
            returns_due=_date(agency.get("returns_due")),
        )
        for index, (_, agency) in enumerate(state.items("agencies"))
        if agency.get("taking_part", True)
    )
    for _, review in state.items("reviews"):
        link = review.get("link")
        if link:
            AuditReview.objects.create(
                audit=audit,
                review=state.reviews[review["short_name"]],
                relationship=link["relationship"],
                note=link.get("note", ""),
                order=link.get("order", 0),
            )
    _figures(item.get("figures"), audit)
    _linked_audits(state, item.get("linked_audits", []), audit)
    return audit


def _figures(item: dict[str, Any] | None, audit: Audit) -> None:
    if item is None:
        return
    figures = AuditFigures.objects.create(
        audit=audit,
        cohort_count=item.get("cohort_count"),
        cohort_unit=item.get("cohort_unit", CohortUnit.CHILDREN),
        cohort_description=item.get("cohort_description", ""),
        age_range=item.get("age_range", ""),
        grades_of=item.get("grades_of", ""),
        grades_base=item.get("grades_base"),
    )
    CohortBreakdown.objects.bulk_create(
        CohortBreakdown(
            figures=figures,
            order=row.get("order", index),
            group=row.get("group", ""),
            label=row["label"],
            count=row["count"],
        )
        for index, row in enumerate(item.get("breakdowns", []), 1)
    )
    GradeCount.objects.bulk_create(
        GradeCount(
            figures=figures,
            order=row.get("order", index),
            label=row["label"],
            count=row["count"],
            merged_into=row.get("merged_into", ""),
        )
        for index, row in enumerate(item.get("grades", []), 1)
    )


def _linked_audits(state: _Import, links: list[dict[str, Any]], audit: Audit) -> None:
    """Links to audits already here. A partnership moving its audits in one at a time cannot
    always bring the other audit first (two audits compared with each other each name the
    other), so a link to one not here is left out with a note naming it, not refused."""
    others = Audit.objects.in_bulk([link["slug"] for link in links], field_name="slug")
    missing = [link["slug"] for link in links if link["slug"] not in others]
    AuditLink.objects.bulk_create(
        AuditLink(
            audit=audit,
            other=others[link["slug"]],
            relationship=link["relationship"],
            note=link.get("note", ""),
            order=link.get("order", 0),
        )
        for link in links
        if link["slug"] in others
    )
    if missing:
        named = ", ".join(f"'{slug}'" for slug in missing)
        state.notes.append(
            f"The brief covers other audits that are not here ({named}); those links are "
            "left out. Import them, then add them under 'Other audits the brief covers'."
        )


def _cases(state: _Import, audit: Audit) -> None:
    for _, item in state.items("cases"):
        case = Case.objects.create(
            audit=audit,
            pseudonym=item["pseudonym"],
            order=item.get("order", 0),
            age_weeks=item["age_weeks"],
            gender=item.get("gender", ""),
            legal_status=item.get("legal_status", ""),
            placement_type=item.get("placement_type", ""),
            placement_provider=item.get("placement_provider", ""),
            placed_out_of_area=item.get("placed_out_of_area"),
            placement_distance_miles=_decimal(item.get("placement_distance_miles"), "0.1"),
            placement_area=item.get("placement_area", ""),
            placement_moves_12m=item.get("placement_moves_12m"),
            missing_episodes_12m=item.get("missing_episodes_12m"),
            is_uasc=item.get("is_uasc", False),
            facts=item.get("facts", {}),
        )
        if item.get("needs"):
            case.needs.set([state.needs[code] for code in item["needs"]])
        state.cases[item["pseudonym"]] = case
    AgencyInvolvement.objects.bulk_create(
        AgencyInvolvement(
            case=state.cases[row["case"]],
            agency=state.agencies[row["agency"]],
            status=row["status"],
            note=row.get("note", ""),
        )
        for _, row in state.items("involvement")
    )


def _returns(state: _Import) -> None:
    rows = state.doc.get("returns", [])
    created = AgencyReturn.objects.bulk_create(
        AgencyReturn(
            case=state.cases[row["case"]],
            agency=state.agencies[row["agency"]],
            status=row["status"],
            due_date=_date(row.get("due_date")),
            auditor_role=row.get("auditor_role", ""),
            period_reviewed=row.get("period_reviewed", ""),
            records_examined=row.get("records_examined", ""),
            auditor_was_involved=row.get("auditor_was_involved"),
            good_practice=row.get("good_practice", ""),
            areas_for_development=row.get("areas_for_development", ""),
            recommendations=row.get("recommendations", ""),
            overall_grade=state.grade(row.get("overall_grade")),
            overall_reason=row.get("overall_reason", ""),
            immediate_concern=row.get("immediate_concern", False),
            submitted_at=_moment(row.get("submitted_at")),
            signed_off_at=_moment(row.get("signed_off_at")),
            reviewed_at=_moment(row.get("reviewed_at")),
            review_comment=row.get("review_comment", ""),
        )
        for row in rows
    )
    answers: list[Answer] = []
    summaries: list[SectionSummary] = []
    for row, agency_return in zip(rows, created, strict=True):
        state.returns[(row["case"], row["agency"])] = agency_return
        for answer in row.get("answers", []):
            answers.append(
                Answer(
                    agency_return=agency_return,
                    question=state.questions[answer["question"]],
                    grade=state.grade(answer.get("grade")),
                    choices=list(answer.get("choices", [])),
                    date_value=_date(answer.get("date_value")),
                    number_value=_decimal(answer.get("number_value"), "0.01"),
                    text_value=answer.get("text_value", ""),
                    evidence=answer.get("evidence", ""),
                    reason=answer.get("reason", ""),
                )
            )
        for summary in row.get("sections", []):
            summaries.append(
                SectionSummary(
                    agency_return=agency_return,
                    section=state.sections[summary["section"]],
                    good_practice=summary.get("good_practice", ""),
                    areas_for_development=summary.get("areas_for_development", ""),
                    recommendations=summary.get("recommendations", ""),
                    grade=state.grade(summary.get("grade")),
                    grade_reason=summary.get("grade_reason", ""),
                )
            )
    Answer.objects.bulk_create(answers, batch_size=500)
    SectionSummary.objects.bulk_create(summaries, batch_size=500)


def _escalations(state: _Import, audit: Audit) -> None:
    for _, row in state.items("escalations"):
        case = state.cases[row["case"]] if row.get("case") else None
        raised_by = row.get("raised_by_agency")
        from_return = (
            state.returns.get((row["case"], raised_by))
            if row.get("from_return") and case and raised_by
            else None
        )
        state.escalations[row["ref"]] = Escalation.objects.create(
            audit=audit,
            case=case,
            from_return=from_return,
            raised_by_agency=state.agencies[raised_by] if raised_by else None,
            raised_to_agency=state.agencies[row["raised_to_agency"]],
            raised_at=_moment(row["raised_at"]),
            urgency=row["urgency"],
            status=row["status"],
            concern=row["concern"],
            public_summary=row.get("public_summary", ""),
            acknowledge_by=_moment(row.get("acknowledge_by")),
            acknowledged_at=_moment(row.get("acknowledged_at")),
            acknowledgement_note=row.get("acknowledgement_note", ""),
            action_taken=row.get("action_taken", ""),
            actioned_at=_moment(row.get("actioned_at")),
            outcome=row.get("outcome", ""),
            public_outcome=row.get("public_outcome", ""),
            resolved_at=_moment(row.get("resolved_at")),
            withdrawn_at=_moment(row.get("withdrawn_at")),
            withdrawal_reason=row.get("withdrawal_reason", ""),
            disagreement_policy_used=row.get("disagreement_policy_used", False),
        )


def _moderation(state: _Import) -> None:
    PanelGrade.objects.bulk_create(
        PanelGrade(
            case=state.cases[row["case"]],
            section=state.sections[row["section"]] if row.get("section") is not None else None,
            grade=state.grade(row["grade"]),
            reason=row["reason"],
        )
        for _, row in state.items("panel_grades")
    )
    for _, row in state.items("discrepancies"):
        discrepancy = Discrepancy.objects.create(
            case=state.cases[row["case"]],
            question=state.questions[row["question"]] if row.get("question") else None,
            description=row["description"],
        )
        if row.get("agencies"):
            discrepancy.agencies.set([state.agencies[s] for s in row["agencies"]])


def _theme(state: _Import, name: str) -> Theme:
    theme = state.themes.get(name)
    if theme is None:
        theme = (
            Theme.objects.filter(name=name).first()
            or Theme.objects.filter(name__iexact=name).first()
        )
        if theme is None:
            theme = Theme.objects.create(name=name, slug=_unique_slug(Theme, name, 60))
            state.created["themes"] += 1
        state.themes[name] = theme
    return theme


def _learning(state: _Import, audit: Audit) -> None:
    for _, row in state.items("findings"):
        finding = Finding.objects.create(
            audit=audit,
            heading=row["heading"],
            order=row.get("order", 0),
            title=row.get("title", ""),
            text=row["text"],
            needs_to_happen=row.get("needs_to_happen", ""),
            strengths=row.get("strengths", ""),
            attribution=row.get("attribution", ""),
            include_in_brief=row.get("include_in_brief", True),
            signs_of_safety_scale=row.get("signs_of_safety_scale"),
        )
        links = {
            "taken_forward_by": [state.agencies[s] for s in row.get("taken_forward_by", [])],
            "agencies": [state.agencies[s] for s in row.get("agencies", [])],
            "cases": [state.cases[p] for p in row.get("cases", [])],
            "themes": [_theme(state, name) for name in row.get("themes", [])],
            "escalations": [state.escalations[ref] for ref in row.get("escalations", [])],
            "learning_points": [
                state.points[(ref["review"], ref["order"])]
                for ref in row.get("learning_points", [])
            ],
            "questions": [state.questions[code] for code in row.get("questions", [])],
        }
        for name, targets in links.items():
            if targets:
                getattr(finding, name).set(targets)
        state.findings[row["ref"]] = finding
    for _, row in state.items("actions"):
        action = Action.objects.create(
            audit=audit,
            order=row.get("order", 0),
            description=row["description"],
            lead_owner=state.agencies[row["lead_owner"]] if row.get("lead_owner") else None,
            lead_owner_name=row.get("lead_owner_name", ""),
            other_owners="\n".join(row.get("other_owners", [])),
            lead_name=row.get("lead_name", ""),
            due=_partial(row.get("due")),
            measure_of_success=row.get("measure_of_success", ""),
            status=row["status"],
            done_on=_partial(row.get("done_on")),
            evidence_of_impact=row.get("evidence_of_impact", ""),
            verified_at=_moment(row.get("verified_at")),
            include_in_brief=row.get("include_in_brief", True),
        )
        if row.get("owners"):
            action.owners.set([state.agencies[s] for s in row["owners"]])
        if row.get("findings"):
            action.findings.set([state.findings[ref] for ref in row["findings"]])
        ActionUpdate.objects.bulk_create(
            ActionUpdate(
                action=action,
                at=_moment(update["at"]),
                text=update["text"],
                status_before=update.get("status_before", ""),
                status_after=update.get("status_after", ""),
            )
            for update in row.get("updates", [])
        )
    Resource.objects.bulk_create(
        Resource(
            audit=audit,
            order=row.get("order", 0),
            title=row["title"],
            kind=row["kind"],
            url=row.get("url", ""),
            description=row.get("description", ""),
        )
        for _, row in state.items("resources")
    )


def _summary_parts(decisions: Decisions) -> dict[str, list[str]]:
    """`ImportResult`'s changes, added and exact, from what was decided."""
    parts: dict[str, list[str]] = {"changes": [], "added": [], "exact": []}
    for match in decisions.plan.matches:
        named = f"{match.what} '{match.in_file}'"
        if match.verdict is Verdict.EXACT:
            parts["exact"].append(named)
        elif match.verdict is Verdict.NEW and not match.renamed:
            parts["added"].append(named)
        else:
            parts["changes"].append(describe(match, decisions))
    return parts


# --- The service ----------------------------------------------------------------------------


def checked_document(content: bytes) -> dict[str, Any]:
    """The document read and checked in full (size, JSON, schema, references), or
    `DocumentInvalid` with every problem at its JSON path."""
    doc = document_from_bytes(content)
    problems = validate_document(doc)
    if problems:
        raise DocumentInvalid(problems)
    return doc  # type: ignore[no-any-return]


def audit_import(
    *,
    content: bytes,
    coordinators: Sequence[Any] = (),
    slug: str | None = None,
    choices: Mapping[str, Choice] | None = None,
    similar: Choice | None = None,
) -> ImportResult:
    """Create a new audit from a whole-audit document, or refuse it whole (`DocumentInvalid`,
    every problem with its JSON path) with nothing saved. `coordinators` coordinate the new
    audit (the person importing, from the web).

    Entries that match stored ones only in part (`import_plan`) need a choice each: in
    `choices` by their ref (`agency:CSC`), or `similar` for them all; without one the import
    raises `MatchesToConfirm`, naming them, and saves nothing."""
    return import_checked(
        checked_document(content),
        coordinators=coordinators,
        slug=slug,
        choices=choices or {},
        similar=similar,
    )


def import_checked(
    doc: dict[str, Any],
    *,
    coordinators: Sequence[Any] = (),
    slug: str | None = None,
    choices: Mapping[str, Choice],
    similar: Choice | None = None,
) -> ImportResult:
    """`audit_import` for a document `checked_document` has passed."""
    try:
        return _write(doc, coordinators=coordinators, slug=slug, choices=choices, similar=similar)
    except (IntegrityError, DataError) as error:
        # Every rule the database keeps should have been checked above; if one was missed,
        # the transaction has been rolled back and the person still gets an answer.
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise DocumentInvalid(
            [Problem("$", f"The file conflicts with what is here ({first_line[:200]})")]
        ) from error


@transaction.atomic
def _write(
    doc: dict[str, Any],
    *,
    coordinators: Sequence[Any],
    slug: str | None,
    choices: Mapping[str, Choice],
    similar: Choice | None,
) -> ImportResult:
    # Planned again here, inside the transaction, so the choices meet what is stored now.
    decisions = decide(import_plan(doc), choices, similar)
    notes: list[str] = []
    state = _Import(doc, notes, decisions)
    new_slug = _slug(state, slug)
    _scales(state)
    state.refuse_if_any()
    _agencies(state)
    _needs(state)
    _reviews(state)
    state.refuse_if_any()
    version = _tool(state)
    audit = _audit(state, version, new_slug, coordinators)
    _brief_template(state, audit)
    _cases(state, audit)
    _returns(state)
    _escalations(state, audit)
    _moderation(state)
    _learning(state, audit)
    state.created["audits"] += 1
    state.created["cases"] += len(state.cases)
    state.created["returns"] += len(state.returns)
    state.created["findings"] += len(state.findings)
    state.created["actions"] += len(doc.get("actions", []))
    # Written as given, then checked as publishing would, before anyone can read it.
    publication = imported_published_check(audit=audit) if audit.is_published else None
    return ImportResult(
        audit=audit,
        created=state.created,
        matched=state.matched,
        notes=notes,
        publication=publication,
        matches=[describe(match, decisions) for match in decisions.plan.matches],
        **_summary_parts(decisions),
    )
