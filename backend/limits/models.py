"""The rate limiter's shared store when no Redis is configured: one row per counted hit.

A foundation like ``backend.common`` (which alone uses it, in ``common/ratelimit.py``): it
imports no app. A key holds at most its limit's count of rows inside the window (refused hits
are never kept); older rows are pruned as hits come in. On PostgreSQL the table is UNLOGGED
(migration 0002): counters need no crash safety, and a hit then commits without a disk flush.
"""

from __future__ import annotations

from django.db import models


class Hit(models.Model):
    """One counted request against a limit: ``key`` is ``{limit}:{who}``, ``at`` a Unix time."""

    key = models.CharField(max_length=120)
    at = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="limits_hit_key_at"), models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.key} at {self.at}"
