"""schema.org ClaimReview for a claim: one document for the API and the public page.

Verdicts map to a 1–5 rating (5: the claim is true, 1: it is false). Google's fact-check
markup needs a numeric rating as well as the words, so verdicts that do not settle the
claim take the middle, 3, and say why in `alternateName`. See docs/claimreview.md.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from claims.models import Claim, Stance, Verdict
from sources.models import Health, Source

BEST_RATING = 5
WORST_RATING = 1

RATINGS: dict[str, tuple[int, str]] = {
    Verdict.CONFIRMED: (5, "True: confirmed"),
    Verdict.UNCONFIRMED: (3, "Unconfirmed: circulating, not confirmed"),
    Verdict.UNVERIFIED: (3, "Unverified: not yet checked"),
    Verdict.DISPUTED: (3, "Disputed"),
    Verdict.SUPERSEDED: (3, "Superseded by later events"),
    Verdict.DENIED: (2, "Denied by those concerned"),
    Verdict.FALSE: (1, "False"),
}


def appearances(claim: Claim) -> list[str]:
    """Where the claim was seen, earliest first: only evidence that counts in its firmness
    (live, related, read), at an address a reader can open (an archived copy of a dead
    page). Uses prefetched evidence when there is any."""
    counted = {
        line.get("evidence_id") for line in claim.firmness_explanation or [] if line.get("counted")
    }
    rows = [e for e in claim.evidence.all() if e.pk in counted and e.stance != Stance.UNRELATED]
    rows.sort(key=lambda e: (e.source.published_at or e.created_at, e.pk))
    return [url for url in (readable_address(e.source) for e in rows) if url]


def readable_address(source: Source) -> str:
    """Where a reader can read the source now; "" when nowhere (failing, or dead with no
    archived copy)."""
    if source.health == Health.DEAD:
        return source.archive_url
    if source.health in (Health.ERROR, Health.BLOCKED):
        return ""
    return source.url


def claim_review(claim: Claim) -> dict[str, Any]:
    rating, words = RATINGS[claim.verdict]
    seen = appearances(claim)
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant:
        # The desk's claimants are mostly companies and institutions; schema.org wants a type.
        item["author"] = {"@type": "Organization", "name": claim.claimant}
    if claim.first_seen:
        item["datePublished"] = claim.first_seen.isoformat()
    if seen:
        item["appearance"] = [{"@type": "CreativeWork", "url": url} for url in seen]
        item["firstAppearance"] = {"@type": "CreativeWork", "url": seen[0]}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim.get_public_url(),
        "claimReviewed": claim.text,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": words,
        },
        "author": {
            "@type": "Organization",
            "name": settings.FACTCHECK_ORGANISATION,
            "url": settings.SITE_URL,
        },
        "datePublished": claim.created_at.date().isoformat(),
        "dateModified": claim.updated_at.isoformat(),
        "itemReviewed": item,
    }
