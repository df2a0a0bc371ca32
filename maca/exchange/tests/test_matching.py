"""The import's plan: each agency, need, review, scale and brief template of a file is exact,
similar or new, worked out before anything is written; similar ones are imported only as the
person chose."""

from __future__ import annotations

from typing import Any

import pytest

from maca.accounts.models import Agency
from maca.audits.models import Audit, GradingScale
from maca.demo import data
from maca.exchange.matching import (
    CASE_ONLY,
    Choice,
    MatchesToConfirm,
    Verdict,
    decide,
    import_plan,
)
from maca.exchange.selectors import audit_export, scale_part
from maca.exchange.services import audit_import
from maca.exchange.tests.conftest import as_bytes, changed, row_counts
from maca.learning.models import Review
from maca.reports.brief import system_access
from maca.reports.models import AuditBriefTemplate, BriefTemplate

pytestmark = pytest.mark.django_db

SOCIAL_CARE = {"short_name": "Social Care", "name": "Children's Social Care", "sector": "other"}


def _verdict(doc: dict[str, Any], ref: str) -> Verdict:
    return import_plan(doc).by_ref[ref].verdict


@pytest.mark.parametrize(
    ("short_name", "name", "verdict"),
    [
        ("Social Care", "Children's Social Care", Verdict.EXACT),
        ("CSC", "Children's Social Care", Verdict.SIMILAR),  # by name only
        ("Social Care", "Social Care", Verdict.SIMILAR),  # by short name only
        ("social care", "children's social care", Verdict.SIMILAR),  # ignoring case only
        ("CSCT", "Children's Social Care Trust", Verdict.NEW),
    ],
)
def test_an_agency_is_exact_similar_or_new(demo, short_name, name, verdict):
    doc = {"agencies": [{"short_name": short_name, "name": name}]}
    assert _verdict(doc, f"agency:{short_name}") is verdict


def test_a_similar_agency_says_how_it_differs_and_what_a_new_one_would_be_called(demo):
    plan = import_plan({"agencies": [{"short_name": "CSC", "name": "Children's Social Care"}]})
    (match,) = plan.similar
    assert match.in_file == "Children's Social Care (CSC)"
    assert match.stored == "Children's Social Care (Social Care)"
    assert match.differences == ("The short name differs: 'CSC' in the file, 'Social Care' here",)
    # Its name is taken here, so a new one needs another: shown before anyone chooses it.
    assert match.renamed == (("name", "Children's Social Care (2)"),)
    assert match.suggested is None  # a real difference: the person decides

    case_only = import_plan(
        {"agencies": [{"short_name": "social care", "name": "children's social care"}]}
    ).similar[0]
    assert case_only.differences == (CASE_ONLY,)
    assert case_only.suggested is Choice.STORED


@pytest.mark.parametrize(
    ("code", "label", "verdict"),
    [
        ("neglect", "Neglect", Verdict.EXACT),
        # Needs are one shared list known by code: the same code is the same need.
        ("neglect", "Neglect at home", Verdict.EXACT),
        ("neglect-at-home", "Neglect", Verdict.SIMILAR),
        ("Neglect", "Neglect of a child", Verdict.SIMILAR),
        ("gambling", "Gambling", Verdict.NEW),
    ],
)
def test_a_need_is_exact_similar_or_new(demo, code, label, verdict):
    assert _verdict({"needs": [{"code": code, "label": label}]}, f"need:{code}") is verdict


@pytest.mark.parametrize(
    ("short_name", "title", "verdict"),
    [
        ("SCR Georgia", None, Verdict.EXACT),
        ("Georgia", None, Verdict.SIMILAR),
        ("SCR Georgia", "Another review of Georgia", Verdict.SIMILAR),
        ("SCR Zed", "A review nobody stored", Verdict.NEW),
    ],
)
def test_a_review_is_exact_similar_or_new(demo, short_name, title, verdict):
    stored = Review.objects.get(short_name="SCR Georgia")
    doc = {"reviews": [{"short_name": short_name, "title": title or stored.title}]}
    assert _verdict(doc, f"review:{short_name}") is verdict


