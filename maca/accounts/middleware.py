"""Request-wide sign-in rules: two-factor set-up before anything else, and session activity.

People who must use two-factor authentication are kept away from everything until they set it
up; signed-in requests note "last seen" for the sessions list (at most once a minute).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from maca.accounts.mfa import must_set_up_mfa
from maca.accounts.services import record_session_activity

# Pages a person may use before setting up two-factor authentication: the set-up itself, the
# recovery codes it produces, confirming their password, their sessions, and signing out.
SET_UP_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "usersessions_list",
        "sign-out",
        "account_logout",
        "keep-alive",
    }
)
API_DATA_PREFIX = "/api/v1/"
REFUSAL = (
    "Set up two-factor authentication before using the API: sign in to maca in a browser and "
    "follow the steps."
)


class MfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not must_set_up_mfa(request.user):
            return None
        if request.path.startswith(API_DATA_PREFIX):
            return JsonResponse({"detail": REFUSAL, "errors": []}, status=403)
        match = request.resolver_match
        if match is not None and match.url_name in SET_UP_URL_NAMES:
            return None
        # Public pages (the start page, the accessibility statement) show no case data.
        if not getattr(view_func, "login_required", True):
            return None
        return redirect("mfa_activate_totp")


class SessionActivityMiddleware:
    """Keep "last seen", IP address and browser of each signed-in session for the sessions list.

    Used instead of allauth's own tracking middleware: that one reads, then inserts or updates,
    so the first request of a session costs more than the rest. Here it is one upsert, at most
    once a minute for a session used from the same address and browser.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None:
            record_session_activity(request)
        return self.get_response(request)
