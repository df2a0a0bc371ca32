"""`maca backup -o DIR`: a consistent backup of the database and the stored files.

See maca/core/backup.py for what is in it and why. The identifier keys never are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.core.backup import KEYS_WARNING, BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the stored files (never the identifier keys) into DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", required=True, help="A new or empty folder for the backup."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["output"])
        try:
            manifest = create_backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        database = manifest["database"]
        self.stdout.write(
            f"Backed up the {database['vendor']} database ({database['method']}) and "
            f"{len(manifest['files'])} stored files into {directory.resolve()}."
        )
        self.stdout.write(KEYS_WARNING)
