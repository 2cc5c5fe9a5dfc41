"""The default assessor: a passage found by BM25, then stance and certainty from its cue words.

The order of the rules, and why (docs/assessment.md has examples):
1. Too little of the claim in the best passage: unrelated.
2. A denial, correction or negation whose scope reaches the claim: refutes (or
   supports, when the claim is itself a negative one).
3. Open-question wording ("whether", "declined to comment", a question) with
   nothing confirmed or denied, or only part of the claim present: discusses.
4. Otherwise the passage reports the claim: supports.
Certainty is the weakest commitment among the cues in the passage: a report that
says "reportedly confirmed" is only as firm as "reportedly".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from analysis.assessment.contradiction import MISMATCH, contradictions
from analysis.assessment.cues import (
    ATTRIBUTION,
    CONFIRMATION,
    CORRECTION,
    DENIAL,
    HEDGE,
    MODALITY,
    NEGATION,
    NOT_DONE,
    REPORT,
    REPORT_DENIAL,
    UNCERTAINTY,
    Found,
    claim_is_negated,
    find_cues,
    forget_sentences,
)
from analysis.assessment.furniture import article_sentences
from analysis.assessment.passages import (
    Passage,
    Query,
    Reading,
    best_passage,
    bm25_scores,
    ranked_sentences,
)
from analysis.assessment.reading import Assessment, Cue
from analysis.text import split_sentences

UNRELATED_AT = 0.34  # relevance below this: the passage is not about the claim
# A headline names the story in other words than the claim's, and in few of them, so less
# of the claim is found in it. Chosen on Emergent's training claims (docs/evaluation.md);
# 0.15 measured a little better there, but lets one shared common word ("road") through.
HEADLINE_UNRELATED_AT = 0.2
HEADLINE_WORDS = 40  # longer than this, a line is not a headline
SENTENCE_END = re.compile(r"[.!][\"'”’)]?$")
RELATED_AT = 0.55  # relevance below this, with no firm cue: only discusses
ALSO_READ_AT = 0.5  # other sentences this close to the claim are read for cues too
CERTAINTY_ORDER = ("unknown", "possible", "probable", "certain")
PASSAGE_GAP = " … "
ANAPHORA = ("the report", "the claim", "this", "these", "it ", "speculation", "rumour", "rumor")


@dataclass(frozen=True)
class Analysis:
    """One reading of a claim against a text, shared by the rules and the learned model."""

    text: str
    query: Query
    reading: Reading
    passage: Passage | None
    ranking: list[int]  # sentences by BM25 score against the claim, best first
    found: list[Found]
    negative_claim: bool
    claim: str = ""


def analyse(claim: str, text: str) -> Analysis:
    query = Query.from_text(claim)
    reading = read(text)
    scores = bm25_scores(query, reading)
    passage = best_passage(query, reading, scores)
    ranking = ranked_sentences(scores)
    found = _cues_near(query, reading, passage, ranking, claim) if passage else []
    return Analysis(text, query, reading, passage, ranking, found, claim_is_negated(claim), claim)


@lru_cache(maxsize=64)
def read(text: str) -> Reading:
    """Split and stem once per text: a source is read against every claim that cites it."""
    return Reading.of(text, article_sentences(text, split_sentences(text)))


def forget_read_texts() -> None:
    """Drop what was kept of recent texts (the benchmark times every text as new)."""
    read.cache_clear()
    _report_denials.cache_clear()
    forget_sentences()


def assess_by_rules(claim: str, text: str) -> Assessment:
    return judge(analyse(claim, text))


def is_headline(text: str) -> bool:
    """One short line that does not end as a sentence does: a headline or a title."""
    line = text.strip()
    # A stored snapshot is one long line: count no further than a headline's length.
    words = line.split(maxsplit=HEADLINE_WORDS)
    return "\n" not in line and len(words) <= HEADLINE_WORDS and not SENTENCE_END.search(line)


def judge(analysis: Analysis, stance: str | None = None, method: str = "rules") -> Assessment:
    """The rules' verdict; or, given a stance decided elsewhere, the rest around it."""
    passage, found = analysis.passage, analysis.found
    if passage is None:
        return Assessment(stance or "unrelated", "unknown", 0.9, "", (), 0.0, method)
    unrelated_at = HEADLINE_UNRELATED_AT if is_headline(analysis.text) else UNRELATED_AT
    ruled, confidence = _stance(passage.coverage, found, analysis.negative_claim, unrelated_at)
    stance = stance or ruled
    deciding = _deciding(stance, found, passage)
    quoted = _quoted_sentences(analysis.reading, passage, found, deciding)
    return Assessment(
        stance,
        _certainty(stance, deciding),
        confidence,
        _quote(analysis.text, analysis.reading, quoted),
        tuple(_explain(f) for f in _dedupe(found) if f.sentence in quoted),
        passage.coverage,
        method,
    )


