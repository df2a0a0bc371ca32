"""Re-authentication before sensitive actions (revealing identifiers, exporting).

A person must have proved who they are (signed in, or confirmed their password or a code)
within the last ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds (``MACA_REAUTH_SECONDS``). If not,
they are sent to confirm their password and then brought back to where they were going.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import get_authentication_records
from django.http import HttpRequest


def authenticated_recently(request: HttpRequest) -> bool:
    """True when the latest sign-in or confirmation in this session is within the timeout.

    allauth on its own only counts explicit confirmations; a person who has just signed in with
    their password and a code has proved who they are just as well.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    moments = [record["at"] for record in records if isinstance(record.get("at"), int | float)]
    if not moments:
        return False
    return time.time() - max(moments) < account_settings.REAUTHENTICATION_TIMEOUT


def recent_authentication_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """View decorator: confirm identity first unless the person authenticated recently.

    Only for browser views; API token calls authenticate on every request and are not wrapped.
    A POST that needs confirmation is replayed after the person confirms.
    """
    return reauthentication_required(
        view, enabled=lambda request: not authenticated_recently(request)
    )
