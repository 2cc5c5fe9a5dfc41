"""robots.txt: read once per scheme, host and port, cached, and obeyed.

It is fetched through the same safe fetcher as pages (address checks, politeness, size
limit of FACTCHECK_ROBOTS_MAX_BYTES, the first part kept when longer, as Google does) and
parsed with Protego. What an answer means:

- 2xx: the rules in it (Disallow/Allow, Crawl-delay, Request-rate).
- 404, 410 and other 4xx, a DNS failure, a refused connection, too many redirects: there
  is no robots.txt, so everything is allowed (a dead site then fails on the page itself).
- 401, 403, 451, or a redirect to a refused address: everything is disallowed.
- 5xx, 429, timeouts, resets: unavailable. Like Google, we then fetch nothing from the
  host for now (`allowed` is None and the page fetch is an `error`), and ask again after
  ERROR_CACHE_SECONDS rather than taking an outage as permission.

Answers are cached for FACTCHECK_ROBOTS_CACHE_SECONDS in Django's cache: Redis when
CACHE_URL names one, so one worker's read serves all, else each process's memory. Only one
fetch of an origin's robots.txt is in flight at a time (sources.fetch.locks): checks that
start together wait for it rather than each asking the host.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache
from protego import Protego

from sources.fetch import client, guard, locks
from sources.fetch.client import RobotsAnswer

logger = logging.getLogger(__name__)

KEY_PREFIX = "factcheck:robots:"
ERROR_CACHE_SECONDS = 300

RULES, ALLOW_ALL, DENY_ALL, UNAVAILABLE = "rules", "allow_all", "deny_all", "unavailable"


@dataclass(frozen=True)
class _Entry:
    mode: str
    body: str = ""
    detail: str = ""


def origin_of(url: str) -> str:
    scheme, host, port = guard.split_url(url)
    netloc = f"[{host}]" if ":" in host else host
    if port != guard.DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return f"{scheme}://{netloc}"


def check(url: str, user_agent: str | None = None) -> RobotsAnswer:
    """What the host's robots.txt says about `url` for `user_agent` (ours by default)."""
    agent = user_agent or settings.FACTCHECK_USER_AGENT
    origin = origin_of(url)
    entry = _cached(origin)
    retry_after = None
    if entry is None:
        entry, retry_after = _load_once(origin)
    return _answer(entry, url, agent, retry_after)


def _load_once(origin: str) -> tuple[_Entry, float | None]:
    """One fetch of an origin's robots.txt at a time: checks that start together wait for
    the first, then take its answer from the cache instead of asking the host again."""
    expires = settings.FACTCHECK_FETCH_DEADLINE + settings.FACTCHECK_FETCH_MAX_WAIT + 5
    with locks.held(f"robots:{origin}", expires=expires, wait=expires):
        entry = _cached(origin)  # the one who held the lock may have read it meanwhile
        if entry is not None:
            return entry, None
        return _load(origin)


def allowed(url: str, user_agent: str | None = None) -> bool:
    """True only when robots.txt is known to allow `url` (unreadable counts as no)."""
    return check(url, user_agent).allowed is True


def crawl_delay(url: str, user_agent: str | None = None) -> float | None:
    """Seconds to keep between requests to the host of `url`, when robots.txt asks."""
    return check(url, user_agent).crawl_delay


def _answer(entry: _Entry, url: str, agent: str, retry_after: float | None) -> RobotsAnswer:
    if entry.mode == ALLOW_ALL:
        return RobotsAnswer(allowed=True, detail=entry.detail)
    if entry.mode == DENY_ALL:
        return RobotsAnswer(allowed=False, detail=entry.detail)
    if entry.mode == UNAVAILABLE:
        return RobotsAnswer(allowed=None, detail=entry.detail, retry_after=retry_after)
    rules = Protego.parse(entry.body)
    delay = rules.crawl_delay(agent)
    rate = rules.request_rate(agent)
    if rate is not None and rate.requests:
        delay = max(delay or 0.0, rate.seconds / rate.requests)
    if not rules.can_fetch(url, agent):
        return RobotsAnswer(allowed=False, crawl_delay=delay, detail="robots.txt disallows it.")
    return RobotsAnswer(allowed=True, crawl_delay=delay)


def _load(origin: str) -> tuple[_Entry, float | None]:
    """Fetch and judge robots.txt; cache the judgement for as long as it deserves."""
    options = client.FetchOptions.from_settings(
        max_bytes=settings.FACTCHECK_ROBOTS_MAX_BYTES,
        content_types=None,
        accept_truncated=True,
        obey_robots=False,
    )
    result = client.fetch_url(f"{origin}/robots.txt", options=options)
    entry, seconds = judge(result)
    if seconds > 0:
        _store(origin, entry, seconds)
    return entry, result.retry_after if entry.mode == UNAVAILABLE else None


def judge(result: client.FetchResult) -> tuple[_Entry, float]:
    """The entry a robots.txt fetch gives, and how many seconds to cache it."""
    full = float(settings.FACTCHECK_ROBOTS_CACHE_SECONDS)
    short = min(full, ERROR_CACHE_SECONDS)
    outcome, reason = result.outcome, result.reason
    where = f"robots.txt ({result.error or result.status})"
    if result.ok:
        return _Entry(RULES, body=result.text), full
    other_4xx = outcome is client.Outcome.ERROR and 400 <= (result.status or 0) < 500
    if outcome is client.Outcome.GONE or other_4xx or reason == "too_many_redirects":
        # No robots.txt there. Cache it only when a server said so, not when none answered.
        return _Entry(ALLOW_ALL, detail=f"No {where}."), full if result.status else 0.0
    if outcome is client.Outcome.BLOCKED and reason != "rate_limited":
        seconds = full if result.status else short
        return _Entry(DENY_ALL, detail=f"{where} refuses all access."), seconds
    # 5xx, 429, timeouts, resets: ask again soon; a politeness deferral: ask on the next try.
    seconds = 0.0 if outcome is client.Outcome.DEFERRED else short
    return _Entry(UNAVAILABLE, detail=f"{where} cannot be read now."), seconds


def _key(origin: str) -> str:
    return KEY_PREFIX + origin


def _cached(origin: str) -> _Entry | None:
    try:
        raw = cache.get(_key(origin))
    except Exception as exc:  # a cache outage must not stop fetching: read robots.txt anew
        logger.warning("robots: cache unreadable (%s)", exc)
        return None
    return _Entry(**raw) if isinstance(raw, dict) else None


def _store(origin: str, entry: _Entry, seconds: float) -> None:
    try:
        cache.set(_key(origin), asdict(entry), timeout=max(1, int(seconds)))
    except Exception as exc:
        logger.warning("robots: cache unwritable (%s)", exc)


def forget(url: str) -> None:
    """Drop the cached robots.txt of `url`'s origin, so that the next check reads it anew."""
    cache.delete(_key(origin_of(url)))
