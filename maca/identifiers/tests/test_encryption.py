import pytest
from django.db import connection

from maca.identifiers.models import ChildIdentity
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_identifiers_cannot_be_read_in_the_raw_database_rows():
    case = CaseFactory.create()
    ChildIdentity.objects.create(
        case=case,
        full_name="Fictional Testname",
        date_of_birth="2015-04-01",
        la_child_id="TEST0001",
        upn="Z999999999999A",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, date_of_birth, la_child_id, upn FROM identifiers_childidentity"
        )
        raw = cursor.fetchone()
    for stored, plain in zip(
        raw, ["Fictional Testname", "2015-04-01", "TEST0001", "Z999999999999A"], strict=True
    ):
        assert plain not in stored
        assert stored.startswith("gAAAA")  # a Fernet token
    identity = ChildIdentity.objects.get(case=case)
    assert identity.full_name == "Fictional Testname"
