"""Your active sessions: see where you are signed in and end any of them; idle-timeout pieces."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from maca.accounts.models import Role
from maca.accounts.selectors import describe_user_agent
from tests.factories import PASSWORD, person_with_role, totp_code_now

pytestmark = pytest.mark.django_db

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _signed_in_client(user, user_agent: str, code: str | None = None) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    client.post(reverse("sign-in"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code or totp_code_now()})
    assert client.get(reverse("audits:list")).status_code == 200
    return client


@pytest.fixture
def two_sessions():
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = person_with_role(Role.COORDINATOR)
    # The second browser uses a recovery code: a code from the app works only once.
    recovery = RecoveryCodes.activate(user).get_unused_codes()[0]
    office = _signed_in_client(user, FIREFOX_WINDOWS)
    phone = _signed_in_client(user, SAFARI_IPHONE, recovery)
    return user, office, phone


def test_the_list_shows_each_session_and_marks_this_one(two_sessions):
    user, office, _phone = two_sessions
    page = office.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert "Firefox on Windows" in page.text
    assert "Safari on iPhone" in page.text
    assert page.text.count("This session") == 1
    assert "127.0.0.1" in page.text
    assert UserSession.objects.filter(user=user).count() == 2


def test_ending_one_other_session_signs_that_browser_out(two_sessions):
    user, office, phone = two_sessions
    phone_session = UserSession.objects.get(user=user, user_agent=SAFARI_IPHONE)
    response = office.post(reverse("session-end", kwargs={"session_id": phone_session.pk}))
    assert response["Location"] == reverse("usersessions_list")
    assert phone.get(reverse("audits:list")).status_code == 302
    assert office.get(reverse("audits:list")).status_code == 200


def test_ending_this_session_signs_out(two_sessions):
    user, office, _phone = two_sessions
    own = UserSession.objects.get(user=user, user_agent=FIREFOX_WINDOWS)
    response = office.post(reverse("session-end", kwargs={"session_id": own.pk}))
    assert response["Location"] == reverse("sign-in")
    assert office.get(reverse("audits:list")).status_code == 302


def test_sign_out_all_others_keeps_only_this_one(two_sessions):
    user, office, phone = two_sessions
    response = office.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert phone.get(reverse("audits:list")).status_code == 302
    assert office.get(reverse("audits:list")).status_code == 200
    assert list(UserSession.objects.filter(user=user).values_list("user_agent", flat=True)) == [
        FIREFOX_WINDOWS
    ]


def test_someone_elses_session_is_a_404(two_sessions, client):
    user, _office, _phone = two_sessions
    theirs = UserSession.objects.filter(user=user).first()
    other = person_with_role(Role.COORDINATOR)
    client.force_login(other)
    response = client.post(reverse("session-end", kwargs={"session_id": theirs.pk}))
    assert response.status_code == 404
    assert UserSession.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("user_agent", "described"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Mac",
        ),
        ("curl/8.5.0", "Unknown browser"),
    ],
)
def test_user_agents_are_described_plainly(user_agent, described):
    assert describe_user_agent(user_agent) == described


def test_signed_in_pages_carry_the_idle_timeout_for_the_warning(client, settings):
    client.force_login(person_with_role(Role.COORDINATOR))
    page = client.get(reverse("audits:list"))
    assert f'data-session-idle-seconds="{settings.SESSION_COOKIE_AGE}"' in page.text
    assert 'data-session-warning-seconds="120"' in page.text
    assert f'data-keep-alive-url="{reverse("keep-alive")}"' in page.text
    assert "maca/idle-timeout.js" in page.text
    assert "You will be signed out in 2 minutes" in page.text


def test_signed_out_pages_have_no_idle_timeout(client):
    page = client.get(reverse("sign-in"))
    assert "data-session-idle-seconds" not in page.text
    assert "idle-timeout.js" not in page.text


def test_keep_alive_needs_a_post_with_the_csrf_token(client):
    client.force_login(person_with_role(Role.READER))
    assert client.post(reverse("keep-alive")).status_code == 204
    assert client.get(reverse("keep-alive")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(person_with_role(Role.READER))
    assert strict.post(reverse("keep-alive")).status_code == 403


def test_keep_alive_when_signed_out_does_not_succeed(client):
    assert client.post(reverse("keep-alive")).status_code == 302


def test_the_header_links_to_your_account(client):
    client.force_login(person_with_role(Role.COORDINATOR))
    page = client.get(reverse("audits:list"))
    assert f'href="{reverse("mfa_index")}"' in page.text
    account = client.get(reverse("mfa_index"))
    assert "Two-factor authentication" in account.text
    assert f'href="{reverse("usersessions_list")}"' in account.text


def _last_seen(client):
    return UserSession.objects.get(session_key=client.session.session_key).last_seen_at


def test_last_seen_is_written_at_most_once_a_minute(monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from maca.accounts import services

    user = person_with_role(Role.COORDINATOR)
    client = _signed_in_client(user, FIREFOX_WINDOWS)
    first = _last_seen(client)
    client.get(reverse("audits:list"))
    assert _last_seen(client) == first  # seconds later: not written again

    later = timezone.now() + dt.timedelta(seconds=services.SESSION_ACTIVITY_INTERVAL_SECONDS + 1)
    monkeypatch.setattr(services.timezone, "now", lambda: later)
    client.get(reverse("audits:list"))
    assert _last_seen(client) == later


def test_another_browser_on_the_same_session_is_noted_at_once():
    user = person_with_role(Role.COORDINATOR)
    client = _signed_in_client(user, FIREFOX_WINDOWS)
    client.get(reverse("audits:list"), HTTP_USER_AGENT=SAFARI_IPHONE)
    row = UserSession.objects.get(session_key=client.session.session_key)
    assert row.user_agent == SAFARI_IPHONE
