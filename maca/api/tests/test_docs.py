"""The OpenAPI schema and the documentation page drawn from it."""

from __future__ import annotations

import json

import pytest
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_schema_is_public_valid_openapi(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    paths = set(schema["paths"])
    assert {
        "/api/v1/audits/",
        "/api/v1/audits/{slug}/cases/",
        "/api/v1/audits/{slug}/cases/{case_id}/returns/{agency_id}/",
        "/api/v1/audits/{slug}/cases/{case_id}/returns/{agency_id}/submit/",
        "/api/v1/audits/{slug}/escalations/",
        "/api/v1/audits/{slug}/findings/",
        "/api/v1/audits/{slug}/figures/",
        "/api/v1/audits/{slug}/brief/",
        "/api/v1/actions/{action_id}/status/",
        "/api/v1/tools/",
    } <= paths
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert {"401", "404"} <= set(operation["responses"]), (method, path)


def test_the_docs_page_lists_every_operation_without_outside_scripts(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    schema = json.loads(client.get("/api/schema/").content)
    for path in schema["paths"]:
        assert path in page
    assert "cdn" not in page.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "Authorization: Bearer" in page
