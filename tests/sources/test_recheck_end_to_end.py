"""End to end on the real PostgreSQL and Redis: evidence is added, a real Celery worker
fetches the page from a local server, notices a change, then the page's death, and finds
its archived copy on a local stand-in for the Wayback availability API."""

from __future__ import annotations

import ipaddress
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from claims.models import Claim, ClaimEvent, EventKind, Evidence, LinkOffer
from claims.services.claims import claim_create
from claims.services.evidence import evidence_add
from sources.fetch import politeness, robots
from sources.models import Health, Source, SourceSnapshot
from sources.tasks import check_source, enqueue_due_sources
from tests.sources.httpserver import Reply, Seen, TestServer
from tests.waiting import wait_for
from tests.workers import queued_messages, real_worker

pytestmark = [pytest.mark.slow, pytest.mark.services, pytest.mark.django_db(transaction=True)]

ARTICLE = (
    "<html><head><title>Tram line</title></head><body><article><h1>Tram line</h1>"
    "<p>{text}</p></article></body></html>"
)


class Page:
    """The article as the publisher serves it now; the test edits and removes it."""

    def __init__(self, text: str) -> None:
        self._lock = threading.Lock()
        self.reply = Reply(200, ARTICLE.format(text=text))

    def set(self, reply: Reply) -> None:
        with self._lock:
            self.reply = reply

    def __call__(self, seen: Seen) -> Reply:
        with self._lock:
            return self.reply


@pytest.fixture
def site(settings: Any) -> Iterator[TestServer]:
    """The publisher and the archive stand-in, on one local server, with the rules made
    quick: any host turn at once (politeness still goes through Redis), dead after two
    failures with no minimum span."""
    settings.FACTCHECK_FETCH_ALLOWED_NETS = [ipaddress.ip_network("127.0.0.1/32")]
    settings.FACTCHECK_HOST_MIN_INTERVAL = 0.0
    settings.FACTCHECK_FETCH_DEADLINE = 5.0
    settings.FACTCHECK_DEAD_AFTER_FAILURES = 2
    settings.FACTCHECK_DEAD_MIN_SPAN = 0
    assert settings.FACTCHECK_POLITENESS_REDIS_URL.startswith("redis://")
    server = TestServer().start()
    settings.FACTCHECK_ARCHIVE_URL = server.url("/wayback/available")
    politeness.forget(server.host)
    robots.forget(server.url())
    try:
        yield server
    finally:
        server.stop()
        politeness.forget(server.host)
        robots.forget(server.url())


def archive_answer(server: TestServer) -> Callable[[Seen], Reply]:
    def respond(seen: Seen) -> Reply:
        asked = parse_qs(urlsplit(seen.path).query)
        copy = server.url(f"/web/{asked['timestamp'][0]}/") + asked["url"][0]
        closest = {"available": True, "url": copy, "timestamp": asked["timestamp"][0]}
        body = {"archived_snapshots": {"closest": closest | {"status": "200"}}}
        return Reply(200, json.dumps(body), content_type="application/json")

    return respond


@pytest.fixture
def worker() -> Iterator[None]:
    """A real worker consuming the default queue, `fetch` and `assess`, as the Procfile's
    worker and reader do."""
    with real_worker("celery", "fetch", "assess"):
        yield


def test_a_worker_follows_a_source_from_first_fetch_to_death(
    site: TestServer, worker: None
) -> None:
    page = Page("The tram line will open in May, the council said.")
    site.route("/news/tram", page)
    site.route("/wayback/available", archive_answer(site))
    claim = claim_create(text="The tram line will open in May", published=True)

    # Linking the source queues its first fetch once the link is committed.
    evidence = evidence_add(
        claim=claim, url=site.url("/news/tram"), stance="supports", quote="will open in May"
    )
    source = Source.objects.get(pk=evidence.source_id)
    snapshots = SourceSnapshot.objects.filter(source=source)
    assert wait_for(lambda: snapshots.count() == 1), "the first fetch never happened"
    source.refresh_from_db()
    assert source.health == Health.OK and source.last_ok_at is not None

    # The page is corrected; the beat task finds the source due and a check keeps version 2.
    page.set(Reply(200, ARTICLE.format(text="The tram line is delayed to next year.")))
    Source.objects.filter(pk=source.pk).update(next_check_at=timezone.now())
    enqueue_due_sources.delay()
    assert wait_for(lambda: snapshots.count() == 2), "the change was not noticed"
    changed = ClaimEvent.objects.filter(claim=claim, kind=EventKind.SOURCE_CHANGED)
    assert wait_for(changed.exists)
    assert changed.get().data["quotes_lost"] == ["will open in May"]
    claim.refresh_from_db()
    assert claim.needs_review
    assert any(r["code"] == f"source:{source.pk}" for r in claim.review_reasons)
    source.refresh_from_db()
    assert source.health == Health.CHANGED and source.last_ok_at is not None
    last_good = source.last_ok_at  # the archive is asked for a copy near this

    # The page disappears: dead after the configured two failures, with its archived copy.
    page.set(Reply(404, "<p>Not found</p>"))
    check_source.delay(source.pk)
    assert wait_for(lambda: Source.objects.get(pk=source.pk).consecutive_failures == 1)
    assert Source.objects.get(pk=source.pk).health == Health.ERROR
    check_source.delay(source.pk)
    assert wait_for(lambda: Source.objects.get(pk=source.pk).health == Health.DEAD)
    source.refresh_from_db()
    assert source.archive_url == (site.url(f"/web/{last_good:%Y%m%d%H%M%S}/") + source.url), (
        "the archived copy did not come from the stand-in"
    )
    dead = ClaimEvent.objects.get(claim=claim, kind=EventKind.SOURCE_DEAD)
    assert source.archive_url in dead.summary
    assert Claim.objects.get(pk=claim.pk).needs_review
    assert len(site.hits("/wayback/available")) == 1


