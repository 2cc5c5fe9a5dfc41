"""The HTTP client under every fetch: one URL, safely and politely, and what came of it.

`fetch_url()` follows redirects itself (at most FACTCHECK_FETCH_MAX_REDIRECTS), and on every
hop: checks the scheme and the addresses (sources.fetch.guard), asks the robots gate when
the options carry one (sources.fetch.fetching gives it sources.fetch.robots; robots.txt
itself is fetched without one), waits for the host's turn (sources.fetch.politeness), then
connects to exactly the addresses that were checked. The body is streamed and cut at a size
limit, under connect and read timeouts and an overall deadline. Callers use
sources.fetch.fetching.fetch, which obeys robots.txt.

Outcomes (FetchResult.outcome), for the recheck service to turn into a source's health:
- ok: a page was read. not_modified: a 304 to our conditional request.
- moved: a page was read after a permanent redirect (301/308); `moved_to` is the new URL.
- blocked: 401, 403, 429, 451, robots.txt, or an address or scheme we refuse.
- error: transient or inconclusive: 5xx, timeouts, resets, other 4xx, too many redirects,
  robots.txt unreadable now, and pages we refuse to keep (too large, content type).
- gone: the dead kind: 404, 410, DNS failure, connection refused, soft 404.
- deferred: nothing was sent: the host's politeness turn is too far away; retry later.
`reason` names the cause in one word for code; `error` says it for people.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum

import httpx
from django.conf import settings

from sources.addresses import domain_of
from sources.fetch import guard, politeness
from sources.fetch.guard import PinnedBackend, PinnedTransport

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
KEPT_HEADERS = (
    "content-type",
    "content-length",
    "content-language",
    "etag",
    "last-modified",
    "date",
    "location",
    "retry-after",
    "x-robots-tag",
)


PLAIN_REASONS = {
    "dns": "The address does not exist: the site's name cannot be found. Is the URL mistyped?",
    "connection_refused": "Nothing answers at that address.",
    "timeout": "The site did not answer in time; it may be slow or down.",
    "deadline": "The site did not answer in time; it may be slow or down.",
    "robots": "The site's robots.txt does not allow us to read the page.",
    "soft_404": "The page is gone: the link now leads to the site's home page.",
    "rate_limited": "The site asked us to slow down (HTTP 429); we will try again later.",
    "too_many_redirects": "The address redirects too many times.",
    "refused_address": "The address is on a private network, which we do not fetch.",
}


class Outcome(StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not_modified"
    MOVED = "moved"
    BLOCKED = "blocked"
    ERROR = "error"
    GONE = "gone"
    DEFERRED = "deferred"


@dataclass
class FetchResult:
    url: str
    outcome: Outcome
    reason: str = ""
    error: str = ""
    final_url: str = ""
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    encoding: str | None = None
    body: bytes = b""
    truncated: bool = False
    retry_after: float | None = None
    moved_to: str = ""
    redirects: list[tuple[int, str]] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        """A page was read (possibly after a permanent move)."""
        return self.outcome in (Outcome.OK, Outcome.MOVED)

    def in_plain_words(self) -> str:
        """Why the page could not be read, as an editor would want to hear it."""
        said = PLAIN_REASONS.get(self.reason)
        if said:
            return said
        status = self.status or 0
        if self.reason.startswith("http_") and status in (404, 410):
            return f"The page was not found (HTTP {status}): is the URL right?"
        if status in (401, 403, 451):
            return f"The site does not let us read the page (HTTP {status})."
        if status >= 500:
            return f"The site answered with a server error (HTTP {status}); it may pass."
        if status >= 400:
            return f"The site refused the request (HTTP {status})."
        return self.error or "The page could not be read."

    @property
    def text(self) -> str:
        try:
            return self.body.decode(self.encoding or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know: UTF-8 is the best guess
            return self.body.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class RobotsAnswer:
    """Whether a URL may be fetched: True, False, or None when robots.txt cannot be read now."""

    allowed: bool | None
    crawl_delay: float | None = None
    detail: str = ""
    retry_after: float | None = None


# (url, user agent) → what robots.txt says; sources.fetch.robots.check is the one in use.
RobotsGate = Callable[[str, str], RobotsAnswer]


@dataclass(frozen=True)
class FetchOptions:
    """Limits for one fetch; `from_settings()` reads them at call time (tests override)."""

    user_agent: str
    max_bytes: int
    content_types: frozenset[str] | None  # None: any type (robots.txt)
    connect_timeout: float
    read_timeout: float
    deadline: float
    max_redirects: int
    max_wait: float
    accept_truncated: bool = False  # robots.txt: parse the first part, as Google does
    obey_robots: bool = True
    robots_gate: RobotsGate | None = None  # set by sources.fetch.fetching when obeying
    ssl_context: ssl.SSLContext | None = None  # a private CA (tests, intranets)

    @classmethod
    def from_settings(cls, **overrides: object) -> FetchOptions:
        options = cls(
            user_agent=settings.FACTCHECK_USER_AGENT,
            max_bytes=settings.FACTCHECK_FETCH_MAX_BYTES,
            content_types=frozenset(t.lower() for t in settings.FACTCHECK_FETCH_CONTENT_TYPES),
            connect_timeout=settings.FACTCHECK_FETCH_CONNECT_TIMEOUT,
            read_timeout=settings.FACTCHECK_FETCH_READ_TIMEOUT,
            deadline=settings.FACTCHECK_FETCH_DEADLINE,
            max_redirects=settings.FACTCHECK_FETCH_MAX_REDIRECTS,
            max_wait=settings.FACTCHECK_FETCH_MAX_WAIT,
        )
        return replace(options, **overrides)  # type: ignore[arg-type]


class _DeadlineExceeded(Exception):
    pass


class _Clock:
    """The overall deadline for the requests of one fetch; `_hop` extends it by the time
    spent on DNS, robots.txt and waiting for the host's turn."""

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds

    def extend(self, seconds: float) -> None:
        self.ends += seconds

    def remaining(self) -> float:
        left = self.ends - time.monotonic()
        if left <= 0:
            raise _DeadlineExceeded
        return left


