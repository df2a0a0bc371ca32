"""Files of drafts are made by the worker: asking (a POST) queues a job and shows its progress,
the worker makes the file once, and only the person who asked downloads it. Opening the
download's address only offers the button. Old files go after MACA_DRAFT_RENDER_DAYS. Every
name and fact here is invented."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.storage import storages
from django.test import override_settings
from django.urls import reverse
from docx import Document

from maca.accounts.models import Role
from maca.reports import draft_renders, tasks
from maca.reports.models import DraftRender
from tests.factories import build_audit, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Jobs are only queued, as with a real worker that has not got to them yet."""
    jobs: list[int] = []

    class Queue:
        enqueue = staticmethod(jobs.append)

    monkeypatch.setattr(tasks, "render_draft_task", Queue)
    return jobs


@pytest.fixture
def draft(client: Any) -> Any:
    built = build_audit(cases=2, agencies=2, findings=3, status="findings")
    client.force_login(built.coordinator)
    return built


def _ask(client: Any, slug: str, name: str = "reports:brief-docx") -> Any:
    response = client.post(reverse(name, args=[slug]))
    assert response.status_code == 302
    return response


@pytest.mark.parametrize(
    ("name", "button"),
    [
        ("reports:brief-pdf", "Make a draft PDF"),
        ("reports:brief-docx", "Make a draft Word document"),
        ("reports:report-pdf", "Make a draft PDF"),
        ("reports:report-docx", "Make a draft Word document"),
        ("reports:briefing-pdf", "Make a draft PDF"),
    ],
)
def test_opening_a_draft_download_offers_the_button_and_starts_nothing(
    client, draft, queued, name, button
):
    url = reverse(name, args=[draft.audit.slug])
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        html = response.content.decode()
        assert button in html and 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert client.head(url).status_code == 200
    assert not DraftRender.objects.exists() and queued == []


def test_the_button_page_shows_the_file_already_asked_for(client, draft, queued):
    slug = draft.audit.slug
    url = reverse("reports:brief-docx", args=[slug])
    page_url = _ask(client, slug).url
    assert page_url in client.get(url).content.decode()  # being made: how it is going
    job = DraftRender.objects.get()
    draft_renders.draft_render_run(job_id=job.pk)
    ready = client.get(url).content.decode()
    assert f"{page_url}download/" in ready and "Make a draft Word document" in ready
    # Reading the page twice started nothing more.
    assert DraftRender.objects.count() == 1 and len(queued) == 1


def test_asking_needs_a_csrf_token(draft):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(draft.coordinator)
    response = strict.post(reverse("reports:brief-pdf", args=[draft.audit.slug]))
    assert response.status_code == 403
    assert not DraftRender.objects.exists()


def test_the_progress_page_offers_a_newer_file_once_finished(client, draft, queued):
    page_url = _ask(client, draft.audit.slug, "reports:report-pdf").url
    assert "Make a newer draft PDF" not in client.get(page_url).content.decode()
    draft_renders.draft_render_run(job_id=DraftRender.objects.get().pk)
    ready = client.get(page_url).content.decode()
    assert "Make a newer draft PDF" in ready
    assert f'action="{reverse("reports:report-pdf", args=[draft.audit.slug])}"' in ready


def test_a_draft_brief_is_queued_shown_in_progress_then_downloaded(client, draft, queued):
    slug = draft.audit.slug
    page_url = _ask(client, slug).url
    job = DraftRender.objects.get()
    assert queued == [job.pk] and job.status == DraftRender.Status.QUEUED
    waiting = client.get(page_url).content.decode()
    assert "Waiting for the worker to start" in waiting and "data-job-status" in waiting
    # Without JavaScript the person reloads; the download is not there yet.
    assert "Download" not in waiting
    status = client.get(reverse("reports:draft-render-status", args=[slug, job.public_id]))
    assert status.json()["finished"] is False
    assert client.get(f"{page_url}download/").status_code == 404

    draft_renders.draft_render_run(job_id=job.pk)

    ready = client.get(page_url).content.decode()
    assert "Your file is ready" in ready
    file = client.get(f"{page_url}download/")
    assert file["Content-Type"].startswith("application/vnd.openxmlformats")
    assert file["Cache-Control"] == "private, no-store"
    text = "\n".join(p.text for p in Document(io.BytesIO(file.content)).paragraphs)
    assert draft.audit.title in text


def test_asking_again_while_it_is_being_made_makes_it_once(client, draft, queued):
    first = _ask(client, draft.audit.slug).url
    second = _ask(client, draft.audit.slug).url
    assert first == second and len(queued) == 1


def test_a_task_run_twice_makes_the_file_once(client, draft, queued, monkeypatch):
    _ask(client, draft.audit.slug)
    job = DraftRender.objects.get()
    draft_renders.draft_render_run(job_id=job.pk)
    job.refresh_from_db()
    made_first = job.stored_name

    def must_not_run(*args: Any) -> Any:
        raise AssertionError("made again")

    monkeypatch.setattr(draft_renders, "_make", must_not_run)
    draft_renders.draft_render_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == DraftRender.Status.READY and job.stored_name == made_first


