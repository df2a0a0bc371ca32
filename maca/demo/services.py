"""Loading the fictional demo audit.

`demo_load` writes everything in `maca.demo.data*` in one transaction. It is idempotent: rows
are found by their natural keys and only fields that differ are saved, so a second run
changes nothing (not even `updated_at`) and says so. All people and children are invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Model

from maca.accounts.models import Agency, RoleAssignment, User
from maca.audits.models import (
    AgencyInvolvement,
    AgencyReturn,
    Answer,
    Audit,
    AuditAgency,
    Case,
    Discrepancy,
    Escalation,
    GradeLevel,
    GradingScale,
    LineOfEnquiry,
    Need,
    PanelGrade,
    PanelMembership,
    Question,
    ReturnStatus,
    SectionSummary,
    ToolSection,
    ToolVersion,
)
from maca.audits.selectors import PUBLISHED_STATUSES
from maca.demo import (
    brief_template,
    current_audit,
    data,
    data_learning,
    data_returns,
    earlier_audit,
    programme,
    returns,
)
from maca.demo.data import AgencySpec, CaseSpec, at
from maca.demo.tool_cla_out_of_area import SECTIONS, ensure_cla_out_of_area_tool
from maca.demo.upsert import Tally, set_related, upsert
from maca.identifiers.models import AgencyReference, ChildIdentity
from maca.learning.models import (
    Action,
    ActionUpdate,
    AuditReview,
    Finding,
    Resource,
    Review,
    Theme,
)
from maca.reports.snapshots import latest_snapshot, reader_access

REQUIRED_SCALES = ("ofsted-4", "rag", "ynpna", "signs-of-safety")

RECORDS_EXAMINED = {
    "health": "Electronic patient record, health assessments and correspondence.",
    "social_care": "Case file: assessments, plans, visits, reviews, chronology, supervision.",
    "police": "Police records: incidents, missing reports and intelligence.",
    "education": "School and Virtual School records, including PEPs.",
    "youth_justice": "YOT case record and assessments.",
    "early_help": "Early help record and family plan.",
}


@dataclass(frozen=True)
class DemoSummary:
    audit_slug: str
    audit_title: str
    created: dict[str, int]
    updated: dict[str, int]
    logins: list[tuple[str, str]]
    password: str

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@dataclass
class _Load:
    """What the loading steps share: the tally and the rows made so far, by natural key."""

    tally: Tally
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    levels: dict[tuple[str, str], GradeLevel] = field(default_factory=dict)
    audit: Audit | None = None
    version: ToolVersion | None = None
    cases: dict[str, Case] = field(default_factory=dict)
    returns: dict[tuple[str, str], AgencyReturn] = field(default_factory=dict)
    escalations: dict[str, Escalation] = field(default_factory=dict)
    findings: dict[str, Finding] = field(default_factory=dict)

    def level(self, scale: str, code: str) -> GradeLevel:
        return self.levels[(scale, code)]

    @property
    def the_audit(self) -> Audit:
        assert self.audit is not None
        return self.audit


def demo_freeze_published() -> int:
    """Freeze the demo's published audits now, as publishing them would have, so the first
    reader of each does not wait while it is frozen. Returns how many were frozen now."""
    fresh = 0
    for audit in Audit.objects.filter(status__in=PUBLISHED_STATUSES, brief_snapshots=None):
        latest_snapshot(reader_access(audit))
        fresh += 1
    return fresh


@transaction.atomic
def demo_load() -> DemoSummary:
    """Create or refresh the fictional demo audit and its users; report what changed."""
    load = _Load(tally=Tally())
    _require_reference_data(load)
    _load_agencies(load)
    _load_users(load)
    load.version = ensure_cla_out_of_area_tool(tally=load.tally)
    _load_audit(load)
    _load_cases(load)
    _load_returns(load)
    _load_escalations(load)
    _load_moderation(load)
    _load_findings(load)
    _load_actions(load)
    _load_resources(load)
    earlier_audit.load_earlier_audit(load.tally, later=load.the_audit)
    current = current_audit.load_current_audit(load.tally, tool_from=load.the_audit)
    brief_template.load_partnership_template(load.tally, audit=current)
    programme.load_programme(load.tally)
    return DemoSummary(
        audit_slug=data.AUDIT_SLUG,
        audit_title=load.the_audit.title,
        created=dict(sorted(load.tally.created.items())),
        updated=dict(sorted(load.tally.updated.items())),
        logins=list(data.LOGINS),
        password=data.DEMO_PASSWORD,
    )


def _require_reference_data(load: _Load) -> None:
    found = set(
        GradingScale.objects.filter(slug__in=REQUIRED_SCALES).values_list("slug", flat=True)
    )
    missing = sorted(set(REQUIRED_SCALES) - found)
    if missing:
        raise ImproperlyConfigured(
            f"Grading scales {', '.join(missing)} are missing: run `maca migrate` first."
        )
    for level in GradeLevel.objects.select_related("scale"):
        load.levels[(level.scale.slug, level.code)] = level


# --- Agencies and people --------------------------------------------------------------------


def _load_agencies(load: _Load) -> None:
    for spec in (*data.AUDIT_AGENCIES, data.BNSSG):
        load.agencies[spec.short_name] = _ensure_agency(load.tally, spec)


def _ensure_agency(tally: Tally, spec: AgencySpec) -> Agency:
    return upsert(
        tally,
        Agency,
        lookup={"short_name": spec.short_name},
        values={
            "name": spec.name,
            "sector": spec.sector,
            "description": spec.description,
            "is_active": True,
        },
    )


def _load_users(load: _Load) -> None:
    # One Argon2 hash shared by every demo account: hashing is deliberately slow, the password
    # is public anyway, and keeping an unchanged hash is what makes a second load a no-op.
    shared_hash = make_password(data.DEMO_PASSWORD)
    for spec in data.USERS:
        user = upsert(
            load.tally,
            User,
            lookup={"email": spec.email},
            values={
                "full_name": spec.full_name,
                "job_title": spec.job_title,
                "is_active": True,
                "is_staff": spec.role == "administrator",
            },
            on_create={"password": shared_hash},
        )
        shared_hash = _ensure_password(load.tally, user, shared_hash)
        _ensure_demo_authenticator(load.tally, user)
        agency = load.agencies[spec.agency] if spec.agency else None
        upsert(
            load.tally, RoleAssignment, lookup={"user": user, "role": spec.role, "agency": agency}
        )
        load.users[spec.email] = user


def _ensure_password(tally: Tally, user: User, shared_hash: str) -> str:
    """Keep the user's hash if it already matches the demo password; return the hash to share."""
    if user.password == shared_hash:
        return shared_hash
    if user.has_usable_password() and user.check_password(data.DEMO_PASSWORD):
        return user.password
    user.password = shared_hash
    user.save(update_fields=["password"])
    tally.note_updated(User)
    return shared_hash


