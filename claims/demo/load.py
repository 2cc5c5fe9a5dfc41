"""Demo data: a few stories told through publishers, sources, claims and evidence.

The Chery and Jaguar Land Rover story uses facts reported in early 2026; the
other stories (Northbridge's tram, a football transfer, a hospital rumour, a
flood) are invented. Every snapshot is written for this demo, not copied from
any publisher, and every source URL has a `demo` path. Sources are paused so
the recheck workers never fetch those made-up addresses.

Everything goes through the services, so the timelines, firmness history and
review queue look as they would after real editing, with what the assessor read in
each source kept on the evidence (a demo loaded before the assessor existed is read
on the next load). Loading is idempotent:
publishers are keyed by domain, sources by URL, claims by slug.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from claims.demo.data import (
    CLAIMS,
    PUBLISHERS,
    ClaimSpec,
    Deprecate,
    Link,
    NewVersion,
    SourceSpec,
    Step,
)
from claims.demo.sources import SOURCES
from claims.models import Claim, Evidence
from claims.permissions import ensure_editors_group
from claims.services.claims import claim_create, claim_set_verdict
from claims.services.evidence import evidence_add, evidence_deprecate
from claims.services.suggestions import evidence_suggest_missing
from sources.models import PublisherDomain, Source
from sources.services import (
    publisher_create,
    source_add_snapshot,
    source_get_or_create,
    source_set_schedule,
)

DEMO_EDITOR = "editor"
DEMO_PASSWORD = "factcheck-demo"


def demo_slug(spec: ClaimSpec) -> str:
    """The slug claim_create gives the claim's text when the slug is free."""
    return slugify(" ".join(spec.text.split()))[: Claim.SLUG_BASE_MAX].rstrip("-") or "claim"


def _load_publishers(created: Counter[str]) -> None:
    for spec in PUBLISHERS:
        if PublisherDomain.objects.filter(domain=spec.domain).exists():
            continue
        publisher_create(
            name=spec.name,
            domains=[spec.domain],
            kind=spec.kind,
            reliability=spec.reliability,
            notes=spec.notes,
        )
        created["publishers"] += 1


def _add_version(source: Source, spec: SourceSpec, number: int, created: Counter[str]) -> None:
    """Add version `number` unless the source already has it (or a later one)."""
    if source.snapshots.count() >= number:
        return
    version = spec.versions[number - 1]
    added = source_add_snapshot(
        source=source, text=version.text, title=version.title, method="manual", note=version.note
    )
    if added is not None:
        created["snapshots"] += 1


def _load_sources(created: Counter[str]) -> dict[str, Source]:
    sources = {}
    for key, spec in SOURCES.items():
        source, new = source_get_or_create(url=spec.url)
        if new:
            # Made-up addresses on real domains: never let the recheck workers fetch them.
            source = source_set_schedule(source=source, paused=True)
            created["sources"] += 1
        _add_version(source, spec, 1, created)
        sources[key] = source
    return sources


def _run_step(
    step: Step, claim: Claim, sources: dict[str, Source], linked: dict[str, Evidence]
) -> Counter[str]:
    if isinstance(step, Link):
        derived = sources[step.derived_from] if step.derived_from else None
        linked[step.key] = evidence_add(
            claim=claim,
            source=sources[step.source],
            derived_from=derived,
            stance=step.stance,
            certainty=step.certainty,
            kind=step.kind,
            quote=step.quote,
        )
        return Counter(evidence=1)
    if isinstance(step, NewVersion):
        counted: Counter[str] = Counter()
        _add_version(sources[step.source], SOURCES[step.source], step.number, counted)
        return counted
    if isinstance(step, Deprecate):
        evidence_deprecate(evidence=linked[step.key], reason=step.reason)
        return Counter()
    evidence = [linked[key] for key in step.evidence]
    claim_set_verdict(claim=claim, verdict=step.verdict, note=step.note, evidence=evidence)
    return Counter()


def _load_claim(spec: ClaimSpec, sources: dict[str, Source], created: Counter[str]) -> None:
    if Claim.objects.filter(slug=demo_slug(spec)).exists():
        return
    claim = claim_create(
        text=spec.text,
        context=spec.context,
        tags=spec.tags,
        claimant=spec.claimant,
        first_seen=spec.first_seen,
        expected_by=spec.expected_by,
        published=spec.published,
    )
    created["claims"] += 1
    linked: dict[str, Evidence] = {}
    for step in spec.steps:
        created.update(_run_step(step, claim, sources, linked))


@transaction.atomic
def load_demo() -> Counter[str]:
    """Create whatever of the demo is missing; returns how many rows of each kind were made."""
    created: Counter[str] = Counter()
    _load_publishers(created)
    sources = _load_sources(created)
    for spec in CLAIMS:
        _load_claim(spec, sources, created)
    read = evidence_suggest_missing()
    if read:
        created["suggestions"] = read
    return created


def describe(created: Counter[str]) -> str:
    if not created:
        return "demo data already loaded; nothing changed"
    loaded = (
        f"Loaded demo data: {created['publishers']} publishers, {created['sources']} sources "
        f"({created['snapshots']} snapshots), {created['claims']} claims, "
        f"{created['evidence']} pieces of evidence."
    )
    if created["suggestions"]:
        loaded += f" Read the sources of {created['suggestions']} earlier pieces of evidence."
    return loaded


@transaction.atomic
def ensure_demo_editor() -> tuple[AbstractBaseUser, bool]:
    """The demo editor; an existing account of that name is left exactly as it is."""
    User = get_user_model()
    existing = User.objects.filter(username=DEMO_EDITOR).first()
    if existing is not None:
        return existing, False
    user = User.objects.create_user(username=DEMO_EDITOR, password=DEMO_PASSWORD, is_staff=True)
    user.groups.add(ensure_editors_group())
    return user, True
