"""What browser tests do again and again: sign in through the real form, check a page with axe.

Import these in tests (`from tests.browser.helpers import sign_in`); the fixtures that start
the browser live in conftest.py beside this file.
"""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what public-sector services in the UK must meet.
# axe tags WCAG 2.2 A criteria wcag2a/wcag21a, so wcag22a is not a tag of its own.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()


def sign_in(page: Page, live_server: Any, email: str, password: str) -> None:
    """Sign in with the sign-in form as a person would, and check that it worked."""
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    if page.url.split("?", 1)[0].endswith("/sign-in/"):
        summary = page.locator(".govuk-error-summary")
        reason = summary.inner_text() if summary.count() else "no error summary shown"
        raise AssertionError(f"Signing in as {email} failed: {reason}")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now and return its violations."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = _axe.run(page, options=options)
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
