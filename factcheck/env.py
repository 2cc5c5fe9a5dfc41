"""Reading configuration from the environment, loudly.

Every helper raises ImproperlyConfigured naming the variable when its value
cannot be understood, so a typo in a deployment fails at start-up rather than
quietly falling back to a default.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}

# Every variable read, with the default it was read with; settings.py keeps a copy of what it
# read (FACTCHECK_ENVIRONMENT_READ), which factcheck.environment's list must match.
READ: dict[str, Any] = {}


def _raw(name: str, default: Any) -> str | None:
    READ.setdefault(name, default)
    return os.environ.get(name)


def env_str(name: str, default: str = "") -> str:
    raw = _raw(name, default)
    return (default if raw is None else raw).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = _raw(name, default)
    if raw is None or raw.strip() == "":
        # Like the other helpers: an empty value is the default, not "off"
        # (SECURE_SSL_REDIRECT= must not quietly turn the redirect off).
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = _raw(name, default)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}; got {value}")
    return value


def env_float(name: str, default: float, *, minimum: float, maximum: float) -> float:
    raw = _raw(name, default)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number; got {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name} must lie between {minimum} and {maximum}; got {value}")
    return value


def env_optional_float(name: str, minimum: float, maximum: float) -> float | None:
    """A number when set, None when unset or empty (so a default can come from elsewhere)."""
    if not (_raw(name, None) or "").strip():
        return None
    return env_float(name, 0.0, minimum=minimum, maximum=maximum)


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = _raw(name, default)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(name: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not a network in CIDR form") from None
    return networks


_RATE_PERIODS = {"s", "sec", "second", "m", "min", "minute", "h", "hour", "d", "day"}


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as `120/min`."""
    value = env_str(name, default)
    count, _, period = value.partition("/")
    if not (count.isdigit() and period in _RATE_PERIODS):
        raise ImproperlyConfigured(
            f"{name} must look like 120/min (per s, min, hour or day); got {value!r}"
        )
    return value
