"""Row ids as people and addresses give them: text that must be a whole number a database
column can hold."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest id a BigAutoField holds; larger ones overflow SQLite


def id_from_text(text: object) -> int | None:
    """The id `text` spells in ASCII digits (not "²" or "١", which isdigit() accepts), or
    None when it spells none a database could hold."""
    raw = str(text)
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_ID:
        return None
    return int(raw)
