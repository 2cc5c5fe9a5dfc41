"""Whether the broker failed a publish a moment ago, in this process.

A request may queue several tasks when it commits (a check, webhook events). When the broker
hangs, each publish waits out its timeout; after the first one fails, the others in the next
few seconds are not tried: what they promised is kept (an outbox row, a delivery row) and the
relay or the beat publishes it once the broker is back. The relay itself always tries.
"""

from __future__ import annotations

import threading
import time

SKIP_SECONDS = 5.0


class RecentFailure:
    def __init__(self, seconds: float = SKIP_SECONDS) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._failed_at = -seconds

    def note(self) -> None:
        with self._lock:
            self._failed_at = time.monotonic()

    def recent(self) -> bool:
        return time.monotonic() - self._failed_at < self.seconds

    def reset(self) -> None:
        with self._lock:
            self._failed_at = -self.seconds


broker_failed = RecentFailure()
