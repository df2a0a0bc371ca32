"""PDF and Word files of drafts, made by the task worker rather than in the web request.

A draft changes as people write, so its files cannot be kept the way a published version's
are (`kept_renders`); and making one takes seconds. Asking for one (a POST: opening the
download's address only shows the button, and any file already asked for) queues a
`DraftRender`; the worker makes the file from the live data, writing its progress as it goes,
and keeps it in the `renders` storage under `drafts/`, where the person who asked downloads
it. Their next request for the same file replaces it, so drafts do not pile up; and the daily
job deletes files older than `MACA_DRAFT_RENDER_DAYS` (`draft_renders_expire`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from maca.accounts.models import User
from maca.audits.selectors import AuditAccess, audit_access_for
from maca.reports.kept_renders import RENDERS
from maca.reports.models import DraftRender

log = logging.getLogger(__name__)
Kind = DraftRender.Kind
Status = DraftRender.Status

# What the worker can make: the formats that take seconds. Markdown is made in the request.
FORMATS: dict[str, tuple[str, ...]] = {
    Kind.BRIEF: ("pdf", "docx"),
    Kind.REPORT: ("pdf", "docx"),
    Kind.BRIEFING: ("pdf",),
}
FAILED_MESSAGE = (
    "The file could not be made. Try again; if it fails again, tell your system "
    "administrator the time you asked."
)


# --- Requests, from the web ----------------------------------------------------------------


def draft_render_request(
    *, access: AuditAccess, by: User, kind: str, extension: str, brief_url: str = ""
) -> DraftRender:
    """Queue the file, or return the same request still waiting or being made (a second
    click or a reload must not make it twice)."""
    if extension not in FORMATS.get(kind, ()):
        raise Http404("No such download")
    waiting = DraftRender.objects.filter(
        audit=access.audit,
        requested_by=by,
        kind=kind,
        extension=extension,
        brief_url=brief_url,
        status__in=[Status.QUEUED, Status.RUNNING],
    ).first()
    if waiting is not None:
        return waiting
    _forget_earlier(access, by, kind, extension)
    from maca.reports.tasks import render_draft_task

    with transaction.atomic():
        job = DraftRender.objects.create(
            audit=access.audit,
            requested_by=by,
            kind=kind,
            extension=extension,
            brief_url=brief_url,
        )
    # Queued after the job is committed, so the worker always finds it.
    render_draft_task.enqueue(job.pk)
    job.refresh_from_db()
    return job


def _forget_earlier(access: AuditAccess, by: User, kind: str, extension: str) -> None:
    """Earlier finished files of the same kind for the same person: replaced by the new one."""
    earlier = DraftRender.objects.filter(
        audit=access.audit,
        requested_by=by,
        kind=kind,
        extension=extension,
        status__in=[Status.READY, Status.FAILED],
    )
    for job in earlier:
        _delete_files(job)
        job.delete()


def draft_render_latest(
    access: AuditAccess, by: User, kind: str, extension: str, brief_url: str = ""
) -> DraftRender | None:
    """The person's latest request for this file of this audit's draft, if any: what the page
    offering the file shows beside its button."""
    return (
        DraftRender.objects.filter(
            audit=access.audit,
            requested_by=by,
            kind=kind,
            extension=extension,
            brief_url=brief_url,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def _delete_files(job: DraftRender) -> None:
    """The job's file and anything else in its folder (a file kept by a worker that died before
    marking the job). A file already gone is not an error: the aim is that it is gone."""
    storage, folder = storages[RENDERS], f"drafts/{job.public_id}"
    names = {job.stored_name} if job.stored_name else set()
    try:
        if storage.exists(folder):
            names.update(f"{folder}/{name}" for name in storage.listdir(folder)[1])
    except OSError:
        log.warning("Could not list the draft folder %s", folder, exc_info=True)
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            log.warning("Could not delete the draft file %s", name, exc_info=True)


def draft_renders_expire(*, now: dt.datetime | None = None) -> int:
    """Delete draft files, with their rows, made (or, never finished, asked for) more than
    `DRAFT_RENDER_DAYS` ago: a draft file is a moment's copy of work in progress, and
    nothing should keep children's details in it for longer. Run by the daily job; returns
    how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.DRAFT_RENDER_DAYS)
    old = DraftRender.objects.filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    deleted = 0
    for job in old.iterator():
        _delete_files(job)
        job.delete()
        deleted += 1
    return deleted