def _ensure_demo_authenticator(tally: Tally, user: User) -> None:
    """Give the demo login the shared demo authenticator-app secret (left alone if present)."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        if decrypt(existing.data.get("secret", "")) == data.DEMO_TOTP_SECRET:
            return
        existing.delete()
        TOTP.activate(user, data.DEMO_TOTP_SECRET)
        tally.note_updated(Authenticator)
        return
    TOTP.activate(user, data.DEMO_TOTP_SECRET)
    tally.note_created(Authenticator)


# --- The audit plan -------------------------------------------------------------------------


def _load_audit(load: _Load) -> None:
    tally = load.tally
    coordinator = load.users[data.COORDINATOR]
    audit = upsert(
        tally,
        Audit,
        lookup={"slug": data.AUDIT_SLUG},
        values={
            **data.AUDIT,
            "tool_version": load.version,
            "overall_scale": load.level("ofsted-4", "good").scale,
        },
    )
    load.audit = audit
    for order, text in enumerate(data.LINES_OF_ENQUIRY, start=1):
        upsert(tally, LineOfEnquiry, lookup={"audit": audit, "order": order}, values={"text": text})
    for order, spec in enumerate(data.AUDIT_AGENCIES, start=1):
        upsert(
            tally,
            AuditAgency,
            lookup={"audit": audit, "agency": load.agencies[spec.short_name]},
            values={"order": order},
        )
    set_related(tally, audit, "coordinators", [coordinator])
    upsert(
        tally,
        PanelMembership,
        lookup={"audit": audit, "user": load.users[data.PANEL_CHAIR]},
        values={"is_chair": True},
    )
    upsert(
        tally,
        AuditReview,
        lookup={"audit": audit, "review": Review.objects.get(short_name="SCR Georgia")},
        values={
            "relationship": AuditReview.Relationship.CHECKS_EMBEDDED,
            "order": 1,
            "note": "Section 10 of the tool asks every agency, for every child, whether each "
            "SCR Georgia learning point is embedded: exploitation screening kept up to date, "
            "records following the child on moves, the child's voice shaping the plan, and "
            "safety plans shared with the school.",
        },
    )


# --- Cases and their identifiers ------------------------------------------------------------


def _load_cases(load: _Load) -> None:
    needs = {need.code: need for need in Need.objects.all()}
    for spec in data.CASES:
        case = _ensure_case(load, spec)
        set_related(load.tally, case, "needs", [needs[code] for code in spec.needs])
        upsert(load.tally, ChildIdentity, lookup={"case": case}, values=data.identity_for(spec))
        for agency in spec.involved:
            upsert(
                load.tally,
                AgencyReference,
                lookup={"case": case, "agency": load.agencies[agency]},
                values={"reference": data.agency_reference_for(spec, agency)},
            )
        load.cases[spec.pseudonym] = case


def _ensure_case(load: _Load, spec: CaseSpec) -> Case:
    distance = Decimal(spec.distance_miles) if spec.distance_miles else None
    return upsert(
        load.tally,
        Case,
        lookup={"audit": load.the_audit, "pseudonym": spec.pseudonym},
        values={
            "order": spec.order,
            "age_weeks": spec.age_weeks,
            "gender": spec.gender,
            "legal_status": spec.legal_status,
            "placement_type": spec.placement_type,
            "placement_provider": spec.placement_provider,
            "placed_out_of_area": True,
            "placement_distance_miles": distance,
            "placement_area": spec.placement_area,
            "placement_moves_12m": spec.moves_12m,
            "missing_episodes_12m": spec.missing_12m,
            "is_uasc": spec.is_uasc,
            "facts": spec.facts,
        },
    )


# --- Involvement and returns ----------------------------------------------------------------


def _load_returns(load: _Load) -> None:
    questions = _questions_by_code(load)
    sections = {section.order: section for section in load.version.sections.all()}  # type: ignore[union-attr]
    audit = load.the_audit
    existing_answers = {
        (answer.agency_return_id, answer.question_id): answer
        for answer in Answer.objects.filter(agency_return__case__audit=audit)
    }
    existing_summaries = {
        (summary.agency_return_id, summary.section_id): summary
        for summary in SectionSummary.objects.filter(agency_return__case__audit=audit)
    }
    for agency_index, agency_spec in enumerate(data.AUDIT_AGENCIES):
        agency = load.agencies[agency_spec.short_name]
        for spec in data.CASES:
            involvement = spec.involved.get(agency_spec.short_name)
            _ensure_involvement(load, spec, agency, involvement)
            if involvement is None:
                continue
            # Work the return out first, so it is written once, already graded.
            answers = _answers_for(spec, agency, questions)
            results = {
                order: returns.section_result(section_spec, answers)
                for order, section_spec in enumerate(SECTIONS, start=1)
                if section_spec.graded
            }
            graded = returns.return_result(spec, agency.short_name, results)
            agency_return = _ensure_return(load, spec, agency, agency_index, graded)
            load.returns[(spec.pseudonym, agency.short_name)] = agency_return
            for code, value in answers.items():
                _ensure_answer(load, spec, agency_return, questions[code], value, existing_answers)
            for order, result in results.items():
                _ensure_summary(load, agency_return, sections[order], result, existing_summaries)


def _questions_by_code(load: _Load) -> dict[str, Question]:
    rows = (
        Question.objects.filter(section__version=load.version)
        .select_related("scale")
        .prefetch_related("applies_to_agencies")
    )
    return {question.code: question for question in rows}


def _answers_for(
    spec: CaseSpec, agency: Agency, questions: dict[str, Question]
) -> dict[str, returns.AnswerValue]:
    """The agency's answer to every question that applies to its sector, in tool order."""
    return {
        question.code: returns.answer_for(spec, agency.short_name, question)
        for section in SECTIONS
        for question in section.questions
        if questions[question.code].applies_to(agency)
    }


