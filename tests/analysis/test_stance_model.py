"""The learned stance model: training writes weights that the plain-Python model reads back
and predicts with. (That predicting needs no scikit-learn is checked in
test_default_install.py, in a process that never imported it.)"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from analysis.assessment import STANCES, assess
from analysis.assessment.emergent import EmergentPair, EmergentSplit
from analysis.assessment.fnc import FncPair, FncSplit
from analysis.assessment.learned import (
    MODEL_FILE,
    StanceModel,
    assess_by_model,
    load_model,
    stance_model,
)
from analysis.assessment.training import (
    Example,
    idf_table_at,
    save,
    train,
    training_examples,
)
from tests.analysis.test_evaluation import SUPPORTED, tiny_fnc

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


def tiny_training_set() -> list[Example]:
    examples = []
    for copy in range(6):
        for number, (claim, who, what) in enumerate(TOPICS):
            for stance, body in BODIES.items():
                text = body.format(who=who, what=what) + f" Report {copy}."
                examples.append(Example(claim, text, stance, f"story {copy}-{number}"))
    return examples


def accuracy_on(examples: list[Example], model: StanceModel, idf: Path) -> float:
    with idf_table_at(idf):
        given = [assess_by_model(e.claim, e.text, model).stance for e in examples]
    return sum(g == e.stance for g, e in zip(given, examples, strict=True)) / len(examples)


def test_training_writes_a_model_that_reads_back_and_predicts_what_it_learned(
    tmp_path: Path,
) -> None:
    log: list[str] = []
    examples = tiny_training_set()
    bodies = sorted({e.text for e in examples})
    idf = tmp_path / "idf.json.gz"
    trained = train(examples, bodies, log.append, workers=1, idf_path=idf)
    assert idf.exists()
    assert any(line.startswith("IDF table:") for line in log)
    assert set(trained.model.classes) == set(STANCES)
    save(trained.model, tmp_path / "model.json.gz")
    model = load_model(tmp_path / "model.json.gz")
    assert model.weights == trained.model.weights
    assert accuracy_on(examples, model, idf) >= 0.9
    weightless = StanceModel(model.classes, model.intercept, {}, model.about)
    assert accuracy_on(examples, weightless, idf) <= 0.5
    assert trained.validation["chosen"] in trained.validation["macro_f1_by_strength"]


def test_training_leaves_out_every_headline_the_other_data_set_holds_out() -> None:
    fnc = FncSplit(
        train=[FncPair("Shared headline", 1, "Body one.", "supports"),
               FncPair("Own headline", 2, "Body two.", "refutes")],
        holdout=[FncPair("Held headline", 3, "Body three.", "discusses")],
    )  # fmt: skip
    emergent = EmergentSplit(
        train=[EmergentPair("c1", "Claim one", "held  HEADLINE", "supports"),
               EmergentPair("c1", "Claim one", "Emergent headline", "refutes")],
        holdout=[EmergentPair("c2", "Claim two", "Shared headline", "supports")],
    )  # fmt: skip
    examples = training_examples(fnc, emergent)
    assert [e.text if e.group.startswith("emergent") else e.claim for e in examples] == [
        "Own headline",
        "Emergent headline",
    ]


def test_train_stance_trains_on_a_small_sample_into_the_folder_it_is_given(
    tmp_path: Path, settings: Any
) -> None:
    settings.FACTCHECK_FNC1_DIR = tiny_fnc(tmp_path / "fnc")
    emergent = tmp_path / "emergent.jsonl"
    emergent.write_text(
        json.dumps({"id": "c1", "text": SUPPORTED, "evidence": [
            {"title": "Northwind Motors denies Leipzig car plan", "stance": "refutes"},
            {"title": "Northwind Motors confirms Leipzig car plan", "stance": "supports"},
        ]}) + "\n"
    )  # fmt: skip
    out = StringIO()
    call_command("train_stance", "--out", str(tmp_path), "--emergent", str(emergent), stdout=out)
    assert "Saved" in out.getvalue()
    model = load_model(tmp_path / MODEL_FILE.name)
    assert model.about["groups"] > 10
    with idf_table_at(tmp_path / "idf.json.gz"):
        denied = assess_by_model(
            "Northwind Motors denies it will build cars in Town3",
            'Northwind Motors said "yes": it will build electric cars at its Town3 plant, '
            "a spokesperson confirmed.",
            model,
        )
    assert denied.stance == "refutes"


def test_train_stance_refuses_a_folder_that_is_not_there(tmp_path: Path, settings: Any) -> None:
    settings.FACTCHECK_FNC1_DIR = tiny_fnc(tmp_path / "fnc", bodies=4)
    with pytest.raises(CommandError, match="No such folder"):
        call_command("train_stance", "--out", str(tmp_path / "absent"), stdout=StringIO())


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


def test_the_committed_model_is_small_and_says_what_it_was_trained_on() -> None:
    assert MODEL_FILE.stat().st_size < 1_000_000
    model = stance_model()
    assert set(model.classes) == set(STANCES)
    assert "trained_on" in model.about
