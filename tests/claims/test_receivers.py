"""How claims hear about their sources and publishers changing."""

from __future__ import annotations

from typing import Any

import pytest

from claims.models import Claim
from claims.services.claims import claim_create
from claims.services.evidence import evidence_add, evidence_deprecate
from sources.models import Source
from sources.services import SourceChange, publisher_update, source_add_snapshot
from sources.signals import source_changed
from tests.factories import PublisherFactory, SourceFactory

pytestmark = pytest.mark.django_db

FIRST_TEXT = "Acme said: we will open a plant in Leeds next year."
QUOTE = "we will open a plant in Leeds"
FIRM: dict[str, Any] = {"stance": "supports", "certainty": "certain", "kind": "secondary"}


@pytest.fixture
def source() -> Source:
    publisher = PublisherFactory.create(name="Leeds Courier", reliability=0.8)
    return SourceFactory.create(publisher=publisher, title="Acme plans a plant")


def cite(source: Source, text: str = "Acme will open a plant", quote: str = QUOTE) -> Claim:
    claim = claim_create(text=text)
    evidence_add(claim=claim, source=source, quote=quote, **FIRM)
    return Claim.objects.get(pk=claim.pk)


def fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def kinds(claim: Claim) -> list[str]:
    return list(claim.events.order_by("id").values_list("kind", flat=True))


def test_the_first_snapshot_of_a_source_flags_nothing(source):
    claim = cite(source)
    source_add_snapshot(source=source, text=FIRST_TEXT)
    assert not fresh(claim).needs_review
    assert "source_changed" not in kinds(claim)


def test_a_new_version_tells_every_claim_citing_the_source(source):
    # Claims the text backs as labelled, so that no reading of it adds a reason of its own.
    claims = [cite(source, text=text) for text in ("Acme will open a plant", "Acme opens a plant")]
    source_add_snapshot(source=source, text=FIRST_TEXT)
    source_add_snapshot(source=source, text=FIRST_TEXT + " Updated at noon.")
    for claim in claims:
        event = claim.events.get(kind="source_changed")
        assert event.data == {"source": source.pk, "snapshot": 2, "quotes_lost": []}
        flagged = fresh(claim)
        assert flagged.needs_review
        (reason,) = flagged.review_reasons
        assert reason["code"] == f"source:{source.pk}"
        assert "Leeds Courier: Acme plans a plant has a new version (#2)" in reason["message"]
        assert "no longer" not in reason["message"]


def test_a_new_version_without_the_quoted_words_says_they_are_lost(source):
    claim = cite(source)
    source_add_snapshot(source=source, text=FIRST_TEXT)
    source_add_snapshot(source=source, text="Acme said it may one day build something.")
    event = claim.events.get(kind="source_changed")
    assert event.data["quotes_lost"] == [QUOTE]
    message = fresh(claim).review_reasons[0]["message"]
    assert f"The quoted words are no longer in its text: “{QUOTE}”" in message


def test_the_same_text_again_makes_no_snapshot_and_tells_no_one(source):
    claim = cite(source)
    source_add_snapshot(source=source, text=FIRST_TEXT)
    again = source_add_snapshot(source=source, text="  " + FIRST_TEXT.replace(" ", "\n", 2))
    assert again is None
    assert source.snapshots.count() == 1
    assert "source_changed" not in kinds(claim)
    assert not fresh(claim).needs_review


def test_claims_whose_link_was_deprecated_are_not_told(source):
    claim = cite(source)
    evidence_deprecate(evidence=claim.evidence.get(), reason="Wrong article")
    source_add_snapshot(source=source, text=FIRST_TEXT)
    source_add_snapshot(source=source, text="Something else entirely.")
    assert "source_changed" not in kinds(claim)
    assert not fresh(claim).needs_review


def test_a_later_version_replaces_the_sources_review_reason_rather_than_piling_up(source):
    claim = cite(source)
    for text in (FIRST_TEXT, "Second version.", "Third version."):
        source_add_snapshot(source=source, text=text)
    reasons = fresh(claim).review_reasons
    # One reason for the source's versions; what the text now reads is a concern of its own.
    (evidence,) = claim.evidence.all()
    assert [r["code"] for r in reasons] == [f"source:{source.pk}", f"assessment:{evidence.pk}"]
    assert "(#3)" in reasons[0]["message"]
    assert "(version #3)" in reasons[1]["message"]


def test_a_publishers_new_reliability_recomputes_the_claims_citing_it(source):
    claim = cite(source)
    other = cite(SourceFactory.create(), text="Unrelated claim")
    before, other_before = fresh(claim).firmness_score, fresh(other).firmness_score
    publisher_update(publisher=source.publisher, reliability=0.2)
    assert fresh(claim).firmness_score < before
    assert fresh(other).firmness_score == other_before
    change = claim.events.get(kind="firmness_changed", data__previous_score=before)
    assert change.data["score"] == fresh(claim).firmness_score


def test_a_publisher_that_originated_derived_evidence_reaches_those_claims_too(source):
    claim = claim_create(text="Acme will open a plant")
    evidence_add(claim=claim, source=SourceFactory.create(), derived_from=source, **FIRM)
    origin_note = fresh(claim).firmness_explanation[0]["note"]
    publisher_update(publisher=source.publisher, name="The Leeds Courier")
    assert "earlier report by Leeds Courier" in origin_note
    assert "earlier report by The Leeds Courier" in fresh(claim).firmness_explanation[0]["note"]


def test_a_dead_source_is_noted_flagged_and_counts_less(source):
    claim = cite(source)
    before = fresh(claim).firmness_score
    source.health = "dead"
    source.save(update_fields=["health"])
    source_changed.send(sender=Source, source=source, change=SourceChange.DEAD)
    event = claim.events.get(kind="source_dead")
    assert event.summary == "Leeds Courier: Acme plans a plant is dead. No archived copy."
    flagged = fresh(claim)
    assert flagged.needs_review
    assert flagged.review_reason_codes() == {f"source:{source.pk}"}
    assert flagged.firmness_score < before
    assert "The source is dead (no archived copy)" in flagged.firmness_explanation[0]["note"]


def test_a_source_coming_back_is_noted_without_flagging(source):
    claim = cite(source)
    source_changed.send(sender=Source, source=source, change=SourceChange.ALIVE)
    assert claim.events.get(kind="source_alive").summary.endswith("answers again.")
    assert not fresh(claim).needs_review


def test_a_dead_source_announced_twice_is_flagged_once_even_with_a_long_message(source):
    claim = cite(source)
    source.health = "dead"
    source.archive_url = "https://archive.example/web/" + "x" * 1500
    source.save(update_fields=["health", "archive_url"])
    for _ in range(2):
        source_changed.send(sender=Source, source=source, change=SourceChange.DEAD)
    assert claim.events.filter(kind="review_flagged").count() == 1
    assert len(fresh(claim).review_reasons[0]["message"]) == 1000
