"""Measuring the assessor: the metrics, FNC-1's scorer, loading and splitting the data, and
`manage.py evaluate_assessor`. All data here is written in tmp_path by the tests."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from analysis.assessment import STANCES
from analysis.assessment.evaluation import (
    claim_key,
    evaluate_own_set,
    fnc_baselines,
    load_own_set,
    score_fnc,
)
from analysis.assessment.fnc import (
    FncDataMissing,
    FncPair,
    FncSplit,
    fit_overlap_threshold,
    load_fnc,
    overlap_stances,
    split_fnc,
)
from analysis.assessment.metrics import fnc_pair_credit, fnc_weighted_score, score_labels
from analysis.assessment.reading import CERTAINTIES

ROOT = Path(__file__).resolve().parents[2]
SUPPORTED = "Northwind Motors will build electric cars at its Leipzig plant"
OTHER_MATTER = "The city council approved a new budget for parks and libraries on Monday."


# Metrics


def test_it_scores_a_hand_computed_example() -> None:
    gold = ["a", "a", "a", "b", "b", "c"]
    given = ["a", "a", "b", "b", "c", "c"]
    scores = score_labels(gold, given, ("a", "b", "c"))
    assert scores.accuracy == pytest.approx(4 / 6)
    a, b, c = scores.classes["a"], scores.classes["b"], scores.classes["c"]
    assert (a.precision, a.recall, a.f1) == pytest.approx((1.0, 2 / 3, 0.8))
    assert (b.precision, b.recall, b.f1) == pytest.approx((0.5, 0.5, 0.5))
    assert (c.precision, c.recall, c.f1) == pytest.approx((0.5, 1.0, 2 / 3))
    assert scores.macro_f1 == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)
    assert scores.confusion == {
        "a": {"a": 2, "b": 1, "c": 0},
        "b": {"a": 0, "b": 1, "c": 1},
        "c": {"a": 0, "b": 0, "c": 1},
    }


def test_a_class_never_predicted_scores_zero_and_still_counts_in_macro_f1() -> None:
    scores = score_labels(["a", "b", "c", "c"], ["a", "b", "b", "a"], ("a", "b", "c"))
    never = scores.classes["c"]
    assert (never.precision, never.recall, never.f1, never.predicted) == (0.0, 0.0, 0.0, 0)
    assert scores.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)


def test_a_class_absent_from_gold_and_predictions_scores_zero() -> None:
    scores = score_labels(["a"], ["a"], ("a", "b"))
    assert scores.classes["b"].f1 == 0.0
    assert scores.macro_f1 == pytest.approx(0.5)


def test_it_refuses_unknown_labels_and_unequal_lengths() -> None:
    with pytest.raises(ValueError, match="outside"):
        score_labels(["a"], ["z"], ("a", "b"))
    with pytest.raises(ValueError, match="1 gold labels but 2 predictions"):
        score_labels(["a"], ["a", "b"], ("a", "b"))


@pytest.mark.parametrize(
    ("gold", "given", "credit"),
    [
        ("unrelated", "unrelated", 0.25),
        ("unrelated", "discusses", 0.0),
        ("supports", "unrelated", 0.0),
        ("supports", "refutes", 0.25),
        ("supports", "supports", 1.0),
        ("refutes", "refutes", 1.0),
    ],
)
def test_each_pair_earns_what_fnc1s_scorer_gives(gold: str, given: str, credit: float) -> None:
    assert fnc_pair_credit(gold, given) == credit


def test_the_weighted_score_is_a_percentage_of_the_best_possible() -> None:
    gold = ["supports", "refutes", "discusses", "unrelated", "unrelated"]
    given = ["supports", "discusses", "unrelated", "unrelated", "discusses"]
    # earned 1 + 0.25 + 0 + 0.25 + 0 = 1.5; best 1 + 1 + 1 + 0.25 + 0.25 = 3.5
    assert fnc_weighted_score(gold, given) == pytest.approx(100 * 1.5 / 3.5)
    assert fnc_weighted_score(gold, gold) == pytest.approx(100.0)


# FNC-1 data


def write_fnc(folder: Path, bodies: dict[int, str], stances: list[tuple[str, int, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "train_bodies.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Body ID", "articleBody"])
        writer.writerows(bodies.items())
    with (folder / "train_stances.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Headline", "Body ID", "Stance"])
        writer.writerows(stances)
    return folder


def tiny_fnc(folder: Path, bodies: int = 40) -> Path:
    """Bodies about car plants, one story each, each with a confirming, a denying and a
    hedged headline of its own, and the next story's confirming headline as unrelated."""
    towns = [f"Town{n}" for n in range(bodies)]
    texts = {
        n: f'Report {n}.\nNorthwind Motors said "yes": it will build electric cars at its '
        f"{towns[n]} plant, a spokesperson confirmed on day {n}."
        for n in range(bodies)
    }
    stances = []
    for n in texts:
        town, following = towns[n], towns[(n + 1) % bodies]
        stances += [
            (SUPPORTED.replace("Leipzig", town), n, "agree"),
            (f"Northwind Motors denies it will build cars in {town}", n, "disagree"),
            (f"Northwind Motors may build cars in {town}, sources say", n, "discuss"),
            (SUPPORTED.replace("Leipzig", following), n, "unrelated"),
        ]
    return write_fnc(folder, texts, stances)