@dataclass
class _Redirect:
    status: int
    target: str


def fetch_url(
    url: str, *, etag: str = "", last_modified: str = "", options: FetchOptions | None = None
) -> FetchResult:
    """Fetch `url` (conditionally when `etag`/`last_modified` are known); never raises for
    anything the network or the server does."""
    opts = options or FetchOptions.from_settings()
    started = time.monotonic()
    conditional = {}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    backend = PinnedBackend()
    with _client(opts, backend) as client:
        result = _follow(client, backend, url, conditional, opts)
    result.elapsed = time.monotonic() - started
    return result


@contextmanager
def _client(opts: FetchOptions, backend: PinnedBackend) -> Iterator[httpx.Client]:
    headers = {
        "User-Agent": opts.user_agent,
        "Accept": ", ".join([*sorted(opts.content_types or ()), "*/*;q=0.1"]),
        "Accept-Encoding": "gzip, deflate",
    }
    client = httpx.Client(
        transport=PinnedTransport(backend, opts.ssl_context),
        headers=headers,
        follow_redirects=False,
        trust_env=False,  # a proxy from the environment would bypass the address pinning
    )
    with client:
        yield client


def _follow(
    client: httpx.Client,
    backend: PinnedBackend,
    url: str,
    conditional: dict[str, str],
    opts: FetchOptions,
) -> FetchResult:
    clock = _Clock(opts.deadline)
    redirects: list[tuple[int, str]] = []
    current = url
    for hop in range(opts.max_redirects + 1):
        step = _hop(client, backend, current, conditional if hop == 0 else {}, opts, clock)
        if isinstance(step, FetchResult):
            return _finish(step, url, redirects)
        redirects.append((step.status, step.target))
        current = step.target
    result = FetchResult(
        url=url,
        outcome=Outcome.ERROR,
        reason="too_many_redirects",
        error=f"More than {opts.max_redirects} redirects.",
        final_url=current,
    )
    return _finish(result, url, redirects)


def _finish(result: FetchResult, url: str, redirects: list[tuple[int, str]]) -> FetchResult:
    """Name the chain's consequences: a permanent move, or a deep link sent home (soft 404)."""
    result.url = url
    result.redirects = redirects
    result.final_url = result.final_url or url
    moved_to = ""
    for status, target in redirects:
        if status not in PERMANENT_REDIRECTS:
            break
        moved_to = target  # only an unbroken run of permanent hops moves the original
    result.moved_to = moved_to
    if result.outcome is Outcome.OK and redirects and is_soft_404(url, result.final_url):
        result.outcome, result.reason = Outcome.GONE, "soft_404"
        result.error = f"A deep link was redirected to the site's home page {result.final_url}."
        result.body = b""
    elif result.outcome is Outcome.OK and moved_to:
        result.outcome = Outcome.MOVED
    return result


