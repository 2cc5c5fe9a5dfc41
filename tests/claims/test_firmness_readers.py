"""bench/firmness_readers.py reads each claim with a stance model that never saw it."""

from __future__ import annotations

from analysis.assessment import STANCES
from analysis.assessment.learned import StanceModel
from bench.firmness_readers import FOLDS, _in_fold, fold_of, reader


def always(stance: str) -> StanceModel:
    intercept = tuple(5.0 if label == stance else 0.0 for label in STANCES)
    return StanceModel(STANCES, intercept, {}, {})


def test_each_claim_is_read_by_the_model_of_its_own_fold() -> None:
    models = [
        always(stance) for stance in ("supports", "refutes", "discusses", "refutes", "supports")
    ]
    claim = "Harrow Motors will build cars at the Dunmore plant"
    text = "Harrow Motors will build cars at the Dunmore plant, its chief said on Monday."
    for fold, model in enumerate(models):
        read = reader("model", models, {claim: fold})
        assert read(claim, text).stance == model.classes[model.intercept.index(5.0)]


def test_the_rules_need_no_model() -> None:
    read = reader("rules", [], {})
    assert (
        read("Harrow Motors will build cars", "Harrow Motors denied it will build cars.").stance
        == "refutes"
    )


def test_only_the_emergent_claims_of_the_fold_are_left_out_of_training() -> None:
    fold = fold_of("claim-7")
    assert _in_fold("emergent:claim-7", fold)
    assert not any(_in_fold("emergent:claim-7", other) for other in range(FOLDS) if other != fold)
    assert not any(_in_fold(group, fold) for group in ("story:claim-7", "own:claim-7", "claim-7"))
