"""Normalising source URLs, so that one article is one Source however it was linked."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that identify a campaign or a click, never the article.
TRACKING_PARAMETERS = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "utm_id",
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


class InvalidSourceURL(ValueError):
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
    host = hostname.rstrip(".").encode("idna").decode("ascii").lower()
    default_port = {"http": 80, "https": 443}[scheme]
    netloc = f"[{host}]" if ":" in host else host
    if port and port != default_port:
        netloc = f"{netloc}:{port}"
    rebuilt = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    cleaned = url_query_cleaner(rebuilt, TRACKING_PARAMETERS, remove=True, keep_fragments=False)
    return canonicalize_url(cleaned, keep_fragments=False)


def domain_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def parent_domains(domain: str) -> list[str]:
    """`uk.news.example.com` → [`uk.news.example.com`, `news.example.com`, `example.com`]."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or [domain]
