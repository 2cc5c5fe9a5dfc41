"""Whether the broker failed a publish a moment ago, in this process.

A request may queue several tasks when it commits (a check, webhook events). When the broker
hangs, each publish waits out its timeout; after the first one fails, the others in the next
few seconds are not tried: what they promised is kept (an outbox row, a delivery row) and the
relay or the beat publishes it once the broker is back. The relay itself always tries.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kombu import Connection

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


# kombu connects again after 2 s before a publish gives up; a request must not wait for that.
# Only publishing connections say so: the worker's own must keep reconnecting (a worker
# whose reconnects are cut short dies of a known kombu error).
PUBLISH_ONCE = {"max_retries": 0}


@contextmanager
def publishing_connection(app: Any) -> Iterator[Connection]:
    """A broker connection for one publish that fails at once when the broker refuses."""
    with app.connection_for_write(transport_options=PUBLISH_ONCE) as connection:
        yield connection
