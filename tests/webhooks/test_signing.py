"""Signing and verifying a body: what a receiver checks."""

from __future__ import annotations

import hashlib
import hmac

from webhooks import signing

BODY = b'{"id":"x","event":"ping","data":{}}'
SECRET = "whsec_test"


def test_the_signature_is_the_hmac_of_the_timestamp_a_dot_and_the_body():
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert signing.signature(SECRET, 1700000000, BODY) == f"sha256={expected}"


def test_a_fresh_signature_verifies():
    given = signing.signature(SECRET, 1700000000, BODY)
    assert signing.verify(SECRET, "1700000000", BODY, given, now=1700000100)


def test_a_changed_body_or_another_secret_does_not_verify():
    given = signing.signature(SECRET, 1700000000, BODY)
    assert not signing.verify(SECRET, "1700000000", BODY + b" ", given, now=1700000000)
    assert not signing.verify("whsec_other", "1700000000", BODY, given, now=1700000000)


def test_an_old_timestamp_is_refused_as_a_replay():
    given = signing.signature(SECRET, 1700000000, BODY)
    assert not signing.verify(SECRET, "1700000000", BODY, given, now=1700000000 + 301)


def test_a_timestamp_that_is_not_a_number_is_refused():
    assert not signing.verify(SECRET, "17e8", BODY, "sha256=00", now=1700000000)


def test_new_secrets_are_long_and_different():
    first, second = signing.new_secret(), signing.new_secret()
    assert first != second
    assert first.startswith("whsec_") and len(first) > 40
