"""Every URL of the site and of the API, as every kind of person: who gets in, who is sent to
sign in, and who gets a 404 (outside scope, so not even the object's existence is disclosed).

A URL pattern added without a row in MATRIX fails `test_every_url_answers_every_person_as_the
_matrix_says`, naming the pattern. The people (tests/permissions_matrix_world.py):

- coordinator_a, panel_a: coordinator and panel member of audit A (returns open);
- auditor_a, lead_a: auditor and lead of Police, an agency in A;
- coordinator_b: coordinator of audit B only; auditor_other: auditor of an agency in B, not A;
- reader: sees published audits only (A is not published); admin: no child data at all.

Every id in a URL points into audit A (or at A's tool), so for the people of B, the reader
and the administrator the right answer is almost always 404.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.permissions_matrix_check import (
    Pattern,
    Requester,
    check_matrix,
    collect_patterns,
)
from tests.permissions_matrix_world import PERSONS, World, build_world, tool_kwargs, url_kwargs

# Patterns that are not pages of the site. None today; anything added here needs a reason.
EXCLUDED: dict[str, str] = {}

# The tool builder's pages, and the API's tool versions, take a tool's slug, not an audit's.
TOOL_PATTERNS = {
    "api:tool-version",
    "planning:ready-tool-add",
    "planning:tool",
    "planning:tool-copy",
    "planning:tool-edit",
    "planning:version",
    "planning:version-new",
    "planning:version-notes",
    "planning:section-new",
    "planning:section-edit",
    "planning:section-delete",
    "planning:section-move",
    "planning:question-new",
    "planning:question-edit",
    "planning:question-delete",
    "planning:question-move",
}

# What each person gets on a GET, in the order of PERSONS:
#   anonymous, coordinator_a, coordinator_b, panel_a, auditor_a, auditor_other, lead_a, reader,
#   admin.
# ok: 2xx, or a redirect elsewhere; login: sent to sign-in; mfa: sent to set up two-factor;
# reauth: asked to confirm their password first;
# 401/403/404/405: that status; 405P: POST-only, and an empty POST from this person is a 404.
# Whoever is refused a GET is also sent an empty POST, which must be refused and change nothing.
ROWS: dict[str, str] = {
    "brief_templates:list": "login ok    ok    404   404   404   404   404   404",
    "brief_templates:version": "login ok    ok    404   404   404   404   404   404",
    "accessibility": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "account_change_password": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "account_inactive": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "account_login": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "account_logout": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "account_reauthenticate": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "api:action": "401   ok    404   ok    ok    404   ok    404   404",
    "api:action-status": "401   405   405P  405   405   405P  405   405P  405P",
    "api:actions": "401   ok    ok    ok    ok    ok    ok    ok    ok",
    "api:audit": "401   ok    404   ok    ok    404   ok    404   404",
    "api:audit-tool": "401   ok    404   ok    ok    404   ok    404   404",
    "api:audits": "401   ok    ok    ok    ok    ok    ok    ok    ok",
    "api:brief": "401   ok    404   ok    404   404   404   404   404",
    "api:case": "401   ok    404   ok    ok    404   ok    404   404",
    "api:cases": "401   ok    404   ok    ok    404   ok    404   404",
    "api:docs": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "api:escalation": "401   ok    404   ok    ok    404   ok    404   404",
    "api:escalations": "401   ok    404   ok    ok    404   ok    404   404",
    "api:figures": "401   ok    404   ok    404   404   404   404   404",
    "api:findings": "401   ok    404   ok    404   404   404   404   404",
    "api:me": "401   ok    ok    ok    ok    ok    ok    ok    ok",
    "api:not-found": "404   404   404   404   404   404   404   404   404",
    "api:return": "401   ok    404   ok    ok    404   ok    404   404",
    "api:return-submit": "401   405   405P  405   405   405P  405   405P  405P",
    "api:returns": "401   ok    404   ok    ok    404   ok    404   404",
    "api:schema": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "api:token-revoke": "login 405   405P  405P  405P  405P  405P  405P  405P",
    "api:tokens": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "api:tool-version": "401   ok    ok    404   404   404   404   404   404",
    "api:tools": "401   ok    ok    404   404   404   404   404   404",
    "audits:case": "login ok    404   ok    ok    404   ok    404   404",
    "audits:grid": "login ok    404   ok    ok    404   ok    404   404",
    "audits:list": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "audits:overview": "login ok    404   ok    ok    404   ok    404   404",
    "exchange:export": "login ok    404   404   404   404   404   404   404",
    "exchange:import": "login ok    ok    404   404   404   404   404   404",
    # An upload waiting for its importer's choices: only for who uploaded it (no one here).
    "exchange:choose": "login 404   404   404   404   404   404   404   404",
    "exchange:schema": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "health": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "home": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "identifiers:access-log": "login ok    ok    404   404   404   404   404   ok",
    "identifiers:access-log-csv": "login ok    ok    404   404   404   404   404   ok",
    "identifiers:agency-reference": "login 404   404   404   ok    404   ok    404   404",
    "identifiers:retention": "login ok    404   404   404   404   404   404   404",
    "identifiers:reveal": "login ok    404   404   404   404   404   404   404",
    "keep-alive": "login 405   405   405   405   405   405   405   405",
    "learning:action-new": "login ok    404   ok    404   404   404   404   404",
    "learning:actions": "login ok    404   ok    404   404   404   404   404",
    "learning:finding-action-new": "login ok    404   ok    404   404   404   404   404",
    "learning:finding-brief": "login 405   405P  405   405P  405P  405P  405P  405P",
    "learning:finding-edit": "login ok    404   ok    404   404   404   404   404",
    "learning:finding-merge": "login ok    404   ok    404   404   404   404   404",
    "learning:finding-move": "login 405   405P  405   405P  405P  405P  405P  405P",
    "learning:finding-new": "login ok    404   ok    404   404   404   404   404",
    "learning:findings": "login ok    404   ok    404   404   404   404   404",
    "learning:follow-up": "login ok    404   404   404   404   404   404   404",
    "manage:authenticator-reset": "login 404   404   404   404   404   404   404   ok",
    "manage:background-work": "login ok    ok    404   404   404   404   404   ok",
    "manage:index": "login 404   404   404   404   404   404   404   ok",
    "manage:invitation": "404   404   404   404   404   404   404   404   404",
    "manage:invitation-resend": "login 405P  405P  405P  405P  405P  405P  405P  405",
    "manage:organisation-edit": "login 404   404   404   404   404   404   404   ok",
    "manage:organisation-merge": "login 404   404   404   404   404   404   404   ok",
    "manage:organisation-new": "login 404   404   404   404   404   404   404   ok",
    "manage:organisations": "login 404   404   404   404   404   404   404   ok",
    "manage:people": "login 404   404   404   404   404   404   404   ok",
    "manage:person": "login 404   404   404   404   404   404   404   ok",
    "manage:person-deactivate": "login 404   404   404   404   404   404   404   ok",
    "manage:person-invite": "login 404   404   404   404   404   404   404   ok",
    "manage:person-reactivate": "login 405P  405P  405P  405P  405P  405P  405P  405",
    "manage:role-add": "login 404   404   404   404   404   404   404   ok",
    "manage:role-remove": "login 405P  405P  405P  405P  405P  405P  405P  405",
    "email-frequency": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "mfa_activate_totp": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "mfa_authenticate": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "mfa_deactivate_totp": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "mfa_download_recovery_codes": "login 404   404   404   404   404   404   404   404",
    "mfa_generate_recovery_codes": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "mfa_index": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "mfa_reauthenticate": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "mfa_view_recovery_codes": "login 404   404   404   404   404   404   404   404",
    "moderation:case": "login ok    404   ok    404   404   404   404   404",
    "moderation:discrepancy": "login 405   405P  405   405P  405P  405P  405P  405P",
    "moderation:finding": "login 405   405P  405   405P  405P  405P  405P  405P",
    "moderation:grades": "login 405   405P  405   405P  405P  405P  405P  405P",
    "moderation:list": "login ok    404   ok    404   404   404   404   404",
    "planning:agencies": "login ok    404   404   404   404   404   404   404",
    "planning:agency-new": "login ok    404   404   404   404   404   404   404",
    "planning:audit-new": "login ok    ok    404   404   404   404   404   404",
    "planning:case-delete": "login ok    404   404   404   404   404   404   404",
    "planning:case-edit": "login ok    404   404   404   404   404   404   404",
    "planning:case-new": "login ok    404   404   404   404   404   404   404",
    "planning:cases": "login ok    404   404   404   404   404   404   404",
    "planning:figures": "login ok    404   404   404   404   404   404   404",
    "planning:involvement": "login ok    404   404   404   404   404   404   404",
    "planning:people": "login ok    404   404   404   404   404   404   404",
    "planning:plan": "login ok    404   404   404   404   404   404   404",
    "planning:question-delete": "login ok    ok    404   404   404   404   404   404",
    "planning:question-edit": "login ok    ok    404   404   404   404   404   404",
    "planning:question-move": "login 405   405   405P  405P  405P  405P  405P  405P",
    "planning:question-new": "login ok    ok    404   404   404   404   404   404",
    "planning:ready-tool-add": "login 405   405   405P  405P  405P  405P  405P  405P",
    "planning:review-new": "login ok    404   404   404   404   404   404   404",
    "planning:review-unlink": "login 405   405P  405P  405P  405P  405P  405P  405P",
    "planning:reviews": "login ok    404   404   404   404   404   404   404",
    "planning:section-delete": "login ok    ok    404   404   404   404   404   404",
    "planning:section-edit": "login ok    ok    404   404   404   404   404   404",
    "planning:section-move": "login 405   405   405P  405P  405P  405P  405P  405P",
    "planning:section-new": "login ok    ok    404   404   404   404   404   404",
    "planning:setup": "login ok    404   404   404   404   404   404   404",
    "planning:status": "login ok    404   404   404   404   404   404   404",
    "planning:status-change": "login ok    404   404   404   404   404   404   404",
    "planning:tool": "login ok    ok    404   404   404   404   404   404",
    "planning:tool-choice": "login ok    404   404   404   404   404   404   404",
    "planning:tool-copy": "login 405   405   405P  405P  405P  405P  405P  405P",
    "planning:tool-edit": "login ok    ok    404   404   404   404   404   404",
    "planning:tool-new": "login ok    ok    404   404   404   404   404   404",
    "planning:tools": "login ok    ok    404   404   404   404   404   404",
    "planning:version": "login ok    ok    404   404   404   404   404   404",
    "planning:version-new": "login 405   405   405P  405P  405P  405P  405P  405P",
    "planning:version-notes": "login ok    ok    404   404   404   404   404   404",
    "privacy": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "reports:brief": "login ok    404   ok    404   404   404   404   404",
    "reports:brief-draft": "login 404   404   404   404   404   404   404   404",
    "reports:brief-audits": "login ok    404   404   404   404   404   404   404",
    "reports:brief-template-choice": "login ok    404   404   404   404   404   404   404",
    "reports:brief-docx": "login ok    404   ok    404   404   404   404   404",
    "reports:brief-md": "login ok    404   ok    404   404   404   404   404",
    "reports:brief-pdf": "login ok    404   ok    404   404   404   404   404",
    "reports:briefing": "login ok    404   ok    404   404   404   404   404",
    "reports:briefing-pdf": "login ok    404   ok    404   404   404   404   404",
    "reports:compare": "login ok    404   ok    404   404   404   404   404",
    "reports:disclosure": "login ok    404   ok    404   404   404   404   404",
    # A draft's file being made: only for the person who asked (`public_id` is no one's here).
    "reports:draft-render": "login 404   404   404   404   404   404   404   404",
    "reports:draft-render-download": "login 404   404   404   404   404   404   404   404",
    "reports:draft-render-status": "login 404   404   404   404   404   404   404   404",
    "reports:report": "login ok    404   ok    404   404   404   404   404",
    "reports:report-docx": "login ok    404   ok    404   404   404   404   404",
    "reports:report-pdf": "login ok    404   ok    404   404   404   404   404",
    "returns:accept": "login 405   405P  405P  405P  405P  405P  405P  405P",
    "returns:autosave": "login 405P  405P  405P  405   405P  405   405P  405P",
    "returns:dashboard": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "returns:escalation": "login ok    404   ok    ok    404   ok    404   404",
    "returns:escalation-acknowledge": "login 405P  405P  405P  405P  405P  405P  405P  405P",
    # Only who raised it (nobody in this world) or a coordinator of the audit may withdraw it.
    "returns:escalation-withdraw": "login ok    404   404   404   404   404   404   404",
    "returns:escalation-action": "login 405   405P  405P  405P  405P  405   405P  405P",
    "returns:escalation-new": "login ok    404   404   ok    404   ok    404   404",
    "returns:escalation-resolve": "login 405   405P  405P  405P  405P  405   405P  405P",
    "returns:escalations": "login ok    404   ok    ok    404   ok    404   404",
    "returns:reminders-now": "login ok    404   404   404   404   404   404   404",
    "returns:part": "login ok    404   ok    ok    404   ok    404   404",
    "returns:return": "login ok    404   ok    ok    404   ok    404   404",
    "returns:return-all": "login ok    404   ok    ok    404   ok    404   404",
    "returns:send-back": "login ok    404   404   404   404   404   404   404",
    "returns:sign-off": "login 405P  405P  405P  405P  405P  405P  405P  405P",
    "returns:upload": "login 404   404   404   404   404   404   404   404",
    "returns:workbook": "login ok    404   404   ok    404   ok    404   404",
    "sampling:case-facts": "login ok    404   ok    ok    404   ok    404   404",
    "sampling:cohort": "login 404   404   404   404   404   404   404   404",
    "sampling:draw": "login ok    404   ok    404   404   404   404   404",
    "sampling:import": "login ok    404   404   404   404   404   404   404",
    "sampling:import-decide": "login 405   405P  405P  405P  405P  405P  405P  405P",
    "sampling:import-new": "login ok    404   404   404   404   404   404   404",
    "sampling:import-problems": "login ok    404   404   404   404   404   404   404",
    "sampling:import-status": "login ok    404   404   404   404   404   404   404",
    "sampling:imports": "login ok    404   404   404   404   404   404   404",
    "sampling:sample": "login 405P  405P  405P  405P  405P  405P  405P  405P",
    "session-end": "login 405   405P  405P  405P  405P  405P  405P  405P",
    "sign-in": "ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "sign-out": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "tracker:detail": "login ok    404   ok    ok    404   ok    404   404",
    "tracker:edit": "login ok    404   ok    404   404   404   404   404",
    "tracker:export-csv": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "tracker:export-xlsx": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "tracker:list": "login ok    ok    ok    ok    ok    ok    ok    ok",
    "tracker:note": "login 405   405P  405   405   405P  405   405P  405P",
    "tracker:status": "login 405   405P  405   405   405P  405   405P  405P",
    "tracker:verify": "login 405   405P  405P  405P  405P  405P  405P  405P",
    "usersessions_list": "login ok    ok    ok    ok    ok    ok    ok    ok",
}
MATRIX = {key: dict(zip(PERSONS, row.split(), strict=False)) for key, row in ROWS.items()}

CONTENT_TYPES = {
    # The audit these are walked for is not published: a PDF or Word file of its draft is made
    # by the worker when asked for with a POST, so a GET answers with the page offering that
    # button. The published files are checked by test_the_reader_opens_the_published_audit….
    "reports:brief-pdf": "text/html",
    "reports:brief-docx": "text/html",
    "reports:brief-md": "text/markdown",
    "reports:report-pdf": "text/html",
    "reports:report-docx": "text/html",
    "reports:briefing-pdf": "text/html",
    "returns:workbook": "application/vnd.openxmlformats-officedocument.spreadsheetml",
    "tracker:export-csv": "text/csv",
    "tracker:export-xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml",
    "sampling:import-problems": "text/csv",
    "exchange:export": "application/json",
    "exchange:schema": "application/schema+json",
    "api:schema": "application/",
    "identifiers:access-log-csv": "text/csv",
}


@pytest.fixture(scope="module")
def _world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """One world per module, in a transaction rolled back at the end; each test runs in its
    own savepoint inside it (the `db` fixture)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(_world: World, db: None) -> World:
    return _world


