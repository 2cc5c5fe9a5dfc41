"""`manage.py assess`: one JSON object for a claim and a file, or one per line for --jsonl."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
CLAIM = "Chery will build cars at Jaguar Land Rover's UK factories."


def run(*args: str, stdin: str = "") -> str:
    out = io.StringIO()
    real_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("assess", *args, stdout=out)
    finally:
        sys.stdin = real_stdin
    return out.getvalue()


def test_it_prints_one_json_object_for_a_claim_and_a_file(tmp_path: Path) -> None:
    page = tmp_path / "article.txt"
    page.write_text("Chery has denied that it will build cars at JLR's UK factories.")
    out = run(CLAIM, str(page))
    lines = out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["stance"] == "refutes"
    assert result["certainty"] == "certain"
    assert "denied" in result["passage"]
    assert any(cue["kind"] == "denial" for cue in result["cues"])


def test_it_reads_the_article_text_out_of_an_html_file(tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    page.write_text(
        "<html><head><title>Cars</title></head><body><nav>Home | Sport</nav><article>"
        "<h1>Carmaker plans</h1><p>Chery has confirmed it will build cars at Jaguar Land "
        "Rover's UK factories, starting next year.</p><p>The plan covers two models and "
        "several hundred jobs in the north-west of England.</p></article></body></html>"
    )
    result = json.loads(run(CLAIM, str(page)))
    assert result["stance"] == "supports"
    assert "<p>" not in result["passage"]


def test_jsonl_writes_one_line_per_input_line_in_order() -> None:
    lines = [
        {"claim": CLAIM, "text": "The council approved a cycle lane."},
        {"claim": CLAIM, "text": "Chery confirmed it will build cars at JLR's UK plants."},
        {"claim": CLAIM, "text": "Is Chery going to build cars at JLR's UK factories?"},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\n\n"
    out = run("--jsonl", "-", stdin=stdin)
    stances = [json.loads(line)["stance"] for line in out.strip().splitlines()]
    assert stances == ["unrelated", "supports", "discusses"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "line 1: not JSON"),
        ('["a list"]', "line 1: not a JSON object"),
        ('{"claim": "", "text": "x"}', "line 1: needs a non-empty string claim"),
    ],
)
def test_jsonl_names_the_bad_line(line: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("--jsonl", "-", stdin=line + "\n")


def test_it_refuses_a_missing_file_and_a_missing_claim(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        run(CLAIM, str(tmp_path / "absent.txt"))
    with pytest.raises(CommandError, match="Give a claim and a file"):
        run(CLAIM)


@pytest.mark.slow
def test_a_bad_call_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "assess", CLAIM, str(tmp_path / "absent.txt")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "FACTCHECK_VAR_DIR": str(tmp_path)},
        check=False,
    )
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0
    assert "No such file" in done.stderr


@pytest.mark.parametrize("setting", ["rules", "model"])
def test_it_reads_with_the_services_method_unless_told_otherwise(settings, setting: str) -> None:
    settings.FACTCHECK_ASSESS_METHOD = setting
    text = "Chery has confirmed it will build cars at JLR's UK factories."
    assert json.loads(run(CLAIM, "-", stdin=text))["method"] == setting
    other = "model" if setting == "rules" else "rules"
    assert json.loads(run(CLAIM, "-", "--method", other, stdin=text))["method"] == other
    line = json.dumps({"claim": CLAIM, "text": text})
    assert json.loads(run("--jsonl", "-", stdin=line))["method"] == setting
    assert json.loads(run("--jsonl", "-", "--method", other, stdin=line))["method"] == other


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(CommandError, match="invalid choice: 'bayes'"):
        run(CLAIM, "-", "--method", "bayes", stdin="text")
