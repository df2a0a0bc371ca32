"""The world the permissions matrix runs in: every kind of object, and one person per role.

Built once per test module on top of the fictional demo (which already has a tool, returns
with answers, escalations, panel grades, findings and actions), with a second audit that only
its own coordinator and agencies are in, and a 903 import and sample draw, so every URL of the
site has a real object to point at. All names are invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from allauth.usersessions.models import UserSession

from maca.accounts.models import Agency, Role, User
from maca.api.models import ApiToken
from maca.api.services import api_token_create
from maca.audits.models import (
    AgencyReturn,
    Audit,
    AuditAgency,
    Case,
    Escalation,
    Question,
    ToolSection,
    ToolVersion,
)
from maca.demo.services import demo_load
from maca.learning.models import Action, AuditReview, Finding, Review
from maca.sampling.models import ImportBatch, SampleDraw
from tests.factories import ActionFactory, FindingFactory, build_audit, person_with_role

AUDIT_A = "missing-from-care-2026"  # the demo audit with returns open
PUBLISHED = "cla-out-of-area-2022"  # the demo's published audit
IN_A_AGENCY = "Police"

# The authenticator-app secret of the demo people here (base32; fictional), so the two-factor
# requirement for child-level roles is met and every answer below is the role's own.
MATRIX_TOTP_SECRET = "MFQWGYLNMF2HE2LYEB2GK43U"

PERSONS = [
    "anonymous",
    "coordinator_a",
    "coordinator_b",
    "panel_a",
    "auditor_a",
    "auditor_other",
    "lead_a",
    "reader",
    "admin",
]


@dataclass
class World:
    audit_a: Audit
    audit_b: Audit
    published: Audit
    people: dict[str, User | None]
    tokens: dict[str, str]
    agency_a: Agency
    agency_other: Agency
    case_a: Case
    case_b: Case
    return_a: AgencyReturn
    return_b: AgencyReturn
    escalation_a: Escalation
    escalation_b: Escalation
    finding_a: Finding
    action_a: Action
    action_b: Action
    version: ToolVersion
    section: ToolSection
    question: Question
    review_link: AuditReview
    batch: ImportBatch
    draw: SampleDraw
    user_session: UserSession
    token_ids: dict[str, int] = field(default_factory=dict)

    def user(self, person: str) -> User | None:
        return self.people[person]


def _demo_user(email_local: str) -> User:
    return User.objects.get(email=f"{email_local}@demo.maca.test")


def build_world() -> World:
    demo_load()
    audit_a = Audit.objects.get(slug=AUDIT_A)
    published = Audit.objects.get(slug=PUBLISHED)
    agency_a = Agency.objects.get(short_name=IN_A_AGENCY)

    # Audit B: nobody from the demo is in it; its agencies are not in A.
    built_b = build_audit(cases=3, agencies=2, findings=1, status="returns_open")
    audit_b = built_b.audit
    agency_other = built_b.agencies[0]
    assert not AuditAgency.objects.filter(audit=audit_a, agency=agency_other).exists()

    people: dict[str, User | None] = {
        "anonymous": None,
        "coordinator_a": _demo_user("coordinator"),
        "coordinator_b": built_b.coordinator,
        "panel_a": _demo_user("panel"),
        "auditor_a": _demo_user("auditor.police"),
        "auditor_other": person_with_role(Role.AGENCY_AUDITOR, agency=agency_other),
        "lead_a": _demo_user("lead.police"),
        "reader": _demo_user("reader"),
        "admin": _demo_user("admin"),
    }

    for user in people.values():
        has_app = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)
        if user is not None and not has_app.exists():
            TOTP.activate(user, MATRIX_TOTP_SECRET)

    return_a = (
        AgencyReturn.objects.filter(case__audit=audit_a, agency=agency_a)
        .exclude(answers=None)
        .select_related("case")
        .order_by("case__order")
        .first()
    )
    assert return_a is not None, "the demo audit has a Police return with answers"
    case_a = return_a.case
    return_b = AgencyReturn.objects.filter(case__audit=audit_b).select_related("case").first()
    assert return_b is not None
    case_b = return_b.case
    escalation_a = Escalation.objects.filter(audit=audit_a, raised_to_agency=agency_a).first()
    if escalation_a is None:
        escalation_a = Escalation.objects.create(
            audit=audit_a,
            case=case_a,
            raised_to_agency=agency_a,
            raised_at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC),
            urgency=Escalation.Urgency.PRACTICE,
            concern="Fictional concern",
            public_summary="Fictional escalation",
        )
    escalation_b = Escalation.objects.filter(audit=audit_b).first()
    assert escalation_b is not None

    # Audit A is still taking returns: give it draft learning so its learning pages exist.
    finding_a = FindingFactory.create(audit=audit_a, text="Fictional draft finding for A")
    action_a = ActionFactory.create(audit=audit_a, description="Fictional draft action for A")
    action_a.owners.set([agency_a])
    action_a.findings.add(finding_a)
    action_b = Action.objects.filter(audit=audit_b).first()
    assert action_b is not None

    version = audit_a.tool_version
    assert version is not None
    section = version.sections.order_by("order").first()
    assert section is not None
    question = Question.objects.filter(section__version=version).order_by("pk").first()
    assert question is not None

    review = Review.objects.first() or Review.objects.create(
        kind=Review.Kind.CSPR, short_name="CSPR Fictional", title="A fictional review"
    )
    review_link = AuditReview.objects.filter(audit=audit_a).first() or AuditReview.objects.create(
        audit=audit_a, review=review, relationship=AuditReview.Relationship.RELATED
    )

    batch = ImportBatch.objects.create(
        audit=audit_a,
        created_by=people["coordinator_a"],
        status=ImportBatch.Status.NEEDS_DECISION,
        years=[2026],
    )
    draw = SampleDraw.objects.create(
        audit=audit_a,
        batch=batch,
        drawn_by=people["coordinator_a"],
        census_date=dt.date(2026, 3, 31),
        method=SampleDraw.Method.RANDOM,
        size=1,
        seed="1234",
        frame_size=1,
        record="A fictional draw of one child.",
    )

    # Another browser the coordinator of A is signed in on, for the page that ends a session.
    user_session = UserSession.objects.create(
        user=people["coordinator_a"],
        ip="192.0.2.10",
        session_key="matrix-fictional-session",
        user_agent="Fictional browser",
    )

    tokens: dict[str, str] = {}
    token_ids: dict[str, int] = {}
    for person, user in people.items():
        if user is None:
            continue
        new = api_token_create(user=user, name="matrix", expires_in_days=30)
        tokens[person] = new.secret
        token_ids[person] = (
            ApiToken.objects.filter(user=user).order_by("-id").values_list("id", flat=True)[0]
        )

    return World(
        audit_a=audit_a,
        audit_b=audit_b,
        published=published,
        people=people,
        tokens=tokens,
        agency_a=agency_a,
        agency_other=agency_other,
        case_a=case_a,
        case_b=case_b,
        return_a=return_a,
        return_b=return_b,
        escalation_a=escalation_a,
        escalation_b=escalation_b,
        finding_a=finding_a,
        action_a=action_a,
        action_b=action_b,
        version=version,
        section=section,
        question=question,
        review_link=review_link,
        batch=batch,
        draw=draw,
        user_session=user_session,
        token_ids=token_ids,
    )


def url_kwargs(world: World) -> dict[str, Any]:
    """The value for each URL parameter name, pointing into audit A (the roles' audit)."""
    return {
        "slug": world.audit_a.slug,
        "case_id": world.case_a.pk,
        "agency_id": world.return_a.agency_id,
        "part_slug": "about",
        "escalation_id": world.escalation_a.pk,
        "finding_id": world.finding_a.pk,
        "action_id": world.action_a.pk,
        "link_id": world.review_link.pk,
        "public_id": world.batch.public_id,
        "pk": world.draw.pk,
        "section_id": world.section.pk,
        "question_id": world.question.pk,
        "number": world.version.number,
        "direction": "forward",
        "token_id": world.token_ids["coordinator_a"],
        "session_id": world.user_session.pk,
        "extension": None,
        # The administrator's pages: the reader's account, and a link that is no invitation.
        "person_id": world.people["reader"].pk,  # type: ignore[union-attr]
        "role_id": world.people["reader"].role_assignments.get().pk,  # type: ignore[union-attr]
        "token": "not-an-invitation",
        # Brief templates: the shipped learning brief, added on first use.
        "template_slug": "learning-brief",
        "version_number": 1,
    }


def tool_kwargs(world: World) -> dict[str, Any]:
    """For the tool builder's pages, `slug` is the tool's, not the audit's."""
    return {"slug": world.version.tool.slug, "number": world.version.number}
