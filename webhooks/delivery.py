"""One POST of a webhook, through the same SSRF guard as the fetcher.

Every attempt resolves the URL's host again and is refused unless every address is public
(or in FACTCHECK_FETCH_ALLOWED_NETS); the connection goes to exactly those addresses
(sources.fetch.guard's PinnedBackend). Redirects are never followed: a 3xx is a failed
delivery. At most 64 KB of the answer is read, under short timeouts and an overall deadline.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum

import httpx
from django.conf import settings

from sources.fetch import guard, politeness
from sources.fetch.guard import PinnedBackend, PinnedTransport

MAX_RESPONSE_BYTES = 64 * 1024
EXCERPT_BYTES = 1024
RETRYABLE_STATUSES = frozenset({408, 429})


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"  # worth trying again later: 5xx, 408, 429, timeouts, network trouble
    FINAL = "final"  # no use trying again: other 4xx, 3xx, a refused address


@dataclass(frozen=True)
class Answer:
    """What came of one attempt."""

    outcome: Outcome
    status: int | None = None
    error: str = ""
    excerpt: str = ""
    retry_after: float | None = None
    duration: float = 0.0


def judge_status(status: int) -> Outcome:
    if 200 <= status < 300:
        return Outcome.DELIVERED
    if status in RETRYABLE_STATUSES or status >= 500:
        return Outcome.RETRY
    return Outcome.FINAL


class DeadlineExceeded(Exception):
    pass


class Poster:
    """A pinned HTTP client for a run of deliveries (one subscription's, usually): the
    connection may be kept alive between them, but every POST checks its host again."""

    def __init__(self, user_agent: str | None = None) -> None:
        self.backend = PinnedBackend()
        self.client = httpx.Client(
            transport=PinnedTransport(self.backend),
            follow_redirects=False,
            trust_env=False,  # a proxy from the environment would bypass the pinning
            headers={"User-Agent": user_agent or settings.FACTCHECK_USER_AGENT},
        )

    def close(self) -> None:
        self.client.close()

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Answer:
        started = time.monotonic()
        answer = self._post(url, body, headers, started)
        return _with_duration(answer, time.monotonic() - started)

    def _post(self, url: str, body: bytes, headers: dict[str, str], started: float) -> Answer:
        try:
            checked = guard.check_url(url)
            self.backend.pin(httpx.URL(url).raw_host.decode("ascii"), checked.addresses)
        except guard.RefusedURL as exc:  # a refused address included
            return Answer(Outcome.FINAL, error=f"Refused: {exc}")
        except guard.Unresolvable as exc:
            return Answer(Outcome.RETRY, error=str(exc))
        except httpx.InvalidURL as exc:
            return Answer(Outcome.FINAL, error=f"Not a valid URL: {exc}.")
        try:
            return self._send(url, body, headers, started)
        except (DeadlineExceeded, httpx.TimeoutException):
            limit = settings.FACTCHECK_WEBHOOK_TIMEOUT
            return Answer(Outcome.RETRY, error=f"No answer within {limit} s.")
        except httpx.HTTPError as exc:
            return Answer(Outcome.RETRY, error=f"{type(exc).__name__}: {exc}"[:500])

    def _send(self, url: str, body: bytes, headers: dict[str, str], started: float) -> Answer:
        deadline = started + settings.FACTCHECK_WEBHOOK_TIMEOUT
        timeout = httpx.Timeout(
            settings.FACTCHECK_WEBHOOK_TIMEOUT, connect=settings.FACTCHECK_WEBHOOK_CONNECT_TIMEOUT
        )
        request = self.client.build_request("POST", url, content=body, headers=headers)
        request.extensions["timeout"] = timeout.as_dict()
        response = self.client.send(request, stream=True)
        try:
            read = _read_limited(response, deadline)
        finally:
            response.close()
        outcome = judge_status(response.status_code)
        error = "" if outcome is Outcome.DELIVERED else _status_words(response)
        return Answer(
            outcome,
            status=response.status_code,
            error=error,
            excerpt=read[:EXCERPT_BYTES].decode("utf-8", errors="replace"),
            retry_after=politeness.parse_retry_after(response.headers.get("retry-after", "")),
        )


def _status_words(response: httpx.Response) -> str:
    said = f"HTTP {response.status_code} {response.reason_phrase}".strip()
    if 300 <= response.status_code < 400:
        return f"{said}: redirects are not followed; give the final URL."
    return said


def _read_limited(response: httpx.Response, deadline: float) -> bytes:
    """At most MAX_RESPONSE_BYTES of the body, and no longer than the deadline."""
    chunks, size = [], 0
    for chunk in response.iter_raw():
        if time.monotonic() > deadline:
            raise DeadlineExceeded
        chunks.append(chunk)
        size += len(chunk)
        if size >= MAX_RESPONSE_BYTES:
            break
    return b"".join(chunks)[:MAX_RESPONSE_BYTES]


def _with_duration(answer: Answer, seconds: float) -> Answer:
    return Answer(
        answer.outcome, answer.status, answer.error, answer.excerpt, answer.retry_after, seconds
    )


@contextmanager
def poster() -> Iterator[Poster]:
    made = Poster()
    try:
        yield made
    finally:
        made.close()