def _quoted_sentences(
    reading: Reading, passage: Passage, found: list[Found], deciding: list[Found]
) -> set[int]:
    """The passage; the follow-up sentence when a cue stands in it; and every sentence
    whose cues decided the stance or its certainty, or refute the claim from further away."""
    first, last = passage.sentences[0].index, passage.sentences[-1].index
    quoted = set(range(first, last + 1))
    if last + 1 < len(reading.sentences) and any(f.sentence == last + 1 for f in found):
        quoted.add(last + 1)
    quoted.update(f.sentence for f in _refuting_cues(found))
    quoted.update(f.sentence for f in deciding)
    return quoted


def _quote(text: str, reading: Reading, quoted: set[int]) -> str:
    """The quoted sentences as they stand in the text, runs of neighbours kept together."""
    runs: list[list[int]] = []
    for index in sorted(quoted):
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    sentences = reading.sentences
    return PASSAGE_GAP.join(text[sentences[r[0]].start : sentences[r[-1]].end] for r in runs)


def _cues_near(
    query: Query, reading: Reading, passage: Passage, ranking: list[int], claim: str
) -> list[Found]:
    """Cues in the passage, in other sentences as close to the claim, and in a follow-up;
    figures or replacements that contradict the claim in the first two."""
    chosen = {s.index for s in passage.sentences}
    for index in ranking[:4]:
        if query.coverage(set(reading.stems[index])) >= max(ALSO_READ_AT, passage.coverage * 0.8):
            chosen.add(index)
    follow_ups = _follow_ups(reading, passage) - chosen
    stems = frozenset(query.weights)
    found: list[Found] = []
    for index in sorted(chosen | follow_ups):
        sentence = reading.sentences[index]
        found.extend(_scope(find_cues(sentence.text, index, stems), index in follow_ups))
        if index not in follow_ups:
            found.extend(contradictions(claim, sentence.text, index))
    return found


def _follow_ups(reading: Reading, passage: Passage) -> set[int]:
    """The next sentence if it refers back, and any denial of "the report" or correction."""
    picked = set()
    after = passage.sentences[-1].index + 1
    if after < len(reading.sentences) and _refers_back(reading.sentences[after].lower):
        picked.add(after)
    picked.update(_report_denials(reading.text))
    return picked


@lru_cache(maxsize=64)
def _report_denials(text: str) -> frozenset[int]:
    """Sentences that deny "the report" or correct the story: found once per text, not
    once per claim the text is read against."""
    if not REPORT_DENIAL.search(text.lower()):
        return frozenset()
    return frozenset(s.index for s in read(text).sentences if REPORT_DENIAL.search(s.lower))


def _refers_back(lowered: str) -> bool:
    return any(word in lowered for word in ANAPHORA)


def _scope(found: list[Found], follow_up: bool) -> list[Found]:
    """In a follow-up sentence only what refers back counts: "denied the report"."""
    if not follow_up:
        return found
    return [f for f in found if f.kind in {DENIAL, CORRECTION, CONFIRMATION}]


