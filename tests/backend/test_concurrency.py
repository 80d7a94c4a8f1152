"""Writes under real concurrency (issue 12): threads, each on its own database connection.

Votes on candidates of one gene never deadlock on PostgreSQL; simultaneous sign-ups with names
differing only in case give one account and 400s; overlapping discovery posts report each gene
as "added" once. ``./dev test`` runs these on SQLite and again on PostgreSQL.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, connection, transaction
from rest_framework.test import APIClient

from backend.accounts import services as account_services
from backend.accounts.models import Discovery
from backend.common.db import is_lock_conflict, retry_when_locked
from backend.portraits import canonical, services
from backend.portraits.models import Canonical, Vote

from .factories import PASSWORD, client_for, make_gene, make_portrait, make_user, make_users

TAKEN = "A user with that username already exists."


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


# The test database on SQLite is in memory with a shared cache, where a connection meeting another's
# write lock fails at once ("database table is locked") instead of waiting out the busy timeout;
# only the writes that retry (votes) can be driven from many threads there. SQLite serialises
# writers anyway (every transaction begins IMMEDIATE), so these races are PostgreSQL's.
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite's in-memory test database cannot take concurrent requests "
    "(./dev test runs tests/backend again on PostgreSQL)",
)


def run_together(jobs: list[Callable[[], object]], *, within_s: float) -> tuple[list, list[BaseException]]:
    """Run ``jobs`` at the same moment, one thread (and database connection) each; their results and errors.

    Fails when they have not all finished within ``within_s`` seconds (a deadlock that is only
    broken by a timeout counts as a failure too).
    """
    barrier = threading.Barrier(len(jobs))
    results: list = []
    errors: list[BaseException] = []

    def run(job):
        try:
            barrier.wait()
            results.append(job())
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,), daemon=True) for job in jobs]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, within_s - (time.monotonic() - started)))
    stuck = sum(thread.is_alive() for thread in threads)
    assert stuck == 0, f"{stuck} of {len(jobs)} threads still running after {within_s} s"
    return results, errors


def deadlocks_so_far() -> int:
    """PostgreSQL's count of deadlocks detected in this (test) database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


# ---------------------------------------------------------------- votes


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_on_candidates_of_one_gene_never_deadlock():
    """8 users each cast 12 random votes on the 3 candidates of one gene at once: exact totals, no deadlock.

    Before the fix (``select_for_update`` with ``select_related`` locked the portrait, the gene
    and the canonical portrait in varying orders) PostgreSQL detected dozens of deadlocks here.
    """
    gene = make_gene("TP53")
    candidates = [make_portrait(gene) for _ in range(3)]
    canonical.ensure_canonical(gene)
    users = make_users(8)
    rng = random.Random(12)
    plans = {user.pk: [(rng.choice(candidates).pk, rng.choice((1, 1, -1, 0))) for _ in range(12)] for user in users}
    deadlocks_before = deadlocks_so_far() if on_postgresql() else 0

    def cast(user):
        def job():
            for portrait_pk, value in plans[user.pk]:
                services.vote(user, portrait_pk, value)

        return job

    _, errors = run_together([cast(user) for user in users], within_s=60)
    assert errors == []

    expected: dict[int, dict[int, int]] = {p.pk: {} for p in candidates}
    for user_pk, plan in plans.items():
        for portrait_pk, value in plan:  # each user's last word on each candidate counts
            if value:
                expected[portrait_pk][user_pk] = value
            else:
                expected[portrait_pk].pop(user_pk, None)
    for portrait in candidates:
        portrait.refresh_from_db()
        cast_votes = dict(Vote.objects.filter(portrait=portrait).values_list("user_id", "value"))
        assert cast_votes == expected[portrait.pk]
        assert (portrait.votes_count, portrait.score) == (len(cast_votes), sum(cast_votes.values()))
    assert Canonical.objects.filter(gene=gene).count() == 1
    if on_postgresql():
        # Every backend has closed; its statistics reach pg_stat_database when it exits.
        time.sleep(1.5)
        assert deadlocks_so_far() == deadlocks_before


def _lock_conflict(sqlstate: str | None = None, sqlite_code: int | None = None) -> OperationalError:
    """A Django OperationalError wrapping a driver error, as Django raises it."""
    if sqlstate is not None:
        cause = psycopg.errors.lookup(sqlstate)("simulated")
    else:
        cause = sqlite3.OperationalError("simulated")
        cause.sqlite_errorcode = sqlite_code
    error = OperationalError(*cause.args)
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    "error, retried",
    [
        (_lock_conflict(sqlstate="40P01"), True),  # deadlock detected
        (_lock_conflict(sqlstate="40001"), True),  # could not serialize access
        (_lock_conflict(sqlite_code=5), True),  # SQLITE_BUSY: database is locked
        (_lock_conflict(sqlite_code=6), True),  # SQLITE_LOCKED: table is locked
        (_lock_conflict(sqlite_code=517), True),  # SQLITE_BUSY_SNAPSHOT
        (_lock_conflict(sqlstate="57014"), False),  # query cancelled (statement timeout)
        (_lock_conflict(sqlstate="08006"), False),  # connection failure
        (_lock_conflict(sqlite_code=1), False),  # SQLITE_ERROR
        (OperationalError("relation is blocked, or the database is locked"), False),  # text alone proves nothing
    ],
)
def test_retry_when_locked_knows_lock_conflicts_by_code_not_by_text(error, retried):
    assert is_lock_conflict(error) is retried
    calls = []

    def work():
        calls.append(1)
        if len(calls) == 1:
            raise error
        return "done"

    if retried:
        assert retry_when_locked(work) == "done" and len(calls) == 2
    else:
        with pytest.raises(OperationalError):
            retry_when_locked(work)
        assert len(calls) == 1


