from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from maca.accounts.forms import EmailFrequencyForm
from maca.accounts.models import Role
from maca.accounts.notifications import email_frequency_set
from maca.accounts.requests import SignedInRequest
from maca.accounts.selectors import (
    active_session_of,
    active_sessions_of,
    describe_user_agent,
    roles_of,
)
from maca.accounts.services import session_end, sessions_end_others


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page; once signed in, where that person's work begins."""
    if request.user.is_authenticated:
        # An administrator has no audits to see; their work is people and organisations.
        if roles_of(request.user).roles == {Role.ADMINISTRATOR}:
            return redirect("manage:index")
        return redirect("audits:list")
    return render(request, "core/home.html")


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": any signed-in request restarts the idle clock, because the session is
    saved on every request (SESSION_SAVE_EVERY_REQUEST); this one does nothing else."""
    return HttpResponse(status=204)


def sessions(request: SignedInRequest) -> HttpResponse:
    """The person's signed-in sessions, with a way to end any one or all the others."""
    if request.method == "POST":
        sessions_end_others(request, request.user)
        messages.success(request, "You have been signed out of all your other sessions")
        return redirect("usersessions_list")
    current_key = request.session.session_key
    rows = [
        {
            "id": session.pk,
            "device": describe_user_agent(session.user_agent),
            "ip": session.ip,
            "signed_in_at": session.created_at,
            "last_seen_at": session.last_seen_at,
            "is_current": session.session_key == current_key,
        }
        for session in active_sessions_of(request.user)
    ]
    return render(
        request,
        "usersessions/usersession_list.html",
        {"sessions": rows, "has_others": any(not row["is_current"] for row in rows)},
    )


@require_POST
def session_end_view(request: SignedInRequest, session_id: int) -> HttpResponse:
    session = active_session_of(request.user, session_id)
    if session_end(request, session):
        return redirect("sign-in")
    messages.success(request, "That session has been signed out")
    return redirect("usersessions_list")


def email_frequency(request: SignedInRequest) -> HttpResponse:
    """Choose e-mails as things happen (the default) or one daily digest."""
    user = request.user
    form = EmailFrequencyForm(
        request.POST if request.method == "POST" else None,
        initial={"email_frequency": user.email_frequency},
    )
    if request.method == "POST" and form.is_valid():
        email_frequency_set(user=user, frequency=form.cleaned_data["email_frequency"])
        messages.success(request, "Your choice of e-mails has been saved")
        return redirect("mfa_index")
    return render(request, "account/email_frequency.html", {"form": form, "nav_section": "account"})
