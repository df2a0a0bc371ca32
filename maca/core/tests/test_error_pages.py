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


def test_a_refused_form_post_gets_the_services_403_with_a_way_back_to_sign_in():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"login": "someone@example.test", "password": "x"})
    assert response.status_code == 403
    page = response.text
    assert "Your form was not sent" in page and "Nothing has been saved" in page
    assert 'href="/sign-in/">Sign in again</a>' in page
    assert "govuk-generic-header" in page  # the service's own layout, not Django's page
    assert "CSRF" not in page and "Referer" not in page


def test_a_signed_in_person_whose_form_is_refused_is_sent_back_to_their_audits():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory.create())
    response = client.post("/sign-out/")
    assert response.status_code == 403
    assert "Go back, reload the page and try again" in response.text
    assert 'href="/audits/">Go to your audits</a>' in response.text
