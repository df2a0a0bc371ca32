"""Jobs left behind by a worker that died (killed, out of memory, the machine restarted).

django-tasks-db marks a job "running" when a worker takes it and never looks at it again, so
a worker killed mid-job leaves it running for ever and the person watching its progress
waits for ever. A worker started by `maca db_worker` first looks for jobs taken by workers
on its own machine that no longer exist (its worker ids carry the machine's name and the
process id) and settles each one as its task asked when it was declared:

- `retry_when_abandoned(task)`: run it again (tasks that never do anything twice, such as
  e-mail runs that record each message sent), at most `MAX_ATTEMPTS` times in all;
- `when_abandoned(task, handler)`: the job is marked failed and `handler(*args, **kwargs)`
  says so where people see it and removes anything half-made;
- anything else is marked failed.

Workers on other machines are left alone: whether they are alive cannot be told from here;
each machine's worker settles its own when it starts again.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.tasks import Task, TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string

if TYPE_CHECKING:
    from uuid import UUID

    from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
ABANDONED = "maca.core.jobs.WorkerStopped"
RETRY = "retry"
_POLICIES: dict[str, Callable[..., None] | str] = {}


def retry_when_abandoned(task: Task[Any, Any]) -> None:
    _POLICIES[task.module_path] = RETRY


def when_abandoned(task: Task[Any, Any], handler: Callable[..., None]) -> None:
    _POLICIES[task.module_path] = handler


def _host() -> str:
    return socket.gethostname()[:40]


def new_worker_id() -> str:
    """Unique across the pool (as django-tasks-db asks), and saying where the worker runs."""
    return f"{_host()}:{os.getpid()}:{get_random_string(8)}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def _abandoned_here(worker_ids: list[str]) -> bool:
    """Taken last by a worker on this machine that is no longer running."""
    if not worker_ids:
        return False
    host, _, rest = str(worker_ids[-1]).partition(":")
    pid = rest.partition(":")[0]
    return host == _host() and pid.isdigit() and not _pid_alive(int(pid))


def settle_abandoned_jobs() -> int:
    """Settle the jobs left running by dead workers of this machine; how many there were."""
    from django_tasks_db.models import DBTaskResult

    settled = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    for job_id, worker_ids in running.values_list("id", "worker_ids"):
        if _abandoned_here(worker_ids):
            settled += _settle(DBTaskResult, job_id)
    return settled


def _settle(model: type[DBTaskResult], job_id: UUID) -> int:
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != TaskResultStatus.RUNNING:
            return 0  # settled by another worker starting at the same time
        try:
            job.task  # imports the task's module, which declares what to do  # noqa: B018
        except Exception:  # the task no longer exists: nothing to run or tell
            log.warning("Job %s of a task that no longer exists", job_id, exc_info=True)
        policy = _POLICIES.get(job.task_path)
        args, kwargs = job.args_kwargs["args"], job.args_kwargs["kwargs"]
        if policy == RETRY and len(job.worker_ids) < MAX_ATTEMPTS:
            log.warning("Job %s (%s) was abandoned by its worker; run again", job_id, job.task_path)
            job.status = TaskResultStatus.READY
            job.save(update_fields=["status"])
            return 1
        log.warning("Job %s (%s) was abandoned by its worker; failed", job_id, job.task_path)
        job.status = TaskResultStatus.FAILED
        job.finished_at = timezone.now()
        job.exception_class_path = ABANDONED
        job.traceback = f"The worker {job.worker_ids[-1]} stopped while running this job."
        job.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
        if callable(policy):
            policy(*args, **kwargs)
    return 1
