"""Which claims a text speaks to, for callers and for link offers.

The index over every claim's text (analysis.matching) is kept once per process and
rebuilt only when a claim's text changes; the claims' change marks (claims.marks: the
latest save, and what moves when a claim is removed) say when to look, without counting
the table. Searches never show a caller a claim they may not see.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from analysis.assessment import assess
from analysis.matching import ClaimIndex, ClaimText, build_index
from claims.marks import claims_change_marks
from claims.models import Claim
from sources.addresses import InvalidSourceURL, normalise_url
from sources.fetch.client import FetchOptions, FetchResult
from sources.fetch.extraction import extract
from sources.fetch.fetching import fetch
from sources.models import Source
from sources.selectors import sources_visible_to

logger = logging.getLogger(__name__)

# At most this many matches are read to find `limit` that the caller may see.
SCAN_LIMIT = 500
# Saves are re-read this far back: a transaction may commit a claim saved before the last
# look, and its time would otherwise be behind the stamp already.
REREAD_MARGIN = timedelta(minutes=5)
# A page fetched for a match request: an API caller is waiting, so shorter than a recheck.
MATCH_FETCH_DEADLINE = 20.0
MATCH_FETCH_MAX_WAIT = 5.0
REFUSED_REASONS = frozenset({"refused_address", "refused_url"})


@dataclass(frozen=True)
class Thresholds:
    method: str
    suggest_at: float  # worth showing
    strong_at: float  # offered to editors without being asked


@dataclass(frozen=True)
class ClaimMatch:
    claim: Claim
    score: float
    passage: str
    strong: bool


class PageUnreadable(Exception):
    """A page given by its URL could not be read; the message says why, for people."""


# --- The index ------------------------------------------------------------------------


Stamp = tuple[int | None, datetime | None]


@dataclass(frozen=True)
class _Corpus:
    method: str
    stamp: Stamp
    texts: dict[int, str]
    index: ClaimIndex


class ClaimIndexCache:
    """One index per process over every claim's text; thread-safe (workers use threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._corpus: _Corpus | None = None

    def get(self) -> ClaimIndex:
        method = settings.FACTCHECK_MATCH_METHOD
        stamp = corpus_stamp()
        corpus = self._corpus
        if corpus is not None and (corpus.method, corpus.stamp) == (method, stamp):
            return corpus.index
        with self._lock:
            corpus = self._corpus
            if corpus is None or (corpus.method, corpus.stamp) != (method, stamp):
                corpus = self._corpus = _refreshed(corpus, method, stamp)
            return corpus.index

    def clear(self) -> None:
        with self._lock:
            self._corpus = None


def corpus_stamp() -> Stamp:
    """Changes whenever a claim is added, removed or saved (its text perhaps edited): what
    removals move (on SQLite, the count), and the latest save."""
    latest, _, removals = claims_change_marks()
    return removals, latest


def _refreshed(corpus: _Corpus | None, method: str, stamp: Stamp) -> _Corpus:
    """The corpus as the claims table has it now; the old index is kept when no claim's
    text changed (most saves are of verdicts, firmness or evidence). After a removal every
    text is read again; otherwise only those saved since the last look."""
    old = corpus if corpus is not None and corpus.method == method else None
    if old is None or old.stamp[1] is None or old.stamp[0] != stamp[0]:
        texts = dict(Claim.objects.order_by().values_list("id", "text"))
    else:
        since = old.stamp[1] - REREAD_MARGIN
        changed = Claim.objects.order_by().filter(updated_at__gte=since)
        texts = {**old.texts, **dict(changed.values_list("id", "text"))}
    if old is not None and texts == old.texts:
        return _Corpus(method, stamp, old.texts, old.index)
    claims = [ClaimText(pk, text) for pk, text in sorted(texts.items())]
    logger.info("building the %s claim index over %d claims", method, len(claims))
    return _Corpus(method, stamp, texts, build_index(claims, method=method))


_index_cache = ClaimIndexCache()


