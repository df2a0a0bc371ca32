"""The one way a service refuses: `Refused`, with a message a person can act on.

A service raises `Refused("Choose a sampling method.", field="method")`, or a dict of field to
message(s) when several fields are at fault. Views show it with `add_refusal(form, refusal)`
(on the field it names, else above the form) or `refusal.text` (a banner or message);
`refusal.about(field)` tells a page that shows one field's refusal beside it from a banner. The API
turns it into a 400 with each message placed on its field; a command prints `refusal.text`.

It is a Django `ValidationError`, so a form's own clean step may raise it too and every layer
that already understands validation errors places it correctly.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class Refused(ValidationError):
    """A change the service will not make; the message says why and what to do instead.

    Subclasses exist only where a caller must tell one refusal from another (a stale save is
    shown beside the saved version; an incomplete return lists its problems)."""

    def __init__(
        self,
        message: str | list[str] | dict[str, Any],
        *,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        if field is not None and field != NON_FIELD_ERRORS:
            message = {field: message}
        super().__init__(message, code=code)

    @property
    def text(self) -> str:
        """Every message, in order, as one sentence-separated string for a banner or a CLI."""
        return " ".join(self.messages)

    def about(self, field: str) -> list[str]:
        """The messages naming `field` (none when the refusal names other fields or none), for
        a page that shows a refusal of that field beside it and any other as a banner."""
        return self.message_dict.get(field, []) if hasattr(self, "error_dict") else []

    def __str__(self) -> str:
        return self.text


class _Form(Protocol):
    fields: Any

    def add_error(self, field: str | None, error: Any) -> None: ...


def add_refusal(form: _Form, refusal: ValidationError, *, field: str | None = None) -> None:
    """Show a refusal on `form`: against each field it names that the form has, and the rest
    on `field` (where a page has one field the refusal must be about) or above the form (a
    non-field error, listed first in the error summary)."""
    if hasattr(refusal, "error_dict"):
        for name, messages in refusal.message_dict.items():
            form.add_error(name if name in form.fields else field, messages)
    else:
        form.add_error(field, refusal.messages)
