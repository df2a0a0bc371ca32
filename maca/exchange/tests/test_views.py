"""Coordinators download an audit's export from its overview, and upload a file to import."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.demo import data
from maca.exchange.tests.conftest import HOSTILE_DOCUMENTS, as_bytes, changed, row_counts
from tests.factories import mark_recently_authenticated

pytestmark = pytest.mark.django_db


def _signed_in(client, email):
    user = User.objects.get(email=email)
    client.force_login(user)
    # Exporting needs a recent sign-in (maca.accounts.reauth).
    mark_recently_authenticated(client, user)
    return client


def test_the_coordinator_downloads_the_export_from_the_overview(demo, client):
    _signed_in(client, data.COORDINATOR)
    overview = client.get(reverse("audits:overview", args=[data.AUDIT_SLUG])).content.decode()
    url = reverse("exchange:export", args=[data.AUDIT_SLUG])
    assert url in overview
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["audit"]["slug"] == data.AUDIT_SLUG


@pytest.mark.parametrize(
    "email", [data.PANEL_CHAIR, data.auditor_email("Police"), data.LOGINS[4][1]]
)
def test_nobody_else_sees_or_gets_the_export(demo, client, email):
    _signed_in(client, email)
    url = reverse("exchange:export", args=[data.AUDIT_SLUG])
    overview = client.get(reverse("audits:overview", args=[data.AUDIT_SLUG])).content.decode()
    assert url not in overview
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("email", [data.PANEL_CHAIR, data.auditor_email("Police")])
def test_nobody_else_is_asked_to_confirm_before_the_404(demo, client, email):
    # Signed in long enough ago to be asked to confirm: someone outside the export's scope
    # still gets the 404, not the confirmation page, so the audit's existence is not told.
    client.force_login(User.objects.get(email=email))
    assert client.get(reverse("exchange:export", args=[data.AUDIT_SLUG])).status_code == 404


def test_the_coordinator_confirms_who_they_are_before_exporting(demo, client):
    client.force_login(User.objects.get(email=data.COORDINATOR))
    response = client.get(reverse("exchange:export", args=[data.AUDIT_SLUG]))
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]


def test_a_coordinator_imports_a_file_and_coordinates_the_new_audit(demo, client, demo_document):
    _signed_in(client, data.COORDINATOR)
    upload = SimpleUploadedFile("audit.json", as_bytes(demo_document), "application/json")
    response = client.post(reverse("exchange:import"), {"document": upload, "slug": "copy"})
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:overview", args=["copy"])
    audit = Audit.objects.get(slug="copy")
    assert audit.coordinators.get().email == data.COORDINATOR


def test_a_bad_file_is_listed_with_json_paths_and_nothing_saved(demo, client, demo_document):
    _signed_in(client, data.COORDINATOR)
    document = changed(demo_document)
    document["cases"][3]["pseudonym"] = document["cases"][0]["pseudonym"]
    document["returns"][0]["answers"][0]["question"] = "Q99.9"
    before = row_counts()
    upload = SimpleUploadedFile("audit.json", as_bytes(document), "application/json")
    response = client.post(reverse("exchange:import"), {"document": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file was not imported" in page
    assert "$.cases[3].pseudonym" in page
    assert "$.returns[0].answers[0].question" in page
    assert row_counts() == before


@pytest.mark.parametrize(
    ("content", "path", "words"),
    [case[1:] for case in HOSTILE_DOCUMENTS],
    ids=[case[0] for case in HOSTILE_DOCUMENTS],
)
def test_a_hostile_file_is_refused_on_the_page(demo, client, content, path, words):
    _signed_in(client, data.COORDINATOR)
    before = row_counts()
    upload = SimpleUploadedFile("audit.json", content, "application/json")
    response = client.post(reverse("exchange:import"), {"document": upload})
    assert response.status_code == 200
    if content.lstrip()[:1] in (b"{", b"["):
        assert "The file was not imported" in response.text
        assert any(
            problem.path == path and words in problem.message
            for problem in response.context["problems"]
        )
    else:  # not even the start of a JSON object: refused at the upload, before it is read
        assert "is not a JSON file (.json): its contents are of another kind" in response.text
    assert row_counts() == before


def test_a_taken_slug_is_shown_against_its_field(demo, client, demo_document):
    _signed_in(client, data.COORDINATOR)
    upload = SimpleUploadedFile("audit.json", as_bytes(demo_document), "application/json")
    response = client.post(
        reverse("exchange:import"), {"document": upload, "slug": data.AUDIT_SLUG}
    )
    assert "already exists" in response.content.decode()
    assert response.context["form"].errors["slug"]


def test_an_oversized_upload_is_refused(demo, client, demo_document, settings):
    settings.AUDIT_IMPORT_MAX_BYTES = 1000
    _signed_in(client, data.COORDINATOR)
    upload = SimpleUploadedFile("audit.json", as_bytes(demo_document), "application/json")
    page = client.post(reverse("exchange:import"), {"document": upload}).content.decode()
    assert "largest accepted" in page


def test_only_coordinators_may_import(demo, client):
    _signed_in(client, data.auditor_email("Police"))
    assert client.get(reverse("exchange:import")).status_code == 404
    _signed_in(client, data.COORDINATOR)
    assert client.get(reverse("exchange:import")).status_code == 200


def test_the_schema_is_served_for_people_writing_files(demo, client):
    _signed_in(client, data.COORDINATOR)
    response = client.get(reverse("exchange:schema"))
    assert response.status_code == 200
    assert json.loads(response.content)["title"] == "maca whole-audit export"
