"""Database helpers shared by the apps' services."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError

T = TypeVar("T")

logger = logging.getLogger(__name__)

# Writers that collide get a few quick retries: SQLite answers "database is locked" past its busy
# timeout; PostgreSQL ends one transaction of a deadlock (or of a serialization failure) so the
# others can go on. Under real concurrency (votes, several workers) every write gets through.
LOCK_RETRIES = 40

# SQLite's primary result codes (the low byte of an extended code such as SQLITE_BUSY_SNAPSHOT).
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
# PostgreSQL's SQLSTATEs for a transaction rolled back so that others can go on; worth running again.
PG_SERIALIZATION_FAILURE, PG_DEADLOCK_DETECTED = "40001", "40P01"


def is_lock_conflict(exc: BaseException) -> bool:
    """True when ``exc`` (Django's OperationalError, wrapping the driver's error) says that writers collided.

    Known by the driver error's code, never by its text: SQLite's SQLITE_BUSY / SQLITE_LOCKED
    (``sqlite_errorcode``), PostgreSQL's deadlock_detected (40P01) and serialization_failure
    (40001) (``sqlstate`` in psycopg 3, ``pgcode`` in psycopg2).
    """
    for error in (exc.__cause__, exc):
        if error is None:
            continue
        code = getattr(error, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED):
            return True
        state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if state in (PG_SERIALIZATION_FAILURE, PG_DEADLOCK_DETECTED):
            return True
    return False


def retry_when_locked(work: Callable[[], T]) -> T:
    """Run ``work`` (a statement or its own transaction) again when the database reports a lock conflict.

    A lock conflict is SQLite's busy/locked or PostgreSQL's deadlock or serialization failure
    (:func:`is_lock_conflict`); any other error is raised at once, and so is the last conflict.
    """
    for attempt in range(LOCK_RETRIES):
        try:
            return work()
        except OperationalError as exc:
            if not is_lock_conflict(exc) or attempt == LOCK_RETRIES - 1:
                raise
            logger.info("lock conflict (attempt %d of %d), trying again: %s", attempt + 1, LOCK_RETRIES, exc)
            time.sleep(random.uniform(0, min(0.25, 0.005 * 2**attempt)))
    raise AssertionError("unreachable")
