"""A kept PostgreSQL connection is checked without a round trip, and one the server closed is replaced."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the PostgreSQL backend's health check (./dev test runs tests/backend again on PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def server_url() -> str:
    s = connection.settings_dict
    return f"postgresql://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_the_check_of_a_live_connection_sends_nothing(monkeypatch):
    connection.ensure_connection()
    raw = connection.connection

    def no_statement(*args, **kwargs):
        raise AssertionError("the health check sent a statement")

    # Django's own check runs SELECT 1 through a cursor of the raw connection.
    monkeypatch.setattr(raw, "cursor", no_statement)
    monkeypatch.setattr(raw, "execute", no_statement)
    for _ in range(100):
        assert connection.is_usable()


def test_a_connection_the_server_closed_is_noticed_and_replaced():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    with psycopg.connect(server_url(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while connection.is_usable():
        assert time.monotonic() < deadline, "the closed connection still looks usable"
        time.sleep(0.05)
    # What Django does at the start of a request with CONN_HEALTH_CHECKS: close it, then connect anew.
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
