"""Sign-in sessions: recording where and when each is used, and ending them."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.usersessions.internal.flows.sessions import end_other_sessions, end_sessions
from allauth.usersessions.models import UserSession
from django.http import HttpRequest
from django.utils import timezone

from maca.accounts.models import User

_USER_AGENT_LIMIT = UserSession._meta.get_field("user_agent").max_length or 200


# How stale "last seen" may get before it is written again. The sessions list shows it to the
# minute, so writing it on every request would be a database write a request for nothing.
SESSION_ACTIVITY_INTERVAL_SECONDS = 60
_RECORDED = "_maca_activity_recorded"  # in the session: when, from where, with what


def record_session_activity(request: HttpRequest) -> None:
    """Note that this session was just used, from this address and browser (one query), unless
    that was noted less than a minute ago from the same address and browser. The note of when
    is kept in the session itself, which is saved on every request anyway (the idle timeout)."""
    if not request.session.session_key:
        request.session.save()
    now = timezone.now()
    ip = get_adapter().get_client_ip(request)
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:_USER_AGENT_LIMIT]
    recorded = request.session.get(_RECORDED)
    # The key too: signing in gives the session a new key and keeps what it holds.
    seen_from = [request.session.session_key, request.user.pk, ip, user_agent]
    if (
        isinstance(recorded, list)
        and len(recorded) == 2
        and recorded[1] == seen_from
        and now.timestamp() - float(recorded[0]) < SESSION_ACTIVITY_INTERVAL_SECONDS
    ):
        return
    request.session[_RECORDED] = [now.timestamp(), seen_from]
    UserSession.objects.bulk_create(
        [
            UserSession(
                user_id=request.user.pk,
                session_key=request.session.session_key,
                ip=ip,
                user_agent=user_agent,
                created_at=now,
                last_seen_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["session_key"],
        update_fields=["user", "ip", "user_agent", "last_seen_at"],
    )


def session_end(request: HttpRequest, session: UserSession) -> bool:
    """End one session; returns True when it was the one making this request (now signed out)."""
    was_current = session.session_key == request.session.session_key
    end_sessions(request, [session])
    return was_current


def sessions_end_others(request: HttpRequest, user: User) -> None:
    """End every session of the person except the one making this request."""
    end_other_sessions(request, user)
