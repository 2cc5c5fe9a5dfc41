"""Cue words: what in a sentence's wording shows hedging, attribution, confirmation, denial.

Each cue has a kind (the issue's vocabulary) and, where it speaks to certainty, the
certainty it implies. Negation is handled apart because what it does depends on
its scope: "has no plans to build cars" denies building cars; "did not deny" and
"would not comment" deny nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from analysis.text import content_stems

HEDGE = "hedge"
ATTRIBUTION = "attribution"
CONFIRMATION = "confirmation"
DENIAL = "denial"
NEGATION = "negation"
MODALITY = "modality"
UNCERTAINTY = "uncertainty"
CORRECTION = "correction"

WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
REPORT = r"(?:reports?|claims?|suggestions?|speculation|rumou?rs?|story|stories|allegations?|idea)"

# (kind, pattern, certainty it implies or "" when it says nothing of certainty)
LEXICON: tuple[tuple[str, str, str], ...] = (
    (UNCERTAINTY, r"\bdeclined to (?:comment|confirm|say|discuss)\b", "unknown"),
    (
        UNCERTAINTY,
        r"\b(?:would|could|did) not (?:comment|confirm|say|disclose|respond|reply)\b",
        "unknown",
    ),
    (
        UNCERTAINTY,
        r"\b(?:wouldn't|couldn't|didn't) (?:comment|confirm|say|disclose|respond)\b",
        "unknown",
    ),
    (
        UNCERTAINTY,
        r"\bno comment\b|\bdid not return\b|\bnot immediately (?:respond|available|reply)",
        "unknown",
    ),
    (
        UNCERTAINTY,
        r"\b(?:un|not )clear\b|\bunknown\b|\bremains? to be seen\b|\bopen question\b",
        "unknown",
    ),
    (
        UNCERTAINTY,
        r"\bwhether\b|\bundecided\b|\byet to (?:decide|be decided|say)\b|\bnot (?:yet )?(?:been )?decided\b",
        "unknown",
    ),
    (
        UNCERTAINTY,
        r"\bno (?:details|timetable|date|decision) (?:has|have|was|were)? ?(?:yet )?(?:been )?(?:given|set|made|announced)?",
        "unknown",
    ),
    (UNCERTAINTY, r"\?", "unknown"),
    (
        HEDGE,
        r"\breported(?:ly)?\b|\ballegedly\b|\bpurportedly\b|\bsupposedly\b|\bapparently\b",
        "possible",
    ),
    (HEDGE, r"\brumou?r(?:s|ed)?\b|\bspeculat\w*", "possible"),
    (
        HEDGE,
        r"\b(?:in|held|holding|hold) (?:early[- ]stage |preliminary |advanced )?(?:talks|discussions|negotiations)\b",
        "possible",
    ),
    (
        HEDGE,
        r"\bexplor\w*|\bconsider(?:s|ed|ing)?\b|\bmull(?:s|ed|ing)\b|\bweigh(?:s|ed|ing)\b|\beyeing\b|\bstudying\b",
        "possible",
    ),
    (
        HEDGE,
        r"\bearly[- ]stages?\b|\bpreliminary\b|\btentative\w*|\bpotential(?:ly)?\b|\bpossib\w*|\bperhaps\b|\bmaybe\b",
        "possible",
    ),
    (
        HEDGE,
        r"\bno (?:\w+ )?(?:agreement|deal|terms|contract)\b|\bnot (?:yet )?(?:been )?finali[sz]ed\b|\bnothing (?:has been )?(?:agreed|signed|finali[sz]ed)\b",
        "possible",
    ),
    (HEDGE, r"\bunconfirmed\b|\bunverified\b", "possible"),
    (
        HEDGE,
        r"\bnot (?:yet )?(?:been )?rul(?:e|ed|ing) out\b|\bnever ruled out\b|\bnothing is off the table\b",
        "possible",
    ),
    (MODALITY, r"\b(?:could|may|might)\b", "possible"),
    (
        MODALITY,
        r"\b(?:is|are|was|were) (?:widely )?expected to\b|\bexpected to\b|\b(?:is|are) (?:highly |very )?likely\b|\blikely to\b|\bprobabl[ey]\b",
        "probable",
    ),
    (
        MODALITY,
        r"\b(?:is|are) (?:set|poised|on track|due|slated) to\b|(?<!no )\bplans? to\b|\bplanning to\b|\bintends? to\b|\baims? to\b|\bshould\b",
        "probable",
    ),
    (
        ATTRIBUTION,
        r"\bpeople (?:familiar|with knowledge|close)\b|\bperson (?:familiar|with knowledge|close)\b|\binsiders?\b",
        "probable",
    ),
    (
        ATTRIBUTION,
        r"\bsources? (?:close|familiar|with)\b|\bis understood to\b|\bunderstood to\b|\bbriefed on\b",
        "probable",
    ),
    # Hearsay: the report stands on what unnamed others say.
    (
        ATTRIBUTION,
        r"\b(?:\w+ )?sources? (?:said|say|says|told|claim\w*)\b|\banonymous\b"
        r"|\b(?:is|are|was|were) (?:widely )?said to\b|\bit is said\b|\bword is\b",
        "possible",
    ),
    (
        ATTRIBUTION,
        r"\baccording to\b|\bcited\b|\bquoted\b|\btold (?:reporters|the|a|journalists)\b",
        "",
    ),
    (
        CONFIRMATION,
        r"\bconfirm(?:s|ed|ing)?\b|\bannounc(?:es|ed|ing|ement)\b|\bofficially\b|\bformally\b",
        "certain",
    ),
    (
        CONFIRMATION,
        r"\bsign(?:s|ed|ing)\b|\bsealed\b|\bfinali[sz]ed\b|\bcompleted\b|\bapproved\b|\bunveil\w*|\blaunch(?:es|ed)\b",
        "certain",
    ),
    (
        CONFIRMATION,
        r"\bhas agreed\b|\bagreed to\b|\bverified\b|\bdeclared\b|\bstated\b|\bsaid (?:on )?"
        + WEEKDAY,
        "certain",
    ),
    (
        DENIAL,
        r"\bden(?:y|ies|ied|ying|ial)\b|\brefut\w*|\bdebunk\w*|\brebut\w*|\bcontradict\w*",
        "certain",
    ),
    (
        DENIAL,
        r"\breject(?:s|ed|ing)?\b|\bdismiss(?:es|ed|ing)?\b|\bruled? out\b|\brules out\b|\brubbish(?:ed)?\b",
        "certain",
    ),
    (
        DENIAL,
        r"\bno (?:plans?|intention|truth|basis)\b|\b(?:not|isn't|is not|wasn't) true\b|\buntrue\b|\bfalse(?:ly)?\b|\bbaseless\b|\bunfounded\b|\bfabricat\w*|\bhoax\b|\bmyth\b"
        r"|\bfake\b|\bspoof\w*|\bsatir\w*|\bput to rest\b|\bexaggerated\b|\brebuff\w*|\bnope\b",
        "certain",
    ),
    (
        DENIAL,
        r"\bscrap(?:s|ped|ping)?\b|\bcalled off\b|\bcancel+(?:s|ed|ing)?\b|\babandon(?:s|ed|ing)?\b|\bshelved\b|\bpulled out\b|\bwalked away\b|\bhalted\b",
        "certain",
    ),
    (
        DENIAL,
        r"\bpostpon\w*|\bdelay(?:s|ed)?\b|\bturn(?:s|ed)? down\b|\bf[ae]ll(?:s)? through\b|\bcollaps\w*|\bmiss(?:es|ed)?\b|\bbalk\w*|\bblock(?:s|ed)\b",
        "certain",
    ),
    (
        DENIAL,
        r"\bunlikely\b|\bimprobable\b|\bdoubt(?:s|ed|ful)?\b|\bsceptic\w*|\bskeptic\w*",
        "probable",
    ),
    (
        CORRECTION,
        r"\bcorrection\b|\bincorrectly\b|\berroneously\b|\bmistakenly\b|\ban earlier version\b|\bretract\w*|\bwithdr[ae]w\w*",
        "certain",
    ),
)

# What is not done yet: a hedge on a report, but part of a denial when the denial is there.
NOT_DONE = re.compile(
    r"\bno (?:\w+ )?(?:agreement|deal|terms|contract)\b|\bnot (?:yet )?(?:been )?finali[sz]ed\b"
    r"|\bnothing (?:has been )?(?:agreed|signed|finali[sz]ed)\b"
)
NEGATOR = re.compile(
    r"\b(?:not|never|no|none|nobody|nothing|neither|nor|without|cannot)\b|n't\b|\bno longer\b"
)
# Negations that deny nothing about what follows.
NOT_A_DENIAL = re.compile(
    r"\b(?:not only|not just|no doubt|not rule out|not ruled out|not ruling out|never ruled out"
    r"|no longer doubt\w*|not deny|not denied|didn't deny|doesn't deny|never denied|not yet"
    r"|n't yet|no (?:\w+ )?(?:agreement|deal|terms|contract|decision|details|comment|timetable|date|timeline)"
    r"|(?:would|could|did|does|do) not (?:comment|confirm|say|disclose|respond|reply|return)"
    r"|n't (?:comment|confirm|say|disclose|respond))\b"
)
# A denial of "the report" or a correction notice refers back to the story wherever it
# stands in the text: an update appended at the end still refutes.
REPORT_DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|dismiss(?:es|ed|ing)?|reject(?:s|ed|ing)?|refut\w*|rubbish\w*"
    r"|rebut\w*|shot down|played down|poured cold water on)\b[^.!?;]{0,40}?\b" + REPORT + r"\b"
    r"|\ban earlier version of this (?:article|story|report)\b"
    r"|\bthis (?:article|story|report) has been (?:corrected|amended)\b|\bcorrection:"
)
CLAUSE_END = re.compile(r"[,;:.!?—–]|\b(?:but|although|though|while|whereas|however|yet)\b")

_COMPILED = tuple((kind, re.compile(pattern), certainty) for kind, pattern, certainty in LEXICON)


@dataclass(frozen=True)
class Found:
    kind: str
    text: str
    certainty: str
    sentence: int
    scoped: bool = True  # for negation and denial: whether its scope reaches the claim
    span: tuple[int, int] = (0, 0)  # where the cue stands in its sentence
    negated: bool = False  # a confirmation under negation: "has not been announced"


# "May" the month, not the modal: capitalised mid-sentence, or before a day or a year.
MONTH_MAY = re.compile(r"(?<=[\w,] )May\b|\bMay(?= \d)")


def comparable(sentence: str) -> str:
    """The sentence lower-cased for the patterns, character for character the same length,
    so that a match's offsets quote the sentence itself ("May" the month becomes "m_y")."""
    masked = MONTH_MAY.sub("m_y", sentence).replace("’", "'")
    lowered = masked.lower()
    if len(lowered) != len(masked):  # a letter whose lower case is two characters
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in masked)
    return lowered


