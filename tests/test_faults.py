"""Faults survived with nothing lost (`make faults`, issue 17):

- SQLite, the embedded default, under concurrent writers: each write waits its turn (WAL, a
  busy timeout, and transactions that take the write lock when they begin), so nobody is shown
  "database is locked";
- the disk full while an extract is stored: a clear error, the previous good version still
  read, and no partial file left, on a local folder and on object storage alike;
- the worker killed with SIGKILL in the middle of a 903 import, a render and an e-mail run: a
  new worker marks the import and the render failed with a clear message and nothing of them
  kept, and takes the e-mail run up again, sending what was not sent, once.
"""

from __future__ import annotations

import errno
import importlib
import json
import os
import re
import shutil
import signal
import socketserver
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.files.storage import InMemoryStorage
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from maca.reports import draft_renders
from maca.sampling import extract
from maca.sampling import services as sampling_services
from maca.sampling.extract import Store, build_extract, load_extract, save_extract
from maca.sampling.generate import generate
from maca.sampling.ingest import SourceFile, read_extract

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parents[1]

WRITERS = 6
WRITES_EACH = 15


def _sqlite_like_maca(path: Path, alias: str) -> DatabaseWrapper:
    """A connection to a file database with exactly the options maca's settings give SQLite."""
    from config import settings as maca_settings

    options = dict(maca_settings.DATABASES["default"].get("OPTIONS", {}))
    settings_dict = dict(connection.settings_dict, NAME=str(path), OPTIONS=options)
    return DatabaseWrapper(settings_dict, alias=alias)


def _write_in_turn(path: Path, number: int, failures: list[BaseException]) -> None:
    wrapper = _sqlite_like_maca(path, f"writer-{number}")
    try:
        wrapper.ensure_connection()
        for write in range(WRITES_EACH):
            # What Django's atomic() does on SQLite: BEGIN (IMMEDIATE, from the settings),
            # a read, then a write that depends on it, then COMMIT.
            wrapper._start_transaction_under_autocommit()  # type: ignore[attr-defined]
            with wrapper.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM saves")
                seen = cursor.fetchone()[0]
                cursor.execute(
                    "INSERT INTO saves (writer, number, seen) VALUES (%s, %s, %s)",
                    [number, write, seen],
                )
            wrapper.connection.commit()
    except BaseException as error:  # reported by the test
        failures.append(error)
    finally:
        wrapper.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite, the embedded default, only")
def test_concurrent_sqlite_writers_wait_their_turn(tmp_path: Path, django_db_blocker):
    from config import settings as maca_settings

    if maca_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("maca is configured for another database")
    path = tmp_path / "concurrent.sqlite3"
    # Its own database file, not the test database: opened here by hand.
    with django_db_blocker.unblock():
        _write_concurrently(path)


def _write_concurrently(path: Path) -> None:
    setup = _sqlite_like_maca(path, "setup")
    with setup.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("CREATE TABLE saves (writer INTEGER, number INTEGER, seen INTEGER)")
    setup.close()
    assert setup.transaction_mode == "IMMEDIATE"  # type: ignore[attr-defined]

    failures: list[BaseException] = []
    threads = [
        threading.Thread(target=_write_in_turn, args=(path, number, failures))
        for number in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    check = _sqlite_like_maca(path, "check")
    with check.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT seen) FROM saves")
        # Every save is there, and each saw every save before it: none was lost or interleaved.
        assert cursor.fetchone() == (WRITERS * WRITES_EACH, WRITERS * WRITES_EACH)
    check.close()


# --- The disk full while storing an extract -------------------------------------------------


@pytest.fixture(scope="module")
def two_extracts(tmp_path_factory) -> tuple[Any, Any]:
    folder = tmp_path_factory.mktemp("903")

    def built(seed: int) -> Any:
        paths = generate(folder / str(seed), children=30, seed=seed).paths
        return build_extract(read_extract([SourceFile(p, 2024) for p in paths]), home_districts=[])

    return built(1), built(2)


def _full_after(writes: int, real: Any) -> Any:
    count = iter(range(1_000))

    def write(*args: Any, **kwargs: Any) -> Any:
        if next(count) >= writes:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    return write


def _files_under(storage: Any, folder: str) -> list[str]:
    directories, files = storage.listdir(folder) if storage.exists(folder) else ([], [])
    found = [f"{folder}/{name}" for name in files]
    for directory in directories:
        found += _files_under(storage, f"{folder}/{directory}")
    return found


def test_disk_full_on_a_local_folder_keeps_the_previous_extract(
    two_extracts, tmp_path, monkeypatch
):
    good, newer = two_extracts
    store = tmp_path / "import-1"
    save_extract(good.extract, good.problems, store)
    before = sorted(path.relative_to(store) for path in store.rglob("*"))
    monkeypatch.setattr(extract, "write_frame", _full_after(3, extract.write_frame))
    with pytest.raises(OSError, match="No space left"):
        save_extract(newer.extract, newer.problems, store)
    assert sorted(path.relative_to(store) for path in store.rglob("*")) == before
    assert load_extract(store, {}, with_identity=True).identity.equals(good.extract.identity)


