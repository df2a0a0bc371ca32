"""The administrator's pages: people and their roles, invitations, and organisations.

Thin: each view checks the person is an administrator (through the selectors, 404 for anyone
else), calls one service and renders. The invitation link is the one page for people who are
not signed in yet.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from maca.accounts.models import Role
from maca.accounts.requests import SignedInRequest
from maca.core.errors import Refused, add_refusal
from maca.manage import selectors, services
from maca.manage.forms import (
    AgencyEditForm,
    AuthenticatorResetForm,
    InviteForm,
    MergeForm,
    RoleForm,
    SetPasswordForm,
)
from maca.planning import services as planning_services
from maca.planning.forms.setup import AgencyDetailsForm


def _render(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    return render(
        request, f"manage/{template}", {"nav_section": "manage", **context}, status=status
    )


def index(request: SignedInRequest) -> HttpResponse:
    selectors.require_administrator(request.user)
    return _render(request, "index.html")


def people(request: SignedInRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    rows = selectors.people_for(request.user, search=search, role=role)
    return _render(request, "people.html", rows=rows, search=search, role=role, roles=Role.choices)


def person_invite(request: SignedInRequest) -> HttpResponse:
    selectors.require_administrator(request.user)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.person_invite(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                job_title=form.cleaned_data["job_title"],
                role=form.role_input(),
                by=request.user,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"Invitation sent to {invitation.user.email}")
            return redirect("manage:person", invitation.user.pk)
    return _render(request, "person_invite.html", form=form, hints=_role_hints())


def _role_hints() -> dict[str, str]:
    from maca.manage.forms import ROLE_HINTS

    return {str(role): hint for role, hint in ROLE_HINTS.items()}


def person(request: SignedInRequest, person_id: int) -> HttpResponse:
    row = selectors.person_for(request.user, person_id)
    history = selectors.person_history(request.user, row.person)
    return _render(request, "person.html", row=row, history=history)


def _refusal_message(request: HttpRequest, refusal: Refused) -> None:
    messages.error(request, refusal.text)


@require_POST
def invitation_resend(request: SignedInRequest, person_id: int) -> HttpResponse:
    row = selectors.person_for(request.user, person_id)
    try:
        services.invitation_resend(person=row.person, by=request.user)
    except Refused as refusal:
        _refusal_message(request, refusal)
    else:
        messages.success(request, f"A new invitation has been sent to {row.person.email}")
    return redirect("manage:person", person_id)


def person_deactivate(request: SignedInRequest, person_id: int) -> HttpResponse:
    row = selectors.person_for(request.user, person_id)
    if request.method == "POST":
        try:
            services.person_deactivate(person=row.person, by=request.user)
        except Refused as refusal:
            _refusal_message(request, refusal)
        else:
            messages.success(request, f"{row.person} is deactivated and signed out everywhere")
        return redirect("manage:person", person_id)
    return _render(request, "person_deactivate.html", row=row)


@require_POST
def person_reactivate(request: SignedInRequest, person_id: int) -> HttpResponse:
    row = selectors.person_for(request.user, person_id)
    try:
        services.person_reactivate(person=row.person)
    except Refused as refusal:
        _refusal_message(request, refusal)
    else:
        messages.success(request, f"{row.person} can sign in again")
    return redirect("manage:person", person_id)


def authenticator_reset(request: SignedInRequest, person_id: int) -> HttpResponse:
    row = selectors.person_for(request.user, person_id)
    form = AuthenticatorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_authenticator_reset(
                person=row.person, reason=form.cleaned_data["reason"], by=request.user
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                f"{row.person}'s authenticator app is removed: they set up a new one when they "
                "next sign in",
            )
            return redirect("manage:person", person_id)
    return _render(request, "authenticator_reset.html", row=row, form=form)


def role_add(request: SignedInRequest, person_id: int) -> HttpResponse:
    row = selectors.person_for(request.user, person_id)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_role_add(person=row.person, role=form.role_input())
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"Role added to {row.person}")
            return redirect("manage:person", person_id)
    return _render(request, "role_add.html", row=row, form=form, hints=_role_hints())


@require_POST
def role_remove(request: SignedInRequest, person_id: int, role_id: int) -> HttpResponse:
    assignment = selectors.role_assignment_for(request.user, person_id, role_id)
    try:
        services.person_role_remove(assignment=assignment, by=request.user)
    except Refused as refusal:
        _refusal_message(request, refusal)
    else:
        messages.success(request, f"Role removed: {assignment.get_role_display()}")
    return redirect("manage:person", person_id)


# --- Organisations --------------------------------------------------------------------------


def organisations(request: SignedInRequest) -> HttpResponse:
    return _render(request, "organisations.html", agencies=selectors.agencies_for(request.user))


def organisation_create(request: SignedInRequest) -> HttpResponse:
    selectors.require_administrator(request.user)
    form = AgencyDetailsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = planning_services.agency_create(data=form.to_input())
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{agency.name} added")
            return redirect("manage:organisations")
    return _render(request, "organisation_form.html", form=form, agency=None)


def organisation_edit(request: SignedInRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_for(request.user, agency_id)
    initial = {
        "name": agency.name,
        "short_name": agency.short_name,
        "sector": agency.sector,
        "description": agency.description,
        "is_active": agency.is_active,
    }
    form = AgencyEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(
                agency=agency, data=form.to_input(), is_active=form.cleaned_data["is_active"]
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{form.cleaned_data['name']} saved")
            return redirect("manage:organisations")
    history = selectors.agency_history(request.user, agency)
    return _render(request, "organisation_form.html", form=form, agency=agency, history=history)


def organisation_merge(request: SignedInRequest, agency_id: int) -> HttpResponse:
    agency = selectors.agency_for(request.user, agency_id)
    form = MergeForm(request.POST or None, targets=selectors.merge_targets(request.user, agency))
    if request.method == "POST" and form.is_valid():
        try:
            kept = services.agency_merge(duplicate=agency, into=form.cleaned_data["into"])
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"{agency.name} merged into {kept.name}")
            return redirect("manage:organisations")
    return _render(request, "organisation_merge.html", form=form, agency=agency)


# --- Background work ------------------------------------------------------------------------


def background_work(request: SignedInRequest) -> HttpResponse:
    work = selectors.background_work_for(request.user)
    return render(request, "manage/background_work.html", {"work": work, "nav_section": "audits"})


# --- The invitation link --------------------------------------------------------------------


@login_not_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return _render(request, "invitation_invalid.html", status=404)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["password1"]
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request, "Your password is set: sign in with it and your email address."
            )
            return redirect("sign-in")
    return _render(
        request,
        "invitation.html",
        form=form,
        invitation=invitation,
        next_steps=services.next_steps(invitation.user),
    )
