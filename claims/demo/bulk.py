"""generate_data on PostgreSQL: a million claims in minutes, in constant memory.

Claims are made in chunks, each written as COPY text in its own transaction. A large load
(claims.demo.loading) hands the chunks to two threads with their own connections, one for
the claims and one for the rest, so that Python and PostgreSQL work at once. Firmness is still
computed by claims.firmness, once per evidence *profile* (the stances, certainties, kinds
and publishers of a claim's evidence): each claim takes one of a few thousand profiles and
cites its own sources, whose ids and addresses are put into the profile's explanation.
Verdicts follow the evidence the way a desk's do, and updated_at leans to the recent past,
so the data does not flatter the indexes.
"""

from __future__ import annotations

import datetime
import random
from array import array
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from claims.demo.copying import CopyTable, copy_escape, reserve_ids
from claims.demo.generate import (
    ACTORS,
    TAGS,
    Generated,
    claim_text,
    make_publishers,
)
from claims.demo.loading import bulk_load
from claims.demo.profiles import Bucket, Profile, explanation_json, make_profiles
from claims.demo.writers import CopyWriter, InlineWriter, ThreadWriter
from claims.models import (
    Claim,
    ClaimEvent,
    EventKind,
    Evidence,
    FirmnessPoint,
    Level,
    Tag,
    Verdict,
    VerdictChange,
)
from sources.models import Health, Publisher, Source

