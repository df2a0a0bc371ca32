"""`maca generate-identifier-key`: print a new key for MACA_IDENTIFIER_KEYS.

To start: `MACA_IDENTIFIER_KEYS=<key>`. To rotate: put the new key first (`NEW,OLD`), run
`maca rotate-identifier-keys`, then drop the old key.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from maca.core import crypto


class Command(BaseCommand):
    help = "Print a new random key for MACA_IDENTIFIER_KEYS (a Fernet key). Nothing is stored."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(crypto.generate_key())
