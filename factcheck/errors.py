"""What every layer raises when what it was given cannot be used.

A service refusing its input raises a BadInput (or Django's ValidationError); the API's
exception handler answers every one of them with a 400, so a new one can never become a 500.
"""

from __future__ import annotations


class BadInput(ValueError):
    """The caller's input cannot be used; the message says why, in words."""
