"""Your account page links to what each person may use, and only that."""

import pytest
from django.urls import reverse

from maca.accounts.models import Role
from tests.factories import person_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "sees_import", "sees_log"),
    [
        (Role.COORDINATOR, True, True),
        (Role.ADMINISTRATOR, False, True),
        (Role.PANEL_MEMBER, False, False),
        (Role.READER, False, False),
    ],
)
def test_account_page_links(client, role, sees_import, sees_log):
    client.force_login(person_with_role(role))
    page = client.get(reverse("mfa_index")).text
    assert reverse("api:tokens") in page
    assert reverse("privacy") in page
    assert (reverse("exchange:import") in page) is sees_import
    assert (reverse("identifiers:access-log") in page) is sees_log
