"""`maca invite EMAIL --role ROLE [--agency NAME]`: invite someone from the command line.

The same as the administrator's "Invite someone" page: the person gets an e-mail with a link,
valid for 7 days, to set their password. It is how the first coordinator or administrator of
a new installation gets in.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from maca.accounts.models import AGENCY_ROLES, Agency, Role
from maca.core.errors import Refused
from maca.manage.services import INVITATION_VALID_DAYS, RoleInput, person_invite

ROLE_NAMES = {value.replace("_", "-"): value for value in Role.values}


class Command(BaseCommand):
    help = "Invite someone by e-mail, with one role, to set their password and sign in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="Their e-mail address, which is their sign-in name.")
        parser.add_argument(
            "--role", required=True, help=f"One of: {', '.join(sorted(ROLE_NAMES))}."
        )
        parser.add_argument(
            "--agency",
            default="",
            help="For agency-auditor and agency-lead: the agency's name or short name.",
        )
        parser.add_argument("--name", default="", help="Their full name.")

    def handle(self, *args: Any, **options: Any) -> None:
        role = self._role(options["role"])
        agency = self._agency(options["agency"], role)
        try:
            invitation = person_invite(
                email=options["email"],
                full_name=options["name"],
                role=RoleInput(role=role, agency=agency),
                by=None,
            )
        except Refused as refusal:
            raise CommandError(refusal.text) from None
        self.stdout.write(
            f"Invitation sent to {invitation.user.email} as {Role(role).label.lower()}"
            f"{f' of {agency.name}' if agency else ''}; the link works for "
            f"{INVITATION_VALID_DAYS} days."
        )

    def _role(self, given: str) -> str:
        role = ROLE_NAMES.get(given.strip().lower().replace("_", "-"))
        if role is None:
            raise CommandError(
                f"--role {given!r} is not a role. Choose one of: {', '.join(sorted(ROLE_NAMES))}."
            )
        return role

    def _agency(self, given: str, role: str) -> Agency | None:
        given = given.strip()
        if role not in AGENCY_ROLES:
            if given:
                raise CommandError(
                    "--agency is only for agency-auditor and agency-lead, not "
                    f"{role.replace('_', '-')}."
                )
            return None
        if not given:
            raise CommandError(f"--agency is needed for {role.replace('_', '-')}: name the agency.")
        found = list(Agency.objects.filter(Q(name__iexact=given) | Q(short_name__iexact=given)))
        if len(found) != 1:
            known = ", ".join(
                Agency.objects.filter(is_active=True)
                .order_by("name")
                .values_list("name", flat=True)
            )
            raise CommandError(
                f"--agency {given!r} is not an agency. Known agencies: {known or 'none yet'}."
            )
        return found[0]
