"""Loading the fictional demo audit: idempotent, and faithful to the 2022 learning brief."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.apps import apps
from django.contrib.auth import authenticate

from maca.accounts.models import Agency, Role, RoleAssignment
from maca.audits.models import (
    AgencyInvolvement,
    AgencyReturn,
    Answer,
    Audit,
    Escalation,
    Question,
    ReturnStatus,
)
from maca.demo import data
from maca.demo.services import DemoSummary, demo_load
from maca.identifiers.models import ChildIdentity
from maca.learning.models import Action, ActionStatus, Finding, Heading, Resource

SNAPSHOT_APPS = ("accounts", "audits", "learning", "identifiers")

BRIEF_AGENCIES = [
    "GPs",
    "Social Care",
    "Camhs",
    "Sirona",
    "NBT",
    "Police",
    "Education",
    "YOT",
    "EDT",
    "Preventative Services",
]
BRIEF_WORRIES = [
    "Frequent placement moves, placement breakdowns",
    "No transfer document evidenced",
    "Missing records – that have been escalated",
    "An asylum seeking child identified as an adult and placed with adults initially",
    "Exploitation tool not updated",
    "Safety plan not shared with school – which would have helped mitigate risk",
    "Delay in request for a health assessment",
    "Risks not being managed effectively for one child – this has already been escalated",
]
BRIEF_NEEDS = {
    "domestic-abuse",
    "missing-episodes",
    "exploitation-risk",
    "criminal-behaviour",
    "seeking-asylum",
    "sexual-abuse",
    "parental-mental-health",
    "neglect",
    "substance-misuse",
    "parental-learning-disability",
}


def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every field value, for every model of the domain apps."""
    result = {}
    for label in SNAPSHOT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows = list(model._default_manager.order_by("pk").values())
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            result[model._meta.label] = (len(rows), digest)
    return result


def audit() -> Audit:
    return Audit.objects.get(slug=data.AUDIT_SLUG)


def answer(pseudonym: str, agency: str, code: str) -> str:
    row = Answer.objects.select_related("grade").get(
        agency_return__case__audit__slug=data.AUDIT_SLUG,
        agency_return__case__pseudonym=pseudonym,
        agency_return__agency__short_name=agency,
        question__code=code,
    )
    assert row.grade is not None
    return row.grade.label


@pytest.mark.django_db
def test_loading_twice_changes_no_row_and_no_value() -> None:
    first = demo_load()
    before = snapshot()

    second = demo_load()

    assert first.changed
    assert not second.changed, (second.created, second.updated)
    assert snapshot() == before


def test_the_audit_is_published_with_the_brief_plan(demo: DemoSummary) -> None:
    the_audit = audit()
    assert the_audit.status == "published"
    assert the_audit.title == (
        "Multi Agency Quality Assurance Audit: Children Looked After Out of Area"
    )
    assert str(the_audit.audit_date) == "8 March 2022"
    assert str(the_audit.reaudit_due) == "March 2023"  # known to the month only
    assert "placed out of area" in the_audit.cohort_definition
    assert the_audit.tool_version is not None
    assert the_audit.overall_scale is not None and the_audit.overall_scale.slug == "ofsted-4"
    assert the_audit.review_links.get().relationship == "checks_embedded"


def test_nine_children_aged_six_weeks_to_sixteen_years(demo: DemoSummary) -> None:
    cases = list(audit().cases.order_by("order"))
    assert [case.pseudonym for case in cases] == [f"Child {c}" for c in "ABCDEFGHI"]
    ages = [case.age_weeks for case in cases]
    assert min(ages) == 6
    assert max(ages) // 52 == 16
    assert sum(case.is_uasc for case in cases) == 1
    assert all(case.placed_out_of_area for case in cases)


def test_ten_audit_agencies_in_the_brief_order_and_bnssg_apart(demo: DemoSummary) -> None:
    listed = [link.agency.short_name for link in audit().audit_agencies.order_by("order")]
    assert listed == BRIEF_AGENCIES
    bnssg = Agency.objects.get(short_name="BNSSG")
    assert "Integrated Care Board" in bnssg.name
    assert not audit().audit_agencies.filter(agency=bnssg).exists()


def test_every_need_the_brief_lists_appears_in_the_cohort(demo: DemoSummary) -> None:
    codes = set(audit().cases.values_list("needs__code", flat=True))
    assert codes >= BRIEF_NEEDS


def test_every_involved_agency_has_an_accepted_return(demo: DemoSummary) -> None:
    the_audit = audit()
    involvements = AgencyInvolvement.objects.filter(case__audit=the_audit)
    assert involvements.count() == 9 * 10
    involved = involvements.filter(status="involved")
    returns = AgencyReturn.objects.filter(case__audit=the_audit)
    assert returns.count() == involved.count()
    assert set(returns.values_list("status", flat=True)) == {ReturnStatus.ACCEPTED}
    assert not returns.filter(auditor__isnull=True).exists()
    assert not returns.filter(overall_grade__isnull=True).exists()


def test_answers_agree_with_the_worries(demo: DemoSummary) -> None:
    assert answer("Child E", "Social Care", "Q5.4") == "No"  # safety plan not shared
    assert answer("Child E", "Education", "Q5.4") == "No"
    assert answer("Child F", "Social Care", "Q2.3") == "No"  # EIT not updated
    assert answer("Child D", "Social Care", "Q6.3") == "No"  # no transfer document
    assert answer("Child B", "Social Care", "Q3.4") == "No"  # health assessment request late
    assert answer("Child H", "Social Care", "Q7.6") == "Partial"  # identified as an adult
    assert answer("Child B", "Police", "Q6.5") == "No"  # DA incident not shared