def test_a_scale_is_exact_similar_or_new(demo):
    stored = scale_part(GradingScale.objects.get(slug="ofsted-4"))
    assert _verdict({"scales": [stored]}, "scale:ofsted-4") is Verdict.EXACT

    renamed = {**stored, "name": "Ofsted four-point"}
    match = import_plan({"scales": [renamed]}).by_ref["scale:ofsted-4"]
    assert match.verdict is Verdict.SIMILAR
    assert match.differences[0].startswith("The name differs")
    assert not match.stored_unusable
    assert match.renamed == (("slug", "ofsted-4-2"),)

    other_levels = {**stored, "levels": [{**stored["levels"][0], "code": "splendid"}]}
    match = import_plan({"scales": [other_levels]}).by_ref["scale:ofsted-4"]
    assert match.verdict is Verdict.SIMILAR
    assert "no level 'splendid'" in match.stored_unusable
    assert match.suggested is Choice.NEW

    fresh = {**stored, "slug": "traffic-light", "name": "Traffic light"}
    assert _verdict({"scales": [fresh]}, "scale:traffic-light") is Verdict.NEW


def test_the_plan_reads_a_few_queries_for_each_entry(
    demo, demo_document, django_assert_max_num_queries
):
    entries = sum(len(demo_document[key]) for key in ("agencies", "needs", "reviews", "scales"))
    # Each entry: found by its keys (at most four lookups); a scale's levels come with it.
    with django_assert_max_num_queries(4 * entries + len(demo_document["scales"])):
        plan = import_plan(demo_document)
    assert len(plan.matches) == entries


def test_the_plan_writes_nothing(demo, demo_document):
    document = changed(demo_document)
    document["agencies"][0]["name"] = "General practices"
    before = row_counts()
    assert import_plan(document).similar
    assert row_counts() == before


def test_a_similar_entry_without_a_choice_stops_the_import_and_saves_nothing(demo, demo_document):
    document = changed(demo_document)
    document["agencies"][0]["name"] = "General practices"
    before = row_counts()
    with pytest.raises(MatchesToConfirm) as asked:
        audit_import(content=as_bytes(document))
    assert [match.ref for match in asked.value.undecided] == ["agency:GPs"]
    assert row_counts() == before


def test_choosing_new_adds_the_agency_with_the_files_name(demo, demo_document):
    document = changed(demo_document)
    entry = next(a for a in document["agencies"] if a["short_name"] == "Social Care")
    # Found here by its short name, but the file's is a different organisation.
    entry["name"] = "Children's Social Care Trust"
    (match,) = import_plan(document).similar
    assert match.renamed == (("short_name", "Social Care (2)"),)
    result = audit_import(content=as_bytes(document), choices={"agency:Social Care": Choice.NEW})
    added = Agency.objects.get(name="Children's Social Care Trust")
    assert added.short_name == "Social Care (2)"
    assert result.audit.agencies.filter(pk=added.pk).exists()
    assert not result.audit.agencies.filter(name="Children's Social Care").exists()
    assert (
        "Agency 'Children's Social Care Trust (Social Care)' added as new (short name "
        "'Social Care (2)'), as chosen" in " ".join(result.matches)
    )


def test_choosing_stored_uses_the_stored_agency_and_says_so(demo, demo_document):
    document = changed(demo_document)
    document["agencies"][0]["name"] = "General practices"
    agencies = Agency.objects.count()
    result = audit_import(content=as_bytes(document), choices={"agency:GPs": Choice.STORED})
    assert Agency.objects.count() == agencies
    stored = Agency.objects.get(short_name="GPs")
    assert result.audit.agencies.filter(pk=stored.pk).exists()
    assert stored.name == "GP practices"  # the stored one keeps its name
    sentences = " ".join(result.matches)
    assert "'General practices (GPs)' matched the stored 'GP practices (GPs)', as chosen" in (
        sentences
    )
    assert "Agency 'Police (Police)' matched the stored 'Police (Police)'." in sentences


