import pytest
from django.test import override_settings
from django.urls import reverse

from maca.core import data_inventory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_every_table_in_the_database_is_accounted_for_on_the_privacy_page():
    missing = data_inventory.uncategorised_models()
    assert not missing, (
        "Add these models to maca/core/data_inventory.py MODEL_CATEGORIES so the DPIA page "
        f"lists them: {missing}"
    )
    assert set(data_inventory.MODEL_CATEGORIES.values()) <= set(data_inventory.CATEGORY_BY_KEY)


def test_privacy_page_lists_data_held_encrypted_fields_lawful_basis_and_retention(client):
    client.force_login(UserFactory.create())
    with override_settings(
        LAWFUL_BASIS_ARTICLE_6="Fictional basis for the test",
        SESSION_COOKIE_AGE=45 * 60,
    ):
        page = client.get(reverse("privacy")).text
    assert "Fictional basis for the test" in page
    assert "MACA_LAWFUL_BASIS_ARTICLE_9" in page
    assert "45 minutes" in page
    assert "MACA_IDENTIFIER_RETENTION_DAYS" in page
    # The identifier store is listed with its encrypted fields.
    assert "Child identities" in page
    assert "<strong>Encrypted:</strong> full name, date of birth" in page
    assert "Agency returns" in page


def test_privacy_page_needs_sign_in_and_is_linked_in_the_footer(client):
    response = client.get(reverse("privacy"))
    assert response.status_code == 302 and reverse("sign-in") in response["Location"]
    client.force_login(UserFactory.create())
    assert f'href="{reverse("privacy")}"' in client.get(reverse("audits:list")).text
