"""The pages this app adds, in a real browser: they work and axe-core finds nothing wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_axe_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COORDINATOR = "coordinator@demo.maca.test"


@pytest.fixture
def demo_password(transactional_db: None) -> str:
    from maca.demo.data import DEMO_PASSWORD
    from maca.demo.services import demo_load

    demo_load()
    return DEMO_PASSWORD


def _open(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert page.locator("h1").count() == 1, url


def test_token_docs_and_import_pages_are_accessible(
    page: Page,
    page_errors: list[str],
    live_server: Any,
    demo_password: str,
    tmp_path: Path,
) -> None:
    _open(page, f"{live_server.url}/api/docs/")
    assert_no_axe_violations(page)

    sign_in(page, live_server, COORDINATOR, demo_password)
    _open(page, f"{live_server.url}/account/api-tokens/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Make token").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("What is the token for?").fill("Quarterly figures")
    page.get_by_label("90 days").check()
    page.get_by_role("button", name="Make token").click()
    secret = page.get_by_label("Your token").input_value()
    assert secret.startswith("maca_")
    assert_no_axe_violations(page)

    _open(page, f"{live_server.url}/audit-import/")
    assert_no_axe_violations(page)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "maca-audit-export", "format_version": 1}))
    page.get_by_label("Upload a whole-audit file").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    assert "$.audit" in page.locator("#problems + .maca-grid-wrapper table").inner_text()
    assert_no_axe_violations(page)
    assert page_errors == []
