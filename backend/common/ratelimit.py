"""Rate limits on writes and sign-ins: sliding windows every server process shares; 429 and Retry-After.

Limits are named in ``settings.ICONOPLASM_RATE_LIMITS`` as ``name: (count, window_seconds)``
and counted per user, or per client address for guests: at most ``count`` requests in ANY
``window_seconds`` (a sliding log of the accepted requests' times, so a burst across a minute
boundary is still one limit, not two).

The store is shared by every process on every machine of the site:

- **Redis** when ``ICONOPLASM_REDIS_URL`` is set: a sorted set per key, checked and added to
  in one Lua script (atomic on the server).
- **The database** otherwise (``backend.limits.Hit``, one row per accepted request). A hit is
  inserted (unless the key's window is already full) and committed first, then the key's hits
  in the window are counted; over the limit, the hit is deleted and the request refused. Every
  accepted request therefore saw all earlier accepted ones, so concurrent processes together
  never exceed the limit (a refused request may briefly make a concurrent one refused too: the
  error is on the safe side). A client already over its limit writes nothing.

When Redis does not answer, the database counts instead (one warning per outage; Redis is
retried after a few seconds). When the database store fails too, writes are let through
with a logged warning (fail open: the write itself needs the database and will fail or
succeed on its own; refusing every vote because a counter is unavailable would be worse),
while sign-ins are refused (fail closed: an outage must not open a window for password
guessing). Nothing here turns a store error into a 500.
"""

from __future__ import annotations

import hashlib
import logging
import math
import random
import time
import unicodedata
import uuid
from contextlib import nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Min
from rest_framework.exceptions import Throttled

from backend.common.db import retry_when_locked

log = logging.getLogger(__name__)

# Unix time; tests replace it to step across window edges.
clock = time.time

REDIS_PREFIX = "iconoplasm:ratelimit:"
# After a Redis failure, the database counts for this long before Redis is tried again.
REDIS_RETRY_AFTER_S = 5.0
# Hit.key's max_length.
KEY_LENGTH = 120
# One accepted hit in this many also deletes every key's hits older than the longest window.
PRUNE_EVERY = 50


class Refused(Exception):
    def __init__(self, wait: float):
        super().__init__(wait)
        self.wait = wait


class StoreDown(Exception):
    """Neither store could count the hit."""


class SignInUnavailable(Throttled):
    """No store could count a sign-in attempt: sign-ins are refused for now (fail closed)."""


class DatabaseStore:
    @staticmethod
    def _in_window(key: str, since: float) -> tuple[int, float | None]:
        from backend.limits.models import Hit

        # Inside a caller's transaction, a savepoint: a failed read must not break the caller's work.
        guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
        with guard:
            state = Hit.objects.filter(key=key, at__gt=since).aggregate(n=Count("id"), oldest=Min("at"))
        return state["n"], state["oldest"]

    @staticmethod
    def _insert_unless_full(key: str, limit: int, since: float, now: float) -> int | None:
        """Add a hit unless the key already has ``limit`` in the window: one statement, so an accepted
        request costs this and one count, and a client over its limit writes nothing."""
        from backend.limits.models import Hit

        table = Hit._meta.db_table
        sql = (
            f"INSERT INTO {table} (key, at) SELECT %s, %s"
            f" WHERE (SELECT COUNT(*) FROM {table} WHERE key = %s AND at > %s) < %s RETURNING id"
        )
        # Outside a transaction the statement commits by itself (no BEGIN/COMMIT round trips); inside
        # a caller's, a savepoint keeps a failure from breaking the caller's work.
        guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
        with guard, connection.cursor() as cursor:
            cursor.execute(sql, [key, now, key, since, limit])
            row = cursor.fetchone()
        return None if row is None else row[0]

    def hit(self, key: str, limit: int, window: float, now: float) -> int:
        since = now - window
        pk = retry_when_locked(lambda: self._insert_unless_full(key, limit, since, now))
        n, oldest = self._in_window(key, since)
        if pk is not None and n <= limit:
            if random.randrange(PRUNE_EVERY) == 0:
                self._prune(now)
            return pk
        if pk is not None:
            self.release(key, pk)
        raise Refused((oldest if oldest is not None else now) + window - now)

    def _prune(self, now: float) -> None:
        from backend.limits.models import Hit

        longest = max(w for _, w in settings.ICONOPLASM_RATE_LIMITS.values())
        self._write(lambda: Hit.objects.filter(at__lt=now - longest).delete())

    def release(self, key: str, token) -> None:
        from backend.limits.models import Hit

        self._write(lambda: Hit.objects.filter(pk=token).delete())

    @staticmethod
    def _write(work):
        def atomic():
            with transaction.atomic():
                return work()

        return retry_when_locked(atomic)


