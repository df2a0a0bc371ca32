"""E-mails leave through the worker, as in production: a change queues one job and sends
nothing itself; the worker sends each e-mail once, and running it again sends nothing more.
All people are fictional."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from maca.returns.tests.conftest import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings, monkeypatch) -> Iterator[None]:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    # The worker closes its database connection between jobs, which would end the test's
    # transaction on PostgreSQL; here it shares the test's connection.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    # The worker takes over the stop signals while it runs; give them back to pytest.
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    yield
    for number, handler in handlers.items():
        signal.signal(number, handler)


def _run_the_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def test_an_escalation_is_e_mailed_by_the_worker_once(
    database_queue, django_capture_on_commit_callbacks
):
    world: World = build_world()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        escalation = world.raise_escalation()
    assert mail.outbox == [], "the person raising it does not wait for the mail server"
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "maca.returns.tasks.notify_escalation_raised"
    assert queued.status == TaskResultStatus.READY
    assert queued.args_kwargs["args"] == [escalation.pk]

    _run_the_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.lead_b.email, world.coordinator.email]
    )
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    _run_the_worker()
    assert len(mail.outbox) == 2
