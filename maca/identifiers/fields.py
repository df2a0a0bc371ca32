from __future__ import annotations

from typing import Any

from django.db import models

from maca.core import crypto


class EncryptedTextField(models.TextField):
    """Text that is encrypted before it reaches the database and decrypted on the way back."""

    # Read by the privacy page (maca.core.data_inventory), which lists what is held encrypted.
    encrypted_at_rest = True

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)
