"""Returns and escalations in a real browser, every page checked by axe-core.

An auditor signs in, fills in a return part by part from its task list, then on one page
(autosave included), submits it, and raises an escalation from it; the receiving agency's
lead acknowledges it; the coordinator sees the return on the grid, sends it back with a
comment, records the action taken and closes the escalation. Each page, including forms
showing their errors, has no WCAG 2.2 AA violations axe can find, and loads with no browser
error (so nothing broke the CSP).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from maca.audits.models import AgencyReturn, Escalation, Question, ReturnStatus
from maca.returns.tests.conftest import World, build_world
from tests.browser.helpers import assert_no_axe_violations, sign_in
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def check(page: Page, page_errors: list[str], *, errors: bool = False) -> None:
    """One h1, no axe violations, no browser complaints; with `errors`, an error summary and a
    title starting "Error:"."""
    expect(page.locator("h1")).to_have_count(1)
    if errors:
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert page.title().startswith("Error:"), page.title()
    assert_no_axe_violations(page)
    assert page_errors == [], page_errors
    page_errors.clear()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def q(world: World, code: str) -> int:
    return Question.objects.get(section__version=world.version, code=code).pk


def fill_return(page: Page, world: World) -> None:
    page.get_by_label("Your role").fill("Named nurse (fictional)")
    page.get_by_label("Period reviewed").fill("1 December 2025 to 30 November 2026")
    page.get_by_label("Records examined").fill("The health record.")
    page.locator("input[name='auditor_was_involved'][value='no']").check()
    page.locator(f"#q{q(world, 'Q1.1')}").fill("Fictional involvement.")
    page.locator(f"#q{q(world, 'Q1.2')}-day").fill("3")
    page.locator(f"#q{q(world, 'Q1.2')}-month").fill("2")
    page.locator(f"#q{q(world, 'Q1.2')}-year").fill("2026")
    page.locator(f"#q{q(world, 'Q1.3')}").check()
    page.locator(f"input[name='q{q(world, 'Q2.1')}'][value='yes']").check()
    page.locator(f"#q{q(world, 'Q2.1')}_evidence").fill("Transfer document on file.")
    page.locator(f"input[name='q{q(world, 'Q2.2')}'][value='Nurse']").check()
    page.locator(f"#q{q(world, 'Q2.3')}").fill("4")
    page.locator(f"input[name='q{q(world, 'Q2.4')}'][value='6']").check()
    page.locator(f"#q{q(world, 'Q2.4')}_reason").fill("Safe enough, with work to do.")
    section = world.version.sections.get(order=2).pk
    page.locator(f"input[name='s{section}_grade'][value='good']").check()
    page.locator(f"#s{section}_grade_reason").fill("Standards met, with evidence.")
    page.locator("input[name='overall_grade'][value='good']").check()
    page.get_by_label("Reason for the overall grade").fill("Standards met.")
    page.get_by_label("I have an immediate concern about this child's safety now").check()


def test_return_and_escalation_from_start_to_finish(
    page: Page, page_errors: list[str], live_server: Any
) -> None:
    world = build_world()
    base = live_server.url
    slug = world.audit.slug

    # --- The auditor fills in and submits the return --------------------------------------
    sign_in(page, live_server, world.auditor_a.email, PASSWORD)
    page.get_by_role("link", name="Your work").click()
    expect(page.locator("h1")).to_have_text("Your work")
    check(page, page_errors)
    page.get_by_role("link", name=re.compile(rf"{world.case.pseudonym}")).first.click()
    expect(page.locator("h1")).to_contain_text(f"return for {world.case.pseudonym}")
    expect(page.locator(".govuk-task-list")).to_be_visible()
    expect(page.locator("#part-about-status")).to_have_text("Not started")
    check(page, page_errors)  # the task list of the return's parts

    # Part by part: "About this return" on its own page, nothing chosen for the auditor.
    page.get_by_role("link", name="About this return").click()
    expect(page.locator("h1")).to_have_text("About this return")
    expect(page.locator("input[name='auditor_was_involved']:checked")).to_have_count(0)
    check(page, page_errors)
    page.get_by_role("button", name="Save and continue").click()  # a draft needs nothing
    expect(page.locator("h1")).to_have_text(re.compile(r"^1\. "))
    check(page, page_errors)  # section 1's own page
    page.get_by_role("link", name="Back to the parts of the return").click()
    page.get_by_role("link", name="About this return").click()
    page.get_by_label("Your role").fill("Named nurse (fictional)")
    page.get_by_label("Period reviewed").fill("1 December 2025 to 30 November 2026")
    page.get_by_label("Records examined").fill("The health record.")
    page.locator("input[name='auditor_was_involved'][value='no']").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^1\. "))
    page.get_by_role("link", name="Back to the parts of the return").click()
    expect(page.locator("#part-about-status")).to_have_text("Completed")
    expect(page.locator("#part-summary-status")).to_have_text("Not started")
    check(page, page_errors)

    # Submitting from the list with parts missing shows every part on one page, each problem
    # named; a grade without its reason is named too.
    page.get_by_role("button", name="Submit the return").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("choose an answer")
    page.locator(f"input[name='q{q(world, 'Q2.4')}'][value='6']").check()
    page.get_by_role("button", name="Submit the return").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Q2.1 Was a transfer document sent?: choose an answer")
    expect(summary).to_contain_text("Q2.4: give a reason for the grade")
    check(page, page_errors, errors=True)
    # The error summary's links move to the field at fault.
    summary.get_by_role("link", name=re.compile("Q2.1 Was a transfer")).click()
    expect(page.locator(f"#q{q(world, 'Q2.1')}")).to_be_focused()

    # Autosave (JavaScript): a change is saved within about 20 seconds, and says so.
    page.get_by_label("Your role").fill("Autosaved role (fictional)")
    expect(page.locator("#autosave-status")).to_contain_text("Saved at", timeout=30_000)
    assert AgencyReturn.objects.get(agency=world.agency_a).auditor_role == (
        "Autosaved role (fictional)"
    )

    fill_return(page, world)
    page.get_by_role("button", name="Submit the return").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Return submitted")
    expect(page.locator("main .govuk-tag").first).to_have_text("Submitted")
    check(page, page_errors)
    agency_return = AgencyReturn.objects.get(agency=world.agency_a)
    assert agency_return.status == ReturnStatus.SUBMITTED

    # --- ... and raises an escalation from it ---------------------------------------------
    expect(page.locator(".govuk-warning-text").first).to_contain_text("immediate concern")
    page.get_by_role("link", name="Raise an escalation").click()
    expect(page.locator("h1")).to_have_text("Raise an escalation")
    check(page, page_errors)
    page.get_by_role("button", name="Raise the escalation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose how urgent it is")
    check(page, page_errors, errors=True)
    page.get_by_label("Which agency does it go to?").select_option(label=world.agency_b.name)
    page.get_by_label("Immediate safeguarding").check()
    page.get_by_label("The concern").fill("Fictional: the child was seen with unknown adults.")
    page.get_by_label("Summary for the learning brief").fill(
        "A child at risk of exploitation was seen with unknown adults"
    )
    page.get_by_role("button", name="Raise the escalation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Escalation raised")
    check(page, page_errors)
    # The same again warns first, listing the open one, and raises nothing yet.
    page.goto(f"{base}/audits/{slug}/escalations/new/?return={agency_return.pk}")
    page.get_by_label("Which agency does it go to?").select_option(label=world.agency_b.name)
    page.get_by_label("Immediate safeguarding").check()
    page.get_by_label("The concern").fill("Fictional: seen again with unknown adults.")
    page.get_by_label("Summary for the learning brief").fill("A second sighting (fictional)")
    page.get_by_role("button", name="Raise the escalation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "An escalation like this is already open"
    )
    expect(page.get_by_role("button", name="Raise it as a new escalation")).to_be_visible()
    check(page, page_errors)
    escalation = Escalation.objects.get()
    assert escalation.from_return == agency_return
    sign_out(page)

    # --- The receiving agency's lead acknowledges it --------------------------------------
    sign_in(page, live_server, world.lead_b.email, PASSWORD)
    page.goto(f"{base}/dashboard/")
    page.get_by_role("link", name=re.compile("Immediate safeguarding")).first.click()
    check(page, page_errors)
    page.get_by_label("Response (optional)").fill("Strategy discussion booked for today.")
    page.get_by_role("button", name="Acknowledge the escalation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("acknowledged")
    check(page, page_errors)
    sign_out(page)

    # --- The coordinator sees the return on the grid and sends it back --------------------
    sign_in(page, live_server, world.coordinator.email, PASSWORD)
    page.goto(f"{base}/audits/{slug}/returns/")
    check(page, page_errors)
    page.get_by_role(
        "link", name=re.compile(rf"{world.agency_a.short_name} return for {world.case.pseudonym}")
    ).click()
    expect(page.locator("h1")).to_contain_text(world.agency_a.name)
    check(page, page_errors)  # the return, read-only
    page.get_by_role("link", name="Send it back with a comment").click()
    check(page, page_errors)
    page.get_by_role("button", name="Send the return back").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what needs to change")
    check(page, page_errors, errors=True)
    page.get_by_label("What needs to change").fill("Add the dates of the visits.")
    page.get_by_role("button", name="Send the return back").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Return sent back")
    check(page, page_errors)
    agency_return.refresh_from_db()
    assert agency_return.status == ReturnStatus.SENT_BACK

    # The offline route's page, with and without an error.
    page.goto(f"{base}/audits/{slug}/cases/{world.case.pk}/returns/{world.agency_a.pk}/upload/")
    check(page, page_errors)
    page.get_by_role("button", name="Upload and check").click()
    check(page, page_errors, errors=True)

    # --- ... records the action taken and closes the escalation ---------------------------
    page.goto(f"{base}/audits/{slug}/escalations/")
    check(page, page_errors)
    page.get_by_role("link", name=re.compile("Immediate safeguarding")).click()
    page.get_by_role("button", name="Record the action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the action taken")
    check(page, page_errors, errors=True)
    page.get_by_label("Action taken").fill("Strategy discussion held; safety plan updated.")
    page.get_by_role("button", name="Record the action").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action recorded")
    page.get_by_label("Outcome", exact=True).fill("The child is safe and the adults are known.")
    page.get_by_label("Outcome for the learning brief").fill(
        "A strategy discussion was held and the child's safety plan updated"
    )
    page.get_by_role("button", name="Close the escalation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("closed")
    check(page, page_errors)
    escalation.refresh_from_db()
    assert escalation.status == Escalation.Status.RESOLVED

    page.goto(f"{base}/dashboard/")
    check(page, page_errors)
    page.goto(f"{base}/audits/{slug}/cases/{world.case.pk}/")
    check(page, page_errors)
    sign_out(page)

    # --- The auditor sees what needs to change --------------------------------------------
    sign_in(page, live_server, world.auditor_a.email, PASSWORD)
    page.goto(f"{base}/audits/{slug}/cases/{world.case.pk}/returns/{world.agency_a.pk}/")
    expect(page.locator(".maca-review-comment")).to_contain_text("Add the dates of the visits.")
    check(page, page_errors)


def test_demo_returns_pages_are_accessible(
    page: Page, page_errors: list[str], live_server: Any, subtests: pytest.Subtests
) -> None:
    """The real tool's full form and the demo audit in progress, for each persona."""
    from maca.audits.models import Audit
    from maca.demo import current_audit, data
    from maca.demo.services import demo_load

    demo_load()
    audit = Audit.objects.get(slug=current_audit.SLUG)
    case = audit.cases.get(pseudonym="Child R")
    police = audit.audit_agencies.get(agency__short_name="Police").agency
    camhs = audit.audit_agencies.get(agency__short_name="Camhs").agency
    personas = {
        data.auditor_email("Police"): [
            "/dashboard/",
            f"/audits/{audit.slug}/cases/{case.pk}/returns/{police.pk}/",
            f"/audits/{audit.slug}/escalations/",
        ],
        data.lead_email("Social Care"): ["/dashboard/", f"/audits/{audit.slug}/escalations/"],
        data.COORDINATOR: [
            "/dashboard/",
            f"/audits/{audit.slug}/returns/",
            f"/audits/{audit.slug}/cases/{case.pk}/returns/{camhs.pk}/",
            f"/audits/{audit.slug}/escalations/",
        ],
    }
    for email, paths in personas.items():
        sign_in(page, live_server, email, data.DEMO_PASSWORD)
        for path in paths:
            with subtests.test(persona=email, path=path):
                page_errors.clear()
                response = page.goto(f"{live_server.url}{path}")
                assert response is not None and response.status == 200, path
                check(page, page_errors)
        if email == data.COORDINATOR:
            with subtests.test(persona=email, path="withdrawing an escalation"):
                _withdraw_one(page, page_errors, live_server.url, audit)
        sign_out(page)


def _withdraw_one(page: Page, page_errors: list[str], base: str, audit: Any) -> None:
    """The coordinator withdraws an open escalation: refused without a reason, then done."""
    open_one = Escalation.objects.filter(audit=audit, status=Escalation.Status.RAISED).first()
    assert open_one is not None
    page.goto(f"{base}/audits/{audit.slug}/escalations/{open_one.pk}/")
    page.get_by_text("Withdraw this escalation").click()
    page.get_by_role("button", name="Withdraw the escalation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the escalation")
    check(page, page_errors, errors=True)
    page.get_by_label("Why is it being withdrawn?").fill("Raised in error (fictional).")
    page.get_by_role("button", name="Withdraw the escalation").click()
    expect(page.locator(".govuk-summary-list").first).to_contain_text(
        "Raised in error (fictional)."
    )
    check(page, page_errors)
    open_one.refresh_from_db()
    assert open_one.status == Escalation.Status.WITHDRAWN
