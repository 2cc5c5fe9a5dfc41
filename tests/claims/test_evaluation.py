"""Firmness cross-validated against how claims ended (claims/evaluation.py and
`manage.py evaluate_firmness`), on a small archive written here."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from analysis.assessment import Assessment
from claims.evaluation import (
    Point,
    Scores,
    Setup,
    always_unknown,
    cross_validate,
    folds_of,
    front,
    journalists,
    load_cases,
    records_from,
    records_without,
)
from claims.firmness import LEGACY_RULES
from claims.track_record import TrackRecord


def archive(tmp_path: Path) -> Path:
    """Twenty claims: the true ones backed by a steady wire, the false ones pushed by a
    gossip site and denied by a ministry, and a few that never settled."""
    lines = []
    for n in range(20):
        verdict = ["confirmed", "false", "unconfirmed", "false"][n % 4]
        if verdict == "confirmed":
            evidence = [("steadywire.example", "supports", f"Harbour {n} opens its new quay")]
        elif verdict == "false":
            evidence = [
                ("gossip.example", "supports", f"Harbour {n} to close, sources whisper"),
                ("ministry.example", "refutes", f"Ministry denies harbour {n} will close"),
            ]
        else:
            evidence = [("gossip.example", "supports", f"Harbour {n} may be sold")]
        lines.append(
            json.dumps(
                {
                    "id": f"h{n}",
                    "text": f"Harbour {n} will change hands",
                    "verdict": verdict,
                    "evidence": [
                        {"url": f"https://{d}/{n}", "publisher": d, "text": t, "stance": s}
                        for d, s, t in evidence
                    ],
                }
            )
        )
    path = tmp_path / "archive.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_metrics_read_truth_from_level() -> None:
    scores = Scores(
        [("true", "true"), ("false", "true"), ("unknown", "unknown"), ("false", "false")]
    )
    assert scores.accuracy == 0.75
    assert scores.said("true") == (0.5, 2)
    assert scores.said("false") == (1.0, 1)
    # F1: true 2/3, false 2/3, unknown 1.
    assert scores.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)


def test_folds_split_claims_the_same_way_every_run(tmp_path: Path) -> None:
    cases = load_cases(archive(tmp_path))
    first, second = folds_of(cases), folds_of(cases)
    assert [[c.id for c in f] for f in first] == [[c.id for c in f] for f in second]
    assert sorted(c.id for f in first for c in f) == sorted(c.id for c in cases)


def test_records_are_learned_from_the_claims_given_only(tmp_path: Path) -> None:
    cases = load_cases(archive(tmp_path))
    records = records_from(cases[:4], journalists)
    assert records["steadywire.example"].supported_held == 1
    assert records["gossip.example"].supported_fell == 2
    assert records["gossip.example"].supported_unsettled == 1


def test_a_claim_s_own_words_are_taken_out_of_the_records_it_was_learned_with(
    tmp_path: Path,
) -> None:
    cases = load_cases(archive(tmp_path))
    learned = records_from(cases[:8], journalists)
    for case in cases[:8]:
        others = records_from([c for c in cases[:8] if c is not case], journalists)
        kept = records_without(learned, case, journalists)
        for publisher in set(learned) | set(others):
            assert kept.get(publisher, TrackRecord()) == others.get(publisher, TrackRecord())
    # h1 ended false: without it, the gossip site's support of false claims counts one less
    assert learned["gossip.example"].supported_fell == 4
    assert records_without(learned, cases[1], journalists)["gossip.example"].supported_fell == 3


def test_the_track_record_beats_today_s_model_on_a_telling_archive(tmp_path: Path) -> None:
    cases = load_cases(archive(tmp_path))
    learned = cross_validate(cases, Setup("learned", weight=2.0, unsettled=1.5), journalists)
    today = cross_validate(cases, Setup("today", rules=LEGACY_RULES, weight=None), journalists)
    assert learned.said("false")[0] == 1.0
    assert learned.accuracy > always_unknown(cases).accuracy
    assert learned.accuracy >= today.accuracy


def test_the_command_prints_both_label_sets_and_writes_json(tmp_path: Path) -> None:
    out, figures = StringIO(), tmp_path / "firmness.json"
    call_command("evaluate_firmness", data=str(archive(tmp_path)), json=str(figures), stdout=out)
    assert "labels: journalists" in out.getvalue()
    assert "labels: automatic" in out.getvalue()
    saved = json.loads(figures.read_text())
    assert set(saved["journalists"]) == {
        "always unknown",
        "today's model",
        "reworked, with track records",
    }
    assert saved["claims"] == 20


def test_automatic_labels_are_read_by_the_reader_given(tmp_path: Path) -> None:
    def denying(claim: str, text: str) -> Assessment:
        return Assessment("refutes", "certain", 1.0, text)

    cases = load_cases(archive(tmp_path), denying)
    assert {p.stance for c in cases for p in c.automatic} == {"refutes"}
    assert {p.certainty for c in cases for p in c.automatic} == {"certain"}
    assert "supports" in {p.stance for c in cases for p in c.journalists}


def test_the_command_reads_as_the_service_does_unless_told_and_warns_of_the_model(
    tmp_path: Path, settings: Any
) -> None:
    path, figures = str(archive(tmp_path)), tmp_path / "firmness.json"
    settings.FACTCHECK_ASSESS_METHOD = "model"
    out = StringIO()
    call_command("evaluate_firmness", data=path, json=str(figures), stdout=out)
    assert json.loads(figures.read_text())["method"] == "model"
    assert "bench/firmness_readers.py" in out.getvalue()
    out = StringIO()
    call_command("evaluate_firmness", data=path, json=str(figures), method="rules", stdout=out)
    assert json.loads(figures.read_text())["method"] == "rules"
    assert "bench/firmness_readers.py" not in out.getvalue()


def test_the_command_says_in_one_line_when_the_archive_is_missing(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No archive at"):
        call_command("evaluate_firmness", data=str(tmp_path / "none.jsonl"))


def test_the_curve_keeps_a_bar_only_when_no_bar_calling_more_claims_true_is_as_precise() -> None:
    wide = Point(groups=1, trust=0.5, count=40, share=0.4, precision=0.6)
    beaten = Point(groups=3, trust=0.6, count=20, share=0.2, precision=0.55)
    narrow = Point(groups=5, trust=0.65, count=10, share=0.1, precision=0.9)
    assert front([beaten, wide, narrow]) == [narrow, wide]


def test_the_command_draws_the_curve_when_asked(tmp_path: Path) -> None:
    out, figures = StringIO(), tmp_path / "firmness.json"
    path = str(archive(tmp_path))
    call_command("evaluate_firmness", data=path, json=str(figures), curve=True, stdout=out)
    assert "as the bar moves" in out.getvalue()
    curve = json.loads(figures.read_text())["tradeoff"]
    shares = [point["share"] for point in curve]
    precisions = [point["precision"] for point in curve]
    assert curve and shares == sorted(shares)
    assert precisions == sorted(precisions, reverse=True)
