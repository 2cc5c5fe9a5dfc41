"""Normalising source URLs, so that one article is one Source however it was linked."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from factcheck.errors import BadInput

# Query parameters that identify a campaign or a click, never the article
# (and any parameter named utm_…).
TRACKING_PREFIX = "utm_"
TRACKING_PARAMETERS = (
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "ocid",
    "cmpid",
    "smid",
    "ref_src",
    "_ga",
)
MAX_URL_LENGTH = 2000
MAX_HOST_LENGTH = 253  # DNS's limit, and PublisherDomain.domain's
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*|\[[0-9a-f:.]+\]")


class InvalidSourceURL(BadInput):
    """The text cannot be the address of a source."""


def normalise_url(raw: str) -> str:
    url = (raw or "").strip()
    if not url:
        raise InvalidSourceURL("Enter a URL.")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidSourceURL(f"A URL may have at most {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        port = parts.port
    except ValueError as exc:
        raise InvalidSourceURL(f"Not a valid URL: {exc}.") from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise InvalidSourceURL("Only http and https URLs can be sources.")
    if not hostname:
        raise InvalidSourceURL("The URL has no host name.")
    if parts.username or parts.password:
        raise InvalidSourceURL("A source URL may not carry a user name or password.")
    netloc = _netloc(hostname, port, default_port={"http": 80, "https": 443}[scheme])
    # A % that starts no escape is a literal one: encode it, or canonicalising
    # would read it together with what follows ("%%41" → "%A" …) and not be stable.
    path, query = (_STRAY_PERCENT.sub("%25", part) for part in (parts.path or "/", parts.query))
    rebuilt = urlunsplit((scheme, netloc, path, query, ""))
    canonical = urlsplit(canonicalize_url(rebuilt, keep_fragments=False))
    normal = urlunsplit(canonical._replace(query=_without_tracking(canonical.query)))
    if len(normal) > MAX_URL_LENGTH:
        raise InvalidSourceURL(f"A URL may have at most {MAX_URL_LENGTH} characters.")
    return normal


def _netloc(hostname: str, port: int | None, *, default_port: int) -> str:
    try:
        host = hostname.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidSourceURL("The URL's host name is not valid.") from None
    netloc = f"[{host}]" if ":" in host else host
    if len(host) > MAX_HOST_LENGTH or not _HOST.fullmatch(netloc):
        raise InvalidSourceURL("The URL's host name is not valid.")
    if port and port != default_port:
        netloc = f"{netloc}:{port}"
    return netloc


def _without_tracking(query: str) -> str:
    """Drop tracking parameters, keeping every other pair (repeated ones too) in order."""

    def tracking(pair: str) -> bool:
        name = pair.split("=", 1)[0].lower()
        return name.startswith(TRACKING_PREFIX) or name in TRACKING_PARAMETERS

    return "&".join(pair for pair in query.split("&") if pair and not tracking(pair))


def domain_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def parent_domains(domain: str) -> list[str]:
    """`uk.news.example.com` → [`uk.news.example.com`, `news.example.com`, `example.com`]."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or [domain]
