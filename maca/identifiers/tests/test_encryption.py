"""Identifiers are encrypted at rest: the raw database rows hold only Fernet tokens, on SQLite
and PostgreSQL alike (the suite runs on both)."""

import pytest
from django.db import connection

from maca.accounts.models import Agency
from maca.identifiers.models import IDENTITY_FIELDS, AgencyReference, ChildIdentity
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

PLAIN = {
    "full_name": "Fictional Testname",
    "date_of_birth": "2015-04-01",
    "la_child_id": "TEST0001",
    "upn": "Z999999999999A",
    "nhs_number": "999 123 4567",
}


def raw_row(table: str, columns: list[str], pk: int) -> tuple:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(name) for name in columns)} FROM {quote(table)} "
            f"WHERE {quote('id')} = %s",
            [pk],
        )
        return cursor.fetchone()


def test_identifiers_cannot_be_read_in_the_raw_database_rows():
    case = CaseFactory.create()
    identity = ChildIdentity.objects.create(case=case, **PLAIN)
    raw = raw_row(ChildIdentity._meta.db_table, list(IDENTITY_FIELDS), identity.pk)
    for name, stored in zip(IDENTITY_FIELDS, raw, strict=True):
        assert PLAIN[name] not in stored, name
        assert stored.startswith("gAAAA"), name  # a Fernet token
    identity = ChildIdentity.objects.get(case=case)
    assert {name: getattr(identity, name) for name in IDENTITY_FIELDS} == PLAIN


def test_agency_reference_cannot_be_read_in_the_raw_database_row():
    case = CaseFactory.create()
    agency = Agency.objects.create(name="Fictional Trust", short_name="FT")
    reference = AgencyReference.objects.create(case=case, agency=agency, reference="FT-778812")
    (stored,) = raw_row(AgencyReference._meta.db_table, ["reference"], reference.pk)
    assert "FT-778812" not in stored
    assert stored.startswith("gAAAA")
    assert AgencyReference.objects.get(pk=reference.pk).reference == "FT-778812"


def test_the_same_value_is_stored_differently_each_time():
    # Fernet tokens carry a random IV, so equal identifiers cannot be matched across rows.
    first, second = CaseFactory.create(), CaseFactory.create()
    one = ChildIdentity.objects.create(case=first, upn="Z999999999999A")
    two = ChildIdentity.objects.create(case=second, upn="Z999999999999A")
    table = ChildIdentity._meta.db_table
    assert raw_row(table, ["upn"], one.pk) != raw_row(table, ["upn"], two.pk)
