"""A Redis cache that a Redis outage cannot turn into errors: it is skipped while down.

Everything the site caches (cards, the lexicon) can be computed again, so while Redis does not
answer, reads miss and writes are dropped, with one logged warning per outage; for a few
seconds after a failure Redis is not even tried, so a dead server costs no time per request.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

# How long a failed Redis is left alone before the next try.
RETRY_AFTER_S = 5.0
# When this process last found Redis down, and until when it skips it (shared by all threads).
_outage = {"until": 0.0}


class FailSoftRedisCache(RedisCache):
    def _soft(self, default, method, *args):
        now = time.monotonic()
        if now < _outage["until"]:
            return default
        try:
            return method(*args)
        except Exception as exc:  # noqa: BLE001  (any client or server error: carry on uncached)
            if now >= _outage["until"] + RETRY_AFTER_S:  # not a retry within a running outage
                log.warning("cache (Redis) unavailable, serving without it: %s", exc)
            _outage["until"] = time.monotonic() + RETRY_AFTER_S
            return default

    def get(self, key, default=None, version=None):
        return self._soft(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._soft({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._soft(False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(None, super().set, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(False, super().add, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._soft(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._soft(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._soft(None, super().delete_many, keys, version)

    def clear(self):
        return self._soft(False, super().clear)