def test_it_reads_quoted_bodies_with_newlines_and_maps_the_labels(tmp_path: Path) -> None:
    body = 'First line, with "quotes".\n\nSecond paragraph, with a comma, too.'
    stances = [
        ("H1", 7, "agree"),
        ("H2", 7, "disagree"),
        ("H3", 8, "discuss"),
        ("H4", 8, "unrelated"),
    ]
    write_fnc(tmp_path, {7: body, 8: "Another body."}, stances)
    pairs = load_fnc(tmp_path)
    assert [p.stance for p in pairs] == ["supports", "refutes", "discusses", "unrelated"]
    assert pairs[0] == FncPair("H1", 7, body, "supports")
    assert pairs[3].body == "Another body."


def test_it_names_the_line_of_an_unknown_label_or_a_missing_body(tmp_path: Path) -> None:
    write_fnc(tmp_path, {1: "Body."}, [("H", 1, "agree"), ("H", 1, "maybe")])
    with pytest.raises(ValueError, match="line 3: unknown stance 'maybe'"):
        load_fnc(tmp_path)
    write_fnc(tmp_path, {1: "Body."}, [("H", 2, "agree")])
    with pytest.raises(ValueError, match="line 2: no body with id 2"):
        load_fnc(tmp_path)


def test_it_says_where_it_looked_when_the_data_is_missing(tmp_path: Path) -> None:
    with pytest.raises(FncDataMissing, match=str(tmp_path / "nowhere")):
        load_fnc(tmp_path / "nowhere")


SPLIT_IN_A_CHILD = """
import json, sys
from analysis.assessment.fnc import FncPair, split_fnc
pairs = [FncPair(f"headline {n}", n % 300, f"body {n % 300}", "discusses") for n in range(3000)]
print(json.dumps(sorted({p.body_id for p in split_fnc(pairs).holdout})))
"""


