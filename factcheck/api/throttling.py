"""Throttles that fail open: when their counters cannot be read (the cache's Redis is down or
hangs), the request goes through, a warning is logged, and /healthz counts it. Pages never
need the cache; the API must not answer 500 to everyone because it is gone."""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import time
from typing import Any

import redis
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

logger = logging.getLogger(__name__)

WARN_EVERY = 60.0  # seconds between two warnings, however many requests fail open
# After a failure the cache is not asked again for this long: while it is down, requests do
# not each wait out its timeout, once per throttle.
SKIP_AFTER_FAILURE = 5.0


class OpenCounter:
    """How many requests went through unthrottled because the counters were unreadable, and
    whether the cache failed so recently that it is not worth asking."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0
        self._warned_at = 0.0
        self._failed_at = -SKIP_AFTER_FAILURE

    def add(self, scope: str, exc: Exception | None = None) -> None:
        with self._lock:
            self.count += 1
            if exc is not None:
                self._failed_at = time.monotonic()
            warn = exc is not None and time.monotonic() - self._warned_at > WARN_EVERY
            if warn:
                self._warned_at = time.monotonic()
        if warn:
            logger.warning(
                "throttle %s: counters unreadable (%s); letting requests through", scope, exc
            )

    def recently_failed(self) -> bool:
        return time.monotonic() - self._failed_at < SKIP_AFTER_FAILURE

    def reset(self) -> None:
        with self._lock:
            self.count, self._warned_at, self._failed_at = 0, 0.0, -SKIP_AFTER_FAILURE


failed_open = OpenCounter()


class FailOpen(BaseThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        scope = getattr(self, "scope", "") or type(self).__name__
        if failed_open.recently_failed():
            failed_open.add(scope)
            return True
        try:
            return bool(super().allow_request(request, view))
        except (redis.RedisError, OSError) as exc:
            failed_open.add(scope, exc)
            return True


# The sliding window in one command: drop what left the window, count what is left, and
# either take a place (-1) or answer the oldest moment still in it, so the caller knows when
# a place frees up. A refused request takes no place.
SLIDING_WINDOW = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
    redis.call('ZADD', key, now, ARGV[4])
    redis.call('EXPIRE', key, math.ceil(window) + 1)
    return '-1'
end
return redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2] or ARGV[1]
"""
SLIDING_WINDOW_SHA = hashlib.sha1(SLIDING_WINDOW.encode()).hexdigest()


class OneRoundTrip(SimpleRateThrottle):
    """DRF's sliding window, kept on Redis in a sorted set and checked by one script, one
    round trip (DRF reads the history, then writes it back: two). Other caches: DRF's way."""

    oldest: float | None = None
    num_requests: Any  # DRF sets both from the rate; None when there is none
    duration: Any

    def allow_request(self, request: Request, view: Any) -> bool:
        backend = caches[DEFAULT_CACHE_ALIAS]
        if self.rate is None or not isinstance(backend, RedisCache):
            self.oldest = None
            return bool(super().allow_request(request, view))
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        key = backend.make_and_validate_key(f"{key}:window")  # not DRF's key: another type
        self.now = self.timer()
        client = redis_client(backend)
        entry = f"{self.now:.6f}-{secrets.token_hex(4)}"
        answer = float(
            sliding_window(client, key, self.now, self.duration, self.num_requests, entry)
        )
        self.oldest = None if answer < 0 else answer
        return self.oldest is None

    def wait(self) -> float | None:
        if self.oldest is None:
            return super().wait()
        return max(self.duration - (self.now - self.oldest), 0.0)


def redis_client(backend: RedisCache) -> redis.Redis:
    """One client a cache backend (and so a thread): making one took a third as long as the
    round trip itself."""
    client: redis.Redis | None = getattr(backend, "_throttle_client", None)
    if client is None:
        client = backend._cache.get_client(write=True)
        backend._throttle_client = client  # type: ignore[attr-defined]
    return client


def sliding_window(client: redis.Redis, key: str, *args: float | str) -> Any:
    """The script by its digest; its text only when this Redis has not seen it yet."""
    try:
        return client.evalsha(SLIDING_WINDOW_SHA, 1, key, *args)
    except redis.exceptions.NoScriptError:
        client.script_load(SLIDING_WINDOW)
        return client.evalsha(SLIDING_WINDOW_SHA, 1, key, *args)


class CallerThrottle(FailOpen, OneRoundTrip):
    """One counter per caller, so one cache round trip a request: the `user` rate for an
    authenticated caller, the `anon` rate, counted by address, for everyone else."""

    scope = "anon"

    def allow_request(self, request: Request, view: Any) -> bool:
        self.choose_rate(request)
        return super().allow_request(request, view)

    def choose_rate(self, request: Request) -> None:
        user = request.user
        self.scope = "user" if user and user.is_authenticated else "anon"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        user = request.user
        ident = user.pk if self.scope == "user" else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
