"""Migrating a populated database from the schema before the studio app (issue 10) keeps every row.

``fixtures/database_before_issue10.sql`` is a SQLite dump of a database migrated and filled by
the code of that time: a gene, emulsions, portraits, a vote, a canonical choice and its log,
generation requests, a provider key, a discovery and an opt-out request.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from pipeline.paths import REPO_ROOT

DUMP = Path(__file__).parent / "fixtures" / "database_before_issue10.sql"


def migrate(database: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "ICONOPLASM_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def rows(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def test_a_database_from_before_migrates_with_its_data(tmp_path):
    database = tmp_path / "db.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.executescript(DUMP.read_text(encoding="utf-8"))
    done = migrate(database, tmp_path)
    assert done.returncode == 0, done.stderr

    assert rows(
        database, "SELECT status, attempts, portrait_id IS NOT NULL FROM studio_generationrequest ORDER BY id"
    ) == [("done", 1, 1), ("queued", 0, 0)]
    assert rows(
        database,
        "SELECT u.username, k.provider, k.encrypted_key, k.fingerprint FROM studio_providerkey k "
        "JOIN auth_user u ON u.id = k.user_id",
    ) == [("ada", "openai", "gAAAA-token", "sk-…abcd · 12345678")]
    assert rows(database, "SELECT COUNT(*) FROM portraits_portrait") == [(2,)]
    assert rows(database, "SELECT COUNT(*) FROM portraits_vote") == [(1,)]
    assert rows(database, "SELECT COUNT(*) FROM portraits_canonical") == [(1,)]
    assert rows(database, "SELECT COUNT(*) FROM accounts_discovery") == [(1,)]
    assert rows(database, "SELECT COUNT(*) FROM portraits_emulsion") == [(127,)]
    tables = {name for (name,) in rows(database, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not {"generation_requests_generationrequest", "accounts_providerkey"} & tables
    # Permissions and admin history stay attached to the moved models.
    assert rows(
        database, "SELECT app_label FROM django_content_type WHERE model IN ('generationrequest', 'providerkey')"
    ) == [("studio",), ("studio",)]
    assert migrate(database, tmp_path).returncode == 0  # nothing left to do, nothing breaks


def test_a_new_database_gets_the_studio_tables(tmp_path):
    database = tmp_path / "db.sqlite3"
    done = migrate(database, tmp_path)
    assert done.returncode == 0, done.stderr
    tables = {name for (name,) in rows(database, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"studio_generationrequest", "studio_providerkey"} <= tables
    assert "accounts_providerkey" not in tables


def test_the_models_and_the_migrations_agree(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "ICONOPLASM_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
