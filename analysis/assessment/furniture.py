"""What of a page is furniture, not article: the headline and subtitle repeated above the
text, bylines, datelines, photo captions, "Read more" and "Follow us" lines.

Passages are ranked only among the other lines: a headline run together with its byline
and caption reads as a passage that covers the whole claim and says nothing of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from analysis.text import Sentence

# Lines that are furniture whatever their length.
FURNITURE_LINE = re.compile(
    r"^\s*(?:published|updated|posted|last updated|first published)\b.*$"
    r"|^\s*(?:read more|read also|see also|related|more on this|recommended|advertisement"
    r"|follow us|sign up|subscribe|share this|click here)\b.*$"
    r"|\((?:photo|image|picture|credit|source|video)s?\s*:[^)]*\)\s*$"
    r"|^\s*(?:photo|image|picture|credit|caption)s?\s*:"
    r"|^\s*(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+\d{1,2}\s+\w+\s+\d{4}\b.{0,20}$",
    re.IGNORECASE,
)
# A byline is short and names someone: "By Tom Schuenk", "Reporting by Ann Lee | Reuters".
BYLINE = re.compile(r"^(?:By|BY|Written by|Reporting by|Words by|Story by)\s+[A-Z][\w.'’-]+")
BYLINE_WORDS = 10
ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*\s*$")
ARTICLE_LINE_WORDS = 12  # a line this long, ending a sentence, is article text
SHORT_LINE_WORDS = 25


def lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Each line with its start and end offsets in `text`."""
    start = 0
    for line in text.splitlines(keepends=True):
        yield start, start + len(line), line.strip()
        start += len(line)


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """The offsets of every furniture line. A text with no line of article in it (a lone
    headline, a short note) has none: there is nothing else to read."""
    numbered = [line for line in lines(text) if line[2]]
    if not any(_is_article(line) for _, _, line in numbered):
        return []
    spans: list[tuple[int, int]] = []
    seen: set[str] = set()
    for start, end, line in numbered:
        key = " ".join(line.lower().split())
        repeated = key in seen
        seen.add(key)
        heading = not ENDS_SENTENCE.search(line) and len(line.split()) <= SHORT_LINE_WORDS
        byline = BYLINE.match(line) is not None and len(line.split()) <= BYLINE_WORDS
        if repeated or heading or byline or FURNITURE_LINE.search(line):
            spans.append((start, end))
    return spans


def _is_article(line: str) -> bool:
    return bool(ENDS_SENTENCE.search(line)) and len(line.split()) >= ARTICLE_LINE_WORDS


def article_sentences(text: str, sentences: Sequence[Sentence]) -> list[Sentence]:
    """The sentences outside furniture lines, numbered afresh."""
    spans = furniture_spans(text)
    kept = [s for s in sentences if not any(a <= s.start < b for a, b in spans)]
    return [Sentence(i, s.start, s.end, s.text) for i, s in enumerate(kept)]