def is_soft_404(original: str, final: str) -> bool:
    """A deep link that ends on the home page of the same site: the article is gone."""
    before, after = httpx.URL(original), httpx.URL(final)
    deep = before.path not in ("", "/") or bool(before.query)
    home = after.path in ("", "/") and not after.query
    return deep and home and same_site(domain_of(original), domain_of(final))


def same_site(a: str, b: str) -> bool:
    """`news.example.com` and `example.com` are one site; without a public-suffix list we
    call two hosts one site when one is the other or a subdomain of it."""
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def _hop(
    client: httpx.Client,
    backend: PinnedBackend,
    url: str,
    extra_headers: dict[str, str],
    opts: FetchOptions,
    clock: _Clock,
) -> FetchResult | _Redirect:
    """One request: check, ask robots.txt, wait our turn, send, and read or redirect.

    The deadline covers this request only: resolving, robots.txt (a fetch with its own
    deadline) and waiting for the host's turn are left out of it.
    """
    started = time.monotonic()
    prepared = _prepare(url, backend, opts)
    if isinstance(prepared, FetchResult):
        return prepared
    host, interval = prepared
    try:
        politeness.wait_turn(host, interval, max_wait=opts.max_wait)
    except politeness.HostBusy as busy:
        return _failure(url, Outcome.DEFERRED, "host_busy", str(busy), retry=busy.retry_after)
    clock.extend(time.monotonic() - started)
    try:
        return _send(client, url, extra_headers, opts, clock)
    except httpx.InvalidURL as exc:
        return _failure(url, Outcome.ERROR, "bad_redirect", f"Unusable redirect: {exc}.")
    except _DeadlineExceeded:
        return _failure(url, Outcome.ERROR, "deadline", f"No answer within {opts.deadline} s.")
    except httpx.TimeoutException as exc:
        return _failure(url, Outcome.ERROR, "timeout", f"Timed out: {exc or type(exc).__name__}.")
    except httpx.ConnectError as exc:
        return _connect_failure(url, exc)
    except httpx.HTTPError as exc:
        return _failure(url, Outcome.ERROR, "network", f"{type(exc).__name__}: {exc}")


def _prepare(
    url: str, backend: PinnedBackend, opts: FetchOptions
) -> FetchResult | tuple[str, float]:
    """Pin the checked addresses and consult robots.txt; the host and its interval."""
    try:
        checked = guard.check_url(url)
    except guard.RefusedAddress as exc:
        return _failure(url, Outcome.BLOCKED, "refused_address", str(exc))
    except guard.RefusedURL as exc:
        return _failure(url, Outcome.BLOCKED, "refused_url", str(exc))
    except guard.Unresolvable as exc:
        return _failure(url, Outcome.GONE, "dns", str(exc))
    try:  # pin under the name exactly as httpcore will hand it to the backend
        backend.pin(httpx.URL(url).raw_host.decode("ascii"), checked.addresses)
    except httpx.InvalidURL as exc:
        return _failure(url, Outcome.BLOCKED, "refused_url", f"Not a valid URL: {exc}.")
    interval = float(settings.FACTCHECK_HOST_MIN_INTERVAL)
    if opts.robots_gate is not None:
        answer = opts.robots_gate(url, opts.user_agent)
        if answer.allowed is False:
            return _failure(url, Outcome.BLOCKED, "robots", answer.detail)
        if answer.allowed is None:
            outcome = Outcome.DEFERRED if answer.retry_after else Outcome.ERROR
            return _failure(url, outcome, "robots_unavailable", answer.detail, answer.retry_after)
        interval = max(interval, answer.crawl_delay or 0.0)
    return checked.host, interval


def _failure(
    url: str, outcome: Outcome, reason: str, error: str, retry: float | None = None
) -> FetchResult:
    return FetchResult(
        url=url, outcome=outcome, reason=reason, error=error, final_url=url, retry_after=retry
    )


