"""Background work: files of drafts are made by the task worker, so a person asking for a PDF
watches its progress instead of a request that hangs for seconds."""

from __future__ import annotations

from django.tasks import task

from maca.core import jobs
from maca.reports import draft_renders


@task
def render_draft_task(job_id: int) -> None:
    draft_renders.draft_render_run(job_id=job_id)


jobs.when_abandoned(
    render_draft_task, lambda job_id: draft_renders.draft_render_abandoned(job_id=job_id)
)
