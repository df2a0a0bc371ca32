"""Steps of the killed-worker fault tests (tests/test_faults.py), each run in its own process
against the database and folders the test gives in the environment, as a web server and a
worker on their own would: `python -m tests.fault_jobs <step>`, printing one JSON line.

Every name and fact here is fictional.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def queue_import() -> dict[str, Any]:
    """A coordinator uploads a 903 extract large enough to take a while to check."""
    from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

    from maca.audits.selectors import audit_access_for
    from maca.sampling.generate import generate
    from maca.sampling.services import import_903_start
    from tests.factories import build_audit

    built = build_audit(cases=0, agencies=2, findings=0, status="sampling")
    with tempfile.TemporaryDirectory() as folder:
        paths = generate(Path(folder), children=1500, seed=17).paths
        files: list[tuple[UploadedFile, int]] = [
            (SimpleUploadedFile(p.name, p.read_bytes(), "text/csv"), 2024) for p in paths
        ]
        batch = import_903_start(
            access=audit_access_for(built.coordinator, built.audit.slug),
            user=built.coordinator,
            files=files,
            home_districts=[],
        )
    return {"batch": batch.pk}


def check_import() -> dict[str, Any]:
    from maca.sampling.extract import extract_exists, extract_store
    from maca.sampling.models import ImportBatch
    from maca.sampling.storage import extract_storage

    batch = ImportBatch.objects.get()
    storage = extract_storage()
    uploads = storage.listdir(batch.upload_folder)[1] if storage.exists(batch.upload_folder) else []
    return {
        "status": batch.status,
        "messages": [problem["message"] for problem in batch.fatal_problems],
        "uploads_left": uploads,
        "extract_kept": extract_exists(extract_store(batch.storage_name)),
        **_task_outcome(),
    }


def queue_render() -> dict[str, Any]:
    """A coordinator asks for the draft report's PDF."""
    from maca.audits.selectors import audit_access_for
    from maca.reports.draft_renders import draft_render_request
    from tests.factories import build_audit

    built = build_audit(cases=12, agencies=4, findings=8, status="findings")
    job = draft_render_request(
        access=audit_access_for(built.coordinator, built.audit.slug),
        by=built.coordinator,
        kind="report",
        extension="pdf",
    )
    return {"job": job.pk}


def check_render() -> dict[str, Any]:
    from django.core.files.storage import storages

    from maca.reports.models import DraftRender

    job = DraftRender.objects.get()
    storage, folder = storages["renders"], f"drafts/{job.public_id}"
    return {
        "status": job.status,
        "error": job.error,
        "files": storage.listdir(folder)[1] if storage.exists(folder) else [],
        **_task_outcome(),
    }


def queue_reminders() -> dict[str, Any]:
    """Five overdue actions, each with its own lead, and the daily reminder run queued."""
    from maca.core.partial_dates import PartialDate
    from maca.learning.models import ActionStatus
    from maca.learning.tasks import send_overdue_action_reminders
    from tests.factories import ActionFactory, UserFactory, build_audit

    built = build_audit(cases=1, agencies=1, findings=0, status="published")
    built.audit.coordinators.clear()
    for number in range(5):
        ActionFactory.create(
            audit=built.audit,
            description=f"Fictional action {number}",
            status=ActionStatus.AGREED,
            due=PartialDate(2020, 1, 1),
            lead=UserFactory.create(email=f"lead{number}@test.maca.test"),
        )
    send_overdue_action_reminders.enqueue()
    return {}


def check_reminders() -> dict[str, Any]:
    from maca.learning.models import ActionReminder

    return {"recorded": ActionReminder.objects.count(), **_task_outcome()}


def _task_outcome() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    job = DBTaskResult.objects.get()
    return {"task": job.status, "attempts": len(job.worker_ids)}


STEPS = {
    "queue-import": queue_import,
    "check-import": check_import,
    "queue-render": queue_render,
    "check-render": check_render,
    "queue-reminders": queue_reminders,
    "check-reminders": check_reminders,
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print(json.dumps(STEPS[sys.argv[1]]()))


if __name__ == "__main__":
    main()
