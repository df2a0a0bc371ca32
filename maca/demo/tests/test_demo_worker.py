"""`maca demo` runs the background worker beside the web server and stops it with the server,
however the server stops, asking it once so a task in hand can finish."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from maca.demo.management.commands import demo

# A stand-in for `maca db_worker`: it notes each stop signal it receives and, as the real
# worker does with its first one, stops ("graceful"), or carries on regardless ("stubborn").
FAKE_WORKER = textwrap.dedent(
    """
    import os, pathlib, signal, sys, time
    log, mode = pathlib.Path(sys.argv[1]), sys.argv[2]
    def on_signal(signum, frame):
        with log.open("a") as out:
            out.write(signal.Signals(signum).name + "\\n")
        if mode == "graceful":
            sys.exit(0)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    log.with_suffix(".ready").write_text(str(os.getpid()))
    while True:
        time.sleep(0.05)
    """
)


class FakeWorker:
    def __init__(self, tmp_path: Path, mode: str) -> None:
        self.log = tmp_path / "signals.log"
        script = tmp_path / "worker.py"
        script.write_text(FAKE_WORKER)
        self.command = [sys.executable, str(script), str(self.log), mode]
        self.started: list[subprocess.Popen[bytes]] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_popen = subprocess.Popen

        def popen(command: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
            process = real_popen(command, **kwargs)
            self.started.append(process)
            return process

        monkeypatch.setattr(demo, "worker_command", lambda: self.command)
        monkeypatch.setattr(demo.subprocess, "Popen", popen)

    def wait_until_ready(self) -> subprocess.Popen[bytes]:
        ready = self.log.with_suffix(".ready")
        for _ in range(400):
            if ready.exists():
                return self.started[0]
            time.sleep(0.05)
        raise AssertionError("the fake worker did not start")

    @property
    def signals(self) -> list[str]:
        return self.log.read_text().split() if self.log.exists() else []


def test_the_worker_command_is_maca_db_worker_and_it_runs():
    command = demo.worker_command()
    assert command[-2:] == ["db_worker", "--no-reload"]
    env = {**os.environ, "MACA_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    shown = subprocess.run(
        [*command[:-1], "--help"], capture_output=True, text=True, env=env, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    assert "--batch" in shown.stdout


def test_the_worker_starts_once_the_server_listens_and_one_ctrl_c_stops_both(tmp_path, monkeypatch):
    worker = FakeWorker(tmp_path, "graceful")
    worker.install(monkeypatch)

    def serve(self: demo.Command, addr: str, port: int, *, on_listening: Any) -> None:
        assert not worker.started, "no worker before the server listens"
        on_listening()
        process = worker.wait_until_ready()
        # Ctrl-C in a terminal: SIGINT to its process group, the server and the worker.
        os.kill(process.pid, signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(10)
        raise AssertionError("Ctrl-C did not stop the server")

    monkeypatch.setattr(demo.Command, "_serve", serve)
    demo.Command()._serve_with_worker("127.0.0.1", 8000, worker=True)
    process = worker.started[0]
    assert process.returncode == 0, "the worker stopped by itself, after its task"
    assert worker.signals == ["SIGINT"], "told once: a second signal drops its task"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_server_stopped_with_kill_asks_the_worker_once_to_stop(tmp_path, monkeypatch):
    worker = FakeWorker(tmp_path, "graceful")
    worker.install(monkeypatch)

    def serve(self: demo.Command, addr: str, port: int, *, on_listening: Any) -> None:
        on_listening()
        worker.wait_until_ready()
        os.kill(os.getpid(), signal.SIGTERM)  # `kill` of the demo alone, not its worker
        time.sleep(10)
        raise AssertionError("SIGTERM did not stop the server")

    monkeypatch.setattr(demo.Command, "_serve", serve)
    with pytest.raises(SystemExit) as stopped:
        demo.Command()._serve_with_worker("127.0.0.1", 8000, worker=True)
    assert stopped.value.code == 128 + signal.SIGTERM
    assert (worker.started[0].returncode, worker.signals) == (0, ["SIGTERM"])
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_worker_that_does_not_stop_is_killed_when_the_server_fails(tmp_path, monkeypatch):
    worker = FakeWorker(tmp_path, "stubborn")
    worker.install(monkeypatch)
    monkeypatch.setattr(demo, "WORKER_STOP_SECONDS", 1)

    def serve(self: demo.Command, addr: str, port: int, *, on_listening: Any) -> None:
        on_listening()
        worker.wait_until_ready()
        raise RuntimeError("the server broke")

    monkeypatch.setattr(demo.Command, "_serve", serve)
    with pytest.raises(RuntimeError, match="the server broke"):
        demo.Command()._serve_with_worker("127.0.0.1", 8000, worker=True)
    assert worker.started[0].returncode == -signal.SIGKILL
    assert worker.signals == ["SIGTERM"]


def test_a_server_whose_port_is_taken_leaves_no_worker_running(tmp_path):
    """Django's server ends its process at once (os._exit) when it cannot listen: the worker
    must not have been started before it tried."""
    worker = FakeWorker(tmp_path, "graceful")
    script = tmp_path / "serve.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import django
            django.setup()
            from maca.demo.management.commands import demo
            demo.worker_command = lambda: {worker.command!r}
            demo.Command()._serve_with_worker("127.0.0.1", int(__import__("sys").argv[1]),
                                              worker=True)
            """
        )
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with socket.socket() as taken, out.open("w") as stdout, err.open("w") as stderr:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        try:
            ran = subprocess.run(
                [sys.executable, str(script), str(port)],
                stdout=stdout,
                stderr=stderr,
                env=env,
                cwd=Path(demo.__file__).parents[4],
                timeout=120,
            )
        finally:
            ready = worker.log.with_suffix(".ready")
            if ready.exists():  # a worker left behind: stop it before failing
                os.kill(int(ready.read_text()), signal.SIGKILL)
    assert "That port is already in use" in err.read_text()
    assert ran.returncode == 1
    assert "Starting the background worker" not in out.read_text()
    assert not ready.exists()


def test_no_worker_starts_with_no_worker(monkeypatch):
    monkeypatch.setattr(
        demo.subprocess, "Popen", lambda *a, **k: (_ for _ in ()).throw(AssertionError)
    )
    monkeypatch.setattr(
        demo.Command, "_serve", lambda self, addr, port, *, on_listening: on_listening is None
    )
    demo.Command()._serve_with_worker("127.0.0.1", 8000, worker=False)
