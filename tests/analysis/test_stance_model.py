"""The learned stance model: training writes weights that the plain-Python model reads back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis.assessment import STANCES, assess
from analysis.assessment import passages as passages_module
from analysis.assessment.fnc import FncPair
from analysis.assessment.learned import MODEL_FILE, load_model, stance_model
from analysis.assessment.training import save, train

pytest.importorskip("sklearn", reason="training needs the train extra (in dev)")

TOPICS = [
    ("Chery will build cars at the Halewood plant", "Chery", "Halewood plant"),
    ("The council will close the Mill Road library", "The council", "Mill Road library"),
    ("Rovers will sign the striker Ben Adu", "Rovers", "striker Ben Adu"),
    ("The city will ban diesel buses", "The city", "diesel buses"),
]
BODIES = {
    "supports": "{who} has confirmed the plan for the {what}, officials announced on Monday.",
    "refutes": "{who} denied the report about the {what} and called it false and baseless.",
    "discusses": "It is unclear whether {who} will act on the {what}; nobody would comment.",
    "unrelated": "Heavy rain flooded several streets and closed the motorway overnight.",
}


def tiny_training_set() -> list[FncPair]:
    pairs = []
    for copy in range(6):
        for number, (claim, who, what) in enumerate(TOPICS):
            for stance, body in BODIES.items():
                body_id = copy * 100 + number * 10 + STANCES.index(stance)
                text = body.format(who=who, what=what) + f" Report {copy}."
                pairs.append(FncPair(claim, body_id, text, stance))
    return pairs


@pytest.fixture
def scratch_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Training writes its IDF table here instead of over the committed one."""
    monkeypatch.setattr(passages_module, "IDF_TABLE", tmp_path / "idf.json.gz")
    passages_module.idf_table.cache_clear()
    yield tmp_path
    passages_module.idf_table.cache_clear()


def test_training_writes_a_model_that_reads_back_and_learns_the_pattern(
    scratch_tables: Path,
) -> None:
    log: list[str] = []
    trained = train(tiny_training_set(), log.append, workers=1)
    assert (scratch_tables / "idf.json.gz").exists()
    assert any(line.startswith("IDF table:") for line in log)
    assert set(trained.model.classes) == set(STANCES)
    save(trained.model, scratch_tables / "model.json.gz")
    model = load_model(scratch_tables / "model.json.gz")
    assert model.weights == trained.model.weights
    assert trained.validation["chosen"] in trained.validation["macro_f1_by_strength"]


def test_the_committed_model_is_small_and_loads_without_scikit_learn_at_predict_time() -> None:
    assert MODEL_FILE.stat().st_size < 1_000_000
    model = stance_model()
    assert set(model.classes) == set(STANCES)
    assert "trained_on" in model.about


def test_the_model_method_gives_a_probability_as_confidence() -> None:
    result = assess(
        "Chery will build cars at Jaguar Land Rover's UK factories",
        "Chery denied reports that it will build cars at Jaguar Land Rover's UK factories.",
        method="model",
    )
    assert result.method == "model"
    assert result.stance in STANCES
    assert 0.25 <= result.confidence <= 1.0


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown assessment method"):
        assess("a claim", "a text", method="oracle")
