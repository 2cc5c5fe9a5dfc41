"""Sentences, words and stems: the shared ground of assessing and matching.

Sentence splitting is a small rule set for news prose (abbreviations, initials,
decimals, quotes after the full stop, one paragraph per line as trafilatura gives
it) rather than a trained splitter: the trained ones cost more per article than
the whole assessment is allowed to (bench/assess_bench.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# A sentence ends at . ! ? (with closing quotes or brackets after it) followed by space,
# or at a line break.
BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")
ABBREVIATIONS = frozenset(
    """
    a.m approx apr aug bros capt co col corp dec dept dr e.g est etc feb fig fri gen gov
    hon i.e inc jan jr jul jun lt ltd mar mon mr mrs ms no nos nov oct p.m plc prof rep
    rev sat sen sep sept sgt sr st sun thu thur thurs tue tues u.k u.n u.s vs wed
    """.split()  # noqa: SIM905
)
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can could did do does doing down during
    each few for from further had has have having he her here hers herself him himself
    his how i if in into is it it's its itself just let me more most mr mrs ms my myself
    new nor of off on once one only or other ought our ours ourselves out over own per
    said same says she should so some such than that the their theirs them themselves
    then there these they this those through to too two under until up upon us very was
    we were what when where which while who whom why will with would year years you your
    yours yourself yourselves
    """.split()  # noqa: SIM905
)

# Words that news prose uses interchangeably, folded onto one stem so that "JLR will
# assemble vehicles at its plants" still covers "Jaguar Land Rover will build cars at
# its factories". Kept short on purpose: each group must be near-synonyms in news use.
SYNONYMS = (
    "build make produce manufactur assembl",
    "car vehicl automobil",
    "factori plant facil",
    "compani firm",
    "buy acquir purchas takeov",
    "sell sale",
    "ban prohibit outlaw",
    "quit resign step",
    "fire sack dismiss",
    "kill dead death die",
    "win won victori beat",
    "cut reduc lower",
    "rise increas rais grow",
    "job employ worker",
    "law legisl bill",
    "vaccin jab inocul",
    "earthquak quak tremor",
    "uk britain british",
    "us america american",
    "pm premier",
)
_stemmer = snowballstemmer.stemmer("english")
CANONICAL = {word: group.split()[0] for group in SYNONYMS for word in group.split()}


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    stemmed = str(_stemmer.stemWord(word))
    return CANONICAL.get(stemmed, stemmed)


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()


def words(text: str) -> list[str]:
    """Lower-cased words, apostrophes normalised."""
    return [w.replace("’", "'") for w in WORD.findall(text.lower())]


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning, in order, repeats kept.

    Initials of multi-word names are added ("Jaguar Land Rover" → "jlr"), so that a
    claim that says "JLR" meets a text that spells the name out.
    """
    stems = [stem(w) for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    stems.extend(initials(text))
    return stems


def _name_runs(text: str) -> list[list[str]]:
    runs = []
    for run in NAME_RUN.finditer(text):
        parts = [re.sub(r"['’]s$", "", p) for p in run.group().split()]
        parts = [p for p in parts if p.lower() not in STOPWORDS]
        if len(parts) >= 2:
            runs.append(parts)
    return runs


def initials(text: str) -> list[str]:
    """Initials of every stretch of two or more words of each multi-word name."""
    found: list[str] = []
    for parts in _name_runs(text):
        heads = "".join(p[0] for p in parts).lower()
        found.extend(
            heads[first : first + size]
            for size in range(2, len(heads) + 1)
            for first in range(len(heads) - size + 1)
        )
    return found


NAME_RUN = re.compile(r"\b[A-Z][\w-]*(?:['’]s)?(?:\s+[A-Z][\w-]*(?:['’]s)?){1,4}")


def acronyms(text: str) -> dict[str, tuple[str, ...]]:
    """Initials of multi-word names and the stems they stand for: {"jlr": ("jaguar", …)}."""
    found: dict[str, tuple[str, ...]] = {}
    for parts in _name_runs(text):
        for size in range(2, len(parts) + 1):
            for first in range(len(parts) - size + 1):
                name = parts[first : first + size]
                found["".join(p[0] for p in name).lower()] = tuple(stem(p.lower()) for p in name)
    return found


def claim_terms(text: str) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """A claim's content stems less the initials of its own names, and those initials with
    the stems they stand for: a text that says "JLR" covers "Jaguar Land Rover"."""
    names = acronyms(text)
    return [s for s in content_stems(text) if s not in names], names


def covered_terms(
    own: AbstractSet[str],
    aliases: Iterable[tuple[str, Iterable[str]]],
    found: AbstractSet[str],
) -> set[str]:
    """Which of a claim's stems a text holding `found` covers, itself or by initials."""
    covered = set(own & found)
    for alias, words in aliases:
        if alias in found:
            covered.update(w for w in words if w in own)
    return covered


def _ends_sentence(text: str, end: int) -> bool:
    """Whether the punctuation just before `end` closes a sentence."""
    mark = text[:end].rstrip("\"'”’)]")
    if not mark.endswith("."):
        return True
    before = mark[:-1]
    token = before[before.rfind(" ") + 1 :].lstrip("\"'“‘([").lower()
    if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
        return False
    following = text[end:].lstrip()
    return not following or not following[0].islower()


def split_sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets in `text`; blank stretches are skipped."""
    sentences: list[Sentence] = []
    start = 0
    for boundary in BOUNDARY.finditer(text):
        if boundary.group() != "\n" and not _ends_sentence(text, boundary.end()):
            continue
        _add(sentences, text, start, boundary.end())
        start = boundary.end()
    _add(sentences, text, start, len(text))
    return sentences


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped or not WORD.search(stripped):
        return
    offset = start + chunk.index(stripped)
    sentences.append(Sentence(len(sentences), offset, offset + len(stripped), stripped))
