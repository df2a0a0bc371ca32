"""Setting up an audit in a real browser, and every planning page checked by axe-core.

A coordinator signs in, starts an audit, adds an agency and a child, and records which
agencies knew the child; each page, including forms showing their errors, has no WCAG 2.2 AA
violations that axe can find, and loads without browser errors (CSP included).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from maca.accounts.models import Role
from maca.audits.models import AgencyInvolvement, AgencyReturn, Answer, Audit, Case
from maca.identifiers.models import ChildIdentity
from maca.learning.models import Review
from maca.planning import services
from tests.factories import PASSWORD, AgencyFactory, build_audit, person_with_role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHILD_NAME = "Ottoline Fictionalperson"
NHS_NUMBER = "4010232137"


def check(page: Page, page_errors: list[str], *, title_starts: str | None = None) -> None:
    """One h1, no axe violations, nothing the browser complained about."""
    from tests.browser.helpers import assert_no_axe_violations

    expect(page.locator("h1")).to_have_count(1)
    if title_starts:
        assert page.title().startswith(title_starts), page.title()
    assert_no_axe_violations(page)
    assert page_errors == [], page_errors
    page_errors.clear()


def test_coordinator_sets_up_an_audit(page: Page, page_errors: list[str], live_server: Any):
    from tests.browser.helpers import sign_in

    coordinator = person_with_role(Role.COORDINATOR, email="planner@test.maca.test")
    AgencyFactory.create(name="Example Police", short_name="Police", sector="police")
    sign_in(page, live_server, coordinator.email, PASSWORD)

    # Start the audit: first with nothing filled in, then properly.
    page.goto(f"{live_server.url}/audits/")
    page.get_by_role("link", name="Start a new audit").click()
    check(page, page_errors)
    page.get_by_role("button", name="Start the audit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter title")
    check(page, page_errors, title_starts="Error:")
    page.get_by_label("Title").fill("Children placed out of area, spring")
    page.get_by_label("Theme").fill("Children looked after placed out of area")
    page.get_by_role("button", name="Start the audit").click()
    expect(page.locator("h1")).to_have_text("Set-up")
    check(page, page_errors)
    audit = Audit.objects.get()
    assert list(audit.coordinators.all()) == [coordinator]

    # Agencies: add a new one (after a failed try), then tick the existing one too.
    page.get_by_role("link", name="Agencies").first.click()
    check(page, page_errors)
    page.get_by_role("link", name="Add an agency that is not listed").click()
    check(page, page_errors)
    page.get_by_role("button", name="Add the agency").click()
    check(page, page_errors, title_starts="Error:")
    page.get_by_label("Name of the agency").fill("Example Community Health")
    page.get_by_label("Short name").fill("Community health")
    page.get_by_label("Health", exact=True).check()
    page.get_by_role("button", name="Add the agency").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Example Community Health")
    page.get_by_label("Example Police").check()
    page.get_by_role("button", name="Save agencies").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    check(page, page_errors)
    assert {a.short_name for a in audit.agencies.all()} == {"Police", "Community health"}

    # A child, first with mistakes, then with identifiers that must never show again.
    page.goto(f"{live_server.url}/audits/{audit.slug}/plan/children/")
    check(page, page_errors)
    page.get_by_role("link", name="Add a child").click()
    check(page, page_errors)
    page.get_by_label("Pseudonym").fill("")
    page.get_by_label("NHS number (optional)").fill("123")
    page.get_by_role("button", name="Add the child").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("NHS number must be 10 digits")
    check(page, page_errors, title_starts="Error:")
    page.get_by_label("Pseudonym").fill("Child A")
    page.get_by_label("Years", exact=True).fill("14")
    page.get_by_label("Months", exact=True).fill("2")
    page.get_by_label("Exploitation risk").check()
    page.get_by_label("Legal status").select_option("C2")
    page.get_by_role("group", name="Placed out of area?").get_by_label("Yes").check()
    page.get_by_label("Full name (optional)").fill(CHILD_NAME)
    page.get_by_label("NHS number (optional)").fill(NHS_NUMBER)
    page.get_by_role("button", name="Add the child").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Child A added")
    check(page, page_errors)
    case = Case.objects.get(audit=audit)
    identity = ChildIdentity.objects.get(case=case)
    assert (identity.full_name, identity.nhs_number) == (CHILD_NAME, NHS_NUMBER)
    assert CHILD_NAME not in page.content() and NHS_NUMBER not in page.content()
    page.get_by_role("link", name="Change Child A").click()
    check(page, page_errors)
    assert CHILD_NAME not in page.content() and NHS_NUMBER not in page.content()

    # Which agencies knew the child: Police did not (a nil return), health did.
    page.goto(f"{live_server.url}/audits/{audit.slug}/plan/involvement/")
    check(page, page_errors)
    page.get_by_role("radiogroup", name="Did Police know Child A?").get_by_label(
        "Not involved (nil return)"
    ).check()
    page.get_by_role("radiogroup", name="Did Community health know Child A?").get_by_label(
        "Involved", exact=True
    ).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 return opened")
    check(page, page_errors)
    statuses = dict(
        AgencyInvolvement.objects.filter(case=case).values_list("agency__short_name", "status")
    )
    assert statuses == {"Police": "not_involved", "Community health": "involved"}
    assert AgencyReturn.objects.get(case=case).agency.short_name == "Community health"
    assert CHILD_NAME not in page.content()


def test_every_planning_page_is_accessible(
    page: Page, page_errors: list[str], live_server: Any, subtests: pytest.Subtests
):
    from tests.browser.helpers import sign_in

    built = build_audit(cases=3, agencies=3, status="moderation")
    slug = built.audit.slug
    tool, _ = services.ready_tool_add(slug="cla-out-of-area")
    version = tool.versions.get()
    section = version.sections.order_by("order")[0]
    frozen = services.tool_copy(version=version, name="Frozen tool").versions.get()
    frozen_question = frozen.sections.order_by("order")[0].questions.order_by("order")[0]
    services.tool_version_freeze(version=frozen)
    review = Review.objects.create(title="Fictional SCR", short_name="FSCR", kind="scr")
    services.audit_review_link(audit=built.audit, review=review, relationship="checks_embedded")
    case = built.cases[0]
    started = AgencyReturn.objects.filter(case=case).select_related("agency")[0]
    Answer.objects.create(agency_return=started, question=frozen_question, text_value="x")
    built.coordinator.email = "coordinator@test.maca.test"
    built.coordinator.save()
    sign_in(page, live_server, built.coordinator.email, PASSWORD)

    base = live_server.url
    tool_base = f"{base}/tools/{tool.slug}/v1"
    pages = [
        "/tools/",
        "/tools/new/",
        f"/tools/{tool.slug}/",
        f"/tools/{tool.slug}/edit/",
        f"/tools/{tool.slug}/v1/",
        f"/tools/{tool.slug}/v1/notes/",
        f"/tools/{tool.slug}/v1/sections/new/",
        f"/tools/{tool.slug}/v1/sections/{section.pk}/edit/",
        f"/tools/{tool.slug}/v1/sections/{section.pk}/delete/",
        f"/tools/{tool.slug}/v1/sections/{section.pk}/questions/new/",
        f"/tools/{frozen.tool.slug}/v1/",
        f"/tools/{frozen.tool.slug}/v1/questions/{frozen_question.pk}/edit/",
        f"/audits/{slug}/plan/",
        f"/audits/{slug}/plan/details/",
        f"/audits/{slug}/plan/stage/",
        f"/audits/{slug}/plan/stage/forward/",
        f"/audits/{slug}/plan/agencies/",
        f"/audits/{slug}/plan/agencies/new/",
        f"/audits/{slug}/plan/tool/",
        f"/audits/{slug}/plan/reviews/",
        f"/audits/{slug}/plan/reviews/new/",
        f"/audits/{slug}/plan/children/",
        f"/audits/{slug}/plan/children/{case.pk}/remove/",
        f"/audits/{slug}/plan/involvement/",
        f"/audits/{slug}/",
    ]
    for path in pages:
        with subtests.test(path=path):
            page_errors.clear()
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status == 200, path
            check(page, page_errors)

    # Forms showing their errors.
    error_pages = [
        (f"{tool_base}/sections/{section.pk}/questions/new/", "Add the question", None),
        (f"{tool_base}/sections/new/", "Add the section", None),
        (f"{base}/tools/new/", "Create the tool", None),
        (f"{base}/audits/{slug}/plan/details/", "Save the plan", ("Title", "")),
        (f"{base}/audits/{slug}/plan/reviews/", "Link the review", None),
        (f"{base}/audits/{slug}/plan/reviews/new/", "Record and link the review", None),
        (f"{base}/audits/{slug}/plan/agencies/", "Save agencies", "untick"),
    ]
    for url, button, action in error_pages:
        with subtests.test(errors=url):
            page_errors.clear()
            page.goto(url)
            if action == "untick":
                for box in page.locator("input[name=agencies]").all():
                    box.uncheck()
            elif action:
                page.get_by_label(action[0], exact=True).fill(action[1])
            page.get_by_role("button", name=button).click()
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            check(page, page_errors, title_starts="Error:")

    with subtests.test(errors="involvement refused"):
        page.goto(f"{base}/audits/{slug}/plan/involvement/")
        group = page.get_by_role(
            "radiogroup", name=f"Did {started.agency.short_name} know {case.pseudonym}?"
        )
        group.get_by_label("Not known yet").check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("must stay involved")
        check(page, page_errors, title_starts="Error:")

    with subtests.test(errors="case removal refused"):
        page.goto(f"{base}/audits/{slug}/plan/children/{case.pk}/remove/")
        page.get_by_role("button", name=f"Remove {case.pseudonym}").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("cannot be removed")
        check(page, page_errors, title_starts="Error:")

    with subtests.test(errors="frozen version refused"):
        page.goto(f"{base}/tools/{frozen.tool.slug}/v1/")
        page.get_by_role("button", name="Edit this tool").click()
        expect(page.locator("h1")).to_contain_text("Version 2")
        check(page, page_errors)

    with subtests.test(errors="brief template section without a heading"):
        from maca.reports.brief_templates import brief_template_copy, shipped_templates_ensure
        from maca.reports.models import BriefTemplateVersion

        shipped_templates_ensure()
        learning = BriefTemplateVersion.objects.get(template__slug="learning-brief")
        own = brief_template_copy(version=learning, name="Fictional partnership brief")
        page.goto(f"{base}/brief-templates/{own.slug}/1/")
        page.get_by_label("Heading", exact=True).first.fill("")
        page.get_by_role("button", name="Save the sections").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter heading")
        check(page, page_errors, title_starts="Error:")

    with subtests.test(errors="moving on without a reason, then with one"):
        page.goto(f"{base}/audits/{slug}/plan/stage/forward/")
        expect(page.locator("#outstanding")).to_contain_text("no agreed overall grade")
        page.get_by_role("button", name="Yes, move it to Findings").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason")
        check(page, page_errors, title_starts="Error:")
        page.get_by_label("Why move on now?").fill("The panel grades at its next meeting.")
        page.get_by_role("button", name="Yes, move it to Findings").click()
        expect(page.locator("h1")).to_have_text("Stage of the audit")
        expect(page.locator("dl")).to_contain_text("The panel grades at its next meeting.")
        check(page, page_errors)  # the stage page listing the move and its reason
