"""The administrator's people pages and services: inviting, the invitation link, roles,
deactivating and resetting an authenticator, each in the history. All people are fictional."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from maca.accounts.models import Invitation, Role, RoleAssignment, User
from maca.core.errors import Refused
from maca.core.history import acting_as
from maca.core.templatetags.time_tags import as_people_write_it
from maca.manage import services
from maca.manage.services import RoleInput, invitation_expires_at
from tests.factories import AgencyFactory, person_with_role

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://\S+/invitation/(\S+)/")


@pytest.fixture
def admin() -> User:
    return person_with_role(Role.ADMINISTRATOR, email="admin@test.maca.test")


@pytest.fixture
def admin_client(admin: User) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def _token_from_outbox(index: int = -1) -> str:
    match = LINK.search(str(mail.outbox[index].body))
    assert match, mail.outbox[index].body
    return match.group(1)


def test_inviting_from_the_page_creates_the_person_their_role_and_sends_the_link(
    admin_client, admin
):
    police = AgencyFactory.create(name="Fictional Police", short_name="FPol")
    response = admin_client.post(
        reverse("manage:person-invite"),
        {
            "email": "New.Auditor@Example.test",
            "full_name": "Nia Fictional",
            "job_title": "",
            "role": Role.AGENCY_AUDITOR,
            "agency": police.pk,
        },
    )
    person = User.objects.get(email="new.auditor@example.test")
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:person", args=[person.pk])
    assert not person.has_usable_password()
    assert list(person.role_assignments.values_list("role", "agency_id")) == [
        (Role.AGENCY_AUDITOR, police.pk)
    ]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.auditor@example.test"]
    assert "Agency auditor (Fictional Police)" in message.body
    expires = invitation_expires_at(Invitation.objects.get(user=person))
    assert f"until {as_people_write_it(expires)}." in message.body  # "3 December 2026, 8:25pm"
    assert re.search(r"until \d{1,2} [A-Z][a-z]+ \d{4}, \d{1,2}:\d\d[ap]m\.", str(message.body))
    assert services.invitation_for_token(_token_from_outbox()) is not None
    page = admin_client.get(reverse("manage:person", args=[person.pk]))
    assert "Invited" in page.content.decode()
    assert "invited <strong>Role assignment" in page.content.decode()  # the step, by name


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Email address must be an email address"),
        ({"role": ""}, "role", "Choose the person&#x27;s role"),
        ({"role": Role.AGENCY_LEAD}, "agency", "Choose the agency the agency lead acts for"),
        ({"email": "admin@test.maca.test"}, "email", "already has an account"),
        ({"full_name": ""}, "full_name", "Enter full name"),
    ],
)
def test_a_bad_invitation_says_what_is_wrong_and_saves_nothing(
    admin_client, admin, data, field, message
):
    form = {"email": "fresh@example.test", "full_name": "F Person", "role": Role.READER} | data
    response = admin_client.post(reverse("manage:person-invite"), form)
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert f'href="#id_{field}' in body
    assert not User.objects.filter(email="fresh@example.test").exists()
    assert mail.outbox == []


def test_the_link_sets_the_password_once_then_sign_in_asks_for_an_authenticator(admin):
    with acting_as(admin):
        services.person_invite(
            email="coord@example.test",
            full_name="Cora Fictional",
            role=RoleInput(Role.COORDINATOR),
            by=admin,
        )
    token = _token_from_outbox()
    client = Client()
    url = reverse("manage:invitation", args=[token])
    assert client.get(url).status_code == 200
    mismatch = client.post(url, {"password1": "a long passphrase here", "password2": "other"})
    assert "The passwords do not match" in mismatch.content.decode()
    weak = client.post(url, {"password1": "short", "password2": "short"})
    assert "too short" in weak.content.decode()
    done = client.post(
        url, {"password1": "green kettle morning walk", "password2": "green kettle morning walk"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("sign-in")
    person = User.objects.get(email="coord@example.test")
    assert person.check_password("green kettle morning walk")
    assert Invitation.objects.get(user=person).accepted_at is not None
    assert client.get(url).status_code == 404  # used once only

    signed_in = client.post(
        reverse("sign-in"),
        {"login": "coord@example.test", "password": "green kettle morning walk"},
    )
    assert signed_in.status_code == 302
    assert client.get(reverse("audits:list"))["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize(
    ("role", "needs_authenticator"), [(Role.ADMINISTRATOR, True), (Role.READER, False)]
)
def test_the_invitation_says_whether_an_authenticator_comes_next(admin, role, needs_authenticator):
    with acting_as(admin):
        services.person_invite(
            email="next@example.test", full_name="Nat Fictional", role=RoleInput(role), by=admin
        )
    said = "set up an authenticator app on your phone: your role needs one"
    assert (said in str(mail.outbox[0].body)) is needs_authenticator
    url = reverse("manage:invitation", args=[_token_from_outbox()])
    client = Client()
    page = client.get(url).content.decode()
    assert (said in page) is needs_authenticator
    client.post(
        url, {"password1": "amber river lantern cloud", "password2": "amber river lantern cloud"}
    )
    client.post(
        reverse("sign-in"), {"login": "next@example.test", "password": "amber river lantern cloud"}
    )
    landing = client.get(reverse("home"), follow=True)
    assert (landing.redirect_chain[-1][0] == reverse("mfa_activate_totp")) is needs_authenticator


def test_a_resent_invitation_replaces_the_old_link_and_old_links_expire(admin, monkeypatch):
    with acting_as(admin):
        first = services.person_invite(
            email="reader@example.test", full_name="", role=RoleInput(Role.READER), by=admin
        )
    old_token = _token_from_outbox()
    services.invitation_resend(person=first.user, by=admin)
    assert len(mail.outbox) == 2
    assert services.invitation_for_token(old_token) is None
    new_token = _token_from_outbox()
    assert services.invitation_for_token(new_token) is not None
    assert services.invitation_for_token("tampered" + new_token) is None
    # Eight days later the link has expired: Django's signing checks the timestamp.
    real_loads = signing.loads
    monkeypatch.setattr(
        signing,
        "loads",
        lambda token, **kw: real_loads(token, **{**kw, "max_age": -1}),
    )
    assert services.invitation_for_token(new_token) is None


def test_resend_is_refused_once_the_password_is_set(admin):
    person = person_with_role(Role.READER)
    with pytest.raises(Refused, match="already set a password"):
        services.invitation_resend(person=person, by=admin)


def test_deactivating_ends_sign_in_and_is_in_the_history(admin_client, admin):
    person = person_with_role(Role.COORDINATOR, full_name="Dee Fictional")
    other = Client()
    other.force_login(person)
    url = reverse("manage:person-deactivate", args=[person.pk])
    assert "Deactivate Dee Fictional?" in admin_client.get(url).content.decode()
    assert admin_client.post(url).status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    page = admin_client.get(reverse("manage:person", args=[person.pk])).content.decode()
    assert "deactivated <strong>Test Person" in page or "deactivated <strong>Dee" in page
    assert "Can sign in" in page
    admin_client.post(reverse("manage:person-reactivate", args=[person.pk]))
    person.refresh_from_db()
    assert person.is_active


def test_an_administrator_cannot_deactivate_themselves(admin):
    with pytest.raises(Refused, match="your own account"):
        services.person_deactivate(person=admin, by=admin)


def test_resetting_an_authenticator_needs_a_reason_and_logs_it(admin_client, admin):
    person = person_with_role(Role.PANEL_MEMBER)
    assert Authenticator.objects.filter(user=person).exists()
    url = reverse("manage:authenticator-reset", args=[person.pk])
    empty = admin_client.post(url, {"reason": ""})
    assert "Enter why are you resetting their authenticator" in empty.content.decode()
    admin_client.post(url, {"reason": "Lost phone, checked with their manager (fictional)"})
    assert not Authenticator.objects.filter(user=person).exists()
    page = admin_client.get(reverse("manage:person", args=[person.pk])).content.decode()
    assert "Lost phone, checked with their manager (fictional)" in page
    assert "reset the authenticator of" in page


def test_roles_are_added_and_removed_with_history(admin_client, admin):
    person = person_with_role(Role.READER)
    agency = AgencyFactory.create()
    admin_client.post(
        reverse("manage:role-add", args=[person.pk]),
        {"role": Role.AGENCY_LEAD, "agency": agency.pk},
    )
    lead = RoleAssignment.objects.get(user=person, role=Role.AGENCY_LEAD)
    assert lead.agency == agency
    duplicate = admin_client.post(
        reverse("manage:role-add", args=[person.pk]),
        {"role": Role.AGENCY_LEAD, "agency": agency.pk},
    )
    assert "already has that role" in duplicate.content.decode()
    admin_client.post(reverse("manage:role-remove", args=[person.pk, lead.pk]))
    assert not RoleAssignment.objects.filter(pk=lead.pk).exists()
    history = admin_client.get(reverse("manage:person", args=[person.pk])).content.decode()
    assert history.count("<strong>Role assignment</strong>") >= 2
    assert "removed <strong>Role assignment" in history


def test_the_people_list_filters_and_its_queries_do_not_grow(
    admin_client, admin, django_assert_max_num_queries
):
    for _ in range(3):
        person_with_role(Role.READER)
    person_with_role(Role.COORDINATOR, full_name="Findable Fictional")
    with django_assert_max_num_queries(12):
        everyone = admin_client.get(reverse("manage:people"))
    assert everyone.content.decode().count('href="/manage/people/') >= 5
    found = admin_client.get(reverse("manage:people"), {"q": "findable"}).content.decode()
    assert "Findable Fictional" in found and "1 person" in found
    coordinators = admin_client.get(reverse("manage:people"), {"role": Role.COORDINATOR})
    assert "Findable Fictional" in coordinators.content.decode()


def test_the_administrators_home_leads_to_the_manage_pages(admin_client):
    assert admin_client.get(reverse("home"))["Location"] == reverse("manage:index")
    audits = admin_client.get(reverse("audits:list")).content.decode()
    assert "There are no audits you can see yet" not in audits
    assert reverse("manage:people") in audits


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.READER, Role.AGENCY_AUDITOR])
def test_nobody_else_reaches_the_manage_pages(role):
    agency = AgencyFactory.create() if role == Role.AGENCY_AUDITOR else None
    client = Client()
    client.force_login(person_with_role(role, agency=agency))
    assert client.get(reverse("manage:people")).status_code == 404
    assert client.get(reverse("manage:organisations")).status_code == 404


# --- The command ----------------------------------------------------------------------------


def test_the_invite_command_invites_an_agency_lead_by_short_name():
    agency = AgencyFactory.create(name="Fictional Health Trust", short_name="FHT")
    out = StringIO()
    call_command(
        "invite", "Lead@Example.test", "--role", "agency-lead", "--agency", "fht", stdout=out
    )
    assert "Invitation sent to lead@example.test as agency lead of Fictional Health Trust" in (
        out.getvalue()
    )
    person = User.objects.get(email="lead@example.test")
    assert person.role_assignments.get().agency == agency
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["x@example.test", "--role", "boss"], "--role 'boss' is not a role"),
        (["x@example.test", "--role", "agency-auditor"], "--agency is needed for agency-auditor"),
        (
            ["x@example.test", "--role", "agency-auditor", "--agency", "Nowhere"],
            "--agency 'Nowhere' is not an agency",
        ),
        (["x@example.test", "--role", "reader", "--agency", "FHT"], "--agency is only for"),
        (["not an address", "--role", "coordinator"], "is not an email address"),
    ],
)
def test_the_invite_command_explains_bad_arguments(arguments, message):
    AgencyFactory.create(name="Fictional Health Trust", short_name="FHT")
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("invite", *arguments)
    assert not User.objects.filter(email="x@example.test").exists()
    assert mail.outbox == []
