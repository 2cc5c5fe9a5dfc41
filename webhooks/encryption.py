"""Subscription secrets at rest: Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`)
under a key derived from SECRET_KEY, so a database dump alone does not reveal them.

The key is HKDF-SHA256 of SECRET_KEY with a context string of its own, so it is never
SECRET_KEY itself and is useless for anything else. Each key in SECRET_KEY_FALLBACKS gives a
key that still decrypts (MultiFernet): rotate SECRET_KEY the way Django documents (the old key
moves to SECRET_KEY_FALLBACKS), then run `manage.py rotate_webhook_secrets` to re-encrypt under
the new key before dropping the old one. Without the old key, the secrets cannot be read: their
subscriptions are disabled with that reason at the next delivery, and an editor sets a new
secret (docs/webhooks.md).
"""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

CONTEXT = b"factcheck.webhooks.subscription-secret.v1"


class SecretUnreadable(Exception):
    """The stored secret was encrypted under a key no longer configured."""


def derived_key(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=CONTEXT)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode("utf-8")))


@functools.lru_cache(maxsize=8)
def _fernet(secret_key: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(derived_key(key)) for key in (secret_key, *fallbacks)])


def fernet() -> MultiFernet:
    """The current key first (it encrypts), then the fallbacks (they only decrypt)."""
    fallbacks = tuple(getattr(settings, "SECRET_KEY_FALLBACKS", ()))
    return _fernet(settings.SECRET_KEY, fallbacks)


def encrypt(secret: str) -> str:
    return fernet().encrypt(secret.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise SecretUnreadable(
            "The subscription's secret cannot be decrypted: SECRET_KEY changed and the key it "
            "was encrypted under is not in SECRET_KEY_FALLBACKS. Set a new secret."
        ) from exc


def reencrypt(token: str) -> str:
    """The same secret under the current key (raises SecretUnreadable like decrypt)."""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError) as exc:
        raise SecretUnreadable("The secret cannot be decrypted with any configured key.") from exc
