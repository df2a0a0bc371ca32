"""`maca restore DIR`: restore a backup made by `maca backup` into an empty installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `maca backup` into this new, empty installation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help="The backup's folder (with manifest.json).")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        try:
            manifest = restore_backup(directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} (maca {manifest['maca_version']}): "
            f"the database and {len(manifest['files'])} stored files."
        )
        self.stdout.write(
            "It needs the identifier keys (MACA_IDENTIFIER_KEYS) of the installation it came "
            "from, which backups never hold; set them before serving it."
        )
