from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction

from maca.audits.models import Audit
from maca.demo import data
from maca.demo.services import DemoSummary, demo_load
from maca.exchange.selectors import audit_export, export_bytes
from maca.reports.brief import system_access

# Everything an import could write to, to prove a refused one wrote nothing.
COUNTED_APPS = ("accounts", "audits", "learning", "identifiers", "moderation", "returns", "core")


@pytest.fixture(scope="module")
def _demo_loaded(
    django_db_setup: Any, django_db_blocker: Any
) -> Iterator[tuple[DemoSummary, dict[str, Any]]]:
    """The demo loaded (and its audit exported) once per module, in a transaction rolled back
    after the module; each test runs inside it in its own savepoint (the `db` fixture)."""
    with django_db_blocker.unblock(), transaction.atomic():
        summary = demo_load()
        document = audit_export(system_access(Audit.objects.get(slug=data.AUDIT_SLUG)))
        yield summary, document
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_loaded: tuple[DemoSummary, dict[str, Any]], db: None) -> DemoSummary:
    return _demo_loaded[0]


@pytest.fixture
def demo_document(
    _demo_loaded: tuple[DemoSummary, dict[str, Any]], demo: DemoSummary
) -> dict[str, Any]:
    """The demo audit's export; each test gets its own copy to change."""
    return copy.deepcopy(_demo_loaded[1])


def as_bytes(document: dict[str, Any]) -> bytes:
    return export_bytes(document)


def changed(document: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(document)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in COUNTED_APPS
    }


def without_volatile(document: dict[str, Any]) -> dict[str, Any]:
    """The document apart from what must differ between two exports: the moment of export and
    the new audit's slug."""
    result = json.loads(json.dumps(document))
    result.pop("exported_at")
    result["audit"].pop("slug")
    return result
