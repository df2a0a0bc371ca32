"""`maca demo` runs the background worker beside the web server and stops it with the server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from maca.demo.management.commands import demo


def test_the_worker_command_is_maca_db_worker_and_it_runs():
    command = demo.worker_command()
    assert command[-2:] == ["db_worker", "--no-reload"]
    env = {**os.environ, "MACA_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    shown = subprocess.run(
        [*command[:-1], "--help"], capture_output=True, text=True, env=env, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    assert "--batch" in shown.stdout


def test_the_worker_starts_with_the_server_and_stops_when_it_stops(monkeypatch):
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def popen(command: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        process = real_popen(command, **kwargs)
        started.append(process)
        return process

    def serve(self: demo.Command, addr: str, port: int) -> None:
        assert started and started[0].poll() is None, "the worker runs while the server does"
        raise KeyboardInterrupt  # Ctrl-C

    sleeper = [sys.executable, "-c", "import time; time.sleep(120)"]
    monkeypatch.setattr(demo, "worker_command", lambda: sleeper)
    monkeypatch.setattr(demo.subprocess, "Popen", popen)
    monkeypatch.setattr(demo.Command, "_serve", serve)
    command = demo.Command()
    command._serve_with_worker("127.0.0.1", 8000, worker=True)
    assert started[0].returncode == -signal.SIGTERM


def test_no_worker_starts_with_no_worker(monkeypatch):
    monkeypatch.setattr(
        demo.subprocess, "Popen", lambda *a, **k: (_ for _ in ()).throw(AssertionError)
    )
    monkeypatch.setattr(demo.Command, "_serve", lambda self, addr, port: None)
    demo.Command()._serve_with_worker("127.0.0.1", 8000, worker=False)