# ---------------------------------------------------------------- sign-ups


def case_variants(name: str, count: int) -> list[str]:
    """``count`` spellings of ``name`` that differ only in case (``name`` itself first)."""
    variants = []
    for mask in range(2 ** len(name)):
        variants.append("".join(c.upper() if mask >> i & 1 else c for i, c in enumerate(name)))
        if len(variants) == count:
            return variants
    raise ValueError(f"{name!r} has fewer than {count} spellings")


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_signups_differing_in_case_give_one_account_and_400s(settings):
    """16 sign-ups at once, half through the API and half through the sign-up page: one account, 15 clear 400s.

    Before the fix PostgreSQL let several through (the "already exists" check and the insert
    were apart, and only the exact name was unique), and the losers of the race got a 500.
    """
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "register": (1000, 3600)}
    names = case_variants("adalove", 16)

    def sign_up(index: int, name: str):
        def job():
            if index % 2:
                response = APIClient().post(
                    "/api/auth/register/", {"username": name, "password": PASSWORD}, format="json"
                )
                taken = response.status_code == 400 and response.json() == {"username": [TAKEN]}
            else:
                response = APIClient().post("/accounts/signup/", {"username": name, "password": PASSWORD})
                taken = response.status_code == 400 and TAKEN.encode() in response.content
            return name, response.status_code, taken

        return job

    results, errors = run_together([sign_up(i, name) for i, name in enumerate(names)], within_s=60)
    assert errors == []
    statuses = sorted(status for _, status, _ in results)
    assert statuses.count(400) == 15 and set(statuses) - {400} in ({201}, {302}), statuses
    assert all(taken for _, status, taken in results if status == 400)
    (winner,) = [name for name, status, _ in results if status != 400]
    assert list(get_user_model().objects.values_list("username", flat=True)) == [winner]


@pytest.mark.django_db
def test_usernames_are_unique_regardless_of_case_in_the_database():
    make_user("Ada")
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create(username="aDA")  # past every check in Python: the index refuses it
    with pytest.raises(ValidationError) as caught:
        account_services.register_user(username="ADA", password=PASSWORD)
    assert caught.value.message_dict == {"username": [TAKEN]}
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["Ada"]


@pytest.mark.django_db
def test_a_name_taken_between_the_check_and_the_insert_is_the_same_clear_error(monkeypatch):
    """The race's losing side, made deterministic: the check finds no "ada", then another sign-up commits one."""
    User = get_user_model()
    real_validate_password = account_services.validate_password

    def validate_password_while_a_rival_signs_up(password, user=None):
        make_user("ADA")  # the rival's account, committed after the check and before this insert
        return real_validate_password(password, user=user)

    monkeypatch.setattr(account_services, "validate_password", validate_password_while_a_rival_signs_up)
    with pytest.raises(ValidationError) as caught:
        account_services.register_user(username="ada", password=PASSWORD)
    assert caught.value.message_dict == {"username": [TAKEN]}  # (and the rival's row went with the transaction)
    assert not User.objects.filter(username="ada").exists()


# ---------------------------------------------------------------- discoveries


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_overlapping_discovery_posts_at_once_report_each_gene_added_once(settings):
    """One user posts 8 overlapping symbol lists at the same moment: every gene is "added" by exactly one answer."""
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "discovery": (1000, 60)}
    settings.ICONOPLASM_STARTER_GENES = []
    symbols = ["TP53", "INS", "HBB", "BRCA1", "EGFR", "MYC"]
    for symbol in symbols:
        make_gene(symbol)
    user = make_user("ada")
    posts = [symbols[i % 3 :] + symbols[: i % 3] for i in range(8)]  # every post names every gene

    def post(names):
        def job():
            response = client_for(user).post("/api/me/discoveries/", {"symbols": names}, format="json")
            assert response.status_code == 200, response.content
            return response.json()

        return job

    results, errors = run_together([post(names) for names in posts], within_s=60)
    assert errors == []
    added = sorted(symbol for body in results for symbol in body["added"])
    assert added == sorted(symbols)
    for body in results:
        assert sorted(body["added"] + body["already"]) == sorted(symbols)
    assert Discovery.objects.filter(user=user).count() == len(symbols)


@pytest.mark.django_db(transaction=True)
def test_the_migration_refuses_a_database_holding_names_differing_in_case():
    """Migration 0004 (the unique index on lower(username)) names the clashing accounts instead of failing obscurely."""
    call_command("migrate", "accounts", "0003", verbosity=0)  # the reverse SQL drops the index
    make_user("Ada")
    make_user("ada")
    make_user("bob")
    with pytest.raises(Exception, match=r"differ only in case: 'Ada', 'ada'\. Rename"):
        call_command("migrate", "accounts", verbosity=0)
    # Raw SQL: the ORM's cascade would also clear the tables of later accounts migrations, not there now.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM auth_user WHERE username = %s", ["ada"])
    call_command("migrate", "accounts", verbosity=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("ADA")
