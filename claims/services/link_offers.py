"""Link offers: a source fetched for one claim, offered to the other claims it strongly matches.

When a source gets a new version, claims its text strongly matches (and that do not cite it
yet) are offered to editors, who accept (the source becomes evidence, labelled by the
assessor) or dismiss (it is never offered to that claim again).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from analysis.matching import Match
from claims.models import Claim, EventKind, Evidence, LinkOffer, LinkOfferStatus
from claims.services.evidence import EvidenceAlreadyLinked, evidence_add
from claims.services.matching import claim_index, read_as_related
from claims.services.timeline import claim_event_add
from factcheck.users import signed_in
from sources.models import Source, SourceSnapshot

# The strongest matches offered from one version of a source.
OFFERS_PER_VERSION = 20


class LinkOfferDecided(Exception):
    """The offer was already decided the other way."""

    def __init__(self, offer: LinkOffer) -> None:
        when = f" on {offer.decided_at:%Y-%m-%d %H:%M}" if offer.decided_at else ""
        by = f" by {offer.decided_by}" if offer.decided_by else ""
        super().__init__(f"This offer was already {offer.get_status_display().lower()}{by}{when}.")
        self.offer = offer


def source_offer_links(*, source: Source, snapshot: SourceSnapshot) -> list[LinkOffer]:
    """Offer the source to the claims its new version strongly matches; the offers made
    or brought up to date. Claims citing it already, and offers decided, are left alone.
    The matching (the index, the assessor) runs before the transaction: on SQLite a
    transaction holds the whole database, and most versions match no claim at all."""
    index, limits = claim_index()
    linked = set(Evidence.objects.live().filter(source=source).values_list("claim_id", flat=True))
    matches = index.search(
        snapshot.text, limit=OFFERS_PER_VERSION + len(linked), min_score=limits.strong_at
    )
    matches = [m for m in matches if m.claim_id not in linked][:OFFERS_PER_VERSION]
    if not matches:
        return []
    claims = Claim.objects.in_bulk([m.claim_id for m in matches])
    related = [
        (claims[m.claim_id], m)
        for m in matches
        # gone since the index was built; or words in common, but about something else
        if m.claim_id in claims and read_as_related(claims[m.claim_id].text, snapshot.text)
    ]
    return _make_offers(source, snapshot, related, index.method) if related else []


@transaction.atomic
def _make_offers(
    source: Source, snapshot: SourceSnapshot, related: list[tuple[Claim, Match]], method: str
) -> list[LinkOffer]:
    earlier = {o.claim_id: o for o in LinkOffer.objects.select_for_update().filter(source=source)}
    offers = []
    for claim, match in related:
        offer = _offer(claim, source, snapshot, match, earlier.get(claim.pk), method)
        if offer is not None:
            offers.append(offer)
    return offers


def _offer(
    claim: Claim,
    source: Source,
    snapshot: SourceSnapshot,
    match: Match,
    earlier: LinkOffer | None,
    method: str,
) -> LinkOffer | None:
    if earlier is not None:
        if earlier.status != LinkOfferStatus.OPEN:
            return None  # an editor decided: never offered again
        earlier.score, earlier.passage, earlier.method = match.score, match.passage, method
        earlier.save(update_fields=["score", "passage", "method"])
        return earlier
    offer = LinkOffer.objects.create(
        claim=claim, source=source, score=match.score, passage=match.passage, method=method
    )
    claim_event_add(
        claim=claim,
        kind=EventKind.LINK_OFFERED,
        summary=(
            f"{source.publisher.name}: {source.title or source.url} may speak to this claim "
            f"(match {match.score:.2f}): “{match.passage}”"
        ),
        source=source.pk,
        snapshot=snapshot.number,
        offer=offer.pk,
        score=match.score,
    )
    return offer


@transaction.atomic
def link_offer_accept(*, offer: LinkOffer, user: Any) -> LinkOffer:
    """Link the offered source as evidence of the claim; the assessor reads its labels."""
    offer = _locked(offer)
    if offer.status == LinkOfferStatus.ACCEPTED:
        return offer
    if offer.status != LinkOfferStatus.OPEN:
        raise LinkOfferDecided(offer)
    try:
        evidence = evidence_add(claim=offer.claim, source=offer.source, user=user)
    except EvidenceAlreadyLinked as exc:  # an editor linked it by hand meanwhile
        evidence = exc.existing
    return _decide(offer, LinkOfferStatus.ACCEPTED, user, evidence)


@transaction.atomic
def link_offer_dismiss(*, offer: LinkOffer, user: Any) -> LinkOffer:
    """Not evidence of this claim: the source is not offered to it again."""
    offer = _locked(offer)
    if offer.status == LinkOfferStatus.DISMISSED:
        return offer
    if offer.status != LinkOfferStatus.OPEN:
        raise LinkOfferDecided(offer)
    return _decide(offer, LinkOfferStatus.DISMISSED, user, None)


def _locked(offer: LinkOffer) -> LinkOffer:
    return (
        LinkOffer.objects.select_for_update(of=("self",))
        .select_related("claim", "source__publisher", "decided_by")
        .get(pk=offer.pk)
    )


def _decide(offer: LinkOffer, status: str, user: Any, evidence: Evidence | None) -> LinkOffer:
    offer.status, offer.evidence = status, evidence
    offer.decided_at = timezone.now()
    offer.decided_by = signed_in(user)
    offer.save(update_fields=["status", "evidence", "decided_at", "decided_by"])
    return offer


__all__ = ["LinkOfferDecided", "link_offer_accept", "link_offer_dismiss", "source_offer_links"]