def forget_sentences() -> None:
    _lexicon_cues.cache_clear()


def find_cues(sentence: str, index: int, claim_stems: frozenset[str]) -> list[Found]:
    """Every cue in `sentence`; each cue's text is quoted from the sentence as it stands."""
    lowered = comparable(sentence)
    negations = [_quote(f, sentence) for f in _negations(lowered, index, claim_stems)]
    return [*_lexicon_cues(sentence, index), *negations]


@lru_cache(maxsize=4096)
def _lexicon_cues(sentence: str, index: int) -> tuple[Found, ...]:
    """The cues that do not depend on the claim: the lexicon's patterns, run once per
    sentence rather than once per claim the sentence is read against (most of the time of
    reading a text again is here)."""
    lowered = comparable(sentence)
    found = [
        Found(kind, match.group().strip(), certainty, index, span=_span(match))
        for kind, pattern, certainty in _COMPILED
        for match in pattern.finditer(lowered)
    ]
    found = _drop_denials_under_negation(found, lowered)
    found = _soften_negated_confirmations(found, lowered)
    return tuple(_quote(f, sentence) for f in found)


def _span(match: re.Match[str]) -> tuple[int, int]:
    text = match.group()
    start = match.start() + len(text) - len(text.lstrip())
    return start, start + len(text.strip())


