"""The background work page: queued and failed jobs for coordinators, without their data."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.tasks import Task, TaskResultStatus
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from maca.accounts.models import Role
from maca.manage.selectors import TASK_NAMES
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db


def _job(task_path: str, status: str, **extra) -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=task_path,
        status=status,
        args_kwargs={"args": [4242], "kwargs": {"secret": "Fictional Child Name"}},
        backend_name="default",
        run_after=timezone.now(),
        exception_class_path="",
        traceback="",
        **extra,
    )


def test_coordinators_see_queued_and_failed_jobs_but_not_their_arguments(
    django_assert_max_num_queries,
):
    _job("maca.sampling.tasks.import_903_task", TaskResultStatus.READY)
    _job("maca.returns.tasks.send_return_reminders", TaskResultStatus.RUNNING)
    failed = _job(
        "maca.returns.tasks.notify_escalation_raised",
        TaskResultStatus.FAILED,
        finished_at=timezone.now(),
    )
    failed.exception_class_path = "smtplib.SMTPServerDisconnected"
    failed.traceback = "Traceback … Fictional Child Name"
    failed.save()
    _job(
        "maca.returns.tasks.send_return_reminders",
        TaskResultStatus.SUCCESSFUL,
        finished_at=timezone.now(),
    )
    old = _job(
        "maca.sampling.tasks.import_903_task",
        TaskResultStatus.FAILED,
        finished_at=timezone.now() - dt.timedelta(days=40),
    )
    client = Client()
    client.force_login(person_with_role(Role.COORDINATOR))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("manage:background-work"))
    text = page.content.decode()
    assert "Waiting or running (2)" in text
    assert "Checking and importing a 903 extract" in text and "Return reminders" in text
    assert "Failed in the last 30 days (1)" in text
    assert "E-mail about a new escalation" in text and "SMTPServerDisconnected" in text
    assert "1 job finished in the last 24 hours" in text
    assert "Fictional Child Name" not in text and "4242" not in text
    assert old.pk  # older failures are left out of the count above


def test_work_waiting_long_warns_that_the_worker_may_be_stopped():
    job = _job("maca.sampling.tasks.import_903_task", TaskResultStatus.READY)
    DBTaskResult.objects.filter(pk=job.pk).update(
        enqueued_at=timezone.now() - dt.timedelta(hours=1)
    )
    client = Client()
    client.force_login(person_with_role(Role.COORDINATOR))
    assert (
        "The worker may not be running"
        in client.get(reverse("manage:background-work")).content.decode()
    )


@pytest.mark.parametrize("role", [Role.READER, Role.PANEL_MEMBER])
def test_others_do_not_see_background_work(role):
    client = Client()
    client.force_login(person_with_role(role))
    assert client.get(reverse("manage:background-work")).status_code == 404


def test_every_background_task_has_a_name_in_words():
    """A job is shown by what it does; a task left out would show its function's name."""
    tasks = []
    for app in apps.get_app_configs():
        if not app.name.startswith("maca."):
            continue
        try:
            module = importlib.import_module(f"{app.name}.tasks")
        except ModuleNotFoundError:
            continue
        tasks += [value for value in vars(module).values() if isinstance(value, Task)]
    assert len(tasks) >= 15
    assert {task.module_path for task in tasks} - set(TASK_NAMES) == set()
