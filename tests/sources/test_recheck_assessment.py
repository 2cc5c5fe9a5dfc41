"""A recheck through the real fetch pipeline (a local server, source_check, extraction)
reads each new version against the claims citing the page and tells the desk what moved."""

from __future__ import annotations

import pytest

from claims.models import Claim, EventKind, Evidence, LabelledBy
from claims.services.claims import claim_create
from claims.services.evidence import evidence_add
from claims.services.reading import READ_TASK
from claims.tasks import read_source_version
from factcheck.celery import app
from outbox.models import OutboxMessage
from sources.checking import source_check
from sources.models import Health, Source
from sources.services import source_add_snapshot
from tests.factories import PublisherFactory, SourceFactory
from tests.readings import read_promised_versions
from tests.sources.httpserver import Reply, TestServer

pytestmark = pytest.mark.django_db

EXPLORING = (
    "Chery is reportedly exploring the use of Jaguar Land Rover's factories in Britain, "
    "according to people briefed on the talks; no terms have been agreed."
)
CONFIRMING = "Chery has confirmed it will build cars at Halewood, the JLR plant on Merseyside."
DENIAL = "A spokesperson for the company has since denied the report."
BACKGROUND = "Halewood already builds smaller Land Rover models."


def page(*paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html lang='en'><head><title>Chery and Halewood</title></head>"
        f"<body><article><h1>Chery and Halewood</h1>{body}</article></body></html>"
    )


def test_each_fetched_version_is_read_and_the_one_that_moves_flags_the_claim(
    server: TestServer,
) -> None:
    server.route(
        "/chery",
        Reply(200, page(EXPLORING, BACKGROUND)),
        Reply(200, page(CONFIRMING, BACKGROUND)),
        Reply(200, page(CONFIRMING + " " + DENIAL, BACKGROUND)),
    )
    publisher = PublisherFactory.create(name="Mersey Wire")
    source = SourceFactory.create(
        publisher=publisher, url=server.url("/chery"), health=Health.UNCHECKED, title=""
    )
    claim = claim_create(text="Chery will build cars at Jaguar Land Rover's Halewood plant")
    evidence = evidence_add(claim=claim, source=source)

    source_check(source=source)
    assert read_promised_versions() == 1
    read = Evidence.objects.get(pk=evidence.pk)
    assert read.labelled_by == LabelledBy.AUTOMATIC
    assert (read.stance, read.certainty, read.suggestion_snapshot) == ("supports", "possible", 1)
    assert not Claim.objects.get(pk=claim.pk).needs_review

    source_check(source=source)
    assert read_promised_versions() == 1
    read = Evidence.objects.get(pk=evidence.pk)
    assert (read.suggested_stance, read.suggested_certainty) == ("supports", "certain")
    assert read.suggestion_snapshot == 2
    assert CONFIRMING in read.suggested_passage
    reasons = {r["code"]: r["message"] for r in Claim.objects.get(pk=claim.pk).review_reasons}
    message = reasons[f"assessment:{evidence.pk}"]
    assert message.startswith("Mersey Wire: Chery and Halewood (version #2) now reads")
    assert "supports, certain — was supports, possible" in message
    assert CONFIRMING in message.split("The passage: “", 1)[1]

    source_check(source=source)
    assert read_promised_versions() == 1
    read = Evidence.objects.get(pk=evidence.pk)
    assert (read.stance, read.suggestion_snapshot) == ("refutes", 3)
    claim = Claim.objects.get(pk=claim.pk)
    reasons = {r["code"]: r["message"] for r in claim.review_reasons}
    assert "refutes, certain — was supports, certain" in reasons[f"assessment:{evidence.pk}"]
    assert DENIAL in reasons[f"assessment:{evidence.pk}"]
    assert f"source:{source.pk}" in reasons  # the page's own change, told as before
    assert claim.events.filter(kind=EventKind.EVIDENCE_ASSESSED).count() == 3
    assert claim.firmness_level == "refuted"


def a_cited_page(server: TestServer, *replies: Reply) -> tuple[Source, Evidence]:
    server.route("/chery", *replies)
    source = SourceFactory.create(url=server.url("/chery"), health=Health.UNCHECKED, title="")
    claim = claim_create(text="Chery will build cars at Jaguar Land Rover's Halewood plant")
    return source, evidence_add(claim=claim, source=source)


def test_a_check_promises_the_reading_of_a_new_version_on_the_assess_queue(
    server: TestServer,
) -> None:
    source, evidence = a_cited_page(server, Reply(200, page(CONFIRMING, BACKGROUND)))
    report = source_check(source=source)
    assert report.snapshot == 1
    assert Evidence.objects.get(pk=evidence.pk).suggestion_snapshot is None  # not read in the check
    [promised] = OutboxMessage.objects.pending().filter(task=READ_TASK)
    assert promised.args == [source.pk, 1]
    assert app.amqp.router.route({}, READ_TASK)["queue"].name == "assess"

    assert read_promised_versions() == 1
    assert Evidence.objects.get(pk=evidence.pk).suggestion_snapshot == 1


def test_a_reading_overtaken_by_a_newer_version_reads_nothing_and_twice_reads_once(
    server: TestServer,
) -> None:
    source, evidence = a_cited_page(
        server, Reply(200, page(EXPLORING, BACKGROUND)), Reply(200, page(CONFIRMING, BACKGROUND))
    )
    source_check(source=source)
    source_check(source=source)
    read_source_version(source.pk, 1)
    assert Evidence.objects.get(pk=evidence.pk).suggestion_snapshot is None
    read_source_version(source.pk, 2)
    read_source_version(source.pk, 2)
    assert Evidence.objects.get(pk=evidence.pk).suggestion_snapshot == 2
    assert (
        Claim.objects.get(pk=evidence.claim_id)
        .events.filter(kind=EventKind.EVIDENCE_ASSESSED)
        .count()
        == 1
    )


def test_a_version_an_editor_types_in_is_read_at_once(server: TestServer) -> None:
    source, evidence = a_cited_page(server, Reply(404))
    source_add_snapshot(source=source, text=CONFIRMING)
    assert Evidence.objects.get(pk=evidence.pk).suggestion_snapshot == 1
    assert not OutboxMessage.objects.filter(task=READ_TASK).exists()
