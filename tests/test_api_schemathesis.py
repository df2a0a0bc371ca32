"""The REST API against its own OpenAPI schema: schemathesis generates requests for every
operation from the schema and checks that none is a server error and every answer matches the
schema (status code, content type and body).

It runs in process through the WSGI app, on the fictional demo, as the demo coordinator with a
personal access token, with a bounded number of examples per operation so it stays fast.

The schema is the one `/api/schema/` serves (checked below), generated at collection time and
handed to schemathesis with the WSGI app. `schemathesis.openapi.from_wsgi` would fetch it over
the app instead, but at collection time pytest-django does not yet allow the database the call
log writes to, and `schemathesis.pytest.from_fixture` (the lazy loader) does not run on
pytest 9 (it sets `request.node._nodeid`, which pytest 9 no longer has).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from maca.accounts.models import User
from maca.api.services import api_token_create
from maca.audits.models import AgencyReturn, Audit, Case, Escalation
from maca.demo import data
from maca.demo.services import demo_load
from maca.learning.models import Action

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 20
TOOL_SLUG = "cla-out-of-area"


@dataclass(frozen=True)
class Demo:
    token: str
    ids: dict[str, list[int]]
    returns: list[tuple[int, int]]  # (case_id, agency_id) of each return


@pytest.fixture(scope="module")
def _same_connection() -> Iterator[None]:
    """Requests go straight to the WSGI app, not through Django's test client, so stop each
    request closing the database connection as Django's test client does: on PostgreSQL
    closing it would end the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any, _same_connection: None) -> Iterator[Demo]:
    """The demo loaded once for the module, inside a transaction rolled back at the end; a
    token of the demo coordinator; and the ids of real rows to aim requests at."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        coordinator = User.objects.get(email=data.COORDINATOR)
        token = api_token_create(user=coordinator, name="schemathesis", expires_in_days=1)
        audit = Audit.objects.get(slug=data.AUDIT_SLUG)
        ids = {
            "case_id": list(Case.objects.filter(audit=audit).values_list("pk", flat=True)),
            "escalation_id": list(
                Escalation.objects.filter(audit=audit).values_list("pk", flat=True)
            ),
            "action_id": list(Action.objects.values_list("pk", flat=True)),
            "number": [1],
        }
        returns = list(
            AgencyReturn.objects.filter(case__audit=audit).values_list("case_id", "agency_id")
        )
        yield Demo(token=token.secret, ids=ids, returns=returns)
        transaction.set_rollback(True)


def _aim_at_real_rows(case: Any, demo: Demo) -> None:
    """Most generated ids and slugs match nothing (a 404 every time); point three requests in
    four at real rows instead, so real answers are checked against the schema too."""
    params = case.path_parameters or {}
    for name, value in params.items():
        if name == "slug" and isinstance(value, str) and sum(map(ord, value)) % 4:
            params[name] = TOOL_SLUG if case.path.startswith("/api/v1/tools/") else data.AUDIT_SLUG
        choices = demo.ids.get(name)
        if choices and isinstance(value, int) and not isinstance(value, bool) and value % 4:
            params[name] = choices[abs(value) % len(choices)]
    agency_id = params.get("agency_id")
    if isinstance(agency_id, int) and not isinstance(agency_id, bool) and agency_id % 4:
        params["case_id"], params["agency_id"] = demo.returns[agency_id % len(demo.returns)]


def _openapi() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    # Rendered as the endpoint renders it, so the dict holds exactly what it serves.
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


def _schema() -> Any:
    from config.wsgi import application

    loaded = schemathesis.openapi.from_dict(_openapi())
    loaded.app = application
    loaded.config.generation.update(max_examples=EXAMPLES_PER_OPERATION)
    return loaded


schema = _schema()


def test_the_schema_tested_is_the_one_served(client: Any, db: None) -> None:
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert json.loads(response.content) == _openapi()


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema(case: Any, demo: Demo) -> None:
    _aim_at_real_rows(case, demo)
    case.call_and_validate(headers={"Authorization": f"Bearer {demo.token}"}, checks=CHECKS)