def test_choosing_new_where_both_names_are_taken_adds_it_under_the_shown_names(demo, demo_document):
    Agency.objects.create(short_name="FT", name="Fictional Trust")
    document = changed(demo_document)
    document["agencies"][0]["name"] = "Fictional Trust"  # a stored name; its short name is GPs
    plan = import_plan(document)
    (match,) = plan.similar
    assert dict(match.renamed) == {"short_name": "GPs (2)", "name": "Fictional Trust (2)"}
    result = audit_import(content=as_bytes(document), similar=Choice.NEW)
    added = Agency.objects.get(short_name="GPs (2)")
    assert added.name == "Fictional Trust (2)"
    assert result.audit.agencies.filter(pk=added.pk).exists()


def test_decide_takes_each_choice_then_the_one_for_all(demo):
    plan = import_plan(
        {
            "agencies": [
                {"short_name": "CSC", "name": "Children's Social Care"},
                {"short_name": "police", "name": "police"},
            ]
        }
    )
    decisions = decide(plan, {"agency:CSC": Choice.NEW}, Choice.STORED)
    assert decisions.choices == {"agency:CSC": Choice.NEW, "agency:police": Choice.STORED}
    with pytest.raises(MatchesToConfirm) as asked:
        decide(plan, {"agency:CSC": Choice.NEW})
    assert [match.ref for match in asked.value.undecided] == ["agency:police"]


def test_the_brief_template_is_exported_and_matched_when_identical(demo):
    audit = _audit_with_a_template()
    document = audit_export(system_access(audit))
    template = document["brief_template"]
    assert template["name"] == "Demo partnership briefing"
    assert [section["heading"] for section in template["sections"]][:1] == [
        template["sections"][0]["heading"]
    ]
    assert _verdict(document, "template:Demo partnership briefing") is Verdict.EXACT
    result = audit_import(content=as_bytes(document))
    chosen = AuditBriefTemplate.objects.get(audit=result.audit).version
    assert chosen == AuditBriefTemplate.objects.get(audit=audit).version
    assert result.matched["brief templates"] == 1


def test_a_changed_brief_template_is_added_as_a_partnership_template(demo):
    audit = _audit_with_a_template()
    document = audit_export(system_access(audit))
    document["brief_template"]["sections"][0]["heading"] = "What we found"
    match = import_plan(document).by_ref["template:Demo partnership briefing"]
    assert match.verdict is Verdict.NEW
    assert match.renamed == (("name", "Demo partnership briefing (2)"),)
    result = audit_import(content=as_bytes(document))
    version = AuditBriefTemplate.objects.get(audit=result.audit).version
    assert version.template.name == "Demo partnership briefing (2)"
    assert not version.template.is_shipped
    first = version.sections.order_by("order").first()
    assert first is not None and first.heading == "What we found"
    assert BriefTemplate.objects.filter(name="Demo partnership briefing").count() == 1


def test_a_document_without_a_brief_template_still_imports_and_follows_the_learning_brief(
    demo, demo_document
):
    assert "brief_template" not in demo_document
    result = audit_import(content=as_bytes(demo_document))
    assert not AuditBriefTemplate.objects.filter(audit=result.audit).exists()


def _audit_with_a_template() -> Audit:
    choice = AuditBriefTemplate.objects.select_related("audit").get(
        version__template__name="Demo partnership briefing"
    )
    return choice.audit


def _rename_agency(node: Any, old: str, new: str) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"agency", "raised_by_agency", "raised_to_agency", "lead_owner"}:
                if value == old:
                    node[key] = new
            elif key in {"owners", "agencies", "taken_forward_by", "applies_to_agencies"}:
                node[key] = [new if item == old else item for item in value]
            else:
                _rename_agency(value, old, new)
    elif isinstance(node, list):
        for item in node:
            _rename_agency(item, old, new)


def test_the_demo_audit_is_the_one_without_a_template(demo):
    assert not AuditBriefTemplate.objects.filter(audit__slug=data.AUDIT_SLUG).exists()