CHUNK = 10_000
SOURCE_CHUNK = 50_000
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
VERDICT_VALUES: dict[str, list[str]] = {
    level: [verdict.value for verdict in verdicts] for level, verdicts in VERDICTS_BY_LEVEL.items()
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
class Setting:
    """What every chunk draws from."""

    buckets: list[Bucket]
    profiles: list[Profile]
    tag_ids: list[int]
    now: datetime.datetime
    tables: dict[str, CopyTable]


def generate_by_copy(
    *, claims: int, seed: int = 1, bulk: bool = False, say: Callable[[str], None] = print
) -> Generated:
    """`bulk`: set the tables' indexes, foreign keys and tag-count trigger aside while
    loading (claims.demo.loading), and write on two connections of its own. Never inside
    a transaction: the writers could not see its rows."""
    if bulk and connection.in_atomic_block:
        raise ValueError("a bulk load commits as it goes: call it outside a transaction")
    with ExitStack() as stack:
        if bulk:
            stack.enter_context(bulk_load(say))
        inline = InlineWriter()
        writers: dict[str, CopyWriter] = (
            {"claim": ThreadWriter(), "rest": ThreadWriter()}
            if bulk
            else {"claim": inline, "rest": inline}
        )
        try:
            made = generate_into(writers, claims=claims, seed=seed)
        finally:
            for writer in writers.values():
                writer.stop()
        for writer in writers.values():
            writer.close()
    return made


def generate_into(writers: dict[str, CopyWriter], *, claims: int, seed: int) -> Generated:
    rng = random.Random(seed)
    now = timezone.now()
    tags = [Tag.objects.get_or_create(slug=name, defaults={"name": name})[0] for name in TAGS]
    publishers = make_publishers(rng, max(10, min(200, claims // 200)), reliability_in_twentieths)
    buckets = make_sources(rng, writers["rest"], publishers, max(20, claims * 3 // 2), now)
    setting = Setting(buckets, make_profiles(rng, buckets), [t.pk for t in tags], now, {})
    setting.tables.update(claim_tables(now))
    made = Generated(publishers=len(publishers), sources=sum(len(b.ids) for b in buckets))
    offset = Claim.objects.count()
    for start in range(0, claims, CHUNK):
        size = min(CHUNK, claims - start)
        lines, made_evidence = chunk_lines(rng, setting, size, offset + start)
        send_chunk(writers, setting.tables, lines)
        made.evidence += made_evidence
        made.claims += size
    return made


def send_chunk(
    writers: dict[str, CopyWriter], tables: dict[str, CopyTable], lines: dict[str, list[str]]
) -> None:
    """The claims to one writer, the rest to the other; one writer gets them all in one
    transaction, claims first."""
    batches = {name: [(tables[name].sql(), "".join(lines[name]))] for name in tables if lines[name]}
    claim_batch = batches.pop("claim")
    rest_batch = [item for batch in batches.values() for item in batch]
    if writers["claim"] is writers["rest"]:
        writers["claim"].send(claim_batch + rest_batch)
        return
    writers["claim"].send(claim_batch)
    writers["rest"].send(rest_batch)


def reliability_in_twentieths(rng: random.Random) -> float:
    return rng.randrange(6, 20) / 20


def source_url(publisher_id: int, source_id: int) -> str:
    return f"https://outlet-{publisher_id}.example/story/{source_id}"


def make_sources(
    rng: random.Random,
    writer: CopyWriter,
    publishers: list[Publisher],
    count: int,
    now: datetime.datetime,
) -> list[Bucket]:
    """The sources, by COPY, streamed; what is kept of them is their ids, by publisher
    and health."""
    first = reserve_ids(Source, count)
    buckets: dict[tuple[int, str], Bucket] = {}
    table = CopyTable(Source, ["id", "url", "publisher", "title", "health", "content_hash"], now)
    unchanged, tail = "0" * 64, table.tail
    for start in range(first, first + count, SOURCE_CHUNK):
        lines = []
        for source_id in range(start, min(start + SOURCE_CHUNK, first + count)):
            publisher, health = rng.choice(publishers), rng.choice(HEALTHS)
            key = (publisher.pk, health)
            if key not in buckets:
                buckets[key] = Bucket(publisher, health, array("q"))
            buckets[key].ids.append(source_id)
            url = source_url(publisher.pk, source_id)
            lines.append(
                f"{source_id}\t{url}\t{publisher.pk}\tStory {source_id}\t{health}\t"
                f"{unchanged}{tail}"
            )
        writer.send([(table.sql(), "".join(lines))])
    return list(buckets.values())


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


def chunk_lines(
    rng: random.Random, setting: Setting, size: int, offset: int
) -> tuple[dict[str, list[str]], int]:
    """Each table's COPY lines for `size` claims, and how many pieces of evidence."""
    chosen = [rng.choice(setting.profiles) for _ in range(size)]
    first_claim = reserve_ids(Claim, size)
    evidence_count = sum(len(profile.lines) for profile in chosen)
    next_evidence = reserve_ids(Evidence, evidence_count) if evidence_count else 0
    lines: dict[str, list[str]] = {name: [] for name in setting.tables}
    for n, profile in enumerate(chosen):
        cited = cite(rng, profile, setting.buckets, next_evidence)
        next_evidence += len(cited)
        add_claim(rng, lines, setting, first_claim + n, offset + n, profile, cited)
    return lines, evidence_count


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
    lines: dict[str, list[str]],
    setting: Setting,
    claim_id: int,
    number: int,
    profile: Profile,
    cited: list[tuple[int, int, str] | None],
) -> None:
    age = min(rng.expovariate(1 / RECENT_DAYS), OLDEST_DAYS)
    changed = setting.now - datetime.timedelta(days=age)
    created = changed - datetime.timedelta(days=rng.expovariate(1 / 30))
    verdict = rng.choice(VERDICT_VALUES[profile.level])
    text = claim_text(rng)
    if number % 5000 == 0:
        text = f"{text}, with a {RARE[(number // 5000) % len(RARE)]}"
    text = copy_escape(text)
    changed_at, created_at = changed.isoformat(), created.isoformat()
    claimant = copy_escape(rng.choice(ACTORS))
    published = "t" if rng.random() < 0.9 else "f"
    tables = setting.tables
    lines["claim"].append(
        f"{claim_id}\t{text}\tgenerated-{number}\tGenerated claim {number} for benchmarks.\t"
        f"{claimant}\t{verdict}\t{published}\t{created.date()}\t"
        f"{profile.score}\t{profile.level}\t{explanation_json(profile, cited)}\t"
        f"{changed_at}\t{created_at}\t{changed_at}{tables['claim'].tail}"
    )
    for (stance, certainty, kind, _), link in zip(profile.lines, cited, strict=True):
        if link is not None:
            evidence_id, source_id, _ = link
            lines["evidence"].append(
                f"{evidence_id}\t{claim_id}\t{source_id}\t{stance}\t{certainty}\t{kind}\t"
                f"Words quoted from story {source_id}.{tables['evidence'].tail}"
            )
    add_history(rng, lines, setting, claim_id, text, verdict, profile, created_at, changed_at)


def add_history(
    rng: random.Random,
    lines: dict[str, list[str]],
    setting: Setting,
    claim_id: int,
    text: str,
    verdict: str,
    profile: Profile,
    created_at: str,
    changed_at: str,
) -> None:
    """Its creation, its verdict's change, its firmness point and its tags."""
    tables = setting.tables
    lines["event"].append(
        f"{claim_id}\t{EventKind.CREATED.value}\tClaim recorded: {text}\t{created_at}"
        f"{tables['event'].tail}"
    )
    if verdict != Verdict.UNVERIFIED:
        lines["verdict"].append(
            f"{claim_id}\t{Verdict.UNVERIFIED.value}\t{verdict}\tGenerated verdict."
            f"{tables['verdict'].tail}"
        )
    lines["point"].append(
        f"{claim_id}\t{changed_at}\t{profile.score}\t{profile.level}{tables['point'].tail}"
    )
    for tag_id in rng.sample(setting.tag_ids, k=rng.randint(1, 3)):
        lines["tag"].append(f"{claim_id}\t{tag_id}\n")
