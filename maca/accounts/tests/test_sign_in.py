"""Signing in through the real allauth views: password, then a code from the app."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from maca.accounts.models import Role
from maca.demo.data import DEMO_TOTP_SECRET
from tests.factories import PASSWORD, person_with_role, totp_code_now

pytestmark = pytest.mark.django_db


def _password_step(client, email, password=PASSWORD):
    return client.post(reverse("sign-in"), {"login": email, "password": password})


def _is_signed_in(client) -> bool:
    return client.get(reverse("audits:list")).status_code == 200


def test_password_then_code_signs_in_and_lands_on_audits(client):
    user = person_with_role(Role.COORDINATOR)
    response = _password_step(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not _is_signed_in(client)  # the password alone is not enough

    code_page = client.get(reverse("mfa_authenticate"))
    assert "Enter the code from your authenticator app" in code_page.text
    assert "Demo only" not in code_page.text

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code_now()})
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:list")
    assert _is_signed_in(client)


def test_email_is_matched_whatever_its_case(client):
    user = person_with_role(Role.COORDINATOR)
    response = _password_step(client, user.email.upper())
    assert response["Location"] == reverse("mfa_authenticate")


def test_wrong_password_says_what_is_wrong_and_keeps_the_email(client):
    user = person_with_role(Role.COORDINATOR)
    response = _password_step(client, user.email, "wrong-password-entirely")
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a correct email address and password" in response.text
    assert f'value="{user.email}"' in response.text


def test_empty_form_names_each_missing_field(client):
    response = client.post(reverse("sign-in"), {"login": "", "password": ""})
    assert response.status_code == 200
    assert '<a href="#id_login">Enter your email address</a>' in response.text
    assert '<a href="#id_password">Enter your password</a>' in response.text


def test_wrong_code_is_refused_and_the_person_stays_signed_out(client):
    user = person_with_role(Role.PANEL_MEMBER)
    _password_step(client, user.email)
    right = totp_code_now()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "The code is not right" in response.text
    assert 'aria-describedby="id_code-hint id_code-error"' in response.text
    assert not _is_signed_in(client)


def test_a_used_code_cannot_be_used_again(client):
    user = person_with_role(Role.COORDINATOR)
    code = totp_code_now()
    _password_step(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("sign-out"))
    _password_step(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert "The code is not right" in response.text


def test_recovery_code_signs_in_once(client):
    user = person_with_role(Role.COORDINATOR)
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    _password_step(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response["Location"] == reverse("audits:list")
    client.post(reverse("sign-out"))

    _password_step(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert "The code is not right" in response.text
    assert not _is_signed_in(client)


def test_cancel_on_the_code_step_signs_out(client):
    user = person_with_role(Role.COORDINATOR)
    _password_step(client, user.email)
    response = client.post(reverse("sign-out"), {"next": reverse("sign-in")})
    assert response.status_code == 302
    assert client.get(reverse("mfa_authenticate")).status_code == 302


def test_person_without_an_authenticator_signs_in_with_the_password_only(client):
    user = person_with_role(Role.READER, mfa=False)
    response = _password_step(client, user.email)
    assert response["Location"] == reverse("audits:list")
    assert _is_signed_in(client)


def test_sign_out_ends_the_session(client):
    user = person_with_role(Role.COORDINATOR)
    client.force_login(user)
    client.post(reverse("sign-out"))
    response = client.get(reverse("audits:list"))
    assert response.status_code == 302


def test_there_is_no_public_sign_up(client):
    page = client.get(reverse("sign-in"))
    assert "sign up" not in page.text.lower()
    assert client.get("/account/signup/").status_code in {302, 404}


@override_settings(DEMO_MODE=True)
def test_demo_mode_shows_the_current_demo_code(client):
    user = person_with_role(Role.COORDINATOR)
    Authenticator.objects.filter(user=user).delete()
    TOTP.activate(user, DEMO_TOTP_SECRET)
    _password_step(client, user.email)
    shown = totp_code_now(DEMO_TOTP_SECRET)
    page = client.get(reverse("mfa_authenticate"))
    assert f"Demo only: the code now is <strong>{shown}</strong>" in page.text
    response = client.post(reverse("mfa_authenticate"), {"code": shown})
    assert response["Location"] == reverse("audits:list")


def test_agency_role_must_name_its_agency():
    from django.db import IntegrityError, transaction

    user = person_with_role(Role.READER)
    with pytest.raises(IntegrityError), transaction.atomic():
        user.role_assignments.create(role=Role.AGENCY_AUDITOR, agency=None)


def test_after_five_failed_attempts_even_the_right_password_is_refused(client):
    user = person_with_role(Role.COORDINATOR)
    for _ in range(5):
        response = _password_step(client, user.email, "not-the-password-at-all")
        assert "Enter a correct email address and password" in response.text
    response = _password_step(client, user.email)
    assert response.status_code == 200
    assert "Too many failed attempts to sign in. Wait 15 minutes, then try again" in response.text
    assert not _is_signed_in(client)


def test_failed_attempts_for_one_email_do_not_lock_out_another(client):
    target = person_with_role(Role.COORDINATOR)
    other = person_with_role(Role.COORDINATOR)
    for _ in range(5):
        _password_step(client, target.email, "not-the-password-at-all")
    response = _password_step(client, other.email)
    assert response["Location"] == reverse("mfa_authenticate")


# --- Throttling: tight per account, loose per address ---------------------------------------

PROXY = {"ALLAUTH_TRUSTED_PROXY_COUNT": 1}


def _from(address: str) -> dict[str, str]:
    """Headers of a request the reverse proxy forwarded for a person at `address`."""
    return {"X-Forwarded-For": address}


def _wrong_code() -> str:
    return f"{(int(totp_code_now()) + 1) % 1_000_000:06d}"


def test_many_wrong_codes_for_one_account_do_not_lock_out_the_rest_of_the_address(client):
    # Behind a proxy left at its default every person has the proxy's address: one person's
    # mistakes must not stop anyone else signing in.
    careless = person_with_role(Role.COORDINATOR)
    other = person_with_role(Role.COORDINATOR)
    _password_step(client, careless.email)
    for _ in range(12):
        client.post(reverse("mfa_authenticate"), {"code": _wrong_code()})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code_now()})
    assert "Too many failed attempts" in response.text  # that account's code step is shut

    response = _password_step(Client(), other.email)
    assert response["Location"] == reverse("mfa_authenticate")
    colleague = Client()
    _password_step(colleague, other.email)
    response = colleague.post(reverse("mfa_authenticate"), {"code": totp_code_now()})
    assert response["Location"] == reverse("audits:list")


@override_settings(**PROXY)
def test_wrong_codes_are_counted_per_account_from_any_address(client):
    target = person_with_role(Role.COORDINATOR)
    for index in range(5):
        attacker = Client(headers=_from(f"198.51.100.{index}"))
        _password_step(attacker, target.email)
        attacker.post(reverse("mfa_authenticate"), {"code": _wrong_code()})
    owner = Client(headers=_from("203.0.113.9"))
    _password_step(owner, target.email)
    response = owner.post(reverse("mfa_authenticate"), {"code": totp_code_now()})
    assert "Too many failed attempts to sign in. Wait 15 minutes" in response.text
    assert not _is_signed_in(owner)


@override_settings(**PROXY)
def test_wrong_passwords_are_counted_per_account_from_any_address():
    target = person_with_role(Role.COORDINATOR)
    for index in range(5):
        attacker = Client(headers=_from(f"198.51.100.{index}"))
        _password_step(attacker, target.email, "not-the-password-at-all")
    response = _password_step(Client(headers=_from("203.0.113.9")), target.email)
    assert "Too many failed attempts to sign in" in response.text


@override_settings(
    **PROXY,
    ACCOUNT_RATE_LIMITS={**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/15m/ip,5/15m/key"},
)
def test_the_address_limit_counts_the_address_the_proxy_reports():
    sprayer = Client(headers=_from("198.51.100.7"))
    for _ in range(3):
        _password_step(sprayer, person_with_role(Role.READER).email, "not-the-password-at-all")
    next_person = person_with_role(Role.READER, mfa=False)
    refused = _password_step(sprayer, next_person.email)
    assert "Too many failed attempts to sign in" in refused.text
    # Someone else, at another address behind the same proxy, is not affected.
    response = _password_step(Client(headers=_from("203.0.113.9")), next_person.email)
    assert response["Location"] == reverse("audits:list")


def test_the_address_limit_lets_a_whole_office_behind_one_address_sign_in():
    rate = settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")
    per_address = next(part for part in rate if part.endswith("/ip"))
    per_account = next(part for part in rate if part.endswith("/key"))
    assert int(per_address.split("/")[0]) >= 200
    assert per_address.split("/")[1] == per_account.split("/")[1] == "15m"
    assert int(per_account.split("/")[0]) <= 5
    assert int(settings.ACCOUNT_RATE_LIMITS["login"].split("/")[0]) >= 200
