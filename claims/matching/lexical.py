"""Lexical claim matching: which claims a text speaks to, by the claims' own informative words.

Each claim is reduced to its content stems (claims.assessment.text), weighted by inverse
document frequency over the claim collection: a word that few claims use says more about
which claim a text is about than one that many share. A claim's score against a document
is the share of its weight that the best passage of one or two consecutive sentences
covers: 1.0 when one passage uses every informative word of the claim, in any order, so
scores compare across claims of any length. Initials stand for the words they abbreviate
("JLR" covers "Jaguar Land Rover"), both ways.

Scaling (prefix filtering, as in set-similarity joins): a claim can only reach a score of
CANDIDATE_FLOOR if the document contains at least one of its rarest stems that together
outweigh the rest by that margin, so only those stems point to the claim in the inverted
index. A search walks the short lists of rare words and never the long lists of common
ones; candidates are then scored exactly, best upper bound first, until none left could
enter the results. A search below the floor falls back to every stem's list.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from claims.assessment.text import acronyms, content_stems, split_sentences
from claims.matching import ClaimText, Match

# Chosen on the dev split of claims/assessment/data/labelled.jsonl (docs/matching.md).
DEFAULT_SUGGEST_AT = 0.45
DEFAULT_STRONG_AT = 0.7
# Searches for scores at least this high use the short candidate lists; lower ones are exact
# too, but walk every stem's list.
CANDIDATE_FLOOR = 0.3
PASSAGE_MAX = 1000  # characters; a "sentence" can be a whole unpunctuated page

Aliases = tuple[tuple[str, frozenset[str]], ...]  # initials and the stems they stand for


@dataclass(frozen=True)
class _Claim:
    id: int
    stems: frozenset[str]
    aliases: Aliases
    weight: float  # the sum of its stems' IDF

    def covered(self, found: frozenset[str] | set[str]) -> set[str]:
        """The claim's stems that a passage with stems `found` covers."""
        covered = set(self.stems & found)
        for alias, words in self.aliases:
            if alias in found:
                covered |= words
        return covered


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
        self.claims = [
            _Claim(claim.id, stems, aliases, sum(self.idf[s] for s in stems))
            for claim, (stems, aliases) in zip(claims, parsed, strict=True)
        ]
        self.selecting = self._postings(self._rarest_stems)

    def __len__(self) -> int:
        return len(self.claims)

    @cached_property
    def every_stem(self) -> dict[str, tuple[int, ...]]:
        """Postings of every stem, for searches below CANDIDATE_FLOOR (built when first needed)."""
        return self._postings(lambda claim: list(claim.stems))

    def _rarest_stems(self, claim: _Claim) -> list[str]:
        """The fewest rarest stems that a text scoring CANDIDATE_FLOOR must contain one of."""
        ranked = sorted(claim.stems, key=lambda s: (-self.idf[s], s))
        rest = claim.weight
        for count, stem in enumerate(ranked, start=1):
            rest -= self.idf[stem]
            if rest < CANDIDATE_FLOOR * claim.weight:
                return ranked[:count]
        return ranked

    def _postings(self, keys: Callable[[_Claim], list[str]]) -> dict[str, tuple[int, ...]]:
        postings: dict[str, list[int]] = defaultdict(list)
        for position, claim in enumerate(self.claims):
            if not claim.stems:
                continue  # nothing informative to match: never a candidate
            for stem in [*keys(claim), *(alias for alias, _ in claim.aliases)]:
                postings[stem].append(position)
        return {stem: tuple(positions) for stem, positions in postings.items()}

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
            Match(-neg_id, round(score, 4), passage)
            for score, neg_id, passage in sorted(best, reverse=True)
        ]

    def _candidates(self, document: _Document, min_score: float) -> list[tuple[float, int]]:
        """(the most each candidate could score, its position), highest first."""
        postings = self.selecting if min_score >= CANDIDATE_FLOOR else self.every_stem
        positions: set[int] = set()
        for stem in document.stems:
            positions.update(postings.get(stem, ()))
        weight_of = self.idf.__getitem__
        bounds = []
        for position in positions:  # the hot loop of a search: kept to C-level set and sum calls
            claim = self.claims[position]
            shared = (
                claim.covered(document.stems) if claim.aliases else claim.stems & document.stems
            )
            bound = sum(map(weight_of, shared)) / claim.weight
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
        return min(1.0, sum(self.idf[s] for s in stems) / claim.weight)


def _parse(text: str) -> tuple[frozenset[str], Aliases]:
    """A claim's stems, without the initials of its names, which become aliases instead."""
    names = acronyms(text)
    stems = frozenset(s for s in content_stems(text) if s not in names)
    return stems, tuple((alias, frozenset(words)) for alias, words in names.items())


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
