"""Reading a source's text against a claim: the passage, its stance and certainty, and why.

Pure Python, no Django and no database: `assess(claim, text)` is all a caller needs.
The default method is rules over cue words (see `cues.py` and `rules.py`);
docs/assessment.md explains both the rules and how they are measured.
"""

from __future__ import annotations

from analysis.assessment.reading import CERTAINTIES, STANCES, Assessment, Cue

METHODS = ("rules", "model")


def assess(claim: str, text: str, *, method: str = "rules") -> Assessment:
    """Judge what `text` says about `claim`.

    `rules` (the default) reads cue words; `model` lets the logistic regression trained
    on FNC-1 choose the stance (docs/assessment.md compares the two).
    """
    if method == "rules":
        from analysis.assessment.rules import assess_by_rules

        return assess_by_rules(claim, text)
    if method == "model":
        from analysis.assessment.learned import assess_by_model

        return assess_by_model(claim, text)
    raise ValueError(f"Unknown assessment method {method!r}: use one of {', '.join(METHODS)}.")


__all__ = ["CERTAINTIES", "METHODS", "STANCES", "Assessment", "Cue", "assess"]
