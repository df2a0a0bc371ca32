import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_accessibility_statement_is_public_and_linked_from_every_page(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "Accessibility statement" in response.text
    assert f'href="{reverse("accessibility")}"' in client.get(reverse("sign-in")).text


def test_base_page_has_skip_link_service_name_and_sign_in(client):
    page = client.get(reverse("home")).text
    assert 'href="#main-content"' in page
    assert 'id="main-content"' in page
    assert "Multi-agency case audit" in page
    assert reverse("sign-in") in page


def test_pages_are_served_with_a_strict_content_security_policy(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.text
