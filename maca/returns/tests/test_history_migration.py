"""The returns app's old history entries move into the site-wide history, once, and keep what
they said: the workflow step on the record made for the same change, or a record of their
own when there was none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from maca.audits.models import AgencyReturn, ReturnStatus
from maca.core.models import ChangeRecord
from maca.history.selectors import records_of
from tests.factories import build_audit

BEFORE = [("returns", "0001_history_and_reminders"), ("core", "0001_change_record")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# serialized_rollback: the flush after this test then leaves the migrated reference data (content
# types, grading scales) as the browser tests expect, instead of re-creating it with new ids.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_history_entries_become_change_records():
    built = build_audit(cases=1, agencies=2, findings=0, status="returns_open")
    agency_return = AgencyReturn.objects.get(case__audit=built.audit)
    # The record the site-wide history made when the return was submitted...
    AgencyReturn.objects.filter(pk=agency_return.pk).update(status=ReturnStatus.SUBMITTED)
    submitted = records_of(agency_return).get(action="bulk update")
    ChangeRecord.objects.filter(pk=submitted.pk).update(
        at=dt.datetime(2026, 3, 2, 10, 0, 1, tzinfo=dt.UTC)
    )

    old_apps = _migrate(BEFORE)
    try:
        history_entry = old_apps.get_model("returns", "HistoryEntry")
        # ...and the returns app's own entry for the same step, a moment earlier.
        history_entry.objects.create(
            agency_return_id=agency_return.pk,
            at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC),
            actor_id=built.coordinator.pk,
            action="submit",
            status_before=ReturnStatus.DRAFT,
            status_after=ReturnStatus.SUBMITTED,
        )
        # An entry from before the site-wide history: nothing to match.
        history_entry.objects.create(
            agency_return_id=agency_return.pk,
            at=dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC),
            actor_id=built.coordinator.pk,
            action="send_back",
            status_before=ReturnStatus.SUBMITTED,
            status_after=ReturnStatus.SENT_BACK,
            note="Fictional reason to look again",
        )
    finally:
        # Forward to every app's latest migration, not only past the one under test: later
        # tests need the tables added since (a fixed target left them missing).
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    records = list(records_of(agency_return).exclude(action="create"))
    assert [record.action for record in records] == ["send_back", "submit"]
    older, matched = records
    assert matched.pk == submitted.pk
    assert older.at == dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC)
    assert older.changes == {
        "status": [ReturnStatus.SUBMITTED, ReturnStatus.SENT_BACK],
        "note": ["", "Fictional reason to look again"],
    }
    assert older.audit_id == built.audit.pk
    assert older.actor_id == built.coordinator.pk
    assert older.actor_name == str(built.coordinator)
