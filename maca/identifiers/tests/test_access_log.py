"""The access log: coordinators read the entries of audits they coordinate, administrators read
everything, nobody else reads it at all; the CSV export is logged and safe in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maca.audits.models import Audit
from maca.identifiers.models import IdentifierAccess
from maca.identifiers.tests.conftest import World, sign_in
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

LOG = "identifiers:access-log"
CSV = "identifiers:access-log-csv"


def log_reveal(world: World, *, audit: Audit, reason: str, by=None) -> IdentifierAccess:  # type: ignore[no-untyped-def]
    user = by or world.coordinator
    case = audit.cases.first() or CaseFactory.create(audit=audit)
    return IdentifierAccess.objects.create(
        kind=IdentifierAccess.Kind.REVEAL,
        user=user,
        user_name=str(user),
        audit=audit,
        audit_title=audit.title,
        case=case,
        case_pseudonym=case.pseudonym,
        fields=["full_name"],
        purpose=IdentifierAccess.Purpose.OTHER,
        reason=reason,
    )


@pytest.fixture
def two_audits_logged(world: World) -> tuple[IdentifierAccess, IdentifierAccess]:
    other_audit = world.other_coordinator.coordinated_audits.get()
    return (
        log_reveal(world, audit=world.audit, reason="Reason in our audit"),
        log_reveal(
            world, audit=other_audit, reason="Reason in their audit", by=world.other_coordinator
        ),
    )


@pytest.mark.parametrize("persona", ["panel", "auditor", "lead", "reader"])
def test_access_log_is_not_found_for_other_roles(
    client: Client, world: World, persona: str
) -> None:
    sign_in(client, getattr(world, persona))
    assert client.get(reverse(LOG)).status_code == 404
    assert client.get(reverse(CSV)).status_code == 404


def test_coordinator_reads_only_the_entries_of_audits_they_coordinate(
    client: Client, world: World, two_audits_logged: tuple[IdentifierAccess, IdentifierAccess]
) -> None:
    sign_in(client, world.coordinator)
    response = client.get(reverse(LOG))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Reason in our audit" in body
    assert "Reason in their audit" not in body
    # Filtering by an audit they do not coordinate is refused, not answered.
    other_audit = world.other_coordinator.coordinated_audits.get()
    response = client.get(reverse(LOG), {"audit": other_audit.pk})
    body = response.content.decode()
    assert "Reason in their audit" not in body
    assert "Choose audit from the list" in body


def test_administrator_reads_every_entry(
    client: Client, world: World, two_audits_logged: tuple[IdentifierAccess, IdentifierAccess]
) -> None:
    sign_in(client, world.administrator)
    body = client.get(reverse(LOG)).content.decode()
    assert "Reason in our audit" in body
    assert "Reason in their audit" in body


def test_log_filters_by_audit_person_and_dates(
    client: Client, world: World, two_audits_logged: tuple[IdentifierAccess, IdentifierAccess]
) -> None:
    old = log_reveal(world, audit=world.audit, reason="An older reason")
    IdentifierAccess.objects.filter(pk=old.pk).update(
        at=timezone.make_aware(dt.datetime(2024, 3, 5, 10, 0))
    )
    sign_in(client, world.administrator)
    body = client.get(reverse(LOG), {"audit": world.audit.pk}).content.decode()
    assert "Reason in our audit" in body and "An older reason" in body
    assert "Reason in their audit" not in body
    body = client.get(reverse(LOG), {"person": world.other_coordinator.pk}).content.decode()
    assert "Reason in their audit" in body and "Reason in our audit" not in body
    dates = {"date_from_0": "1", "date_from_1": "3", "date_from_2": "2024"}
    dates |= {"date_to_0": "31", "date_to_1": "3", "date_to_2": "2024"}
    body = client.get(reverse(LOG), dates).content.decode()
    assert "An older reason" in body and "Reason in our audit" not in body
    backwards = {"date_from_0": "1", "date_from_1": "4", "date_from_2": "2024"}
    backwards |= {"date_to_0": "1", "date_to_1": "3", "date_to_2": "2024"}
    body = client.get(reverse(LOG), backwards).content.decode()
    assert "To must be the same as or after from" in body


def test_log_is_paginated(client: Client, world: World) -> None:
    for number in range(53):
        log_reveal(world, audit=world.audit, reason=f"Numbered reason {number:02d}")
    sign_in(client, world.coordinator)
    first = client.get(reverse(LOG)).content.decode()
    assert "Numbered reason 52" in first and "Numbered reason 02" not in first
    assert "page 1 of 2" in first
    second = client.get(reverse(LOG), {"page": 2}).content.decode()
    assert "Numbered reason 02" in second and "Numbered reason 52" not in second


def test_csv_export_is_logged_and_neutralises_formulas(client: Client, world: World) -> None:
    log_reveal(world, audit=world.audit, reason='=HYPERLINK("http://example.org/x","click")')
    log_reveal(world, audit=world.audit, reason="+1 and -1 and @SUM")
    sign_in(client, world.coordinator)
    response = client.get(reverse(CSV), {"audit": world.audit.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["When", "What", "Who", "Audit"]
    reasons = {row[7] for row in rows[1:]}
    assert '\'=HYPERLINK("http://example.org/x","click")' in reasons
    assert "'+1 and -1 and @SUM" in reasons
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    export = IdentifierAccess.objects.get(kind=IdentifierAccess.Kind.LOG_EXPORT)
    assert export.user == world.coordinator
    assert export.audit == world.audit
    assert export.reason.startswith("2 entries exported as CSV")


def test_csv_export_asks_to_confirm_who_you_are(client: Client, world: World) -> None:
    sign_in(client, world.coordinator, recently=False)
    response = client.get(reverse(CSV))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert not IdentifierAccess.objects.exists()


def test_coordinator_sees_their_own_unfiltered_export_in_the_log(
    client: Client, world: World
) -> None:
    sign_in(client, world.coordinator)
    client.get(reverse(CSV))
    body = client.get(reverse(LOG)).content.decode()
    assert "Access log exported" in body
    client.logout()
    sign_in(client, world.other_coordinator)
    assert "Access log exported" not in client.get(reverse(LOG)).content.decode()
