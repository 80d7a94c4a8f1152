"""Rate limits hold across processes, slide (no double burst at a window edge), and never cause a 500.

The limiter (backend/common/ratelimit.py) counts in the database by default and in Redis when
``ICONOPLASM_REDIS_URL`` is set; the Redis tests use the real server on 127.0.0.1:6379 and
are skipped, saying so, only when none answers.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
import time
import uuid
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from rest_framework.test import APIClient

from backend.common import ratelimit
from backend.genes.models import Gene
from backend.iconoplasm import settings as settings_module
from backend.portraits import canonical

from .factories import PASSWORD, client_for, make_gene, make_portrait, make_users

REDIS_URL = "redis://127.0.0.1:6379/15"
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except (redis.RedisError, OSError):
        return False


needs_redis = pytest.mark.skipif(not redis_answers(), reason="no Redis answers on 127.0.0.1:6379 (CI runs one)")


@pytest.fixture
def fake_clock(monkeypatch):
    """The limiter's clock, set by the test: ``fake_clock.now = …``."""

    class Clock:
        now = 1_000_000.0

        def __call__(self):
            return self.now

    clock = Clock()
    monkeypatch.setattr(ratelimit, "clock", clock, raising=False)
    # Also what a limiter reading time.time() would see (how the fixed windows before this one did).
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=clock, monotonic=time.monotonic, sleep=time.sleep))
    return clock


def forget_redis_outages(monkeypatch):
    """An outage an earlier test met must not make this one skip Redis."""
    if hasattr(ratelimit, "_redis_down"):
        monkeypatch.setitem(ratelimit._redis_down, "until", 0.0)


@pytest.fixture
def with_redis(settings, monkeypatch):
    """Limits (and the cache) in the real Redis, under a prefix of this test's own."""
    settings.ICONOPLASM_REDIS_URL = REDIS_URL
    monkeypatch.setattr(ratelimit, "REDIS_PREFIX", f"test-{uuid.uuid4().hex}:", raising=False)
    forget_redis_outages(monkeypatch)
    yield
    ratelimit.clear()


@pytest.fixture
def vote_world(db, settings):
    settings.ICONOPLASM_RATE_LIMITS = {**settings.ICONOPLASM_RATE_LIMITS, "vote": (5, 60)}
    gene = make_gene("TP53")
    portrait = make_portrait(gene)
    canonical.ensure_canonical(gene)
    (user,) = make_users(1)
    return client_for(user), f"/api/portraits/{portrait.pk}/vote/"


def vote_statuses(client, url, times: int) -> list[int]:
    return [client.post(url, {"value": 1 - 2 * (i % 2)}, format="json").status_code for i in range(times)]


# ---------------------------------------------------------------- sliding window


@pytest.mark.parametrize("store", ["database", pytest.param("redis", marks=needs_redis)])
def test_a_burst_across_a_window_edge_is_one_limit_not_two(request, store, vote_world, fake_clock):
    if store == "redis":
        request.getfixturevalue("with_redis")
    client, url = vote_world
    edge = 60 * 20_000
    fake_clock.now = edge - 0.5  # the last half second of a fixed minute
    assert vote_statuses(client, url, 5) == [200] * 5
    fake_clock.now = edge + 0.5  # the first half second of the next one
    refused = client.post(url, {"value": 1}, format="json")
    assert refused.status_code == 429
    assert 58 <= int(refused["Retry-After"]) <= 60
    fake_clock.now = edge + 59.6  # a minute after the burst, its hits have left the window
    assert vote_statuses(client, url, 5) == [200] * 5
    assert client.post(url, {"value": 1}, format="json").status_code == 429


def test_refused_requests_do_not_count(db, settings, fake_clock):
    settings.ICONOPLASM_RATE_LIMITS = {"t": (3, 10)}
    for _ in range(3):
        ratelimit.count("t", "who")
    for _ in range(20):
        with pytest.raises(ratelimit.Refused):
            ratelimit.count("t", "who")
    fake_clock.now += 10.5
    for _ in range(3):
        ratelimit.count("t", "who")


# ---------------------------------------------------------------- across processes

CHILD = textwrap.dedent(
    """
    import os, sys, time
    import django
    django.setup()
    from types import SimpleNamespace
    from django.conf import settings
    from rest_framework.exceptions import Throttled
    from backend.common.ratelimit import check_rate
    settings.ICONOPLASM_RATE_LIMITS["shared"] = (25, 60)
    guest = SimpleNamespace(user=None, META={"REMOTE_ADDR": sys.argv[3]})
    # A barrier: each child says it is ready, then waits for the other (a loaded machine may take
    # seconds to start one), so both really count at once.
    ready = sys.argv[1]
    open(os.path.join(ready, str(os.getpid())), "w").close()
    while len(os.listdir(ready)) < 2:
        time.sleep(0.001)
    accepted = 0
    for _ in range(int(sys.argv[2])):
        try:
            check_rate("shared", guest)
            accepted += 1
        except Throttled:
            pass
    print(accepted)
    """
)


def child_env(tmp_path, database_url: str, redis_url: str = "") -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backend.iconoplasm.settings",
        "ICONOPLASM_HOME": str(tmp_path / "home"),
        "DATABASE_URL": database_url,
        "ICONOPLASM_REDIS_URL": redis_url,
        "PYTHONPATH": REPO,
    }


