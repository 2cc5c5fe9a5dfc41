"""generate_data on PostgreSQL: a million claims in minutes, in constant memory.

Claims are made in chunks, each written by COPY in its own transaction. Firmness is still
computed by claims.firmness, once per evidence *profile* (the stances, certainties, kinds
and publishers of a claim's evidence): each claim takes one of a few thousand profiles and
cites its own sources, whose ids and addresses are put into the profile's explanation.
Verdicts follow the evidence the way a desk's do, and updated_at leans to the recent past,
so the data does not flatter the indexes.
"""

from __future__ import annotations

import datetime
import json
import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from claims.demo.copying import CopyTable, reserve_ids
from claims.demo.generate import (
    ACTORS,
    OUTLETS,
    PLACES,
    TAGS,
    Generated,
    claim_text,
)
from claims.firmness import EvidenceInput, firmness_of
from claims.models import (
    Certainty,
    Claim,
    ClaimEvent,
    EventKind,
    Evidence,
    EvidenceKind,
    FirmnessPoint,
    Level,
    Stance,
    Tag,
    Verdict,
    VerdictChange,
)
from sources.models import Health, Publisher, PublisherDomain, PublisherKind, Source

CHUNK = 10_000
PROFILES = 4000
# Evidence per claim: many have none or one, few have six.
EVIDENCE_COUNTS = [0] * 3 + [1] * 4 + [2] * 4 + [3] * 3 + [4] * 2 + [5, 6]
HEALTHS = [Health.OK] * 12 + [Health.CHANGED, Health.DEAD, Health.ERROR, Health.MOVED]
# What a desk concludes from each firmness level (verdicts, with their odds).
VERDICTS_BY_LEVEL: dict[str, list[Verdict]] = {
    Level.NO_EVIDENCE: [Verdict.UNVERIFIED] * 9 + [Verdict.SUPERSEDED],
    Level.RUMOURED: [Verdict.UNVERIFIED] * 6 + [Verdict.UNCONFIRMED] * 3 + [Verdict.DENIED],
    Level.REPORTED: [Verdict.UNCONFIRMED] * 6 + [Verdict.UNVERIFIED] * 3 + [Verdict.DISPUTED],
    Level.CORROBORATED: [Verdict.UNCONFIRMED] * 5 + [Verdict.CONFIRMED] * 4 + [Verdict.DISPUTED],
    Level.CONFIRMED: [Verdict.CONFIRMED] * 8 + [Verdict.UNCONFIRMED, Verdict.SUPERSEDED],
    Level.CONTESTED: [Verdict.DISPUTED] * 7 + [Verdict.UNCONFIRMED] * 3,
    Level.REFUTED: [Verdict.FALSE] * 6 + [Verdict.DENIED] * 3 + [Verdict.DISPUTED],
}
# Rare words for searches that match a handful of claims.
RARE = ("zeppelin", "quokka", "obsidian", "marzipan", "sextant")
RECENT_DAYS = 60  # the mean age of a claim's last change
OLDEST_DAYS = 3 * 365

CLAIM_FIELDS = [
    "id",
    "text",
    "slug",
    "context",
    "claimant",
    "verdict",
    "published",
    "first_seen",
    "firmness_score",
    "firmness_level",
    "firmness_explanation",
    "firmness_computed_at",
    "created_at",
    "updated_at",
]


@dataclass(frozen=True)
class Bucket:
    """Sources of one publisher in one health: any of them gives a profile's line."""

    publisher: Publisher
    health: str
    ids: array


@dataclass(frozen=True)
class Profile:
    lines: tuple[tuple[str, str, str, int], ...]  # stance, certainty, kind, bucket
    score: int
    level: str
    explanation: tuple[dict[str, Any], ...]


