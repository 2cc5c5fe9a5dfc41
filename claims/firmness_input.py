"""What the firmness model takes: one piece of evidence, and the rules it is read by.

Kept apart from claims/firmness.py so that claims/corroboration.py can read evidence
before it is weighed without importing the model that weighs it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Level thresholds on the combined sides.
CONTESTED_AT = 0.4
REFUTED_AT = 0.4
CONFIRMED_AT = 0.7
CONFIRMING_GROUPS = 3
REPORTED_AT = 0.15


@dataclass(frozen=True)
class EvidenceInput:
    id: int
    stance: str
    certainty: str
    kind: str
    reliability: float
    group: str
    group_label: str = ""
    publisher: str = ""
    source_url: str = ""
    health: str = "ok"
    has_archive: bool = False
    automatic: bool = False
    deprecated: bool = False
    derived: bool = False
    # The source has been read at least once, or its text was given by hand: until then
    # nobody knows what it says (a typo'd URL, a 404), and it counts for nothing.
    read: bool = True
    # The publisher's track record in plain words, when settled claims have taught us anything.
    track: str = ""
    # The words that speak to the claim (a headline, a quote, the assessor's passage) and
    # when they were published (a POSIX time; None when unknown, then the id orders them).
    text: str = ""
    published_at: float | None = None
    # Who reported it (a publisher's key): its latest word replaces its earlier ones.
    speaker: str = ""
    # Set by claims.corroboration: why the piece is weighed as it is.
    notes: tuple[str, ...] = ()
    replaced_by: int | None = None


@dataclass(frozen=True)
class Rules:
    """The level's thresholds and what counts as corroboration (docs/firmness.md; each
    choice measured in docs/evaluation.md). LEGACY_RULES is the model before the rework."""

    confirmed_at: float = CONFIRMED_AT  # with firm reports from confirming_groups publishers
    primary_confirmed_at: float = CONFIRMED_AT  # with a firm report from the party concerned
    confirming_groups: int = CONFIRMING_GROUPS
    reported_at: float = REPORTED_AT
    corroborated_at: float = REPORTED_AT
    corroborating_groups: int = 2
    refuted_at: float = REFUTED_AT
    contested_at: float = CONTESTED_AT
    # Corroboration is not repetition (claims/corroboration.py).
    infer_attribution: bool = False
    same_wording: float = 2.0  # share of words in common from which pieces are one; > 1: off
    latest_word: bool = False
    reported_denials: bool = False
    # A firm report makes a claim confirmed or corroborated only from a publisher whose
    # reliability (prior and track record) is at least this, and not when it only repeats.
    confirming_reliability: float = 0.0
    hearsay_confirms: bool = True
    # "Refuted" needs refutation to outweigh firm support by this much, and, when asked, a
    # refutation in firm words or from the party concerned.
    refuted_margin: float = -1.0
    refuted_needs_firm: bool = False
    # Refutation that outweighs support by the margin makes "refuted" even when support is
    # strong too (otherwise both strong is "contested").
    net_refutation: bool = False
    # Labels read automatically and not yet checked by an editor count at this fraction
    # of their publisher's reliability.
    automatic_factor: float = 1.0
    # An unchecked "supports" read from hedged words (possible, unknown) weighs as a report
    # that discusses the claim: the assessor often reads a report of a rumour as support.
    hedged_unchecked_discusses: bool = False


LEGACY_RULES = Rules()
# Chosen by 5-fold cross-validation by claim on the desk's archive (docs/evaluation.md:
# what was tried, and what each choice is worth). The thresholds that only tell two levels
# read as "unknown" apart (reported, rumoured) and the primary path are kept as they were.
DEFAULT_RULES = Rules(
    confirmed_at=0.9,
    confirming_groups=5,
    corroborated_at=0.8,
    corroborating_groups=4,
    refuted_at=0.35,
    infer_attribution=True,
    same_wording=0.8,
    latest_word=True,
    reported_denials=True,
    confirming_reliability=0.6,
    refuted_margin=0.0,
    refuted_needs_firm=True,
    net_refutation=True,
    hedged_unchecked_discusses=True,
)