def _mark_signed_in_just_now(client: Client, user: Any) -> None:
    """As after a real sign-in, so pages that want a recent sign-in (exports, identifiers) get
    to their scope check instead of asking for the password again."""
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email}
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def requesters_for(world: World) -> dict[str, Requester]:
    requesters = {}
    for person in PERSONS:
        # A page that crashes is reported as a 500 mismatch, not stop the walk.
        session = Client(raise_request_exception=False)
        user = world.user(person)
        if user is not None:
            session.force_login(user)
            _mark_signed_in_just_now(session, user)
        token = world.tokens.get(person)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        requesters[person] = Requester(
            session=session, api=Client(raise_request_exception=False), api_headers=headers
        )
    return requesters


def path_maker(world: World) -> Any:
    values = url_kwargs(world)
    tool_values = tool_kwargs(world)

    def path_for(pattern: Pattern) -> str:
        defaults = dict(pattern.defaults)
        kwargs = {}
        for name in pattern.params:
            if name in defaults:
                continue
            source = tool_values if pattern.key in TOOL_PATTERNS else values
            if name not in source and name not in values:
                raise AssertionError(
                    f"{pattern.key}: no value for URL parameter {name!r}; add one to "
                    "url_kwargs in tests/permissions_matrix_world.py"
                )
            kwargs[name] = source.get(name, values.get(name))
        if ":" not in pattern.key and pattern.key == pattern.route:
            raise AssertionError(f"unnamed pattern {pattern.route!r}: give it a name")
        return reverse(pattern.key, kwargs=kwargs)

    return path_for


