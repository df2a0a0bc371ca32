"""Who someone is in maca: the roles they hold, read once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from maca.accounts.models import AGENCY_ROLES, Role, RoleAssignment


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


def roles_of(user: Any) -> Roles:
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
