"""Signing in with a password and a code from an authenticator app, setting one up on a first
sign-in, the sessions list and the idle-timeout warning, in a real browser with axe checks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from maca.accounts.models import Role
from tests.browser.helpers import assert_no_axe_violations, enter_totp_code, sign_in
from tests.factories import PASSWORD, person_with_role, totp_code_now

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sign_in_with_a_code_and_see_your_sessions(
    page: Page, page_errors: list[str], live_server: Any
) -> None:
    user = person_with_role(Role.COORDINATOR)
    page.goto(f"{live_server.url}/sign-in/")
    assert_no_axe_violations(page)

    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    assert_no_axe_violations(page)

    page.locator("#id_code").fill("000000")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    assert_no_axe_violations(page)

    enter_totp_code(page, user.email)
    assert page.url.endswith("/audits/")

    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Your active sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your active sessions")
    expect(page.get_by_text("This session", exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    assert page_errors == []


def test_first_sign_in_sets_up_the_authenticator_app(
    page: Page, page_errors: list[str], live_server: Any
) -> None:
    user = person_with_role(Role.PANEL_MEMBER, mfa=False)
    sign_in(page, live_server, user.email, PASSWORD)
    # Any page they ask for sends them to set up two-factor authentication first.
    page.goto(f"{live_server.url}/audits/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name="QR code for adding maca")).to_be_visible()
    assert_no_axe_violations(page)

    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from your authenticator app").fill(totp_code_now(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".maca-recovery-codes li")).to_have_count(10)
    assert_no_axe_violations(page)

    page.get_by_role("link", name="I have saved my codes, continue").click()
    expect(page).to_have_url(re.compile(r"/audits/$"))
    assert page_errors == []


def test_the_idle_warning_lets_you_stay_signed_in(
    page: Page, page_errors: list[str], live_server: Any, settings: Any
) -> None:
    # A limit just past the warning time, so the warning shows almost at once.
    settings.SESSION_COOKIE_AGE = settings.SESSION_IDLE_WARNING_SECONDS + 3
    user = person_with_role(Role.READER)
    sign_in(page, live_server, user.email, PASSWORD)
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("You will be signed out in 2 minutes")
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_no_axe_violations(page)

    with page.expect_response(lambda response: "/account/keep-alive/" in response.url) as kept:
        page.get_by_role("button", name="Stay signed in").click()
    assert kept.value.status == 204
    expect(dialog).to_be_hidden()
    assert page_errors == []


def test_the_idle_limit_signs_you_out(page: Page, live_server: Any, settings: Any) -> None:
    settings.SESSION_IDLE_WARNING_SECONDS = 2
    settings.SESSION_COOKIE_AGE = 4
    user = person_with_role(Role.READER)
    sign_in(page, live_server, user.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.goto(f"{live_server.url}/audits/")
    assert "/sign-in/" in page.url