def _ensure_involvement(
    load: _Load, spec: CaseSpec, agency: Agency, involvement: data.InvolvementSpec | None
) -> None:
    status = AgencyInvolvement.Status.INVOLVED if involvement else "not_involved"
    upsert(
        load.tally,
        AgencyInvolvement,
        lookup={"case": load.cases[spec.pseudonym], "agency": agency},
        values={
            "status": status,
            "note": involvement.note if involvement else "No record of the child.",
            "recorded_by": load.users[data.COORDINATOR],
            "recorded_at": at("2022-02-01", "09:00"),
        },
    )


def _ensure_return(
    load: _Load,
    spec: CaseSpec,
    agency: Agency,
    agency_index: int,
    graded: returns.ReturnResult,
) -> AgencyReturn:
    auditor = load.users[data.auditor_email(agency.short_name)]
    # Fixed, plausible times: agencies submitted in the fortnight before the due date.
    submitted = at(f"2022-02-{14 + agency_index:02d}", f"{9 + spec.order % 8:02d}:30")
    return upsert(
        load.tally,
        AgencyReturn,
        lookup={"case": load.cases[spec.pseudonym], "agency": agency},
        values={
            "status": ReturnStatus.ACCEPTED,
            "due_date": data.AUDIT["returns_due"],
            "auditor": auditor,
            "auditor_role": auditor.job_title,
            "period_reviewed": returns.period_reviewed(),
            "records_examined": RECORDS_EXAMINED.get(agency.sector, "Agency records."),
            "auditor_was_involved": False,
            "good_practice": graded.good_practice,
            "areas_for_development": graded.areas_for_development,
            "recommendations": graded.recommendations,
            "overall_grade": load.level("ofsted-4", graded.grade),
            "overall_reason": graded.reason,
            "immediate_concern": graded.immediate_concern,
            "submitted_at": submitted,
            "signed_off_by": load.users[data.lead_email(agency.short_name)],
            "signed_off_at": submitted + dt.timedelta(days=1),
            "reviewed_by": load.users[data.COORDINATOR],
            "reviewed_at": at("2022-03-01", "14:00"),
            "review_comment": "",
        },
    )


