"""Fixtures for the public pages: claims built through the services, as editors make them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from claims.models import Claim, EventKind, Evidence
from claims.services.claims import claim_create, claim_set_verdict
from claims.services.evidence import evidence_add, evidence_deprecate
from claims.services.timeline import claim_event_add
from sources.models import Publisher
from tests.factories import PublisherFactory, SourceFactory


def link(
    claim: Claim,
    *,
    stance: str = "supports",
    certainty: str = "certain",
    kind: str = "secondary",
    quote: str = "",
    publisher: Publisher | None = None,
    **source: Any,
) -> Evidence:
    """Link a new source (paused: nothing is fetched) to the claim through the service."""
    made = SourceFactory.create(
        publisher=publisher or PublisherFactory.create(), paused=True, **source
    )
    return evidence_add(
        claim=claim, source=made, stance=stance, certainty=certainty, kind=kind, quote=quote
    )


@dataclass
class Story:
    claim: Claim
    supporting: Evidence
    refuting: Evidence
    discussing: Evidence
    dead: Evidence
    withdrawn: Evidence


@pytest.fixture
def story(db) -> Story:
    """A published, forward-looking claim with evidence of every kind, a verdict and a
    source event on its history."""
    claim = claim_create(
        text="Acme will open a battery plant in Sunderland",
        claimant="Acme Motors",
        first_seen=datetime.date(2026, 1, 22),
        expected_by=timezone.localdate() - datetime.timedelta(days=10),
        tags=["cars", "日本"],
        context="Reported as early talks.",
        published=True,
    )
    acme = PublisherFactory.create(name="Acme Motors press office")
    supporting = link(
        claim,
        kind="primary",
        quote="We will build the plant",
        publisher=acme,
        title="Acme confirms Sunderland plant",
    )
    refuting = link(claim, stance="refutes", certainty="probable", quote="No such plan")
    discussing = link(claim, stance="discusses", certainty="possible", quote="Talks go on")
    dead = link(
        claim,
        quote="Sources say Sunderland",
        health="dead",
        archive_url="https://web.archive.org/web/2026/https://gone.example.org/story",
        title="The page that died",
    )
    withdrawn = link(claim, quote="A misread report", title="Misread report")
    evidence_deprecate(evidence=withdrawn, reason="It was about another company.")
    claim_set_verdict(claim=claim, verdict="confirmed", note="Acme said so in a statement.")
    claim_event_add(claim=claim, kind=EventKind.SOURCE_DEAD, summary="The page that died is dead.")
    claim.refresh_from_db()
    return Story(claim, supporting, refuting, discussing, dead, withdrawn)
