"""Request ids: one id per request, in the `X-Request-ID` response header and on every log line
written while the request is handled, so a person's report ("it failed at 10:42, id …") leads
straight to the log lines of that request, across the proxy, the web server and maca.

The proxy's id is kept when it sends a well-formed one (letters, digits, `-`, `_`, `.`, at most
64), so its log and maca's match; anything else is replaced, never echoed, so a forged header
cannot write arbitrary text into the log.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
NO_REQUEST = "-"

_current: ContextVar[str] = ContextVar("maca_request_id", default=NO_REQUEST)


def current_request_id() -> str:
    """The id of the request being handled, or "-" outside a request (commands, the worker)."""
    return _current.get()


def request_id_from(request: HttpRequest) -> str:
    given = request.META.get(_META_KEY, "")
    if _WELL_FORMED.match(given):
        return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """First in the chain, so every later middleware's log lines carry the id too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, for the `%(request_id)s` in the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True