def _connect_failure(url: str, exc: httpx.ConnectError) -> FetchResult:
    """A refused connection means nobody serves there (dead kind); anything else may pass."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return _failure(url, Outcome.GONE, "connection_refused", "The connection was refused.")
        cause = cause.__cause__ or cause.__context__
    return _failure(url, Outcome.ERROR, "connect", f"Could not connect: {exc}.")


def _timeout(opts: FetchOptions, clock: _Clock) -> httpx.Timeout:
    left = clock.remaining()
    return httpx.Timeout(
        connect=min(opts.connect_timeout, left),
        read=min(opts.read_timeout, left),
        write=min(opts.read_timeout, left),
        pool=min(opts.connect_timeout, left),
    )


def _send(
    client: httpx.Client,
    url: str,
    extra_headers: dict[str, str],
    opts: FetchOptions,
    clock: _Clock,
) -> FetchResult | _Redirect:
    timeout = _timeout(opts, clock)
    with client.stream("GET", url, headers=extra_headers, timeout=timeout) as response:
        location = response.headers.get("location")
        if response.status_code in REDIRECT_STATUSES and location:
            return _redirect(response, location)
        result = _describe(url, response)
        if response.status_code in (429, 503) and result.retry_after is not None:
            politeness.defer_host(guard.split_url(url)[1], result.retry_after)
        if result.outcome is Outcome.OK:
            _read_body(response, result, opts, clock)
        return result


def _redirect(response: httpx.Response, location: str) -> _Redirect:
    target = response.url.join(location).copy_with(fragment=None)
    return _Redirect(status=response.status_code, target=str(target))


def _describe(url: str, response: httpx.Response) -> FetchResult:
    """Everything the status line and headers say, before any of the body is read."""
    headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
    mime = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    outcome, reason = classify_status(response.status_code)
    return FetchResult(
        url=url,
        outcome=outcome,
        reason=reason,
        error="" if outcome in (Outcome.OK, Outcome.NOT_MODIFIED) else _status_text(response),
        final_url=str(response.url),
        status=response.status_code,
        headers=headers,
        etag=headers.get("etag", ""),
        last_modified=headers.get("last-modified", ""),
        content_type=mime,
        encoding=response.charset_encoding,
        retry_after=politeness.parse_retry_after(headers.get("retry-after", "")),
    )


def _status_text(response: httpx.Response) -> str:
    return f"HTTP {response.status_code} {response.reason_phrase}".strip()


def classify_status(status: int) -> tuple[Outcome, str]:
    """The outcome a final (non-redirect) status means, and its one-word reason."""
    if 200 <= status < 300:
        return Outcome.OK, ""
    if status == 304:
        return Outcome.NOT_MODIFIED, ""
    if status in (401, 403, 451):
        return Outcome.BLOCKED, f"http_{status}"
    if status == 429:
        return Outcome.BLOCKED, "rate_limited"
    if status in (404, 410):
        return Outcome.GONE, f"http_{status}"
    # Other 4xx (400, 405, …) say little about the article; 5xx are the server's trouble.
    return Outcome.ERROR, f"http_{status}"


def _read_body(
    response: httpx.Response, result: FetchResult, opts: FetchOptions, clock: _Clock
) -> None:
    """Stream the body into `result`. A type we do not read, or a page over the limit, is
    refused (outcome error, no body): a page cut short would pass for a changed page."""
    if opts.content_types is not None and result.content_type not in opts.content_types:
        shown = result.content_type or "(none given)"
        _refuse(result, "content_type", f"Content type {shown} is not one we read.")
        return
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > opts.max_bytes and not opts.accept_truncated:
        result.truncated = True
        size = f"The page is {int(declared):,} bytes; the limit is {opts.max_bytes:,}."
        _refuse(result, "too_large", size)
        return
    result.body, result.truncated = _read_limited(response, opts.max_bytes, clock)
    if result.truncated and not opts.accept_truncated:
        size = f"The page is larger than the limit of {opts.max_bytes:,} bytes."
        _refuse(result, "too_large", size)


def _refuse(result: FetchResult, reason: str, error: str) -> None:
    result.outcome, result.reason, result.error, result.body = Outcome.ERROR, reason, error, b""


def _read_limited(response: httpx.Response, limit: int, clock: _Clock) -> tuple[bytes, bool]:
    """At most `limit` decoded bytes, checking the overall deadline between chunks."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        clock.remaining()
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return b"".join(chunks)[:limit], True
    return b"".join(chunks), False