def run_matrix(world: World, **options: Any) -> list[str]:
    patterns = {key: pattern for key, pattern in collect_patterns().items() if key not in EXCLUDED}
    return check_matrix(
        patterns=patterns,
        matrix=MATRIX,
        persons=PERSONS,
        path_for=path_maker(world),
        requesters=requesters_for(world),
        content_types=CONTENT_TYPES,
        **options,
    )


def test_every_url_answers_every_person_as_the_matrix_says(world):
    problems = run_matrix(world)
    assert not problems, "\n".join([f"{len(problems)} mismatches:", *problems])


def test_a_selector_left_unscoped_is_caught_by_the_matrix(world, monkeypatch):
    """The check is not vacuous: if `audits_visible_to` forgot its filter, every audit page
    would open for people of other audits, and the matrix says so."""
    from maca.audits import selectors
    from maca.audits.models import Audit

    def every_audit(user: Any) -> Any:
        return Audit.objects.all().order_by("-audit_date", "title")

    monkeypatch.setattr(selectors, "audits_visible_to", every_audit)
    problems = run_matrix(world, only=lambda key: key.startswith("audits:"))
    leaks = {
        line.split(":", 2)[1].split(" ")[0] + " " + line.split(" × ")[1].split(":")[0]
        for line in problems
        if "expected 404, got ok" in line
    }
    assert {"overview coordinator_b", "overview reader", "overview admin"} <= leaks, problems


