"""The main text and metadata of a fetched page: trafilatura for text, title and author,
htmldate for the dates the publisher gives.

Dates come only from markup and the URL (`extensive_search=False`): htmldate's free-text
search would otherwise turn a footer's "© 2021" into a publication date of 1 January 2021,
and for fact-checking a wrong date is worse than none. trafilatura's own call to htmldate
is given the same parameters and finds the publication date: with its defaults it ran the
free-text search, the most costly part of reading a page, only for us to throw it away.

A page is read once per distinct body: a server that answers 200 with the same bytes (no
validators, or validators it ignores) is not read again (`extract` keeps the latest
readings of this process, by the body's digest).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

import htmldate
import lxml.html
import trafilatura
from lxml.etree import ParserError
from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# A language tag such as en-GB; longer ones are noise (Source.LANGUAGE_MAX holds the same).
LANGUAGE_TAG_MAX = 16
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": _DATE_FORMAT}
READINGS_KEPT = 256  # pages of ~10-100 kB of text each: a few MB per process at most


@dataclass(frozen=True)
class Extracted:
    text: str | None  # None when no main text could be found
    title: str = ""
    author: str = ""
    published_at: datetime | None = None
    modified_at: datetime | None = None
    language: str = ""
    site_name: str = ""  # who the page says published it: og:site_name, JSON-LD, <title>


class _Readings:
    """The latest pages read in this process, by digest of what was read; thread-safe."""

    def __init__(self, size: int) -> None:
        self.size, self._lock = size, threading.Lock()
        self._kept: OrderedDict[str, Extracted] = OrderedDict()

    def get(self, key: str) -> Extracted | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: str, page: Extracted) -> None:
        with self._lock:
            self._kept[key] = page
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


readings = _Readings(READINGS_KEPT)


def extract(
    body: str | bytes, url: str, *, content_type: str = "text/html", encoding: str | None = None
) -> Extracted:
    """What a page says and who said it when; plain text passes through as it is.

    `body` may be bytes (trafilatura and lxml then honour the page's own charset) or text.
    The same body at the same address, with the same type, is read once (`readings`).
    """
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    key = "\0".join([hashlib.sha256(data).hexdigest(), url, content_type, encoding or ""])
    page = readings.get(key)
    if page is None:
        page = _read(body, url, content_type=content_type, encoding=encoding)
        readings.put(key, page)
    return page


def _read(body: str | bytes, url: str, *, content_type: str, encoding: str | None) -> Extracted:
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime.startswith("text/") and "html" not in mime and "xml" not in mime:
        return _plain(body, encoding)
    if isinstance(body, bytes) and encoding:
        body = decode(body, encoding)
    if not body or not body.strip():
        return Extracted(text=None)
    document = trafilatura.bare_extraction(
        body, url=url, with_metadata=True, date_extraction_params=dict(_DATE_PARAMS)
    )
    text = getattr(document, "text", None) or None
    root = page_root(body)
    return Extracted(
        text=text.strip() if text else None,
        title=(getattr(document, "title", None) or "").strip(),
        site_name=site_name(getattr(document, "sitename", None), root),
        author=(getattr(document, "author", None) or "").strip(),
        published_at=as_utc(getattr(document, "date", None)),
        modified_at=find_date(body, url, original=False),
        language=(getattr(document, "language", None) or root_language(root)),
    )


# "Headline | The Daily Example", "Headline - Example News", "Headline — Example".
TITLE_SEPARATORS = (" | ", " – ", " — ", " - ", " :: ")
SITE_NAME_MAX_WORDS = 6


def site_name(found: str | None, root: HtmlElement | None) -> str:
    """The publisher's name as the page gives it: trafilatura's reading of og:site_name and
    the JSON-LD publisher, else the last part of the <title>. A bare domain is no name."""
    name = " ".join((found or "").split())
    if name and not looks_like_domain(name):
        return name
    title = " ".join((root.findtext(".//title") or "").split()) if root is not None else ""
    suffix = title_suffix(title)
    return suffix if suffix and not looks_like_domain(suffix) else ""


def looks_like_domain(name: str) -> bool:
    return " " not in name and "." in name.strip(".")


def title_suffix(title: str) -> str:
    for separator in TITLE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        tail = tail.strip()
        if found and head.strip() and tail and len(tail.split()) <= SITE_NAME_MAX_WORDS:
            return tail
    return ""


def page_root(body: str | bytes) -> HtmlElement | None:
    """The page parsed once for what trafilatura leaves out (language, title)."""
    try:
        return lxml.html.document_fromstring(body)
    except (ParserError, ValueError):
        return None


def _plain(body: str | bytes, encoding: str | None) -> Extracted:
    text = decode(body, encoding or "utf-8") if isinstance(body, bytes) else body
    return Extracted(text=text.strip() or None)


def decode(body: bytes, encoding: str) -> str:
    try:
        return body.decode(encoding, errors="replace")
    except LookupError:  # a charset Python does not know: UTF-8 is the best guess
        return body.decode("utf-8", errors="replace")


def find_date(body: str | bytes, url: str, *, original: bool) -> datetime | None:
    """The publication (`original`) or last-update date the page states, in UTC."""
    try:
        found = htmldate.find_date(
            body, url=url, original_date=original, extensive_search=False, outputformat=_DATE_FORMAT
        )
    except (ValueError, TypeError) as exc:  # htmldate gives up on some broken markup
        logger.debug("htmldate failed on %s: %s", url, exc)
        return None
    return as_utc(found)


def as_utc(found: str | None) -> datetime | None:
    """A date htmldate gave in _DATE_FORMAT, in UTC."""
    if not found:
        return None
    when = datetime.fromisoformat(found)
    if when.tzinfo is None:  # the page gave a day or a time without a zone: take it as UTC
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def html_language(body: str | bytes) -> str:
    """The `lang` of the <html> element, which trafilatura leaves to a language detector."""
    return root_language(page_root(body))


def root_language(root: HtmlElement | None) -> str:
    if root is None:
        return ""
    return (root.get("lang") or "").strip()[:LANGUAGE_TAG_MAX]