def test_statutory_visits_are_asked_only_of_social_care(demo: DemoSummary) -> None:
    sectors = set(
        Answer.objects.filter(question__code="Q7.2").values_list(
            "agency_return__agency__sector", flat=True
        )
    )
    assert sectors == {"social_care"}


def test_tool_has_real_questions_linked_to_scr_georgia(demo: DemoSummary) -> None:
    version = audit().tool_version
    questions = Question.objects.filter(section__version=version)
    assert 30 <= questions.count() <= 40
    assert questions.filter(standard__startswith="CPPCR 2010 reg 28").exists()
    linked = questions.exclude(learning_point=None)
    assert linked.count() == len(data.SCR_GEORGIA.learning_points)
    assert all(q.section.title == "Learning from previous reviews" for q in linked)


def test_findings_keep_the_brief_words(demo: DemoSummary) -> None:
    findings = Finding.objects.filter(audit=audit())
    worries = findings.filter(heading=Heading.WORRY).order_by("order")
    assert [finding.text for finding in worries] == BRIEF_WORRIES
    assert findings.filter(heading=Heading.GOOD_PRACTICE).count() == 11
    assert findings.filter(heading=Heading.LEARNING).count() == 3

    identity = findings.get(text__contains="'she/her'")
    assert identity.attribution == "school, foster carer"
    ehe = findings.get(text__startswith="Good practice from Elective Home Education Team")
    assert ehe.attribution == "Elective Home Education Team"
    assert list(ehe.agencies.values_list("short_name", flat=True)) == ["Education"]

    domestic_abuse = findings.get(title="Domestic abuse while children are in care")
    assert "Police agreed to add a flag" in domestic_abuse.needs_to_happen
    assert [a.short_name for a in domestic_abuse.taken_forward_by.all()] == ["Police"]
    gps = findings.get(title="Asylum seeking children information shared with GPs")
    assert [a.short_name for a in gps.taken_forward_by.all()] == ["BNSSG"]
    criminal = findings.get(title="Children looked after and criminal behaviour")
    assert "Reducing criminalisation of CLA and Care Leavers" in criminal.needs_to_happen


def test_escalations_public_text_names_no_child(demo: DemoSummary) -> None:
    escalations = list(Escalation.objects.filter(audit=audit()))
    assert len(escalations) == 3
    names = [identity.full_name for identity in ChildIdentity.objects.all()]
    names += list(audit().cases.values_list("pseudonym", flat=True))
    for escalation in escalations:
        assert escalation.public_summary and escalation.public_outcome
        public = f"{escalation.public_summary} {escalation.public_outcome}"
        assert not [name for name in names if name in public], public
        assert escalation.acknowledged_at is not None
        assert escalation.from_return is not None


def test_identifiers_are_obviously_fictional_and_match_the_ages(demo: DemoSummary) -> None:
    for identity in ChildIdentity.objects.select_related("case"):
        assert identity.full_name.startswith("Demo Child ")
        assert identity.la_child_id.startswith("DEMO")
        assert identity.nhs_number.startswith("999")
        assert not valid_nhs_check_digit(identity.nhs_number)
        born = dt.date.fromisoformat(identity.date_of_birth)
        assert (data.AUDIT_DAY - born).days // 7 == identity.case.age_weeks


def valid_nhs_check_digit(number: str) -> bool:
    digits = [int(d) for d in number]
    check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9]


def test_actions_cover_each_theme_for_learning(demo: DemoSummary) -> None:
    actions = Action.objects.filter(audit=audit())
    for theme in Finding.objects.filter(audit=audit(), heading=Heading.LEARNING):
        assert theme.actions.exists(), theme.title
    done_before = actions.get(description__startswith="When there is a strategy discussion")
    assert done_before.status == ActionStatus.DONE
    flag = actions.get(owners__short_name="Police", findings__title__startswith="Domestic")
    assert flag.status == ActionStatus.VERIFIED and flag.updates.count() >= 2
    protocol = actions.get(description__contains="Reducing criminalisation")
    assert {a.short_name for a in protocol.owners.all()} == {"Social Care", "Police", "YOT"}


def test_resources_list_each_link_of_the_brief(demo: DemoSummary) -> None:
    resources = Resource.objects.filter(audit=audit())
    assert resources.count() == 6
    eit = resources.get(kind="tool")
    assert eit.description == "If there is a risk of exploitation an EIT should be completed"
    assert all(
        url.startswith("https://example.org/") for url in resources.values_list("url", flat=True)
    )


def test_every_demo_login_signs_in_with_the_demo_password(demo: DemoSummary) -> None:
    assert [label for label, _ in demo.logins] == [
        "Coordinator",
        "Agency auditor (Police)",
        "Agency lead (Police)",
        "Panel member (chair)",
        "Reader",
        "Administrator",
    ]
    for _, email in demo.logins:
        assert authenticate(email=email, password=data.DEMO_PASSWORD) is not None, email
    assert audit().coordinators.filter(email=data.COORDINATOR).exists()
    assert audit().panel_memberships.get(user__email=data.PANEL_CHAIR).is_chair
    police_roles = RoleAssignment.objects.filter(agency__short_name="Police")
    assert {r.role for r in police_roles} == {Role.AGENCY_AUDITOR, Role.AGENCY_LEAD}
