"""Every page meets WCAG 2.2 AA as far as axe-core can tell, and loads without browser errors.

To check a new page, add its path to PUBLIC_PAGES or DEMO_AUDIT_PAGES; to check what another
demo persona sees, add a pytest.param for it to test_demo_audit_pages_are_accessible.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_axe_violations, sign_in

# The live server needs committed data, so each test's data is flushed afterwards, and with it
# the reference data that migrations create (grading scales); serialized_rollback puts that back.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PUBLIC_PAGES = ["/", "/sign-in/", "/accessibility/"]

DEMO_AUDIT = "cla-out-of-area-2022"
DEMO_COORDINATOR = "coordinator@demo.maca.test"
DEMO_AUDIT_PAGES = [
    "/audits/",
    f"/audits/{DEMO_AUDIT}/",
    f"/audits/{DEMO_AUDIT}/returns/",
    f"/audits/{DEMO_AUDIT}/findings/",
    f"/audits/{DEMO_AUDIT}/actions/",
    f"/audits/{DEMO_AUDIT}/brief/",
    f"/audits/{DEMO_AUDIT}/plan/",
    f"/audits/{DEMO_AUDIT}/plan/people/",
    "/audits/?q=children&status=published",
    "/audits/missing-from-care-2026/returns/?late=yes",
    "/audits/missing-from-care-2026/plan/stage/forward/",
    "/audits/missing-from-care-2026/reminders/",
    "/background-work/",
    f"/audits/{DEMO_AUDIT}/brief/template/",
    "/brief-templates/",
    "/brief-templates/learning-brief/1/",
    # The demo partnership's own template (editable) and the audit whose brief follows it.
    "/brief-templates/demo-partnership-briefing/1/",
    "/audits/missing-from-care-2026/brief/",
]


def open_page(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    assert response.status == 200, f"{url} answered {response.status}"
    headings = page.locator("h1")
    assert headings.count() == 1, f"{url} has {headings.count()} h1 elements, not 1"
    assert headings.inner_text().strip(), f"{url} has an empty h1"


@pytest.fixture
def demo_password(transactional_db: None) -> str:
    """The demo partnership, loaded as `maca demo` loads it; returns the shared password."""
    try:
        from maca.demo.data import DEMO_PASSWORD
        from maca.demo.services import demo_load
    except ModuleNotFoundError as error:
        if error.name and error.name.startswith("maca.demo"):
            pytest.skip(f"the demo data is not written yet ({error})")
        raise
    demo_load()
    return DEMO_PASSWORD


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_accessible(
    page: Page, page_errors: list[str], live_server: Any, path: str
) -> None:
    open_page(page, f"{live_server.url}{path}")
    assert_no_axe_violations(page)
    assert page_errors == []


def test_favicon_is_served(page: Page, live_server: Any) -> None:
    # Browsers ask for one on every site; without it each first visit logs a 404.
    page.goto(f"{live_server.url}/")
    icon = page.locator("link[rel~='icon']")
    href = icon.first.get_attribute("href") if icon.count() else "/favicon.ico"
    assert href, "the icon link has no href"
    url = urljoin(page.url, href)
    if not url.startswith("data:"):
        response = page.request.get(url)
        assert response.status == 200, f"favicon {url} answered {response.status}"


# Loading the demo takes seconds, so each persona signs in once and walks its pages; every page
# is still reported on its own (pytest's subtests).
@pytest.mark.parametrize(
    ("email", "paths"),
    [pytest.param(DEMO_COORDINATOR, DEMO_AUDIT_PAGES, id="coordinator")],
)
def test_demo_audit_pages_are_accessible(
    page: Page,
    page_errors: list[str],
    live_server: Any,
    demo_password: str,
    subtests: pytest.Subtests,
    email: str,
    paths: list[str],
) -> None:
    sign_in(page, live_server, email, demo_password)
    for path in paths:
        with subtests.test(path=path, persona=email):
            page_errors.clear()
            open_page(page, f"{live_server.url}{path}")
            assert_no_axe_violations(page)
            assert page_errors == []


ADMINISTRATOR_PAGES = [
    "/manage/",
    "/manage/people/",
    "/manage/people/?role=agency_lead",
    "/manage/people/{reader}/",
    "/manage/people/{reader}/roles/add/",
    "/manage/people/{panel}/authenticator/reset/",
    "/manage/people/{reader}/deactivate/",
    "/manage/organisations/",
    "/manage/organisations/new/",
    "/manage/organisations/{police}/edit/",
    "/manage/organisations/{police}/merge/",
]


def test_administrator_pages_are_accessible(
    page: Page,
    page_errors: list[str],
    live_server: Any,
    demo_password: str,
    subtests: pytest.Subtests,
) -> None:
    """The administrator's pages, an invitation with its errors, and the link it sends."""
    from django.core import mail

    from maca.accounts.models import Agency, User

    ids = {
        "reader": User.objects.get(email="reader@demo.maca.test").pk,
        "panel": User.objects.get(email="panel@demo.maca.test").pk,
        "police": Agency.objects.get(short_name="Police").pk,
    }
    sign_in(page, live_server, "admin@demo.maca.test", demo_password)
    for path in ADMINISTRATOR_PAGES:
        with subtests.test(path=path):
            page_errors.clear()
            open_page(page, f"{live_server.url}{path.format(**ids)}")
            assert_no_axe_violations(page)
            assert page_errors == []
    with subtests.test(path="invite: errors, then sent"):
        open_page(page, f"{live_server.url}/manage/people/invite/")
        page.get_by_label("Agency lead").check()
        page.get_by_role("button", name="Send the invitation").click()
        # The click only starts the request: wait for the page that answers it.
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_no_axe_violations(page)
        page.get_by_label("Email address").fill("new.lead@demo.maca.test")
        page.get_by_label("Full name").fill("Fictional New Lead")
        page.get_by_label("Agency (for an agency auditor or lead)").select_option(label="Police")
        page.get_by_role("button", name="Send the invitation").click()
        expect(page.locator("main")).to_contain_text("Invitation sent")
        assert_no_axe_violations(page)
    with subtests.test(path="the invitation link"):
        link = next(line for line in mail.outbox[-1].body.splitlines() if "/invitation/" in line)
        page.context.clear_cookies()
        open_page(page, link.replace("http://127.0.0.1:8000", live_server.url))
        assert_no_axe_violations(page)
