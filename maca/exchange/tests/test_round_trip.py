"""Export, import, export: the same document apart from ids; the demo audit survives the
round trip with the same brief, here and in an empty deployment."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from maca.accounts.models import Agency, User
from maca.audits.models import Audit, AuditTool, ToolVersion
from maca.demo import data
from maca.demo.services import demo_load
from maca.exchange.document import DocumentInvalid, json_schema, validate_document
from maca.exchange.matching import Choice, MatchesToConfirm, import_plan
from maca.exchange.schema_build import SCHEMA_PATH, schema_text
from maca.exchange.selectors import audit_export
from maca.exchange.services import audit_import
from maca.exchange.tests.conftest import (
    as_bytes,
    changed,
    forget_demo,
    row_counts,
    without_volatile,
)
from maca.identifiers.models import AgencyReference, ChildIdentity
from maca.learning.models import Review
from maca.reports.brief import build_brief, system_access
from maca.reports.models import BriefTemplate
from maca.reports.renderers.markdown import render_markdown

pytestmark = pytest.mark.django_db

# The demo audit whose brief follows the partnership's own template.
TEMPLATE_AUDIT = "missing-from-care-2026"


def _export(audit: Audit) -> dict[str, Any]:
    return audit_export(system_access(audit))


def _brief(audit: Audit) -> tuple[dict[str, Any], str]:
    brief = build_brief(system_access(audit))
    as_data = dataclasses.asdict(brief)
    as_data.pop("slug")
    return as_data, render_markdown(brief).replace(audit.slug, "SLUG")


def test_the_committed_schema_is_the_one_the_builder_writes():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "schemas/audit-export.schema.json is out of date: run "
        "`.venv/bin/python -m maca.exchange.schema_build`"
    )


def test_the_demo_export_is_valid_against_the_schema(demo_document):
    assert validate_document(demo_document) == []
    assert json_schema()["$id"] == demo_document["$schema"]


def test_export_import_export_gives_the_same_document(demo, demo_document):
    result = audit_import(content=as_bytes(demo_document))
    assert result.audit.slug == f"{data.AUDIT_SLUG}-2"
    assert without_volatile(_export(result.audit)) == without_volatile(demo_document)
    # Everything it names was already here, so it was matched rather than made again.
    assert not {"agencies", "reviews", "tools", "tool versions", "scales"} & set(result.created)


def test_the_imported_demo_audit_has_the_same_brief(demo, demo_document):
    original = Audit.objects.get(slug=data.AUDIT_SLUG)
    imported = audit_import(content=as_bytes(demo_document)).audit
    assert _brief(imported) == _brief(original)


def test_every_demo_audit_round_trips_with_everything_matched_exactly(demo):
    for audit in Audit.objects.order_by("slug"):
        document = _export(audit)
        assert not import_plan(document).similar, audit.slug
        result = audit_import(content=as_bytes(document))
        assert without_volatile(_export(result.audit)) == without_volatile(document), audit.slug
        assert not {"agencies", "reviews", "scales", "brief templates"} & set(result.created)


def test_the_round_trip_holds_in_an_empty_deployment(demo):
    """Export three of the demo's audits, take the demo away, import them into a database with
    only reference data: everything is created afresh (the partnership's brief template too)
    and exports the same."""
    slugs = ["cla-out-of-area-2020", data.AUDIT_SLUG, TEMPLATE_AUDIT]
    originals = [Audit.objects.get(slug=slug) for slug in slugs]
    documents = [_export(audit) for audit in originals]
    briefs = [_brief(audit) for audit in originals]
    assert documents[2]["brief_template"]["name"] == "Demo partnership briefing"
    forget_demo()  # inside this test's savepoint: the demo is back for the next test
    assert not Agency.objects.exists() and not AuditTool.objects.exists()
    assert not BriefTemplate.objects.filter(name="Demo partnership briefing").exists()
    imported = [audit_import(content=as_bytes(document)).audit for document in documents]
    assert [audit.slug for audit in imported] == slugs
    for audit, document, brief in zip(imported, documents, briefs, strict=True):
        assert without_volatile(_export(audit)) == without_volatile(document)
        assert _brief(audit) == brief
    assert imported[1].follow_up_of == imported[0]
    template = BriefTemplate.objects.get(name="Demo partnership briefing")
    assert not template.is_shipped
    # An import matched the tool version an earlier one added, rather than adding another.
    used = {audit.tool_version_id for audit in originals if audit.tool_version_id}
    assert ToolVersion.objects.count() == len(used)


def test_the_export_holds_no_identifier_and_no_account(demo, demo_document):
    text = json.dumps(demo_document, ensure_ascii=False)
    identities = ChildIdentity.objects.filter(case__audit__slug=data.AUDIT_SLUG)
    assert identities.exists()
    for identity in identities:
        for value in (
            identity.full_name,
            identity.date_of_birth,
            identity.la_child_id,
            identity.upn,
            identity.nhs_number,
        ):
            if value:
                assert value not in text
    for reference in AgencyReference.objects.filter(case__audit__slug=data.AUDIT_SLUG):
        assert reference.reference not in text
    for user in User.objects.all():
        assert user.email not in text


def test_a_changed_tool_is_added_as_a_new_version(demo, demo_document):
    document = changed(demo_document)
    document["tool"]["sections"][0]["questions"][0]["text"] += " (revised)"
    tool = AuditTool.objects.get(name=document["tool"]["name"])
    numbers = set(tool.versions.values_list("number", flat=True))
    result = audit_import(content=as_bytes(document))
    version = result.audit.tool_version
    assert version is not None
    assert version.tool == tool
    assert version.number == max(numbers) + 1
    assert set(tool.versions.values_list("number", flat=True)) == numbers | {version.number}
    assert any("version" in note for note in result.notes)


def test_agencies_and_reviews_matching_in_part_are_matched_as_chosen_or_made(demo, demo_document):
    document = changed(demo_document)
    # Matched by name although its short name here differs.
    document["agencies"][0]["short_name"] = "GP"
    _rename(document, "GPs", "GP")
    document["reviews"][0]["short_name"] = "Georgia"
    _rename_review(document, "SCR Georgia", "Georgia")
    agencies, reviews = Agency.objects.count(), Review.objects.count()
    # Each matches a stored one only in part, so it needs a choice.
    with pytest.raises(MatchesToConfirm) as asked:
        audit_import(content=as_bytes(document))
    assert {match.ref for match in asked.value.undecided} == {"agency:GP", "review:Georgia"}
    result = audit_import(content=as_bytes(document), similar=Choice.STORED)
    assert Agency.objects.count() == agencies
    assert Review.objects.count() == reviews
    assert result.audit.tool_version_id == Audit.objects.get(slug=data.AUDIT_SLUG).tool_version_id

    document["agencies"].append(
        {"name": "Fictional Hospice", "short_name": "Hospice", "sector": "health"}
    )
    audit_import(content=as_bytes(document), similar=Choice.STORED)
    assert Agency.objects.filter(short_name="Hospice", name="Fictional Hospice").exists()


def _rename(node: Any, old: str, new: str) -> None:
    """Rename an agency wherever the document names it by short name."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"agency", "raised_by_agency", "raised_to_agency"} and value == old:
                node[key] = new
            elif key in {"owners", "agencies", "taken_forward_by", "applies_to_agencies"}:
                node[key] = [new if item == old else item for item in value]
            else:
                _rename(value, old, new)
    elif isinstance(node, list):
        for item in node:
            _rename(item, old, new)


def _rename_review(node: Any, old: str, new: str) -> None:
    if isinstance(node, dict):
        if set(node) == {"review", "order"} and node["review"] == old:
            node["review"] = new
        for value in node.values():
            _rename_review(value, old, new)
    elif isinstance(node, list):
        for item in node:
            _rename_review(item, old, new)


def test_a_slug_asked_for_is_used_or_refused_if_taken(demo, demo_document):
    made = audit_import(content=as_bytes(demo_document), slug="archived-2022").audit
    assert made.slug == "archived-2022"
    before = row_counts()
    with pytest.raises(DocumentInvalid) as error:
        audit_import(content=as_bytes(demo_document), slug="archived-2022")
    assert [problem.path for problem in error.value.problems] == ["slug"]
    assert row_counts() == before


def test_the_importer_coordinates_the_new_audit(demo, demo_document):
    coordinator = User.objects.get(email=data.COORDINATOR)
    audit = audit_import(content=as_bytes(demo_document), coordinators=[coordinator]).audit
    assert list(audit.coordinators.all()) == [coordinator]
    assert audit.panel.count() == 0


def test_demo_loads_again_after_an_import(demo, demo_document):
    audit_import(content=as_bytes(demo_document))
    assert not demo_load().changed
