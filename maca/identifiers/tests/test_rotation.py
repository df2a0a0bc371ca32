"""Rotating the identifier key: `maca rotate-identifier-keys` re-encrypts every value with the
newest key, so the old key can then be dropped."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from maca.accounts.models import Agency
from maca.core.models import ChangeRecord
from maca.identifiers.models import IDENTITY_FIELDS, AgencyReference, ChildIdentity
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def raw_values() -> list[str]:
    quote = connection.ops.quote_name
    values: list[str] = []
    with connection.cursor() as cursor:
        columns = ", ".join(quote(name) for name in IDENTITY_FIELDS)
        cursor.execute(f"SELECT {columns} FROM {quote(ChildIdentity._meta.db_table)}")
        for row in cursor.fetchall():
            values.extend(value for value in row if value)
        cursor.execute(f"SELECT {quote('reference')} FROM {quote(AgencyReference._meta.db_table)}")
        values.extend(row[0] for row in cursor.fetchall())
    return sorted(values)


@pytest.fixture
def stored_with_key_a(settings: pytest.FixtureRequest) -> list[ChildIdentity]:
    settings.IDENTIFIER_KEYS = [KEY_A]  # type: ignore[attr-defined]
    agency = Agency.objects.create(name="Fictional Clinic", short_name="FC")
    identities = []
    for index in range(3):
        case = CaseFactory.create()
        identities.append(
            ChildIdentity.objects.create(
                case=case,
                full_name=f"Fictional Rotated{index}",
                date_of_birth=f"2014-06-0{index + 1}",
                la_child_id=f"ROT{index}",
            )
        )
        AgencyReference.objects.create(case=case, agency=agency, reference=f"FC-{index}")
    return identities


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("rotate-identifier-keys", *args, stdout=out)
    return out.getvalue()


def test_rotation_moves_every_value_to_the_new_key(
    settings: pytest.FixtureRequest, stored_with_key_a: list[ChildIdentity]
) -> None:
    before = raw_values()
    history_before = ChangeRecord.objects.count()
    settings.IDENTIFIER_KEYS = [KEY_B, KEY_A]  # type: ignore[attr-defined]
    output = run("--batch-size", "2")
    assert "identifiers.ChildIdentity: 9 encrypted values, 9 re-encrypted" in output
    assert "identifiers.AgencyReference: 3 encrypted values, 3 re-encrypted" in output
    after = raw_values()
    assert len(after) == len(before) == 12
    assert not set(after) & set(before)
    # The old key can go: the new key alone reads everything.
    settings.IDENTIFIER_KEYS = [KEY_B]  # type: ignore[attr-defined]
    names = sorted(ChildIdentity.objects.values_list("full_name", flat=True))
    assert names == ["Fictional Rotated0", "Fictional Rotated1", "Fictional Rotated2"]
    assert sorted(AgencyReference.objects.values_list("reference", flat=True)) == [
        "FC-0",
        "FC-1",
        "FC-2",
    ]
    births = {row.la_child_id: row.date_of_birth for row in ChildIdentity.objects.all()}
    assert births == {"ROT0": "2014-06-01", "ROT1": "2014-06-02", "ROT2": "2014-06-03"}
    # Re-encryption is not a change of value, so history has nothing new to say.
    assert ChangeRecord.objects.count() == history_before
    # A second run finds nothing left on the old key.
    settings.IDENTIFIER_KEYS = [KEY_B, KEY_A]  # type: ignore[attr-defined]
    assert "0 re-encrypted, 9 already on the newest key" in run()


def test_dry_run_counts_and_changes_nothing(
    settings: pytest.FixtureRequest, stored_with_key_a: list[ChildIdentity]
) -> None:
    before = raw_values()
    settings.IDENTIFIER_KEYS = [KEY_B, KEY_A]  # type: ignore[attr-defined]
    output = run("--dry-run")
    assert "identifiers.ChildIdentity: 9 encrypted values, 9 would be re-encrypted" in output
    assert raw_values() == before


def test_values_no_key_can_open_are_reported_and_left_alone(
    settings: pytest.FixtureRequest, stored_with_key_a: list[ChildIdentity]
) -> None:
    before = raw_values()
    settings.IDENTIFIER_KEYS = [KEY_B]  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="12 values could not be decrypted"):
        run()
    assert raw_values() == before


def test_generate_identifier_key_prints_a_usable_key() -> None:
    out = io.StringIO()
    call_command("generate-identifier-key", stdout=out)
    key = out.getvalue().strip()
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"fictional")) == b"fictional"


def test_authenticator_app_secrets_move_to_the_new_key_too(
    settings: pytest.FixtureRequest,
) -> None:
    from allauth.mfa.models import Authenticator

    from maca.core import crypto
    from tests.factories import TEST_TOTP_SECRET, UserFactory

    settings.IDENTIFIER_KEYS = [KEY_A]  # type: ignore[attr-defined]
    user = UserFactory.create()
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    # Encrypted at rest, not the secret itself.
    assert stored.data["secret"] != TEST_TOTP_SECRET
    settings.IDENTIFIER_KEYS = [KEY_B, KEY_A]  # type: ignore[attr-defined]
    assert "mfa.Authenticator: 1 encrypted values, 1 re-encrypted" in run()
    settings.IDENTIFIER_KEYS = [KEY_B]  # type: ignore[attr-defined]
    stored.refresh_from_db()
    assert crypto.decrypt(stored.data["secret"]) == TEST_TOTP_SECRET
