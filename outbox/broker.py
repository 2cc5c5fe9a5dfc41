"""Whether the broker failed a publish a moment ago, in this process.

A request may queue several tasks when it commits (a check, webhook events). When the broker
hangs, each publish waits out its timeout; after the first one fails, the others in the next
few seconds are not tried: what they promised is kept (an outbox row, a delivery row) and the
relay or the beat publishes it once the broker is back. The relay itself always tries.
"""

from __future__ import annotations

import contextlib
import os
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


_kept = threading.local()


@contextmanager
def publishing_connection(app: Any) -> Iterator[Connection]:
    """A broker connection for a publish that fails at once when the broker refuses.

    Each thread keeps its connection for its next publish: connecting and declaring the
    queue again cost more than the publish itself (a fetch worker's thread publishes the
    reading of every changed page). A publish that fails drops the connection, so the next
    one connects afresh; a forked process never uses its parent's."""
    kept = getattr(_kept, "connection", None)
    if kept is not None and kept[:2] == (app, os.getpid()):
        connection = kept[2]
    else:
        connection = app.connection_for_write(transport_options=PUBLISH_ONCE)
        if not isinstance(connection, Connection):  # a stand-in for the broker (tests)
            with connection as stand_in:
                yield stand_in
            return
        _kept.connection = (app, os.getpid(), connection)
    try:
        yield connection
    except BaseException:
        forget_publishing_connection()
        raise


def forget_publishing_connection() -> None:
    """Close this thread's kept connection, if any; the next publish connects afresh."""
    kept = getattr(_kept, "connection", None)
    _kept.connection = None
    if kept is not None and kept[1] == os.getpid():
        with contextlib.suppress(Exception):  # it is being dropped because it failed
            kept[2].release()
