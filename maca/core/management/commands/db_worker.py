"""`maca db_worker`: django-tasks-db's worker, which first settles the jobs a dead worker of
this machine left running (`maca.core.jobs`), and whose id says where it runs."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands import db_worker

from maca.core import jobs


class Command(db_worker.Command):
    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None)

    def handle(self, *args: Any, **options: Any) -> None:
        options["worker_id"] = options.get("worker_id") or jobs.new_worker_id()
        settled = jobs.settle_abandoned_jobs()
        if settled:
            self.stderr.write(f"Settled {settled} job(s) left running by a stopped worker.")
        super().handle(*args, **options)
