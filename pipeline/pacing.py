"""Pacing calls to a rate-limited service (NCBI E-utilities, an LLM provider): the one rate limiter."""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimiter:
    """At most ``rate`` calls of :meth:`wait` in any second, spaced on a monotonic clock.

    Calls are spaced ``1/rate`` seconds plus :attr:`MARGIN` apart: exactly ``1/rate`` would let
    float rounding put ``rate + 1`` calls in one second. ``clock`` and ``sleep`` are injectable so
    tests can run it on a fake clock.
    """

    MARGIN = 0.001

    def __init__(
        self, rate: float, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        if not rate > 0:  # also refuses NaN
            raise ValueError(f"a rate limit must be a positive number of calls per second, got {rate}")
        self.interval = 1.0 / rate + self.MARGIN
        self._clock = clock
        self._sleep = sleep
        self._next: float | None = None

    def wait(self) -> None:
        """Block until the next call may start, and book the slot after it."""
        now = self._clock()
        if self._next is not None and now < self._next:
            self._sleep(self._next - now)
            now = max(self._next, self._clock())
        self._next = now + self.interval
