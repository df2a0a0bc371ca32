"""Format version 2: an audit's stated figures, the end of its dates, its partnerships, the
other audits its brief covers and an action's lead organisation travel with it, and version 1
documents still import as they did. All data here is the demo's, and fictional."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from maca.accounts.models import Agency
from maca.audits.models import Audit, AuditFigures
from maca.core.partial_dates import FINANCIAL, PartialDate
from maca.demo import programme
from maca.exchange.document import DocumentInvalid, validate_document
from maca.exchange.selectors import audit_export
from maca.exchange.services import audit_import
from maca.exchange.tests.conftest import as_bytes, changed, forget_demo, without_volatile
from maca.learning.models import Action, ActionStatus
from maca.reports.brief import system_access
from maca.reports.models import AuditLink

pytestmark = pytest.mark.django_db

V1_EXAMPLE = Path(settings.BASE_DIR) / "docs" / "examples" / "past-audit-cla-out-of-area-2018.json"
PROGRAMME = (programme.RECORDS_2016, programme.TABLETOP_2017, programme.RECORDS_2017)


def _export(audit: Audit) -> dict[str, Any]:
    return audit_export(system_access(audit))


def _refused(document: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(DocumentInvalid) as error:
        audit_import(content=as_bytes(document))
    return {problem.path: problem.message for problem in error.value.problems}


def _give_everything_new(audit: Audit) -> None:
    """The programme's lead audit with every field version 2 added, on top of its figures,
    date range and links: partnerships, and actions led by a listed agency and by one that
    is not listed."""
    audit.partnership_names = "Northshire Safeguarding Children Partnership\nSouthdale Partnership"
    audit.save()
    police, health = Agency.objects.order_by("short_name")[:2]
    listed = Action.objects.create(
        audit=audit,
        order=1,
        description="Invite police to every strategy meeting by phone as well as e-mail",
        lead_owner=police,
        other_owners="Northshire Youth Justice Service\nThe local academy trust",
        status=ActionStatus.AGREED,
    )
    listed.owners.set([police, health])
    Action.objects.create(
        audit=audit,
        order=2,
        description="Publish the strategy meeting standard",
        lead_owner_name="Northshire Safeguarding Children Partnership business unit",
        status=ActionStatus.NOT_RECORDED,
    )


def test_every_demo_audit_exports_a_valid_document(demo):
    audits = list(Audit.objects.order_by("slug"))
    assert len(audits) >= 5
    for audit in audits:
        document = _export(audit)
        assert document["format_version"] == 2
        assert validate_document(document) == [], audit.slug


def test_a_financial_year_audit_exports_and_imports(demo):
    past = Audit.objects.get(slug=programme.RECORDS_2016)
    document = _export(past)
    assert document["audit"]["audit_date"] == "2016-FY"
    assert document["audit"]["figures"]["grades_base"] == 45
    imported = audit_import(content=as_bytes(document)).audit
    imported.refresh_from_db()
    assert imported.audit_date == PartialDate(2016, year_kind=FINANCIAL)
    assert str(imported.audit_date) == "2016/17"
    assert without_volatile(_export(imported)) == without_volatile(document)


def test_an_audit_with_everything_new_survives_the_round_trip_into_an_empty_deployment(demo):
    lead = Audit.objects.get(slug=programme.RECORDS_2017)
    _give_everything_new(lead)
    documents = [_export(Audit.objects.get(slug=slug)) for slug in PROGRAMME]
    new = documents[-1]
    assert new["audit"]["audit_date_until"] == "2018-01-19"
    assert [link["slug"] for link in new["audit"]["linked_audits"]] == [
        programme.TABLETOP_2017,
        programme.RECORDS_2016,
    ]
    assert [a["lead_owner"] is not None for a in new["actions"]] == [True, False]
    assert new["actions"][0]["other_owners"] == [
        "Northshire Youth Justice Service",
        "The local academy trust",
    ]
    forget_demo()  # inside this test's savepoint: the demo is back for the next test
    # The audits the brief covers come first, as a partnership moving them in would.
    imported = [audit_import(content=as_bytes(document)) for document in documents]
    assert all(result.notes == [] for result in imported)
    for result, document in zip(imported, documents, strict=True):
        assert without_volatile(_export(result.audit)) == without_volatile(document)
    lead = imported[-1].audit
    assert lead.partnerships == (
        "Northshire Safeguarding Children Partnership",
        "Southdale Partnership",
    )
    assert AuditFigures.objects.get(audit=lead).grades.count() == 2


def test_a_link_to_an_audit_not_here_is_left_out_with_a_note_naming_it(demo):
    document = _export(Audit.objects.get(slug=programme.RECORDS_2017))
    document["audit"]["linked_audits"][1]["slug"] = "strategy-meetings-2015-16"
    result = audit_import(content=as_bytes(document))
    kept = AuditLink.objects.filter(audit=result.audit)
    assert [link.other.slug for link in kept] == [programme.TABLETOP_2017]
    [note] = [note for note in result.notes if "brief covers" in note]
    assert "'strategy-meetings-2015-16'" in note
    assert "'Other audits the brief covers'" in note
    assert programme.TABLETOP_2017 not in note


def test_a_version_1_document_still_imports_unchanged(demo):
    """The committed example was written in version 1 and is kept so."""
    document = json.loads(V1_EXAMPLE.read_text(encoding="utf-8"))
    assert document["format_version"] == 1
    forget_demo()
    audit = audit_import(content=V1_EXAMPLE.read_bytes()).audit
    assert audit.audit_date_until is None and audit.partnership_names == ""
    assert not AuditFigures.objects.filter(audit=audit).exists()
    assert not AuditLink.objects.filter(audit=audit).exists()
    assert Action.objects.filter(audit=audit, lead_owner__isnull=True).count() == 2
    again = _export(audit)
    # Exported as version 2, it holds what version 1 gave, with the new fields empty.
    assert again["audit"].pop("audit_date_until") is None
    assert again["audit"].pop("partnership_names") == []
    assert again["audit"].pop("figures") is None
    assert again["audit"].pop("linked_audits") == []
    for action in again["actions"]:
        assert action.pop("lead_owner") is None
        assert action.pop("lead_owner_name") == ""
        assert action.pop("other_owners") == []
    assert without_volatile(again)["audit"] == without_volatile(document)["audit"]
    for part in ("agencies", "reviews", "scales", "involvement", "resources"):
        assert again[part] == document[part], part
    assert len(again["cases"]) == len(document["cases"])
    assert [a["description"] for a in again["actions"]] == [
        a["description"] for a in document["actions"]
    ]
    # Without the new fields it is a version 1 document again.
    again["format_version"] = 1
    assert validate_document(again) == []


def test_a_version_1_document_carrying_version_2_fields_is_refused(demo):
    document = changed(json.loads(V1_EXAMPLE.read_text(encoding="utf-8")))
    document["audit"]["partnership_names"] = ["Northshire Safeguarding Children Partnership"]
    document["actions"][0]["lead_owner_name"] = "The partnership"
    problems = _refused(document)
    assert "new in format version 2" in problems["$.audit.partnership_names"]
    assert "new in format version 2" in problems["$.actions[0].lead_owner_name"]


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (
            lambda d: d["audit"].update(audit_date_until="2017-12"),
            "$.audit.audit_date_until",
            "before the audit began",
        ),
        (
            lambda d: d["audit"]["linked_audits"].append(
                {"slug": d["audit"]["slug"], "relationship": "compared"}
            ),
            "$.audit.linked_audits[2].slug",
            "linked to itself",
        ),
        (
            lambda d: d["audit"]["linked_audits"].append(
                {"slug": programme.RECORDS_2016, "relationship": "compared"}
            ),
            "$.audit.linked_audits[2].slug",
            "more than once",
        ),
        (
            lambda d: d["audit"]["figures"]["grades"].append({"label": "good", "count": -1}),
            "$.audit.figures.grades[2].count",
            "must be 0 or more",
        ),
        (
            lambda d: d["audit"].update(audit_date="2016-QY"),
            "$.audit.audit_date",
            "is not in the form",
        ),
    ],
    ids=["ends before it begins", "linked to itself", "linked twice", "negative count", "year"],
)
def test_a_wrong_version_2_field_is_refused_where_it_is(demo, change, path, words):
    document = _export(Audit.objects.get(slug=programme.RECORDS_2017))
    change(document)
    assert words in _refused(document)[path]


def test_an_action_lead_must_be_one_of_its_owners_and_given_once(demo):
    lead = Audit.objects.get(slug=programme.RECORDS_2017)
    _give_everything_new(lead)
    document = _export(lead)
    document["actions"][0]["owners"].remove(document["actions"][0]["lead_owner"])
    document["actions"][0]["lead_owner_name"] = "Northshire Police"
    problems = _refused(document)
    assert "not one of the action's `owners`" in problems["$.actions[0].lead_owner"]
    assert "given twice" in problems["$.actions[0].lead_owner_name"]
