"""Database helpers shared by the apps' services."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError

T = TypeVar("T")

# SQLite answers "database is locked" when writers collide past its busy timeout; under real
# concurrency (votes, several workers) a few quick retries let every write through.
LOCK_RETRIES = 40


def retry_when_locked(work: Callable[[], T]) -> T:
    """Run ``work`` (a statement or its own transaction) again when SQLite says the database/table is locked."""
    for attempt in range(LOCK_RETRIES):
        try:
            return work()
        except OperationalError as exc:
            if "locked" not in str(exc).lower() or attempt == LOCK_RETRIES - 1:
                raise
            time.sleep(random.uniform(0, min(0.25, 0.005 * 2**attempt)))
    raise AssertionError("unreachable")