def held_out_in_a_process_with(seed: str) -> list[int]:
    done = subprocess.run(
        [sys.executable, "-c", SPLIT_IN_A_CHILD],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    held_out: list[int] = json.loads(done.stdout)
    return held_out


def test_the_split_is_the_same_in_processes_with_different_hash_seeds() -> None:
    first, second = held_out_in_a_process_with("1"), held_out_in_a_process_with("2")
    assert first == second
    assert 0.1 < len(first) / 300 < 0.3


def story_pairs(stories: int = 60) -> list[FncPair]:
    """Each story: two headlines and two bodies, related both ways; plus unrelated pairs
    of each headline with the next story's first body. Story 0's first body is filed
    again under another id in story 1, word for word but spaced differently."""
    pairs = []
    for n in range(stories):
        bodies = [(2 * n, f"Body one of story {n}."), (2 * n + 1, f"Body two of story {n}.")]
        for headline in (f"Headline A of story {n}", f"Headline B of story {n}"):
            pairs += [FncPair(headline, i, text, "supports") for i, text in bodies]
            following = (n + 1) % stories
            pairs.append(
                FncPair(headline, 2 * following, f"Body one of story {following}.", "unrelated")
            )
    pairs.append(FncPair("Headline A of story 1", 999, "Body  one of story 0.", "discusses"))
    return pairs


def test_no_headline_and_no_body_text_is_in_both_parts_of_the_split() -> None:
    split = split_fnc(story_pairs())
    for part in ("headline", "body"):
        train = {" ".join(getattr(p, part).split()) for p in split.train}
        holdout = {" ".join(getattr(p, part).split()) for p in split.holdout}
        assert train and holdout
        assert not train & holdout, part
    assert split.describe()["holdout"]["headlines"] == len({p.headline for p in split.holdout})


def test_held_out_headlines_keep_unrelated_pairs_with_held_out_bodies() -> None:
    split = split_fnc(story_pairs())
    unrelated = [p for p in split.holdout if p.stance == "unrelated"]
    held_out_headlines = {p.headline for p in split.holdout if p.stance != "unrelated"}
    assert len(unrelated) == len(held_out_headlines)
    for pair in unrelated:
        story = pair.headline.rsplit(" ", 1)[1]
        assert not pair.body.rstrip(".").endswith(f"story {story}")
    assert split.dropped > 0


def test_the_baseline_threshold_is_fitted_on_the_training_part_not_the_hold_out() -> None:
    def pair(headline: str, body: str, stance: str) -> FncPair:
        return FncPair(headline, 1, body, stance)

    train = [
        pair("gamma delta epsilon", "gamma delta epsilon", "supports"),
        pair("kappa lambda sigma", "omega", "unrelated"),
    ]
    # Fitted here, the threshold would fall near 0.17 and call the related pair related.
    holdout = [
        pair("gamma delta epsilon", "gamma words", "discusses"),
        pair("kappa lambda sigma", "omega", "unrelated"),
    ]
    baselines = fnc_baselines(FncSplit(train=train, holdout=holdout), holdout)
    [name] = [name for name in baselines if name.startswith("word overlap")]
    assert "0.50" in name
    assert baselines[name].stance.classes["discusses"].recall == 0.0


def test_the_overlap_threshold_separates_related_from_unrelated_on_training_pairs() -> None:
    body = "Northwind Motors will build electric cars at its Leipzig plant next year."
    pairs = [
        FncPair("Northwind builds cars in Leipzig", 1, body, "supports"),
        FncPair("Northwind Motors plant in Leipzig", 1, body, "discusses"),
        FncPair("Volcano erupts on island", 1, body, "unrelated"),
        FncPair("Northwind volcano tour cancelled today", 1, body, "unrelated"),
    ]
    threshold = fit_overlap_threshold(pairs)
    assert overlap_stances(pairs, threshold) == ["discusses", "discusses", "unrelated", "unrelated"]


def test_the_baselines_call_every_related_pair_discusses(tmp_path: Path) -> None:
    split = split_fnc(load_fnc(tiny_fnc(tmp_path)))
    baselines = fnc_baselines(split, split.holdout)
    truth = baselines["true relatedness, discusses for every related pair"]
    # a quarter of the pairs each: 3 related (one exactly right) and 1 unrelated per body
    assert truth.weighted_score == pytest.approx(100 * (1 + 0.25 + 0.25 + 0.25) / 3.25)
    assert truth.stance.classes["discusses"].recall == 1.0
    assert truth.refutes_f1 == 0.0
    assert baselines["always unrelated"].weighted_score == pytest.approx(100 * 0.25 / 3.25)


def test_score_fnc_reports_the_f1_of_refutes() -> None:
    result = score_fnc(["refutes", "refutes", "supports"], ["refutes", "supports", "supports"])
    assert result.refutes_f1 == pytest.approx(2 / 3)
    assert set(result.as_dict()) == {"weighted_score", "macro_f1", "refutes_f1", "stance"}


# Our own labelled set


def labelled_row(n: int, part: str, **changes: str) -> dict[str, str]:
    confirmed = (
        "Northwind Motors confirmed on Tuesday that it will build electric cars "
        "at its Leipzig plant."
    )
    row = {
        "id": f"t{n}",
        "subject": "industry",
        "claim": SUPPORTED if part == "dev" else SUPPORTED.replace("Leipzig", "Dresden"),
        "text": confirmed if n % 2 else OTHER_MATTER,
        "stance": "supports" if n % 2 else "unrelated",
        "certainty": "certain" if n % 2 else "unknown",
        "split": part,
        "note": "written for this test",
    }
    return {**row, **changes}


def write_labelled(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n\n", encoding="utf-8")
    return path


def tiny_labelled(tmp_path: Path) -> Path:
    rows = [labelled_row(n, "dev" if n < 4 else "test") for n in range(8)]
    return write_labelled(tmp_path / "labelled.jsonl", rows)


def test_it_loads_the_labelled_set_by_split(tmp_path: Path) -> None:
    path = tiny_labelled(tmp_path)
    assert [p.id for p in load_own_set(path, split="dev")] == ["t0", "t1", "t2", "t3"]
    assert [p.id for p in load_own_set(path, split="test")] == ["t4", "t5", "t6", "t7"]
    assert len(load_own_set(path)) == 8


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stance": "agrees"}, "line 2: stance 'agrees' is not one of"),
        ({"certainty": "sure"}, "line 2: certainty 'sure' is not one of"),
        ({"split": "train"}, "line 2: split 'train' is not one of dev, test"),
        ({"id": "t0"}, "line 2: id 't0' appears twice"),
    ],
)
def test_it_names_the_line_of_a_bad_labelled_pair(
    tmp_path: Path, changes: dict[str, str], message: str
) -> None:
    path = write_labelled(
        tmp_path / "bad.jsonl", [labelled_row(0, "dev"), labelled_row(1, "dev", **changes)]
    )
    with pytest.raises(ValueError, match=message):
        load_own_set(path)