def test_disk_full_on_object_storage_keeps_the_previous_extract(two_extracts, monkeypatch):
    good, newer = two_extracts
    storage = InMemoryStorage()
    store = Store(storage, "import-2")
    save_extract(good.extract, good.problems, store)
    before = sorted(_files_under(storage, "import-2"))
    monkeypatch.setattr(storage, "save", _full_after(4, storage.save))
    with pytest.raises(OSError, match="No space left"):
        save_extract(newer.extract, newer.problems, store)
    assert sorted(_files_under(storage, "import-2")) == before
    assert load_extract(store, {}).episodes.equals(good.extract.episodes)


# --- The worker killed in the middle of a job -----------------------------------------------
# A real worker (`maca db_worker`) in its own process, against a database file and folders of
# its own, is killed with SIGKILL part-way through a job; a new worker is then started, as
# systemd or a supervisor would. The steps that queue and check run in processes of their own
# too (tests/fault_jobs.py), as a web server would.

SECONDS_TO_WAIT = 300


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("worker-db") / "maca.sqlite3"
    _maca(_worker_env(database.parent, database), "migrate", "-v0")
    return database


@pytest.fixture
def worker_env(migrated_database: Path, tmp_path: Path) -> dict[str, str]:
    database = tmp_path / "maca.sqlite3"
    shutil.copy(migrated_database, database)
    return _worker_env(tmp_path, database)


def _worker_env(folder: Path, database: Path, **extra: str) -> dict[str, str]:
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("MACA_", "DATABASE_URL", "DJANGO_"))
    }
    return {
        **kept,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "MACA_DEBUG": "false",
        "MACA_SSL_REDIRECT": "false",
        "MACA_SECRET_KEY": "fictional-secret-key-for-the-fault-tests-0123456789",
        "MACA_SAMPLING_DIR": str(folder / "extracts"),
        "MACA_RENDERS_STORAGE_OPTIONS": json.dumps({"location": str(folder / "renders")}),
        **extra,
    }


def _maca(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "maca.cli", *args], env=env, cwd=ROOT, check=True, timeout=600
    )


