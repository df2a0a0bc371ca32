"""`maca demo`: migrate, load the fictional demo audit, print the logins, serve the site, and
run the background worker beside it (imports, reminders, e-mails), stopped with the server."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.core.management.commands import runserver

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
        """One command, one Ctrl-C: the worker runs exactly as long as the server.

        It starts once the server is listening, so a server that cannot start (its port
        taken) leaves no worker behind; and it is stopped however the server stops: Ctrl-C,
        `kill`, the terminal closed, or an error."""
        started: list[subprocess.Popen[bytes]] = []
        on_listening = (lambda: started.append(self._start_worker())) if worker else None
        with _signals_stop_the_server() as interrupted:
            try:
                self._serve(addr, port, on_listening=on_listening)
            except KeyboardInterrupt:
                pass
            finally:
                for process in started:
                    self._stop_worker(process, interrupted=interrupted.is_set())

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
        # A child with the same environment (settings, demo mode), in the terminal's process
        # group: Ctrl-C, or the terminal closing, reaches it directly even if this process
        # could not pass it on.
        return subprocess.Popen(worker_command())

    def _stop_worker(self, worker: subprocess.Popen[bytes], *, interrupted: bool) -> None:
        """Ask the worker once to stop after the task in hand; kill it if that takes longer
        than WORKER_STOP_SECONDS (the next `maca db_worker` settles a task it left running).
        After Ctrl-C the worker had the signal already: a second one would tell it to drop
        its task at once, so it is only waited for."""
        if worker.poll() is None and not interrupted:
            worker.terminate()
        try:
            worker.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        self.stdout.write("Stopped the background worker.")

    def _serve(
        self, addr: str, port: int, *, on_listening: Callable[[], object] | None = None
    ) -> None:
        if not settings.DEBUG:
            self.stderr.write(
                "MACA_DEBUG is off: static files and plain-HTTP sign-in may not work. "
                "Use `maca demo`, which turns it on."
            )
        host = f"[{addr}]" if ":" in addr else addr
        self.stdout.write(f"Serving the demo at http://{host}:{port}/ (Ctrl-C to stop).")
        server = _Server()
        server.on_listening = on_listening
        # No reloader: it would re-run this command (and the migrate) in a child process.
        call_command(server, f"{host}:{port}", use_reloader=False)


class _Server(runserver.Command):
    """Django's development server, telling the demo once it listens on its port."""

    on_listening: Callable[[], object] | None = None

    def on_bind(self, server_port: int) -> None:
        super().on_bind(server_port)
        if self.on_listening is not None:
            self.on_listening()


@contextmanager
def _signals_stop_the_server() -> Iterator[threading.Event]:
    """While serving, SIGTERM and SIGHUP end the server as Ctrl-C does, so the worker is
    stopped with it rather than left running; the event says whether Ctrl-C (SIGINT) came."""
    interrupted = threading.Event()

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        interrupted.set()
        raise KeyboardInterrupt

    def on_stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    handlers: dict[int, Callable[[int, FrameType | None], None]] = {signal.SIGINT: on_interrupt}
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            handlers[getattr(signal, name)] = on_stop
    before = {number: signal.signal(number, handler) for number, handler in handlers.items()}
    try:
        yield interrupted
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
