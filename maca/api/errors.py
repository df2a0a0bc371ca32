"""Every API error has one shape: `{"detail": "...", "errors": [{"field", "message"}]}`.

`field` names the place in the request body or query, e.g. `answers[3].option` or `page`, so
a caller can show the message beside what was wrong; it is empty for errors about the request
as a whole.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

NON_FIELD = {"non_field_errors", "__all__"}


class Conflict(exceptions.APIException):
    """Someone changed the thing since the caller read it (a stale `revision`)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "It has changed since you read it. Read it again and retry."
    default_code = "conflict"


class FieldErrors(exceptions.APIException):
    """A 400 whose messages are already placed: a list of (field, message)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, detail: str, errors: list[tuple[str, str]]) -> None:
        super().__init__(detail)
        self.errors = errors


def _join(prefix: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    if key in NON_FIELD:
        return prefix
    return f"{prefix}.{key}" if prefix else str(key)


def flatten(detail: Any, prefix: str = "") -> list[tuple[str, str]]:
    """DRF's nested error detail as (path, message) pairs, in the order given."""
    if isinstance(detail, dict):
        return [
            item for key, value in detail.items() for item in flatten(value, _join(prefix, key))
        ]
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [(prefix, str(item)) for item in detail]
        pairs = []
        for index, item in enumerate(detail):
            if item in ({}, [], None):
                continue
            pairs.extend(
                flatten(item, _join(prefix, index) if not isinstance(item, str) else prefix)
            )
        return pairs
    return [(prefix, str(detail))]


def _django_validation(error: DjangoValidationError) -> exceptions.APIException:
    if hasattr(error, "error_dict"):
        pairs = [
            (key, message) for key, messages in error.message_dict.items() for message in messages
        ]
        pairs = [("" if key in NON_FIELD else key, message) for key, message in pairs]
    else:
        pairs = [("", message) for message in error.messages]
    return FieldErrors(pairs[0][1] if len(pairs) == 1 else "Some values are not valid.", pairs)


def body(detail: str, errors: list[tuple[str, str]]) -> dict[str, Any]:
    return {"detail": detail, "errors": [{"field": f, "message": m} for f, m in errors]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "You cannot do that.")
    if isinstance(exc, FieldErrors):
        set_rollback()
        return Response(body(str(exc.detail), exc.errors), status=exc.status_code)
    if isinstance(exc, exceptions.ValidationError):
        pairs = flatten(exc.detail)
        detail = "Some values are not valid. Each error names the field it is about."
        set_rollback()
        return Response(body(detail, pairs), status=exc.status_code)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    detail = data.get("detail", "") if isinstance(data, dict) else ""
    response.data = body(str(detail), [])
    return response