def generate_by_copy(*, claims: int, seed: int = 1) -> Generated:
    rng = random.Random(seed)
    now = timezone.now()
    tags = [Tag.objects.get_or_create(slug=name, defaults={"name": name})[0] for name in TAGS]
    publishers = make_publishers(rng, max(10, min(200, claims // 200)))
    buckets = make_sources(rng, publishers, max(20, claims * 3 // 2), now)
    profiles = make_profiles(rng, buckets)
    made = Generated(publishers=len(publishers), sources=sum(len(b.ids) for b in buckets))
    tables = claim_tables(now)
    offset = Claim.objects.count()
    for start in range(0, claims, CHUNK):
        size = min(CHUNK, claims - start)
        with transaction.atomic():
            made.evidence += write_chunk(
                rng, tables, size, offset + start, buckets, profiles, tags, now
            )
        made.claims += size
    return made


def make_publishers(rng: random.Random, count: int) -> list[Publisher]:
    kinds = list(PublisherKind.values)
    publishers = Publisher.objects.bulk_create(
        Publisher(
            name=f"The {rng.choice(PLACES).split()[-1]} {OUTLETS[i % len(OUTLETS)]} {i}",
            kind=rng.choice(kinds),
            reliability=rng.randrange(6, 20) / 20,
        )
        for i in range(count)
    )
    PublisherDomain.objects.bulk_create(
        PublisherDomain(publisher=p, domain=f"outlet-{p.pk}.example") for p in publishers
    )
    return publishers


def source_url(publisher_id: int, source_id: int) -> str:
    return f"https://outlet-{publisher_id}.example/story/{source_id}"


def make_sources(
    rng: random.Random, publishers: list[Publisher], count: int, now: datetime.datetime
) -> list[Bucket]:
    """The sources, by COPY, streamed; what is kept of them is their ids, by publisher
    and health."""
    first = reserve_ids(Source, count)
    buckets: dict[tuple[int, str], Bucket] = {}

    def rows() -> Iterator[tuple[Any, ...]]:
        for source_id in range(first, first + count):
            publisher, health = rng.choice(publishers), rng.choice(HEALTHS)
            key = (publisher.pk, health)
            if key not in buckets:
                buckets[key] = Bucket(publisher, health, array("q"))
            buckets[key].ids.append(source_id)
            url = source_url(publisher.pk, source_id)
            yield (source_id, url, publisher.pk, f"Story {source_id}", health, "0" * 64)

    table = CopyTable(Source, ["id", "url", "publisher", "title", "health", "content_hash"], now)
    table.write(rows())
    return list(buckets.values())


def make_profiles(rng: random.Random, buckets: list[Bucket]) -> list[Profile]:
    stances, certainties = list(Stance.values), list(Certainty.values)
    profiles = []
    for _ in range(PROFILES):
        lines = tuple(
            (
                rng.choice(stances),
                rng.choice(certainties),
                EvidenceKind.PRIMARY if rng.random() < 0.2 else EvidenceKind.SECONDARY,
                rng.randrange(len(buckets)),
            )
            for _ in range(rng.choice(EVIDENCE_COUNTS))
        )
        inputs = [profile_input(n, line, buckets[line[3]]) for n, line in enumerate(lines)]
        result = firmness_of(inputs)
        profiles.append(Profile(lines, result.score, result.level, tuple(result.explanation())))
    return profiles


def profile_input(n: int, line: tuple[str, str, str, int], bucket: Bucket) -> EvidenceInput:
    publisher = bucket.publisher
    return EvidenceInput(
        id=n,
        stance=line[0],
        certainty=line[1],
        kind=line[2],
        reliability=publisher.reliability,
        group=f"publisher:{publisher.pk}",
        group_label=publisher.name,
        publisher=publisher.name,
        health=bucket.health,
    )


def claim_tables(now: datetime.datetime) -> dict[str, CopyTable]:
    return {
        "claim": CopyTable(Claim, CLAIM_FIELDS, now),
        "evidence": CopyTable(
            Evidence, ["id", "claim", "source", "stance", "certainty", "kind", "quote"], now
        ),
        "event": CopyTable(ClaimEvent, ["claim", "kind", "summary", "at"], now),
        "verdict": CopyTable(VerdictChange, ["claim", "previous", "verdict", "note"], now),
        "point": CopyTable(FirmnessPoint, ["claim", "at", "score", "level"], now),
        "tag": CopyTable(Claim.tags.through, ["claim", "tag"], now),
    }


def write_chunk(
    rng: random.Random,
    tables: dict[str, CopyTable],
    size: int,
    offset: int,
    buckets: list[Bucket],
    profiles: list[Profile],
    tags: list[Tag],
    now: datetime.datetime,
) -> int:
    chosen = [rng.choice(profiles) for _ in range(size)]
    first_claim = reserve_ids(Claim, size)
    evidence_count = sum(len(profile.lines) for profile in chosen)
    next_evidence = reserve_ids(Evidence, evidence_count) if evidence_count else 0
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in tables}
    for n, profile in enumerate(chosen):
        claim_id = first_claim + n
        cited = cite(rng, profile, buckets, next_evidence)
        next_evidence += len(cited)
        add_claim(rng, rows, claim_id, offset + n, profile, cited, tags, now)
    for name, table in tables.items():
        table.write(rows[name])
    return evidence_count


def cite(
    rng: random.Random, profile: Profile, buckets: list[Bucket], first_id: int
) -> list[tuple[int, int, str] | None]:
    """(evidence id, source id, source address) for each line, each source once; None for
    a line whose bucket has no source left for this claim (tiny data sets only)."""
    cited: list[tuple[int, int, str] | None] = []
    taken: set[int] = set()
    for n, (_, _, _, index) in enumerate(profile.lines):
        bucket = buckets[index]
        source_id = unused_source(rng, bucket, taken)
        if source_id is None:
            cited.append(None)
            continue
        taken.add(source_id)
        cited.append((first_id + n, source_id, source_url(bucket.publisher.pk, source_id)))
    return cited


def unused_source(rng: random.Random, bucket: Bucket, taken: set[int]) -> int | None:
    for _ in range(8):
        source_id = bucket.ids[rng.randrange(len(bucket.ids))]
        if source_id not in taken:
            return source_id
    return next((source_id for source_id in bucket.ids if source_id not in taken), None)


def add_claim(
    rng: random.Random,
    rows: dict[str, list[tuple[Any, ...]]],
    claim_id: int,
    number: int,
    profile: Profile,
    cited: list[tuple[int, int, str] | None],
    tags: list[Tag],
    now: datetime.datetime,
) -> None:
    changed = now - datetime.timedelta(days=min(rng.expovariate(1 / RECENT_DAYS), OLDEST_DAYS))
    created = changed - datetime.timedelta(days=rng.expovariate(1 / 30))
    verdict = rng.choice(VERDICTS_BY_LEVEL[profile.level])
    text = claim_text(rng)
    if number % 5000 == 0:
        text = f"{text}, with a {RARE[(number // 5000) % len(RARE)]}"
    lines = {line["evidence_id"]: line for line in profile.explanation}
    explanation = [
        {**lines[n], "evidence_id": link[0], "source_url": link[2]}
        for n, link in enumerate(cited)
        if link is not None and n in lines
    ]
    rows["claim"].append(
        (
            claim_id,
            text,
            f"generated-{number}",
            f"Generated claim {number} for benchmarks.",
            rng.choice(ACTORS),
            verdict,
            rng.random() < 0.9,
            created.date(),
            profile.score,
            profile.level,
            json.dumps(explanation),
            changed,
            created,
            changed,
        )
    )
    for (stance, certainty, kind, _), link in zip(profile.lines, cited, strict=True):
        if link is None:
            continue
        evidence_id, source_id, _ = link
        quote = f"Words quoted from story {source_id}."
        rows["evidence"].append((evidence_id, claim_id, source_id, stance, certainty, kind, quote))
    rows["event"].append((claim_id, EventKind.CREATED, f"Claim recorded: {text}", created))
    if verdict != Verdict.UNVERIFIED:
        rows["verdict"].append((claim_id, Verdict.UNVERIFIED, verdict, "Generated verdict."))
    rows["point"].append((claim_id, changed, profile.score, profile.level))
    for tag in rng.sample(tags, k=rng.randint(1, 3)):
        rows["tag"].append((claim_id, tag.pk))


# The tables a load fills: their plain (not unique) indexes are built once, after it.
LOADED_TABLES = (
    "claims_claim",
    "claims_claim_tags",
    "claims_evidence",
    "claims_claimevent",
    "claims_verdictchange",
    "claims_firmnesspoint",
    "sources_source",
)


def plain_indexes_dropped() -> list[str]:
    """The loaded tables' plain indexes' definitions, dropped: building an index once after
    a bulk load is far faster than keeping it up to date row by row (GIN ones above all).
    Unique indexes stay, and keep guarding the rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisunique"
            " AND NOT i.indisprimary",
            [list(LOADED_TABLES)],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    return [definition for _, definition in found]


def indexes_rebuilt(definitions: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for definition in definitions:
            cursor.execute(definition)
        cursor.execute(f"ANALYZE {', '.join(LOADED_TABLES)}")