def test_a_worker_reads_each_new_version_against_the_claims_and_offers_it_to_others(
    site: TestServer, worker: None
) -> None:
    page = Page(
        "Chery is reportedly exploring the use of Jaguar Land Rover's Halewood plant to "
        "build cars; no terms have been agreed."
    )
    site.route("/news/chery", page)
    claim = claim_create(text="Chery will build cars at JLR's Halewood plant", published=True)
    other = claim_create(text="Chery will use Jaguar Land Rover's Halewood plant")

    # No labels given: the first fetch's text labels the evidence automatically.
    evidence = evidence_add(claim=claim, url=site.url("/news/chery"))
    assert wait_for(lambda: Evidence.objects.get(pk=evidence.pk).suggestion_snapshot == 1)
    read = Evidence.objects.get(pk=evidence.pk)
    assert (read.labelled_by, read.stance, read.certainty) == ("automatic", "supports", "possible")
    # The offers are made after the evidence is read, in the same task: wait for them too.
    assert wait_for(lambda: LinkOffer.objects.filter(claim=other, source=read.source).exists())
    assert not LinkOffer.objects.filter(claim=claim).exists()

    # An update adds a denial: within one recheck the claim is flagged, the denial quoted.
    page.set(
        Reply(
            200,
            ARTICLE.format(
                text="Chery has confirmed it will build cars at JLR's Halewood plant. "
                "Later on Monday a spokesperson denied the report."
            ),
        )
    )
    check_source.delay(read.source_id)
    assert wait_for(lambda: Evidence.objects.get(pk=evidence.pk).suggestion_snapshot == 2)
    now = Evidence.objects.get(pk=evidence.pk)
    assert (now.stance, now.certainty) == ("refutes", "certain")
    reasons = Claim.objects.get(pk=claim.pk).review_reasons
    moved = [r for r in reasons if r["code"] == f"assessment:{evidence.pk}"]
    assert moved and "denied the report" in moved[0]["message"]
    assert ClaimEvent.objects.filter(claim=claim, kind=EventKind.EVIDENCE_ASSESSED).exists()


def test_the_fetch_worker_leaves_the_reading_of_a_page_to_the_assess_queue(
    site: TestServer,
) -> None:
    confirmed = "Chery has confirmed it will build cars at JLR's Halewood plant."
    site.route("/news/plant", Page(confirmed))
    claim = claim_create(text="Chery will build cars at JLR's Halewood plant", published=True)
    with real_worker("celery", "fetch"):  # the Procfile's worker, without its reader
        evidence = evidence_add(claim=claim, url=site.url("/news/plant"))
        assert wait_for(lambda: len(site.hits("/news/plant")) == 1)
        assert wait_for(lambda: queued_messages("assess") == 1)  # the page, for the reader
    source = Source.objects.get(pk=evidence.source_id)
    assert source.last_checked_at is None and not source.snapshots.exists()

    with real_worker("assess", purge=False):  # the reader: the text, then the claims
        assert wait_for(lambda: Evidence.objects.get(pk=evidence.pk).suggestion_snapshot == 1)
    source = Source.objects.get(pk=evidence.source_id)
    assert source.last_checked_at is not None and source.health == Health.OK
    assert confirmed in source.snapshots.get().text
    read = Evidence.objects.get(pk=evidence.pk)
    assert (read.labelled_by, read.stance, read.certainty) == ("automatic", "supports", "certain")
    assert len(site.hits("/news/plant")) == 1  # read once, off the network and then as text