def claim_index() -> tuple[ClaimIndex, Thresholds]:
    """The current index and its thresholds (the settings override the method's own)."""
    index = _index_cache.get()
    suggest_at = settings.FACTCHECK_MATCH_SUGGEST_AT
    strong_at = settings.FACTCHECK_MATCH_STRONG_AT
    return index, Thresholds(
        method=index.method,
        suggest_at=index.suggest_at if suggest_at is None else float(suggest_at),
        strong_at=index.strong_at if strong_at is None else float(strong_at),
    )


def claim_index_forget() -> None:
    """Drop this process's index (tests; or after changing the method at run time)."""
    _index_cache.clear()


# --- Searching -------------------------------------------------------------------------


def claims_match(
    *, text: str, user: Any, limit: int = 10, min_score: float | None = None
) -> tuple[list[ClaimMatch], Thresholds]:
    """The claims `text` speaks to that `user` may see, best first, with the thresholds."""
    index, limits = claim_index()
    floor = limits.suggest_at if min_score is None else min_score
    scan = limit
    while True:  # claims the caller may not see take places: read further until enough
        matches = index.search(text, limit=scan, min_score=floor)
        visible = Claim.objects.visible_to(user).in_bulk([m.claim_id for m in matches])
        found = [
            ClaimMatch(
                visible[m.claim_id],
                m.score,
                m.passage,
                m.score >= limits.strong_at and read_as_related(visible[m.claim_id].text, text),
            )
            for m in matches
            if m.claim_id in visible
        ]
        if len(found) >= limit or len(matches) < scan or scan >= SCAN_LIMIT:
            return found[:limit], limits
        scan = min(scan * 4, SCAN_LIMIT)


def claims_like(*, text: str, limit: int = 5) -> list[ClaimMatch]:
    """Claims already recorded, published or not, that `text` strongly matches: likely the
    same claim again. Only the desk records claims, and the desk sees them all."""
    index, limits = claim_index()
    matches = index.search(text, limit=limit, min_score=limits.strong_at)
    claims = Claim.objects.in_bulk([m.claim_id for m in matches])
    return [
        ClaimMatch(claims[m.claim_id], m.score, m.passage, True)
        for m in matches
        if m.claim_id in claims and read_as_related(claims[m.claim_id].text, text)
    ]


def read_as_related(claim: str, text: str) -> bool:
    """Whether the assessor reads `text` as speaking to `claim` at all. Matching and the
    assessor keep one notion of relatedness: a page the assessor would label `unrelated`
    is never a strong match, whatever its words have in common with the claim."""
    return assess(claim, text, method=settings.FACTCHECK_ASSESS_METHOD).stance != "unrelated"


def url_text(*, url: str, user: Any) -> str:
    """The text at `url`: the latest version of its source when the caller may see it,
    else the page fetched once, safely, and kept nowhere.

    Raises InvalidSourceURL for an address that cannot or may not be fetched, and
    PageUnreadable when the page gives no text.
    """
    normal = normalise_url(url)
    known = sources_visible_to(user, Source.objects.filter(url=normal)).first()
    snapshot = known.latest_snapshot() if known is not None else None
    if snapshot is not None:
        return snapshot.text
    return _fetched_text(normal)


def _fetched_text(url: str) -> str:
    options = FetchOptions.from_settings(
        deadline=min(settings.FACTCHECK_FETCH_DEADLINE, MATCH_FETCH_DEADLINE),
        max_wait=min(settings.FACTCHECK_FETCH_MAX_WAIT, MATCH_FETCH_MAX_WAIT),
    )
    result = fetch(url, options=options)
    if result.reason in REFUSED_REASONS:
        raise InvalidSourceURL(result.error)
    if not result.ok:
        raise PageUnreadable(f"The page could not be read: {result.error or result.outcome}")
    text = _extracted_text(result)
    if not text:
        raise PageUnreadable("The page was read, but no article text was found in it.")
    return text


def _extracted_text(result: FetchResult) -> str | None:
    try:
        page = extract(
            result.body,
            result.final_url,
            content_type=result.content_type or "text/html",
            encoding=result.encoding,
        )
    except Exception:  # parsers on untrusted markup: a bad page is the page's problem
        logger.exception("extraction failed for %s", result.final_url)
        return None
    return page.text


__all__ = [
    "ClaimMatch",
    "PageUnreadable",
    "Thresholds",
    "claim_index",
    "claim_index_forget",
    "claims_like",
    "claims_match",
    "url_text",
]
