"""The returns grid, the audits list and every page with a table on a 375 px phone, and any page
on paper.

On a phone the page itself never scrolls sideways: the grid's tables scroll inside their own
containers, which a keyboard can reach and which say what they hold. On paper the header,
menu, footer, breadcrumbs and buttons are gone, and only links out of maca print their address.
All data fictional.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from maca.returns.tests.conftest import build_world
from tests.browser.helpers import assert_no_axe_violations, sign_in
from tests.factories import PASSWORD, AuditFactory, build_audit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE: ViewportSize = {"width": 375, "height": 800}


def _after_content(page: Page, selector: str) -> str:
    return str(page.eval_on_selector(selector, "el => getComputedStyle(el, '::after').content"))


def test_grid_fits_a_phone_and_prints_without_the_site_around_it(
    page: Page, page_errors: list[str], live_server: Any
) -> None:
    world = build_world(cases=3, agencies=4)
    sign_in(page, live_server, world.coordinator.email, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/audits/{world.audit.slug}/returns/")
    expect(page.get_by_role("heading", name="Returns", exact=True)).to_be_visible()

    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], f"the page scrolls sideways: {page_width}px wide"
    regions = page.locator(".maca-grid-wrapper")
    expect(regions).to_have_count(2)
    for index in range(2):
        region = regions.nth(index)
        expect(region).to_have_attribute("tabindex", "0")
        expect(region).to_have_attribute("role", "region")
        assert "scrolls sideways" in (region.get_attribute("aria-label") or "")
    grid = regions.nth(1)
    assert grid.evaluate("el => el.scrollWidth > el.clientWidth"), "the grid should scroll"
    grid.focus()
    page.keyboard.press("ArrowRight")
    # Keyboard scrolling is animated: wait until the grid has moved.
    page.wait_for_function("el => el.scrollLeft > 0", arg=grid.element_handle())
    assert_no_axe_violations(page)

    page.emulate_media(media="print")
    for hidden in (
        ".govuk-template__header",
        ".govuk-service-navigation",
        ".govuk-footer",
        ".govuk-breadcrumbs",
        ".govuk-phase-banner",
        "form[method='get']",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_role("button", name="Show")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    child_link = "table.maca-grid th a.govuk-link"
    assert _after_content(page, child_link) == "none"
    # A link out of maca (a resource, guidance) keeps its address on paper.
    page.evaluate(
        """() => { const a = document.createElement('a'); a.className = 'govuk-link';
        a.id = 'outside'; a.href = 'https://www.example.org/guidance'; a.textContent = 'Guidance';
        document.querySelector('main').append(a); }"""
    )
    assert "https://www.example.org/guidance" in _after_content(page, "#outside")
    assert page_errors == [], page_errors


def test_the_audits_list_and_its_filters_fit_a_phone(
    page: Page, page_errors: list[str], live_server: Any
) -> None:
    world = build_world()
    AuditFactory.create(
        title="Fictional audit of neglect in families with very young children",
        theme="Neglect of children under five in families known to several agencies",
        audit_date=None,
        status="draft",
    ).coordinators.add(world.coordinator)
    sign_in(page, live_server, world.coordinator.email, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/audits/")
    # Two audits: the filters are offered.
    expect(page.get_by_label("Theme", exact=True)).to_be_visible()

    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], f"the page scrolls sideways: {page_width}px wide"
    region = page.get_by_role("region", name="Audits (scrolls sideways on a small screen)")
    expect(region).to_have_attribute("tabindex", "0")
    expect(region.get_by_role("link", name=re.compile("Fictional audit of neglect"))).to_have_count(
        1
    )
    assert_no_axe_violations(page)

    page.emulate_media(media="print")  # on paper: the list, without the filters or the site
    expect(page.locator("form[method='get']")).to_be_hidden()
    expect(page.locator(".govuk-template__header")).to_be_hidden()
    expect(page.get_by_role("button", name="Start a new audit")).to_have_count(0)
    expect(page.get_by_role("link", name="Start a new audit")).to_be_hidden()
    expect(region).to_be_visible()
    assert page_errors == [], page_errors


def test_every_page_with_a_table_fits_a_phone(
    page: Page, page_errors: list[str], live_server: Any
) -> None:
    built = build_audit(cases=3, agencies=4, findings=2)
    audit, case = built.audit, built.cases[0]
    sign_in(page, live_server, built.coordinator.email, PASSWORD)
    page.set_viewport_size(PHONE)
    for path in (
        f"/audits/{audit.slug}/cases/{case.pk}/",
        f"/audits/{audit.slug}/moderation/",
        f"/audits/{audit.slug}/moderation/{case.pk}/",
        f"/audits/{audit.slug}/actions/",
        "/actions/",
        f"/audits/{audit.slug}/escalations/",
        f"/audits/{audit.slug}/report/",
        "/api/docs/",
    ):
        page.goto(f"{live_server.url}{path}")
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= PHONE["width"], f"{path} scrolls sideways: {page_width}px wide"
        tables = page.locator("main table")
        assert tables.count(), f"{path} shows no table"
        # Every table sits in a region a keyboard can reach and scroll, named for what it holds.
        unwrapped = page.locator("main table:not(.maca-grid-wrapper > table)")
        expect(unwrapped).to_have_count(0)
        unnamed = "main .maca-grid-wrapper:not([role='region'][tabindex='0'][aria-label])"
        expect(page.locator(unnamed)).to_have_count(0)
        assert_no_axe_violations(page)
    assert page_errors == [], page_errors
