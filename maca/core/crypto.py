"""Encryption at rest for child identifiers (and the authenticator secrets of accounts' MFA,
which share the keys: so it sits in core, below both).

Keys come from MACA_IDENTIFIER_KEYS (Fernet keys, newest first). MultiFernet decrypts with
any listed key and encrypts with the first, so a key is rotated by prepending a new one and
re-encrypting. Without configured keys a key is derived from SECRET_KEY, which the system
check below reports.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.checks import Warning, register


@cache
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def configured_keys() -> tuple[str, ...]:
    if settings.IDENTIFIER_KEYS:
        return tuple(settings.IDENTIFIER_KEYS)
    digest = hashlib.sha256(f"maca-identifiers:{settings.SECRET_KEY}".encode()).digest()
    return (base64.urlsafe_b64encode(digest).decode(),)


def encrypt(plaintext: str) -> str:
    return _cipher(configured_keys()).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _cipher(configured_keys()).decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("identifier cannot be decrypted with the configured keys") from None


def is_current(token: str) -> bool:
    """Whether the value is already encrypted with the newest key (the first configured)."""
    try:
        Fernet(configured_keys()[0]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rotate(token: str) -> str:
    """The value re-encrypted with the newest key; ValueError if no configured key opens it."""
    try:
        return _cipher(configured_keys()).rotate(token.encode()).decode()
    except InvalidToken:
        raise ValueError("identifier cannot be decrypted with the configured keys") from None


def generate_key() -> str:
    return Fernet.generate_key().decode()


@register("maca", deploy=True)
def identifier_keys_configured(app_configs: object, **kwargs: object) -> list[Warning]:
    if settings.IDENTIFIER_KEYS:
        return []
    return [
        Warning(
            "MACA_IDENTIFIER_KEYS is not set; child identifiers are encrypted with a key "
            "derived from the secret key.",
            hint="Generate one with `maca generate-identifier-key` and set MACA_IDENTIFIER_KEYS.",
            id="maca.W001",
        )
    ]
