"""The type of a request from a signed-in person, for the type checker."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from maca.accounts.models import User


class SignedInRequest(HttpRequest):
    """A request to any page not marked `login_not_required`: Django's LoginRequiredMiddleware
    has already sent anyone not signed in to the sign-in page, so `user` is a person, never
    the anonymous user. Django builds plain `HttpRequest`s; this only names what they hold."""

    user: User


def signed_in_user(request: HttpRequest) -> User:
    """The person making a request to a page not marked `login_not_required` (see above)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in to see this page.")
    return user
