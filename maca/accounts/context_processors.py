from django.conf import settings
from django.http import HttpRequest


def session_timeout(request: HttpRequest) -> dict[str, int]:
    """The idle limit and warning lead time, for the sign-out warning in base.html."""
    return {
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
    }
