"""`maca backup` and `maca restore`: a backup restored into an empty installation gives every
audit's whole-audit export and learning brief exactly as before, with the identifiers and the
kept 903 extracts; a non-empty installation or a damaged backup is refused, changing nothing.
Runs on SQLite (the online backup API) and on PostgreSQL (pg_dump where it is installed).

One test, as loading the demo audits (the richest data there is) is most of its time."""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

from maca.audits.models import Audit
from maca.core import backup
from maca.demo.services import demo_load
from maca.exchange.selectors import audit_export, export_bytes
from maca.identifiers.models import ChildIdentity
from maca.reports.brief import build_brief, system_access
from maca.reports.renderers import render
from maca.sampling.extract import build_extract, extract_store, load_extract, save_extract
from maca.sampling.generate import generate
from maca.sampling.ingest import SourceFile, read_extract

pytestmark = pytest.mark.django_db(transaction=True)


def _put_back_what_migrations_made() -> None:
    """The reference data and content types the migrations wrote, which the flush after a
    transactional test removes (and a reused test database would then lack)."""
    reference = importlib.import_module("maca.audits.migrations.0003_reference_data")
    reference.create_reference_data(django_apps, None)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


@pytest.fixture(scope="module", autouse=True)
def migrated_data_kept(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _put_back_what_migrations_made()
    yield
    with django_db_blocker.unblock():
        _put_back_what_migrations_made()


def _everything() -> dict[str, object]:
    """What must survive: every audit's export and brief, the identifiers, the extract."""
    seen: dict[str, object] = {}
    for audit in Audit.objects.order_by("slug"):
        access = system_access(audit)
        document = audit_export(access)
        document.pop("exported_at")  # the moment of export, not the audit
        seen[f"{audit.slug}.json"] = export_bytes(document)
        seen[f"{audit.slug}.md"] = render(build_brief(access), "md").content
    seen["identities"] = sorted(
        (i.case_id, i.full_name, i.la_child_id) for i in ChildIdentity.objects.all()
    )
    seen["extract"] = load_extract(extract_store("import-kept"), {}).episodes.to_dicts()
    return seen


def _empty_the_installation() -> None:
    call_command("flush", interactive=False, verbosity=0)
    for stored in list(backup.stored_files()):
        storages[stored.storage].delete(stored.name)


def _expected_method() -> str:
    if connection.vendor == "sqlite":
        return "sqlite-backup"
    return "pg_dump" if shutil.which("pg_dump") else "dumpdata"


def test_a_backup_restores_every_audit_exactly(settings, tmp_path: Path, capsys):
    settings.MACA_SAMPLING_DIR = str(tmp_path / "extracts")
    demo_load()
    paths = generate(tmp_path / "903", children=20, seed=7).paths
    result = build_extract(read_extract([SourceFile(p, 2024) for p in paths]), home_districts=[])
    save_extract(result.extract, result.problems, extract_store("import-kept"))
    original = _everything()
    assert original["identities"] and len(original) > 4

    target = tmp_path / "backup"
    call_command("backup", "-o", str(target))
    said = capsys.readouterr().out
    assert "MACA_IDENTIFIER_KEYS" in said and "not in this backup" in said
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["database"]["method"] == _expected_method()
    assert {item["storage"] for item in manifest["files"]} == {"extracts"}
    assert all(len(item["sha256"]) == 64 for item in manifest["files"])
    for path in target.rglob("*"):
        assert not path.is_file() or settings.SECRET_KEY.encode() not in path.read_bytes()

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", "-o", str(target))
    with pytest.raises(CommandError, match="This installation is not empty"):
        call_command("restore", str(target))

    _empty_the_installation()
    damaged = tmp_path / "damaged"
    shutil.copytree(target, damaged)
    kept = next((damaged / "files" / "extracts").rglob("*.enc"))
    kept.write_bytes(kept.read_bytes()[:-1] + b"x")
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(damaged))
    assert not Audit.objects.exists()

    call_command("restore", str(target))
    assert _everything() == original

    if connection.vendor == "postgresql":  # and without pg_dump: dumpdata in one snapshot
        fallback = tmp_path / "fallback"
        with mock.patch.object(backup.shutil, "which", return_value=None):
            call_command("backup", "-o", str(fallback))
            _empty_the_installation()
            call_command("restore", str(fallback))
        assert json.loads((fallback / "manifest.json").read_text())["database"]["method"] == (
            "dumpdata"
        )
        assert _everything() == original
