"""`maca import-903 PATH… --year YYYY`: check and keep a 903 extract.

A PATH may be a file or a folder of files; prefix it with YYYY: for another collection year
(e.g. `2023:last-year/`). Every problem is printed with its file, row and column. Nothing is
kept when a file cannot be read, or when rows have errors unless --leave-out-problem-rows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.accounts.models import User
from maca.audits.models import Audit
from maca.sampling import conf, services
from maca.sampling.ingest import SourceFile
from maca.sampling.problems import ExtractError, problems_from_frame

_YEAR_PREFIX = re.compile(r"^(\d{4}):(.+)$")


class Command(BaseCommand):
    help = "Import an SSDA903 extract (CSV files or XML) for sampling."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", help="Files or folders; YYYY:PATH for another year."
        )
        parser.add_argument(
            "--year", type=int, required=True,
            help="Collection year, named by the year it ends (2024 = 2023/24).",
        )  # fmt: skip
        parser.add_argument(
            "--home-districts",
            help="Your postcode districts, comma-separated "
            "(default: MACA_HOME_POSTCODE_DISTRICTS).",
        )
        parser.add_argument("--audit", help="Slug of the audit the import is for.")
        parser.add_argument("--by", help="Email of the coordinator doing the import.")
        parser.add_argument(
            "--leave-out-problem-rows", action="store_true",
            help="Keep the import without the rows that have errors (and their children).",
        )  # fmt: skip
        parser.add_argument("--show", type=int, default=50, help="How many problems to print.")

    def handle(self, *args: Any, **options: Any) -> None:
        files = self._files(options["paths"], options["year"])
        try:
            districts = (
                conf.parse_districts(options["home_districts"])
                if options["home_districts"] is not None
                else conf.home_postcode_districts()
            )
        except ValueError as error:
            raise CommandError(f"--home-districts: {error}") from None
        audit = None
        if options["audit"]:
            audit = Audit.objects.filter(slug=options["audit"]).first()
            if audit is None:
                raise CommandError(f"--audit {options['audit']}: no such audit.")
        user = None
        if options["by"]:
            user = User.objects.filter(email__iexact=options["by"]).first()
            if user is None:
                raise CommandError(f"--by {options['by']}: no such user.")
        try:
            batch, result = services.import_903_local(
                files=files,
                home_districts=districts,
                audit=audit,
                user=user,
                leave_out_problem_rows=options["leave_out_problem_rows"],
            )
        except ExtractError as error:
            for problem in error.problems:
                self.stderr.write(problem.describe())
            raise CommandError(
                f"{len(error.problems)} problem(s) stop this import; nothing was kept."
            ) from None
        summary = result.summary
        for item in summary["files"]:
            self.stdout.write(
                f"{item['file']}: {item['label']} {item['year']}, {item['rows']} rows"
            )
        problems = problems_from_frame(result.problems)
        for problem in problems[: options["show"]]:
            self.stdout.write(f"{problem.severity.upper()} {problem.describe()}")
        if len(problems) > options["show"]:
            self.stdout.write(f"… and {len(problems) - options['show']} more.")
        if batch is None:
            raise CommandError(
                f"{summary['errors']} error(s) in {summary['error_rows']} row(s); nothing was "
                "kept. Correct the files, or re-run with --leave-out-problem-rows."
            )
        if earlier := batch.summary.get("same_as"):
            where = "for this audit" if earlier["same_audit"] else "for another audit or none"
            self.stdout.write(
                self.style.WARNING(
                    f"The same files were imported before ({where}), as import "
                    f"{earlier['public_id']} on {earlier['created_at'][:10]}."
                )
            )
        left_out = ""
        if summary["children_with_problems"]:
            left_out = (
                f", leaving out {summary['children_with_problems']} children with rows that "
                "have errors"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {summary['children_kept']} children ({summary['episodes_kept']} "
                f"episodes){left_out}. Import id: {batch.public_id}"
            )
        )

    def _files(self, paths: list[str], year: int) -> list[SourceFile]:
        files: list[SourceFile] = []
        for raw in paths:
            match = _YEAR_PREFIX.match(raw)
            file_year, text = (int(match.group(1)), match.group(2)) if match else (year, raw)
            path = Path(text)
            if path.is_dir():
                found = sorted(
                    p
                    for p in path.iterdir()
                    if p.suffix.lower() in (".csv", ".xml") and p.is_file()
                )
                if not found:
                    raise CommandError(f"{path}: no .csv or .xml files in this folder.")
                files += [SourceFile(p, file_year) for p in found]
            elif path.is_file():
                files.append(SourceFile(path, file_year))
            else:
                raise CommandError(f"{path}: no such file or folder.")
        return files
