"""The history timeline on a child's page and a return's page: it is there for those who may
see it, says what changed in words, and meets WCAG 2.2 AA as far as axe-core can tell."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from maca.audits.models import AgencyReturn, Answer, Question, ReturnStatus
from maca.core.history import acting_as
from maca.returns.tests.conftest import build_world
from tests.browser.helpers import assert_no_axe_violations, sign_in
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_timeline_reads_well_and_is_accessible(page: Page, live_server):
    world = build_world()
    case = world.cases[0]
    agency_return = AgencyReturn.objects.create(
        case=case, agency=world.agency_a, status=ReturnStatus.DRAFT
    )
    for question in Question.objects.filter(section__version=world.version):
        Answer.objects.create(
            agency_return=agency_return, question=question, text_value="First account"
        )
    with acting_as(world.auditor_a):
        Answer.objects.filter(agency_return=agency_return).update(text_value="Second account")

    sign_in(page, live_server, world.coordinator.email, PASSWORD)
    page.goto(f"{live_server.url}/audits/{world.audit.slug}/cases/{case.pk}/")
    history = page.locator("#history")
    assert history.get_by_role("heading", name="History").is_visible()
    assert "Fictional Auditor A changed" in history.inner_text()
    assert "First account → Second account" in history.inner_text()
    assert_no_axe_violations(page)

    page.goto(
        f"{live_server.url}/audits/{world.audit.slug}/cases/{case.pk}/returns/{world.agency_a.pk}/"
    )
    assert page.locator("#history").get_by_role("heading", name="History").is_visible()
    assert_no_axe_violations(page)