def _step(env: dict[str, str], step: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.fault_jobs", step],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=600,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _worker(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "maca.cli", "db_worker", "--no-reload", "--interval", "0.1"]
    return subprocess.Popen([*command, *args], env=env, cwd=ROOT)


def _wait_for(env: dict[str, str], sql: str, worker: subprocess.Popen[bytes]) -> None:
    """Until `sql` finds a row in the worker's database (the job part-way)."""
    database = env["DATABASE_URL"].removeprefix("sqlite:///")
    deadline = time.monotonic() + SECONDS_TO_WAIT
    while time.monotonic() < deadline:
        assert worker.poll() is None, "the worker stopped by itself"
        with closing(sqlite3.connect(database, timeout=30)) as db:
            if db.execute(sql).fetchone():
                return
        time.sleep(0.05)
    raise AssertionError(f"the job never got part-way: {sql}")


def _kill_then_start_again(env: dict[str, str], sql: str) -> None:
    worker = _worker(env)
    try:
        _wait_for(env, sql, worker)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    # The new worker settles what the dead one left, runs what is queued, and stops.
    again = _worker(env, "--batch")
    assert again.wait(timeout=SECONDS_TO_WAIT) == 0


def test_worker_killed_mid_import_marks_it_failed_and_keeps_nothing(worker_env):
    _step(worker_env, "queue-import")
    _kill_then_start_again(
        worker_env, "SELECT 1 FROM sampling_importbatch WHERE status = 'running' AND progress > 1"
    )
    outcome = _step(worker_env, "check-import")
    assert outcome["status"] == "failed" and outcome["task"] == "FAILED"
    assert outcome["messages"] == [sampling_services.ABANDONED_MESSAGE]
    assert outcome["uploads_left"] == [] and not outcome["extract_kept"]


def test_worker_killed_mid_render_marks_it_failed_and_keeps_no_file(worker_env):
    _step(worker_env, "queue-render")
    _kill_then_start_again(
        worker_env, "SELECT 1 FROM reports_draftrender WHERE status = 'running' AND progress >= 30"
    )
    outcome = _step(worker_env, "check-render")
    assert outcome["status"] == "failed" and outcome["task"] == "FAILED"
    assert outcome["error"] == draft_renders.ABANDONED_MESSAGE and outcome["files"] == []


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend. Once `accept` messages are in, the next one is
    never answered: the worker sending it hangs there until it is killed."""

    server: _SmtpServer

    def handle(self) -> None:
        self.wfile.write(b"220 fictional.test\r\n")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command == b"DATA":
                self.wfile.write(b"354 End with .\r\n")
                body = b"".join(iter(self.rfile.readline, b".\r\n"))
                if len(self.server.messages) >= self.server.accept:
                    self.rfile.read()  # no answer: wait for the connection to drop
                    return
                self.server.messages.append(body)
                self.wfile.write(b"250 Accepted\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 Bye\r\n")
                return
            else:
                self.wfile.write(b"250 fictional.test\r\n")


class _SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, accept: int) -> None:
        super().__init__(("127.0.0.1", 0), _Smtp)
        self.accept = accept
        self.messages: list[bytes] = []


def test_worker_killed_mid_email_run_sends_the_rest_once(worker_env):
    server = _SmtpServer(accept=2)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        **worker_env,
        "MACA_EMAIL_HOST": "127.0.0.1",
        "MACA_EMAIL_PORT": str(server.server_address[1]),
    }
    try:
        _step(env, "queue-reminders")
        worker = _worker(env)
        try:
            deadline = time.monotonic() + SECONDS_TO_WAIT
            while len(server.messages) < 2 and time.monotonic() < deadline:
                assert worker.poll() is None, "the worker stopped by itself"
                time.sleep(0.05)
            time.sleep(0.5)  # the third is being sent, and never answered
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        assert len(server.messages) == 2
        server.accept = 100
        again = _worker(env, "--batch")
        assert again.wait(timeout=SECONDS_TO_WAIT) == 0
    finally:
        server.shutdown()
        server.server_close()
    recipients = sorted(re.search(rb"^To: (\S+)", m, re.M)[1] for m in server.messages)  # type: ignore[index]
    # Every lead has their reminder, once: the run was taken up again, not from the start.
    assert recipients == [f"lead{n}@test.maca.test".encode() for n in range(5)]
    outcome = _step(env, "check-reminders")
    assert outcome == {"recorded": 5, "task": "SUCCESSFUL", "attempts": 2}


# --- The database connection lost while a return is saved -----------------------------------
# What a PostgreSQL restart does to a client, done safely on the shared test server: the
# request's own backend is ended (pg_terminate_backend, from a second connection) part-way
# through the save, after the return's row is written and before its section summaries are.


def _end_this_connections_backend() -> None:
    import psycopg

    pid = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server only")
# Committed for real (the lost connection ends any test transaction), as the backup test is.
# No serialized rollback: after a plain transactional test's flush the content types come back
# under new ids, and reloading the serialized ones then collides with them.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_database_lost_mid_save_is_a_clear_error_and_nothing_half_written(
    client, monkeypatch, accept
):
    from maca.audits.models import AgencyReturn, Answer, SectionSummary
    from maca.audits.selectors import audit_access_for
    from maca.core.database_lost import MESSAGE
    from maca.returns import selectors as return_selectors
    from maca.returns import services as return_services
    from maca.returns.tests.conftest import build_world, complete_post, return_url

    # An earlier transactional test's flush may have removed the grading scales the
    # migrations add; put them back (the migration's own function, which is idempotent).
    reference_data = importlib.import_module("maca.audits.migrations.0003_reference_data")
    reference_data.create_reference_data(django_apps, None)
    world = build_world()
    client.force_login(world.auditor_a)
    url = return_url(world)
    access = audit_access_for(world.auditor_a, world.audit.slug)

    def posted(**overrides: Any) -> dict[str, Any]:
        context = return_selectors.return_context(
            access, world.case.pk, world.agency_a.pk, world.auditor_a
        )
        return complete_post(context, **overrides)

    assert client.post(url, posted()).status_code in (200, 302)
    saved = AgencyReturn.objects.get(case=world.case, agency=world.agency_a)
    before = (
        saved.revision,
        saved.overall_reason,
        sorted(Answer.objects.filter(agency_return=saved).values_list("pk", "text_value")),
        sorted(
            SectionSummary.objects.filter(agency_return=saved).values_list("pk", "grade_reason")
        ),
    )

    real = return_services._write_summaries

    def lost_part_way(*args: Any, **kwargs: Any) -> Any:
        _end_this_connections_backend()
        return real(*args, **kwargs)

    monkeypatch.setattr(return_services, "_write_summaries", lost_part_way)
    target = url if accept == "text/html" else reverse_autosave(world)
    changed = posted(overall_reason="Changed after the first save (fictional).")
    response = client.post(target, changed, HTTP_ACCEPT=accept)
    assert response.status_code == 503 and response["Retry-After"]
    if accept == "application/json":
        assert response.json() == {"saved": False, "message": MESSAGE}
    else:
        assert MESSAGE in response.content.decode()

    # Nothing of the interrupted save was kept: not the row, not the answers.
    saved.refresh_from_db()
    after = (
        saved.revision,
        saved.overall_reason,
        sorted(Answer.objects.filter(agency_return=saved).values_list("pk", "text_value")),
        sorted(
            SectionSummary.objects.filter(agency_return=saved).values_list("pk", "grade_reason")
        ),
    )
    assert after == before

    # The next request opens a new connection, and saving again works.
    monkeypatch.setattr(return_services, "_write_summaries", real)
    again = client.post(target, changed, HTTP_ACCEPT=accept)
    assert again.status_code in (200, 302)
    saved.refresh_from_db()
    assert saved.overall_reason == "Changed after the first save (fictional)."


def reverse_autosave(world: Any) -> str:
    from django.urls import reverse

    return reverse("returns:autosave", args=[world.audit.slug, world.case.pk, world.agency_a.pk])
