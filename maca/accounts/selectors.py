"""Who someone is in maca: the roles they hold, read once per request."""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.usersessions.models import UserSession
from django.shortcuts import get_object_or_404

from maca.accounts.models import AGENCY_ROLES, Role, RoleAssignment, User


@dataclass(frozen=True)
class Roles:
    roles: frozenset[str] = frozenset()
    agency_ids_by_role: dict[str, frozenset[int]] = field(default_factory=dict)

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def agency_ids(self) -> frozenset[int]:
        """Agencies the person acts for in an agency role (auditor or lead)."""
        ids: set[int] = set()
        for role in AGENCY_ROLES:
            ids |= self.agency_ids_by_role.get(role, frozenset())
        return frozenset(ids)

    def lead_agency_ids(self) -> frozenset[int]:
        return self.agency_ids_by_role.get(Role.AGENCY_LEAD, frozenset())


_CACHE_ATTRIBUTE = "_maca_roles"


def roles_of(user: User) -> Roles:
    """The roles of a signed-in user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Roles()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    roles: set[str] = set()
    agencies: dict[str, set[int]] = {}
    for role, agency_id in RoleAssignment.objects.filter(user=user).values_list(
        "role", "agency_id"
    ):
        roles.add(role)
        if agency_id is not None:
            agencies.setdefault(role, set()).add(agency_id)
    result = Roles(
        roles=frozenset(roles),
        agency_ids_by_role={role: frozenset(ids) for role, ids in agencies.items()},
    )
    setattr(user, _CACHE_ATTRIBUTE, result)
    return result


def active_sessions_of(user: User) -> list[UserSession]:
    """The person's signed-in sessions, newest activity first; ended or expired ones are purged."""
    sessions = UserSession.objects.purge_and_list(user)
    return sorted(sessions, key=lambda session: session.last_seen_at, reverse=True)


def active_session_of(user: User, session_id: int) -> UserSession:
    """One of the person's own sessions; anyone else's is a 404."""
    return get_object_or_404(UserSession, pk=session_id, user_id=user.pk)


_BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_user_agent(user_agent: str) -> str:
    """A short "browser on device" for people to recognise a session, e.g. "Firefox on Windows"."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"