def test_a_url_missing_from_the_matrix_is_named(world, monkeypatch):
    monkeypatch.delitem(ROWS, "audits:grid")
    monkeypatch.delitem(MATRIX, "audits:grid")
    problems = run_matrix(world, only=lambda key: key == "audits:grid")
    assert len(problems) == 1
    assert problems[0].startswith("audits:grid (audits/<slug:slug>/returns/) has no row in ROWS")


# --- Ids from another audit under an audit one may see -------------------------------------

CROSS_AUDIT = [
    ("audits:case", lambda w: {"slug": w.audit_a.slug, "case_id": w.case_b.pk}),
    (
        "returns:return",
        lambda w: {
            "slug": w.audit_a.slug,
            "case_id": w.case_b.pk,
            "agency_id": w.return_b.agency_id,
        },
    ),
    ("returns:escalation", lambda w: {"slug": w.audit_a.slug, "escalation_id": w.escalation_b.pk}),
    ("moderation:case", lambda w: {"slug": w.audit_a.slug, "case_id": w.case_b.pk}),
    ("planning:case-edit", lambda w: {"slug": w.audit_a.slug, "case_id": w.case_b.pk}),
    ("sampling:case-facts", lambda w: {"slug": w.audit_a.slug, "case_id": w.case_b.pk}),
    ("identifiers:reveal", lambda w: {"slug": w.audit_a.slug, "case_id": w.case_b.pk}),
    ("tracker:detail", lambda w: {"action_id": w.action_b.pk}),
    ("api:case", lambda w: {"slug": w.audit_a.slug, "case_id": w.case_b.pk}),
    (
        "api:return",
        lambda w: {
            "slug": w.audit_a.slug,
            "case_id": w.case_b.pk,
            "agency_id": w.return_b.agency_id,
        },
    ),
    ("api:escalation", lambda w: {"slug": w.audit_a.slug, "escalation_id": w.escalation_b.pk}),
    ("api:action", lambda w: {"action_id": w.action_b.pk}),
]


