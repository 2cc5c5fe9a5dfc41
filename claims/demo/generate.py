"""A realistic data set of any size, for benchmarks: publishers, sources, claims with evidence,
verdict histories and stored firmness. Rows are written in bulk (the services would take hours
for 100,000 claims); firmness is still computed by claims.firmness from the evidence."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from claims.firmness import EvidenceInput, firmness_of
from claims.models import (
    Certainty,
    Claim,
    ClaimEvent,
    EventKind,
    Evidence,
    EvidenceKind,
    FirmnessPoint,
    Stance,
    Tag,
    Verdict,
    VerdictChange,
)
from sources.models import Health, Publisher, PublisherDomain, PublisherKind, Source

ACTORS = (
    "Northwind Motors",
    "Aurora Rail",
    "the city council",
    "the health ministry",
    "Helix Pharma",
    "the national team",
    "Baltic Shipping",
    "the central bank",
    "Vega Telecom",
    "the port authority",
)
ACTIONS = (
    "will open",
    "will close",
    "has bought",
    "will build",
    "has cancelled",
    "will expand",
    "has delayed",
    "will sell",
    "has approved",
    "will move",
)
OBJECTS = (
    "a battery plant",
    "the night train service",
    "two regional airports",
    "a vaccine trial",
    "the stadium project",
    "a steelworks",
    "its headquarters",
    "the tram extension",
    "a data centre",
    "the harbour bridge",
)
PLACES = (
    "in Leeds",
    "in Porto",
    "near Gdansk",
    "in Lyon",
    "in Bilbao",
    "outside Turin",
    "in Aarhus",
    "in Graz",
    "in Cork",
    "in Utrecht",
)
TAGS = (
    "business",
    "transport",
    "health",
    "politics",
    "sport",
    "energy",
    "science",
    "trade",
    "housing",
    "weather",
    "industry",
    "finance",
)
OUTLETS = (
    "Courier",
    "Herald",
    "Ledger",
    "Gazette",
    "Observer",
    "Wire",
    "Bulletin",
    "Times",
    "Post",
    "Record",
)


@dataclass
class Generated:
    publishers: int = 0
    sources: int = 0
    claims: int = 0
    evidence: int = 0


def batched(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def any_reliability(rng: random.Random) -> float:
    return round(rng.uniform(0.3, 0.95), 2)


def make_publishers(
    rng: random.Random, count: int, reliability: Callable[[random.Random], float] = any_reliability
) -> list[Publisher]:
    kinds = list(PublisherKind.values)
    publishers = Publisher.objects.bulk_create(
        Publisher(
            name=f"The {rng.choice(PLACES).split()[-1]} {OUTLETS[i % len(OUTLETS)]} {i}",
            kind=rng.choice(kinds),
            reliability=reliability(rng),
        )
        for i in range(count)
    )
    PublisherDomain.objects.bulk_create(
        PublisherDomain(publisher=p, domain=f"outlet-{p.pk}.example") for p in publishers
    )
    return publishers


def make_sources(
    rng: random.Random, publishers: list[Publisher], count: int, batch: int
) -> list[Source]:
    healths = [Health.OK] * 12 + [Health.CHANGED, Health.DEAD, Health.ERROR, Health.MOVED]
    rows = []
    for i in range(count):
        publisher = rng.choice(publishers)
        health = rng.choice(healths)
        rows.append(
            Source(
                url=f"https://outlet-{publisher.pk}.example/story/{i}",
                publisher=publisher,
                title=f"Story {i}",
                health=health,
                archive_url=f"https://archive.example/{i}"
                if health == Health.DEAD and i % 2
                else "",
            )
        )
    return Source.objects.bulk_create(rows, batch_size=batch)


def claim_text(rng: random.Random) -> str:
    actor, action = rng.choice(ACTORS).capitalize(), rng.choice(ACTIONS)
    return f"{actor} {action} {rng.choice(OBJECTS)} {rng.choice(PLACES)}"


def make_claims(rng: random.Random, count: int, offset: int, batch: int) -> list[Claim]:
    verdicts = list(Verdict.values)
    now = timezone.now()
    rows = []
    for i in range(offset, offset + count):
        text = claim_text(rng)
        rows.append(
            Claim(
                text=text,
                slug=f"generated-{i}",
                context=f"Generated claim {i} for benchmarks.",
                claimant=rng.choice(ACTORS),
                verdict=rng.choice(verdicts),
                published=rng.random() < 0.9,
                first_seen=(now - datetime.timedelta(days=rng.randint(1, 700))).date(),
            )
        )
    return Claim.objects.bulk_create(rows, batch_size=batch)


def make_evidence(
    rng: random.Random, claims: list[Claim], sources: list[Source], batch: int
) -> list[Evidence]:
    rows = []
    stances, certainties = list(Stance.values), list(Certainty.values)
    for claim in claims:
        for source in rng.sample(sources, k=rng.randint(0, 6)):
            rows.append(
                Evidence(
                    claim=claim,
                    source=source,
                    stance=rng.choice(stances),
                    certainty=rng.choice(certainties),
                    kind=EvidenceKind.PRIMARY if rng.random() < 0.2 else EvidenceKind.SECONDARY,
                    quote=f"Words quoted from {source.title}.",
                )
            )
    return Evidence.objects.bulk_create(rows, batch_size=batch)


def store_firmness(
    claims: list[Claim], evidence: list[Evidence], sources: dict[int, Source], batch: int
) -> None:
    by_claim: dict[int, list[EvidenceInput]] = {}
    for item in evidence:
        source = sources[item.source_id]
        by_claim.setdefault(item.claim_id, []).append(
            EvidenceInput(
                id=item.pk,
                stance=item.stance,
                certainty=item.certainty,
                kind=item.kind,
                reliability=source.publisher.reliability,
                group=f"publisher:{source.publisher_id}",
                group_label=source.publisher.name,
                publisher=source.publisher.name,
                source_url=source.url,
                health=source.health,
                has_archive=bool(source.archive_url),
            )
        )
    now = timezone.now()
    for claim in claims:
        result = firmness_of(by_claim.get(claim.pk, []))
        claim.firmness_score, claim.firmness_level = result.score, result.level
        claim.firmness_explanation, claim.firmness_computed_at = result.explanation(), now
    fields = ["firmness_score", "firmness_level", "firmness_explanation", "firmness_computed_at"]
    Claim.objects.bulk_update(claims, fields, batch_size=batch)
    FirmnessPoint.objects.bulk_create(
        (
            FirmnessPoint(claim=c, at=now, score=c.firmness_score, level=c.firmness_level)
            for c in claims
        ),
        batch_size=batch,
    )


def record_history(rng: random.Random, claims: list[Claim], tags: list[Tag], batch: int) -> None:
    ClaimEvent.objects.bulk_create(
        (
            ClaimEvent(claim=c, kind=EventKind.CREATED, summary=f"Claim recorded: {c.text}")
            for c in claims
        ),
        batch_size=batch,
    )
    VerdictChange.objects.bulk_create(
        (
            VerdictChange(
                claim=c, previous=Verdict.UNVERIFIED, verdict=c.verdict, note="Generated verdict."
            )
            for c in claims
            if c.verdict != Verdict.UNVERIFIED
        ),
        batch_size=batch,
    )
    through = Claim.tags.through
    through.objects.bulk_create(
        (
            through(claim_id=c.pk, tag_id=t.pk)
            for c in claims
            for t in rng.sample(tags, k=rng.randint(1, 3))
        ),
        batch_size=batch,
    )


def generate(*, claims: int, seed: int = 1, batch: int = 2000) -> Generated:
    """Add `claims` claims (and sources and publishers in proportion) to the database."""
    rng = random.Random(seed)
    offset = Claim.objects.count()
    tags = [Tag.objects.get_or_create(slug=name, defaults={"name": name})[0] for name in TAGS]
    publishers = make_publishers(rng, max(10, min(200, claims // 200)))
    sources = make_sources(rng, publishers, max(20, claims * 3 // 2), batch)
    source_by_id = {s.pk: s for s in sources}
    made = Generated(publishers=len(publishers), sources=len(sources))
    for chunk_start in range(0, claims, batch * 5):
        with transaction.atomic():
            chunk = make_claims(
                rng, min(batch * 5, claims - chunk_start), offset + chunk_start, batch
            )
            evidence = make_evidence(rng, chunk, sources, batch)
            store_firmness(chunk, evidence, source_by_id, batch)
            record_history(rng, chunk, tags, batch)
        made.claims += len(chunk)
        made.evidence += len(evidence)
    return made
