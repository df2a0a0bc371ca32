"""What every API view shares: it answers for itself when nobody is signed in (401 JSON, not
the site's sign-in redirect), and its changes are recorded as made by the caller."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.decorators import login_not_required
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.views import APIView

from maca.audits.selectors import AuditAccess, audit_access_for
from maca.core.history import acting_as

# (Comments, not docstrings, on these bases: drf-spectacular would show a docstring as the
# description of every operation of the views built on them.)


class ApiMixin:
    # `LoginRequiredMiddleware` would send an anonymous caller to the sign-in page; the API
    # authenticates for itself (token or session) and answers 401 instead.

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        return login_not_required(super().as_view(**initkwargs))  # type: ignore[misc]


class ApiView(ApiMixin, APIView):
    pass


class ListView(ApiMixin, generics.ListAPIView):
    pass


class AuditScoped:
    # Views under /audits/{slug}/: the audit, checked for the caller, read once.

    request: Request
    kwargs: dict[str, Any]

    def audit_access(self) -> AuditAccess:
        access = getattr(self, "_access", None)
        if access is None:
            access = audit_access_for(self.request.user, self.kwargs["slug"])
            self._access = access
        return access


@contextmanager
def as_caller(request: Request) -> Iterator[None]:
    """History middleware runs before DRF authenticates a token; name the caller here."""
    with acting_as(request.user):
        yield


@extend_schema(exclude=True)
class NotFoundView(ApiView):
    """Any other address under /api/: a JSON 404 in the API's error shape, not an HTML page."""

    permission_classes: list[Any] = []

    def dispatch_missing(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        raise NotFound("There is nothing at this address in the API.")

    get = post = put = patch = delete = head = options = dispatch_missing
