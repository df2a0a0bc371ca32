"""A request whose database connection is lost part-way (the server restarted, a failover, an
administrator ending sessions) gets a clear 503 instead of a server error.

Whatever the request was writing was in a transaction the server has already ended, so
nothing of it is kept and nothing is half-written; the person is told so and what to do. The
broken connection is closed here, so the next request opens a new one. Errors on a connection
that still works (a lock timeout, a bad query) are not this, and stay server errors.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

MESSAGE = (
    "Not saved: the service lost its connection to its database for a moment. Nothing you "
    "sent was saved, and nothing was half-saved. What you typed is still in the form: save "
    "again."
)
RETRY_AFTER_SECONDS = 5


# SQLSTATE classes of a lost server: 08 connection exception, 57P0x the server shutting down
# or restarting (what a restart or pg_terminate_backend sends the client).
_LOST_STATES = ("08", "57P")


def _lost_connection(exception: Exception) -> bool:
    """The server said it is going away, or a connection is broken (it is then closed, so the
    next request opens a new one). Django itself may already have closed the broken one and
    opened another by now, so the error's own state is asked first."""
    sqlstate = getattr(exception.__cause__, "sqlstate", None) or ""
    lost = sqlstate.startswith(_LOST_STATES)
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()
            lost = True
    return lost


class DatabaseLostMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if not _lost_connection(exception):
            return None
        response: HttpResponse
        if "application/json" in request.headers.get("Accept", ""):
            # The returns' autosave shows the message and tries again.
            response = JsonResponse({"saved": False, "message": MESSAGE}, status=503)
        else:
            # Rendered without the database: it is just what went away.
            page = render_to_string("503_database.html", {"message": MESSAGE})
            response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
