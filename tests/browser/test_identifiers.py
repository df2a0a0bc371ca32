"""Child identifiers in a real browser: the coordinator's reveal with a reason, the access log,
retention holds and an agency's own reference, each checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from maca.audits.models import Case
from tests.browser.helpers import assert_no_axe_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEMO_AUDIT = "cla-out-of-area-2022"


@pytest.fixture
def demo_password(transactional_db: None) -> str:
    from maca.demo.data import DEMO_PASSWORD
    from maca.demo.services import demo_load

    demo_load()
    return DEMO_PASSWORD


def first_case() -> Case:
    case = Case.objects.filter(audit__slug=DEMO_AUDIT).order_by("order").first()
    assert case is not None
    return case


def test_coordinator_reveals_identifiers_with_a_reason_and_finds_it_logged(
    page: Page, page_errors: list[str], live_server: Any, demo_password: str
) -> None:
    case = first_case()
    sign_in(page, live_server, "coordinator@demo.maca.test", demo_password)
    page.goto(f"{live_server.url}/audits/{DEMO_AUDIT}/cases/{case.pk}/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=f"Reveal identifiers of {case.pseudonym}").click()
    expect(page.locator("h1")).to_contain_text(f"Reveal the identifiers of {case.pseudonym}")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Reveal identifiers").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what you need")
    assert_no_axe_violations(page)

    page.get_by_label("What do you need the identifiers for?").select_option("escalation")
    page.get_by_label("Reason").fill("Following up the escalation to the police about contact")
    page.get_by_role("button", name="Reveal identifiers").click()
    expect(page.locator("h1")).to_contain_text(f"Identifiers of {case.pseudonym}")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Name")
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/identifiers/access-log/")
    expect(page.locator("table")).to_contain_text("Following up the escalation to the police")
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/audits/{DEMO_AUDIT}/retention/")
    page.get_by_role("button", name="Set a hold").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for the hold")
    assert_no_axe_violations(page)
    page.get_by_label("Reason").fill("A complaint about the audit is still open")
    page.get_by_role("button", name="Set a hold").click()
    expect(page.locator("main")).to_contain_text("On hold")
    assert_no_axe_violations(page)
    assert page_errors == []


def test_agency_auditor_sets_its_own_reference(
    page: Page, page_errors: list[str], live_server: Any, demo_password: str
) -> None:
    case = (
        Case.objects.filter(audit__slug=DEMO_AUDIT, involvements__agency__short_name="Police")
        .order_by("order")
        .first()
    )
    assert case is not None
    sign_in(page, live_server, "auditor.police@demo.maca.test", demo_password)
    page.goto(f"{live_server.url}/audits/{DEMO_AUDIT}/cases/{case.pk}/")
    expect(page.locator("main")).to_contain_text("Police's reference")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Police's reference").click()
    expect(page.get_by_label("Your agency's reference for the child (optional)")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Your agency's reference for the child (optional)").fill("PN-0042-FICT")
    page.get_by_role("button", name="Save the reference").click()
    expect(page.locator("main")).to_contain_text("PN-0042-FICT")
    assert_no_axe_violations(page)
    assert page_errors == []
