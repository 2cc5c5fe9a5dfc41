"""Lexical claim matching: which claims a text speaks to, by the claims' own informative words.

Each claim is reduced to its content stems (analysis.text), weighted by inverse
document frequency over the claim collection: a word that few claims use says more about
which claim a text is about than one that many share. A claim's score against a document
is the share of its weight that the best passage of one or two consecutive sentences
covers: 1.0 when one passage uses every informative word of the claim, in any order, so
scores compare across claims of any length. Initials stand for the words they abbreviate
("JLR" covers "Jaguar Land Rover"), both ways.

Scaling (prefix filtering, as in set-similarity joins): to score CANDIDATE_FLOOR a text
must contain one of a claim's rarest stems, those whose weight the others together cannot
make up for; for most claims it must even contain two or three of them. Only those stems
point to the claim in the inverted index, and a claim becomes a candidate only with as
many hits as it needs, counted in C (collections.Counter). A search thus walks the short lists of
rare words, never the long lists of common ones. Candidates are then scored exactly,
best upper bound first, until none left could enter the results. Searches below the floor
are exact too, but walk every stem's list.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, chain

from analysis.matching.index import ClaimText, Match
from analysis.text import claim_terms, content_stems, covered_terms, split_sentences

# Chosen on the dev split of analysis/assessment/data/labelled.jsonl (docs/matching.md).
DEFAULT_SUGGEST_AT = 0.3
DEFAULT_STRONG_AT = 0.52
# Searches for scores at least this high use the short candidate lists; lower ones are exact
# too, but walk every stem's list.
CANDIDATE_FLOOR = DEFAULT_SUGGEST_AT
MIN_ALIAS_LETTERS = 3
MAX_HITS_NEEDED = 3
# Scores are compared as they are reported, so that ties between claims break the same way
# (by claim id) whatever order the sums were taken in.
SCORE_DECIMALS = 4
PASSAGE_MAX = 1000  # characters; a "sentence" can be a whole unpunctuated page

Aliases = tuple[tuple[str, frozenset[str]], ...]  # initials and the stems they stand for
NO_ALIASES: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Claim:
    id: int
    stems: frozenset[str]
    aliases: Aliases
    alias_keys: frozenset[str]
    weight: float  # the sum of its stems' IDF

    def covered(self, found: frozenset[str] | set[str]) -> set[str]:
        """The claim's stems that a passage with stems `found` covers."""
        return covered_terms(self.stems, self.aliases, found)


@dataclass(frozen=True)
class _Document:
    """A text read once per search: its sentences' bounds and where each stem occurs."""

    text: str
    bounds: tuple[tuple[int, int], ...]  # each sentence's start and end in `text`
    stems: frozenset[str]
    sentences_with: dict[str, tuple[int, ...]]  # stem → indexes of the sentences using it


