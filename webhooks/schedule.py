"""When a failed delivery is tried again: exponential back-off with jitter. Pure."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RetrySchedule:
    first: float  # the longest wait before the first retry, seconds
    factor: float  # each later wait may be this many times longer
    maximum: float  # no wait is longer than this

    @classmethod
    def from_settings(cls) -> RetrySchedule:
        return cls(
            first=settings.FACTCHECK_WEBHOOK_RETRY_FIRST,
            factor=settings.FACTCHECK_WEBHOOK_RETRY_FACTOR,
            maximum=settings.FACTCHECK_WEBHOOK_RETRY_MAX_DELAY,
        )

    def ceiling(self, failed_attempts: int) -> float:
        """The longest wait after the `failed_attempts`-th failure (1 for the first)."""
        exponent = max(failed_attempts - 1, 0)
        return min(self.maximum, self.first * self.factor**exponent)

    def delay(
        self,
        failed_attempts: int,
        retry_after: float | None = None,
        rng: random.Random | None = None,
    ) -> float:
        """Seconds to wait: half the ceiling fixed, half drawn at random ("equal jitter"), so
        that receivers that failed together are not hit together again; never sooner than
        the receiver's Retry-After, never later than `maximum`."""
        ceiling = self.ceiling(failed_attempts)
        wait = ceiling / 2 + (rng or random).uniform(0, ceiling / 2)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.maximum))
        return wait
