"""What a service refuses, with a message a person can act on: in core, because every app's
services refuse the same way and apps below planning (identifiers) refuse too."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A change the service will not make; the message says why and what to do instead.

    A ValidationError, so a view can add it to its form (by field, when given a dict)."""
