"""The main text and metadata of a fetched page: trafilatura for text, title and author,
htmldate for the dates the publisher gives.

Dates come only from markup and the URL (`extensive_search=False`): htmldate's free-text
search would otherwise turn a footer's "© 2021" into a publication date of 1 January 2021,
and for fact-checking a wrong date is worse than none.
"""

from __future__ import annotations

import logging
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


@dataclass(frozen=True)
class Extracted:
    text: str | None  # None when no main text could be found
    title: str = ""
    author: str = ""
    published_at: datetime | None = None
    modified_at: datetime | None = None
    language: str = ""
    site_name: str = ""  # who the page says published it: og:site_name, JSON-LD, <title>


def extract(
    body: str | bytes, url: str, *, content_type: str = "text/html", encoding: str | None = None
) -> Extracted:
    """What a page says and who said it when; plain text passes through as it is.

    `body` may be bytes (trafilatura and lxml then honour the page's own charset) or text.
    """
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime.startswith("text/") and "html" not in mime and "xml" not in mime:
        return _plain(body, encoding)
    if isinstance(body, bytes) and encoding:
        body = decode(body, encoding)
    if not body or not body.strip():
        return Extracted(text=None)
    document = trafilatura.bare_extraction(body, url=url, with_metadata=True)
    text = getattr(document, "text", None) or None
    root = page_root(body)
    return Extracted(
        text=text.strip() if text else None,
        title=(getattr(document, "title", None) or "").strip(),
        site_name=site_name(getattr(document, "sitename", None), root),
        author=(getattr(document, "author", None) or "").strip(),
        published_at=find_date(body, url, original=True),
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
