"""Walking every URL pattern of the site as every person, and comparing with the matrix.

`collect_patterns` reads the root resolver, through every include, so a URL added anywhere is
seen here. `check_matrix` requests each one as each person and returns the mismatches as
plain text, one per line, so a test can print them all at once and another test can prove the
check notices a selector left unscoped.

An expectation is the outcome of a GET: "ok" (2xx, or a redirect that is not to sign-in
or two-factor set-up), "login" (redirect to sign-in), "mfa" (to two-factor set-up), "reauth"
(asked to confirm their password), "401", "403", "404" or "405", or "405P" for a POST-only
address whose GET is 405 and whose empty POST must be refused with 404. Whoever cannot GET an
address (404, 403, 401, sign-in) is also sent an empty POST, which must be refused the same way
(or with 405) and change nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from maca.api.models import ApiToken
from maca.audits.models import Audit, AuditTool, Question, ToolSection
from maca.core.models import ChangeRecord
from maca.learning.models import ActionUpdate, AuditReview
from maca.sampling.models import ImportBatch, SampleDraw

OUTCOMES = {"ok", "login", "mfa", "reauth", "401", "403", "404", "405"}
# Where someone who must set up two-factor authentication is sent instead of the page.
MFA_SET_UP_PREFIX = "/account/two-factor/set-up/"
# Where someone is asked to confirm who they are before a sensitive page.
REAUTH_PATHS = ("/account/reauthenticate/", "/account/two-factor/confirm/")
REFUSED = {"login", "401", "403", "404"}

# Addresses answered by the API's token authentication rather than the browser session.
SESSION_PAGES_UNDER_API_NAMESPACE = {"api:tokens", "api:token-revoke", "api:docs", "api:schema"}


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route for an unnamed pattern
    route: str
    params: tuple[str, ...]
    defaults: tuple[tuple[str, Any], ...]


def _params(pattern: Any) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters is not None and hasattr(pattern, "_route"):
        return list(converters)
    return list(getattr(pattern, "regex", re.compile("")).groupindex)


def collect_patterns() -> dict[str, Pattern]:
    """Every URL pattern of the site by key. Format-suffix variants (a `format` parameter)
    collapse into the pattern they repeat."""
    found: dict[str, Pattern] = {}

    def walk(entries: Iterable[Any], namespace: str, prefix: str, params: list[str]) -> None:
        for entry in entries:
            route = prefix + str(entry.pattern)
            own = params + _params(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}{entry.namespace}:"
                walk(entry.url_patterns, inner, route, own)
            elif isinstance(entry, URLPattern):
                key = f"{namespace}{entry.name}" if entry.name else route
                names = tuple(name for name in own if name != "format")
                if "format" in own and key in found:
                    continue
                found[key] = Pattern(
                    key=key,
                    route=route,
                    params=names,
                    defaults=tuple(sorted(entry.default_args.items())),
                )

    walk(get_resolver().url_patterns, "", "", [])
    return found


def outcome_of(response: Any) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return "ok"
    if 300 <= status < 400:
        target = urlsplit(response.get("Location", "")).path
        sign_in = reverse(settings.LOGIN_URL)
        if target.startswith(sign_in):
            return "login"
        if target.startswith(REAUTH_PATHS):
            return "reauth"
        return "mfa" if target.startswith(MFA_SET_UP_PREFIX) else "ok"
    return str(status)


def parse_expectation(text: str) -> tuple[str, str | None]:
    """What a GET must answer, and what an empty POST must answer if the matrix says."""
    if text == "405P":
        return "405", "404"
    return text, None


def fingerprint() -> tuple[Any, ...]:
    """What an out-of-scope POST could change: every tracked record writes a ChangeRecord, and
    the untracked rows reachable by POST are counted here."""
    return (
        ChangeRecord.objects.count(),
        ApiToken.objects.filter(revoked_at__isnull=False).count(),
        ApiToken.objects.count(),
        tuple(Audit.objects.order_by("pk").values_list("pk", "status")),
        AuditTool.objects.count(),
        ToolSection.objects.count(),
        Question.objects.count(),
        AuditReview.objects.count(),
        ActionUpdate.objects.count(),
        ImportBatch.objects.filter(~Q(decision="")).count(),
        ImportBatch.objects.count(),
        SampleDraw.objects.count(),
    )


@dataclass
class Requester:
    """One client per person: the browser session for pages, a bearer token for the API."""

    session: Client
    api: Client
    api_headers: dict[str, Any]

    def send(self, key: str, method: str, path: str) -> Any:
        is_api = key.startswith("api:") and key not in SESSION_PAGES_UNDER_API_NAMESPACE
        client = self.api if is_api else self.session
        headers: dict[str, Any] = self.api_headers if is_api else {}
        if method == "GET":
            return client.get(path, **headers)
        if is_api:
            return client.post(path, {}, content_type="application/json", **headers)
        return client.post(path, {}, **headers)


def check_matrix(
    *,
    patterns: dict[str, Pattern],
    matrix: dict[str, dict[str, str]],
    persons: list[str],
    path_for: Callable[[Pattern], str],
    requesters: dict[str, Requester],
    content_types: dict[str, str],
    only: Callable[[str], bool] = lambda key: True,
) -> list[str]:
    """Every mismatch between what the site does and what the matrix says, as text."""
    problems: list[str] = []
    for key in sorted(patterns):
        if not only(key):
            continue
        pattern = patterns[key]
        expected_row = matrix.get(key)
        if expected_row is None:
            observed = " ".join(
                outcome_of(requesters[person].send(key, "GET", path_for(pattern))).ljust(5)
                for person in persons
            ).rstrip()
            problems.append(
                f"{key} ({pattern.route}) has no row in ROWS of tests/test_permissions_matrix.py;"
                f' what it answers now (check every one is right before adding it): "{key}": '
                f'"{observed}",'
            )
            continue
        missing = [person for person in persons if person not in expected_row]
        if missing:
            problems.append(f"{key}: MATRIX has no expectation for {', '.join(missing)}")
            continue
        path = path_for(pattern)
        for person in persons:
            expected_get, expected_post = parse_expectation(expected_row[person])
            if expected_get not in OUTCOMES:
                problems.append(f"{key} × {person}: unknown expectation {expected_row[person]!r}")
                continue
            requester = requesters[person]
            response = requester.send(key, "GET", path)
            got = outcome_of(response)
            if got != expected_get:
                error = getattr(response, "exc_info", None)
                detail = f" ({error[1]!r})" if error else ""
                problems.append(
                    f"{key} × {person}: GET {path} expected {expected_get}, got {got}{detail}"
                )
                continue
            wanted_type = content_types.get(key)
            if got == "ok" and wanted_type and response.status_code == 200:
                actual_type = response.get("Content-Type", "")
                if not actual_type.startswith(wanted_type):
                    problems.append(f"{key} × {person}: expected {wanted_type}, got {actual_type}")
            if expected_post is None and expected_get not in REFUSED:
                continue
            before = fingerprint()
            posted = outcome_of(requester.send(key, "POST", path))
            allowed = {expected_post} if expected_post else {expected_get, "405"}
            if posted not in allowed:
                problems.append(
                    f"{key} × {person}: POST {path} expected {' or '.join(sorted(allowed))}, "
                    f"got {posted}"
                )
            if fingerprint() != before:
                problems.append(f"{key} × {person}: a refused POST to {path} changed something")
    return problems
