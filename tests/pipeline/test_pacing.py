"""The one rate limiter: calls spaced 1/rate apart (plus a margin against float rounding), on any clock."""

from __future__ import annotations

import math

import pytest

from pipeline.pacing import RateLimiter

from ..clock import FakeClock


def test_calls_are_spaced_by_the_rate():
    clock = FakeClock()
    limiter = RateLimiter(4, clock, clock.sleep)
    starts = []
    for _ in range(5):
        limiter.wait()
        starts.append(clock.now)
    step = 0.25 + RateLimiter.MARGIN
    assert clock.sleeps == pytest.approx([step] * 4)
    assert starts == pytest.approx([100.0 + k * step for k in range(5)])


def test_never_more_than_rate_calls_in_any_second():
    clock = FakeClock()
    limiter = RateLimiter(3, clock, clock.sleep)
    starts = []
    for _ in range(10):
        limiter.wait()
        starts.append(clock.now)
    assert all(sum(1 for t in starts if first <= t < first + 1.0) <= 3 for first in starts)


def test_no_sleep_when_the_time_has_passed():
    clock = FakeClock()
    limiter = RateLimiter(2, clock, clock.sleep)
    limiter.wait()
    clock.now += 0.3  # a slow call
    limiter.wait()
    assert clock.sleeps == pytest.approx([0.2 + RateLimiter.MARGIN])
    clock.now += 5
    limiter.wait()
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize("rate", [0, -1, math.nan])
def test_a_rate_must_be_positive(rate):
    with pytest.raises(ValueError, match="positive number of calls per second"):
        RateLimiter(rate)
