"""The production server's settings, `/healthz` and request ids on responses and log lines."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory
from gunicorn.config import Config

from maca.core.management.commands import serve
from maca.core.request_id import (
    HEADER,
    NO_REQUEST,
    RequestIdFilter,
    RequestIdMiddleware,
    current_request_id,
)


def _options(**overrides: object) -> dict[str, object]:
    defaults = {
        "bind": "127.0.0.1:8000",
        "workers": None,
        "threads": 1,
        "timeout": 60,
        "graceful_timeout": 30,
        "max_requests": 1000,
        "forwarded_allow_ips": "127.0.0.1",
        "pid": "",
        "no_access_log": False,
    }
    return defaults | overrides


def test_workers_follow_the_cpus_and_are_capped():
    assert [serve.default_workers(cpus) for cpus in (1, 2, 4, 64)] == [3, 5, 9, 12]
    with mock.patch.object(serve, "cpu_count", return_value=2):
        assert serve.gunicorn_options(_options())["workers"] == 5
    assert serve.gunicorn_options(_options(workers=3))["workers"] == 3


def test_every_option_is_one_gunicorn_accepts():
    config = Config()
    for key, value in serve.gunicorn_options(_options(threads=4, pid="/tmp/maca.pid")).items():
        config.set(key, value)  # raises on an unknown name or a bad value
    assert config.worker_class_str == "gthread" and config.threads == 4
    assert config.timeout == 60 and config.graceful_timeout == 30
    assert "x-request-id" in config.access_log_format


@pytest.mark.django_db
def test_healthz_answers_ok_without_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_does_not_answer(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"


def _run(request_header: str | None) -> tuple[HttpResponse, list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("maca.test.request_id")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def view(request):
        logger.info("inside the request")
        return HttpResponse("fine")

    request = RequestFactory().get("/")
    if request_header is not None:
        request.META["HTTP_X_REQUEST_ID"] = request_header
    try:
        response = RequestIdMiddleware(view)(request)
        logger.info("after the request")
    finally:
        logger.removeHandler(handler)
    return response, records


def test_a_well_formed_id_from_the_proxy_is_kept_and_logged():
    response, records = _run("proxy-id-0001.abc")
    assert response[HEADER] == "proxy-id-0001.abc"
    assert [record.request_id for record in records] == ["proxy-id-0001.abc", NO_REQUEST]  # type: ignore[attr-defined]
    assert current_request_id() == NO_REQUEST


@pytest.mark.parametrize("given", [None, "", "short", "bad id with spaces", "x" * 65, "a\nb" * 5])
def test_a_missing_or_malformed_id_is_replaced(given):
    response, records = _run(given)
    made = response[HEADER]
    assert made != given and len(made) == 32 and made.isalnum()
    assert records[0].request_id == made  # type: ignore[attr-defined]


def test_the_log_format_prints_the_id():
    from django.conf import settings

    line_format = str(settings.LOGGING["formatters"]["line"]["format"])  # type: ignore[index]
    assert "%(request_id)s" in line_format
    assert settings.MIDDLEWARE[0] == "maca.core.request_id.RequestIdMiddleware"


def test_gunicorn_reads_the_options_maca_serve_passes(monkeypatch):
    import importlib
    import json

    from maca import gunicorn_config

    options = serve.gunicorn_options(_options(workers=2))
    monkeypatch.setenv(serve.OPTIONS_VARIABLE, json.dumps(options))
    reloaded = importlib.reload(gunicorn_config)
    assert reloaded.workers == 2 and reloaded.bind == ["127.0.0.1:8000"]
    assert reloaded.control_socket_disable is True
