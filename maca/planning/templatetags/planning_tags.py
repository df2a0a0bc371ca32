"""Small display helpers for the planning pages."""

from __future__ import annotations

from django import template

from maca.accounts.models import Sector

register = template.Library()

_SECTORS = dict(Sector.choices)


@register.filter
def sector_labels(codes: list[str]) -> str:
    return ", ".join(str(_SECTORS.get(code, code)) for code in codes)


@register.filter
def may_start_audits(user: object) -> bool:
    """Whether to offer the links of those who may start audits (tools, starting or importing
    an audit); the pages check too."""
    from maca.accounts.models import User
    from maca.planning import selectors

    return isinstance(user, User) and selectors.may_start_audits(user)


@register.filter
def reads_access_log(user: object) -> bool:
    """Whether to link the identifier access log (coordinators and administrators)."""
    from maca.accounts.models import Role, User
    from maca.accounts.selectors import roles_of

    if not isinstance(user, User):
        return False
    roles = roles_of(user)
    return roles.has(Role.COORDINATOR) or roles.has(Role.ADMINISTRATOR)
