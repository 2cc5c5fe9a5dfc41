"""Validators and cache headers for the public pages.

Each page has a stamp: an ETag and a Last-Modified moment computed from a single cheap
query, before any rendering. A conditional GET that matches is answered 304 at once.
The ETag also names the version of the templates and stylesheet (a digest of their files,
taken at start-up), so a deploy that changes the markup never revalidates old copies.
"""

from __future__ import annotations

import datetime
import hashlib
from calendar import timegm
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.http import HttpResponse
from django.http.request import HttpRequest
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

PUBLIC_MAX_AGE = 60
APP_DIR = Path(__file__).resolve().parent


def _markup_digest() -> str:
    files = sorted(
        [
            *(APP_DIR / "templates" / "claims").rglob("*.html"),
            *(APP_DIR / "static" / "claims").rglob("*.css"),
            *(APP_DIR / "templatetags").rglob("*.py"),
        ]
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


MARKUP_VERSION = _markup_digest()


@dataclass(frozen=True)
class Stamp:
    """What a page's validators are made of; `parts` must change whenever the page does."""

    parts: tuple[object, ...]
    modified: datetime.datetime | None

    @property
    def etag(self) -> str:
        raw = "|".join(str(part) for part in (MARKUP_VERSION, *self.parts))
        return '"' + hashlib.sha256(raw.encode()).hexdigest()[:24] + '"'

    @property
    def timestamp(self) -> int | None:
        return timegm(self.modified.utctimetuple()) if self.modified else None


def latest(*moments: datetime.datetime | None) -> datetime.datetime | None:
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def respond(
    request: HttpRequest,
    stamp: Stamp,
    build: Callable[[], HttpResponse],
    *,
    shared: bool,
    vary: bool = True,
) -> HttpResponse:
    """304 when the reader's copy is current; otherwise build the page. `shared` says whether
    any cache may keep it: never for an editor's view, which can show unpublished claims;
    `vary` whether the page depends on who asks (the feeds do not)."""
    response = get_conditional_response(request, etag=stamp.etag, last_modified=stamp.timestamp)
    if response is None:
        response = build()
    if response.status_code not in (200, 304):
        return response  # an error (a 400 for bad filters) is neither validated nor kept
    response.headers["ETag"] = stamp.etag
    if stamp.timestamp is not None:
        response.headers["Last-Modified"] = http_date(stamp.timestamp)
    cache_headers(response, shared=shared, vary=vary)
    return response


def cache_headers(response: HttpResponse, *, shared: bool, vary: bool = True) -> HttpResponse:
    if shared:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
    if vary:
        # The same address shows editors more than readers: caches must key on the session.
        patch_vary_headers(response, ["Cookie"])
    return response
