"""The retry schedule: the first retry within 30 s, the second within 2 minutes, jittered,
Retry-After honoured, about a day in all."""

from __future__ import annotations

import random

from webhooks.schedule import RetrySchedule

DEFAULT = RetrySchedule(first=30.0, factor=4.0, maximum=6 * 3600.0)


def test_the_first_retry_comes_within_30_seconds_and_the_second_within_2_minutes():
    rng = random.Random(1)
    firsts = [DEFAULT.delay(1, rng=rng) for _ in range(200)]
    seconds = [DEFAULT.delay(2, rng=rng) for _ in range(200)]
    assert min(firsts) >= 15 and max(firsts) <= 30
    assert min(seconds) >= 60 and max(seconds) <= 120


def test_the_delays_are_jittered():
    rng = random.Random(2)
    assert len({round(DEFAULT.delay(3, rng=rng), 3) for _ in range(20)}) > 10


def test_no_wait_is_longer_than_the_maximum():
    assert DEFAULT.ceiling(30) == 6 * 3600.0


def test_a_retry_after_longer_than_the_back_off_is_honoured_but_capped():
    assert DEFAULT.delay(1, retry_after=90.0) == 90.0
    assert DEFAULT.delay(1, retry_after=10 * 86_400.0) == 6 * 3600.0


def test_the_default_schedule_tries_for_about_a_day_in_a_dozen_attempts():
    waits = [DEFAULT.ceiling(n) * 0.75 for n in range(1, 12)]  # the mean of each wait
    elapsed = [sum(waits[:n]) for n in range(1, len(waits) + 1)]
    within_a_day = [t for t in elapsed if t <= 86_400]
    assert 8 <= len(within_a_day) <= 11
