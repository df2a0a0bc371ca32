"""`maca rotate-identifier-keys [--dry-run] [--batch-size N]`: re-encrypt every stored child
identifier and agency reference with the first key in MACA_IDENTIFIER_KEYS.

Safe to stop and run again: values already on the newest key are left alone.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from maca.identifiers.rotation import rotate_identifier_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every child identifier with the newest key (the first in "
        "MACA_IDENTIFIER_KEYS), in batches, one transaction per batch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; change nothing."
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Rows per transaction (default 500)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        size = options["batch_size"]
        if size < 1:
            raise CommandError(f"--batch-size must be 1 or more, not {size}")
        dry_run = options["dry_run"]
        counts = rotate_identifier_keys(dry_run=dry_run, batch_size=size)
        for count in counts:
            done = (
                f"{count.on_old_key} would be re-encrypted"
                if dry_run
                else f"{count.rotated} re-encrypted"
            )
            self.stdout.write(
                f"{count.label}: {count.values} encrypted values, {done}, "
                f"{count.values - count.on_old_key - count.unreadable} already on the newest key"
            )
        unreadable = sum(count.unreadable for count in counts)
        if unreadable:
            raise CommandError(
                f"{unreadable} value{'s' if unreadable != 1 else ''} could not be decrypted with "
                f"any key in MACA_IDENTIFIER_KEYS and {'were' if unreadable != 1 else 'was'} left "
                "as they are: add the key they were encrypted with and run again."
            )
