"""`maca serve`: the production web server (gunicorn) with defaults that suit maca.

- workers: 2 × CPUs + 1, at most 12 (each holds its own database connection and memory);
- timeout 60 s: a request still running then (a stuck render) is ended and its worker
  replaced, so one bad request cannot hold a worker for ever;
- graceful restart: SIGHUP starts new workers, which load the code, templates and settings
  module afresh, while the old ones finish what they are doing (up to the graceful timeout);
  SIGTERM stops the same way. Environment variables are those the server started with;
- each worker is replaced after about 1000 requests, so slow growth of memory stays bounded;
- an access log on standard output with each request's id (the `X-Request-ID` maca sends).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from typing import Any

from django.conf import settings as django_settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

MAX_WORKERS = 12
WSGI_APP = "config.wsgi:application"
CONFIG_MODULE = "python:maca.gunicorn_config"
OPTIONS_VARIABLE = "MACA_GUNICORN_OPTIONS"
# Remote address, time, request line, status, bytes, duration in microseconds, request id.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(B)s %(D)sus id=%({x-request-id}o)s'


def cpu_count() -> int:
    """The CPUs this process may run on (a container's limit, not the host's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers(cpus: int) -> int:
    return min(2 * cpus + 1, MAX_WORKERS)


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def gunicorn_options(options: dict[str, Any]) -> dict[str, Any]:
    """gunicorn's settings from the command's options."""
    workers = options["workers"] or default_workers(cpu_count())
    settings: dict[str, Any] = {
        "bind": [options["bind"]],
        "workers": workers,
        "threads": options["threads"],
        "worker_class": "gthread" if options["threads"] > 1 else "sync",
        "timeout": options["timeout"],
        "graceful_timeout": options["graceful_timeout"],
        "keepalive": 5,
        "max_requests": options["max_requests"],
        "max_requests_jitter": options["max_requests"] // 10,
        "accesslog": None if options["no_access_log"] else "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "maca",
        # gunicorn's control socket (one fixed path per user) is not used: several servers on
        # one machine would fight over it. Signals control the server instead.
        "control_socket_disable": True,
        # The proxy in front sets X-Forwarded-*; gunicorn trusts them only from these.
        "forwarded_allow_ips": options["forwarded_allow_ips"],
    }
    if options["pid"]:
        settings["pidfile"] = options["pid"]
    return settings


class Command(BaseCommand):
    help = "Serves maca with gunicorn, the production web server (see the README)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=django_settings.SERVE_BIND,
            help="Address and port, or unix:PATH (default 127.0.0.1:8000, or MACA_BIND).",
        )
        parser.add_argument(
            "--workers",
            type=positive,
            default=django_settings.SERVE_WORKERS or None,
            help=f"Worker processes (default 2 × CPUs + 1, at most {MAX_WORKERS}; MACA_WORKERS).",
        )
        parser.add_argument(
            "--threads", type=positive, default=1, help="Threads per worker (default 1)."
        )
        parser.add_argument(
            "--timeout",
            type=positive,
            default=60,
            help="Seconds before a stuck request's worker is replaced (default 60).",
        )
        parser.add_argument(
            "--graceful-timeout",
            type=positive,
            default=30,
            help="Seconds workers get to finish on restart or stop (default 30).",
        )
        parser.add_argument(
            "--max-requests",
            type=positive,
            default=1000,
            help="Requests after which a worker is replaced (default about 1000).",
        )
        parser.add_argument(
            "--forwarded-allow-ips",
            default="127.0.0.1,::1",
            help="Addresses of the proxies whose X-Forwarded-* headers are trusted.",
        )
        parser.add_argument("--pid", default="", help="Write the server's process id here.")
        parser.add_argument("--no-access-log", action="store_true", help="No access log.")

    def handle(self, *args: Any, **options: Any) -> None:
        if importlib.util.find_spec("gunicorn") is None:  # pragma: no cover - in the lock
            raise CommandError("gunicorn is not installed: run `uv sync --frozen`.")
        settings = gunicorn_options(options)
        self.stdout.write(
            f"maca: serving on {options['bind']} with {settings['workers']} workers "
            f"({settings['worker_class']}); SIGHUP restarts gracefully."
        )
        self.stdout.flush()
        # gunicorn replaces this process, so its master holds none of maca's code: workers
        # started on SIGHUP load the code and templates afresh.
        environment = dict(os.environ, **{OPTIONS_VARIABLE: json.dumps(settings)})
        command = [sys.executable, "-m", "gunicorn", "--config", CONFIG_MODULE, WSGI_APP]
        os.execve(sys.executable, command, environment)
