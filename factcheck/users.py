"""The acting user, as every layer asks about it: signed in or not, and allowed or not.

Services record who did what (`created_by`, `actor`, `changed_by`); an anonymous caller or
a background task is recorded as nobody, never as an AnonymousUser row that cannot be saved.
"""

from __future__ import annotations

from typing import Any


def signed_in(user: Any) -> Any:
    """The user when signed in, else None: what a service stores as the person acting."""
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def has_perm(user: Any, perm: str) -> bool:
    """Whether a signed-in user holds `perm` (`app_label.codename`); nobody else does."""
    return signed_in(user) is not None and bool(user.has_perm(perm))
