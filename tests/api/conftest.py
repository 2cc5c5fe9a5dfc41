"""Fixtures for the API tests: the callers (anonymous, read-only token, editor token,
editor session) and a small world of claims built through the services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.api.changes import SETTLE
from claims.models import Claim, ClaimEvent, Evidence
from claims.services.claims import claim_create, claim_set_verdict
from claims.services.evidence import evidence_add
from factcheck.api.throttling import failed_open
from sources.models import Publisher, Source
from sources.services import source_add_snapshot
from tests.factories import EditorFactory, PublisherFactory, SourceFactory, UserFactory

API = "/api/v1"


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """Throttle counters live in the cache: every test starts and ends with none."""
    cache.clear()
    failed_open.reset()
    yield
    cache.clear()
    failed_open.reset()


def token_client(user: Any) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def editor_token_client(db) -> APIClient:
    return token_client(EditorFactory.create())


@pytest.fixture
def reader(db) -> Any:
    return UserFactory.create()


@pytest.fixture
def reader_token_client(reader) -> APIClient:
    return token_client(reader)


@pytest.fixture
def editor_session_client(db) -> APIClient:
    client = APIClient()
    client.force_login(EditorFactory.create())
    return client


def make_claim(
    *,
    user: Any = None,
    published: bool = True,
    evidence: int = 0,
    publisher: Publisher | None = None,
    **fields: Any,
) -> Claim:
    """A claim made as the desk makes it: through the services, with `evidence` sources."""
    fields.setdefault("text", "Acme will open a battery factory in Leeds")
    claim = claim_create(user=user, published=published, **fields)
    for _ in range(evidence):
        source = SourceFactory.create(publisher=publisher) if publisher else SourceFactory.create()
        evidence_add(claim=claim, user=user, source=source, stance="supports", certainty="probable")
    claim.refresh_from_db()
    return claim


def settle() -> None:
    """Move every claim event out of the change feed's settle window. Events refuse .save()
    once written; a queryset update is how a test ages them."""
    ClaimEvent.objects.update(at=timezone.now() - SETTLE - datetime.timedelta(seconds=60))


@dataclass
class World:
    editor: Any
    published: Claim
    unpublished: Claim
    published_evidence: Evidence
    unpublished_evidence: Evidence
    public_source: Source
    private_source: Source
    public_publisher: Publisher
    private_publisher: Publisher


@pytest.fixture
def world(db) -> World:
    """A published and an unpublished claim, each citing its own publisher's source; the
    published claim's source has two snapshots and the claim one change of verdict."""
    editor = EditorFactory.create()
    public_publisher = PublisherFactory.create(name="Public Gazette")
    private_publisher = PublisherFactory.create(name="Private Letter")
    public_source = SourceFactory.create(publisher=public_publisher)
    private_source = SourceFactory.create(publisher=private_publisher)
    published = claim_create(
        user=editor,
        text="Acme will open a battery factory in Leeds",
        context="Announced at a trade fair.",
        claimant="Acme plc",
        first_seen=datetime.date(2025, 3, 1),
        tags=["Energy"],
        published=True,
    )
    unpublished = claim_create(user=editor, text="Beta Ltd will close its Hull depot")
    published_evidence = evidence_add(
        claim=published, user=editor, source=public_source, stance="supports"
    )
    unpublished_evidence = evidence_add(
        claim=unpublished, user=editor, source=private_source, stance="refutes"
    )
    claim_set_verdict(
        claim=published,
        verdict="unconfirmed",
        note="Only the company says so.",
        user=editor,
        evidence=[published_evidence.pk],
    )
    source_add_snapshot(source=public_source, text="Acme plans a factory. It will be in Leeds.")
    source_add_snapshot(
        source=public_source, text="Acme plans a factory. It will be in Bradford. Jobs: 300."
    )
    published.refresh_from_db()
    unpublished.refresh_from_db()
    return World(
        editor=editor,
        published=published,
        unpublished=unpublished,
        published_evidence=published_evidence,
        unpublished_evidence=unpublished_evidence,
        public_source=public_source,
        private_source=private_source,
        public_publisher=public_publisher,
        private_publisher=private_publisher,
    )
