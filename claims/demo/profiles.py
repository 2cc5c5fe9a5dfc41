"""Evidence profiles for generate_data on PostgreSQL: firmness is computed by
claims.firmness once per profile (the stances, certainties, kinds and publishers of a
claim's evidence), and each claim taking the profile names its own evidence and sources in
its explanation, JSON made once per profile with stand-ins for them."""

from __future__ import annotations

import json
import random
from array import array
from dataclasses import dataclass
from typing import Any

from claims.demo.copying import copy_escape
from claims.firmness import EvidenceInput, firmness_of
from claims.models import Certainty, EvidenceKind, Stance
from sources.models import Publisher

PROFILES = 4000
# Evidence per claim: many have none or one, few have six.
EVIDENCE_COUNTS = [0] * 3 + [1] * 4 + [2] * 4 + [3] * 3 + [4] * 2 + [5, 6]
# Stand-ins in a profile's explanation lines for what each claim fills in.
EVIDENCE_ID, SOURCE_URL = "@evidence-id@", "@source-url@"


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
    # Each explanation line by its evidence line's number, as JSON in COPY text with the
    # stand-ins for its evidence id and source address.
    explanation: dict[int, str]


def make_profiles(rng: random.Random, buckets: list[Bucket]) -> list[Profile]:
    stances, certainties = list(Stance.values), list(Certainty.values)
    profiles = []
    for _ in range(PROFILES):
        lines = tuple(
            (
                rng.choice(stances),
                rng.choice(certainties),
                str(EvidenceKind.PRIMARY if rng.random() < 0.2 else EvidenceKind.SECONDARY),
                rng.randrange(len(buckets)),
            )
            for _ in range(rng.choice(EVIDENCE_COUNTS))
        )
        inputs = [profile_input(n, line, buckets[line[3]]) for n, line in enumerate(lines)]
        result = firmness_of(inputs)
        explanation = {
            int(str(line["evidence_id"])): explanation_template(line)
            for line in result.explanation()
        }
        profiles.append(Profile(lines, result.score, str(result.level), explanation))
    return profiles


def explanation_template(line: dict[str, Any]) -> str:
    """The line as json.dumps writes it, escaped for COPY, with the stand-ins."""
    line = {**line, "evidence_id": EVIDENCE_ID, "source_url": SOURCE_URL}
    return copy_escape(json.dumps(line))


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


def explanation_json(profile: Profile, cited: list[tuple[int, int, str] | None]) -> str:
    """What json.dumps makes of the profile's explanation naming the claim's own evidence
    and sources (the JSON of 4,000 profiles is made once, not once per claim)."""
    lines = [
        profile.explanation[n]
        .replace(f'"{EVIDENCE_ID}"', str(link[0]))
        .replace(f'"{SOURCE_URL}"', copy_escape(json.dumps(link[2])))
        for n, link in enumerate(cited)
        if link is not None and n in profile.explanation
    ]
    return f"[{', '.join(lines)}]"
