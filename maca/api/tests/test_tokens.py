"""Personal access tokens: made once and shown once, stored hashed, expiring, revocable; a
refused token gets a 401 in JSON, never the sign-in page; every call is logged."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from maca.accounts.models import Role
from maca.api.models import ApiCallLog, ApiToken
from maca.api.services import api_token_create, api_token_revoke
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_token_is_stored_as_its_sha256_only():
    person = person_with_role(Role.COORDINATOR)
    made = api_token_create(user=person, name="BI", expires_in_days=90)
    stored = ApiToken.objects.get(pk=made.token.pk)
    assert stored.token_hash == hashlib.sha256(made.secret.encode()).hexdigest()
    assert made.secret.startswith("maca_") and len(made.secret) > 40
    assert made.secret not in {stored.name, stored.prefix, stored.token_hash}
    assert made.secret.startswith(stored.prefix)


def test_token_needs_a_name_and_an_expiry_within_the_limit():
    person = person_with_role(Role.COORDINATOR)
    with pytest.raises(ValidationError) as error:
        api_token_create(user=person, name=" ", expires_in_days=366)
    assert set(error.value.message_dict) == {"name", "expires_in_days"}
    with pytest.raises(ValidationError):
        api_token_create(user=person, name="x", expires_in_days=0)
    assert not ApiToken.objects.exists()


@override_settings(API_TOKEN_MAX_DAYS=30)
def test_the_expiry_limit_is_a_setting():
    person = person_with_role(Role.COORDINATOR)
    with pytest.raises(ValidationError):
        api_token_create(user=person, name="x", expires_in_days=31)


def test_a_valid_token_authenticates_as_its_person(client):
    person = person_with_role(Role.READER)
    made = api_token_create(user=person, name="x", expires_in_days=1)
    response = client.get(ME, **_bearer(made.secret))
    assert response.status_code == 200
    assert response.json()["email"] == person.email
    made.token.refresh_from_db()
    assert made.token.last_used_at is not None


def test_no_token_is_a_json_401_not_a_redirect(client):
    response = client.get("/api/v1/audits/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {
        "detail": "Authentication credentials were not provided.",
        "errors": [],
    }


@pytest.mark.parametrize("header", ["Bearer maca_not-a-real-token", "Bearer", "Bearer a b"])
def test_an_unknown_or_malformed_token_is_refused(client, header):
    response = client.get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_an_expired_token_is_refused(client):
    person = person_with_role(Role.COORDINATOR)
    made = api_token_create(user=person, name="x", expires_in_days=1)
    ApiToken.objects.filter(pk=made.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(ME, **_bearer(made.secret))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_revoked_token_is_refused(client):
    person = person_with_role(Role.COORDINATOR)
    made = api_token_create(user=person, name="x", expires_in_days=30)
    assert client.get(ME, **_bearer(made.secret)).status_code == 200
    api_token_revoke(user=person, token_id=made.token.pk)
    response = client.get(ME, **_bearer(made.secret))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_the_token_of_a_deactivated_account_is_refused(client):
    person = person_with_role(Role.COORDINATOR)
    made = api_token_create(user=person, name="x", expires_in_days=30)
    person.is_active = False
    person.save()
    assert client.get(ME, **_bearer(made.secret)).status_code == 401


def test_nobody_can_revoke_someone_elses_token():
    owner = person_with_role(Role.COORDINATOR)
    other = person_with_role(Role.COORDINATOR)
    made = api_token_create(user=owner, name="x", expires_in_days=30)
    with pytest.raises(Http404):
        api_token_revoke(user=other, token_id=made.token.pk)
    made.token.refresh_from_db()
    assert made.token.revoked_at is None


def test_every_call_is_logged_with_token_person_method_path_and_status(client):
    person = person_with_role(Role.COORDINATOR)
    made = api_token_create(user=person, name="x", expires_in_days=30)
    client.get(ME, **_bearer(made.secret))
    client.get("/api/v1/audits/nope/", **_bearer(made.secret))
    client.get(ME)
    client.get(ME, HTTP_AUTHORIZATION="Bearer wrong")
    api_token_revoke(user=person, token_id=made.token.pk)
    client.get(ME, **_bearer(made.secret))
    rows = list(ApiCallLog.objects.order_by("id"))
    assert [(r.method, r.path, r.status) for r in rows] == [
        ("GET", ME, 200),
        ("GET", "/api/v1/audits/nope/", 404),
        ("GET", ME, 401),
        ("GET", ME, 401),
        ("GET", ME, 401),
    ]
    assert [r.token_id for r in rows] == [made.token.pk, made.token.pk, None, None, made.token.pk]
    assert [r.user_id for r in rows] == [person.pk, person.pk, None, None, person.pk]
    assert all(r.at is not None and r.duration_ms >= 0 for r in rows)


def test_an_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["detail"]


# --- The page under the person's account ----------------------------------------------------

TOKENS = "/account/api-tokens/"


def test_the_token_page_shows_a_new_token_once(client):
    person = person_with_role(Role.COORDINATOR)
    client.force_login(person)
    response = client.post(TOKENS, {"name": "Power BI", "expires_in_days": "90"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=person)
    secret = response.context["new_token"].secret
    assert hashlib.sha256(secret.encode()).hexdigest() == token.token_hash
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    again = client.get(TOKENS)
    page = again.content.decode()
    assert "Power BI" in page and token.prefix in page
    assert secret not in page
    expected = timezone.now() + dt.timedelta(days=90)
    assert abs((token.expires_at - expected).total_seconds()) < 60


def test_the_token_page_refuses_a_missing_name_or_expiry(client):
    person = person_with_role(Role.COORDINATOR)
    client.force_login(person)
    response = client.post(TOKENS, {"name": "", "expires_in_days": "999"})
    page = response.content.decode()
    assert "Enter what the token is for" in page
    assert "There is a problem" in page
    assert not ApiToken.objects.exists()


def test_a_person_revokes_their_token_from_the_page(client):
    person = person_with_role(Role.COORDINATOR)
    made = api_token_create(user=person, name="Old script", expires_in_days=30)
    client.force_login(person)
    response = client.post(reverse("api:token-revoke", args=[made.token.pk]))
    assert response.status_code == 302
    made.token.refresh_from_db()
    assert made.token.revoked_at is not None
    assert "Revoked" in client.get(TOKENS).content.decode()


def test_the_token_page_lists_only_your_own_tokens(client):
    owner = person_with_role(Role.COORDINATOR)
    other = person_with_role(Role.COORDINATOR)
    made = api_token_create(user=owner, name="Owner's script", expires_in_days=30)
    client.force_login(other)
    assert "Owner&#x27;s script" not in client.get(TOKENS).content.decode()
    assert client.post(reverse("api:token-revoke", args=[made.token.pk])).status_code == 404


def test_the_token_page_needs_sign_in(client):
    response = client.get(TOKENS)
    assert response.status_code == 302
    assert "sign-in" in response["Location"]
