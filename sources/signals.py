"""Signals through which `sources` tells the rest of the service what happened.

`sources` never imports `claims`; `claims` connects receivers to these in its
AppConfig.ready(). Receivers run inside the sender's transaction.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

# kwargs: source, change (a SourceChange value), snapshot (or None), detail (str). A receiver
# may return a list of what it did, in plain words ("claim 12 flagged for review").
source_changed = Signal()


def source_tell(*, source: Any, change: str, snapshot: Any = None, detail: str = "") -> list[str]:
    """Send `source_changed`; what the receivers said they did, in the order they said it."""
    responses = source_changed.send(
        sender=type(source), source=source, change=change, snapshot=snapshot, detail=detail
    )
    said: list[str] = []
    for _, notes in responses:
        if isinstance(notes, list):
            said.extend(str(note) for note in notes)
    return said


# kwargs: publisher, fields (the names of the fields that changed)
publisher_changed = Signal()
