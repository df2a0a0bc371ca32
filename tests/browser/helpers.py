"""What browser tests do again and again: sign in through the real form, check a page with axe.

Import these in tests (`from tests.browser.helpers import sign_in`); the fixtures that start
the browser live in conftest.py beside this file.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests.factories import totp_code_now

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what public-sector services in the UK must meet.
# axe tags WCAG 2.2 A criteria wcag2a/wcag21a, so wcag22a is not a tag of its own.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()


def sign_in(page: Page, live_server: Any, email: str, password: str) -> None:
    """Sign in as a person would: the password, then (if they have an authenticator app) the
    code it shows now, worked out from the secret stored for them. Check that it worked."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    if page.url.split("?", 1)[0].endswith("/sign-in/"):
        raise AssertionError(f"Signing in as {email} failed: {_error_summary(page)}")
    if page.url.split("?", 1)[0].endswith(reverse("mfa_authenticate")):
        enter_totp_code(page, email)


def enter_totp_code(page: Page, email: str) -> None:
    """Fill in the code step. A code works only once, so if this person already used the
    current one (signing in twice within 30 seconds), wait for the next."""
    secret = totp_secret_of(email)
    for attempt in range(2):
        page.locator("#id_code").fill(totp_code_now(secret))
        page.get_by_role("button", name="Continue", exact=True).click()
        page.wait_for_load_state()
        if not page.url.split("?", 1)[0].endswith(reverse("mfa_authenticate")):
            return
        if attempt == 0:
            period = mfa_settings.TOTP_PERIOD
            time.sleep(period - time.time() % period + 0.1)
    raise AssertionError(f"The code step for {email} failed: {_error_summary(page)}")


def totp_secret_of(email: str) -> str:
    authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def _error_summary(page: Page) -> str:
    summary = page.locator(".govuk-error-summary")
    return summary.inner_text() if summary.count() else "no error summary shown"


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now and return its violations."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    # A check straight after a click can land while the next page replaces this one; the
    # document is then briefly gone. Wait for the new page to load and check that instead.
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            results = _axe.run(page, options=options)
            break
        except PlaywrightError as error:
            navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
            if not navigating or attempt == 2:
                raise
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    """Fail with each violation's id, help text and the elements at fault."""
    violations = axe_violations(page)
    if violations:
        report = describe_violations(violations)
        print(f"axe found {len(violations)} accessibility violation(s) on {page.url}:\n{report}")
        raise AssertionError(
            f"{len(violations)} accessibility violation(s) on {page.url}:\n{report}"
        )
