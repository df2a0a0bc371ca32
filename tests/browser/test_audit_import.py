"""Importing a file whose agency is like a stored one but not the same: the page shows both,
asks, and imports as chosen; each page has no violations axe can find."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from maca.accounts.models import Agency, Role
from maca.audits.models import Audit
from tests.factories import PASSWORD, AgencyFactory, person_with_role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "docs"
    / "examples"
    / "past-audit-cla-out-of-area-2018.json"
)


def test_the_importer_chooses_what_a_similar_agency_becomes(
    page: Page, page_errors: list[str], live_server: Any
):
    from tests.browser.helpers import assert_no_axe_violations, sign_in

    coordinator = person_with_role(Role.COORDINATOR, email="importer@test.maca.test")
    # The file's "Children's Social Care (Social Care)" shares only its short name with this.
    AgencyFactory.create(name="Adult Social Care", short_name="Social Care", sector="social_care")
    sign_in(page, live_server, coordinator.email, PASSWORD)

    page.goto(f"{live_server.url}/audit-import/")
    page.get_by_label("Upload a whole-audit file").set_input_files(str(EXAMPLE))
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator("h1")).to_have_text("Check what the file matches")
    question = page.get_by_role(
        "group",
        name="In the file: Children's Social Care (Social Care). "
        "Stored: Adult Social Care (Social Care)",
    )
    expect(question).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Import").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose whether to use the stored agency"
    )
    assert page.title().startswith("Error:")
    assert_no_axe_violations(page)

    question.get_by_label("Add it as a new agency", exact=False).check()
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Agency 'Children's Social Care (Social Care)' added as new"
    )
    assert_no_axe_violations(page)
    audit = Audit.objects.get()
    added = Agency.objects.get(name="Children's Social Care")
    assert added.short_name == "Social Care (2)"
    assert audit.agencies.filter(pk=added.pk).exists()
    assert page_errors == [], page_errors
