"""Files of drafts are made by the worker: the request queues a job and shows its progress, the
worker makes the file once, and only the person who asked downloads it. Every name and fact
here is invented."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.storage import storages
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
    response = client.get(reverse(name, args=[slug]))
    assert response.status_code == 302
    return response


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
