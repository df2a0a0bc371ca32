"""The cost of the grid, a return, the escalations and the dashboard does not grow with the
number of children, agencies or questions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maca.returns import services
from maca.returns.tests.conftest import World, build_world, complete_post

pytestmark = pytest.mark.django_db


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _filled(world: World) -> World:
    """Every return of the first agency saved with full answers, and an escalation."""
    for case in world.cases:
        context = world.context(world.auditor_a, case=case)
        client_data = complete_post(context)
        from django.http import QueryDict

        from maca.returns.forms import parse_raw, raw_from_post

        query = QueryDict(mutable=True)
        for key, value in client_data.items():
            if isinstance(value, list):
                query.setlist(key, value)
            else:
                query[key] = value
        data, errors = parse_raw(context.structure, raw_from_post(context.structure, query))
        assert not errors
        services.return_save_draft(context=context, user=world.auditor_a, data=data, revision=0)
    access = world.context(world.coordinator).access
    services.escalation_raise(
        access=access,
        user=world.coordinator,
        request=services.EscalationRequest(
            case=world.case,
            raised_to_agency=world.agency_a,
            raised_by_agency=None,
            from_return=None,
            urgency="immediate",
            concern="Fictional",
            public_summary="Fictional",
        ),
    )
    return world


@pytest.fixture
def small() -> World:
    return _filled(build_world(cases=3, extra_questions=5, agencies=1))


@pytest.fixture
def large() -> World:
    return _filled(build_world(cases=20, extra_questions=40, agencies=8))


def _same(client, small: World, large: World, name: str, user: str, *args_of) -> None:
    counts = []
    for world in (small, large):
        client.force_login(getattr(world, user))
        counts.append(count(client, reverse(name, args=args_of[0](world))))
    assert counts[0] == counts[1], (name, user, counts)


@pytest.mark.parametrize("user", ["coordinator", "auditor_a"])
def test_return_page_query_count_does_not_grow_with_questions(client, small, large, user):
    _same(
        client,
        small,
        large,
        "returns:return",
        user,
        lambda w: [w.audit.slug, w.case.pk, w.agency_a.pk],
    )


@pytest.mark.parametrize("user", ["coordinator", "auditor_a"])
def test_grid_query_count_does_not_grow_with_cases_or_agencies(client, small, large, user):
    _same(client, small, large, "audits:grid", user, lambda w: [w.audit.slug])


def test_workbook_query_count_does_not_grow_with_questions(client, small, large):
    _same(
        client,
        small,
        large,
        "returns:workbook",
        "auditor_a",
        lambda w: [w.audit.slug, w.case.pk, w.agency_a.pk],
    )


@pytest.mark.parametrize("user", ["coordinator", "lead_a"])
def test_escalations_page_query_count_is_fixed(client, small, large, user):
    _same(client, small, large, "returns:escalations", user, lambda w: [w.audit.slug])


@pytest.mark.parametrize("user", ["coordinator", "auditor_a", "lead_a"])
def test_dashboard_query_count_does_not_grow(client, small, large, user):
    _same(client, small, large, "returns:dashboard", user, lambda w: [])
