"""bench/firmness_ceiling.py scores claims out of fold, never with their own verdict."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.firmness_ceiling import features_of, main, out_of_fold, precision_at
from claims.evaluation import Case, Piece, Setup

SETUP = Setup("reworked, with track records")


def case(claim_id: str, verdict: str, supporters: int, refuters: int = 0) -> Case:
    pieces = [
        Piece(
            f"for{i}.example",
            f"https://for{i}.example/{claim_id}",
            "Harrow confirms it",
            "supports",
            "certain",
        )
        for i in range(supporters)
    ] + [
        Piece(
            f"against{i}.example",
            f"https://against{i}.example/{claim_id}",
            "Harrow denies it",
            "refutes",
            "certain",
        )
        for i in range(refuters)
    ]
    return Case(claim_id, f"Claim {claim_id}", verdict, tuple(pieces), tuple(pieces))


def test_a_training_claim_is_featured_without_its_own_verdict() -> None:
    judged = case("a", "confirmed", supporters=3)
    other = case("b", "false", supporters=3)
    with_itself = features_of([judged], [judged, other], SETUP)
    without_it = features_of([judged], [other], SETUP)
    assert with_itself == without_it
    # and the other claim's verdict does count: support of a false claim lowers reliability
    assert without_it != features_of([judged], [], SETUP)


def test_precision_is_read_at_each_share_of_the_ranking() -> None:
    cases = [case(str(i), "confirmed" if i < 3 else "unconfirmed", 1) for i in range(40)]
    scores = {str(i): float(40 - i) for i in range(40)}  # the three true claims first
    figures = precision_at(cases, scores)
    assert figures["10.0%"] == pytest.approx(3 / 4)
    assert figures["20.0%"] == pytest.approx(3 / 8)


def test_every_claim_is_scored_out_of_fold_and_the_evidence_is_learned() -> None:
    true = [case(f"t{i}", "confirmed", supporters=6) for i in range(15)]
    rest = [case(f"u{i}", "unconfirmed", supporters=1, refuters=i % 3) for i in range(45)]
    scored = out_of_fold(true + rest, SETUP)
    assert set(scored["evidence (regression)"]) == {c.id for c in true + rest}
    assert precision_at(true + rest, scored["evidence (regression)"])["20.0%"] == 1.0


def test_it_stops_with_one_line_when_the_archive_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "train.jsonl"
    monkeypatch.setattr(sys, "argv", ["firmness_ceiling.py", "--data", str(missing)])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 2
    assert (
        capsys.readouterr().err
        == f"firmness_ceiling: no archive at {missing}: nothing to measure\n"
    )
