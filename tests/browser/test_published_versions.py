"""Published means frozen, in a real browser: after publication the panel adds a finding for
the brief, readers go on seeing the published version, and the coordinator sees the draft,
compares it line by line and discards it. Every page on the way has no WCAG 2.2 AA
violations that axe can find and loads without browser errors. Every name is invented."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from maca.audits.models import AuditStatus
from maca.core.history import acting_as
from maca.learning.models import Finding, Heading
from maca.planning.services.audits import FORWARD, audit_status_advance
from tests.browser.test_disclosure import check
from tests.factories import PASSWORD, build_audit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LATER = "Health checks were missed for children who moved placement twice."


def test_a_change_after_publication_is_a_draft_the_coordinator_can_compare_and_discard(
    page: Page, page_errors: list[str], live_server: Any
):
    from tests.browser.helpers import sign_in

    built = build_audit(cases=2, agencies=2, findings=3, status=AuditStatus.FINDINGS)
    with acting_as(built.coordinator):
        audit_status_advance(audit=built.audit, direction=FORWARD, expected=AuditStatus.FINDINGS)
    slug = built.audit.slug
    panel = built.audit.panel_memberships.get().user

    sign_in(page, live_server, panel.email, PASSWORD)
    page.goto(f"{live_server.url}/audits/{slug}/findings/new/")
    page.get_by_label("What we are worried about").check()
    page.get_by_label("What we found").fill(LATER)
    expect(page.get_by_label("Include in the learning brief")).to_be_checked()
    page.get_by_role("button", name="Add finding").click()
    expect(page.locator("main")).to_contain_text("Finding added")
    assert Finding.objects.filter(audit=built.audit, heading=Heading.WORRY, text=LATER).exists()
    page.context.clear_cookies()

    sign_in(page, live_server, built.coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/audits/{slug}/brief/")
    expect(page.locator("main")).to_contain_text("differs from what readers see")
    expect(page.locator("main")).not_to_contain_text(LATER)
    check(page, page_errors)

    page.goto(f"{live_server.url}/audits/{slug}/brief/draft/")
    expect(page.locator("h1")).to_have_text("Draft of version 2")
    expect(page.locator("main")).to_contain_text("What we are worried about")
    expect(page.locator(".maca-diff__added")).to_contain_text(LATER)
    check(page, page_errors)

    page.get_by_role("button", name="Discard the draft").click()
    expect(page.get_by_role("button", name="Yes, discard the draft")).to_be_visible()
    check(page, page_errors)
    page.get_by_role("button", name="Yes, discard the draft").click()
    expect(page.locator("main")).to_contain_text("The draft is discarded")
    check(page, page_errors)
    assert not Finding.objects.filter(audit=built.audit, text=LATER).exists()
