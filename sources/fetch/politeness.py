"""Per-host politeness shared by every worker: one request to a host per interval.

Each host has a "next allowed time". Taking a turn atomically reserves the earliest slot
(`max(now, next allowed)`) and pushes the next allowed time one interval further, so two
workers asking at once get two slots an interval apart rather than both going now. With
Redis (FACTCHECK_POLITENESS_REDIS_URL, by default the Celery broker when it is Redis) the
reservation is a Lua script timed by the Redis server's clock, so workers on different
machines agree; without it (embedded broker) a lock in this process does the same job for
the threads of one worker.
"""

from __future__ import annotations

import contextlib
import email.utils
import logging
import math
import threading
import time
from datetime import UTC, datetime
from functools import lru_cache

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

KEY_PREFIX = "factcheck:politeness:"
# A Retry-After or Crawl-delay longer than a day is taken as a day: a typo on the server's
# side should not silence a host for a year.
MAX_DEFER_SECONDS = 86_400.0

# KEYS[1]: the host's key. ARGV: interval ms, longest acceptable wait ms.
# Returns {1, wait_ms} with the slot reserved, or {0, wait_ms} when the wait is too long.
_TAKE_TURN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(now, nxt)
local wait = start - now
if wait > tonumber(ARGV[2]) then return {0, wait} end
local after = start + tonumber(ARGV[1])
redis.call('SET', KEYS[1], after, 'PX', after - now + 1000)
return {1, wait}
"""

# KEYS[1]: the host's key. ARGV[1]: ms from now before the host may be asked again.
_DEFER = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local target = now + tonumber(ARGV[1])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
if nxt < target then redis.call('SET', KEYS[1], target, 'PX', target - now + 1000) end
return target - now
"""


class HostBusy(Exception):
    """The host's next turn is further away than the caller is willing to wait."""

    def __init__(self, host: str, retry_after: float) -> None:
        super().__init__(f"{host} may be asked again in {retry_after:.1f} s")
        self.host = host
        self.retry_after = retry_after


@lru_cache(maxsize=4)
def _client_for(url: str, timeout: float) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)


def redis_client() -> redis.Redis | None:
    """The Redis shared by the workers for politeness and robots.txt, None when there is none."""
    url = getattr(settings, "FACTCHECK_POLITENESS_REDIS_URL", "")
    return _client_for(url, float(settings.FACTCHECK_SERVICE_TIMEOUT)) if url else None


class _LocalClock:
    """The in-process stand-in for the Redis script: same semantics, one process only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def take(self, host: str, interval: float, max_wait: float) -> tuple[bool, float]:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, 0.0))
            if start - now > max_wait:
                return False, start - now
            self._next[host] = start + interval
            return True, start - now

    def defer(self, host: str, seconds: float) -> None:
        with self._lock:
            target = time.monotonic() + seconds
            self._next[host] = max(self._next.get(host, 0.0), target)

    def forget(self, host: str) -> None:
        with self._lock:
            self._next.pop(host, None)

    def clear(self) -> None:
        with self._lock:
            self._next.clear()


_local = _LocalClock()


def _key(host: str) -> str:
    return KEY_PREFIX + host


def _take(host: str, interval: float, max_wait: float) -> tuple[bool, float]:
    client = redis_client()
    if client is not None:
        try:
            ms = (math.ceil(interval * 1000), math.ceil(max_wait * 1000))
            granted, wait_ms = client.eval(_TAKE_TURN, 1, _key(host), *ms)
            return bool(granted), int(wait_ms) / 1000
        except redis.RedisError as exc:
            # Fetching on is better than stopping every worker; each process still keeps
            # its own pace, so a host sees at most one request per interval per worker.
            logger.warning("politeness: Redis unavailable (%s); pacing in this process", exc)
    return _local.take(host, interval, max_wait)


def wait_turn(
    host: str, min_interval: float | None = None, *, max_wait: float | None = None
) -> float:
    """Block until this process may send a request to `host`; the seconds waited.

    `min_interval` is the gap to keep before the *next* request to the host (the caller
    passes the larger of the setting and robots.txt's Crawl-delay). Raises HostBusy, without
    reserving anything, when the turn is more than `max_wait` seconds away.
    """
    host = host.lower()
    interval = settings.FACTCHECK_HOST_MIN_INTERVAL if min_interval is None else min_interval
    limit = settings.FACTCHECK_FETCH_MAX_WAIT if max_wait is None else max_wait
    # A Crawl-delay of a year is taken as a day, like an overlong Retry-After.
    interval = min(max(0.0, interval), MAX_DEFER_SECONDS)
    granted, wait = _take(host, interval, min(max(0.0, limit), MAX_DEFER_SECONDS))
    if not granted:
        raise HostBusy(host, wait)
    if wait > 0:
        time.sleep(wait)
    return wait


def defer_host(host: str, seconds: float) -> None:
    """Ask no worker to contact `host` for `seconds` (a Retry-After); never shortens a wait."""
    host, seconds = host.lower(), min(max(0.0, seconds), MAX_DEFER_SECONDS)
    client = redis_client()
    if client is not None:
        try:
            client.eval(_DEFER, 1, _key(host), math.ceil(seconds * 1000))
            return
        except redis.RedisError as exc:
            logger.warning("politeness: Redis unavailable (%s); deferring in this process", exc)
    _local.defer(host, seconds)


def parse_retry_after(value: str) -> float | None:
    """Seconds from a Retry-After header: either a number of seconds or an HTTP date."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def forget(host: str) -> None:
    """Drop what is known of `host`'s pace (for tests and for editors forcing a recheck)."""
    host = host.lower()
    client = redis_client()
    if client is not None:
        with contextlib.suppress(redis.RedisError):
            client.delete(_key(host))
    _local.forget(host)


def reset_local() -> None:
    """Forget every host's pace in this process (tests)."""
    _local.clear()
