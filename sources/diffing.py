"""Differences between two versions of a source's text, by word or by sentence."""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass

_WORDS = re.compile(r"\S+")
# A sentence ends at . ! or ? followed by space; good enough to show which sentence moved.
_SENTENCES = re.compile(r"(?<=[.!?])\s+")
UNITS = ("word", "sentence")


@dataclass(frozen=True)
class Change:
    op: str
    old: str
    new: str


def tokens(text: str, unit: str) -> list[str]:
    if unit == "sentence":
        return [s for s in _SENTENCES.split(text.strip()) if s]
    return _WORDS.findall(text)


def diff(old: str, new: str, *, unit: str = "word") -> list[Change]:
    """The edit from `old` to `new` as runs of equal, inserted, deleted and replaced text."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}")
    a, b = tokens(old, unit), tokens(new, unit)
    joiner = " "
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return [
        Change(op=tag, old=joiner.join(a[i1:i2]), new=joiner.join(b[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def diff_as_dicts(old: str, new: str, *, unit: str = "word") -> list[dict[str, str]]:
    return [asdict(change) for change in diff(old, new, unit=unit)]


def changed_sentences(old: str, new: str) -> list[str]:
    """Sentences of `new` that were not in `old`: what an editor should read first."""
    return [c.new for c in diff(old, new, unit="sentence") if c.op in {"insert", "replace"}]
