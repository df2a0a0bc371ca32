"""Who must use two-factor authentication, and whether they have set it up.

Every role that can see child-level data (case details, returns, grades) must sign in with a
second factor. Readers and administrators see only published, aggregate material and are not
forced, though they may still set it up.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from maca.accounts.models import Role, User
from maca.accounts.selectors import roles_of

CHILD_LEVEL_ROLES = frozenset(
    {Role.COORDINATOR, Role.AGENCY_AUDITOR, Role.AGENCY_LEAD, Role.PANEL_MEMBER}
)

_CACHE_ATTRIBUTE = "_maca_has_totp"


def has_totp(user: User) -> bool:
    """Whether the person has an authenticator app set up (read once per request)."""
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return bool(cached)


def requires_mfa(user: User | AnonymousUser) -> bool:
    """True for a signed-in person whose roles let them see child-level data."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if not settings.MFA_REQUIRED_FOR_CHILD_LEVEL_ROLES:
        return False
    return bool(roles_of(user).roles & CHILD_LEVEL_ROLES)


def must_set_up_mfa(user: User | AnonymousUser) -> bool:
    """True for a signed-in person with a child-level role and no authenticator app yet."""
    return isinstance(user, User) and requires_mfa(user) and not has_totp(user)
