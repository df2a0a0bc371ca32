"""Faults survived with nothing lost (`make faults`, issue 17):

- SQLite, the embedded default, under concurrent writers: each write waits its turn (WAL, a
  busy timeout, and transactions that take the write lock when they begin), so nobody is shown
  "database is locked";
- the disk full while an extract is stored: a clear error, the previous good version still
  read, and no partial file left, on a local folder and on object storage alike.
"""

from __future__ import annotations

import errno
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import InMemoryStorage
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

from maca.sampling import extract
from maca.sampling.extract import Store, build_extract, load_extract, save_extract
from maca.sampling.generate import generate
from maca.sampling.ingest import SourceFile, read_extract

pytestmark = pytest.mark.faults

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