def test_it_refuses_a_claim_in_both_dev_and_test(tmp_path: Path) -> None:
    rows = [labelled_row(0, "dev"), labelled_row(1, "test", claim=SUPPORTED.lower() + ".")]
    with pytest.raises(ValueError, match="1 claims are in both dev and test"):
        load_own_set(write_labelled(tmp_path / "mixed.jsonl", rows))


def test_the_committed_set_is_split_by_claim_with_every_stance_in_test() -> None:
    test = load_own_set(split="test")
    dev_claims = {claim_key(p.claim) for p in load_own_set(split="dev")}
    assert not dev_claims & {claim_key(p.claim) for p in test}
    assert {p.stance for p in test} == set(STANCES)
    assert {p.certainty for p in test} == set(CERTAINTIES)


def test_it_names_a_line_that_is_not_json_or_lacks_a_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1: not JSON"):
        load_own_set(path)
    row = labelled_row(0, "dev")
    del row["claim"]
    with pytest.raises(ValueError, match="line 1: missing or not text: claim"):
        load_own_set(write_labelled(path, [row]))


def test_it_measures_any_predict_function_side_by_side(tmp_path: Path) -> None:
    pairs = load_own_set(tiny_labelled(tmp_path))
    result = evaluate_own_set(pairs, lambda claim, text: ("unrelated", "unknown"), part="all")
    assert result.stance.accuracy == 0.5
    assert result.stance.classes["supports"].f1 == 0.0
    assert result.certainty.classes["unknown"].recall == 1.0
    assert result.timing.pairs == 8
    assert result.as_dict()["speed"]["pairs_per_second"] > 0


# The command


