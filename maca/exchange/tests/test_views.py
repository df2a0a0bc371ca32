"""Coordinators download an audit's export from its overview, and upload a file to import."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from maca.accounts.models import Agency, Role, User
from maca.audits.models import Audit
from maca.demo import data
from maca.exchange.forms import field_name
from maca.exchange.models import PENDING_IMPORT_HOURS, PendingImport
from maca.exchange.tests.conftest import HOSTILE_DOCUMENTS, as_bytes, changed, row_counts
from tests.factories import mark_recently_authenticated, person_with_role

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


# --- Choosing what entries that match only in part become -----------------------------------


def _similar_upload(demo_document):
    """The demo audit with GPs found here by short name only, and Police differing only in
    letter case."""
    document = changed(demo_document)
    gps = next(a for a in document["agencies"] if a["short_name"] == "GPs")
    gps["name"] = "General practices"
    Agency.objects.filter(short_name="Police").update(name="POLICE")
    return SimpleUploadedFile("similar.json", as_bytes(document), "application/json")


def _upload_to_choices(client, demo_document, slug=""):
    response = client.post(
        reverse("exchange:import"), {"document": _similar_upload(demo_document), "slug": slug}
    )
    assert response.status_code == 302
    pending = PendingImport.objects.get()
    assert response["Location"] == reverse("exchange:choose", args=[pending.public_id])
    return response["Location"], pending


def test_an_upload_with_similar_matches_asks_and_saves_no_audit(demo, client, demo_document):
    _signed_in(client, data.COORDINATOR)
    audits = Audit.objects.count()
    url, pending = _upload_to_choices(client, demo_document)
    assert Audit.objects.count() == audits
    # Kept encrypted: the stored column is not the file's text, which only the model reads.
    with connection.cursor() as cursor:
        cursor.execute("SELECT document FROM exchange_pendingimport WHERE id = %s", [pending.pk])
        (stored,) = cursor.fetchone()
    assert "General practices" not in stored
    assert "General practices" in PendingImport.objects.get(pk=pending.pk).document
    assert pending.uploaded_by.email == data.COORDINATOR
    page = client.get(url)
    text = page.content.decode()
    assert "Check what the file matches" in text
    assert "In the file: General practices (GPs). Stored: GP practices (GPs)" in text
    assert "Use the stored one: GP practices (GPs)" in text
    assert "Add it as a new agency, as short name &#x27;GPs (2)&#x27;" in text
    form = page.context["form"]
    gps, police = (
        form[field_name(match)] for match in page.context["plan"].similar
    )  # in the file's order
    # Only letter case differs for Police: the stored one is offered first; GPs is left open.
    assert police.value() == "stored" and gps.value() is None


def test_an_unanswered_choice_is_an_error_and_saves_nothing(demo, client, demo_document):
    _signed_in(client, data.COORDINATOR)
    url, _ = _upload_to_choices(client, demo_document)
    audits = Audit.objects.count()
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Choose whether to use the stored agency &#x27;GP practices (GPs)&#x27;" in (
        response.content.decode()
    )
    assert Audit.objects.count() == audits


def _answers(page_context, **by_ref):
    return {field_name(match): by_ref[match.ref] for match in page_context["plan"].similar}


def test_choosing_new_adds_the_files_agency_and_the_message_says_so(demo, client, demo_document):
    _signed_in(client, data.COORDINATOR)
    url, _ = _upload_to_choices(client, demo_document, slug="with-choices")
    answers = _answers(client.get(url).context, **{"agency:GPs": "new", "agency:Police": "stored"})
    response = client.post(url, answers, follow=True)
    audit = Audit.objects.get(slug="with-choices")
    added = Agency.objects.get(short_name="GPs (2)")
    assert added.name == "General practices"
    assert audit.agencies.filter(pk=added.pk).exists()
    assert audit.agencies.filter(short_name="Police").exists()
    text = response.content.decode()
    assert "Agency &#x27;General practices (GPs)&#x27; added as new" in text
    assert (
        "Agency &#x27;Police (Police)&#x27; matched the stored &#x27;POLICE (Police)&#x27;, "
        "as chosen" in text
    )
    assert "Matched the same ones stored here: agency" in text
    assert not PendingImport.objects.exists()  # deleted once imported
    assert audit.coordinators.get().email == data.COORDINATOR


def test_choosing_stored_uses_the_stored_agency(demo, client, demo_document):
    _signed_in(client, data.COORDINATOR)
    url, _ = _upload_to_choices(client, demo_document, slug="stored-choice")
    agencies = Agency.objects.count()
    answers = _answers(
        client.get(url).context, **{"agency:GPs": "stored", "agency:Police": "stored"}
    )
    client.post(url, answers)
    audit = Audit.objects.get(slug="stored-choice")
    assert Agency.objects.count() == agencies
    assert audit.agencies.filter(short_name="GPs", name="GP practices").exists()


def test_the_upload_waiting_for_choices_is_its_uploaders_alone(demo, client, demo_document):
    _signed_in(client, data.COORDINATOR)
    url, _ = _upload_to_choices(client, demo_document)
    other = person_with_role(Role.COORDINATOR, email="second.coordinator@demo.maca.test")
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


def test_an_upload_waiting_too_long_is_gone_and_deleted_at_the_next_upload(
    demo, client, demo_document
):
    _signed_in(client, data.COORDINATOR)
    url, pending = _upload_to_choices(client, demo_document)
    PendingImport.objects.filter(pk=pending.pk).update(
        uploaded_at=timezone.now() - dt.timedelta(hours=PENDING_IMPORT_HOURS, minutes=1)
    )
    assert client.get(url).status_code == 404
    client.post(reverse("exchange:import"), {"document": _similar_upload(demo_document)})
    assert not PendingImport.objects.filter(pk=pending.pk).exists()


def test_the_daily_run_deletes_an_upload_left_waiting(demo, client, demo_document):
    from maca.exchange.pending import pending_import_add
    from maca.manage.daily import daily_run

    _signed_in(client, data.COORDINATOR)
    _url, left = _upload_to_choices(client, demo_document)
    fresh = pending_import_add(user=left.uploaded_by, content=b"{}", filename="fresh.json", slug="")
    PendingImport.objects.filter(pk=left.pk).update(
        uploaded_at=timezone.now() - dt.timedelta(hours=PENDING_IMPORT_HOURS, minutes=1)
    )
    results = daily_run()
    assert results["expired waiting uploads"] == "1"
    assert list(PendingImport.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_a_slug_taken_while_choosing_sends_the_person_back_to_upload(demo, client, demo_document):
    _signed_in(client, data.COORDINATOR)
    url, _ = _upload_to_choices(client, demo_document, slug="taken-meanwhile")
    answers = _answers(client.get(url).context, **{"agency:GPs": "new", "agency:Police": "new"})
    Audit.objects.filter(slug=data.AUDIT_SLUG).update(slug="taken-meanwhile")
    audits = Audit.objects.count()
    response = client.post(url, answers)
    assert response.status_code == 200
    assert "An audit &#x27;taken-meanwhile&#x27; already exists" in response.content.decode()
    assert Audit.objects.count() == audits
    assert not PendingImport.objects.exists()


def test_the_upload_page_draws_its_fields_with_the_form_kit(demo, client):
    _signed_in(client, data.COORDINATOR)
    page = client.get(reverse("exchange:import")).content.decode()
    assert 'class="govuk-file-upload"' in page and 'accept=".json,application/json"' in page
    response = client.post(reverse("exchange:import"), {})
    text = response.content.decode()
    assert "Choose the audit file (.json) to upload" in text
    assert 'href="#id_document"' in text  # the summary links to the field


def test_a_taken_slug_is_shown_before_the_choices(demo, client, demo_document):
    _signed_in(client, data.COORDINATOR)
    response = client.post(
        reverse("exchange:import"),
        {"document": _similar_upload(demo_document), "slug": data.AUDIT_SLUG},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["slug"]
    assert not PendingImport.objects.exists()


def test_an_upload_no_configured_key_can_open_is_not_found(demo, client, demo_document):
    _signed_in(client, data.COORDINATOR)
    url, pending = _upload_to_choices(client, demo_document)
    with connection.cursor() as cursor:  # as if encrypted with a key since dropped
        cursor.execute(
            "UPDATE exchange_pendingimport SET document = %s WHERE id = %s",
            ["gAAAAAnot-a-token-any-key-opens", pending.pk],
        )
    assert client.get(url).status_code == 404
