"""Finding an archived copy of a page with the Wayback Machine's availability API.

    GET {FACTCHECK_ARCHIVE_URL}?url=<page>&timestamp=<YYYYMMDDhhmmss>
    -> {"archived_snapshots": {"closest": {"available": true, "url": "...",
                                           "timestamp": "20240101000000", "status": "200"}}}

The request goes through `sources.fetch.fetching.fetch`, like every other outbound request, so it
is held to the same address checks (a misconfigured FACTCHECK_ARCHIVE_URL cannot reach the
service's own network), size limits, timeouts and per-host politeness. robots.txt is not
consulted: this is one API call on an editor's behalf, not crawling.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from django.conf import settings

from sources.fetch import fetching
from sources.fetch.client import FetchOptions

logger = logging.getLogger(__name__)

TIMESTAMP_FORMAT = "%Y%m%d%H%M%S"
MAX_ANSWER_BYTES = 100_000
JSON_TYPES = frozenset({"application/json", "text/json", "text/javascript"})


@dataclass(frozen=True)
class ArchivedCopy:
    url: str
    taken_at: datetime | None


def archive_lookup(*, url: str, near: datetime | None = None) -> ArchivedCopy | None:
    """The archived copy of `url` closest to `near` (now when None); None when there is none
    or the archive cannot be asked now. Never raises for what the network does."""
    endpoint = settings.FACTCHECK_ARCHIVE_URL
    if not endpoint:
        return None
    when = (near or datetime.now(UTC)).astimezone(UTC).strftime(TIMESTAMP_FORMAT)
    try:
        query = str(httpx.URL(endpoint, params={"url": url, "timestamp": when}))
    except (httpx.InvalidURL, TypeError) as exc:
        logger.warning("archive: FACTCHECK_ARCHIVE_URL is unusable: %s", exc)
        return None
    options = FetchOptions.from_settings(
        content_types=JSON_TYPES,
        max_bytes=MAX_ANSWER_BYTES,
        obey_robots=False,
        max_wait=min(settings.FACTCHECK_FETCH_MAX_WAIT, 10.0),
    )
    result = fetching.fetch(query, options=options)
    if not result.ok:
        logger.info("archive: no answer for %s (%s)", url, result.error or result.outcome)
        return None
    return closest_copy(result.body)


def closest_copy(body: bytes) -> ArchivedCopy | None:
    """The available copy the answer names, if it is a page that was read (2xx) at the time."""
    try:
        answer = json.loads(body)
        closest = answer["archived_snapshots"]["closest"]
    except (ValueError, KeyError, TypeError):
        return None  # `archived_snapshots` is {} when nothing is archived
    if not isinstance(closest, dict) or closest.get("available") is not True:
        return None
    copy_url, status = str(closest.get("url") or ""), str(closest.get("status") or "")
    if not copy_url.startswith(("http://", "https://")) or not status.startswith("2"):
        return None  # a copy of a 404 or a redirect is no copy of the article
    return ArchivedCopy(url=_https(copy_url), taken_at=_parse(closest.get("timestamp")))


def _https(copy_url: str) -> str:
    # The API names its copies with http:// although web.archive.org serves them over https.
    if copy_url.startswith("http://web.archive.org/"):
        return "https://" + copy_url.removeprefix("http://")
    return copy_url


def _parse(stamp: object) -> datetime | None:
    try:
        return datetime.strptime(str(stamp), TIMESTAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
