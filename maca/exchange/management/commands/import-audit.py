"""`maca import-audit FILE`: load a whole-audit JSON document as a new audit.

The file is checked in full first (schema, then references between its parts); if anything is
wrong, every problem is printed with its JSON path (e.g. `$.cases[3].pseudonym`) and nothing is
saved. Otherwise one new audit is made, with a new slug if its own is taken (or --slug).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.accounts.models import Role, RoleAssignment, User
from maca.exchange.document import DocumentInvalid
from maca.exchange.services import audit_import, check_size


class Command(BaseCommand):
    help = "Import a whole-audit JSON file (schemas/audit-export.schema.json) as a new audit."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The JSON file, or '-' for standard input.")
        parser.add_argument("--slug", help="Slug for the new audit (default: the file's).")
        parser.add_argument(
            "--coordinator",
            action="append",
            default=[],
            metavar="EMAIL",
            help="A coordinator of the new audit (repeat for more). Without one, no "
            "coordinator can open it.",
        )
        parser.add_argument("--show", type=int, default=50, help="How many problems to print.")

    def handle(self, *args: Any, **options: Any) -> None:
        content = self._read(options["file"])
        coordinators = self._coordinators(options["coordinator"])
        try:
            result = audit_import(content=content, coordinators=coordinators, slug=options["slug"])
        except DocumentInvalid as error:
            shown = error.problems[: options["show"]]
            for problem in shown:
                self.stderr.write(f"  {problem.path}: {problem.message}")
            hidden = len(error.problems) - len(shown) + error.more
            if hidden:
                self.stderr.write(f"  … and {hidden} more")
            count = len(error.problems) + error.more
            raise CommandError(
                f"Not imported: {count} problem{'s' if count != 1 else ''} in "
                f"{options['file']}. Nothing was saved."
            ) from None
        audit = result.audit
        self.stdout.write(f"Imported '{audit.title}' as audit '{audit.slug}'.")
        for label, counter in (("Created", result.created), ("Matched", result.matched)):
            if counter:
                parts = ", ".join(f"{n} {what}" for what, n in sorted(counter.items()) if n)
                self.stdout.write(f"{label}: {parts}.")
        for note in result.notes:
            self.stdout.write(f"Note: {note}")
        if result.publication_message:
            self.stdout.write(result.publication_message)
        if not coordinators:
            self.stdout.write(
                "Note: the audit has no coordinator, so no coordinator can open it; to name "
                "one, import with --coordinator EMAIL instead."
            )

    def _read(self, name: str) -> bytes:
        try:
            if name == "-":
                content = sys.stdin.buffer.read(settings.AUDIT_IMPORT_MAX_BYTES + 1)
                check_size(len(content))
                return content
            path = Path(name)
            try:
                check_size(path.stat().st_size)
                return path.read_bytes()
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from error
        except DocumentInvalid as error:
            raise CommandError(f"Not imported: {error.problems[0].message}.") from None

    def _coordinators(self, emails: list[str]) -> list[User]:
        people = []
        for email in emails:
            user = User.objects.filter(email__iexact=email.strip()).first()
            if user is None:
                raise CommandError(f"--coordinator: nobody has the email {email!r}.")
            if not RoleAssignment.objects.filter(user=user, role=Role.COORDINATOR).exists():
                raise CommandError(f"--coordinator: {email} is not a coordinator.")
            people.append(user)
        return people
