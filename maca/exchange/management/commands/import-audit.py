"""`maca import-audit FILE`: load a whole-audit JSON document as a new audit.

The file is checked in full first (schema, then references between its parts); if anything is
wrong, every problem is printed with its JSON path (e.g. `$.cases[3].pseudonym`) and nothing is
saved. Otherwise one new audit is made, with a new slug if its own is taken (or --slug).

It prints what the file's agencies, needs, reviews, scales and brief template match here first.
Any that match a stored one only in part need a choice, `--match agency:CSC=stored` or
`--match agency:CSC=new` each, or `--similar use-stored|add-new` for all the rest; without
one, nothing is imported and the command says which need one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.accounts.models import Role, RoleAssignment, User
from maca.exchange.document import DocumentInvalid
from maca.exchange.matching import (
    Choice,
    ImportPlan,
    Match,
    MatchesToConfirm,
    Verdict,
    import_plan,
)
from maca.exchange.services import ImportResult, check_size, checked_document, import_checked


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
        parser.add_argument(
            "--match",
            action="append",
            default=[],
            metavar="KIND:KEY=stored|new",
            help="For one entry that matches a stored one only in part: use the stored one, or "
            "add the file's as new. KIND is agency, need, review, scale or template; KEY is its "
            "short name, code, slug or name in the file (e.g. agency:CSC=new). Repeat for more.",
        )
        parser.add_argument(
            "--similar",
            choices=[option for option, _ in _SIMILAR],
            help="For every entry matching only in part that --match does not name.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        content = self._read(options["file"])
        coordinators = self._coordinators(options["coordinator"])
        try:
            doc = checked_document(content)
            plan = import_plan(doc)
            self._print_plan(plan)
            choices = _choices(plan, options["match"])
            similar = dict(_SIMILAR)[options["similar"]] if options["similar"] else None
            result = import_checked(
                doc,
                coordinators=coordinators,
                slug=options["slug"],
                choices=choices,
                similar=similar,
            )
        except DocumentInvalid as error:
            self._refuse(error, options)
        except MatchesToConfirm as error:
            raise CommandError(_undecided_message(error.undecided)) from None
        self._report(result, bool(coordinators))

    def _print_plan(self, plan: ImportPlan) -> None:
        if not plan.matches:
            return
        self.stdout.write("What the file names, and what is stored here:")
        for match in plan.matches:
            self.stdout.write(f"  {_plan_line(match)}")

    def _refuse(self, error: DocumentInvalid, options: dict[str, Any]) -> NoReturn:
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

    def _report(self, result: ImportResult, has_coordinator: bool) -> None:
        audit = result.audit
        self.stdout.write(f"Imported '{audit.title}' as audit '{audit.slug}'.")
        for label, counter in (("Created", result.created), ("Matched", result.matched)):
            if counter:
                parts = ", ".join(f"{n} {what}" for what, n in sorted(counter.items()) if n)
                self.stdout.write(f"{label}: {parts}.")
        for sentence in result.matches:
            self.stdout.write(f"  {sentence}")
        for note in result.notes:
            self.stdout.write(f"Note: {note}")
        if result.publication_message:
            self.stdout.write(result.publication_message)
        if not has_coordinator:
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


_SIMILAR = (("use-stored", Choice.STORED), ("add-new", Choice.NEW))


def _plan_line(match: Match) -> str:
    if match.verdict is Verdict.EXACT:
        return f"{match.ref}: the same as the stored {match.stored!r}"
    if match.verdict is Verdict.NEW:
        added = f" (as {match.added_as}: its name is taken here)" if match.renamed else ""
        return f"{match.ref}: new, {match.in_file!r} will be added{added}"
    why = "; ".join(
        [*match.differences, *([match.stored_unusable] if match.stored_unusable else [])]
    )
    return f"{match.ref}: SIMILAR: {match.in_file!r} in the file, {match.stored!r} here ({why})"


def _choices(plan: ImportPlan, given: list[str]) -> dict[str, Choice]:
    """`--match` values, each checked against the plan."""
    similar = {match.ref: match for match in plan.similar}
    chosen: dict[str, Choice] = {}
    for value in given:
        ref, _, answer = value.rpartition("=")
        if not ref or answer not in Choice.__members__.values():
            raise CommandError(
                f"--match {value!r}: write KIND:KEY=stored or KIND:KEY=new, e.g. agency:CSC=new."
            )
        match = similar.get(ref)
        if match is None:
            known = ", ".join(similar) or "none in this file"
            raise CommandError(
                f"--match {value!r}: {ref!r} is not an entry that matches only in part "
                f"(those are: {known})."
            )
        if answer == Choice.STORED and match.stored_unusable:
            raise CommandError(
                f"--match {value!r}: {match.stored_unusable}, so it cannot be used; use {ref}=new."
            )
        chosen[ref] = Choice(answer)
    return chosen


def _undecided_message(undecided: list[Match]) -> str:
    listed = "\n".join(
        f"  {match.ref}: {match.in_file!r} in the file, {match.stored!r} here"
        for match in undecided
    )
    first = undecided[0].ref
    return (
        f"Not imported: {len(undecided)} entr{'ies' if len(undecided) != 1 else 'y'} of the file "
        f"match{'' if len(undecided) != 1 else 'es'} a stored one only in part, and nothing says "
        f"which to use. Nothing was saved.\n{listed}\n"
        f"Choose for each with --match {first}=stored (use the stored one) or "
        f"--match {first}=new (add the file's as new), or for all with "
        "--similar use-stored or --similar add-new."
    )
