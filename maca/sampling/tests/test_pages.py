"""The sampling pages: upload (fatal files keep nothing), decide, cohort, draw; who may see
what; no child identifier ever reaches an auditor or the panel; query counts stay flat; and
the markup follows GOV.UK patterns under the strict CSP."""

from __future__ import annotations

import datetime as dt
import errno
import re

import pytest
from django.core.files.storage import InMemoryStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maca.accounts.models import Role
from maca.audits.models import AuditAgency, Case, PanelMembership
from maca.identifiers.models import ChildIdentity
from maca.sampling import extract as extract_module
from maca.sampling.extract import extract_exists, extract_store
from maca.sampling.models import ImportBatch, SampleDraw
from maca.sampling.tests.conftest import EPISODE_COLUMNS
from tests.factories import build_audit, person_with_role

pytestmark = pytest.mark.django_db
IN_MEMORY = "django.core.files.storage.InMemoryStorage"


def _upload(client, audit, paths, year=2024, districts="Z1,Z2,Z3,Z4,Z5,Z6,Z7,Z8,Z9"):
    files = [SimpleUploadedFile(p.name, p.read_bytes(), "text/csv") for p in paths]
    return client.post(
        reverse("sampling:import-new", args=[audit.slug]),
        {"extract_files": files, "year": year, "home_districts": districts},
    )


def _uploads_left(batch: ImportBatch) -> list[str]:
    storage = storages["extracts"]
    return storage.listdir(batch.upload_folder)[1] if storage.exists(batch.upload_folder) else []


@pytest.fixture
def built():
    return build_audit(cases=0, agencies=2, findings=0, status="sampling")


@pytest.fixture
def ready(client, built, generated):
    client.force_login(built.coordinator)
    response = _upload(client, built.audit, generated(children=80, seed=3))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.READY, batch.fatal_problems
    return batch


def _draw(client, built, batch, **extra):
    data = {
        "census_day": 31, "census_month": 3, "census_year": 2024, "location": "out",
        "uasc": "any", "missing": "any", "placements": "any",
        "method": "random", "size": 5, "seed": 321,
    } | extra  # fmt: skip
    return client.post(reverse("sampling:sample", args=[built.audit.slug, batch.public_id]), data)


def test_upload_runs_the_import_and_shows_the_result(client, built, ready):
    page = client.get(reverse("sampling:import", args=[built.audit.slug, ready.public_id]))
    assert "Ready for sampling" in page.text
    assert "episodes.csv" in page.text
    assert not _uploads_left(ready)  # uploads are deleted once read
    assert extract_exists(extract_store(ready.storage_name))


def test_the_same_files_imported_before_are_dated_as_people_write_it(client, built, ready):
    made = dt.datetime(2026, 12, 3, 20, 25, 41, tzinfo=dt.UTC)  # 8:25pm in London in winter
    ready.summary["same_as"] = {
        "public_id": "fictional-earlier",
        "created_at": made.isoformat(),
        "same_audit": True,
    }
    ready.save(update_fields=["summary"])
    page = client.get(reverse("sampling:import", args=[built.audit.slug, ready.public_id])).text
    assert "imported before for this audit, on 3 December 2026, 8:25pm" in page
    assert "2026-12-03" not in page


def test_uploads_and_extracts_go_to_whichever_storage_is_configured(
    client, built, generated, sampling_dir, settings
):
    """A second storage location in place of the local folder (as object storage shared by
    several machines would be): the web request, the worker and the cohort page use it, and
    nothing is written to the local folder."""
    settings.STORAGES = {**settings.STORAGES, "extracts": {"BACKEND": IN_MEMORY}}
    client.force_login(built.coordinator)
    assert _upload(client, built.audit, generated(children=30, seed=4)).status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.READY, batch.fatal_problems
    assert isinstance(storages["extracts"], InMemoryStorage)
    assert extract_exists(extract_store(batch.storage_name)) and not _uploads_left(batch)
    assert not sampling_dir.exists() or not any(sampling_dir.rglob("*"))
    cohort = client.get(reverse("sampling:cohort", args=[built.audit.slug, batch.public_id]))
    assert cohort.status_code == 200


