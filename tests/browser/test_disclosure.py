"""The disclosure check in a real browser: a coordinator finds what a finding gives away,
fails to accept it without a reason, accepts it with one, and then may publish. Every page on
the way has no WCAG 2.2 AA violations that axe can find and loads without browser errors."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from maca.audits.models import AuditStatus
from maca.identifiers.models import ChildIdentity
from maca.learning.models import Finding, Heading
from tests.factories import PASSWORD, build_audit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def check(page: Page, page_errors: list[str], *, title_starts: str | None = None) -> None:
    from tests.browser.helpers import assert_no_axe_violations

    expect(page.locator("h1")).to_have_count(1)
    if title_starts:
        assert page.title().startswith(title_starts), page.title()
    assert_no_axe_violations(page)
    assert page_errors == [], page_errors
    page_errors.clear()


def test_coordinator_resolves_the_check_then_publishes(
    page: Page, page_errors: list[str], live_server: Any
):
    from tests.browser.helpers import sign_in

    built = build_audit(cases=2, agencies=2, findings=3, status=AuditStatus.FINDINGS)
    ChildIdentity.objects.create(
        case=built.cases[0], full_name="Ottoline Fictionalperson", date_of_birth="2012-05-04"
    )
    worry = Finding.objects.filter(audit=built.audit, heading=Heading.WORRY).first()
    assert worry is not None
    worry.text = "Ottoline was placed at BS1 4DJ, far from her school."
    worry.save()
    slug = built.audit.slug
    sign_in(page, live_server, built.coordinator.email, PASSWORD)

    # Publishing is refused, and the refusal leads to the check.
    page.goto(f"{live_server.url}/audits/{slug}/plan/stage/forward/")
    expect(page.locator("main")).to_contain_text("The disclosure check found 2 things")
    check(page, page_errors)
    page.get_by_role("link", name="Go to the disclosure check").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("2 to resolve")
    expect(page.locator("mark").first).to_have_text("Ottoline")
    check(page, page_errors)

    # No reason: an error naming the field; then with a reason for each.
    page.get_by_role("button", name="Accept name of a child in this audit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why this can stay")
    check(page, page_errors, title_starts="Error:")
    page.get_by_label("Why this can stay").first.fill("A fictional name agreed with the chair.")
    page.get_by_role("button", name="Accept name of a child in this audit").click()
    page.get_by_label("Why this can stay").first.fill("The school's public postcode.")
    page.get_by_role("button", name="Accept postcode").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("Nothing to resolve")
    expect(page.locator("table")).to_contain_text("The school's public postcode.")
    check(page, page_errors)

    page.goto(f"{live_server.url}/audits/{slug}/plan/stage/forward/")
    # Returns and escalations of this small audit are still outstanding: say why to move on.
    page.get_by_label("Why move on now?").fill("The panel agreed to publish what it has.")
    page.get_by_role("button", name="Yes, move it to Published").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("now at Published")
    built.audit.refresh_from_db()
    assert built.audit.status == AuditStatus.PUBLISHED

    # After publication an edit is a draft of version 2: compared, then published through
    # the check again. The comparison reads on a phone-sized screen too.
    worry.refresh_from_db()
    worry.text = "A later finding: placements far from home broke school routines."
    worry.save()
    page.goto(f"{live_server.url}/audits/{slug}/brief/")
    expect(page.locator(".maca-draft-notice")).to_contain_text("The draft of version 2 differs")
    check(page, page_errors)
    page.get_by_role("link", name="Compare the draft with version 1").click()
    expect(page.locator("main")).to_contain_text("What we are worried about")
    expect(page.locator(".maca-diff")).to_contain_text("broke school routines")
    check(page, page_errors)
    page.set_viewport_size({"width": 375, "height": 800})
    check(page, page_errors)
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 2 is published")
    check(page, page_errors)