@pytest.mark.parametrize(("name", "kwargs_of"), CROSS_AUDIT, ids=[row[0] for row in CROSS_AUDIT])
def test_an_id_from_another_audit_is_a_404_even_for_its_coordinator(world, name, kwargs_of):
    """The coordinator of A may open A, but B's case, return or escalation put in A's
    address is not found: ids are looked up inside the audit, never on their own."""
    requester = requesters_for(world)["coordinator_a"]
    response = requester.send(name, "GET", reverse(name, kwargs=kwargs_of(world)))
    assert response.status_code == 404


# --- What lists and downloads hold, not just whether they open ------------------------------


def _api_rows(requester: Requester, path: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        body = requester.send("api:list", "GET", f"{path}?page={page}").json()
        rows += body["results"]
        if not body.get("next"):
            return rows
        page += 1


@pytest.mark.parametrize(
    ("person", "must_not_see"),
    [
        ("coordinator_b", {"a", "published"}),
        ("auditor_other", {"a", "published"}),
        ("auditor_a", {"b"}),
        ("panel_a", {"b"}),
        ("reader", {"a", "b"}),
        ("admin", {"a", "b", "published"}),
    ],
)
def test_api_audit_list_holds_none_of_the_audits_outside_scope(world, person, must_not_see):
    slugs = {"a": world.audit_a.slug, "b": world.audit_b.slug, "published": world.published.slug}
    listed = {row["slug"] for row in _api_rows(requesters_for(world)[person], "/api/v1/audits/")}
    assert not listed & {slugs[name] for name in must_not_see}


@pytest.mark.parametrize(
    "person", ["coordinator_b", "auditor_other", "reader", "admin", "coordinator_a", "auditor_a"]
)
def test_api_action_list_and_tracker_exports_hold_no_action_outside_scope(world, person):
    requester = requesters_for(world)[person]
    sees_a = person in {"coordinator_a", "auditor_a"}
    sees_b = person in {"coordinator_b", "auditor_other"}
    listed = {row["id"] for row in _api_rows(requester, "/api/v1/actions/")}
    assert (world.action_a.pk in listed) is sees_a
    assert (world.action_b.pk in listed) is sees_b
    exported = requester.send("tracker:export-csv", "GET", "/actions/export.csv")
    assert exported["Content-Type"].startswith("text/csv")
    text = exported.content.decode("utf-8")
    assert (world.action_a.description in text) is sees_a
    assert (world.action_b.description in text) is sees_b


def test_api_lists_of_audit_a_give_an_agency_only_its_own_rows(world):
    """Police sees Police's returns, the children Police was asked about, and escalations
    raised by or to Police: nothing of any other agency."""
    from maca.audits.models import AgencyInvolvement, AgencyReturn, Escalation

    requester = requesters_for(world)["auditor_a"]
    base = f"/api/v1/audits/{world.audit_a.slug}"
    police = world.agency_a.pk

    returns = _api_rows(requester, f"{base}/returns/")
    assert returns
    assert {row["agency"]["short_name"] for row in returns} == {world.agency_a.short_name}

    case_ids = {row["id"] for row in _api_rows(requester, f"{base}/cases/")}
    allowed_cases = set(
        AgencyInvolvement.objects.filter(case__audit=world.audit_a, agency_id=police).values_list(
            "case_id", flat=True
        )
    ) | set(
        AgencyReturn.objects.filter(case__audit=world.audit_a, agency_id=police).values_list(
            "case_id", flat=True
        )
    )
    assert case_ids
    assert case_ids <= allowed_cases

    escalation_ids = {row["id"] for row in _api_rows(requester, f"{base}/escalations/")}
    others = Escalation.objects.filter(audit=world.audit_a).exclude(raised_to_agency_id=police)
    others = others.exclude(raised_by_agency_id=police)
    assert world.escalation_a.pk in escalation_ids
    assert not escalation_ids & set(others.values_list("pk", flat=True))


def test_the_reader_opens_the_published_audit_but_none_of_its_children(world):
    requester = requesters_for(world)["reader"]
    slug = world.published.slug
    case = world.published.cases.order_by("pk").first()
    assert requester.send("reports:brief", "GET", f"/audits/{slug}/brief/").status_code == 200
    brief_pdf = requester.send("reports:brief-pdf", "GET", f"/audits/{slug}/brief.pdf")
    assert brief_pdf["Content-Type"] == "application/pdf"
    assert requester.send("api:brief", "GET", f"/api/v1/audits/{slug}/brief/").status_code == 200
    case_page = requester.send("audits:case", "GET", f"/audits/{slug}/cases/{case.pk}/")
    assert case_page.status_code == 404
    api_case = requester.send("api:case", "GET", f"/api/v1/audits/{slug}/cases/{case.pk}/")
    assert api_case.status_code == 404


@pytest.mark.parametrize("person", ["coordinator_b", "auditor_other", "reader", "admin"])
def test_api_writes_outside_scope_are_404_and_change_nothing(world, person):
    from tests.permissions_matrix_check import fingerprint

    requester = requesters_for(world)[person]
    path = reverse(
        "api:return",
        kwargs={
            "slug": world.audit_a.slug,
            "case_id": world.case_a.pk,
            "agency_id": world.return_a.agency_id,
        },
    )
    before = fingerprint()
    body = {"revision": world.return_a.revision, "auditor_role": "Fictional change"}
    answer = requester.api.put(path, body, content_type="application/json", **requester.api_headers)
    assert answer.status_code == 404
    status = reverse("api:action-status", kwargs={"action_id": world.action_a.pk})
    posted = requester.api.post(
        status, {"status": "done"}, content_type="application/json", **requester.api_headers
    )
    assert posted.status_code == 404
    assert fingerprint() == before