def _quote(found: Found, sentence: str) -> Found:
    start, end = found.span
    return replace(found, text=sentence[start:end]) if end > start else found


def _negation_scopes(lowered: str) -> list[tuple[int, int]]:
    scopes = []
    for match in NEGATOR.finditer(lowered):
        stop = CLAUSE_END.search(lowered, match.end())
        scopes.append((match.start(), stop.start() if stop else len(lowered)))
    return scopes


def _soften_negated_confirmations(found: list[Found], lowered: str) -> list[Found]:
    """ "has not been announced" confirms nothing: it hedges."""
    scopes = _negation_scopes(lowered)
    if not scopes:
        return found
    softened = []
    for f in found:
        at = f.span[0]
        if f.kind == CONFIRMATION and any(start < at < end for start, end in scopes):
            f = replace(f, kind=HEDGE, certainty="possible", negated=True)
        softened.append(f)
    return softened


def _drop_denials_under_negation(found: list[Found], lowered: str) -> list[Found]:
    """ "did not deny" and "never ruled out" are not denials."""
    cancelled = {m.group() for m in NOT_A_DENIAL.finditer(lowered)}
    if not cancelled:
        return found
    joined = " ".join(cancelled)
    return [f for f in found if not (f.kind == DENIAL and f.text in joined)]


def _negations(lowered: str, index: int, claim_stems: frozenset[str]) -> list[Found]:
    exempt = [m.span() for m in NOT_A_DENIAL.finditer(lowered)]
    result = []
    for match in NEGATOR.finditer(lowered):
        if any(start <= match.start() < end for start, end in exempt):
            continue
        rest = lowered[match.end() :]
        stop = CLAUSE_END.search(rest)
        scope = rest[: stop.start()] if stop else rest
        reaches = bool(claim_stems & set(content_stems(scope)))
        result.append(
            Found(NEGATION, match.group().strip(), "certain", index, reaches, span=_span(match))
        )
    return result


def claim_is_negated(claim: str) -> bool:
    lowered = claim.lower().replace("’", "'")
    return any(not NOT_A_DENIAL.match(lowered, m.start()) for m in NEGATOR.finditer(lowered))
