"""Backups that restore: the database and every stored file, with a manifest of checksums.

- SQLite: the online backup API (`sqlite3.Connection.backup`), a consistent copy taken page by
  page while the site runs.
- PostgreSQL: `pg_dump` in its custom format when it is installed: it reads one snapshot of the
  whole database (so it is consistent while people work), keeps the schema, sequences and
  reference data exactly, and `pg_restore` loads it in one transaction. Without `pg_dump`,
  Django's `dumpdata` is run inside one REPEATABLE READ, READ ONLY transaction, so every table
  is read from the same snapshot too; slower, and tied to the code's models, hence the
  fallback only.
- Files: every named storage in `settings.STORAGES` but the static files and the kept renders
  of published versions (made again from the database when asked for) is copied file by file:
  today the kept 903 extracts.

Never in a backup: the identifier keys (`MACA_IDENTIFIER_KEYS`) or any other setting. The
identifiers and the kept extracts in a backup are encrypted with those keys, so a stolen
backup alone reveals no child; the keys must be kept, and backed up, apart from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from maca.core.history import loading_saved_rows

MANIFEST = "manifest.json"
FORMAT = 1
FILES_DIR = "files"
# Static files come with the release; kept renders of published versions are made again from
# the database when first asked for, so they need no backup.
NOT_BACKED_UP = ("staticfiles", "default", "renders")
KEYS_WARNING = (
    "The identifier keys (MACA_IDENTIFIER_KEYS) are not in this backup, by design: keep them "
    "in your secrets store or password manager, apart from the backup. Without them the "
    "children's identifiers, authenticator secrets and kept 903 extracts in it cannot be read."
)


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with what to do about it."""


@dataclass(frozen=True)
class StoredFile:
    storage: str
    name: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def backed_up_storages() -> list[str]:
    return [alias for alias in settings.STORAGES if alias not in NOT_BACKED_UP]


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder}/" if folder else ""
    for file in sorted(files):
        yield prefix + file
    for directory in sorted(directories):
        yield from _walk(storage, prefix + directory)


def stored_files() -> Iterator[StoredFile]:
    for alias in backed_up_storages():
        for name in _walk(storages[alias]):
            yield StoredFile(alias, name)


def _vendor() -> str:
    return connection.vendor


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# --- Backup ---------------------------------------------------------------------------------


