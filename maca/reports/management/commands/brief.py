"""`maca brief <slug> --format pdf -o FILE`: write an audit's learning brief to a file.

An operator tool: it runs without a signed-in person and sees the brief as the audit's
coordinator does (drafts included), so it is for people with shell access to the server. A file
written here goes to readers as surely as a published brief, so it is refused, as publishing
is, while the disclosure check has anything unresolved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.audits.models import Audit
from maca.reports.brief import build_brief, system_access
from maca.reports.disclosure_check import run_check, unresolved_message
from maca.reports.renderers import FORMATS, render

_KNOWN_SLUGS_SHOWN = 20


class Command(BaseCommand):
    help = "Write an audit's learning brief as HTML, PDF, Word (docx) or Markdown."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The audit's slug, as in its web address.")
        parser.add_argument(
            "--format",
            "-f",
            choices=sorted(FORMATS),
            default="pdf",
            help="Output format (default: pdf).",
        )
        parser.add_argument(
            "--output",
            "-o",
            help="File to write; '-' writes html or md to standard output. "
            "Default: <slug>-learning-brief.<format> in the current folder.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug: str = options["slug"]
        extension: str = options["format"]
        output: str | None = options["output"]
        audit = _audit_or_error(slug)
        if output == "-" and not FORMATS[extension].is_text:
            raise CommandError(
                f"A {extension} brief is binary and cannot go to standard output; "
                "give a file name with -o."
            )

        _require_checked(audit)
        rendered = render(build_brief(system_access(audit)), extension)

        if output == "-":
            self.stdout.write(rendered.content.decode("utf-8"), ending="")
            return
        path = Path(output) if output else Path.cwd() / rendered.filename
        try:
            path.write_bytes(rendered.content)
        except OSError as error:
            reason = error.strerror or str(error)
            raise CommandError(f"Cannot write the brief to {path}: {reason}.") from error
        self.stdout.write(f"Wrote {path.resolve()} ({_size(len(rendered.content))})")


def _require_checked(audit: Audit) -> None:
    check = run_check(audit)
    if check.unresolved_count:
        # Kind and place only (the place without the words it quotes): the match itself may
        # be a child's name.
        found = "\n".join(
            f"  - {item.hit.kind.label} in {item.hit.log_label or item.hit.location}"
            for item in check.unresolved
        )
        raise CommandError(
            f"Not written: {unresolved_message(check.unresolved_count)}\n{found}\n"
            f"Resolve them on the audit's disclosure check page "
            f"(/audits/{audit.slug}/disclosure/), then write the brief again."
        )


def _audit_or_error(slug: str) -> Audit:
    audit = Audit.objects.filter(slug=slug).first()
    if audit is not None:
        return audit
    slugs = list(Audit.objects.order_by("slug").values_list("slug", flat=True))
    if not slugs:
        raise CommandError(f"No audit with slug {slug!r}. There are no audits yet.")
    known = ", ".join(slugs[:_KNOWN_SLUGS_SHOWN])
    if len(slugs) > _KNOWN_SLUGS_SHOWN:
        known += f" and {len(slugs) - _KNOWN_SLUGS_SHOWN} more"
    raise CommandError(f"No audit with slug {slug!r}. Known audits: {known}.")


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / (1024 * 1024):.1f} MB"
