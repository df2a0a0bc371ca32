"""`maca demo`: migrate, load the fictional demo audit, print the logins, serve the site, and
run the background worker beside it (imports, reminders, e-mails), stopped with the server."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from maca.demo.services import DemoSummary, demo_freeze_published, demo_load

# How long the worker gets to finish the task in hand after the server stops.
WORKER_STOP_SECONDS = 10


def worker_command() -> list[str]:
    """The worker process: `maca db_worker` with this interpreter and these settings."""
    return [sys.executable, "-m", "maca.cli", "db_worker", "--no-reload"]


class Command(BaseCommand):
    help = (
        "Set up the database, load the fictional demo audit 'cla-out-of-area-2022' with a "
        "login for each role, and serve the site on http://127.0.0.1:8000/. Safe to run again: "
        "a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Only migrate and load the demo data; do not start the web server.",
        )
        parser.add_argument("--addr", default="127.0.0.1", help="Address to serve on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background worker (`maca db_worker`) beside the server.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity, stdout=self.stdout)
        summary = demo_load()
        demo_freeze_published()
        self._report(summary)
        if options["no_serve"]:
            return
        self._serve_with_worker(options["addr"], options["port"], worker=not options["no_worker"])

    def _serve_with_worker(self, addr: str, port: int, *, worker: bool) -> None:
        """One command, one Ctrl-C: the worker runs exactly as long as the server."""
        process = self._start_worker() if worker else None
        try:
            self._serve(addr, port)
        except KeyboardInterrupt:
            pass
        finally:
            if process is not None:
                self._stop_worker(process)

    def _report(self, summary: DemoSummary) -> None:
        created, updated = sum(summary.created.values()), sum(summary.updated.values())
        if created:
            message = (
                f"Loaded the fictional demo audit '{summary.audit_slug}' "
                f"({summary.audit_title}): {created} rows created, {updated} updated."
            )
        elif updated:
            message = (
                f"Brought the fictional demo audit '{summary.audit_slug}' up to date: "
                f"{updated} rows changed."
            )
        else:
            message = f"Demo data already loaded; nothing changed ('{summary.audit_slug}')."
        self.stdout.write(self.style.SUCCESS(message))
        self.stdout.write("All people and children in the demo are invented.\n")
        self.stdout.write(self._logins_table(summary))

    @staticmethod
    def _logins_table(summary: DemoSummary) -> str:
        rows = [("Role", "Email"), *summary.logins]
        width = max(len(role) for role, _ in rows)
        lines = [f"  {role.ljust(width)}  {email}" for role, email in rows]
        lines.insert(1, f"  {'-' * width}  {'-' * max(len(email) for _, email in rows)}")
        return "\n".join(
            [
                "Demo logins:",
                *lines,
                f"Password for every demo login: {summary.password}",
                "After the password, the sign-in code page shows the current demo code.",
                "",
            ]
        )

    def _start_worker(self) -> subprocess.Popen[bytes]:
        self.stdout.write("Starting the background worker (maca db_worker) beside the server.")
        # A child with the same environment (settings, demo mode); Ctrl-C reaches it too, as
        # it shares the terminal's process group, and `_stop_worker` makes sure it ends.
        return subprocess.Popen(worker_command())

    def _stop_worker(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=WORKER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.stdout.write("Stopped the background worker.")

    def _serve(self, addr: str, port: int) -> None:
        if not settings.DEBUG:
            self.stderr.write(
                "MACA_DEBUG is off: static files and plain-HTTP sign-in may not work. "
                "Use `maca demo`, which turns it on."
            )
        host = f"[{addr}]" if ":" in addr else addr
        self.stdout.write(f"Serving the demo at http://{host}:{port}/ (Ctrl-C to stop).")
        # No reloader: it would re-run this command (and the migrate) in a child process.
        call_command("runserver", f"{host}:{port}", use_reloader=False)
