"""Corroboration is not repetition: attribution, copied wording, a publisher's latest word
and denials reported by others, read before the evidence is weighed."""

from __future__ import annotations

from typing import Any

import pytest

from claims.corroboration import NO_ORIGIN, attribution
from claims.firmness import LEGACY_RULES, EvidenceInput, firmness_of
from claims.models import Claim
from claims.services.claims import claim_create
from claims.services.evidence import evidence_add
from sources.services import source_add_snapshot
from tests.factories import PublisherFactory, SourceFactory

CLAIM = "Chery will build cars at Jaguar Land Rover's factories in the UK"
HEDGED = "Chery is reportedly in early talks to build cars at Jaguar Land Rover's UK plants."
UPDATED = (
    "Chery is in early talks to build cars at Jaguar Land Rover's UK plants. Update: Chery "
    "denied the report, saying no agreement has been reached."
)


def piece(id: int, text: str = "", **fields: Any) -> EvidenceInput:
    values: dict[str, Any] = {
        "stance": "supports",
        "certainty": "certain",
        "kind": "secondary",
        "reliability": 0.8,
        "group": f"publisher:{id}",
        "speaker": f"publisher:{id}",
    }
    values.update(fields)
    return EvidenceInput(id=id, text=text, group_label=values["group"], **values)


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("Apple to buy Beats, according to the Financial Times", "financial times"),
        ("Banksy arrested, citing Daily Mail sources", "daily mail sources"),
        ("Reports say ISIS fighter ate a heart", NO_ORIGIN),
        ("Pregnant woman loses eye after police fire bean bag: reports", NO_ORIGIN),
        ("Apple confirms it will buy Beats for $3bn", None),
    ],
)
def test_attribution_is_read_from_the_words(text: str, origin: str | None) -> None:
    assert attribution(text) == origin


def test_reports_that_say_they_rely_on_others_count_once() -> None:
    hearsay = [piece(i, "Actor found dead, reports say") for i in range(1, 6)]
    legacy, now = firmness_of(hearsay, LEGACY_RULES), firmness_of(hearsay)
    assert legacy.level == "confirmed"
    assert sum(line.counted for line in now.lines) == 1
    assert now.level == "reported"


def test_copied_wording_counts_once() -> None:
    copies = [
        piece(1, "Pregnant woman loses eye after Ferguson police fire bean bag round"),
        piece(2, "Pregnant woman loses eye after Ferguson police fire a bean bag round"),
        piece(3, "Ferguson: police shot bean bag at car, woman lost an eye, lawyer says"),
    ]
    result = firmness_of(copies)
    assert [line.counted for line in result.lines] == [True, False, True]
    assert "Worded like evidence #1" in result.lines[1].note


def test_a_publishers_latest_word_replaces_its_earlier_one() -> None:
    earlier = piece(1, "Company to open plant", published_at=100.0)
    later = piece(2, "Company denies plant plan", stance="refutes", published_at=200.0)
    later = EvidenceInput(**{**later.__dict__, "speaker": "publisher:1"})
    result = firmness_of([earlier, later])
    assert [line.counted for line in result.lines] == [False, True]
    assert "Replaced by its publisher's later word, evidence #2" in result.lines[0].note
    assert result.support == 0.0


def test_a_denial_reported_by_a_secondary_source_weighs_as_the_denial() -> None:
    report = piece(1, HEDGED, certainty="possible", reliability=0.85)
    denial = piece(2, UPDATED, stance="refutes", certainty="possible", reliability=0.65)
    assert firmness_of([report, denial], LEGACY_RULES).level == "reported"
    result = firmness_of([report, denial])
    assert result.level == "refuted"
    assert "Reports a denial by those concerned" in result.lines[1].note


@pytest.mark.django_db
def test_the_seed_story_an_article_updated_with_chery_s_denial_is_not_left_reported() -> None:
    claim = claim_create(text=CLAIM, published=True)
    outlet = PublisherFactory.create(name="CnEVPost", reliability=0.65)
    source = SourceFactory.create(publisher=outlet, title="Chery and JLR")
    evidence_add(claim=claim, source=source)
    source_add_snapshot(source=source, text=HEDGED)
    # Read by the assessor in hedged words and checked by nobody: it weighs as discussing.
    assert Claim.objects.get(pk=claim.pk).firmness_level == "rumoured"
    source_add_snapshot(source=source, text=UPDATED)
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.firmness_level == "refuted"
    [line] = claim.firmness_explanation
    assert line["stance"] == "refutes"


def test_unchecked_support_in_hedged_words_weighs_as_discussing() -> None:
    hedged = piece(1, "Star may quit the club", certainty="possible", automatic=True)
    checked = piece(2, "Star may quit the club", certainty="possible")
    firm = piece(3, "Star quits the club", certainty="certain", automatic=True)
    result = firmness_of([hedged, checked, firm])
    assert [line.stance for line in result.lines] == ["discusses", "supports", "supports"]
    assert "Read automatically as support in hedged words" in result.lines[0].note
    assert firmness_of([hedged], LEGACY_RULES).lines[0].stance == "supports"
