"""Throttles that fail open: when their counters cannot be read (the cache's Redis is down or
hangs), the request goes through, a warning is logged, and /healthz counts it. Pages never
need the cache; the API must not answer 500 to everyone because it is gone."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import redis
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, BaseThrottle, UserRateThrottle

logger = logging.getLogger(__name__)

WARN_EVERY = 60.0  # seconds between two warnings, however many requests fail open


class OpenCounter:
    """How many requests went through unthrottled because the counters were unreadable."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self._warned_at = 0.0

    def add(self, scope: str, exc: Exception) -> None:
        with self._lock:
            self.count += 1
            warn = time.monotonic() - self._warned_at > WARN_EVERY
            if warn:
                self._warned_at = time.monotonic()
        if warn:
            logger.warning(
                "throttle %s: counters unreadable (%s); letting requests through", scope, exc
            )


failed_open = OpenCounter()


class FailOpen(BaseThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        try:
            return bool(super().allow_request(request, view))
        except (redis.RedisError, OSError) as exc:
            failed_open.add(getattr(self, "scope", "") or type(self).__name__, exc)
            return True


class AnonThrottle(FailOpen, AnonRateThrottle):
    pass


class UserThrottle(FailOpen, UserRateThrottle):
    pass
