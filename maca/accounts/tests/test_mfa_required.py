"""Nobody with a child-level role reaches a child-level page, and no administrator reaches the
people pages, before setting up two-factor authentication; readers are not forced."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from maca.accounts.models import Role
from maca.api.services import api_token_create
from tests.factories import (
    AgencyFactory,
    BuiltAudit,
    build_audit,
    mark_recently_authenticated,
    person_with_role,
    totp_code_now,
)

pytestmark = pytest.mark.django_db

CHILD_LEVEL_NAMESPACES = {
    "audits",
    "planning",
    "returns",
    "moderation",
    "learning",
    "tracker",
    "reports",
    "sampling",
    "exchange",
    "identifiers",
}
CHILD_LEVEL_ROLES = [Role.COORDINATOR, Role.AGENCY_AUDITOR, Role.AGENCY_LEAD, Role.PANEL_MEMBER]


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, entry.namespace or namespace)
        elif namespace in CHILD_LEVEL_NAMESPACES and entry.name:
            yield namespace, entry


def _value_for(name: str, converter: Any, built: BuiltAudit) -> Any:
    """A real object's key where the parameter names one, otherwise a well-formed value: the
    check happens before any view runs, so the object need not exist."""
    case = built.cases[0]
    agency = built.agencies[0]
    known = {
        "slug": built.audit.slug,
        "case_id": case.pk,
        "agency_id": agency.pk,
        "agency": agency.short_name,
    }
    if name in known:
        return known[name]
    type_name = type(converter).__name__
    if type_name == "UUIDConverter":
        return "00000000-0000-0000-0000-000000000001"
    if type_name == "IntConverter" or "id" in name:
        return 1
    return "x"


def child_level_urls(built: BuiltAudit) -> list[str]:
    urls = []
    for namespace, pattern in _patterns(get_resolver()):
        converters = getattr(pattern.pattern, "converters", {})
        kwargs = {name: _value_for(name, conv, built) for name, conv in converters.items()}
        regex = getattr(pattern.pattern, "regex", None)
        if not converters and regex is not None and regex.groupindex:
            kwargs = {name: "x" for name in regex.groupindex}
        urls.append(reverse(f"{namespace}:{pattern.name}", kwargs=kwargs))
    return sorted(set(urls))


@pytest.fixture
def built() -> BuiltAudit:
    return build_audit(cases=2, agencies=2, findings=2)


def _without_mfa(role: str, built: BuiltAudit):
    agency = built.agencies[0] if role in {Role.AGENCY_AUDITOR, Role.AGENCY_LEAD} else None
    return person_with_role(role, agency=agency, mfa=False)


@pytest.mark.parametrize("role", CHILD_LEVEL_ROLES)
def test_every_child_level_url_sends_them_to_set_up(client, built, role):
    user = _without_mfa(role, built)
    client.force_login(user)
    mark_recently_authenticated(client, user)
    urls = child_level_urls(built)
    assert len(urls) > 40, "the walk should find the child-level pages"
    set_up = reverse("mfa_activate_totp")
    # POST goes through the same check; once is enough to show it.
    methods = (client.get, client.post) if role == Role.COORDINATOR else (client.get,)
    for url in urls:
        for method in methods:
            response = method(url)
            assert response.status_code == 302, (method.__name__, url, response.status_code)
            assert response["Location"] == set_up, (method.__name__, url)


def test_the_same_person_with_an_authenticator_reaches_the_pages(client, built):
    client.force_login(built.coordinator)
    overview = reverse("audits:overview", kwargs={"slug": built.audit.slug})
    assert client.get(overview).status_code == 200


def test_the_set_up_page_and_public_pages_stay_reachable(client, built):
    user = _without_mfa(Role.COORDINATOR, built)
    client.force_login(user)
    mark_recently_authenticated(client, user)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "Set up two-factor authentication" in page.text
    assert 'src="data:image/svg+xml;base64,' in page.text
    assert client.get(reverse("accessibility")).status_code == 200
    assert client.get(reverse("home"))["Location"] == reverse("audits:list")
    assert client.post(reverse("sign-out")).status_code == 302


def test_setting_up_shows_recovery_codes_once_and_then_lets_them_in(client, built):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    user = _without_mfa(Role.AGENCY_AUDITOR, built)
    client.force_login(user)
    mark_recently_authenticated(client, user)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000x"})
    assert "The code is not right" in response.text
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code_now(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    codes = (
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    assert len(codes) == 10
    assert all(f"<code>{code}</code>" in codes_page.text for code in codes)
    again = client.get(reverse("mfa_view_recovery_codes"))
    assert not any(code in again.text for code in codes)
    assert "shown only once" in again.text

    assert client.get(reverse("audits:list")).status_code == 200


def test_readers_are_not_forced(client):
    client.force_login(person_with_role(Role.READER, mfa=False))
    assert client.get(reverse("audits:list")).status_code == 200
    assert client.get(reverse("tracker:list")).status_code == 200


def test_administrators_must_set_up_before_managing_people(client):
    admin = person_with_role(Role.ADMINISTRATOR, mfa=False)
    client.force_login(admin)
    mark_recently_authenticated(client, admin)
    set_up = reverse("mfa_activate_totp")
    for url in (reverse("manage:people"), reverse("manage:organisations"), reverse("audits:list")):
        assert client.get(url)["Location"] == set_up, url


def test_an_administrator_with_an_authenticator_manages_people(client):
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    assert client.get(reverse("manage:people")).status_code == 200


def test_the_api_refuses_their_browser_session(client, built):
    client.force_login(_without_mfa(Role.COORDINATOR, built))
    response = client.get("/api/v1/audits/")
    assert response.status_code == 403
    assert "two-factor authentication" in response.json()["detail"]


def test_the_api_refuses_their_token(client, built):
    user = _without_mfa(Role.AGENCY_LEAD, built)
    token = api_token_create(user=user, name="Script", expires_in_days=30).secret
    response = client.get("/api/v1/audits/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert "two-factor authentication" in response.json()["detail"]


def test_the_api_accepts_a_token_once_they_have_an_authenticator(client):
    user = person_with_role(Role.AGENCY_LEAD, agency=AgencyFactory.create())
    token = api_token_create(user=user, name="Script", expires_in_days=30).secret
    response = client.get("/api/v1/audits/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