def draft_render_for(access: AuditAccess, by: User, public_id: str) -> DraftRender:
    """One of the person's own draft files of this audit; anyone else's is a 404."""
    job = DraftRender.objects.filter(
        audit=access.audit, requested_by=by, public_id=public_id
    ).first()
    if job is None:
        raise Http404("No such download")
    return job


def draft_render_content(job: DraftRender) -> bytes:
    if job.status != Status.READY:
        raise Http404("The file is not ready")
    try:
        with storages[RENDERS].open(job.stored_name, "rb") as kept:
            return bytes(kept.read())
    except OSError as error:
        raise Http404("The file is no longer kept; ask for it again") from error


# --- Making the file, in the worker ---------------------------------------------------------


def draft_render_run(*, job_id: int) -> None:
    """Make the file. A job already started or finished is left alone, so a task that is run
    again never makes a second file over the first."""
    claimed = DraftRender.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, progress=5, progress_message="Reading the audit"
    )
    if not claimed:
        return
    job = DraftRender.objects.select_related("audit", "requested_by").get(pk=job_id)
    try:
        # Access is checked again: the person may have lost it since asking.
        access = audit_access_for(job.requested_by, job.audit.slug)
        content, filename = _make(job, access, _progress(job.pk))
        _progress(job.pk)(90, "Keeping the file")
        stored = storages[RENDERS].save(f"drafts/{job.public_id}/{filename}", ContentFile(content))
    except Exception:
        log.exception("Draft render %s failed", job.public_id)
        _finish(job.pk, status=Status.FAILED, error=FAILED_MESSAGE)
        return
    _finish(job.pk, status=Status.READY, stored_name=stored, filename=filename)


ABANDONED_MESSAGE = (
    "Making the file stopped part-way (the background worker was stopped). Ask for it again; "
    "if it stops again, tell your system administrator the time you asked."
)


def draft_render_abandoned(*, job_id: int) -> None:
    """The worker making the file died: say so on the progress page, and remove the file if
    it died between keeping it and marking the job ready."""
    job = DraftRender.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return
    storage, folder = storages[RENDERS], f"drafts/{job.public_id}"
    if storage.exists(folder):
        for name in storage.listdir(folder)[1]:
            storage.delete(f"{folder}/{name}")
    _finish(job.pk, status=Status.FAILED, error=ABANDONED_MESSAGE, stored_name="")


def _progress(job_id: int) -> Callable[[int, str], None]:
    def write(percent: int, message: str) -> None:
        DraftRender.objects.filter(pk=job_id).update(
            progress=max(0, min(percent, 99)), progress_message=message[:200]
        )

    return write


def _finish(job_id: int, **fields: Any) -> None:
    DraftRender.objects.filter(pk=job_id).update(
        progress=100,
        progress_message="Finished",
        finished_at=timezone.now(),
        **fields,
    )


def _make(
    job: DraftRender, access: AuditAccess, progress: Callable[[int, str], None]
) -> tuple[bytes, str]:
    """The file and its download name, made from the live data as the request would."""
    from maca.reports.briefing import build_briefing
    from maca.reports.renderers import render
    from maca.reports.snapshots import published_brief

    if job.kind == Kind.REPORT:
        from maca.reports.renderers.report import render_report_docx, render_report_pdf
        from maca.reports.report import build_report

        audit_report = build_report(access)
        progress(30, "Drawing the charts and laying out the pages")
        make = render_report_pdf if job.extension == "pdf" else render_report_docx
        return make(audit_report), f"{audit_report.filename_stem}.{job.extension}"
    learning_brief, _ = published_brief(access)
    progress(30, "Laying out the pages")
    if job.kind == Kind.BRIEF:
        rendered = render(learning_brief, job.extension)
        return rendered.content, rendered.filename
    from maca.reports.renderers.briefing import render_briefing_pdf

    content = render_briefing_pdf(
        lambda detail: build_briefing(learning_brief, brief_url=job.brief_url, detail=detail)
    )
    return content, f"{job.audit.slug}-7-minute-briefing.pdf"