def run(*args: str) -> str:
    out = StringIO()
    call_command("evaluate_assessor", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_prints_the_own_set_figures_and_skips_missing_fnc_data(tmp_path: Path) -> None:
    with override_settings(FACTCHECK_FNC1_DIR=tmp_path / "nowhere"):
        output = run("--labelled", str(tiny_labelled(tmp_path)))
    assert "Own set, test (4 pairs)" in output
    assert "stance: accuracy" in output and "certainty: accuracy" in output
    assert "gold \\ given" in output
    assert "dev (4 pairs): stance accuracy" in output
    assert "pairs/s" in output
    skipped = [line for line in output.splitlines() if "FNC-1 skipped" in line]
    assert len(skipped) == 1 and str(tmp_path / "nowhere") in skipped[0]


def test_the_command_shows_dev_alone_when_asked_for_dev(tmp_path: Path) -> None:
    output = run("--set", "own", "--split", "dev", "--labelled", str(tiny_labelled(tmp_path)))
    assert "Own set, dev (4 pairs)" in output
    assert "test" not in output


def test_the_command_refuses_fnc_without_the_data(tmp_path: Path) -> None:
    with (
        override_settings(FACTCHECK_FNC1_DIR=tmp_path / "nowhere"),
        pytest.raises(CommandError, match="FNC-1 data not found") as raised,
    ):
        run("--set", "fnc")
    assert len(str(raised.value).splitlines()) == 1


def test_the_command_refuses_a_bad_labelled_set_and_a_bad_limit(tmp_path: Path) -> None:
    path = write_labelled(tmp_path / "bad.jsonl", [labelled_row(0, "dev", stance="agrees")])
    with pytest.raises(CommandError, match=r"Bad labelled set: bad\.jsonl line 1"):
        run("--set", "own", "--labelled", str(path))
    with pytest.raises(CommandError, match="at least 1"):
        run("--set", "fnc", "--limit", "0")
    with pytest.raises(CommandError, match=r"missing\.jsonl: No such file"):
        run("--set", "own", "--labelled", str(tmp_path / "missing.jsonl"))


def test_the_command_writes_every_figure_as_json(tmp_path: Path) -> None:
    target = tmp_path / "results" / "eval.json"
    with override_settings(FACTCHECK_FNC1_DIR=tiny_fnc(tmp_path / "fnc")):
        output = run(
            "--labelled", str(tiny_labelled(tmp_path)), "--limit", "12", "--json", str(target)
        )
    assert "weighted score" in output and "79.53%" in output and "82.02%" in output
    figures: dict[str, Any] = json.loads(target.read_text())
    assert set(figures) == {"methods", "own_set", "fnc", "emergent"}
    assert figures["emergent"]["skipped"] == "no data"
    rules = figures["methods"]["rules"]
    assert set(rules["own"]) == {"test", "dev"}
    assert {"stance", "certainty", "speed"} <= set(rules["own"]["test"])
    assert {"weighted_score", "macro_f1", "refutes_f1", "speed"} <= set(rules["fnc"])
    assert {"ms_per_pair", "p95_ms"} <= set(rules["fnc"]["speed"])
    fnc = figures["fnc"]
    assert fnc["split"]["measured"]["pairs"] == 12
    assert [p["weighted_score"] for p in fnc["published"]] == [79.53, 82.02]
    assert len(fnc["baselines"]) == 3


@pytest.mark.slow
def test_the_command_exits_non_zero_with_one_line_when_fnc_is_missing(tmp_path: Path) -> None:
    env = {**os.environ, "DEBUG": "1", "FACTCHECK_FNC1_DIR": str(tmp_path / "nowhere")}
    result = subprocess.run(
        [sys.executable, "manage.py", "evaluate_assessor", "--set", "fnc"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("CommandError: FNC-1 data not found")
    assert str(tmp_path / "nowhere") in line


def tiny_emergent(folder: Path, claims: int = 30) -> Path:
    """Claims with a confirming and a denying headline each, beside an FNC-1 folder."""
    rows = []
    for n in range(claims):
        claim = f"Northwind Motors will build electric cars at its Town{n} plant"
        rows.append(
            {
                "id": f"claim-{n}",
                "text": claim,
                "evidence": [
                    {"title": f"Northwind confirms Town{n} car plant", "stance": "supports"},
                    {"title": f"Northwind denies Town{n} car plant report", "stance": "refutes"},
                ],
            }
        )
    (folder / "emergent").mkdir(parents=True, exist_ok=True)
    path = folder / "emergent" / "train.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return path


def test_the_command_measures_emergent_headlines_held_out_by_claim(tmp_path: Path) -> None:
    tiny_emergent(tmp_path)
    target = tmp_path / "eval.json"
    with override_settings(FACTCHECK_FNC1_DIR=tmp_path / "fnc"):
        output = run("--set", "emergent", "--json", str(target))
    assert "Emergent hold-out by claim" in output
    figures: dict[str, Any] = json.loads(target.read_text())
    emergent = figures["methods"]["rules"]["emergent"]
    assert 0 < emergent["pairs"] == figures["emergent"]["holdout"] < 60
    assert set(emergent["stance"]["classes"]) == {"supports", "refutes", "discusses"}
    assert emergent["accuracy"] > 0.5


def test_the_command_refuses_emergent_without_the_data(tmp_path: Path) -> None:
    with (
        override_settings(FACTCHECK_FNC1_DIR=tmp_path / "fnc"),
        pytest.raises(CommandError, match="Emergent data not found"),
    ):
        run("--set", "emergent")


def test_no_emergent_headline_is_held_out_and_trained_on() -> None:
    from analysis.assessment.emergent import EmergentPair, split_emergent
    from analysis.assessment.fnc import is_held_out

    ids = [f"c{n}" for n in range(200)]
    held = next(i for i in ids if is_held_out(f"emergent:{i}"))
    trained = next(i for i in ids if not is_held_out(f"emergent:{i}"))
    shared = "Rocket lands on a barge, firm says"
    pairs = [
        EmergentPair(trained, "A rocket landed", shared, "for"),
        EmergentPair(held, "The firm will land rockets", shared + " ", "for"),
        EmergentPair(held, "The firm will land rockets", "Landing denied", "against"),
    ]
    split = split_emergent(pairs)
    assert [p.headline for p in split.holdout] == ["Landing denied"]
    assert [p.claim_id for p in split.dropped] == [held]
    assert [p.claim_id for p in split.train] == [trained]
