"""`manage.py firmness --jsonl`: claims judged without storing anything."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim
from claims.services.track_record import publishers_recompute_track_record
from sources.models import Publisher, Source
from tests.factories import ClaimFactory, EvidenceFactory, PublisherFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _track_record_settings(settings: Any) -> None:
    """The figures below are worked with a prior worth 4 reports, unsettled support × 1."""
    settings.FACTCHECK_TRACK_RECORD_PRIOR_WEIGHT = 4.0
    settings.FACTCHECK_TRACK_RECORD_UNSETTLED_WEIGHT = 1.0


CLAIM = "Harbour Rail will close the night train to Inverness"


def judge(tmp_path: Path, *records: Any) -> list[dict[str, Any]]:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records))
    out = StringIO()
    call_command("firmness", jsonl=str(path), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_each_line_is_judged_and_nothing_is_stored(tmp_path: Path) -> None:
    record = {
        "text": CLAIM,
        "evidence": [
            {
                "url": "https://harbourrail.example/statement",
                "stance": "supports",
                "certainty": "certain",
                "kind": "primary",
            },
            {"url": "https://courier.example/a", "stance": "supports", "certainty": "possible"},
        ],
    }
    judged, empty = judge(tmp_path, record, {"text": "Another claim with no evidence"})
    assert (empty["score"], empty["level"], empty["lines"]) == (0, "no_evidence", [])
    # Unknown publishers count at the default reliability, 0.6: 1 − (1 − 0.6)(1 − 0.162).
    assert (judged["score"], judged["level"]) == (66, "reported")
    assert set(judged) == {"score", "level", "support", "refutation", "lines"}
    assert [line["publisher"] for line in judged["lines"]] == [
        "harbourrail.example",
        "courier.example",
    ]
    assert set(judged["lines"][0]) == {
        "publisher",
        "stance",
        "certainty",
        "weight",
        "counted",
        "text",
    }
    assert (Claim.objects.count(), Source.objects.count(), Publisher.objects.count()) == (0, 0, 0)


def test_a_known_publisher_counts_with_its_track_record(tmp_path: Path) -> None:
    tabloid = PublisherFactory.create(name="dailyexample.com", reliability=0.6)
    tabloid.domains.update(domain="dailyexample.com")
    for _ in range(4):
        claim = ClaimFactory.create(verdict="false")
        EvidenceFactory.create(claim=claim, source=SourceFactory.create(publisher=tabloid))
    publishers_recompute_track_record()
    evidence = {
        "url": "https://www.dailyexample.com/x",
        "stance": "supports",
        "certainty": "certain",
    }
    [judged] = judge(tmp_path, {"text": CLAIM, "evidence": [evidence]})
    [line] = judged["lines"]
    assert line["publisher"] == "dailyexample.com"
    assert line["weight"] == pytest.approx(0.6 * 0.3, abs=0.001)  # reliability (2.4+0)/8
    assert "0 of its 4 reports on settled claims held up" in line["text"]


def test_missing_labels_are_read_from_the_text(tmp_path: Path) -> None:
    denied = "Harbour Rail denied that it will close the night train to Inverness."
    evidence = [{"url": "https://courier.example/a", "text": denied}, {"url": "https://b.example/"}]
    [judged] = judge(tmp_path, {"text": CLAIM, "evidence": evidence})
    assert judged["lines"][0]["stance"] == "refutes"
    assert (judged["lines"][1]["stance"], judged["lines"][1]["certainty"]) == (
        "discusses",
        "unknown",
    )


def test_a_given_stance_stays_checked_when_only_its_certainty_is_read(tmp_path: Path) -> None:
    hedged = "Harbour Rail may close the night train to Inverness, sources say."
    evidence = [{"url": "https://courier.example/a", "text": hedged, "stance": "supports"}]
    [judged] = judge(tmp_path, {"text": CLAIM, "evidence": evidence})
    [line] = judged["lines"]
    assert line["stance"] == "supports"
    assert "Read automatically" not in line["text"]


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("{not json", "line 2: not JSON"),
        (json.dumps({"evidence": []}), "line 2: text is required"),
        (json.dumps({"text": CLAIM, "evidence": [{"title": "no url"}]}), "line 2: evidence 1"),
    ],
)
def test_a_bad_line_stops_the_run_naming_it(tmp_path: Path, bad: str, why: str) -> None:
    with pytest.raises(CommandError, match=why):
        judge(tmp_path, {"text": CLAIM}, bad)
