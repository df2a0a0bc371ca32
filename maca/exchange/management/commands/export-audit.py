"""`maca export-audit <slug> -o FILE`: write a whole audit as one JSON document.

An operator tool with shell access to the server: it sees the audit as its coordinator does.
The document holds pseudonyms and facts, never a child's identifiers, and no person's account.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.audits.models import Audit
from maca.exchange.selectors import audit_export, export_bytes, export_filename
from maca.reports.brief import system_access
from maca.reports.disclosure_check import run_check, unresolved_message
from maca.reports.models import DisclosureScope

_KNOWN_SLUGS_SHOWN = 20


class Command(BaseCommand):
    help = "Export a whole audit as JSON (schemas/audit-export.schema.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The audit's slug, as in its web address.")
        parser.add_argument(
            "--output",
            "-o",
            help="File to write, or '-' for standard output. "
            "Default: <slug>-export-<date>.json in the current folder.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug: str = options["slug"]
        audit = Audit.objects.filter(slug=slug).first()
        if audit is None:
            slugs = list(Audit.objects.order_by("slug").values_list("slug", flat=True))
            known = ", ".join(slugs[:_KNOWN_SLUGS_SHOWN]) or "none yet"
            if len(slugs) > _KNOWN_SLUGS_SHOWN:
                known += f" and {len(slugs) - _KNOWN_SLUGS_SHOWN} more"
            raise CommandError(f"No audit with slug {slug!r}. Known audits: {known}.")
        document = audit_export(system_access(audit))
        check = run_check(audit, DisclosureScope.EXPORT, document=document)
        if check.unresolved_count:
            # Kind and place only: the match itself may be a child's identifier.
            found = "\n".join(
                f"  - {item.hit.kind.label} in {item.hit.location}" for item in check.unresolved
            )
            raise CommandError(
                f"Not exported: {unresolved_message(check.unresolved_count)}\n{found}\n"
                f"Resolve them on the audit's disclosure check page "
                f"(/audits/{audit.slug}/disclosure/?scope=export), then export again."
            )
        content = export_bytes(document)
        output: str | None = options["output"]
        if output == "-":
            self.stdout.write(content.decode("utf-8"), ending="")
            return
        path = Path(output) if output else Path.cwd() / export_filename(document)
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(
                f"Cannot write the export to {path}: {error.strerror or error}."
            ) from error
        counts = ", ".join(
            f"{len(document[key])} {key.replace('_', ' ')}"
            for key in ("cases", "returns", "escalations", "findings", "actions")
        )
        self.stdout.write(f"Wrote {path.resolve()} ({len(content) / 1024:.1f} KB: {counts})")
