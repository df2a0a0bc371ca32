"""Demo logins share one fictional authenticator secret, set idempotently by the demo load."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt

from maca.accounts.models import Role
from maca.demo.data import DEMO_TOTP_SECRET
from maca.demo.services import _ensure_demo_authenticator
from maca.demo.upsert import Tally
from tests.factories import TEST_TOTP_SECRET, person_with_role

pytestmark = pytest.mark.django_db


def _secrets(user) -> list[str]:
    totps = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)
    return [decrypt(totp.data["secret"]) for totp in totps]


def test_a_demo_login_gets_the_demo_secret_once():
    user = person_with_role(Role.COORDINATOR, mfa=False)
    first = Tally()
    _ensure_demo_authenticator(first, user)
    assert _secrets(user) == [DEMO_TOTP_SECRET]
    assert first.changed

    again = Tally()
    _ensure_demo_authenticator(again, user)
    assert _secrets(user) == [DEMO_TOTP_SECRET]
    assert not again.changed


def test_a_different_secret_is_replaced_by_the_demo_one():
    user = person_with_role(Role.COORDINATOR)
    assert _secrets(user) == [TEST_TOTP_SECRET]
    tally = Tally()
    _ensure_demo_authenticator(tally, user)
    assert _secrets(user) == [DEMO_TOTP_SECRET]
    assert tally.changed
