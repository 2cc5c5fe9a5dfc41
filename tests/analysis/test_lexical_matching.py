"""The lexical claim index on its own: pure Python, no database (analysis.matching)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.matching import ClaimText, build_index
from analysis.matching.lexical import (
    CANDIDATE_FLOOR,
    DEFAULT_STRONG_AT,
    DEFAULT_SUGGEST_AT,
    PASSAGE_MAX,
    LexicalIndex,
)

CLAIMS = [
    ClaimText(1, "Corvid Motors will build electric vans at its Swindon factory."),
    ClaimText(2, "The city council will close the Eastgate swimming pool."),
    ClaimText(3, "Harbour Rail has cancelled the night train to Inverness."),
    ClaimText(4, "Corvid Motors will cut 400 jobs in Coventry."),
]
ARTICLE = (
    "Shares in the carmaker rose on Thursday. Corvid Motors said it would assemble "
    "electric vans at the Swindon plant from next spring, after months of talks with "
    "suppliers. The company also reported higher sales in Spain."
)
WEATHER = "Heavy rain is expected across the north on Friday, with gales along the coast."


@pytest.fixture
def index() -> LexicalIndex:
    return LexicalIndex(CLAIMS)


def test_the_claim_a_text_is_about_ranks_first_with_its_passage(index):
    found = index.search(ARTICLE)
    assert found[0].claim_id == 1
    assert found[0].passage.startswith("Corvid Motors said it would assemble electric vans")
    assert found[0].score >= DEFAULT_STRONG_AT


def test_a_paraphrase_still_reaches_the_suggestion_threshold(index):
    paraphrase = "Vans powered by batteries are to be made by Corvid Motors in Swindon."
    found = index.search(paraphrase, min_score=DEFAULT_SUGGEST_AT)
    assert [match.claim_id for match in found][:1] == [1]


def test_claims_sharing_only_a_name_with_the_text_score_below_the_suggestion_threshold(index):
    scores = {match.claim_id: match.score for match in index.search(ARTICLE)}
    assert scores.get(4, 0.0) < DEFAULT_SUGGEST_AT  # Corvid Motors, but not about jobs
    assert 2 not in scores and 3 not in scores


def test_a_text_on_another_matter_matches_nothing(index):
    assert index.search(WEATHER) == []


def test_the_passage_takes_two_sentences_when_the_claim_is_spread_over_them(index):
    text = "The night train to Inverness is over. Harbour Rail has cancelled it for good."
    found = index.search(text)
    assert found[0].claim_id == 3
    assert found[0].passage == text
    assert found[0].score == 1.0


def test_initials_in_the_text_stand_for_the_name_in_the_claim():
    index = LexicalIndex([ClaimText(7, "Jaguar Land Rover will close its Halewood plant.")])
    found = index.search("JLR confirmed on Monday that it will close Halewood.")
    assert found and found[0].claim_id == 7
    assert found[0].score >= DEFAULT_STRONG_AT


def test_min_score_and_limit_are_honoured(index):
    assert all(match.score >= 0.9 for match in index.search(ARTICLE, min_score=0.9))
    assert len(index.search(ARTICLE, limit=1, min_score=0.0)) == 1
    assert index.search(ARTICLE, limit=0) == []


def test_empty_texts_and_empty_indexes_match_nothing(index):
    assert index.search("") == []
    assert index.search("... !!! ???") == []
    assert LexicalIndex([]).search(ARTICLE) == []
    assert LexicalIndex([ClaimText(1, "It is.")]).search("It is, is it not?") == []


def test_a_passage_without_full_stops_is_shortened():
    long_text = "Swindon " + "word " * 2000 + "Corvid Motors electric vans factory build"
    found = LexicalIndex(CLAIMS[:1]).search(long_text, min_score=0.0)
    assert found and len(found[0].passage) <= PASSAGE_MAX
    assert found[0].passage.endswith("…")


def test_build_index_gives_the_lexical_index_by_default():
    index = build_index(CLAIMS)
    assert index.method == "lexical"
    assert (index.suggest_at, index.strong_at) == (DEFAULT_SUGGEST_AT, DEFAULT_STRONG_AT)
    assert CANDIDATE_FLOOR <= DEFAULT_SUGGEST_AT  # default searches take the short lists


VOCABULARY = (
    "corvid motors vans swindon council pool eastgate rail night train inverness",
    "jobs coventry electric close build cut cancel harbour factory city swimming",
)
WORDS = st.sampled_from([word for line in VOCABULARY for word in line.split()])
SENTENCE = st.lists(WORDS, min_size=1, max_size=12).map(lambda ws: " ".join(ws) + ".")
FILLER = st.text(alphabet="qxzjv", min_size=4, max_size=9)  # words no claim here uses


@settings(max_examples=150, deadline=None)
@given(
    claims=st.lists(SENTENCE, min_size=1, max_size=25),
    text=st.lists(SENTENCE, min_size=1, max_size=8).map(" ".join),
    min_score=st.sampled_from([0.0, 0.2, CANDIDATE_FLOOR, 0.5, 0.8]),
    limit=st.integers(min_value=1, max_value=5),
)
def test_searches_are_exact_and_scores_stay_between_0_and_1(claims, text, min_score, limit):
    index = LexicalIndex([ClaimText(i + 1, claim) for i, claim in enumerate(claims)])
    found = index.search(text, limit=limit, min_score=min_score)
    everything = index.search(text, limit=len(claims), min_score=0.0)
    assert all(0.0 < match.score <= 1.0 for match in everything)
    assert all(match.passage and match.passage in text for match in everything)
    expected = [(m.claim_id, m.score) for m in everything if m.score >= min_score][:limit]
    assert [(m.claim_id, m.score) for m in found] == expected


@settings(max_examples=100, deadline=None)
@given(fillers=st.lists(st.lists(FILLER, min_size=2, max_size=6).map(" ".join), max_size=40))
def test_unrelated_claims_added_to_the_index_do_not_unseat_the_best_match(fillers):
    extra = [ClaimText(100 + i, text) for i, text in enumerate(fillers)]
    before = LexicalIndex(CLAIMS).search(ARTICLE)
    after = LexicalIndex([*CLAIMS, *extra]).search(ARTICLE)
    assert after[0].claim_id == before[0].claim_id == 1
    assert after[0].score >= DEFAULT_SUGGEST_AT
    assert {m.claim_id for m in after} == {m.claim_id for m in before}