def test_a_file_that_cannot_be_made_says_so_and_keeps_nothing(client, draft, queued, monkeypatch):
    def broken(*args: Any) -> Any:
        raise RuntimeError("fictional renderer failure")

    monkeypatch.setattr(draft_renders, "_make", broken)
    page_url = _ask(client, draft.audit.slug).url
    job = DraftRender.objects.get()
    draft_renders.draft_render_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == DraftRender.Status.FAILED and job.stored_name == ""
    page = client.get(page_url).content.decode()
    assert "The file could not be made" in page and "Try again" in page
    assert not storages["renders"].exists(f"drafts/{job.public_id}")


def test_a_new_request_replaces_the_earlier_file(client, draft, queued):
    _ask(client, draft.audit.slug)
    earlier = DraftRender.objects.get()
    draft_renders.draft_render_run(job_id=earlier.pk)
    earlier.refresh_from_db()
    assert storages["renders"].exists(earlier.stored_name)
    _ask(client, draft.audit.slug)
    assert not DraftRender.objects.filter(pk=earlier.pk).exists()
    assert not storages["renders"].exists(earlier.stored_name)


def test_only_the_person_who_asked_sees_the_file(client, draft, queued):
    page_url = _ask(client, draft.audit.slug).url
    job = DraftRender.objects.get()
    draft_renders.draft_render_run(job_id=job.pk)
    client.force_login(person_with_role(Role.READER))
    assert client.get(page_url).status_code == 404
    assert client.get(f"{page_url}download/").status_code == 404


def test_the_report_and_the_briefing_of_a_draft_are_made_by_the_worker_too(client, draft, queued):
    for name in ("reports:report-pdf", "reports:briefing-pdf", "reports:brief-pdf"):
        _ask(client, draft.audit.slug, name)
    kinds = sorted(DraftRender.objects.values_list("kind", "extension"))
    assert kinds == [("brief", "pdf"), ("briefing", "pdf"), ("report", "pdf")]
    briefing = DraftRender.objects.get(kind=DraftRender.Kind.BRIEFING)
    assert briefing.brief_url.endswith(reverse("reports:brief", args=[draft.audit.slug]))


def test_asking_after_the_audit_was_published_leads_to_the_published_file(client, queued):
    built = build_audit(cases=2, agencies=2, findings=3)
    client.force_login(built.coordinator)
    url = reverse("reports:brief-md", args=[built.audit.slug])
    response = client.post(url)
    assert response.status_code == 302 and response.url == url
    assert client.get(url)["Content-Type"].startswith("text/markdown")
    assert not DraftRender.objects.exists() and queued == []


# --- Old files go -----------------------------------------------------------------------


def _made(draft: Any, *, days_ago: float, kind: str = DraftRender.Kind.BRIEF) -> DraftRender:
    """A finished draft file, made `days_ago` days ago, kept in the renders storage."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    job = DraftRender.objects.create(
        audit=draft.audit, requested_by=draft.coordinator, kind=kind, extension="pdf"
    )
    stored = storages["renders"].save(f"drafts/{job.public_id}/brief.pdf", ContentFile(b"%PDF"))
    when = timezone.now() - dt.timedelta(days=days_ago)
    DraftRender.objects.filter(pk=job.pk).update(
        status=DraftRender.Status.READY, stored_name=stored, created_at=when, finished_at=when
    )
    job.refresh_from_db()
    return job


@override_settings(DRAFT_RENDER_DAYS=7)
def test_files_older_than_the_setting_go_with_their_rows_and_fresh_ones_stay(draft):
    old = _made(draft, days_ago=8)
    fresh = _made(draft, days_ago=6, kind=DraftRender.Kind.REPORT)
    storage = storages["renders"]
    assert storage.exists(old.stored_name) and storage.exists(fresh.stored_name)

    assert draft_renders.draft_renders_expire() == 1

    assert not DraftRender.objects.filter(pk=old.pk).exists()
    assert not storage.exists(old.stored_name)
    assert DraftRender.objects.filter(pk=fresh.pk).exists() and storage.exists(fresh.stored_name)
    assert draft_renders.draft_renders_expire() == 0


@override_settings(DRAFT_RENDER_DAYS=2)
def test_a_file_already_missing_and_a_job_never_finished_go_without_an_error(draft):
    from django.utils import timezone

    missing = _made(draft, days_ago=3)
    storages["renders"].delete(missing.stored_name)
    stuck = DraftRender.objects.create(
        audit=draft.audit, requested_by=draft.coordinator, kind="report", extension="docx"
    )
    DraftRender.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    assert draft_renders.draft_renders_expire() == 2
    assert not DraftRender.objects.exists()


@override_settings(DRAFT_RENDER_DAYS=7)
def test_the_daily_run_deletes_old_draft_files(draft):
    from maca.manage.daily import daily_run

    old = _made(draft, days_ago=30)
    results = daily_run()
    assert results["old draft files"] == "1"
    assert not storages["renders"].exists(old.stored_name)


def test_the_number_of_days_must_be_at_least_one(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.settings import env_days

    for wrong, message in (("0", "at least 1, not 0"), ("a week", "must be a whole number")):
        monkeypatch.setenv("MACA_DRAFT_RENDER_DAYS", wrong)
        with pytest.raises(ImproperlyConfigured, match=f"MACA_DRAFT_RENDER_DAYS .*{message}"):
            env_days("MACA_DRAFT_RENDER_DAYS", 7)
    monkeypatch.setenv("MACA_DRAFT_RENDER_DAYS", "30")
    assert env_days("MACA_DRAFT_RENDER_DAYS", 7) == 30
