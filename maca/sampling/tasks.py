"""Background work: the 903 import runs on the task worker, so a large upload does not hold a
web request open. Progress is written to the ImportBatch as it goes, for the page to poll."""

from __future__ import annotations

from django.tasks import task

from maca.core import jobs
from maca.sampling import services


@task
def import_903_task(batch_id: int) -> None:
    services.import_903_run(batch_id=batch_id)


# A worker killed mid-import (often for running out of memory on a large extract) would be
# killed again by a retry: the import is marked failed instead, with nothing of it kept.
jobs.when_abandoned(
    import_903_task, lambda batch_id: services.import_903_abandoned(batch_id=batch_id)
)
