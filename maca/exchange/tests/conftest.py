from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction

from maca.accounts.models import Agency, User
from maca.audits.models import Audit, AuditTool, Case, ToolVersion
from maca.demo import data
from maca.demo.services import DemoSummary, demo_load
from maca.exchange.selectors import audit_export, export_bytes
from maca.learning.models import Review, Theme
from maca.reports.brief import system_access
from maca.reports.models import BriefTemplate

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


def forget_demo() -> None:
    """Delete the demo's rows, leaving the reference data the migrations load."""
    Audit.objects.update(follow_up_of=None)
    for audit in Audit.objects.all():
        Case.objects.filter(audit=audit).delete()
        audit.delete()
    BriefTemplate.objects.filter(is_shipped=False).delete()
    ToolVersion.objects.all().delete()
    AuditTool.objects.all().delete()
    Review.objects.all().delete()
    Theme.objects.all().delete()
    User.objects.all().delete()
    Agency.objects.all().delete()


# Hostile documents every entry point (service, page, command) must refuse with a message at a
# JSON path: (label, content, the problem's path, words in its message).
HOSTILE_DOCUMENTS: list[tuple[str, bytes, str, str]] = [
    ("5,000 nested arrays", b"[" * 5000 + b"]" * 5000, "$" + "[0]" * 32, "nested too deeply"),
    (
        "3,000 nested objects",
        b'{"audit": ' * 3000 + b"1" + b"}" * 3000,
        "$" + ".audit" * 32,
        "nested too deeply",
    ),
    ("nesting past the reader's own limit", b"[" * 200_000, "$", "nested too deeply"),
    (
        "an integer of 5,000 digits",
        b'{"format_version": 1' + b"0" * 5000 + b"}",
        "$.format_version",
        "out of range",
    ),
    ("a number beyond any float", b'{"audit": {"x": 1e400}}', "$.audit.x", "out of range"),
    (
        "an integer too large for a column",
        b'{"cases": [{"age_weeks": 123456789012345678901}]}',
        "$.cases[0].age_weeks",
        "out of range",
    ),
    (
        "a field name of 100,000 characters",
        b'{"' + b"k" * 100_000 + b'": 1}',
        '$["' + "k" * 40 + '..."]',
        "field name of 100000 characters",
    ),
    (
        "a field given twice",
        b'{"format": "maca-audit-export", "format": "something-else"}',
        "$.format",
        "more than once",
    ),
    ("null at the top", b"null", "$", "must be object"),
    ("a string at the top", b'"an audit"', "$", "must be object"),
    ("a number at the top", b"42", "$", "must be object"),
    ("a list at the top", b"[{}]", "$", "must be object"),
]