def test_fatal_upload_keeps_nothing(client, built, write, sampling_dir):
    client.force_login(built.coordinator)
    bad = write("episodes.csv", "CHILD,DECOM\n1,01/01/2024\n")
    response = _upload(client, built.audit, [bad])
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == ImportBatch.Status.FAILED
    assert not extract_exists(extract_store(batch.storage_name)) and not _uploads_left(batch)
    assert [p for p in sampling_dir.rglob("*") if p.is_file()] == []
    page = client.get(response["Location"])
    assert "Why the files cannot be imported" in page.text
    assert "episodes.csv" in page.text and "row 1" in page.text


def test_row_problems_wait_for_a_decision(client, built, minimal_extract, write):
    client.force_login(built.coordinator)
    episodes = write(
        "episodes.csv",
        f"{EPISODE_COLUMNS}\n"
        "9000001,01/05/2023,S,C2,N1,Q9,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n"
        "9000002,01/06/2023,S,V2,N4,K2,PR4,,,,Z1 1AA,Z3 3CC,SC123456\n",
    )
    _upload(client, built.audit, [minimal_extract[0], episodes])
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.NEEDS_DECISION
    page = client.get(reverse("sampling:import", args=[built.audit.slug, batch.public_id]))
    assert "Q9" in page.text and "is not a PLACE code" in page.text and "row 2" in page.text
    decide = reverse("sampling:import-decide", args=[built.audit.slug, batch.public_id])
    assert client.post(decide, {}).status_code == 400  # a choice is required
    client.post(decide, {"decision": "refuse"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED and not extract_exists(
        extract_store(batch.storage_name)
    )


def test_problem_download_is_safe_for_spreadsheets(client, built, minimal_extract, write):
    client.force_login(built.coordinator)
    episodes = write(
        "episodes.csv",
        f"{EPISODE_COLUMNS}\n9000001,01/05/2023,S,=C2,N1,U4,PR1,,,,Z1 1AA,Y2 2BB,XXXXXXX\n",
    )
    _upload(client, built.audit, [minimal_extract[0], episodes])
    batch = ImportBatch.objects.get()
    csv_text = client.get(
        reverse("sampling:import-problems", args=[built.audit.slug, batch.public_id])
    ).content.decode()
    assert "'=C2" in csv_text and ",=C2" not in csv_text


def test_cohort_and_draw_through_the_pages(client, built, ready):
    cohort = client.get(reverse("sampling:cohort", args=[built.audit.slug, ready.public_id]))
    assert "Children after each filter" in cohort.text and "Placed out of area" in cohort.text
    response = _draw(client, built, ready)
    assert response.status_code == 302, response.content[:2000]
    draw = SampleDraw.objects.get()
    page = client.get(response["Location"])
    assert "How the sample was drawn" in page.text and "321" in page.text
    assert Case.objects.filter(audit=built.audit).count() == 5
    assert (
        client.get(
            reverse(
                "sampling:case-facts", args=[built.audit.slug, draw.children.get(order=1).case_id]
            )
        ).status_code
        == 200
    )


@pytest.fixture
def object_storage(settings):
    """The `extracts` storage switched to one with no local paths, as an S3-compatible
    object store is."""
    settings.STORAGES = settings.STORAGES | {
        "extracts": {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    }


def test_import_cohort_and_draw_work_from_object_storage(
    client, built, object_storage, generated, sampling_dir
):
    client.force_login(built.coordinator)
    response = _upload(client, built.audit, generated(children=60, seed=4))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.READY, batch.fatal_problems
    kept = storages["extracts"]
    versions, _files = kept.listdir(batch.storage_name)
    assert len(versions) == 1 and kept.exists(f"{batch.storage_name}/{versions[0]}/COMPLETE")
    # Nothing of the extract is kept in the local folder.
    assert not any(sampling_dir.glob("import-*"))
    assert "Ready for sampling" in client.get(response["Location"]).text
    cohort = client.get(reverse("sampling:cohort", args=[built.audit.slug, batch.public_id]))
    assert "Placed out of area" in cohort.text
    assert _draw(client, built, batch).status_code == 302
    assert Case.objects.filter(audit=built.audit).count() == 5
    problems = client.get(
        reverse("sampling:import-problems", args=[built.audit.slug, batch.public_id])
    )
    assert problems.status_code == 200


@pytest.mark.faults
def test_a_full_disk_while_keeping_the_extract_is_a_clear_error(
    client, built, generated, sampling_dir, monkeypatch
):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(extract_module, "write_frame", full)
    client.force_login(built.coordinator)
    response = _upload(client, built.audit, generated(children=30, seed=6))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED
    assert not extract_exists(extract_store(batch.storage_name))
    assert not any(sampling_dir.rglob("*.enc")) and not _uploads_left(batch)
    page = client.get(response["Location"])
    assert "no room left to keep the checked extract" in page.text


def test_stratified_without_strata_is_an_error_linked_to_the_field(client, built, ready):
    response = _draw(client, built, ready, method="stratified")
    assert response.status_code == 400
    assert 'href="#id_stratify_by_0"' in response.text
    assert 'id="id_stratify_by_0"' in response.text


def test_people_who_are_not_coordinators_get_not_found(client, built, ready):
    auditor = person_with_role(Role.AGENCY_AUDITOR, agency=built.agencies[0])
    panel = person_with_role(Role.PANEL_MEMBER)
    PanelMembership.objects.create(audit=built.audit, user=panel)
    stranger = person_with_role(Role.COORDINATOR)
    urls = [
        reverse("sampling:imports", args=[built.audit.slug]),
        reverse("sampling:import-new", args=[built.audit.slug]),
        reverse("sampling:import", args=[built.audit.slug, ready.public_id]),
        reverse("sampling:import-status", args=[built.audit.slug, ready.public_id]),
        reverse("sampling:import-problems", args=[built.audit.slug, ready.public_id]),
        reverse("sampling:cohort", args=[built.audit.slug, ready.public_id]),
    ]
    for person in (auditor, panel, stranger):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)


def _identifier_forms(identity: ChildIdentity) -> list[str]:
    dob = dt.date.fromisoformat(identity.date_of_birth)
    forms = [
        identity.la_child_id,
        identity.date_of_birth,
        f"{dob:%d/%m/%Y}",
        f"{dob.day} {dob:%B %Y}",
    ]
    if identity.upn and not identity.upn.startswith("UN"):
        forms.append(identity.upn)
    return forms


def test_no_child_identifier_reaches_auditors_or_the_panel(client, built, ready):
    _draw(client, built, ready, size=6)
    draw = SampleDraw.objects.get()
    cases = list(Case.objects.filter(audit=built.audit))
    for case in cases:
        Case.objects.filter(pk=case.pk)  # touch
        from maca.audits.models import AgencyInvolvement

        for agency in built.agencies:
            AgencyInvolvement.objects.get_or_create(
                case=case, agency=agency, defaults={"status": "involved"}
            )
    identities = list(ChildIdentity.objects.filter(case__audit=built.audit))
    assert len(identities) == 6
    forbidden = [form for identity in identities for form in _identifier_forms(identity)]
    # Nor are they in the case's own fields or facts.
    for case in cases:
        stored = f"{case.facts} {case.pseudonym} {case.placement_area} {case.gender}"
        assert not [form for form in forbidden if form in stored]

    auditor = person_with_role(Role.AGENCY_AUDITOR, agency=built.agencies[0])
    panel = person_with_role(Role.PANEL_MEMBER)
    PanelMembership.objects.create(audit=built.audit, user=panel)
    pages = [
        reverse("audits:overview", args=[built.audit.slug]),
        reverse("audits:grid", args=[built.audit.slug]),
        *[reverse("sampling:case-facts", args=[built.audit.slug, case.pk]) for case in cases],
    ]
    for person, extra in (
        (auditor, []),
        (panel, [reverse("sampling:draw", args=[built.audit.slug, draw.pk])]),
    ):
        client.force_login(person)
        for url in pages + extra:
            response = client.get(url)
            assert response.status_code == 200, (person, url)
            leaked = [
                form for form in forbidden if re.search(rf"\b{re.escape(form)}\b", response.text)
            ]
            assert not leaked, (person, url, leaked)
    # The agency auditor cannot open the draw record at all.
    client.force_login(auditor)
    assert client.get(reverse("sampling:draw", args=[built.audit.slug, draw.pk])).status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_query_counts_do_not_grow_with_children(client, built, ready, generated):
    _draw(client, built, ready, size=3)
    small_draw = SampleDraw.objects.get()
    big = build_audit(cases=0, agencies=2, findings=0, status="sampling")
    client.force_login(big.coordinator)
    _upload(client, big.audit, generated(children=150, seed=4))
    big_batch = ImportBatch.objects.get(audit=big.audit)
    _draw(client, big, big_batch, size=12)
    big_draw = SampleDraw.objects.get(audit=big.audit)
    pairs: list[tuple[str, list, list, object]] = [
        ("sampling:imports", [built.audit.slug], [big.audit.slug], built),
        (
            "sampling:import",
            [built.audit.slug, ready.public_id],
            [big.audit.slug, big_batch.public_id],
            built,
        ),
        (
            "sampling:cohort",
            [built.audit.slug, ready.public_id],
            [big.audit.slug, big_batch.public_id],
            built,
        ),
        ("sampling:draw", [built.audit.slug, small_draw.pk], [big.audit.slug, big_draw.pk], built),
    ]
    for name, small_args, big_args, _audit in pairs:
        client.force_login(built.coordinator)
        small = _queries(client, reverse(name, args=small_args))
        client.force_login(big.coordinator)
        large = _queries(client, reverse(name, args=big_args))
        assert small == large, name


def test_markup_has_labels_and_no_inline_styles_or_scripts(client, built, ready):
    _draw(client, built, ready, size=2)
    draw = SampleDraw.objects.get()
    urls = [
        reverse("sampling:imports", args=[built.audit.slug]),
        reverse("sampling:import-new", args=[built.audit.slug]),
        reverse("sampling:import", args=[built.audit.slug, ready.public_id]),
        reverse("sampling:cohort", args=[built.audit.slug, ready.public_id]),
        reverse("sampling:draw", args=[built.audit.slug, draw.pk]),
        reverse("sampling:case-facts", args=[built.audit.slug, draw.children.get(order=1).case_id]),
    ]
    for url in urls:
        html = client.get(url).text
        assert " style=" not in html, url
        for script in re.findall(r"<script[^>]*>", html):
            assert "src=" in script or "nonce=" in script, (url, script)
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        for target in re.findall(r'<label[^>]*\bfor="([^"]+)"', html):
            assert target in ids, (url, target)
        for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
            if f'for="{field_id}"' not in html:
                pytest.fail(f"{url}: input {field_id} has no label")
        assert len(ids) == len(re.findall(r'\bid="([^"]+)"', html)), f"{url}: duplicate ids"


def test_status_endpoint_reports_progress(client, built, ready):
    data = client.get(
        reverse("sampling:import-status", args=[built.audit.slug, ready.public_id])
    ).json()
    assert data["finished"] is True and data["progress"] == 100 and data["status"] == "ready"


def test_upload_with_json_accept_returns_urls(client, built, minimal_extract):
    client.force_login(built.coordinator)
    files = [SimpleUploadedFile(p.name, p.read_bytes(), "text/csv") for p in minimal_extract]
    response = client.post(
        reverse("sampling:import-new", args=[built.audit.slug]),
        {"extract_files": files, "year": 2024, "home_districts": "Z1"},
        headers={"accept": "application/json"},
    )
    assert set(response.json()) == {"url", "status_url"}
    missing = client.post(
        reverse("sampling:import-new", args=[built.audit.slug]),
        {"year": 2024},
        headers={"accept": "application/json"},
    )
    assert missing.status_code == 400 and "extract_files" in missing.json()["errors"]
    AuditAgency.objects.none()


def test_a_file_that_is_not_903_csv_or_xml_is_refused_by_name_and_content(client, built):
    client.force_login(built.coordinator)
    renamed_zip = SimpleUploadedFile("header.csv", b"PK\x03\x04\x00\x00binary", "text/csv")
    spreadsheet = SimpleUploadedFile("episodes.xlsx", b"PK\x03\x04", "application/zip")
    response = client.post(
        reverse("sampling:import-new", args=[built.audit.slug]),
        {"extract_files": [renamed_zip, spreadsheet], "year": 2024, "home_districts": "Z1"},
    )
    assert response.status_code == 200
    assert "header.csv is not a 903 CSV or XML file" in response.text
    assert "episodes.xlsx must be a 903 CSV or XML file (.csv or .xml)" in response.text
    assert not ImportBatch.objects.exists()
