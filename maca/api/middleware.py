"""Every call to the API is logged: token, person, method, path, status and time taken."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from maca.api.authentication import REQUEST_TOKEN_ATTRIBUTE
from maca.api.services import api_call_record

API_PREFIX = "/api/"


class ApiCallLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        started = time.monotonic()
        response = self.get_response(request)
        token = getattr(request, REQUEST_TOKEN_ATTRIBUTE, None)
        user = getattr(request, "user", None)
        if token is not None:
            user = token.user
        api_call_record(
            token=token,
            user=user,
            method=request.method or "",
            path=request.path,
            status=response.status_code,
            duration_ms=round((time.monotonic() - started) * 1000),
        )
        return response
