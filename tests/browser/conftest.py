"""A real browser for end-to-end and accessibility tests.

Playwright drives Debian's chromium (`apt-get install chromium`); Playwright's own browser
downloads are not used. One browser serves the whole session; each test gets a fresh context,
so cookies and storage never leak between tests. Pages are served by pytest-django's
`live_server`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    sync_playwright,
)

CHROMIUM = os.environ.get("MACA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000

_BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Belt and braces: everything in this folder is a browser test, even if a test forgets its
    # marker, so `-m "not browser"` always leaves the browser out.
    for item in items:
        if _BROWSER_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _serialized_test_databases() -> dict[str, str]:
    return {
        alias: connections[alias]._test_serialized_contents  # type: ignore[attr-defined]
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        message = f"browser tests need chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Once Playwright's loop runs in this thread, Django's connection handler (an asgiref Local)
    # sees an "async" thread and hands out new connection objects. They lack the copy of the
    # migrated data that `serialized_rollback` restores (grading scales and other reference
    # rows), so carry it over to them.
    serialized = _serialized_test_databases()
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API runs an event loop in this thread, and Django refuses database
        # access from a thread with a running loop unless told it is safe. The test only uses
        # the database between browser calls, never concurrently with them, so it is.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents  # type: ignore[attr-defined]
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page_errors() -> list[str]:
    """What went wrong in `page` besides the page itself: CSP refusals, script errors, and
    stylesheets, scripts, images or favicons that failed to load. Assert it is empty."""
    return []


@pytest.fixture
def page(context: BrowserContext, page_errors: list[str]) -> Page:
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        # Failed loads are reported below with their address. The browser's own favicon fetch
        # is left out: it happens once per browser, so whichever test came first would fail
        # (test_pages_accessible checks the favicon directly instead).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            page_errors.append(f"console error on {page.url}: {message.text}")

    def on_response(response: Response) -> None:
        # The page's own status is the test's to check; this is about what the page loads.
        if response.status >= 400 and response.request.resource_type != "document":
            page_errors.append(f"{response.status} for {response.url} (on {page.url})")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: page_errors.append(f"script error on {page.url}: {error}"))
    return page
