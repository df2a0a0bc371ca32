"""Error pages say what to do next and nothing about what failed or what exists."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET_DETAIL = "fictional-secret-detail-in-the-exception"


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET_DETAIL)


urlpatterns = [
    path("broken/", _broken),
    path("", include("config.urls")),
]


@pytest.mark.urls("maca.core.tests.test_error_pages")
def test_a_server_error_shows_a_plain_page_without_the_exception():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory.create())
    response = client.get("/broken/")
    assert response.status_code == 500
    page = response.text
    assert "Sorry, there is a problem with the service" in page
    assert SECRET_DETAIL not in page and "Traceback" not in page and "RuntimeError" not in page
    assert "<script" not in page


def test_a_missing_page_is_a_styled_404_that_does_not_echo_the_reason(client):
    client.force_login(UserFactory.create())
    response = client.get("/audits/no-such-audit-fictional/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    # The selector's own message ("No audit found") is for logs, not for the page.
    assert "No audit found" not in response.text
    assert 'class="govuk-header' in response.text or "govuk-generic-header" in response.text
