"""Card stamps kept per process on PostgreSQL, and the change feed that keeps them true."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.common import change_feed
from backend.common.change_feed import KeptStamps

from .factories import make_gene, make_portrait


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def live_stamps(**kwargs) -> KeptStamps:
    stamps = KeptStamps(ttl_s=30, **kwargs)
    stamps.set_live(True)
    return stamps


def test_a_kept_stamp_is_served_until_a_change_is_heard():
    stamps = live_stamps()
    stamps.keep("TP53", "stamp", stamps.generation())
    assert stamps.get("TP53") == "stamp"
    stamps.forget_all()
    assert stamps.get("TP53") is None


def test_a_stamp_read_before_a_change_is_not_kept_after_it():
    stamps = live_stamps()
    noted = stamps.generation()  # the read's query starts ...
    stamps.forget_all()  # ... a change is heard before the read keeps what it saw
    stamps.keep("TP53", "old stamp", noted)
    assert stamps.get("TP53") is None


def test_nothing_is_kept_or_served_while_the_feed_is_down():
    stamps = live_stamps()
    stamps.keep("TP53", "stamp", stamps.generation())
    stamps.set_live(False)
    assert stamps.get("TP53") is None and stamps.generation() is None
    stamps.keep("TP53", "stamp", None)
    stamps.set_live(True)  # back: what was kept before may have missed notifications
    assert stamps.get("TP53") is None


def test_a_kept_stamp_expires():
    clock = Clock()
    stamps = live_stamps(clock=clock)
    stamps.keep("TP53", "stamp", stamps.generation())
    clock.now += 29
    assert stamps.get("TP53") == "stamp"
    clock.now += 2
    assert stamps.get("TP53") is None


def test_a_full_store_starts_again_rather_than_growing():
    stamps = live_stamps(max_entries=2)
    for symbol in ("A1", "A2", "A3"):
        stamps.keep(symbol, symbol.lower(), stamps.generation())
    assert [stamps.get(s) for s in ("A1", "A2", "A3")] == [None, None, "a3"]


@pytest.mark.django_db
def test_sqlite_and_transactions_read_every_stamp(settings):
    settings.ICONOPLASM_CARD_STAMP_SECONDS = 30
    # Inside the test's transaction (and always on SQLite) a request may see its own unannounced writes.
    assert change_feed.kept_stamps() is None


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the change feed is PostgreSQL's LISTEN/NOTIFY"
)


@pytest.fixture
def card_feed(settings):
    settings.ICONOPLASM_CARD_STAMP_SECONDS = 30
    yield
    change_feed.stop_feed()


def wait_for(condition, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def feed_is_live() -> bool:
    stamps = change_feed.kept_stamps()
    return stamps is not None and stamps.generation() is not None


def other_session() -> psycopg.Connection:
    """A connection of its own, as another web process, a worker or an operator would have."""
    params = {k: v for k, v in connection.get_connection_params().items() if k not in change_feed.NOT_LIBPQ}
    return psycopg.connect(**params, autocommit=True)


@pytest.fixture
def gene_with_canonical():
    gene = make_gene("TP53")
    portrait = make_portrait(gene, set_canonical=True)
    return gene, portrait


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_repeat_card_visit_takes_no_query(client, card_feed, gene_with_canonical):
    client.get("/api/genes/TP53/")  # starts this process's feed
    assert wait_for(feed_is_live)
    first = client.get("/api/genes/TP53/")  # read and kept
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/genes/TP53/")
    assert again.status_code == 200 and again["ETag"] == first["ETag"]
    assert len(queries.captured_queries) == 0


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_change_made_elsewhere_reaches_the_card(client, card_feed, gene_with_canonical):
    _, portrait = gene_with_canonical
    client.get("/api/genes/TP53/")
    assert wait_for(feed_is_live)
    assert client.get("/api/genes/TP53/").json()["portrait"]["id"] == portrait.pk
    with other_session() as other:
        other.execute("UPDATE portraits_portrait SET hidden = true WHERE id = %s", [portrait.pk])
    # Without the triggers the kept stamp would show the hidden portrait for another 30 s.
    assert wait_for(lambda: client.get("/api/genes/TP53/").json()["portrait"] is None, seconds=5)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_write_through_this_process_is_seen_at_once(client, card_feed, gene_with_canonical):
    client.get("/api/genes/TP53/")
    assert wait_for(feed_is_live)
    client.get("/api/genes/TP53/")
    assert change_feed.kept_stamps().get("TP53") is not None
    client.post("/api/auth/token/", {"username": "nobody", "password": "wrong"}, content_type="application/json")
    assert change_feed.kept_stamps().get("TP53") is None


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_lost_feed_serves_from_the_database_and_comes_back(client, card_feed, gene_with_canonical):
    _, portrait = gene_with_canonical
    client.get("/api/genes/TP53/")
    assert wait_for(feed_is_live)
    client.get("/api/genes/TP53/")
    with other_session() as other:
        other.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            [change_feed.APPLICATION_NAME],
        )
        assert wait_for(lambda: not feed_is_live(), seconds=5)
        # While it is down a change is missed by the feed, and still reaches the card.
        other.execute("UPDATE portraits_portrait SET hidden = true WHERE id = %s", [portrait.pk])
    assert client.get("/api/genes/TP53/").json()["portrait"] is None
    assert wait_for(feed_is_live)
