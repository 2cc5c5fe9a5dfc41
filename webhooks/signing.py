"""Signing a webhook body, and checking a signature as a receiver does. Pure: no Django.

The signature is HMAC-SHA256, keyed with the subscription's secret, of the timestamp, a dot
and the body's exact bytes: `X-Factcheck-Signature: sha256=<hex>`, with the timestamp (Unix
seconds) in `X-Factcheck-Timestamp`. Signing the timestamp lets a receiver refuse a replay:
a captured request cannot be sent again later with a fresh timestamp.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SCHEME = "sha256"
# How old a timestamp a receiver should accept, in seconds (our advice; docs/webhooks.md).
DEFAULT_TOLERANCE = 300
SECRET_BYTES = 32


def new_secret() -> str:
    """A fresh signing secret: 32 random bytes, URL-safe text."""
    return "whsec_" + secrets.token_urlsafe(SECRET_BYTES)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Factcheck-Signature value for `body` sent at `timestamp`."""
    signed = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    given: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """Whether `given` signs `body` at `timestamp`, and the timestamp is recent enough."""
    if not timestamp.isascii() or not timestamp.isdigit():
        return False
    moment = int(timestamp)
    if abs((time.time() if now is None else now) - moment) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, moment, body), given.strip())
