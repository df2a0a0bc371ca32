import pytest
from django.urls import reverse

from maca.accounts.models import Role
from tests.factories import PASSWORD, person_with_role

pytestmark = pytest.mark.django_db


def test_person_signs_in_with_email_and_lands_on_audits(client):
    user = person_with_role(Role.COORDINATOR)
    response = client.post(reverse("sign-in"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:list")


def test_wrong_password_says_what_is_wrong_and_keeps_the_email(client):
    user = person_with_role(Role.COORDINATOR)
    response = client.post(reverse("sign-in"), {"username": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter a correct email address and password" in response.text
    assert f'value="{user.email}"' in response.text


def test_sign_out_ends_the_session(client):
    user = person_with_role(Role.COORDINATOR)
    client.force_login(user)
    client.post(reverse("sign-out"))
    response = client.get(reverse("audits:list"))
    assert response.status_code == 302


def test_agency_role_must_name_its_agency():
    from django.db import IntegrityError, transaction

    user = person_with_role(Role.READER)
    with pytest.raises(IntegrityError), transaction.atomic():
        user.role_assignments.create(role=Role.AGENCY_AUDITOR, agency=None)