def _stance(
    relevance: float, found: list[Found], negative_claim: bool, unrelated_at: float
) -> tuple[str, float]:
    if relevance < unrelated_at:
        return "unrelated", round(0.55 + 0.4 * (unrelated_at - relevance) / unrelated_at, 3)
    kinds = {f.kind for f in found}
    refuting = _refuting(found)
    if refuting:
        denial = DENIAL in kinds or CORRECTION in kinds
        return ("supports" if negative_claim else "refutes"), 0.8 if denial else 0.6
    if negative_claim and relevance >= RELATED_AT and UNCERTAINTY not in kinds:
        return "refutes", 0.5
    firm = CONFIRMATION in kinds
    if UNCERTAINTY in kinds and not firm:
        return "discusses", 0.65
    if relevance < RELATED_AT and not firm:
        return "discusses", 0.5
    return "supports", 0.8 if firm else round(0.45 + 0.3 * relevance, 3)


def _refuting_cues(found: Iterable[Found]) -> list[Found]:
    return [
        f
        for f in found
        if f.kind in {DENIAL, CORRECTION, MISMATCH} or (f.kind == NEGATION and f.scoped)
    ]


def _refuting(found: Iterable[Found]) -> bool:
    return bool(_refuting_cues(found))


def _deciding(stance: str, found: list[Found], passage: Passage) -> list[Found]:
    """The cues whose sentences decided: those that refute, for a refutation; else the
    passage's own, when it has any (an older hedged report below a confirmation does not
    soften the confirmation)."""
    if stance == "refutes":
        refuting = {f.sentence for f in found if _refuting([f])}
        return [f for f in found if f.sentence in refuting]
    inside = {s.index for s in passage.sentences}
    own = [f for f in found if f.sentence in inside and f.certainty]
    return own or found


def _certainty(stance: str, found: list[Found]) -> str:
    if stance == "refutes" and _firm_denial(found):
        found = [f for f in found if not _not_done(f)]
    levels = {f.certainty for f in found if f.certainty and f.kind != NEGATION}
    if stance in {"discusses", "unrelated"} and "unknown" in levels:
        return "unknown"
    levels.discard("unknown")
    if stance == "refutes" and not levels:
        return "certain"  # a plain negative statement
    if not levels:
        return "certain"  # stated flatly, with nothing to soften it
    return min(levels, key=CERTAINTY_ORDER.index)


def _firm_denial(found: list[Found]) -> bool:
    return any(f.kind in {DENIAL, CORRECTION} and f.certainty == "certain" for f in found)


def _not_done(found: Found) -> bool:
    """ "No agreement has been reached" beside a denial denies too: it does not hedge it."""
    return found.negated or (found.kind == HEDGE and bool(NOT_DONE.search(found.text.lower())))


def _dedupe(found: list[Found]) -> list[Found]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for f in found:
        if (f.kind, f.text) not in seen:
            seen.add((f.kind, f.text))
            kept.append(f)
    return kept


EFFECTS = {
    HEDGE: "hedges the statement",
    ATTRIBUTION: "attributes it to others",
    CONFIRMATION: "confirms",
    DENIAL: "denies or rules out",
    CORRECTION: "corrects an earlier statement",
    MODALITY: "makes it a possibility or an expectation",
    UNCERTAINTY: "leaves the question open",
    MISMATCH: "gives another figure, or says it went elsewhere",
}


def _explain(found: Found) -> Cue:
    if found.kind == NEGATION:
        effect = "negates the claim's words" if found.scoped else "negates something else"
    elif found.negated:
        effect = "denies that it is done yet, so hedges"
    else:
        effect = EFFECTS.get(found.kind, "")
    if found.certainty and found.kind not in {NEGATION}:
        effect += f" ({found.certainty})"
    return Cue(found.kind, found.text, effect)


__all__ = ["REPORT", "assess_by_rules"]