def create_backup(directory: Path) -> dict[str, Any]:
    """Write a backup into `directory` (new or empty); returns the manifest."""
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: give a new or empty folder.")
    directory.mkdir(parents=True, exist_ok=True)
    database = _dump_database(directory)
    files = _copy_files(directory)
    manifest = {
        "format": FORMAT,
        "maca_version": _maca_version(),
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": database,
        "migrations": applied_migrations(),
        "files": files,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _maca_version() -> str:
    try:
        return metadata.version("maca")
    except metadata.PackageNotFoundError:
        return "unknown"


def _dump_database(directory: Path) -> dict[str, Any]:
    vendor = _vendor()
    if vendor == "sqlite":
        target, method = directory / "database.sqlite3", "sqlite-backup"
        _sqlite_backup(target)
    elif vendor == "postgresql" and shutil.which("pg_dump"):
        target, method = directory / "database.pgdump", "pg_dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(target)])
    elif vendor == "postgresql":
        target, method = directory / "database.json", "dumpdata"
        _dumpdata_in_one_snapshot(target)
    else:
        raise BackupError(f"Backing up a {vendor} database is not supported.")
    return {"vendor": vendor, "method": method, "file": target.name, "sha256": sha256_of(target)}


def _sqlite_backup(target: Path) -> None:
    connection.ensure_connection()
    source = connection.connection
    with sqlite3.connect(target) as copy:
        source.backup(copy)
    copy.close()


def _dumpdata_in_one_snapshot(target: Path) -> None:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        call_command("dumpdata", output=str(target), indent=None, verbosity=0)


def _pg_environment() -> dict[str, str]:
    """libpq's variables for the configured database (the password never on a command line)."""
    params = connection.settings_dict
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if params.get(key):
            environment[variable] = str(params[key])
    return environment


def _run(command: list[str]) -> None:
    result = subprocess.run(
        command, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.returncode}")


def _copy_files(directory: Path) -> list[dict[str, Any]]:
    copied = []
    for stored in stored_files():
        target = directory / FILES_DIR / stored.storage / stored.name
        target.parent.mkdir(parents=True, exist_ok=True)
        with storages[stored.storage].open(stored.name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
        copied.append(
            {
                "storage": stored.storage,
                "name": stored.name,
                "size": target.stat().st_size,
                "sha256": sha256_of(target),
            }
        )
    return copied


# --- Restore --------------------------------------------------------------------------------


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} is not a maca backup: it has no {MANIFEST}.")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"{path} is not valid JSON: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {manifest.get('format')!r} is not {FORMAT}.")
    return manifest


def verify_backup(directory: Path, manifest: dict[str, Any]) -> None:
    """Every file is there with its checksum, before anything is changed."""
    expected = [(manifest["database"]["file"], manifest["database"]["sha256"])]
    expected += [
        (f"{FILES_DIR}/{item['storage']}/{item['name']}", item["sha256"])
        for item in manifest["files"]
    ]
    for relative, checksum in expected:
        path = directory / relative
        if not path.is_file():
            raise BackupError(f"{path} is missing from the backup; nothing was restored.")
        if sha256_of(path) != checksum:
            raise BackupError(
                f"{path} does not match its checksum in {MANIFEST}: the backup is damaged; "
                "nothing was restored."
            )


def unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    """Migrations the backup's database had that this version of maca does not know."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]


def installation_content() -> list[str]:
    """What this installation already holds (people, audits, stored files); empty if nothing."""
    found = []
    tables = set(connection.introspection.table_names())
    for model in (get_user_model(), apps.get_model("audits", "Audit")):
        if model._meta.db_table in tables and model._default_manager.exists():
            found.append(f"{model._meta.verbose_name_plural}")
    for alias in backed_up_storages():
        if next(_walk(storages[alias]), None) is not None:
            found.append(f"files in the {alias!r} storage")
    return found


def restore_backup(directory: Path) -> dict[str, Any]:
    manifest = read_manifest(directory)
    database = manifest["database"]
    if database["vendor"] != _vendor():
        raise BackupError(
            f"This backup is of a {database['vendor']} database and this installation uses "
            f"{_vendor()}: restore it into a {database['vendor']} installation."
        )
    if unknown := unknown_migrations(manifest):
        raise BackupError(
            "This backup was made by a newer version of maca (it has migrations this version "
            f"does not know: {', '.join(unknown[:5])}). Install that version first."
        )
    if content := installation_content():
        raise BackupError(
            "This installation is not empty (it has "
            + ", ".join(content)
            + "): a backup is restored only into a new, empty installation, so nothing here "
            "is overwritten. Point DATABASE_URL (and the storages) at new ones and try again."
        )
    verify_backup(directory, manifest)
    _restore_database(directory / database["file"], database["method"])
    _restore_files(directory, manifest["files"])
    return manifest


def _restore_database(path: Path, method: str) -> None:
    if method == "sqlite-backup":
        connection.close()
        connection.ensure_connection()
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)
        source.close()
    elif method == "pg_dump":
        if not shutil.which("pg_restore"):
            raise BackupError("pg_restore is needed to restore this backup: install it.")
        connection.close()
        _run(
            [
                "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                "--single-transaction", "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}", str(path),
            ]
        )  # fmt: skip
    elif method == "dumpdata":
        call_command("migrate", verbosity=0)
        # The reference data the migrations wrote comes back from the backup, ids and all.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        with loading_saved_rows():
            call_command("loaddata", str(path), verbosity=0)
    else:
        raise BackupError(f"Unknown database backup method {method!r}.")


def _restore_files(directory: Path, files: list[dict[str, Any]]) -> None:
    for item in files:
        storage = storages[item["storage"]]
        with (directory / FILES_DIR / item["storage"] / item["name"]).open("rb") as source:
            saved = storage.save(item["name"], File(source))
        if saved != item["name"]:
            raise BackupError(f"{item['storage']}: {item['name']} was stored as {saved}.")
