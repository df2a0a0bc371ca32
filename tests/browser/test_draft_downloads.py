"""End to end in a real browser: the coordinator opens the live (draft) report's PDF link,
which offers a button and starts nothing, asks for the file with it, sees its progress while
the worker makes it, and the page moves on to the download by itself when it is ready. The
button's page and both states of the progress page pass axe-core. Without JavaScript, the
page's refresh link does the same (tested in maca/reports/tests/test_draft_renders.py)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_axe_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AUDIT = "cla-out-of-area-2022"
COORDINATOR = "coordinator@demo.maca.test"


@pytest.fixture
def demo(transactional_db: None) -> str:
    from maca.demo.data import DEMO_PASSWORD
    from maca.demo.services import demo_load

    demo_load()
    return DEMO_PASSWORD


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Jobs wait, as for a worker that has not got to them yet; the test then runs them."""
    from maca.reports import tasks

    jobs: list[int] = []

    class Queue:
        enqueue = staticmethod(jobs.append)

    monkeypatch.setattr(tasks, "render_draft_task", Queue)
    return jobs


def test_draft_report_pdf_is_made_while_the_coordinator_watches(
    page: Page, page_errors: list[str], live_server: Any, demo: str, queued: list[int]
) -> None:
    from maca.reports.draft_renders import draft_render_run

    sign_in(page, live_server, COORDINATOR, demo)
    page.goto(f"{live_server.url}/audits/{AUDIT}/report/")
    page.get_by_role("link", name="PDF", exact=True).click()
    expect(page.locator("h1")).to_have_text("Audit report: PDF of the draft")
    expect(page.get_by_role("button", name="Make a draft PDF")).to_be_visible()
    assert queued == []
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Make a draft PDF").click()
    expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Progress")).to_be_visible()
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    assert_no_axe_violations(page)

    # The worker makes it; the page, following its progress, moves on by itself.
    assert len(queued) == 1
    draft_render_run(job_id=queued[0])
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible(timeout=15_000)
    assert_no_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert page_errors == [], page_errors
