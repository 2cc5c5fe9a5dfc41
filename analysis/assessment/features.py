"""What the learned stance model sees of a claim and a text.

Everything comes from the same reading the rules make (passage, cues, coverage), so the
model learns how much to trust each rule's evidence rather than starting from words
alone; a few word features from the passage let it pick up what the lexicon misses.
The claim's own words are left out on purpose: in FNC-1 the same headlines recur
across training and hold-out bodies, and a model that learned headlines would not
carry over to claims an editor writes.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from analysis.assessment.cues import NEGATION, find_cues
from analysis.assessment.reading import Assessment
from analysis.assessment.rules import HEADLINE_WORDS, Analysis

NEARBY = 6


def features(analysis: Analysis, ruled: Assessment) -> dict[str, float]:
    found: dict[str, float] = {"bias": 1.0}
    _relevance(analysis, found)
    found[f"rule:{ruled.stance}"] = 1.0
    found[f"rule_certainty:{ruled.certainty}"] = 1.0
    found["negative_claim"] = float(analysis.negative_claim)
    for cue in analysis.found:
        key = f"cue:{cue.kind}" + (":scoped" if cue.kind == NEGATION and cue.scoped else "")
        found[key] = found.get(key, 0.0) + 1.0
        found[f"cue_words:{cue.text.lower()}"] = 1.0
    _document_cues(analysis, found)
    _passage_words(analysis, found)
    _claim_wording(analysis, found)
    _headline_words(analysis, found)
    _numbers(analysis, found)
    _interactions(found, ruled)
    return found


# A text of HEADLINE_WORDS or fewer is a headline or a line: every word of it counts.
TOKEN = re.compile(r"[a-z']+|[?:!]")


def _headline_words(analysis: Analysis, found: dict[str, float]) -> None:
    """A headline's own words, stop words and punctuation included: "Report:", "says",
    "claims" and a question mark are how a headline reports without asserting."""
    if len(analysis.text) > HEADLINE_WORDS * 25:  # an article: no need to count its words
        return
    tokens = TOKEN.findall(analysis.text.lower())
    if len(tokens) > HEADLINE_WORDS:
        return
    found["short_text"] = 1.0
    for token in set(tokens):
        found[f"short_word:{token}"] = 1.0


NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _claim_wording(analysis: Analysis, found: dict[str, float]) -> None:
    """How the claim itself is put: a headline that asks, hedges or denies reads a body
    differently ("X denies Y" against a body reporting Y)."""
    claim = analysis.claim
    found["claim_question"] = float(claim.rstrip().endswith("?"))
    for cue in find_cues(claim, -1, frozenset()):
        found[f"claim_cue:{cue.kind}"] = 1.0
        found[f"claim_cue_words:{cue.text.lower()}"] = 1.0


def _numbers(analysis: Analysis, found: dict[str, float]) -> None:
    """Figures in the claim that the passage gives differently: "£12.60 rather than £13"."""
    claimed = set(NUMBER.findall(analysis.claim))
    if not claimed or analysis.passage is None:
        return
    given = set(NUMBER.findall(" ".join(s.text for s in analysis.passage.sentences)))
    if given:
        found["numbers_agree"] = float(bool(claimed & given))
        found["numbers_differ"] = float(not claimed & given)


def _interactions(found: dict[str, float], ruled: Assessment) -> None:
    relevance = found["relevance"]
    found[f"rule_x_relevance:{ruled.stance}"] = relevance
    if found.get("negative_claim"):
        found[f"negative_claim_x_rule:{ruled.stance}"] = 1.0


def _relevance(analysis: Analysis, found: dict[str, float]) -> None:
    passage = analysis.passage
    relevance = passage.coverage if passage else 0.0
    found["relevance"] = relevance
    found["relevance_squared"] = relevance * relevance
    found[f"relevance_band:{min(int(relevance * 10), 9)}"] = 1.0
    found["document_coverage"] = analysis.reading.coverage(analysis.query)
    found["bm25"] = math.log1p(passage.bm25) if passage else 0.0
    close = sum(1 for stems in analysis.reading.stems if analysis.query.coverage(set(stems)) >= 0.5)
    found["close_sentences"] = math.log1p(close)


def _document_cues(analysis: Analysis, found: dict[str, float]) -> None:
    """Cues in the sentences nearest the claim beyond the passage: a body may deny it later."""
    if analysis.passage is None:
        return
    passage = {s.index for s in analysis.passage.sentences}
    stems = frozenset(analysis.query.weights)
    counts: Counter[str] = Counter()
    for index in analysis.ranking[:NEARBY]:
        if index not in passage:
            sentence = analysis.reading.sentences[index].text
            counts.update(cue.kind for cue in find_cues(sentence, index, stems))
    for kind, count in counts.items():
        found[f"nearby_cue:{kind}"] = math.log1p(count)


def _passage_words(analysis: Analysis, found: dict[str, float]) -> None:
    if analysis.passage is None:
        return
    for sentence in analysis.passage.sentences:
        for stem in analysis.reading.stems[sentence.index]:
            found[f"passage_word:{stem}"] = 1.0
