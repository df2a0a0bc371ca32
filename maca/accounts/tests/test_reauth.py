"""Exports need a recent sign-in or password confirmation (maca.accounts.reauth)."""

import pytest
from django.urls import reverse

from maca.accounts.models import Role
from tests.factories import (
    PASSWORD,
    build_audit,
    mark_recently_authenticated,
    person_with_role,
    totp_code_now,
)

pytestmark = pytest.mark.django_db

TRACKER_CSV = "/actions/export.csv"


def _age_authentication(client, seconds: float) -> None:
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= seconds
    session.save()


def test_a_fresh_sign_in_counts_as_recent(client):
    user = person_with_role(Role.COORDINATOR)
    client.post(reverse("sign-in"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code_now()})
    response = client.get(TRACKER_CSV)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_an_old_sign_in_asks_for_the_password_then_carries_on(client, settings):
    user = person_with_role(Role.COORDINATOR)
    client.force_login(user)
    mark_recently_authenticated(client, user)
    _age_authentication(client, settings.ACCOUNT_REAUTHENTICATION_TIMEOUT + 1)

    response = client.get(TRACKER_CSV)
    assert response.status_code == 302
    expected = f"{reverse('account_reauthenticate')}?next=%2Factions%2Fexport.csv"
    assert response["Location"] == expected

    page = client.get(response["Location"])
    assert "Confirm it is you" in page.text
    assert 'name="next" value="/actions/export.csv"' in page.text
    wrong = client.post(
        reverse("account_reauthenticate"), {"password": "not-it-at-all", "next": TRACKER_CSV}
    )
    assert wrong.status_code == 200
    assert "There is a problem" in wrong.text

    confirmed = client.post(
        reverse("account_reauthenticate"), {"password": PASSWORD, "next": TRACKER_CSV}
    )
    assert confirmed["Location"] == TRACKER_CSV
    assert client.get(TRACKER_CSV).status_code == 200


def test_a_session_with_no_record_of_signing_in_must_confirm(client):
    client.force_login(person_with_role(Role.COORDINATOR))
    response = client.get("/actions/export.xlsx")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_the_whole_audit_export_needs_a_recent_sign_in(client, settings):
    built = build_audit(cases=2, agencies=2, findings=2)
    client.force_login(built.coordinator)
    url = reverse("exchange:export", kwargs={"slug": built.audit.slug})
    assert client.get(url)["Location"].startswith(reverse("account_reauthenticate"))
    mark_recently_authenticated(client, built.coordinator)
    assert client.get(url)["Content-Type"] == "application/json"


def test_the_code_from_the_app_can_confirm_instead(client, settings):
    user = person_with_role(Role.COORDINATOR)
    client.force_login(user)
    page = client.get(f"{reverse('mfa_reauthenticate')}?next={TRACKER_CSV}")
    assert "Enter the code from your authenticator app" in page.text
    response = client.post(
        reverse("mfa_reauthenticate"), {"code": totp_code_now(), "next": TRACKER_CSV}
    )
    assert response["Location"] == TRACKER_CSV
    assert client.get(TRACKER_CSV).status_code == 200


def test_recent_means_within_the_configured_timeout(client, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 60
    user = person_with_role(Role.COORDINATOR)
    client.force_login(user)
    mark_recently_authenticated(client, user)
    _age_authentication(client, 30)
    assert client.get(TRACKER_CSV).status_code == 200
    _age_authentication(client, 31)
    assert client.get(TRACKER_CSV).status_code == 302