def _ensure_answer(
    load: _Load,
    spec: CaseSpec,
    agency_return: AgencyReturn,
    question: Question,
    value: returns.AnswerValue,
    existing: dict[tuple[int, int], Answer],
) -> None:
    involvement = spec.involved[agency_return.agency.short_name]
    upsert(
        load.tally,
        Answer,
        lookup={"agency_return": agency_return, "question": question},
        existing=existing.get((agency_return.pk, question.pk)),
        values={
            "grade": load.level(question.scale.slug, value.code) if question.scale else None,
            "choices": list(value.choices),
            "date_value": involvement.since if value.is_date else None,
            "number_value": None,
            "text_value": value.text,
            "evidence": value.evidence,
            "reason": value.reason,
        },
    )


def _ensure_summary(
    load: _Load,
    agency_return: AgencyReturn,
    section: ToolSection,
    result: returns.SectionResult,
    existing: dict[tuple[int, int], SectionSummary],
) -> None:
    upsert(
        load.tally,
        SectionSummary,
        lookup={"agency_return": agency_return, "section": section},
        existing=existing.get((agency_return.pk, section.pk)),
        values={
            "grade": load.level("ofsted-4", result.grade) if result.grade else None,
            "grade_reason": result.grade_reason,
            "areas_for_development": result.areas_for_development,
            "good_practice": "",
            "recommendations": "",
        },
    )


# --- Escalations and moderation -------------------------------------------------------------


def _load_escalations(load: _Load) -> None:
    for spec in data_learning.ESCALATIONS:
        raised_by = load.agencies[spec.raised_by_agency]
        raised_to = load.agencies[spec.raised_to_agency]
        load.escalations[spec.key] = upsert(
            load.tally,
            Escalation,
            lookup={
                "audit": load.the_audit,
                "case": load.cases[spec.case],
                "raised_by_agency": raised_by,
            },
            values={
                "from_return": load.returns[(spec.case, spec.raised_by_agency)],
                "raised_by": load.users[data.auditor_email(spec.raised_by_agency)],
                "raised_to_agency": raised_to,
                "raised_at": spec.raised_at,
                "urgency": spec.urgency,
                "status": Escalation.Status.RESOLVED,
                "concern": spec.concern,
                "public_summary": spec.public_summary,
                "acknowledge_by": spec.acknowledge_by,
                "acknowledged_at": spec.acknowledged_at,
                "acknowledged_by": load.users[data.lead_email(spec.raised_to_agency)],
                "action_taken": spec.action_taken,
                "outcome": spec.outcome,
                "public_outcome": spec.public_outcome,
                "resolved_at": spec.resolved_at,
                "disagreement_policy_used": spec.disagreement_policy_used,
            },
        )


