"""End to end in a real browser: the panel chair moderates a child of the demo audit, agrees
grades, records a finding and an action and takes it to done; the coordinator verifies it with
evidence of impact; the report reflects all of it. Every new page passes axe-core, and every
chart has a text alternative and a data table. No JavaScript is needed for any of it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_axe_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AUDIT = "cla-out-of-area-2022"
EARLIER = "cla-out-of-area-2020"
PANEL = "panel@demo.maca.test"
COORDINATOR = "coordinator@demo.maca.test"
ACTION = "Share every safety plan with the child's school within two working days"


@pytest.fixture
def demo(transactional_db: None) -> dict[str, Any]:
    from maca.audits.models import Audit, Question
    from maca.demo.data import DEMO_PASSWORD
    from maca.demo.services import demo_load

    demo_load()
    audit = Audit.objects.get(slug=AUDIT)
    question = Question.objects.get(section__version=audit.tool_version, code="Q5.4")
    child = audit.cases.get(pseudonym="Child E")
    return {
        "password": DEMO_PASSWORD,
        "question": question.pk,
        "child": child.pk,
        "finding": audit.findings.order_by("pk").first().pk,  # type: ignore[union-attr]
        "action": audit.actions.order_by("pk").first().pk,  # type: ignore[union-attr]
    }


def _open(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert page.locator("h1").count() == 1


def _check_page(page: Page, page_errors: list[str]) -> None:
    assert_no_axe_violations(page)
    assert page_errors == [], page_errors
    for svg in page.locator("svg[role='img']").all():
        labelled_by = svg.get_attribute("aria-labelledby")
        assert labelled_by and (svg.locator(f"title#{labelled_by}").text_content() or "").strip()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_panel_moderates_records_a_finding_and_action_coordinator_verifies(
    page: Page, page_errors: list[str], live_server: Any, demo: dict[str, Any]
) -> None:
    base = live_server.url
    sign_in(page, live_server, PANEL, demo["password"])

    # The children, then one child with every agency's account side by side.
    _open(page, f"{base}/audits/{AUDIT}/moderation/")
    _check_page(page, page_errors)
    page.get_by_role("link", name="Child E", exact=True).click()
    expect(page.locator("h1")).to_have_text("Moderation: Child E")
    expect(page.get_by_text("Suggested (lowest agency grade)").first).to_be_visible()
    _check_page(page, page_errors)

    # Agreed grades, with reasons; a grade without a reason is refused first.
    grades = page.locator("form[action$='/grades/']")
    grades.get_by_label("Agreed grade: 5. Planning and intervention", exact=True).select_option(
        label="Requires improvement to be good"
    )
    grades.get_by_role("button", name="Record agreed grades").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the reason for the agreed grade for 5. Planning and intervention"
    )
    _check_page(page, page_errors)
    grades = page.locator("form[action$='/grades/']")
    grades.get_by_label("Reason for the agreed grade: 5. Planning and intervention").fill(
        "The safety plan was not shared with the school."
    )
    grades.get_by_label("Agreed grade: Overall", exact=True).select_option(
        label="Requires improvement to be good"
    )
    grades.get_by_label("Reason for the agreed grade: Overall").fill(
        "Safety plan not shared with the school; good therapeutic work."
    )
    grades.get_by_role("button", name="Record agreed grades").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Agreed grades recorded")

    # A finding about this child, then an action for it.
    finding = page.locator("form[action$='/findings/']")
    finding.get_by_label("What we are worried about").check()
    finding.get_by_label("What the panel found").fill(
        "The school did not have the safety plan of a child at risk of self-harm"
    )
    finding.get_by_label("Social Care", exact=True).check()
    finding.get_by_label("Education", exact=True).check()
    finding.get_by_label("Question, standard or earlier learning it relates to").select_option(
        value=str(demo["question"])
    )
    finding.get_by_role("button", name="Record finding and add an action").click()
    expect(page.locator("h1")).to_have_text("Add an action")
    _check_page(page, page_errors)
    page.get_by_label("Action", exact=True).fill(ACTION)
    page.get_by_label("Education – Education (schools and the Virtual School)").check()
    page.get_by_label("Named lead").fill("Head of the Virtual School")
    page.get_by_label("Due").fill("March 2023")
    page.get_by_label("Measure of success").fill("Every safety plan on the school's file")
    page.get_by_role("button", name="Add action").click()
    expect(page.locator("h1")).to_have_text("Action")
    expect(page.locator("main")).to_contain_text("March 2023")
    _check_page(page, page_errors)

    # The panel takes it to done; each step goes in the update log.
    for status in ("Agreed", "In progress", "Done"):
        page.get_by_label(status, exact=True).check()
        page.get_by_role("button", name="Update status").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Status updated")
    expect(page.locator("table")).to_contain_text("In progress to done")
    expect(page.get_by_role("button", name="Verify the action")).to_have_count(0)

    # The findings board shows the new finding with its action.
    _open(page, f"{base}/audits/{AUDIT}/findings/")
    expect(page.locator("main")).to_contain_text("The school did not have the safety plan")
    _check_page(page, page_errors)
    _sign_out(page)

    # The coordinator finds it in the tracker and verifies it with evidence of impact.
    sign_in(page, live_server, COORDINATOR, demo["password"])
    _open(page, f"{base}/actions/?status=done")
    _check_page(page, page_errors)
    page.get_by_role("link", name=ACTION).click()
    page.get_by_role("button", name="Verify the action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the evidence of impact")
    _check_page(page, page_errors)
    page.get_by_label("Evidence of impact").fill("Dip sample: 10 of 10 plans on the school file.")
    page.get_by_role("button", name="Verify the action").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action verified")
    expect(page.locator("main")).to_contain_text("Dip sample: 10 of 10 plans")

    # The report reflects the agreed grade, the finding's action and its verification.
    _open(page, f"{base}/audits/{AUDIT}/report/")
    main = page.locator("main")
    expect(main).to_contain_text(ACTION)
    expect(main).to_contain_text("2 closed with evidence of impact")
    agreed = page.locator("table", has_text="Grades agreed by the panel, by section")
    expect(agreed.locator("tr", has_text="5. Planning and intervention")).to_contain_text("1")
    assert page.locator("svg[role='img']").count() >= 6
    assert page.locator("table caption").count() >= 7
    _check_page(page, page_errors)

    # The other new pages pass axe too.
    for path in (
        f"/audits/{AUDIT}/7-minute-briefing/",
        f"/audits/{AUDIT}/compare/",
        f"/audits/{EARLIER}/report/",
        f"/audits/{AUDIT}/follow-up/",
        f"/audits/{AUDIT}/findings/{demo['finding']}/edit/",
        f"/audits/{AUDIT}/findings/{demo['finding']}/merge/",
        f"/actions/{demo['action']}/edit/",
        f"/actions/{demo['action']}/",
        f"/audits/{AUDIT}/findings/new/",
    ):
        page_errors.clear()
        _open(page, f"{base}{path}")
        _check_page(page, page_errors)
    expect(page.locator("main")).to_contain_text("Add a finding")


def test_pages_work_without_javascript(
    browser: Any, live_server: Any, demo: dict[str, Any]
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, live_server, PANEL, demo["password"])
        page.goto(f"{live_server.url}/audits/{AUDIT}/findings/")
        first = page.locator(".govuk-summary-card").nth(1)
        title = first.locator("h3").inner_text().split("(number")[0].strip()
        first.get_by_role("button", name="Move up").click()
        page.wait_for_load_state()
        top = page.locator(".govuk-summary-card").first.locator("h3").inner_text()
        assert top.split("(number")[0].strip() == title
        page.goto(f"{live_server.url}/audits/{AUDIT}/moderation/{demo['child']}/")
        page.locator("form[action$='/discrepancies/']").get_by_role(
            "button", name="Record discrepancy"
        ).click()
        assert (
            "Choose the agencies whose accounts differ"
            in page.locator(".govuk-error-summary").inner_text()
        )
    finally:
        context.close()
