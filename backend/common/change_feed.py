"""Card stamps kept in each web process for as long as PostgreSQL says they still hold.

A repeat card visit is one indexed query (the card's stamp, see ``backend.portraits.cards``).
In SQLite that is a call inside the process; on PostgreSQL it is a round trip to another
process, which on a busy machine costs more than the rest of the request. Triggers (portraits
migration 0004) send a notification on ``CHANNEL`` whenever a row a stamp depends on changes,
whoever changed it (a web request, a worker, ``load_genes``, an operator's SQL); one thread per
web process listens and forgets every kept stamp. The rules that keep a kept stamp true:

- a stamp read just before a change can be kept just after the change's notification was heard:
  each read notes the generation before its query and is kept only if no notification came in
  between (:meth:`KeptStamps.keep`);
- while the listener is not connected (starting, or its connection lost) nothing is kept or
  served, and everything kept before is forgotten: notifications may have been missed;
- inside a transaction a request may see its own writes, which nobody has been told about yet:
  nothing is kept or served there (:func:`kept_stamps`);
- this process's own writes: a request that may write forgets everything when it ends
  (:class:`ForgetAfterWritesMiddleware`), without waiting for its notification to come back;
- whatever else happens, a stamp is served for at most ``ICONOPLASM_CARD_STAMP_SECONDS``.

SQLite needs none of this (its query is cheap) and gets ``None`` from :func:`kept_stamps`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection

log = logging.getLogger(__name__)

CHANNEL = "iconoplasm_cards"
# How the listener's connection shows in pg_stat_activity.
APPLICATION_NAME = "iconoplasm card feed"
# How often the listener checks that its connection is alive (and whether to stop) when nothing is heard.
IDLE_CHECK_S = 1.0
RETRY_AFTER_S = 1.0
MAX_ENTRIES = 50_000
# Connection parameters of Django's that are not libpq's.
NOT_LIBPQ = {"cursor_factory", "prepare_threshold", "server_side_binding", "context"}


class KeptStamps:
    """Values by key, served only while ``live`` and for at most ``ttl_s`` seconds."""

    def __init__(self, ttl_s: float, max_entries: int = MAX_ENTRIES, clock: Callable[[], float] = time.monotonic):
        self._ttl_s = ttl_s
        self._max_entries = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, Any]] = {}
        self._generation = 0
        self._live = False

    def get(self, key: str) -> Any | None:
        if not self._live:
            return None
        entry = self._entries.get(key)
        if entry is None or self._clock() - entry[0] > self._ttl_s:
            return None
        return entry[1]

    def generation(self) -> int | None:
        """The generation to pass to :meth:`keep` for a value about to be read (None: keep nothing)."""
        return self._generation if self._live else None

    def keep(self, key: str, value: Any, generation: int | None) -> None:
        """Keep ``value`` unless something changed since ``generation`` was noted."""
        with self._lock:
            if not self._live or generation != self._generation:
                return
            if len(self._entries) >= self._max_entries:
                self._entries.clear()
            self._entries[key] = (self._clock(), value)

    def forget_all(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()

    def set_live(self, live: bool) -> None:
        with self._lock:
            self._live = live
            self._generation += 1
            self._entries.clear()


class ChangeListener:
    """A thread that listens on ``CHANNEL`` and forgets ``stamps`` on every notification."""

    def __init__(self, conninfo: dict[str, Any], stamps: KeptStamps):
        self._conninfo = conninfo
        self._stamps = stamps
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="card-change-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5 * IDLE_CHECK_S)

    def _run(self) -> None:
        import psycopg

        while not self._stopping.is_set():
            try:
                with psycopg.connect(**self._conninfo, application_name=APPLICATION_NAME, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._stamps.set_live(True)
                    while not self._stopping.is_set():
                        for _ in conn.notifies(timeout=IDLE_CHECK_S):
                            self._stamps.forget_all()
                        conn.execute("SELECT 1")  # a dead connection raises here within IDLE_CHECK_S
            except Exception as exc:  # noqa: BLE001  (any failure: serve from the database until back)
                if not self._stopping.is_set():
                    log.warning("card change feed lost, cards read from the database until it is back: %s", exc)
            finally:
                self._stamps.set_live(False)
            self._stopping.wait(RETRY_AFTER_S)


# This process's feed (a forked web worker starts its own: the pid tells).
_feed: dict[str, Any] = {"pid": None, "stamps": None, "listener": None}
_feed_lock = threading.Lock()


def _start_feed() -> KeptStamps:
    params = {k: v for k, v in connection.get_connection_params().items() if k not in NOT_LIBPQ}
    stamps = KeptStamps(ttl_s=settings.ICONOPLASM_CARD_STAMP_SECONDS)
    listener = ChangeListener(params, stamps)
    listener.start()
    _feed.update(pid=os.getpid(), stamps=stamps, listener=listener)
    return stamps


def kept_stamps() -> KeptStamps | None:
    """This process's kept stamps, or None where they must not be used (see the module's rules)."""
    if connection.vendor != "postgresql" or not settings.ICONOPLASM_CARD_STAMP_SECONDS:
        return None
    if connection.in_atomic_block:
        return None
    if _feed["pid"] != os.getpid():
        with _feed_lock:
            if _feed["pid"] != os.getpid():
                return _start_feed()
    return _feed["stamps"]


def forget_kept_stamps() -> None:
    if _feed["pid"] == os.getpid():
        _feed["stamps"].forget_all()


def stop_feed() -> None:
    """Stop this process's listener (a test database cannot be dropped while it is connected)."""
    with _feed_lock:
        if _feed["pid"] == os.getpid():
            _feed["listener"].stop()
        _feed.update(pid=None, stamps=None, listener=None)


SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ForgetAfterWritesMiddleware:
    """After a request that may have written, this process forgets its kept stamps at once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            forget_kept_stamps()
        return response