class LexicalIndex:
    method = "lexical"
    suggest_at = DEFAULT_SUGGEST_AT
    strong_at = DEFAULT_STRONG_AT

    def __init__(self, claims: Sequence[ClaimText]) -> None:
        parsed = [_parse(claim.text) for claim in claims]
        frequency: dict[str, int] = defaultdict(int)
        for stems, _ in parsed:
            for stem in stems:
                frequency[stem] += 1
        self.idf = {stem: math.log(1 + len(parsed) / df) for stem, df in frequency.items()}
        weight_of = self.idf.__getitem__
        self.claims = [
            _Claim(claim.id, stems, aliases, alias_keys(aliases), sum(map(weight_of, stems)))
            for claim, (stems, aliases) in zip(claims, parsed, strict=True)
        ]
        prefixes = [self._prefix(claim) for claim in self.claims]
        self.selecting = _postings(enumerate(keys for keys, _ in prefixes))
        self.hits_needed = bytes(needed for _, needed in prefixes)

    def __len__(self) -> int:
        return len(self.claims)

    @cached_property
    def every_stem(self) -> dict[str, tuple[int, ...]]:
        """Postings of every stem, for searches below CANDIDATE_FLOOR (built when first needed)."""
        return _postings(enumerate(claim.stems | claim.alias_keys for claim in self.claims))

    def _prefix(self, claim: _Claim) -> tuple[list[str], int]:
        """The claim's rarest stems, and how many of them a text must hold to score at least
        CANDIDATE_FLOOR: `needed` is the most (up to MAX_HITS_NEEDED) whose absence the
        heaviest `needed - 1` of them and all the stems outside the prefix cannot make up for.
        """
        by_weight = sorted([(-self.idf[s], s) for s in claim.stems])  # heaviest first
        ranked = [stem for _, stem in by_weight]
        heaviest = list(accumulate([-weight for weight, _ in by_weight], initial=0.0))
        # Half a rounding step lower: a score that rounds up to the floor counts as reaching it.
        floor = (CANDIDATE_FLOOR - 0.5 * 10**-SCORE_DECIMALS) * claim.weight
        needed = 1
        while needed < min(MAX_HITS_NEEDED, len(ranked)) and heaviest[needed] < floor:
            needed += 1
        # The shortest prefix whose other stems weigh too little to make up the difference.
        target = heaviest[needed - 1] + claim.weight - floor
        size = min(bisect_right(heaviest, target, lo=needed), len(ranked))
        prefix = ranked[:size]
        # Initials count once for each word of the prefix they stand for.
        chosen = set(prefix)
        keys = prefix + [a for a, words in claim.aliases for _ in range(len(words & chosen))]
        return keys, needed

    def search(self, text: str, *, limit: int = 10, min_score: float = 0.0) -> list[Match]:
        if limit < 1 or not self.claims:
            return []
        document = read_document(text)
        if not document.stems:
            return []
        best: list[tuple[float, int, str]] = []  # a min-heap of (score, -claim id, passage)
        for bound, position in self._candidates(document, min_score):
            if bound < max(min_score, best[0][0] if len(best) == limit else 0.0):
                break  # sorted by bound: no later candidate can do better
            claim = self.claims[position]
            score, passage = self._best_passage(claim, document)
            entry = (score, -claim.id, passage)
            if score < min_score:
                continue
            if len(best) < limit:
                heapq.heappush(best, entry)
            elif entry > best[0]:
                heapq.heapreplace(best, entry)
        return [
            Match(-neg_id, score, passage) for score, neg_id, passage in sorted(best, reverse=True)
        ]

    def _candidates(self, document: _Document, min_score: float) -> list[tuple[float, int]]:
        """(the most each candidate could score, its position), highest first."""
        found = document.stems
        if min_score >= CANDIDATE_FLOOR:
            hits = Counter(chain.from_iterable(self.selecting.get(s, ()) for s in found))
            needed = self.hits_needed
            positions = {p for p, count in hits.items() if count >= needed[p]}
        else:
            positions = set(chain.from_iterable(self.every_stem.get(s, ()) for s in found))
        weight_of, bounds = self.idf.__getitem__, []
        for position in positions:  # the hot loop: C-level set and sum calls where possible
            claim = self.claims[position]
            shared: set[str] | frozenset[str] = claim.stems & found
            if claim.aliases and not claim.alias_keys.isdisjoint(found):
                shared = claim.covered(found)
            bound = round(sum(map(weight_of, shared)) / claim.weight, SCORE_DECIMALS)
            if bound >= min_score:
                bounds.append((bound, position))
        bounds.sort(reverse=True)
        return bounds

    def _best_passage(self, claim: _Claim, document: _Document) -> tuple[float, str]:
        """The passage of one or two consecutive sentences covering most of the claim."""
        found: dict[int, set[str]] = defaultdict(set)
        for stem in claim.stems & document.stems:
            for sentence in document.sentences_with[stem]:
                found[sentence].add(stem)
        for alias, words in claim.aliases:
            for sentence in document.sentences_with.get(alias, ()):
                found[sentence] |= words
        spans = [(i, i, stems) for i, stems in found.items()]
        spans += [(i, i + 1, stems | found[i + 1]) for i, stems in found.items() if i + 1 in found]
        scored = [(self._coverage(claim, stems), first, last) for first, last, stems in spans]
        # The most weight; then one sentence rather than two; then the earliest.
        score, first, last = max(scored, key=lambda s: (s[0], s[1] - s[2], -s[1]))
        passage = document.text[document.bounds[first][0] : document.bounds[last][1]]
        return score, shorten(passage)

    def _coverage(self, claim: _Claim, stems: Iterable[str]) -> float:
        return round(min(1.0, sum(self.idf[s] for s in stems) / claim.weight), SCORE_DECIMALS)


def _postings(keys: Iterable[tuple[int, Iterable[str]]]) -> dict[str, tuple[int, ...]]:
    """stem → the positions of the claims it is a key of."""
    postings: dict[str, list[int]] = defaultdict(list)
    for position, stems in keys:
        for stem in stems:
            postings[stem].append(position)
    return {stem: tuple(positions) for stem, positions in postings.items()}


def _parse(text: str) -> tuple[frozenset[str], Aliases]:
    """A claim's stems, without the initials of its names, which become aliases instead."""
    own, names = claim_terms(text)
    stems = frozenset(own)
    # Two letters ("lr" for "Land Rover") are seldom how a name is abbreviated, and they
    # meet chance initials in every text; an alias stands only for words among the claim's
    # stems ("Abdel-Majid" is two).
    aliases = (
        (alias, stems.intersection(words))
        for alias, words in names.items()
        if len(alias) >= MIN_ALIAS_LETTERS
    )
    return stems, tuple((alias, words) for alias, words in aliases if words)


def alias_keys(aliases: Aliases) -> frozenset[str]:
    return frozenset(alias for alias, _ in aliases) if aliases else NO_ALIASES


def read_document(text: str) -> _Document:
    sentences = split_sentences(text)
    sentences_with: dict[str, list[int]] = defaultdict(list)
    for sentence in sentences:
        for stem in set(content_stems(sentence.text)):
            sentences_with[stem].append(sentence.index)
    return _Document(
        text=text,
        bounds=tuple((s.start, s.end) for s in sentences),
        stems=frozenset(sentences_with),
        sentences_with={stem: tuple(found) for stem, found in sentences_with.items()},
    )


def shorten(passage: str) -> str:
    """At most PASSAGE_MAX characters, cut at a space."""
    if len(passage) <= PASSAGE_MAX:
        return passage
    cut = passage[: PASSAGE_MAX - 1]
    return (cut[: cut.rfind(" ")].rstrip() if " " in cut else cut) + "…"


__all__ = ["DEFAULT_STRONG_AT", "DEFAULT_SUGGEST_AT", "LexicalIndex"]