def _load_moderation(load: _Load) -> None:
    chair = load.users[data.PANEL_CHAIR]
    for pseudonym, (grade, reason) in data_returns.PANEL_GRADES.items():
        upsert(
            load.tally,
            PanelGrade,
            lookup={"case": load.cases[pseudonym], "section": None},
            values={
                "grade": load.level("ofsted-4", grade),
                "reason": reason,
                "recorded_by": chair,
            },
        )
    questions = _questions_by_code(load)
    for pseudonym, code, agencies, description in data_returns.DISCREPANCIES:
        discrepancy = upsert(
            load.tally,
            Discrepancy,
            lookup={"case": load.cases[pseudonym], "question": questions[code]},
            values={"description": description, "recorded_by": chair},
        )
        set_related(load.tally, discrepancy, "agencies", [load.agencies[a] for a in agencies])


# --- Findings, actions, resources -----------------------------------------------------------


def _load_findings(load: _Load) -> None:
    themes = {
        slug: upsert(load.tally, Theme, lookup={"slug": slug}, values={"name": name})
        for slug, name in data_learning.THEMES.items()
    }
    points = {
        point.order: point
        for point in Review.objects.get(short_name="SCR Georgia").learning_points.all()
    }
    orders: dict[str, int] = {}
    for spec in data_learning.FINDINGS:
        orders[spec.heading] = orders.get(spec.heading, 0) + 1
        finding = upsert(
            load.tally,
            Finding,
            lookup={
                "audit": load.the_audit,
                "heading": spec.heading,
                "order": orders[spec.heading],
            },
            values={
                "title": spec.title,
                "text": spec.text,
                "needs_to_happen": spec.needs_to_happen,
                "attribution": spec.attribution,
                "include_in_brief": True,
            },
        )
        links: dict[str, list[Model]] = {
            "taken_forward_by": [load.agencies[a] for a in spec.taken_forward_by],
            "cases": [load.cases[c] for c in spec.cases],
            "agencies": [load.agencies[a] for a in spec.agencies],
            "themes": [themes[t] for t in spec.themes],
            "escalations": [load.escalations[e] for e in spec.escalations],
            "learning_points": [points[p] for p in spec.learning_points],
        }
        for name, targets in links.items():
            set_related(load.tally, finding, name, targets)
        load.findings[spec.key] = finding


def _load_actions(load: _Load) -> None:
    for order, spec in enumerate(data_learning.ACTIONS, start=1):
        action = upsert(
            load.tally,
            Action,
            lookup={"audit": load.the_audit, "order": order},
            values={
                "description": spec.description,
                "lead_name": spec.lead_name,
                "lead": load.users[spec.lead] if spec.lead else None,
                "due": spec.due,
                "measure_of_success": spec.measure_of_success,
                "status": spec.status,
                "done_on": spec.done_on,
                "evidence_of_impact": spec.evidence_of_impact,
                "verified_by": load.users[data.COORDINATOR] if spec.verified_at else None,
                "verified_at": spec.verified_at,
                "include_in_brief": True,
            },
        )
        set_related(load.tally, action, "owners", [load.agencies[a] for a in spec.owners])
        set_related(load.tally, action, "findings", [load.findings[f] for f in spec.findings])
        for update in spec.updates:
            upsert(
                load.tally,
                ActionUpdate,
                lookup={"action": action, "at": update.at},
                values={
                    "by": load.users[update.by],
                    "text": update.text,
                    "status_before": update.status_before,
                    "status_after": update.status_after,
                },
            )


def _load_resources(load: _Load) -> None:
    for order, (title, kind, url, description) in enumerate(data_learning.RESOURCES, start=1):
        upsert(
            load.tally,
            Resource,
            lookup={"audit": load.the_audit, "order": order},
            values={"title": title, "kind": kind, "url": url, "description": description},
        )