_HIT_SCRIPT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  return redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(window * 1000))
return false
"""


class RedisStore:
    _clients: dict = {}

    def __init__(self, url: str):
        import redis

        self.errors = (redis.RedisError, OSError)
        if url not in self._clients:
            timeout = settings.ICONOPLASM_REDIS_TIMEOUT_S
            client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
            self._clients[url] = (client, client.register_script(_HIT_SCRIPT))
        self.client, self.script = self._clients[url]

    def hit(self, key: str, limit: int, window: float, now: float) -> str:
        member = f"{now:.6f}:{uuid.uuid4().hex}"
        oldest = self.script(keys=[REDIS_PREFIX + key], args=[repr(now), repr(float(window)), limit, member])
        if oldest is not None:
            raise Refused(float(oldest) + window - now)
        return member

    def release(self, key: str, token) -> None:
        self.client.zrem(REDIS_PREFIX + key, token)

    def clear(self) -> None:
        keys = list(self.client.scan_iter(match=REDIS_PREFIX + "*", count=1000))
        if keys:
            self.client.delete(*keys)


_redis_down = {"until": 0.0}


def _stores() -> list:
    """The stores to try, in order: Redis (when configured and not just found down), then the database."""
    url = settings.ICONOPLASM_REDIS_URL
    if url and time.monotonic() >= _redis_down["until"]:
        return [RedisStore(url), DatabaseStore()]
    return [DatabaseStore()]


@dataclass
class Counted:
    """One counted request; ``release()`` takes it back (a sign-in that succeeded)."""

    store: object
    key: str
    token: object

    def release(self) -> None:
        try:
            self.store.release(self.key, self.token)
        except Exception as exc:  # noqa: BLE001  (an uncounted release only makes the limit stricter)
            log.warning("rate limit: could not release a hit on %s: %s", self.key, exc)


def count(name: str, who: str) -> Counted:
    """Count one request by ``who`` against limit ``name``; Refused when over it, StoreDown when nothing can count."""
    limit, window = settings.ICONOPLASM_RATE_LIMITS[name]
    key = f"{name}:{who}"
    if len(key) > KEY_LENGTH:  # an odd REMOTE_ADDR, say: still one key, and it fits the column
        key = f"{name}:sha:{hashlib.sha256(who.encode()).hexdigest()[:40]}"
    now = clock()
    for store in _stores():
        try:
            return Counted(store, key, store.hit(key, limit, window, now))
        except Refused:
            raise
        except Exception as exc:  # a store's failure is handled below, never a 500
            if isinstance(store, RedisStore):
                if time.monotonic() >= _redis_down["until"] + REDIS_RETRY_AFTER_S:
                    log.warning("rate limits: Redis unavailable, counting in the database: %s", exc)
                _redis_down["until"] = time.monotonic() + REDIS_RETRY_AFTER_S
                continue
            if not isinstance(exc, DatabaseError):
                raise
            log.warning("rate limits: the database store failed for %s: %s", key, exc)
    raise StoreDown(key)


def _throttled(name: str, wait: float, detail: str) -> Throttled:
    return Throttled(wait=max(1, math.ceil(wait)), detail=detail)


def client_key(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"addr:{client_address(request)}"


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def check_rate(name: str, request) -> None:
    """Count one write against limit ``name``; raise Throttled (429 + Retry-After) when over it.

    Fails open: when no store can count, the write goes ahead (with a logged warning).
    """
    try:
        count(name, client_key(request))
    except Refused as exc:
        raise _throttled(name, exc.wait, f"too many {name} requests; try again later") from None
    except StoreDown:
        log.warning("rate limit %s not enforced: no store answered", name)


@dataclass
class SignInAttempt:
    hits: list[Counted]

    def succeeded(self) -> None:
        """Only failures count: give back what this attempt reserved."""
        for hit in self.hits:
            hit.release()


def sign_in_attempt(request, username: str) -> SignInAttempt:
    """Reserve one failed sign-in for ``username`` and for the client's address, before the password is checked.

    Raise Throttled (429 + Retry-After) when either limit ("login-user", "login-addr") is already
    reached, without touching the password hasher; call ``succeeded()`` after a good password so
    only failures stay counted. Reserving first (rather than counting after the check) keeps
    concurrent guesses within the limit too. Usernames count case-insensitively. Fails closed.
    """
    folded = unicodedata.normalize("NFKC", username.strip()).casefold()  # as usernames are compared
    name_key = "name:" + hashlib.sha256(folded.encode()).hexdigest()[:32]
    hits: list[Counted] = []
    try:
        hits.append(count("login-addr", f"addr:{client_address(request)}"))
        hits.append(count("login-user", name_key))
    except Refused as exc:
        for hit in hits:
            hit.release()
        raise _throttled("login", exc.wait, "too many failed sign-ins; try again later") from None
    except StoreDown:
        for hit in hits:
            hit.release()
        raise SignInUnavailable(wait=30, detail="sign-in is briefly unavailable; try again shortly") from None
    return SignInAttempt(hits)


def clear() -> None:
    """Forget every count in Redis (tests; the database's hits go with each test's transaction)."""
    if settings.ICONOPLASM_REDIS_URL:
        store = RedisStore(settings.ICONOPLASM_REDIS_URL)
        try:
            store.clear()
        except store.errors as exc:
            log.warning("rate limits: could not clear Redis: %s", exc)


def throttled_page(request, template: str, context: dict, exc: Throttled):
    """The form page again with status 429, ``throttled`` set and a Retry-After header."""
    from django.shortcuts import render

    response = render(request, template, {**context, "throttled": True}, status=429)
    response["Retry-After"] = str(int(exc.wait or 1))
    return response
