"""One holder at a time for a named piece of work, across threads, workers and machines.

With a Redis (FACTCHECK_POLITENESS_REDIS_URL, the broker's by default) the lock is Redis's:
it expires by itself, so a worker killed while holding it blocks the others only until
then. On the embedded broker it is a file lock under FACTCHECK_VAR_DIR/locks/, which the
operating system releases when the holder's process ends. Either way a caller that cannot
take the lock within `wait` seconds goes on without it: a lock that is slow to come must
not stop a check.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import redis
from django.conf import settings

from sources.fetch.politeness import redis_client

logger = logging.getLogger(__name__)

KEY_PREFIX = "factcheck:lock:"
POLL_SECONDS = 0.05


@contextlib.contextmanager
def held(name: str, *, expires: float, wait: float) -> Iterator[bool]:
    """Hold the lock `name` for at most `expires` seconds; yields whether it was taken."""
    client = redis_client()
    if client is not None:
        try:
            lock = client.lock(KEY_PREFIX + name, timeout=expires, blocking_timeout=wait)
            taken = bool(lock.acquire())
        except redis.RedisError as exc:
            logger.warning("locks: Redis unavailable (%s); locking on this machine", exc)
        else:
            try:
                yield taken
            finally:
                if taken:
                    with contextlib.suppress(redis.RedisError):
                        lock.release()
            return
    with _file_lock(name, wait) as taken:
        yield taken


def lock_path(name: str) -> Path:
    folder = Path(settings.VAR_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / (hashlib.sha256(name.encode()).hexdigest()[:32] + ".lock")


@contextlib.contextmanager
def _file_lock(name: str, wait: float) -> Iterator[bool]:
    """flock on a file of its own: each open is its own lock, so threads exclude each other
    as processes do."""
    with lock_path(name).open("a") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(POLL_SECONDS)
                continue
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
            return