def run_two_processes(env: dict, attempts: int, tmp_path) -> list[int]:
    who = uuid.uuid4().hex
    ready = tmp_path / f"ready-{who}"
    ready.mkdir()
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(ready), str(attempts), who],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=120)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0]
    return [int(out.strip().splitlines()[-1]) for out in outputs]


def database_url_of_this_run(tmp_path) -> str:
    """The database the children share: this run's PostgreSQL test database, or a migrated SQLite file."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = quote(s["USER"] or "") + (":" + quote(s["PASSWORD"]) if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    env = child_env(tmp_path, url)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=REPO, check=True)
    return url


@pytest.mark.django_db(transaction=True)
def test_two_processes_together_stay_within_the_limit(tmp_path):
    env = child_env(tmp_path, database_url_of_this_run(tmp_path))
    accepted = run_two_processes(env, attempts=40, tmp_path=tmp_path)
    # Limit 25 (CHILD); each process alone allows 25. Never more between them; a request may be
    # refused by the other's short-lived row (the store errs on the safe side), so one or two fewer.
    assert 23 <= sum(accepted) <= 25, accepted
    assert min(accepted) > 0  # both really ran at once


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_two_processes_together_stay_within_the_limit_in_redis(tmp_path):
    env = child_env(tmp_path, database_url_of_this_run(tmp_path), REDIS_URL)
    accepted = run_two_processes(env, attempts=40, tmp_path=tmp_path)
    assert sum(accepted) == 25, accepted


# ---------------------------------------------------------------- when the store is down


@pytest.fixture
def redis_gone(settings, monkeypatch):
    """ICONOPLASM_REDIS_URL pointing at a closed port, for the cache and the limiter."""
    monkeypatch.setenv("ICONOPLASM_REDIS_URL", CLOSED_PORT_URL)
    spec = importlib.util.spec_from_file_location("backend.iconoplasm.settings_with_redis", settings_module.__file__)
    configured = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(configured)  # what settings.py makes of the variable
    settings.ICONOPLASM_REDIS_URL = CLOSED_PORT_URL
    settings.CACHES = configured.CACHES
    forget_redis_outages(monkeypatch)


def test_with_redis_unreachable_cards_lexicon_and_votes_answer(db, redis_gone, catalogue_files, client, caplog):
    call_command("load_genes", genes=catalogue_files[0], traits=catalogue_files[1], verbosity=0)
    tp53 = Gene.objects.get(symbol="TP53")
    portrait = make_portrait(tp53)
    canonical.ensure_canonical(tp53)
    assert client.get("/api/genes/TP53/").status_code == 200
    assert client.get("/api/genes/TP53/").status_code == 200
    index = client.get("/api/lexicon/")
    assert index.status_code == 200
    assert client.get(f"/api/lexicon/{index.json()['hash']}.json").status_code == 200
    (user,) = make_users(1)
    voter = client_for(user)
    assert voter.post(f"/api/portraits/{portrait.pk}/vote/", {"value": 1}, format="json").status_code == 200
    assert "unavailable" in caplog.text


def test_with_redis_unreachable_limits_still_hold_in_the_database(redis_gone, vote_world):
    client, url = vote_world
    assert vote_statuses(client, url, 6) == [200] * 5 + [429]


def test_when_no_store_counts_writes_go_ahead_and_sign_ins_are_refused(vote_world, monkeypatch, caplog, user, client):
    def broken(*args, **kwargs):
        raise DatabaseError("the limits table is gone")

    monkeypatch.setattr(ratelimit.DatabaseStore, "hit", broken)
    client, url = vote_world
    assert vote_statuses(client, url, 7) == [200] * 7  # fail open, with a warning
    assert "not enforced" in caplog.text
    refused = APIClient().post("/api/auth/token/", {"username": "ada", "password": PASSWORD}, format="json")
    assert refused.status_code == 429 and "unavailable" in refused.json()["detail"]  # fail closed
    page = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    assert page.status_code == 429 and "briefly unavailable" in page.text
    assert "_auth_user_id" not in client.session


def test_setting_a_redis_url_without_the_package_fails_at_start(tmp_path):
    env = child_env(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}", CLOSED_PORT_URL)
    hide_redis = "import sys; sys.modules['redis'] = None; import django; django.setup()"
    result = subprocess.run([sys.executable, "-c", hide_redis], env=env, cwd=REPO, capture_output=True, text=True)
    assert result.returncode != 0 and "redis package is not installed" in result.stderr


def test_a_long_client_address_is_still_one_key(db, settings):
    settings.ICONOPLASM_RATE_LIMITS = {"t": (2, 60)}
    long_address = "x" * 500
    ratelimit.count("t", long_address)
    ratelimit.count("t", long_address)
    with pytest.raises(ratelimit.Refused):
        ratelimit.count("t", long_address)


@pytest.mark.django_db
def test_hits_are_counters_that_need_no_write_ahead_log_on_postgresql():
    # UNLOGGED on PostgreSQL (a counted vote commits without a disk flush); SQLite has no such tables.
    from backend.limits.models import Hit

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = %s", [Hit._meta.db_table])
            assert cursor.fetchone() == ("u",)
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s", [Hit._meta.db_table])
            assert cursor.fetchone() == (Hit._meta.db_table,)
    ratelimit.count("vote", "user:1")
    assert Hit.objects.filter(key="vote:user:1").count() == 1
