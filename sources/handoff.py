"""A page the fetch worker has read off the network, handed to the reader as a message.

A check whose page answered with a body has its text extracted and recorded by the reader
(`sources.tasks.read_fetched_page`, on the `assess` queue), so that the fetch worker's
threads go straight on to the next page: fetching never waits for reading. The message
carries everything the recording needs (what the fetch found, when, and what the source's
last check was then), the body compressed. It is not kept in the outbox: if it is lost,
nothing was recorded, and the source's hold runs out (FACTCHECK_CHECK_HOLD) and it is due
again, as for a worker that died mid-check.
"""

from __future__ import annotations

import base64
import dataclasses
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sources.fetch.archive import ArchivedCopy
from sources.fetch.client import FetchResult, Outcome


@dataclass(frozen=True)
class Fetched:
    """What the network half of a check found, for the recording half."""

    source_id: int
    now: datetime
    seen_checked_at: datetime | None  # the source's last_checked_at before fetching
    result: FetchResult
    archive: ArchivedCopy | None = None

    def as_message(self) -> dict[str, Any]:
        """JSON for the broker: datetimes as ISO strings, the body compressed. Only a page
        that was read is handed over, and an archived copy is looked for only for a page
        that is gone: none travels."""
        if self.archive is not None:
            raise ValueError("only a page that was read is handed to the reader")
        result = dataclasses.asdict(self.result)
        result["outcome"] = str(self.result.outcome)
        result["body"] = base64.b64encode(zlib.compress(self.result.body, 1)).decode("ascii")
        return {
            "source_id": self.source_id,
            "now": self.now.isoformat(),
            "seen_checked_at": self.seen_checked_at.isoformat() if self.seen_checked_at else None,
            "result": result,
        }

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> Fetched:
        result = dict(message["result"])
        result["outcome"] = Outcome(result["outcome"])
        result["body"] = zlib.decompress(base64.b64decode(result["body"]))
        result["redirects"] = [tuple(hop) for hop in result["redirects"]]
        seen = message["seen_checked_at"]
        return cls(
            source_id=int(message["source_id"]),
            now=datetime.fromisoformat(message["now"]),
            seen_checked_at=datetime.fromisoformat(seen) if seen else None,
            result=FetchResult(**result),
        )
